// A small subset of Go's text/template as docker's --format uses it: literal text with
// {{.Field.Sub}}, {{json .Field}}, {{.}} and "\t"/"\n" escapes, over JSON that keeps the
// daemon's key order.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"

namespace berth::cli {

using OrderedJson = nlohmann::ordered_json;

Result<OrderedJson> parse_ordered_json(const std::string& text);
// Go's json.MarshalIndent(v, "", "    ").
std::string dump_indented(const OrderedJson& j);
Result<std::string> render_template(const std::string& format, const OrderedJson& data);

}  // namespace berth::cli
