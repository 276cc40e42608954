#include "cli/tar/tar.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"

namespace berth::cli {

namespace {

// A tar header number: zero-padded octal filling width-1 bytes, then NUL.
void put_octal(char* field, size_t width, uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
  std::memcpy(field, buf, width - 1);
  field[width - 1] = '\0';
}

std::string pax_record(const std::string& key, const std::string& value) {
  std::string body = " " + key + "=" + value + "\n";
  size_t len = body.size() + 1;
  while (std::to_string(len).size() + body.size() != len) ++len;
  return std::to_string(len) + body;
}

std::string header_block(const TarEntry& e) {
  std::string block(512, '\0');
  char* h = block.data();
  std::memcpy(h, e.name.data(), std::min<size_t>(e.name.size(), 100));
  put_octal(h + 100, 8, e.mode & 07777);
  put_octal(h + 108, 8, e.uid);
  put_octal(h + 116, 8, e.gid);
  put_octal(h + 124, 12, e.size);
  put_octal(h + 136, 12, static_cast<uint64_t>(e.mtime < 0 ? 0 : e.mtime));
  h[156] = e.type;
  std::memcpy(h + 157, e.link.data(), std::min<size_t>(e.link.size(), 100));
  std::memcpy(h + 257,
              "ustar\0"
              "00",
              8);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  return block;
}

Status emit(int fd, const std::string& name, const struct stat& st, char type,
            const std::string& link, uint64_t size) {
  return write_tar_header(fd,
                          {name, st.st_mode, st.st_uid, st.st_gid, size, st.st_mtime, type, link});
}

Status walk(int fd, const std::string& path, const std::string& name, uint64_t* total) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return sys_error("lstat " + path);
  if (S_ISDIR(st.st_mode)) {
    BERTH_TRY(emit(fd, name + "/", st, '5', "", 0));
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) return sys_error("open " + path);
    std::vector<std::string> children;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") children.push_back(n);
    }
    ::closedir(d);
    std::sort(children.begin(), children.end());
    for (const std::string& c : children)
      BERTH_TRY(walk(fd, path + "/" + c, name + "/" + c, total));
    return ok_status();
  }
  if (S_ISLNK(st.st_mode)) {
    char buf[4096];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    if (n < 0) return sys_error("readlink " + path);
    return emit(fd, name, st, '2', std::string(buf, static_cast<size_t>(n)), 0);
  }
  if (!S_ISREG(st.st_mode)) return ok_status();  // devices, fifos, sockets: skipped
  UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return sys_error("open " + path);
  BERTH_TRY(emit(fd, name, st, '0', "", static_cast<uint64_t>(st.st_size)));
  uint64_t left = static_cast<uint64_t>(st.st_size);
  char buf[65536];
  while (left > 0) {
    ssize_t n = ::read(in.get(), buf, std::min<uint64_t>(sizeof buf, left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("read " + path, n == 0 ? EIO : errno);
    BERTH_TRY(write_all(fd, std::string_view(buf, static_cast<size_t>(n))));
    left -= static_cast<uint64_t>(n);
  }
  *total += static_cast<uint64_t>(st.st_size);
  size_t pad = (512 - st.st_size % 512) % 512;
  return write_all(fd, std::string(pad, '\0'));
}

Status read_exact(const ReadFn& read, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    BERTH_TRY_ASSIGN(size_t k, read(buf + got, n - got));
    if (k == 0) return make_error(Code::kDataLoss, "unexpected EOF in tar stream");
    got += k;
  }
  return ok_status();
}

uint64_t parse_octal(const char* field, size_t width) {
  if (static_cast<unsigned char>(field[0]) & 0x80) {  // base-256
    uint64_t v = 0;
    for (size_t i = 1; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(field[i]);
    return v;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < width && field[i]; ++i) {
    if (field[i] >= '0' && field[i] <= '7') v = v * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return v;
}

std::string field_string(const char* f, size_t width) { return std::string(f, strnlen(f, width)); }

void parse_pax(const std::string& data, std::string* path, std::string* link) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t sp = data.find(' ', pos);
    if (sp == std::string::npos) break;
    size_t len = std::strtoul(data.c_str() + pos, nullptr, 10);
    if (len == 0 || pos + len > data.size()) break;
    std::string rec = data.substr(sp + 1, pos + len - sp - 2);
    size_t eq = rec.find('=');
    if (eq != std::string::npos) {
      if (rec.substr(0, eq) == "path") *path = rec.substr(eq + 1);
      if (rec.substr(0, eq) == "linkpath") *link = rec.substr(eq + 1);
    }
    pos += len;
  }
}

}  // namespace

Status write_tar_header(int fd, const TarEntry& entry) {
  std::string pax;
  if (entry.name.size() > 100) pax += pax_record("path", entry.name);
  if (entry.link.size() > 100) pax += pax_record("linkpath", entry.link);
  if (!pax.empty()) {
    TarEntry record{"././@PaxHeader", 0644, entry.uid, entry.gid, pax.size(), entry.mtime, 'x'};
    BERTH_TRY(write_all(fd, header_block(record)));
    pax.resize((pax.size() + 511) / 512 * 512, '\0');
    BERTH_TRY(write_all(fd, pax));
  }
  return write_all(fd, header_block(entry));
}

Result<uint64_t> write_tar(int fd, const std::string& path, const std::string& root_name) {
  uint64_t total = 0;
  BERTH_TRY(walk(fd, path, root_name, &total));
  BERTH_TRY(write_all(fd, std::string(1024, '\0')));
  return total;
}

Result<uint64_t> extract_tar(const ReadFn& read, const std::string& dest_dir,
                             const std::string& rename_from, const std::string& rename_to) {
  uint64_t total = 0;
  std::string next_path, next_link;
  char block[512];
  while (true) {
    auto st = read_exact(read, block, 512);
    if (!st.ok()) return total;  // a stream that ends without the zero blocks is accepted
    if (std::all_of(block, block + 512, [](char c) { return c == 0; })) return total;
    char type = block[156];
    uint64_t size = parse_octal(block + 124, 12);
    std::string name = field_string(block, 100);
    std::string prefix = field_string(block + 345, 155);
    if (!prefix.empty() && std::memcmp(block + 257, "ustar", 5) == 0) name = prefix + "/" + name;
    std::string link = field_string(block + 157, 100);
    std::string data;
    bool is_meta = type == 'x' || type == 'g' || type == 'L' || type == 'K';
    if (is_meta) {
      data.resize(size);
      BERTH_TRY(read_exact(read, data.data(), size));
      std::string pad((512 - size % 512) % 512, '\0');
      BERTH_TRY(read_exact(read, pad.data(), pad.size()));
      if (type == 'x') parse_pax(data, &next_path, &next_link);
      if (type == 'L') next_path = data.c_str();
      if (type == 'K') next_link = data.c_str();
      continue;
    }
    if (!next_path.empty()) name = next_path;
    if (!next_link.empty()) link = next_link;
    next_path.clear();
    next_link.clear();
    while (!name.empty() && name.back() == '/') name.pop_back();
    while (name.rfind("./", 0) == 0) name = name.substr(2);
    std::vector<std::string> parts;
    for (const std::string& p : split(name, '/')) {
      if (p.empty() || p == ".") continue;
      if (p == "..") return make_error(Code::kInvalidArgument, "invalid tar entry: " + name);
      parts.push_back(p);
    }
    if (!rename_from.empty() && !parts.empty() && parts[0] == rename_from) {
      if (rename_to.empty()) {
        parts.erase(parts.begin());
      } else {
        parts[0] = rename_to;
      }
    }
    std::string target = dest_dir;
    for (const std::string& p : parts) target += "/" + p;
    mode_t mode = static_cast<mode_t>(parse_octal(block + 100, 8) & 07777);
    uint64_t mtime = parse_octal(block + 136, 12);
    if (type == '5') {
      if (::mkdir(target.c_str(), mode) != 0 && errno != EEXIST)
        return sys_error("mkdir " + target);
    } else if (type == '2') {
      ::unlink(target.c_str());
      if (::symlink(link.c_str(), target.c_str()) != 0) return sys_error("symlink " + target);
    } else if (type == '1') {
      ::unlink(target.c_str());
      std::string from = dest_dir + "/" + link;
      if (::link(from.c_str(), target.c_str()) != 0) return sys_error("link " + target);
    } else if (type == '0' || type == '\0' || type == '7') {
      struct stat existing {};
      if (::lstat(target.c_str(), &existing) == 0 && S_ISDIR(existing.st_mode)) {
        return make_error(Code::kInvalidArgument,
                          "cannot overwrite directory \"" + target + "\" with non-directory");
      }
      UniqueFd out(
          ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
      if (!out) return sys_error("open " + target);
      uint64_t left = size;
      char buf[65536];
      while (left > 0) {
        size_t want = std::min<uint64_t>(sizeof buf, left);
        BERTH_TRY(read_exact(read, buf, want));
        BERTH_TRY(write_all(out.get(), std::string_view(buf, want)));
        left -= want;
      }
      (void)::fchmod(out.get(), mode);
      total += size;
      size = ((size + 511) / 512) * 512 - size;  // the padding left to skip
      std::string pad(size, '\0');
      BERTH_TRY(read_exact(read, pad.data(), pad.size()));
      size = 0;
    }
    if (size > 0) {  // content of entries we do not create (devices, fifos)
      std::string skip(((size + 511) / 512) * 512, '\0');
      BERTH_TRY(read_exact(read, skip.data(), skip.size()));
    }
    if (type != '2') {
      struct timespec times[2] = {{static_cast<time_t>(mtime), 0}, {static_cast<time_t>(mtime), 0}};
      (void)::utimensat(AT_FDCWD, target.c_str(), times, AT_SYMLINK_NOFOLLOW);
    }
  }
}

}  // namespace berth::cli
