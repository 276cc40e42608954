// docker exec: more processes in a running container, run through `berth-runtime exec` (the
// runtime's exec joins namespaces and must run single-threaded, which berthd is not).
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "base/file.h"
#include "base/log.h"
#include "base/process.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/host_config.h"
#include "engine/spec_builder.h"
#include "engine/user_lookup.h"

namespace berth::engine {

namespace {
// Receives the pty master berth-runtime sends over the console socket (runc's protocol).
Result<UniqueFd> receive_console(int listen_fd, int timeout_ms) {
  struct pollfd p {
    listen_fd, POLLIN, 0
  };
  if (::poll(&p, 1, timeout_ms) <= 0)
    return make_error(Code::kUnavailable, "runtime did not send the exec's terminal");
  UniqueFd conn(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return sys_error("accept console socket");
  char data[256];
  char control[CMSG_SPACE(sizeof(int))];
  struct iovec iov {
    data, sizeof data
  };
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC) < 0) return sys_error("receive exec terminal");
  struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  if (!cm || cm->cmsg_type != SCM_RIGHTS)
    return make_error(Code::kInternal, "runtime sent no terminal over the console socket");
  int fd;
  std::memcpy(&fd, CMSG_DATA(cm), sizeof fd);
  return UniqueFd(fd);
}
}  // namespace

Result<std::string> Engine::create_exec(const std::string& ref,
                                        const model::ExecCreateRequest& config) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.state.status == RunState::kPaused)
    return make_error(Code::kConflict,
                      "Container " + e->c.id + " is paused, unpause the container before exec");
  if (!e->c.running())
    return make_error(Code::kConflict, "container " + e->c.id + " is not running");
  if (config.cmd.empty()) return make_error(Code::kInvalidArgument, "No exec command specified");
  auto rec = std::make_shared<ExecRecord>();
  rec->id = random_hex_id();
  rec->container_id = e->c.id;
  rec->config = config;
  execs_[rec->id] = rec;
  publish(e->c, "exec_create: " + join(config.cmd, " "), {{"execID", rec->id}});
  return rec->id;
}

Result<ExecRecord> Engine::get_exec(const std::string& exec_id) {
  std::lock_guard lock(mu_);
  auto it = execs_.find(exec_id);
  if (it == execs_.end()) return make_error(Code::kNotFound, "No such exec instance: " + exec_id);
  return *it->second;
}

Result<ExecSession> Engine::start_exec(const std::string& exec_id, bool detach) {
  std::unique_lock lock(mu_);
  auto it = execs_.find(exec_id);
  if (it == execs_.end()) return make_error(Code::kNotFound, "No such exec instance: " + exec_id);
  auto rec = it->second;
  if (rec->started)
    return make_error(Code::kConflict, "Exec command " + exec_id + " is already running");
  BERTH_TRY_ASSIGN(auto e, find(rec->container_id));
  if (!e->c.running())
    return make_error(Code::kConflict, "container " + e->c.id + " is not running");
  const model::ExecCreateRequest& cfg = rec->config;
  bool tty = cfg.tty;
  bool privileged = cfg.privileged;

  // The process: the container's (capabilities, env, user) with the exec's changes.  The
  // bundle's config.json is the OCI runtime config, read and written as JSON.
  std::string dir = container_dir(e->c.id);
  BERTH_TRY_ASSIGN(std::string bundle_text, read_file(dir + "/config.json"));
  BERTH_TRY_ASSIGN(Json bundle, parse_json(bundle_text, "container config.json"));
  Json process = bundle.value("process", Json::object());
  // An exec without -u runs as the container's user (the clients send "User": "").
  std::string user = cfg.user.empty() ? e->c.config.user : cfg.user;
  BERTH_TRY_ASSIGN(ResolvedUser u, resolve_user(rootfs_path(e->c.id), user));
  Json gids = Json::array();
  for (unsigned g : u.additional_gids) gids.push_back(g);
  process["user"] = {{"uid", u.uid}, {"gid", u.gid}, {"additionalGids", gids}};
  process["args"] = std::vector<std::string>(cfg.cmd.begin(), cfg.cmd.end());
  std::vector<std::string> env = merged_env(e->c);
  for (auto& kv : cfg.env) {
    std::string key = kv.substr(0, kv.find('='));
    std::erase_if(env, [&](const std::string& x) { return x.substr(0, x.find('=')) == key; });
    env.push_back(kv);
  }
  process["env"] = env;
  if (!cfg.working_dir.empty()) process["cwd"] = cfg.working_dir;
  process["terminal"] = tty;
  // The container's bounding set (or all the daemon holds); effective and permitted only for
  // root, as at the container's start.
  Json caps = privileged ? Json(daemon_capabilities())
                         : process["capabilities"].value("bounding", Json::array());
  process["capabilities"] = {{"bounding", caps}};
  if (u.uid == 0) {
    process["capabilities"]["effective"] = caps;
    process["capabilities"]["permitted"] = caps;
  }
  process.erase("consoleSize");
  std::string exec_dir = options_.exec_root + "/exec";
  BERTH_TRY(make_dirs(exec_dir));
  std::string process_path = exec_dir + "/" + exec_id + ".json";
  BERTH_TRY(write_file_atomic(process_path, dump_json(process)));
  std::string pid_path = exec_dir + "/" + exec_id + ".pid";

  ExecSession session;
  session.tty = tty;
  SpawnOptions spawn_opts;
  spawn_opts.argv = {options_.runtime_binary,
                     "--root",
                     runtime_root(),
                     "exec",
                     "--process",
                     process_path,
                     "--pid-file",
                     pid_path};
  UniqueFd listen_fd, child_in, child_out, child_err;
  std::string console_path;
  if (tty) {
    console_path = exec_dir + "/" + exec_id.substr(0, 16) + ".sock";
    ::unlink(console_path.c_str());
    listen_fd.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", console_path.c_str());
    if (::bind(listen_fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd.get(), 1) != 0)
      return sys_error("listen on " + console_path);
    spawn_opts.argv.insert(spawn_opts.argv.end(), {"--tty", "--console-socket", console_path});
  } else {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
      return sys_error("pipe");
    child_in.reset(in[0]);
    session.stdin_fd.reset(in[1]);
    session.stdout_fd.reset(out[0]);
    child_out.reset(out[1]);
    session.stderr_fd.reset(err[0]);
    child_err.reset(err[1]);
    spawn_opts.stdin_fd = child_in.get();
    spawn_opts.stdout_fd = child_out.get();
    spawn_opts.stderr_fd = child_err.get();
    if (!cfg.attach_stdin) session.stdin_fd.reset();
  }
  spawn_opts.argv.push_back(e->c.id);
  BERTH_TRY_ASSIGN(Child child, spawn(spawn_opts));
  child_in.reset();
  child_out.reset();
  child_err.reset();
  if (tty) {
    lock.unlock();
    auto master = receive_console(listen_fd.get(), 10000);
    lock.lock();
    ::unlink(console_path.c_str());
    if (!master) {
      (void)child.signal(SIGKILL);
      (void)child.wait();
      ::unlink(process_path.c_str());
      return std::move(master).error().context("exec in container " + e->c.id);
    }
    session.pty = std::move(*master);
    exec_ptys_[exec_id] = UniqueFd(::fcntl(session.pty.get(), F_DUPFD_CLOEXEC, 0));
  }
  rec->started = true;
  rec->running = true;
  rec->pid = child.pid();
  rec->pid_file = pid_path;
  publish(e->c, "exec_start: " + join(cfg.cmd, " "), {{"execID", exec_id}});
  // The runtime exits with the process's code once it ended.
  std::thread([this, rec, child = std::move(child), process_path, container = e->c]() mutable {
    auto status = child.wait();
    int code = status ? exit_code_from_status(*status) : 126;
    ::unlink(process_path.c_str());
    ::unlink(rec->pid_file.c_str());
    std::lock_guard lock(mu_);
    rec->running = false;
    rec->has_exit = true;
    rec->exit_code = code;
    exec_ptys_.erase(rec->id);
    cv_.notify_all();
    publish(container, "exec_die", {{"execID", rec->id}, {"exitCode", std::to_string(code)}});
  }).detach();
  (void)detach;
  return session;
}

Status Engine::resize_exec(const std::string& exec_id, int height, int width) {
  std::lock_guard lock(mu_);
  auto it = exec_ptys_.find(exec_id);
  if (it == exec_ptys_.end()) {
    if (!execs_.count(exec_id))
      return make_error(Code::kNotFound, "No such exec instance: " + exec_id);
    return ok_status();  // no tty, or already ended: nothing to resize
  }
  struct winsize ws {};
  ws.ws_row = static_cast<unsigned short>(height);
  ws.ws_col = static_cast<unsigned short>(width);
  if (::ioctl(it->second.get(), TIOCSWINSZ, &ws) != 0) return sys_error("resize exec tty");
  return ok_status();
}

Result<int> Engine::wait_exec(const std::string& exec_id, const std::function<bool()>& alive) {
  std::unique_lock lock(mu_);
  auto it = execs_.find(exec_id);
  if (it == execs_.end()) return make_error(Code::kNotFound, "No such exec instance: " + exec_id);
  auto rec = it->second;
  while (!rec->has_exit) {
    cv_.wait_for(lock, std::chrono::milliseconds(500));
    if (!rec->has_exit && alive && !alive())
      return make_error(Code::kCancelled, "client went away");
  }
  return rec->exit_code;
}

}  // namespace berth::engine
