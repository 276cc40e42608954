// COPY and ADD: the sources (context, another stage, an image, a heredoc, an http URL),
// wildcards with Go's filepath.Match rules (fnmatch with FNM_PATHNAME is the same language but
// for `[^...]`, which is mapped), Docker's destination rules, --chown/--chmod/--exclude, ADD's
// tar auto-extraction; the result is one layer tar whose entries are sorted, so the same inputs
// give the same layer.  The cache key hashes content and metadata but never mtimes.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "base/digest.h"
#include "base/file.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "builder/internal/executor.h"

namespace berth::builder::internal {
namespace {

struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

std::string clean_rel(const std::string& p, bool* escapes) {
  std::vector<std::string> parts;
  *escapes = false;
  for (auto& s : split(p, '/')) {
    if (s.empty() || s == ".") continue;
    if (s == "..") {
      if (parts.empty())
        *escapes = true;
      else
        parts.pop_back();
      continue;
    }
    parts.push_back(s);
  }
  return join(parts, "/");
}

bool has_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// Go's filepath.Match on one name: `[^` means negation there, `[!` in fnmatch.
bool go_match(const std::string& pattern, const std::string& name) {
  std::string p = pattern;
  for (size_t i = 0; i + 1 < p.size(); ++i)
    if (p[i] == '[' && p[i + 1] == '^') p[i + 1] = '!';
  return ::fnmatch(p.c_str(), name.c_str(), FNM_PATHNAME | FNM_PERIOD * 0) == 0;
}

// `rel` under `root`, symlinks followed but kept inside root (Docker's FollowSymlinkInScope).
// The missing tail, if any, is appended unresolved.
std::string resolve_in_root(const std::string& root, const std::string& rel) {
  std::vector<std::string> todo = split(rel, '/');
  std::reverse(todo.begin(), todo.end());
  std::vector<std::string> done;
  int links = 0;
  while (!todo.empty()) {
    std::string c = todo.back();
    todo.pop_back();
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    std::string path = root + "/" + join(done, "/") + (done.empty() ? "" : "/") + c;
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode) && links < 40) {
      ++links;
      char buf[PATH_MAX];
      ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
      if (n > 0) {
        std::string target(buf, static_cast<size_t>(n));
        if (target[0] == '/') done.clear();
        auto parts = split(target, '/');
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
        continue;
      }
    }
    done.push_back(c);
  }
  return join(done, "/");
}

struct Item {
  std::string name;    // in the layer, no leading '/'
  std::string source;  // absolute path on the host; "" for a made-up dir or inline file
  struct stat st {};
  std::string link;
  std::string inline_data;
  bool inline_file = false;
  bool extract = false;  // ADD: an archive unpacked into `name`
};

Result<std::pair<uint32_t, uint32_t>> parse_chown(const std::string& spec,
                                                  const std::string& dest_root) {
  std::string user = spec, group;
  if (size_t c = spec.find(':'); c != std::string::npos)
    user = spec.substr(0, c), group = spec.substr(c + 1);
  auto numeric = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  auto lookup = [&](const std::string& file, const std::string& name, int field) -> long {
    if (dest_root.empty()) return -1;
    auto text = read_file(dest_root + file);
    if (!text) return -1;
    for (auto& line : split(*text, '\n')) {
      auto f = split(line, ':');
      if (f.size() > static_cast<size_t>(field) && f[0] == name)
        return std::strtol(f[field].c_str(), nullptr, 10);
    }
    return -1;
  };
  long uid, gid = -1;
  if (numeric(user)) {
    uid = std::strtol(user.c_str(), nullptr, 10);
  } else {
    uid = lookup("/etc/passwd", user, 2);
    if (uid < 0)
      return make_error(
          Code::kInvalidArgument,
          "unable to convert uid/gid chown string to host mapping: can't find uid for user " +
              user);
    gid = lookup("/etc/passwd", user, 3);
  }
  if (!group.empty()) {
    gid = numeric(group) ? std::strtol(group.c_str(), nullptr, 10) : lookup("/etc/group", group, 2);
    if (gid < 0)
      return make_error(
          Code::kInvalidArgument,
          "unable to convert uid/gid chown string to host mapping: can't find gid for group " +
              group);
  } else if (gid < 0) {
    gid = uid;
  }
  return std::make_pair(static_cast<uint32_t>(uid), static_cast<uint32_t>(gid));
}

// Whether `path` is a tar archive (possibly compressed) that ADD unpacks.
bool is_archive(const std::string& path) {
  std::unique_ptr<archive, ReadFree> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 65536) != ARCHIVE_OK) return false;
  archive_entry* e;
  return archive_read_next_header(a.get(), &e) == ARCHIVE_OK;
}

}  // namespace

Result<CopyPlan> plan_copy(BuildContext& bc, StageState& st, const Instruction& ins,
                           const std::vector<std::string>& words_in, const std::string& src_root,
                           const std::string& dest_root) {
  bool is_add = ins.cmd == "add";
  std::string upper = is_add ? "ADD" : "COPY";
  for (auto& f : ins.flags) {
    std::string n =
        f.substr(2, f.find('=') == std::string::npos ? std::string::npos : f.find('=') - 2);
    static const std::set<std::string> known = {"from",    "chown",   "chmod",    "link",
                                                "exclude", "parents", "checksum", "keep-git-dir"};
    if (!known.count(n)) return make_error(Code::kInvalidArgument, "unknown flag: " + n);
  }
  std::vector<std::string> words = words_in;
  std::string dest = words.back();
  words.pop_back();
  std::string workdir = st.cfg.config.working_dir.empty() ? "/" : st.cfg.config.working_dir;
  bool dest_dir_syntax =
      !dest.empty() && (dest.back() == '/' || dest == "." ||
                        dest.substr(dest.size() >= 2 ? dest.size() - 2 : 0) == "/.");
  std::string dest_abs = dest[0] == '/' ? dest : workdir + "/" + dest;
  bool esc;
  std::string dest_rel = clean_rel(dest_abs, &esc);
  std::string chown_spec = flag_value(ins.flags, "chown");
  std::string chmod_spec = flag_value(ins.flags, "chmod");
  std::vector<std::string> excludes = flag_values(ins.flags, "exclude");
  uint32_t uid = 0, gid = 0;
  if (!chown_spec.empty()) {
    BERTH_TRY_ASSIGN(auto ids, parse_chown(chown_spec, dest_root));
    uid = ids.first, gid = ids.second;
  }
  int chmod_bits = -1;
  if (!chmod_spec.empty()) {
    char* end = nullptr;
    long v = std::strtol(chmod_spec.c_str(), &end, 8);
    if (!end || *end || v < 0 || v > 07777)
      return make_error(Code::kInvalidArgument, "invalid chmod parameter: " + chmod_spec);
    chmod_bits = static_cast<int>(v);
  }

  // Sources: (path on the host or inline, the name it takes under the destination).
  struct Src {
    std::string path;  // absolute
    std::string base;  // its own name
    bool inline_file = false;
    std::string data;
    bool url = false;
    int64_t mtime = 0;
    std::string url_text;
  };
  std::vector<Src> srcs;
  auto downloads = std::make_shared<TempFiles>();
  std::string checksum = flag_value(ins.flags, "checksum");
  for (auto& w : words) {
    if (w.compare(0, 2, "<<") == 0) {
      std::string n = w.substr(2);
      if (!n.empty() && n[0] == '-') n = n.substr(1);
      if (!n.empty() && (n[0] == '"' || n[0] == '\'')) n = n.substr(1, n.size() - 2);
      bool found = false;
      for (auto& h : ins.heredocs)
        if (h.name == n) {
          std::string data = h.content;
          if (h.expand) {
            auto x = expand_word(
                data,
                [&] {
                  Vars v = st.args;
                  for (auto& [k, val] : env_vars(st.cfg.config.env)) v[k] = val;
                  return v;
                }(),
                '\0');
            if (x.ok()) data = *x;
          }
          srcs.push_back({"", n, true, data, false});
          found = true;
        }
      if (!found) return make_error(Code::kInvalidArgument, "unknown heredoc " + n);
      continue;
    }
    if (w.compare(0, 7, "http://") == 0 || w.compare(0, 8, "https://") == 0) {
      if (!is_add) return make_error(Code::kInvalidArgument, "source can't be a URL for COPY");
      std::string tmp = bc.backend.tmp_dir() + "/add-" + random_hex_id().substr(0, 16);
      downloads->paths.push_back(tmp);
      BERTH_TRY_ASSIGN(UrlFile got, fetch_url(w, tmp, checksum));
      if (got.name.empty() && dest_dir_syntax)
        return make_error(Code::kInvalidArgument, "cannot determine filename for source " + w);
      srcs.push_back({tmp, got.name, false, "", true, got.mtime, w});
      continue;
    }
    if (!checksum.empty())
      return make_error(Code::kInvalidArgument,
                        "checksum can't be specified for non-HTTP(S) sources");
    if (src_root.empty())
      return make_error(Code::kNotFound, upper + " failed: no source files in scratch image");
    std::string rel = clean_rel(w, &esc);
    if (esc && ins.flags.empty())
      return make_error(Code::kInvalidArgument,
                        "forbidden path outside the build context: " + w + " ()");
    if (!has_glob(rel)) {
      std::string r = resolve_in_root(src_root, rel);
      std::string p = r.empty() ? src_root : src_root + "/" + r;
      struct stat sb;
      if (::lstat(p.c_str(), &sb) != 0)
        return make_error(
            Code::kNotFound,
            upper + " failed: file not found in build context or excluded by .dockerignore: stat " +
                w + ": file does not exist");
      srcs.push_back(
          {p,
           rel.empty() ? ""
                       : rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1),
           false, "", false});
      continue;
    }
    // Wildcards, component by component.
    std::vector<std::string> matches = {""};
    for (auto& comp : split(rel, '/')) {
      std::vector<std::string> next;
      for (auto& m : matches) {
        std::string dir = m.empty() ? src_root : src_root + "/" + m;
        if (!has_glob(comp)) {
          if (path_exists(dir + "/" + comp)) next.push_back(m.empty() ? comp : m + "/" + comp);
          continue;
        }
        auto entries = list_dir(dir);
        if (!entries) continue;
        std::sort(entries->begin(), entries->end());
        for (auto& e : *entries)
          if (go_match(comp, e)) next.push_back(m.empty() ? e : m + "/" + e);
      }
      matches = std::move(next);
    }
    for (auto& m : matches)
      srcs.push_back({src_root + "/" + m,
                      m.substr(m.rfind('/') == std::string::npos ? 0 : m.rfind('/') + 1), false, "",
                      false});
  }
  if (srcs.empty())
    return make_error(Code::kNotFound, upper + " failed: no source files were specified");
  if (srcs.size() > 1 && !dest_dir_syntax)
    return make_error(Code::kInvalidArgument,
                      "When using " + upper +
                          " with more than one source file, the destination must be a directory "
                          "and end with a /");

  // Where the destination really is in the image (symlinked dirs followed inside the image).
  std::string dest_in_image = dest_root.empty() ? dest_rel : resolve_in_root(dest_root, dest_rel);
  bool dest_is_dir = dest_dir_syntax || dest_rel.empty() ||
                     (!dest_root.empty() && is_directory(dest_root + "/" + dest_in_image));

  std::vector<Item> items;
  auto excluded = [&](const std::string& rel) {
    for (auto& p : excludes)
      if (::fnmatch(p.c_str(), rel.c_str(), 0) == 0) return true;
    return false;
  };
  std::function<Status(const std::string&, const std::string&, const std::string&)> walk =
      [&](const std::string& host, const std::string& name, const std::string& rel) -> Status {
    auto entries = list_dir(host);
    if (!entries) return std::move(entries).error();
    std::sort(entries->begin(), entries->end());
    for (auto& e : *entries) {
      std::string r = rel.empty() ? e : rel + "/" + e;
      if (excluded(r)) continue;
      Item it;
      it.source = host + "/" + e;
      it.name = name.empty() ? e : name + "/" + e;
      if (::lstat(it.source.c_str(), &it.st) != 0) return sys_error("stat " + it.source);
      if (S_ISLNK(it.st.st_mode)) {
        char buf[PATH_MAX];
        ssize_t n = ::readlink(it.source.c_str(), buf, sizeof buf - 1);
        if (n < 0) return sys_error("readlink " + it.source);
        it.link.assign(buf, static_cast<size_t>(n));
      }
      bool dir = S_ISDIR(it.st.st_mode);
      items.push_back(it);
      if (dir) BERTH_TRY(walk(it.source, it.name, r));
    }
    return ok_status();
  };
  for (auto& s : srcs) {
    if (s.inline_file) {
      Item it;
      it.name = dest_is_dir ? (dest_in_image.empty() ? s.base : dest_in_image + "/" + s.base)
                            : dest_in_image;
      it.inline_file = true;
      it.inline_data = s.data;
      it.st.st_mode = S_IFREG | 0644;
      it.st.st_size = static_cast<off_t>(s.data.size());
      items.push_back(it);
      continue;
    }
    struct stat sb;
    if (::stat(s.path.c_str(), &sb) != 0) return sys_error("stat " + s.path);
    if (S_ISDIR(sb.st_mode)) {
      if (!dest_in_image.empty()) {
        Item d;
        d.name = dest_in_image;
        d.source = s.path;
        d.st = sb;
        items.push_back(d);
      }
      BERTH_TRY(walk(s.path, dest_in_image, ""));
      continue;
    }
    if (excluded(s.base)) continue;
    Item it;
    it.source = s.path;
    it.st = sb;
    if (s.url) it.st.st_mode = S_IFREG | 0600, it.st.st_mtime = s.mtime;
    if (s.url && s.base.empty() && dest_is_dir)
      return make_error(Code::kInvalidArgument,
                        "cannot determine filename for source " + s.url_text);
    if (is_add && !s.url && is_archive(s.path)) {
      it.extract = true;
      it.name = dest_in_image;
    } else {
      it.name = dest_is_dir ? (dest_in_image.empty() ? s.base : dest_in_image + "/" + s.base)
                            : dest_in_image;
    }
    items.push_back(it);
  }
  // Parent directories of the destination: as they are in the image, or new (0755).
  std::set<std::string> have;
  for (auto& it : items) have.insert(it.name);
  std::vector<Item> parents;
  std::set<std::string> added;
  for (auto& it : items) {
    std::string n = it.name;
    for (size_t s = n.find('/'); s != std::string::npos; s = n.find('/', s + 1)) {
      std::string p = n.substr(0, s);
      if (have.count(p) || !added.insert(p).second) continue;
      Item d;
      d.name = p;
      struct stat ps;
      if (!dest_root.empty() && ::lstat((dest_root + "/" + p).c_str(), &ps) == 0 &&
          S_ISDIR(ps.st_mode)) {
        d.st = ps;
        d.source = "=existing";
      } else {
        d.st.st_mode = S_IFDIR | 0755;
        d.st.st_uid = uid;
        d.st.st_gid = gid;
        d.source = "=new";
      }
      parents.push_back(d);
    }
  }
  items.insert(items.begin(), parents.begin(), parents.end());
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.name < b.name; });

  // The cache key: names, types, modes, sizes, content, link targets, ownership flags.
  Sha256 h;
  h.update(upper + "\n" + dest + "\n" + chown_spec + "\n" + chmod_spec + "\n" +
           join(excludes, ",") + "\n");
  for (auto& it : items) {
    bool existing = it.source == "=existing";
    h.update(it.name + "|" + std::to_string(it.st.st_mode) + "|" + std::to_string(it.st.st_size) +
             "|" + it.link + "\n");
    if (existing) h.update(std::to_string(it.st.st_uid) + ":" + std::to_string(it.st.st_gid));
    if (it.inline_file) h.update(it.inline_data);
    if (S_ISREG(it.st.st_mode) && !it.inline_file && !it.source.empty() && it.source[0] == '/') {
      BERTH_TRY_ASSIGN(std::string d, sha256_file_digest(it.source));
      h.update(d);
    }
  }
  std::string content_hash = h.hex();
  CopyPlan plan;
  plan.downloads = downloads;
  plan.cache_key_part = content_hash;
  std::string kind =
      srcs.size() > 1
          ? "multi"
          : (srcs[0].inline_file ? "file" : (is_directory(srcs[0].path) ? "dir" : "file"));
  plan.created_by = "/bin/sh -c #(nop) " + upper + " " + kind + ":" + content_hash + " in " +
                    (dest[0] == '/' ? dest : "/" + dest_rel + (dest_dir_syntax ? "/" : "")) + " ";
  int64_t clamp = bc.options.source_date_epoch;
  std::string tmp_dir = bc.backend.tmp_dir();
  plan.write_layer = [items, uid, gid, chmod_bits, clamp, tmp_dir,
                      downloads]() -> Result<std::string> {
    std::string path = tmp_dir + "/copy-" + random_hex_id().substr(0, 16) + ".tar";
    std::unique_ptr<archive, WriteFree> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    archive_write_add_filter_none(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_filename(a.get(), path.c_str()) != ARCHIVE_OK)
      return make_error(Code::kInternal, "create " + path + ": " + archive_error_string(a.get()));
    auto fail = [&](const std::string& what) {
      Error e = make_error(Code::kInternal, what + ": " + archive_error_string(a.get()));
      (void)::unlink(path.c_str());
      return e;
    };
    for (auto& it : items) {
      if (it.extract) {
        // ADD of a local archive: its entries go under the destination.
        std::unique_ptr<archive, ReadFree> r(archive_read_new());
        archive_read_support_filter_all(r.get());
        archive_read_support_format_tar(r.get());
        archive_read_support_format_gnutar(r.get());
        if (archive_read_open_filename(r.get(), it.source.c_str(), 65536) != ARCHIVE_OK)
          return fail("open " + it.source);
        archive_entry* e;
        while (archive_read_next_header(r.get(), &e) == ARCHIVE_OK) {
          bool esc2;
          std::string n = clean_rel(archive_entry_pathname(e), &esc2);
          if (esc2 || n.empty()) continue;
          std::string full = it.name.empty() ? n : it.name + "/" + n;
          archive_entry_set_pathname(e, full.c_str());
          if (const char* hl = archive_entry_hardlink(e)) {
            std::string hn = clean_rel(hl, &esc2);
            std::string hf = it.name.empty() ? hn : it.name + "/" + hn;
            archive_entry_set_hardlink(e, hf.c_str());
          }
          if (archive_write_header(a.get(), e) != ARCHIVE_OK) return fail("write " + full);
          const void* buf;
          size_t size;
          la_int64_t off;
          while (archive_read_data_block(r.get(), &buf, &size, &off) == ARCHIVE_OK)
            if (archive_write_data(a.get(), buf, size) < 0) return fail("write " + full);
        }
        continue;
      }
      std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
      bool dir = S_ISDIR(it.st.st_mode);
      archive_entry_set_pathname(e.get(), (it.name + (dir ? "/" : "")).c_str());
      archive_entry_set_filetype(e.get(), it.st.st_mode & S_IFMT);
      int perm = it.st.st_mode & 07777;
      bool existing = it.source == "=existing";
      if (chmod_bits >= 0 && !existing && it.source != "=new") perm = chmod_bits;
      archive_entry_set_perm(e.get(), perm);
      archive_entry_set_uid(e.get(), existing ? it.st.st_uid : uid);
      archive_entry_set_gid(e.get(), existing ? it.st.st_gid : gid);
      int64_t mtime = it.st.st_mtime;
      if (clamp >= 0 && mtime > clamp) mtime = clamp;
      archive_entry_set_mtime(e.get(), mtime, 0);
      if (S_ISLNK(it.st.st_mode)) archive_entry_set_symlink(e.get(), it.link.c_str());
      bool reg = S_ISREG(it.st.st_mode);
      archive_entry_set_size(e.get(), reg ? it.st.st_size : 0);
      if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) return fail("write " + it.name);
      if (!reg) continue;
      if (it.inline_file) {
        if (archive_write_data(a.get(), it.inline_data.data(), it.inline_data.size()) < 0)
          return fail("write " + it.name);
        continue;
      }
      int fd = ::open(it.source.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return sys_error("open " + it.source);
      char buf[65536];
      int64_t left = it.st.st_size;
      while (left > 0) {
        ssize_t n = ::read(fd, buf, static_cast<size_t>(std::min<int64_t>(left, sizeof buf)));
        if (n <= 0) break;
        if (archive_write_data(a.get(), buf, static_cast<size_t>(n)) < 0) {
          ::close(fd);
          return fail("write " + it.name);
        }
        left -= n;
      }
      ::close(fd);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) return fail("finish " + path);
    return path;
  };
  return plan;
}

Result<std::string> workdir_layer(BuildContext& bc, const std::string& dest_root,
                                  const std::string& dir) {
  bool esc;
  std::string rel = clean_rel(dir, &esc);
  if (rel.empty()) return std::string();
  std::string resolved = resolve_in_root(dest_root, rel);
  if (is_directory(dest_root + "/" + resolved)) return std::string();
  std::string path = bc.backend.tmp_dir() + "/workdir-" + random_hex_id().substr(0, 16) + ".tar";
  std::unique_ptr<archive, WriteFree> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_none(a.get());
  if (archive_write_open_filename(a.get(), path.c_str()) != ARCHIVE_OK)
    return make_error(Code::kInternal, "create " + path + ": " + archive_error_string(a.get()));
  std::string prefix;
  int64_t mtime = bc.options.source_date_epoch >= 0 ? bc.options.source_date_epoch : 0;
  for (auto& part : split(resolved, '/')) {
    prefix += (prefix.empty() ? "" : "/") + part;
    struct stat st;
    bool exists = ::lstat((dest_root + "/" + prefix).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), (prefix + "/").c_str());
    archive_entry_set_filetype(e.get(), AE_IFDIR);
    archive_entry_set_perm(e.get(), exists ? (st.st_mode & 07777) : 0755);
    archive_entry_set_uid(e.get(), exists ? st.st_uid : 0);
    archive_entry_set_gid(e.get(), exists ? st.st_gid : 0);
    archive_entry_set_mtime(e.get(), exists ? st.st_mtime : mtime, 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
      (void)::unlink(path.c_str());
      return make_error(Code::kInternal, "write " + prefix + ": " + archive_error_string(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    (void)::unlink(path.c_str());
    return make_error(Code::kInternal, "finish " + path);
  }
  return path;
}

}  // namespace berth::builder::internal
