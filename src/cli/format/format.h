// Output formatting the docker CLI's way: tabwriter tables (min width 10, padding 3), quoted and
// truncated commands, short ids, sizes and "x ago" times, and the ps / images rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"
#include "model/container.h"
#include "model/image.h"

namespace berth::cli {

// Go's text/tabwriter with docker's settings: every column but the last is padded to
// max(widest cell + 3, 10) display columns.
class Table {
 public:
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

size_t display_width(const std::string& utf8);
// strconv.Quote for the printable text docker shows.
std::string go_quote(const std::string& text);
// Keeps `max` display columns, the last one an ellipsis ("…") when cut.
std::string ellipsis(const std::string& text, size_t max);
// "sha256:abc..." -> "abc..." cut to 12 characters.
std::string truncate_id(const std::string& id);
// "3 minutes ago" from a Unix time in seconds.
std::string ago(int64_t created_unix, int64_t now_unix);
// Labels as docker's list contexts show them: "a=1,b=2", sorted.
std::string join_labels(const model::Map<std::string>& labels);
// Docker's familiar form of an image reference: "docker.io/library/busybox" -> "busybox".
std::string familiar_image(const std::string& ref);

std::vector<std::string> ps_header();
// (A `docker ps` row is computed in container/ps_format.h, from the typed ContainerSummary.)

std::vector<std::string> images_header();
// Rows of `docker images` for one item of GET /images/json (one per tag).
std::vector<std::vector<std::string>> images_rows(const model::ImageSummary& image, bool trunc,
                                                  int64_t now_unix);

}  // namespace berth::cli
