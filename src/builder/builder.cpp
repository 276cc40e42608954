// The build driver: parse, the stage graph (only what the target needs, independent stages in
// parallel threads, cycles refused), and each instruction's dispatch with the cache.  Output
// follows Docker's classic builder ("Step 2/5 : RUN ...", " ---> Using cache", " ---> <id>").
#include "builder/builder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "base/digest.h"
#include "base/file.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "builder/internal/cache_from.h"
#include "builder/internal/executor.h"
#include "model/container_json.h"
#include "model/image_file_json.h"
#include "model/image_json.h"

namespace berth::builder {
namespace internal {

std::string short_id(const std::string& id) {
  std::string hex = id.compare(0, 7, "sha256:") == 0 ? id.substr(7) : id;
  return hex.substr(0, 12);
}

int stage_index(const Dockerfile& df, const std::string& word, int before) {
  std::string w = word;
  for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int limit = before < 0 ? static_cast<int>(df.stages.size()) : before;
  for (int i = 0; i < static_cast<int>(df.stages.size()); ++i)
    if (!df.stages[i].name.empty() && df.stages[i].name == w) return i;
  if (!w.empty() && w.find_first_not_of("0123456789") == std::string::npos && w.size() < 4) {
    int n = static_cast<int>(std::strtol(w.c_str(), nullptr, 10));
    if (n < limit) return n;
  }
  return -1;
}

}  // namespace internal

namespace {

using internal::BuildContext;
using internal::short_id;
using internal::StageState;

const char* kPredefined[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
                             "ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};

const char* host_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#else
  return "unknown";
#endif
}

Vars platform_args() {
  std::string p = std::string("linux/") + host_arch();
  return {{"TARGETPLATFORM", p},      {"TARGETOS", "linux"}, {"TARGETARCH", host_arch()},
          {"TARGETVARIANT", ""},      {"BUILDPLATFORM", p},  {"BUILDOS", "linux"},
          {"BUILDARCH", host_arch()}, {"BUILDVARIANT", ""}};
}

Error at_line(const BuildContext& bc, const Instruction& ins, const Error& e) {
  // Errors from the parser already carry "file:line:col".
  if (e.message.compare(0, bc.df.file.size() + 1, bc.df.file + ":") == 0) return e;
  Error out = e;
  std::string msg = e.message;
  if (msg.compare(0, 5, "line ") == 0) msg = msg.substr(msg.find(": ") + 2);
  out.message = bc.df.file + ":" + std::to_string(ins.line) + ":1: " + msg;
  return out;
}

std::string key_of(const std::string& parent, const std::string& what) {
  return sha256_hex("berth-build-v1\n" + parent + "\n" + what);
}

class StageRunner {
 public:
  StageRunner(BuildContext& bc, int index)
      : bc_(bc), index_(index), stage_(bc.df.stages[index]), sources_(bc.cache_sources) {}

  Result<std::string> run() {
    BERTH_TRY(from());
    std::vector<Instruction> ins = stage_.instructions;
    if (index_ == final_stage_index()) {
      if (!bc_.options.labels.empty()) {
        Instruction label;
        label.cmd = "label";
        std::string rest;
        for (auto& [k, v] : bc_.options.labels) rest += " \"" + k + "\"=\"" + v + "\"";
        label.rest = trim(rest);
        label.original = "LABEL " + label.rest;
        label.line = ins.empty() ? stage_.from.line : ins.back().line;
        ins.push_back(label);
      }
    }
    for (auto& i : ins) {
      Status s = step(i, true);
      if (!s) return at_line(bc_, i, s.error());
    }
    if (st_.image_id.empty()) {
      // FROM scratch and nothing else: an image with no layers.
      BERTH_TRY(commit("", "", "/bin/sh -c #(nop) FROM scratch"));
    }
    return st_.image_id;
  }

  int final_stage_index() const {
    if (bc_.options.target.empty()) return static_cast<int>(bc_.df.stages.size()) - 1;
    return internal::stage_index(bc_.df, bc_.options.target);
  }

 private:
  // WORKDIR, or / when none was set.
  std::string workdir() const {
    return st_.cfg.config.working_dir.empty() ? "/" : st_.cfg.config.working_dir;
  }

  Vars expand_vars() const {
    Vars v = st_.args;
    for (auto& [k, val] : env_vars(st_.cfg.config.env)) v[k] = val;
    return v;
  }

  Status from() {
    const Instruction& ins = stage_.from;
    bc_.print("Step " + std::to_string(++bc_.steps) + "/" + std::to_string(bc_.total_steps) +
              " : " + ins.original + "\n");
    auto base = expand_word(stage_.base, bc_.meta_args, bc_.df.escape);
    if (!base) return at_line(bc_, ins, base.error());
    if (base->empty())
      return at_line(bc_, ins,
                     make_error(Code::kInvalidArgument,
                                "base name (" + stage_.base + ") should not be blank"));
    int dep = internal::stage_index(bc_.df, *base, index_);
    std::string image_id;
    if (dep >= 0) {
      std::lock_guard lock(bc_.stages_mu);
      image_id = bc_.stage_images[std::to_string(dep)];
    } else if (*base == "scratch") {
      image_id = "";
    } else {
      auto got = bc_.options.pull ? Result<image::Image>(make_error(Code::kNotFound, "pull"))
                                  : bc_.backend.images().get(*base);
      if (!got) {
        if (got.error().code != Code::kNotFound) return at_line(bc_, ins, got.error());
        image::PullOptions po;
        po.auth = bc_.options.auth;
        auto pulled = bc_.backend.images().pull(*base, po, [](const image::ProgressEvent&) {});
        if (!pulled) {
          auto local = bc_.options.pull ? bc_.backend.images().get(*base) : got;
          if (!local)
            return at_line(bc_, ins, pulled.error().context("pull access denied for " + *base));
          got = std::move(local);
        } else {
          got = std::move(pulled);
        }
      }
      image_id = got->id;
    }
    st_.image_id = image_id;
    {
      std::lock_guard lock(bc_.stages_mu);
      bc_.stage_bases[index_] = image_id;
    }
    if (!image_id.empty()) {
      BERTH_TRY_ASSIGN(image::Image img, bc_.backend.images().get(image_id));
      BERTH_TRY_ASSIGN(auto file,
                       model::parse<model::ImageConfigFile>(img.config_json, "base image config"));
      if (file.config) st_.cfg.config = std::move(*file.config);
      bc_.print(" ---> " + short_id(image_id) + "\n");
    } else {
      bc_.print(" ---> \n");
    }
    // The meta ARGs' values are visible to a stage only when it declares them again.
    // ONBUILD triggers of the base run now, then are gone from the config.
    if (!st_.cfg.config.on_build.empty()) {
      std::vector<std::string> triggers = st_.cfg.config.on_build;
      st_.cfg.config.on_build.set_null();
      bc_.print("# Executing " + std::to_string(triggers.size()) + " build trigger" +
                (triggers.size() == 1 ? "" : "s") + "\n");
      for (auto& t : triggers) {
        auto trig = parse_instruction(t);
        if (!trig) return at_line(bc_, ins, trig.error());
        trig->line = ins.line;
        Status s = step(*trig, false);
        if (!s) return at_line(bc_, ins, s.error());
      }
    }
    return ok_status();
  }

  Status commit(const std::string& key, const std::string& layer, const std::string& created_by) {
    image::CommitOptions co;
    co.parent = st_.image_id;
    co.layer_tar = layer;
    co.config_json = model::dump(st_.cfg.config);
    co.created_by = created_by;
    co.created = bc_.options.source_date_epoch;
    BERTH_TRY_ASSIGN(image::Image img, bc_.backend.images().commit(co));
    st_.image_id = img.id;
    if (!key.empty()) BERTH_TRY(bc_.backend.cache_put(key, img.id));
    return ok_status();
  }

  // A cache hit: the image the key names, still present.
  std::string lookup(const std::string& key) {
    if (bc_.options.no_cache) return "";
    auto v = bc_.backend.cache_get(key);
    if (!v) return "";
    auto img = bc_.backend.images().get(*v);
    if (!img) return "";
    return img->id;
  }

  // The local cache, then the --cache-from images (a hit there is recorded locally too).
  bool use_cache(const std::string& key, const std::string& created_by) {
    std::string hit = lookup(key);
    if (hit.empty() && !bc_.options.no_cache) {
      auto from = internal::cache_from_lookup(bc_.backend, sources_, st_.image_id, created_by,
                                              st_.cfg.config);
      if (from.ok() && !from->empty()) {
        hit = *from;
        (void)bc_.backend.cache_put(key, hit);
      }
    }
    if (hit.empty()) return false;
    auto img = bc_.backend.images().get(hit);
    if (!img) return false;
    auto file = model::parse<model::ImageConfigFile>(img->config_json, "cached config");
    if (file.ok() && file->config) st_.cfg.config = std::move(*file->config);
    st_.image_id = hit;
    bc_.print(" ---> Using cache\n");
    bc_.print(" ---> " + short_id(hit) + "\n");
    ++bc_.cached;
    return true;
  }

  Status step(const Instruction& ins, bool numbered) {
    if (numbered)
      bc_.print("Step " + std::to_string(++bc_.steps) + "/" + std::to_string(bc_.total_steps) +
                " : " + ins.original + "\n");
    const std::string& cmd = ins.cmd;
    if (cmd == "arg") return arg(ins);
    if (cmd == "run") return run(ins);
    if (cmd == "copy" || cmd == "add") return copy(ins);
    if (!is_config_instruction(cmd))
      return make_error(Code::kInvalidArgument, "unknown instruction: " + cmd);
    ConfigState before = st_.cfg;
    BERTH_TRY(apply_config_instruction(ins, st_.cfg, expand_vars(), bc_.df.escape));
    std::string upper = cmd;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string created_by = "/bin/sh -c #(nop)  " + upper + " " + ins.rest;
    if (cmd == "cmd" || cmd == "entrypoint" || cmd == "shell")
      created_by = "/bin/sh -c #(nop)  " + upper + " " +
                   model::dump(cmd == "cmd"     ? st_.cfg.config.cmd
                               : cmd == "shell" ? st_.cfg.config.shell
                                                : st_.cfg.config.entrypoint);
    std::string key = key_of(st_.image_id, created_by + "\n" + model::dump(st_.cfg.config));
    ConfigState after = st_.cfg;
    if (use_cache(key, created_by)) {
      st_.cfg.cmd_set = after.cmd_set;
      return ok_status();
    }
    std::string layer;
    if (cmd == "workdir" && !st_.image_id.empty()) {
      BERTH_TRY_ASSIGN(std::string mnt, bc_.backend.mount_image(st_.image_id));
      auto made = internal::workdir_layer(bc_, mnt, st_.cfg.config.working_dir);
      bc_.backend.unmount_image(mnt);
      if (!made) return std::move(made).error();
      layer = *made;
    }
    ScopeExit remove_layer([&] {
      if (!layer.empty()) (void)::unlink(layer.c_str());
    });
    BERTH_TRY(commit(key, layer, created_by));
    bc_.print(" ---> " + short_id(st_.image_id) + "\n");
    return ok_status();
  }

  Status arg(const Instruction& ins) {
    BERTH_TRY_ASSIGN(auto words, split_words(ins.rest, bc_.df.escape));
    if (words.empty())
      return make_error(Code::kInvalidArgument, "ARG requires exactly one argument");
    std::string text;
    for (auto& w : words) {
      size_t eq = w.find('=');
      std::string name = w.substr(0, eq);
      if (name.empty()) return make_error(Code::kInvalidArgument, "ARG names can not be blank");
      std::optional<std::string> value;
      auto given = bc_.options.build_args.find(name);
      if (given != bc_.options.build_args.end() && given->second) {
        value = *given->second;
      } else if (eq != std::string::npos) {
        BERTH_TRY_ASSIGN(std::string v,
                         expand_word(w.substr(eq + 1), expand_vars(), bc_.df.escape));
        value = v;
      } else if (auto m = bc_.meta_args.find(name); m != bc_.meta_args.end()) {
        value = m->second;
      }
      if (value) {
        st_.args[name] = *value;
        std::erase_if(st_.used, [&](const std::string& u) {
          return u.compare(0, name.size() + 1, name + "=") == 0;
        });
        st_.used.push_back(name + "=" + *value);
      }
      text += (text.empty() ? "" : " ") + (value ? name + "=" + *value : name);
    }
    std::string created_by = "/bin/sh -c #(nop)  ARG " + text;
    std::string key = key_of(st_.image_id, created_by + "\n" + model::dump(st_.cfg.config));
    if (use_cache(key, created_by)) return ok_status();
    BERTH_TRY(commit(key, "", created_by));
    bc_.print(" ---> " + short_id(st_.image_id) + "\n");
    return ok_status();
  }

  Status run(const Instruction& ins) {
    model::List<std::string> cmd;
    cmd.set_empty();
    if (ins.json) {
      cmd = ins.json_args;
    } else {
      std::string script = ins.rest;
      if (!ins.heredocs.empty()) {
        std::string head = trim(ins.rest);
        const Heredoc& h = ins.heredocs[0];
        bool only_heredoc = head.find(' ') == std::string::npos && head.compare(0, 2, "<<") == 0;
        if (only_heredoc) {
          script = h.content;
        } else {
          script = ins.rest + "\n";
          for (auto& d : ins.heredocs) script += d.content + d.name + "\n";
        }
      }
      cmd = !st_.cfg.config.shell.empty() ? st_.cfg.config.shell
                                          : model::List<std::string>{"/bin/sh", "-c"};
      cmd.push_back(script);
    }
    std::string network = flag_value(ins.flags, "network");
    for (auto& f : ins.flags) {
      if (f.compare(0, 10, "--network=") == 0) continue;
      if (f.compare(0, 8, "--mount=") == 0) continue;
      if (f.compare(0, 11, "--security=") == 0) continue;
      return make_error(Code::kInvalidArgument, "unknown flag: " + f.substr(2, f.find('=') - 2));
    }
    std::string shown;
    for (auto& a : cmd) shown += (shown.empty() ? "" : " ") + a;
    std::string created_by = shown;
    if (ins.json) created_by = "/bin/sh -c #(nop) RUN " + model::dump(cmd);
    if (!st_.used.empty()) {
      std::string prefix = "|" + std::to_string(st_.used.size());
      for (auto& u : st_.used) prefix += " " + u;
      created_by = prefix + " " + created_by;
    }
    std::string key = key_of(st_.image_id, "RUN\n" + created_by + "\n" + join(ins.flags, " ") +
                                               "\n" + model::dump(st_.cfg.config));
    if (use_cache(key, created_by)) return ok_status();

    Backend::RunSpec spec;
    spec.image_id = st_.image_id;
    // The image's config as the step container's Config: the members both name carry over.
    BERTH_TRY_ASSIGN(model::ContainerConfig config,
                     model::from_json<model::ContainerConfig>(model::to_json(st_.cfg.config)));
    config.cmd = cmd;
    config.entrypoint.set_empty();  // [] overrides the image's; null would inherit it
    config.image = st_.image_id;
    config.healthcheck.reset();
    for (auto& u : st_.used) {
      size_t eq = u.find('=');
      // ENV wins over ARG of the same name.
      if (!env_vars(config.env).count(u.substr(0, eq)))
        set_env(config.env, u.substr(0, eq), u.substr(eq + 1));
    }
    for (const char* p : kPredefined)
      if (auto it = bc_.options.build_args.find(p);
          it != bc_.options.build_args.end() && it->second)
        set_env(config.env, p, *it->second);
    spec.config = std::move(config);
    spec.network_none = network == "none" || bc_.options.network_mode == "none";
    std::vector<std::string> unmount;
    ScopeExit undo_mounts([&] {
      for (auto& m : unmount) bc_.backend.unmount_image(m);
    });
    for (auto& m : flag_values(ins.flags, "mount")) BERTH_TRY(add_mount(m, spec, unmount));
    spec.clamp_mtime = bc_.options.source_date_epoch;
    spec.layer_tar = bc_.backend.tmp_dir() + "/build-" + random_hex_id().substr(0, 16) + ".tar";
    ScopeExit remove_tar([&] { (void)::unlink(spec.layer_tar.c_str()); });
    BERTH_TRY_ASSIGN(Backend::RunResult rr,
                     bc_.backend.run(spec, [&](const std::string& s) { bc_.print(s); }));
    bc_.print(" ---> Removed intermediate container " + rr.container_id.substr(0, 12) + "\n");
    if (rr.exit_code != 0)
      return make_error(
          Code::kInvalidArgument,
          "The command '" + shown + "' returned a non-zero code: " + std::to_string(rr.exit_code));
    BERTH_TRY(commit(key, rr.changed ? spec.layer_tar : "", created_by));
    bc_.print(" ---> " + short_id(st_.image_id) + "\n");
    return ok_status();
  }

  // RUN --mount=type=bind|cache|tmpfs,target=...[,source=][,from=][,id=][,rw]
  Status add_mount(const std::string& text, Backend::RunSpec& spec,
                   std::vector<std::string>& unmount) {
    std::map<std::string, std::string> kv;
    for (auto& part : split(text, ',')) {
      size_t eq = part.find('=');
      kv[part.substr(0, eq)] = eq == std::string::npos ? "true" : part.substr(eq + 1);
    }
    std::string type = kv.count("type") ? kv["type"] : "bind";
    std::string target = kv.count("target") ? kv["target"]
                         : kv.count("dst")  ? kv["dst"]
                                            : kv["destination"];
    if (type == "secret") return add_secret(kv, target, spec);
    if (target.empty())
      return make_error(Code::kInvalidArgument, "mount target is required: " + text);
    if (target[0] != '/') target = workdir() + "/" + target;
    bool rw = kv.count("rw") || kv.count("readwrite");
    if (type == "tmpfs") {
      spec.tmpfs.push_back(target);
    } else if (type == "cache") {
      std::string id = kv.count("id") ? kv["id"] : target;
      spec.binds.push_back(bc_.backend.cache_mount_dir(sha256_hex(id).substr(0, 32)) + ":" +
                           target);
    } else if (type == "bind") {
      std::string root = bc_.context_dir;
      if (kv.count("from")) {
        int dep = internal::stage_index(bc_.df, kv["from"]);
        std::string image_id;
        if (dep >= 0) {
          std::lock_guard lock(bc_.stages_mu);
          image_id = bc_.stage_images[std::to_string(dep)];
        } else {
          BERTH_TRY_ASSIGN(image::Image img, bc_.backend.images().get(kv["from"]));
          image_id = img.id;
        }
        BERTH_TRY_ASSIGN(root, bc_.backend.mount_image(image_id));
        unmount.push_back(root);
      }
      std::string src = kv.count("source") ? kv["source"] : kv["src"];
      for (auto& c : split(src, '/'))
        if (c == "..")
          return make_error(Code::kInvalidArgument, "mount source outside the context: " + src);
      spec.binds.push_back(root + "/" + src + ":" + target + (rw ? "" : ":ro"));
    } else {
      return make_error(Code::kNotImplemented, "RUN --mount=type=" + type + " is not supported");
    }
    return ok_status();
  }

  // RUN --mount=type=secret,id=x[,target=][,required=][,mode=][,uid=][,gid=][,env=]: BuildKit's
  // options; the file defaults to /run/secrets/<id>, or is left out when only env= is given.
  Status add_secret(std::map<std::string, std::string>& kv, std::string target,
                    Backend::RunSpec& spec) {
    std::string id = kv["id"];
    if (id.empty() && !target.empty()) id = target.substr(target.rfind('/') + 1);
    if (id.empty()) return make_error(Code::kInvalidArgument, "secret mount requires an id");
    bool required = kv.count("required") && kv["required"] != "false";
    auto found = bc_.options.secrets.find(id);
    if (found == bc_.options.secrets.end()) {
      if (required)
        return make_error(
            Code::kInvalidArgument,
            "secret " + id + ": not found (pass it with --secret id=" + id + ",src=<file>)");
      return ok_status();  // an optional secret that was not given: no mount, as BuildKit does
    }
    if (kv.count("env")) spec.secret_env.push_back(kv["env"] + "=" + found->second);
    if (target.empty() && kv.count("env")) return ok_status();
    if (target.empty()) target = "/run/secrets/" + id;
    if (target[0] != '/') target = workdir() + "/" + target;
    Backend::RunSpec::SecretFile f;
    f.target = target;
    f.data = found->second;
    auto number = [&](const char* key, int base, long fallback) -> Result<long> {
      if (!kv.count(key)) return fallback;
      char* end = nullptr;
      long v = std::strtol(kv[key].c_str(), &end, base);
      if (kv[key].empty() || *end || v < 0)
        return make_error(Code::kInvalidArgument,
                          "invalid secret mount " + std::string(key) + ": " + kv[key]);
      return v;
    };
    BERTH_TRY_ASSIGN(long mode, number("mode", 8, 0400));
    BERTH_TRY_ASSIGN(long uid, number("uid", 10, 0));
    BERTH_TRY_ASSIGN(long gid, number("gid", 10, 0));
    f.mode = static_cast<int>(mode & 07777);
    f.uid = static_cast<uint32_t>(uid);
    f.gid = static_cast<uint32_t>(gid);
    spec.secrets.push_back(std::move(f));
    return ok_status();
  }

  Status copy(const Instruction& ins) {
    std::vector<std::string> words;
    Vars vars = expand_vars();
    if (ins.json) {
      for (auto& a : ins.json_args) {
        BERTH_TRY_ASSIGN(std::string w, expand_word(a, vars, bc_.df.escape));
        words.push_back(w);
      }
    } else {
      BERTH_TRY_ASSIGN(words, expand_words(ins.rest, vars, bc_.df.escape));
    }
    std::string upper = ins.cmd == "copy" ? "COPY" : "ADD";
    if (words.size() < 2 && ins.heredocs.empty())
      return make_error(Code::kInvalidArgument,
                        upper +
                            " requires at least two arguments, but only one was provided. "
                            "Destination could not be determined");
    std::string from = flag_value(ins.flags, "from");
    std::string src_root = bc_.context_dir;
    std::string mounted_src, mounted_dest;
    ScopeExit unmount([&] {
      if (!mounted_src.empty()) bc_.backend.unmount_image(mounted_src);
      if (!mounted_dest.empty()) bc_.backend.unmount_image(mounted_dest);
    });
    if (!from.empty()) {
      if (ins.cmd == "add")
        return make_error(Code::kInvalidArgument, "ADD --from is not supported");
      BERTH_TRY_ASSIGN(std::string fw, expand_word(from, vars, bc_.df.escape));
      int dep = internal::stage_index(bc_.df, fw);
      std::string image_id;
      if (dep >= 0) {
        std::lock_guard lock(bc_.stages_mu);
        image_id = bc_.stage_images[std::to_string(dep)];
      } else {
        auto img = bc_.backend.images().get(fw);
        if (!img) {
          image::PullOptions po;
          po.auth = bc_.options.auth;
          img = bc_.backend.images().pull(fw, po, [](const image::ProgressEvent&) {});
        }
        if (!img) return std::move(img).error().context("COPY --from=" + fw);
        image_id = img->id;
      }
      if (!image_id.empty()) {
        BERTH_TRY_ASSIGN(mounted_src, bc_.backend.mount_image(image_id));
        src_root = mounted_src;
      } else {
        src_root = "";
      }
    }
    if (!st_.image_id.empty()) {
      BERTH_TRY_ASSIGN(mounted_dest, bc_.backend.mount_image(st_.image_id));
    }
    BERTH_TRY_ASSIGN(internal::CopyPlan plan,
                     internal::plan_copy(bc_, st_, ins, words, src_root, mounted_dest));
    std::string key = key_of(
        st_.image_id, upper + "\n" + plan.cache_key_part + "\n" + model::dump(st_.cfg.config));
    if (use_cache(key, plan.created_by)) return ok_status();
    BERTH_TRY_ASSIGN(std::string tar, plan.write_layer());
    ScopeExit remove_tar([&] { (void)::unlink(tar.c_str()); });
    BERTH_TRY(commit(key, tar, plan.created_by));
    bc_.print(" ---> " + short_id(st_.image_id) + "\n");
    return ok_status();
  }

  BuildContext& bc_;
  int index_;
  const Stage& stage_;
  StageState st_;
  std::vector<internal::CacheSource> sources_;  // --cache-from, narrowed by a hit
};

// The stages each stage needs: FROM <stage> and COPY --from=<stage>.
std::vector<std::set<int>> stage_deps(const Dockerfile& df, const Vars& meta) {
  std::vector<std::set<int>> deps(df.stages.size());
  for (int i = 0; i < static_cast<int>(df.stages.size()); ++i) {
    auto base = expand_word(df.stages[i].base, meta, df.escape);
    if (base.ok()) {
      int d = internal::stage_index(df, *base, i);
      if (d >= 0) deps[i].insert(d);
    }
    for (auto& ins : df.stages[i].instructions) {
      std::string from = flag_value(ins.flags, "from");
      if ((ins.cmd == "copy") && !from.empty()) {
        int d = internal::stage_index(df, from);
        if (d >= 0) deps[i].insert(d);
      }
    }
  }
  return deps;
}

}  // namespace

Result<BuildResult> build(Backend& backend, const std::string& context_dir,
                          const BuildOptions& options, const OutputFn& out) {
  std::string df_path = options.dockerfile.empty() ? "Dockerfile" : options.dockerfile;
  std::string full = df_path[0] == '/' ? df_path : context_dir + "/" + df_path;
  auto text = read_file(full);
  if (!text) {
    // Docker falls back to the lower-case name.
    if (options.dockerfile.empty() || options.dockerfile == "Dockerfile")
      text = read_file(context_dir + "/dockerfile");
    if (!text)
      return make_error(Code::kInvalidArgument, "Cannot locate specified Dockerfile: " + df_path);
  }
  if (trim(*text).empty())
    return make_error(Code::kInvalidArgument, "the Dockerfile (" + df_path + ") cannot be empty");
  std::string shown =
      df_path.substr(df_path.rfind('/') == std::string::npos ? 0 : df_path.rfind('/') + 1);
  if (shown.compare(0, 12, ".dockerfile.") == 0) shown = "Dockerfile";
  BERTH_TRY_ASSIGN(Dockerfile df, parse_dockerfile(*text, shown));

  BuildContext bc{backend, options, context_dir, df, {}, {}, out, {}, {}, 0, {0}, {0}};
  // Global ARGs: defaults, overridden by --build-arg.
  Vars meta = platform_args();
  for (auto& ins : df.meta_args) {
    BERTH_TRY_ASSIGN(auto words, split_words(ins.rest, df.escape));
    if (words.empty())
      return parse_error(df.file, ins.line, 1, "ARG requires exactly one argument");
    for (auto& w : words) {
      size_t eq = w.find('=');
      std::string name = w.substr(0, eq);
      auto given = options.build_args.find(name);
      if (given != options.build_args.end() && given->second) {
        meta[name] = *given->second;
      } else if (eq != std::string::npos) {
        auto v = expand_word(w.substr(eq + 1), meta, df.escape);
        if (!v) return parse_error(df.file, ins.line, 1, v.error().message);
        meta[name] = *v;
      }
    }
  }
  bc.meta_args = meta;
  bc.cache_sources = internal::load_cache_sources(backend, options.cache_from);

  int target = static_cast<int>(df.stages.size()) - 1;
  if (!options.target.empty()) {
    target = internal::stage_index(df, options.target);
    if (target < 0)
      return make_error(Code::kInvalidArgument,
                        "failed to reach build target " + options.target + " in Dockerfile");
  }
  auto deps = stage_deps(df, meta);
  // The stages the target needs, and a cycle check (depth-first, colours).
  std::vector<int> colour(df.stages.size(), 0);
  std::vector<int> order;
  std::function<Status(int)> visit = [&](int i) -> Status {
    if (colour[i] == 2) return ok_status();
    if (colour[i] == 1)
      return parse_error(df.file, df.stages[i].from.line, 1,
                         "circular dependency detected on stage: " +
                             (df.stages[i].name.empty() ? std::to_string(i) : df.stages[i].name));
    colour[i] = 1;
    for (int d : deps[i]) BERTH_TRY(visit(d));
    colour[i] = 2;
    order.push_back(i);
    return ok_status();
  };
  BERTH_TRY(visit(target));
  for (int i : order) bc.total_steps += 1 + static_cast<int>(df.stages[i].instructions.size());
  if (!options.labels.empty()) bc.total_steps += 1;

  // Each needed stage on its own thread once its dependencies are done.
  std::map<int, std::shared_future<Result<std::string>>> futures;
  std::map<int, std::promise<Result<std::string>>> promises;
  for (int i : order) futures[i] = promises[i].get_future().share();
  std::vector<std::thread> threads;
  for (int i : order) {
    threads.emplace_back([&, i] {
      for (int d : deps[i]) {
        auto r = futures[d].get();
        if (!r) {
          promises[i].set_value(make_error(Code::kCancelled, "dependency failed"));
          return;
        }
      }
      StageRunner runner(bc, i);
      auto r = runner.run();
      if (r.ok()) {
        std::lock_guard lock(bc.stages_mu);
        bc.stage_images[std::to_string(i)] = *r;
        if (!df.stages[i].name.empty()) bc.stage_images[df.stages[i].name] = *r;
      }
      promises[i].set_value(std::move(r));
    });
  }
  for (auto& t : threads) t.join();
  // The first real failure (not a cancellation caused by it).
  for (int i : order) {
    auto r = futures[i].get();
    if (!r && r.error().code != Code::kCancelled) return r.error();
  }
  auto final_image = futures[target].get();
  if (!final_image) return final_image.error();
  if (options.squash) {
    final_image = internal::squash_image(backend, *final_image, bc.stage_bases[target],
                                         options.source_date_epoch);
    if (!final_image) return final_image.error();
  }
  for (auto& t : options.tags) BERTH_TRY(backend.tag(*final_image, t));
  BuildResult res;
  res.image_id = *final_image;
  res.steps = bc.steps;
  res.cached = bc.cached;
  return res;
}

Result<std::pair<int64_t, std::vector<std::string>>> prune_cache(Backend& backend) {
  BERTH_TRY_ASSIGN(auto ids, backend.cache_clear());
  std::set<std::string> unique(ids.begin(), ids.end());
  int64_t reclaimed = 0;
  std::vector<std::string> removed;
  for (auto& id : unique) {
    auto img = backend.images().get(id);
    if (!img || !img->repo_tags.empty()) continue;
    int64_t size = img->size;
    image::RemoveOptions ro;
    auto r = backend.images().remove(id, ro);
    if (r.ok()) {
      reclaimed += size;
      removed.push_back(id);
    }
  }
  return std::make_pair(reclaimed, removed);
}

}  // namespace berth::builder
