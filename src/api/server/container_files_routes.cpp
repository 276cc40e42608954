// /containers/{id}/changes, /export and /archive (GET, HEAD, PUT): docker diff, export and cp.
#include <fcntl.h>
#include <unistd.h>

#include <thread>

#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "model/container_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

std::string base64(const std::string& in) {
  static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kTable[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += i + 1 < in.size() ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string stat_header(const Engine::PathStat& s) {
  model::ContainerPathStat stat;
  stat.name = s.name;
  stat.size = s.size;
  stat.mode = s.mode;
  stat.mtime = s.mtime;
  stat.link_target = s.link_target;
  return base64(model::dump(stat));
}

// Streams what `produce(fd)` writes into a pipe as a chunked tar reply.
Status stream_tar(http::ResponseWriter& w, const std::function<Status(int)>& produce) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(fds[0]), wr(fds[1]);
  Status produced;
  std::thread writer([&] {
    produced = produce(wr.get());
    wr.reset();
  });
  // The first bytes decide: an error before any output is still an HTTP error.
  char buf[65536];
  ssize_t n = ::read(rd.get(), buf, sizeof buf);
  if (n <= 0) {
    rd.reset();
    writer.join();
    if (!produced) return produced;
  }
  Status st = w.begin_stream(200, "application/x-tar");
  while (st && n > 0) {
    st = w.write(std::string_view(buf, static_cast<size_t>(n)));
    n = ::read(rd.get(), buf, sizeof buf);
  }
  rd.reset();
  if (writer.joinable()) writer.join();
  return w.end();
}
}  // namespace

void add_container_files_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("GET", "/containers/{id}/changes",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto changes, e->changes(p.at("id")));
               if (changes.empty()) changes.set_null();  // Docker: null when nothing changed
               return send_json(w, 200, model::dump(changes));
             });
  router.add("GET", "/containers/{id}/export",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->get_container(p.at("id")));
               return stream_tar(w, [&](int fd) { return e->export_rootfs(p.at("id"), fd); });
             });
  router.add("HEAD", "/containers/{id}/archive",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto st, e->stat_path(p.at("id"), r.query_value("path")));
               w.headers().set("X-Docker-Container-Path-Stat", stat_header(st));
               return w.send(200, "", "application/x-tar");
             });
  router.add("GET", "/containers/{id}/archive",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               std::string path = r.query_value("path");
               if (path.empty())
                 return Status(make_error(Code::kInvalidArgument, "path is required"));
               BERTH_TRY_ASSIGN(auto st, e->stat_path(p.at("id"), path));
               w.headers().set("X-Docker-Container-Path-Stat", stat_header(st));
               return stream_tar(w, [&](int fd) { return e->archive_get(p.at("id"), path, fd); });
             });
  router.add("PUT", "/containers/{id}/archive",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               std::string path = r.query_value("path");
               if (path.empty())
                 return Status(make_error(Code::kInvalidArgument, "path is required"));
               int fds[2];
               if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
               UniqueFd rd(fds[0]), wr(fds[1]);
               Status extracted;
               std::thread reader([&] {
                 extracted = e->archive_put(p.at("id"), path, rd.get(), r.query_bool("copyUIDGID"));
                 rd.reset();
               });
               char buf[65536];
               while (true) {
                 auto n = r.body.read_some(buf, sizeof buf);
                 if (!n || *n == 0) break;
                 if (!write_all(wr.get(), std::string_view(buf, *n))) break;
               }
               wr.reset();
               reader.join();
               (void)r.body.drain();
               BERTH_TRY(extracted);
               return w.send(200, "", "");
             });
}

}  // namespace berth::api::server
