#include "cli/format/format.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"
#include "model/container_json.h"

namespace berth::cli {

size_t display_width(const std::string& utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;  // count code points, not continuation bytes
  }
  return n;
}

std::string Table::render() const {
  constexpr size_t kMinWidth = 10;
  constexpr size_t kPadding = 3;
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths.size() <= i) widths.resize(i + 1, 0);
      widths[i] = std::max(widths[i], display_width(row[i]) + kPadding);
    }
  }
  for (size_t& w : widths) w = std::max(w, kMinWidth);
  std::string out;
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(widths[i] - display_width(row[i]), ' ');
    }
    out += '\n';
  }
  return out;
}

std::string go_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string ellipsis(const std::string& text, size_t max) {
  if (display_width(text) <= max) return text;
  if (max == 0) return "";
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    if (width + 1 > max - 1) break;
    out.append(text, i, len);
    ++width;
    i += len;
  }
  return out + "…";
}

std::string truncate_id(const std::string& id) {
  std::string s = id;
  size_t colon = s.find(':');
  if (colon != std::string::npos) s = s.substr(colon + 1);
  if (s.size() > 12) s.resize(12);
  return s;
}

std::string ago(int64_t created_unix, int64_t now_unix) {
  return human_duration(now_unix - created_unix) + " ago";
}

std::string join_labels(const model::Map<std::string>& labels) {
  std::vector<std::string> out;
  for (const auto& [k, v] : labels) out.push_back(k + "=" + v);
  std::sort(out.begin(), out.end());
  return join(out, ",");
}

std::string familiar_image(const std::string& ref) {
  for (const std::string prefix : {"docker.io/", "index.docker.io/"}) {
    if (ref.rfind(prefix, 0) != 0) continue;
    std::string rest = ref.substr(prefix.size());
    if (rest.rfind("library/", 0) == 0 && rest.find('/', 8) == std::string::npos)
      return rest.substr(8);
    return rest;
  }
  return ref;
}

std::vector<std::string> ps_header() {
  return {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"};
}

std::vector<std::string> images_header() {
  return {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"};
}

std::vector<std::vector<std::string>> images_rows(const model::ImageSummary& image, bool trunc,
                                                  int64_t now_unix) {
  std::string shown_id = trunc ? truncate_id(image.id) : image.id;
  std::string created = ago(image.created, now_unix);
  std::string size = human_size(static_cast<double>(image.size), 3);
  std::vector<std::vector<std::string>> rows;
  for (const std::string& ref : image.repo_tags) {
    if (ref == "<none>:<none>") continue;
    size_t slash = ref.rfind('/');
    size_t colon = ref.rfind(':');
    std::string repo = ref;
    std::string tag = "<none>";
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      repo = ref.substr(0, colon);
      tag = ref.substr(colon + 1);
    }
    rows.push_back({familiar_image(repo), tag, shown_id, created, size});
  }
  if (rows.empty()) {
    std::string repo = "<none>";
    const auto& digests = image.repo_digests;
    if (!digests.empty() && digests[0] != "<none>@<none>") {
      repo = familiar_image(digests[0].substr(0, digests[0].find('@')));
    }
    rows.push_back({repo, "<none>", shown_id, created, size});
  }
  return rows;
}

}  // namespace berth::cli
