// The [clean] section (see clean_config.h).

#include "clean/clean_config.h"

#include <string>

namespace smelter {

Result<CleanOptions> ParseCleanOptions(const toml::table& section) {
  CleanOptions options;
  for (const auto& [key_node, node] : section) {
    const std::string key(key_node.str());
    auto flag = [&](bool* target) -> Status {
      auto v = node.value<bool>();
      if (!v) return Status::InvalidArgument("clean." + key + ": expected true or false");
      *target = *v;
      return Status::OK();
    };
    if (key == "repair_mojibake") {
      SMELTER_RETURN_IF_ERROR(flag(&options.repair_mojibake));
    } else if (key == "remove_control_chars") {
      SMELTER_RETURN_IF_ERROR(flag(&options.remove_control_chars));
    } else if (key == "nfkc") {
      SMELTER_RETURN_IF_ERROR(flag(&options.nfkc));
    } else if (key == "normalize_whitespace") {
      SMELTER_RETURN_IF_ERROR(flag(&options.normalize_whitespace));
    } else if (key == "join_hyphenation") {
      SMELTER_RETURN_IF_ERROR(flag(&options.join_hyphenation));
    } else if (key == "remove_repeated_lines") {
      SMELTER_RETURN_IF_ERROR(flag(&options.remove_repeated_page_lines));
    } else if (key == "repeated_line_min_pages") {
      auto v = node.value<int64_t>();
      if (!v || *v < 2) return Status::InvalidArgument("clean." + key + ": expected an integer >= 2");
      options.repeated_lines.min_pages = static_cast<int>(*v);
    } else if (key == "repeated_line_min_page_fraction") {
      auto v = node.value<double>();
      if (!v || *v <= 0 || *v > 1) return Status::InvalidArgument("clean." + key + ": expected a number in (0, 1]");
      options.repeated_lines.min_page_fraction = *v;
    } else if (key == "boilerplate_max_line_chars") {
      auto v = node.value<int64_t>();
      if (!v || *v <= 0) return Status::InvalidArgument("clean." + key + ": expected an integer > 0");
      options.repeated_lines.max_line_chars = static_cast<size_t>(*v);
    } else {
      return Status::InvalidArgument("clean." + key + ": unknown setting");
    }
  }
  return options;
}

}  // namespace smelter
