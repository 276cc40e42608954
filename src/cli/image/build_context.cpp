// The build context as the docker CLI sends it: the directory as a tar, minus what
// .dockerignore excludes (moby/patternmatcher's rules: `**`, `!` exceptions, the last matching
// pattern wins, a pattern matching a parent dir excludes what is below), with the Dockerfile
// and .dockerignore always included.
#include "cli/image/build_context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>

#include "base/file.h"
#include "base/strings.h"
#include "cli/tar/tar.h"

namespace berth::cli {
namespace {

std::string clean(const std::string& p) {
  std::vector<std::string> parts;
  for (auto& s : split(p, '/')) {
    if (s.empty() || s == ".") continue;
    if (s == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(s);
  }
  return join(parts, "/");
}

std::string to_regex(const std::string& pattern) {
  std::string re = "^";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
        ++i;
        while (i + 1 < pattern.size() && pattern[i + 1] == '/') ++i;
        re += i + 1 >= pattern.size() ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      size_t end = pattern.find(']', i + 1);
      if (end == std::string::npos) {
        re += "\\[";
        continue;
      }
      std::string cls = pattern.substr(i + 1, end - i - 1);
      if (!cls.empty() && cls[0] == '^') cls[0] = '^';
      re += "[" + cls + "]";
      i = end;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      re += "\\";
      re += pattern[++i];
    } else if (std::strchr(".+()|{}$^", c)) {
      re += "\\";
      re += c;
    } else {
      re += c;
    }
  }
  return re + "$";
}

}  // namespace

Result<IgnoreMatcher> IgnoreMatcher::parse(const std::string& text) {
  IgnoreMatcher m;
  for (auto line : split(text, '\n')) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    Pattern p;
    if (line[0] == '!') {
      p.exclusion = true;
      line = trim(line.substr(1));
    }
    std::string cleaned = clean(line);
    if (cleaned.empty()) continue;
    p.text = cleaned;
    p.depth = static_cast<int>(split(cleaned, '/').size());
    p.re = std::regex(to_regex(cleaned), std::regex::ECMAScript);
    m.has_exclusions_ = m.has_exclusions_ || p.exclusion;
    m.patterns_.push_back(std::move(p));
  }
  return m;
}

bool IgnoreMatcher::excluded(const std::string& rel) const {
  bool matched = false;
  auto parts = split(rel, '/');
  for (auto& p : patterns_) {
    bool m = std::regex_match(rel, p.re);
    // A pattern also matches what is below a directory it matches.
    for (size_t n = 1; !m && n < parts.size() && static_cast<int>(n) <= p.depth; ++n) {
      std::vector<std::string> prefix(parts.begin(), parts.begin() + static_cast<long>(n));
      m = std::regex_match(join(prefix, "/"), p.re);
    }
    if (m) matched = !p.exclusion;
  }
  return matched;
}

Status TarWriter::add(const std::string& name, const struct stat& st, const std::string& link,
                      const std::string& data_path, const std::string* inline_data) {
  char type = S_ISDIR(st.st_mode) ? '5' : S_ISLNK(st.st_mode) ? '2' : '0';
  std::string n = S_ISDIR(st.st_mode) ? name + "/" : name;
  uint64_t size =
      inline_data ? inline_data->size() : (type == '0' ? static_cast<uint64_t>(st.st_size) : 0);
  // Owned by root in the context, as the docker CLI sends it.
  BERTH_TRY(write_tar_header(fd_, {n, st.st_mode, 0, 0, size, st.st_mtime, type, link}));
  if (size == 0) return ok_status();
  uint64_t written = 0;
  if (inline_data) {
    BERTH_TRY(write_all(fd_, *inline_data));
    written = inline_data->size();
  } else {
    int in = ::open(data_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) return sys_error("open " + data_path);
    char buf[65536];
    while (written < size) {
      ssize_t r = ::read(in, buf, std::min<uint64_t>(sizeof buf, size - written));
      if (r <= 0) break;
      Status s = write_all(fd_, std::string_view(buf, static_cast<size_t>(r)));
      if (!s) {
        ::close(in);
        return s;
      }
      written += static_cast<uint64_t>(r);
    }
    ::close(in);
    if (written < size) BERTH_TRY(write_all(fd_, std::string(size - written, '\0')));
  }
  if (size % 512) BERTH_TRY(write_all(fd_, std::string(512 - size % 512, '\0')));
  return ok_status();
}

Status TarWriter::finish() { return write_all(fd_, std::string(1024, '\0')); }

Status write_context_tar(int fd, const std::string& dir, const IgnoreMatcher& ignore,
                         const std::vector<std::string>& always) {
  TarWriter tw(fd);
  std::function<Status(const std::string&)> walk = [&](const std::string& rel) -> Status {
    std::string host = rel.empty() ? dir : dir + "/" + rel;
    BERTH_TRY_ASSIGN(auto names, list_dir(host));
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
      std::string r = rel.empty() ? n : rel + "/" + n;
      std::string p = dir + "/" + r;
      struct stat st;
      if (::lstat(p.c_str(), &st) != 0) return sys_error("stat " + p);
      bool keep = std::find(always.begin(), always.end(), r) != always.end();
      bool excl = !keep && ignore.excluded(r);
      if (S_ISDIR(st.st_mode)) {
        if (excl && !ignore.has_exclusions()) continue;
        if (!excl) BERTH_TRY(tw.add(r, st, "", ""));
        BERTH_TRY(walk(r));
        continue;
      }
      if (excl) continue;
      std::string link;
      if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        ssize_t len = ::readlink(p.c_str(), buf, sizeof buf);
        if (len < 0) return sys_error("readlink " + p);
        link.assign(buf, static_cast<size_t>(len));
      } else if (!S_ISREG(st.st_mode)) {
        continue;  // sockets, fifos, devices are not sent
      }
      BERTH_TRY(tw.add(r, st, link, p));
    }
    return ok_status();
  };
  BERTH_TRY(walk(""));
  return ok_status();
}

Result<std::pair<std::string, std::string>> read_build_secret(const std::string& spec) {
  std::string id, src, env, type;
  for (auto& part : split(spec, ',')) {
    size_t eq = part.find('=');
    std::string k = part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (k == "id") {
      id = v;
    } else if (k == "src" || k == "source") {
      src = v;
    } else if (k == "env") {
      env = v;
    } else if (k == "type") {
      type = v;
    } else {
      return make_error(Code::kInvalidArgument, "unexpected key '" + k + "' in '" + part + "'");
    }
  }
  if (type == "env" && env.empty()) env = src.empty() ? id : src, src.clear();
  if (id.empty()) id = !src.empty() ? src.substr(src.rfind('/') + 1) : env;
  if (id.empty() || id.find('/') != std::string::npos)
    return make_error(Code::kInvalidArgument, "invalid secret id in '" + spec + "'");
  if (src.empty() && env.empty()) {
    if (std::getenv(id.c_str()))
      env = id;
    else
      src = id;
  }
  if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (!v)
      return make_error(Code::kNotFound,
                        "secret " + id + ": environment variable " + env + " is not set");
    return std::make_pair(id, std::string(v));
  }
  auto data = read_file(src);
  if (!data) return std::move(data).error().context("secret " + id);
  return std::make_pair(id, *data);
}

std::string secret_entry_name(const std::string& id) {
  // The daemon's builder::kContextSecretsDir (the CLI links no build code).
  return ".berth-build-secrets/" + id;
}

}  // namespace berth::cli
