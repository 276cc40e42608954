// berth cp [-a] [-L] [-q] CONTAINER:SRC DEST | SRC CONTAINER:DEST (either side "-" for a tar on
// stdin/stdout).  From a container: GET /containers/{id}/archive?path=SRC, whose
// X-Docker-Container-Path-Stat header says what SRC is, extracted on our side.  To a container:
// HEAD /containers/{id}/archive?path=DEST for DEST's stat, then
// PUT /containers/{id}/archive?path=DIR&noOverwriteDirNonDir=true[&copyUIDGID=true] with a tar
// whose top entry carries the final name.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "cli/tar/tar.h"
#include "model/container_json.h"

namespace berth::cli {

namespace {

std::string base64_decode(const std::string& in) {
  std::string out;
  int val = 0, bits = -8;
  for (unsigned char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+' || c == '-')
      d = 62;
    else if (c == '/' || c == '_')
      d = 63;
    else
      continue;
    val = (val << 6) + d;
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

// "name:/path" names a container unless the part before ':' looks like a local path.
bool split_container_path(const std::string& arg, std::string* container, std::string* path) {
  if (arg.empty() || arg[0] == '/' || arg[0] == '.') return false;
  size_t colon = arg.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  if (arg.substr(0, colon).find('/') != std::string::npos) return false;
  *container = arg.substr(0, colon);
  *path = arg.substr(colon + 1);
  return true;
}

std::string base_name(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string dir_name(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

int copy_from_container(Context& ctx, const std::string& container, const std::string& src,
                        const std::string& dst, bool quiet) {
  auto resp = ctx.client.stream("GET", "/containers/" + api::http::percent_encode(container) +
                                           "/archive?path=" + api::http::percent_encode(src));
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    print_daemon_error(resp->status, resp->read_all().value_or(""));
    return 1;
  }
  if (dst == "-") {
    char buf[65536];
    while (true) {
      auto n = resp->read_some(buf, sizeof buf);
      if (!n.ok() || *n == 0) return n.ok() ? 0 : 1;
      if (!write_all(1, std::string_view(buf, *n)).ok()) return 1;
    }
  }
  auto stat = model::parse<model::ContainerPathStat>(
      base64_decode(resp->headers.get("X-Docker-Container-Path-Stat")), "path stat");
  std::string root = stat.ok() && !stat->name.empty() ? stat->name : base_name(src);
  bool src_is_dir = stat.ok() && (stat->mode & (1LL << 31)) != 0;
  bool contents_only = src.size() >= 2 && src.compare(src.size() - 2, 2, "/.") == 0;

  struct stat dst_st {};
  bool dst_exists = ::stat(dst.c_str(), &dst_st) == 0;
  std::string dest_dir, rename_to;
  if (dst_exists && S_ISDIR(dst_st.st_mode)) {
    dest_dir = dst;
    rename_to = contents_only ? "" : root;
  } else if (dst_exists && src_is_dir) {
    print_error("cannot copy a directory to a file");  // docker's ErrCannotCopyDir wording
    return 1;
  } else {
    if (!dst.empty() && dst.back() == '/' && !src_is_dir) {
      print_error("Error: destination directory \"" + dst + "\" must exist");  // docker's wording
      return 1;
    }
    dest_dir = dir_name(dst);
    rename_to = base_name(dst);
    struct stat parent {};
    if (::stat(dest_dir.c_str(), &parent) != 0) {
      print_error("Error: lstat " + dest_dir + ": no such file or directory");
      return 1;
    }
  }
  auto copied = extract_tar([&](char* b, size_t n) { return resp->read_some(b, n); }, dest_dir,
                            root, rename_to);
  if (!copied.ok()) {
    print_error(copied.error().message);
    return 1;
  }
  if (!quiet)
    print_error("Successfully copied " + human_size(static_cast<double>(*copied), 3) + " to " +
                dst);
  return 0;
}

int copy_to_container(Context& ctx, const std::string& src, const std::string& container,
                      const std::string& dst, bool copy_uid_gid, bool quiet) {
  std::string base = "/containers/" + api::http::percent_encode(container) + "/archive?path=";
  std::string extra = "&noOverwriteDirNonDir=true";
  if (copy_uid_gid) extra += "&copyUIDGID=true";
  if (src == "-") {
    auto resp = ctx.client.stream_upload("PUT", base + api::http::percent_encode(dst) + extra, 0,
                                         "application/x-tar");
    if (!resp.ok()) {
      print_error("error during connect: " + resp.error().message);
      return 1;
    }
    auto body = resp->read_all();
    if (!is_success(resp->status)) {
      print_daemon_error(resp->status, body.value_or(""));
      return 1;
    }
    return 0;
  }
  struct stat src_st {};
  if (::lstat(src.c_str(), &src_st) != 0) {
    print_error("lstat " + src + ": no such file or directory");
    return 1;
  }
  auto head = ctx.client.request("HEAD", base + api::http::percent_encode(dst));
  if (!head.ok()) {
    print_error("error during connect: " + head.error().message);
    return 1;
  }
  std::string put_dir, root = base_name(src);
  bool contents_only = src.size() >= 2 && src.compare(src.size() - 2, 2, "/.") == 0;
  if (head->status == 200) {
    auto stat = model::parse<model::ContainerPathStat>(
        base64_decode(head->headers.get("X-Docker-Container-Path-Stat")), "path stat");
    bool dst_is_dir = stat.ok() && (stat->mode & (1LL << 31)) != 0;
    if (dst_is_dir) {
      put_dir = dst;
      if (contents_only) root = ".";
    } else if (S_ISDIR(src_st.st_mode)) {
      print_error("Error response from daemon: cannot copy directory to file");
      return 1;
    } else {
      put_dir = dir_name(dst);
      root = base_name(dst);
    }
  } else if (head->status == 404) {
    if (!dst.empty() && dst.back() == '/' && !S_ISDIR(src_st.st_mode)) {
      print_error("Error response from daemon: destination directory \"" + dst + "\" must exist");
      return 1;
    }
    put_dir = dir_name(dst);
    root = base_name(dst);
  } else {
    print_daemon_error(head->status, head->body);
    return 1;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    print_error("pipe: " + std::string(std::strerror(errno)));
    return 1;
  }
  UniqueFd read_end(fds[0]);
  uint64_t copied = 0;
  std::string write_error;
  std::thread writer([&, w = fds[1]] {
    UniqueFd owned(w);
    std::string path = contents_only ? src.substr(0, src.size() - 2) : src;
    auto n = write_tar(w, path, root);
    if (n.ok())
      copied = *n;
    else
      write_error = n.error().message;
  });
  auto resp = ctx.client.stream_upload("PUT", base + api::http::percent_encode(put_dir) + extra,
                                       read_end.get(), "application/x-tar");
  writer.join();
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  auto body = resp->read_all();
  if (!is_success(resp->status)) {
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  if (!write_error.empty()) {
    print_error(write_error);
    return 1;
  }
  if (!quiet)
    print_error("Successfully copied " + human_size(static_cast<double>(copied), 3) + " to " +
                container + ":" + dst);
  return 0;
}

}  // namespace

int cmd_cp(Context& ctx, const Args& args) {
  const char* usage =
      "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- "
      "CONTAINER:DEST_PATH";
  Flags flags;
  flags.add_bool("archive", 'a', "Archive mode (copy all uid/gid information)");
  flags.add_bool("follow-link", 'L', "Always follow symbol link in SRC_PATH");
  flags.add_bool("quiet", 'q', "Suppress progress output during copy");
  int rc = parse_flags(flags, "cp", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 2) return args_error("cp", usage, "requires 2 arguments");
  std::string c1, p1, c2, p2;
  bool from = split_container_path(flags.args()[0], &c1, &p1);
  bool to = split_container_path(flags.args()[1], &c2, &p2);
  if (from && to) {
    print_error("copying between containers is not supported");
    return 1;
  }
  if (!from && !to) {
    print_error("must specify at least one container source");
    return 1;
  }
  // docker prints progress only to a terminal.
  bool quiet = flags.get_bool("quiet") || !::isatty(2);
  if (!ctx.connect().ok()) return 1;
  if (from) {
    if (p1.empty()) p1 = "/";
    return copy_from_container(ctx, c1, p1, flags.args()[1], quiet || flags.args()[1] == "-");
  }
  if (p2.empty()) p2 = "/";
  return copy_to_container(ctx, flags.args()[0], c2, p2, flags.get_bool("archive"), quiet);
}

}  // namespace berth::cli
