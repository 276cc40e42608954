// Building an image from a static busybox binary, with no registry: one gzip layer holding
// /bin/busybox, a hard link per applet and a minimal /etc, a Docker image config and a v2
// schema 2 manifest.  Everything is deterministic (fixed mtimes, sorted entries, no gzip
// timestamp), so bootstrapping the same binary twice gives the same image ID.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "base/digest.h"
#include "base/file.h"
#include "base/json.h"
#include "base/process.h"
#include "base/strings.h"
#include "image/internal/archive_util.h"
#include "image/internal/local_store.h"

namespace berth::image::internal {
namespace {

constexpr int64_t kFixedTime = 946684800;  // 2000-01-01T00:00:00Z
constexpr const char* kFixedTimeText = "2000-01-01T00:00:00Z";
constexpr const char* kPathEnv =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
constexpr const char* kGroup = "root:x:0:\nnobody:x:65534:\n";

const char* host_architecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__riscv)
  return "riscv64";
#elif defined(__powerpc64__)
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#else
  return "unknown";
#endif
}

la_ssize_t append_to_string(archive*, void* data, const void* buf, size_t n) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

Result<ArchiveWriter> string_writer(std::string* out, bool gzip) {
  ArchiveWriter a(archive_write_new());
  if (gzip) {
    archive_write_set_format_raw(a.get());
    archive_write_add_filter_gzip(a.get());
    // Without this libarchive stamps the current time into the gzip header.
    archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr);
  } else {
    archive_write_set_format_ustar(a.get());
    archive_write_add_filter_none(a.get());
  }
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), out, nullptr, append_to_string, nullptr) != ARCHIVE_OK)
    return archive_err(a.get(), "open in-memory archive");
  return a;
}

Status add_entry(archive* a, const std::string& name, mode_t type, int perm,
                 std::string_view data = {}, const std::string& hardlink = "") {
  ArchiveEntry e(archive_entry_new());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), type);
  archive_entry_set_perm(e.get(), perm);
  archive_entry_set_mtime(e.get(), kFixedTime, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  archive_entry_set_uname(e.get(), "root");
  archive_entry_set_gname(e.get(), "root");
  if (!hardlink.empty()) archive_entry_set_hardlink(e.get(), hardlink.c_str());
  archive_entry_set_size(e.get(), type == AE_IFREG && hardlink.empty() ? data.size() : 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) return archive_err(a, "add " + name);
  if (!data.empty() &&
      archive_write_data(a, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
    return archive_err(a, "write " + name);
  return ok_status();
}

Result<std::string> build_layer_tar(const std::string& busybox, std::vector<std::string> applets) {
  std::map<std::string, int> dirs = {
      {"bin", 0755},  {"etc", 0755}, {"home", 0755},    {"root", 0700},     {"sbin", 0755},
      {"tmp", 01777}, {"usr", 0755}, {"usr/bin", 0755}, {"usr/sbin", 0755}, {"var", 0755}};
  for (auto& path : applets)
    for (size_t s = path.find('/'); s != std::string::npos; s = path.find('/', s + 1))
      dirs.emplace(path.substr(0, s), 0755);
  std::string tar;
  {
    BERTH_TRY_ASSIGN(ArchiveWriter a, string_writer(&tar, false));
    for (auto& [dir, perm] : dirs) BERTH_TRY(add_entry(a.get(), dir + "/", AE_IFDIR, perm));
    BERTH_TRY(add_entry(a.get(), "bin/busybox", AE_IFREG, 0755, busybox));
    BERTH_TRY(add_entry(a.get(), "etc/group", AE_IFREG, 0644, kGroup));
    BERTH_TRY(add_entry(a.get(), "etc/passwd", AE_IFREG, 0644, kPasswd));
    for (auto& path : applets)
      BERTH_TRY(add_entry(a.get(), path, AE_IFREG, 0755, {}, "bin/busybox"));
    if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_err(a.get(), "finish layer");
  }
  return tar;
}

Result<std::string> gzip(const std::string& data) {
  std::string out;
  BERTH_TRY_ASSIGN(ArchiveWriter a, string_writer(&out, true));
  ArchiveEntry e(archive_entry_new());
  archive_entry_set_pathname(e.get(), "layer.tar");
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
    return archive_err(a.get(), "gzip layer");
  if (archive_write_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
    return archive_err(a.get(), "gzip layer");
  if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_err(a.get(), "gzip layer");
  return out;
}

// `busybox --list-full`, through spawn() so berthd's reaper leaves the child to us.
Result<int> capture(const std::string& path, const char* arg, std::string* out) {
  return run_capture({path, arg}, out);
}

Result<std::vector<std::string>> list_applets(const std::string& busybox_path) {
  std::string out;
  BERTH_TRY_ASSIGN(int code, capture(busybox_path, "--list-full", &out));
  if (code != 0)
    return make_error(Code::kInvalidArgument,
                      busybox_path + " --list-full exited with " + std::to_string(code));
  std::set<std::string> paths;
  for (auto& line : split(out, '\n')) {
    std::string p = trim(line);
    while (!p.empty() && p.front() == '/') p.erase(0, 1);
    if (p.empty() || p == "bin/busybox" || p.find("..") != std::string::npos) continue;
    paths.insert(p);
  }
  return std::vector<std::string>(paths.begin(), paths.end());
}

}  // namespace

Result<Image> LocalImageStore::bootstrap_busybox(const std::string& busybox_path,
                                                 const std::string& tag) {
  std::string what = "bootstrap " + busybox_path;
  BERTH_TRY_ASSIGN(Reference ref, parse_reference(tag.empty() ? "busybox:latest" : tag));
  BERTH_TRY_ASSIGN(std::string binary, read_file(busybox_path));
  BERTH_TRY_ASSIGN(auto applets, list_applets(busybox_path));
  BERTH_TRY_ASSIGN(std::string tar, build_layer_tar(binary, std::move(applets)));
  std::string diff_id = sha256_digest(tar);
  BERTH_TRY_ASSIGN(std::string gz, gzip(tar));
  BERTH_TRY_ASSIGN(std::string layer_digest, content_.put(gz));

  Json config = {{"architecture", host_architecture()},
                 {"os", "linux"},
                 {"created", kFixedTimeText},
                 {"config", {{"Env", {kPathEnv}}, {"Cmd", {"sh"}}}},
                 {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}},
                 {"history",
                  {{{"created", kFixedTimeText},
                    {"created_by", "berth bootstrap: ADD busybox with applet links"}},
                   {{"created", kFixedTimeText},
                    {"created_by", "/bin/sh -c #(nop)  CMD [\"sh\"]"},
                    {"empty_layer", true}}}}};
  std::string config_text = dump_json(config);
  BERTH_TRY_ASSIGN(std::string config_digest, content_.put(config_text));
  Json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kDockerManifest},
      {"config",
       {{"mediaType", kDockerConfig}, {"size", config_text.size()}, {"digest", config_digest}}},
      {"layers",
       {{{"mediaType", kDockerLayerGzip}, {"size", gz.size()}, {"digest", layer_digest}}}}};
  std::string manifest_text = dump_json(manifest);
  BERTH_TRY_ASSIGN(std::string manifest_digest, content_.put(manifest_text));

  ImageRecord rec;
  rec.id = rec.config_digest = config_digest;
  rec.manifest_digest = manifest_digest;
  rec.manifest_media_type = kDockerManifest;
  rec.layers.push_back({layer_digest, diff_id, kDockerLayerGzip, static_cast<int64_t>(gz.size()),
                        static_cast<int64_t>(tar.size())});
  rec.created = kFixedTimeText;
  BERTH_TRY_CTX(record_image(rec, {ref}), what);
  BERTH_TRY_ASSIGN(ImageRecord stored, read_record(rec.id));
  return to_image(stored);
}

}  // namespace berth::image::internal
