"""Issue 5: container sizes (SizeRw = the writable layer's files, SizeRootFs = image + SizeRw)
in `ps -s`, `inspect --size` and `system df`, through the docker CLI, berth and the SDK."""
import docker as docker_sdk


def test_ps_size_inspect_size_and_system_df(docker, berth, daemon, name):
    # 5000 + 3 bytes of files in the writable layer; directories do not count.
    docker("run", "--name", name, "busybox", "sh", "-c",
           "head -c 5000 /dev/zero > /big; mkdir -p /d/e; echo hi > /d/e/f", check=True)
    try:
        image_size = int(docker("image", "inspect", "--format", "{{.Size}}", "busybox",
                                check=True).stdout)
        r = docker("inspect", "--size", "--format", "{{.SizeRw}} {{.SizeRootFs}}", name,
                   check=True)
        assert r.stdout.split() == ["5003", str(image_size + 5003)]
        r = berth("inspect", "--size", "--format", "{{.SizeRw}} {{.SizeRootFs}}", name,
                  check=True)
        assert r.stdout.split() == ["5003", str(image_size + 5003)]

        d = docker("ps", "-a", "-s", "--filter", f"name={name}", "--format", "{{.Size}}",
                   check=True)
        b = berth("ps", "-a", "-s", "--filter", f"name={name}", "--format", "{{.Size}}",
                  check=True)
        assert d.stdout.startswith("5kB (virtual "), d.stdout
        assert b.stdout == d.stdout
        # The table grows a SIZE column with -s.
        r = berth("ps", "-a", "-s", "--filter", f"name={name}", check=True)
        header, row = r.stdout.splitlines()
        assert header.split()[-1] == "SIZE" and row.endswith(d.stdout.strip())

        client = docker_sdk.DockerClient(base_url=daemon.host, version="auto")
        try:
            plain = client.api.containers(all=True, filters={"name": name})
            assert len(plain) == 1 and "SizeRw" not in plain[0]  # only computed when asked
            sized = client.api.containers(all=True, size=True, filters={"name": name})
            assert (sized[0]["SizeRw"], sized[0]["SizeRootFs"]) == (5003, image_size + 5003)
            df = {c["Names"][0]: c for c in client.df()["Containers"]}
            assert df["/" + name]["SizeRw"] == 5003
        finally:
            client.close()
    finally:
        docker("rm", "-f", name)
