#include "cli/format/template.h"

namespace berth::cli {

Result<OrderedJson> parse_ordered_json(const std::string& text) {
  OrderedJson j = OrderedJson::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Code::kDataLoss, "invalid JSON from the daemon");
  return j;
}

std::string dump_indented(const OrderedJson& j) {
  return j.dump(4, ' ', false, OrderedJson::error_handler_t::replace);
}

Result<std::string> render_template(const std::string& format, const OrderedJson& data,
                                    const TemplateOptions& options) {
  BERTH_TRY_ASSIGN(Template t, Template::parse(format));
  return t.execute(data, options);
}

}  // namespace berth::cli
