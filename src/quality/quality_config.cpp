// The [quality] section (see quality_config.h).

#include "quality/quality_config.h"

#include <algorithm>
#include <string>

namespace smelter {

namespace {

bool IsListRule(std::string_view name) { return name == "languages" || name == "required_metadata"; }

Status ReadList(const std::string& where, const toml::node& node, std::vector<std::string>* out) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return Status::InvalidArgument(where + ": expected a list of strings");
  for (const toml::node& item : *array) {
    auto v = item.value<std::string>();
    if (!v || v->empty()) return Status::InvalidArgument(where + ": expected a list of non-empty strings");
    out->push_back(*v);
  }
  return Status::OK();
}

Status ReadLimit(const std::string& where, const toml::node& node, double* out) {
  auto v = node.value<double>();  // toml++ converts integers too
  if (!v) return Status::InvalidArgument(where + ": expected a number");
  *out = *v;
  return Status::OK();
}

}  // namespace

Result<std::vector<QualityRule>> ParseQualityRules(const toml::table& section) {
  std::vector<QualityRule> rules;
  for (const auto& [key_node, node] : section) {
    QualityRule rule;
    rule.name = std::string(key_node.str());
    const std::string where = "quality." + rule.name;
    const auto& names = KnownRuleNames();
    if (std::find(names.begin(), names.end(), rule.name) == names.end()) {
      return Status::InvalidArgument(where + ": unknown quality rule");
    }
    const bool list = IsListRule(rule.name);
    if (const toml::table* table = node.as_table()) {
      for (const auto& [inner_key, inner] : *table) {
        const std::string k(inner_key.str());
        if (k == "action") {
          auto v = inner.value<std::string>();
          if (v && *v == "reject") rule.action = RuleAction::kReject;
          else if (v && *v == "warn") rule.action = RuleAction::kWarn;
          else return Status::InvalidArgument(where + ".action: expected \"reject\" or \"warn\"");
        } else if (k == "limit" && !list) {
          SMELTER_RETURN_IF_ERROR(ReadLimit(where + ".limit", inner, &rule.limit));
        } else if (k == "values" && list) {
          SMELTER_RETURN_IF_ERROR(ReadList(where + ".values", inner, &rule.values));
        } else {
          return Status::InvalidArgument(where + "." + k + ": unknown key (expected action and " +
                                         (list ? "values" : "limit") + ")");
        }
      }
      if (!list && !table->contains("limit")) return Status::InvalidArgument(where + ": limit is missing");
    } else if (list) {
      SMELTER_RETURN_IF_ERROR(ReadList(where, node, &rule.values));
    } else {
      SMELTER_RETURN_IF_ERROR(ReadLimit(where, node, &rule.limit));
    }
    if (Status st = ValidateRule(rule); !st.ok()) return Status::InvalidArgument("quality." + st.message());
    rules.push_back(std::move(rule));
  }
  const auto& names = KnownRuleNames();
  std::stable_sort(rules.begin(), rules.end(), [&](const QualityRule& a, const QualityRule& b) {
    return std::find(names.begin(), names.end(), a.name) < std::find(names.begin(), names.end(), b.name);
  });
  return rules;
}

}  // namespace smelter
