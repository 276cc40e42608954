"""berth-shim stream handling: stdin backpressure (no byte dropped) and slow attachers (the log is
never stalled; a client that falls too far behind is dropped).  Root; see test_runtime.py."""
import json
import os
import socket
import struct
import time

import pytest

from test_runtime import Env, assert_gone, kill_shim, launch_shim, read_reply, request, wait_shim

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/bin/busybox"),
                                reason="needs root and /bin/busybox")


@pytest.fixture
def env():
    e = Env()
    try:
        yield e
    finally:
        e.cleanup()


def read_frames(sock):
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    out = b""
    while buf:
        stream, size = struct.unpack(">BxxxI", buf[:8])
        if stream == 1:
            out += buf[8:8 + size]
        buf = buf[8 + size:]
    return out


def test_stdin_5mb_through_wc(env):
    cid = env.new_id()
    env.configure(cid, ["sh", "-c", "cat | wc -c"])
    state_dir, log, shim_pid = launch_shim(env, cid, "--open-stdin", "--stdin-once")
    try:
        att = request(state_dir, "attach 1 1 1")
        assert read_reply(att) == "ok\n"
        assert read_reply(request(state_dir, "start")) == "ok\n"
        data = os.urandom(5 * 1024 * 1024)
        att.sendall(data)  # far more than a pipe holds: the shim must hold it back, not drop it
        att.shutdown(socket.SHUT_WR)
        out = read_frames(att)
        assert out.strip() == str(len(data)).encode(), out
        assert wait_shim(shim_pid), "shim did not exit"
        assert_gone(env, cid)
    finally:
        kill_shim(shim_pid)


def test_slow_attacher_does_not_stall_log(env):
    cid = env.new_id()
    # ~12 MB of output, more than a client's backlog and its socket buffers.
    env.configure(cid, ["sh", "-c", "i=0; while [ $i -lt 12 ]; do head -c 1048576 /dev/zero | tr '\\0' a; i=$((i+1)); done; echo; echo done"])
    state_dir, log, shim_pid = launch_shim(env, cid)
    try:
        att = request(state_dir, "attach 0 1 1")  # never read
        att.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        assert read_reply(att) == "ok\n"
        w = request(state_dir, "wait")
        assert read_reply(request(state_dir, "start")) == "ok\n"
        reply = read_reply(w).split()
        assert reply[:2] == ["ok", "0"], reply
        assert wait_shim(shim_pid, timeout=30), "shim did not exit"
        total = 0
        last = None
        for line in open(log):
            e = json.loads(line)
            total += len(e["log"])
            last = e["log"]
        assert last == "done\n"
        assert total == 12 * 1048576 + 1 + 5
        att.close()
    finally:
        kill_shim(shim_pid)
