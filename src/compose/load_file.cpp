// One compose file: read, parse, interpolate, validate.
#include "base/file.h"
#include "compose/internal/loader_steps.h"
#include "compose/schema.h"
#include "compose/yaml.h"

namespace berth::compose::internal {

Result<Node> load_file(const std::string& path, const std::string* text, const Lookup& lookup,
                       bool interpolate, std::vector<std::string>* warnings) {
  std::string content;
  if (text != nullptr) {
    content = *text;
  } else {
    auto read = read_file(path);
    if (!read.ok()) {
      return make_error(read.error().code,
                        "open " + path + ": " +
                            (read.error().code == Code::kNotFound ? "no such file or directory"
                                                                  : read.error().message));
    }
    content = std::move(read).value();
  }
  BERTH_TRY_ASSIGN(Node doc, parse_yaml(content, path));
  if (!doc.is_map()) {
    return make_error(Code::kInvalidArgument, "validating " + path + ": (root) must be an object");
  }
  if (interpolate) {
    auto st = interpolate_tree(&doc, lookup, "", warnings);
    if (!st.ok()) return std::move(st).error().context(path);
  }
  if (doc.has("version") && warnings != nullptr) {
    warnings->push_back(path +
                        ": the attribute `version` is obsolete, it will be ignored, please "
                        "remove it to avoid potential confusion");
  }
  auto valid = Schema::compose_spec().validate(doc);
  if (!valid.ok()) return std::move(valid).error().context("validating " + path);
  return doc;
}

}  // namespace berth::compose::internal
