// Metadata filters for search: `--filter security_level<=internal
// --filter language=en --filter tags=finance`.
//
// One expression is KEY OP VALUE with OP one of = (or ==), !=, <, <=, >, >=.
// Several filters are ANDed. A chunk's metadata (a JSON object) matches a
// condition when:
//   - security_level: levels compare in order public < internal <
//     confidential < restricted (an unknown level in the chunk never
//     matches, except for !=);
//   - numbers (a JSON number, or a string and a value that both read fully
//     as numbers) compare numerically;
//   - dates: when the chunk's value is an ISO date and the filter's value
//     is one too, or a year ("2024", "2024-05",
//     "2024-05-01", "2024-05-01T10:00"), the chunk's string is cut to the
//     value's length and compared as text, so the filter's precision rules:
//     created>=2024-05 matches "2024-05-17T09:00:00Z"; time zones are not
//     converted;
//   - other strings: = and != ignore ASCII case; ordering is by text;
//   - lists (tags): = and the orderings hold when any element matches,
//     != when no element equals the value;
//   - a missing key or null matches only !=.
//
// Thread-safe once built (Matches is const).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace smelter {

enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe };

std::string_view FilterOpText(FilterOp op);  // "=", "!=", "<", ...

struct FilterCondition {
  std::string key;
  FilterOp op = FilterOp::kEq;
  std::string value;
  std::string ToString() const;  // "security_level<=internal"
};

class MetadataFilter {
 public:
  // Matches everything.
  MetadataFilter() = default;

  bool empty() const { return conditions_.empty(); }
  const std::vector<FilterCondition>& conditions() const { return conditions_; }

  // Adds `other`'s conditions (AND).
  void And(const MetadataFilter& other);

  // True when every condition holds for `chunk_metadata` (a JSON object;
  // anything else has no keys).
  bool Matches(const nlohmann::json& chunk_metadata) const;

  // "security_level<=internal AND language=en"; "" when empty.
  std::string ToString() const;

 private:
  friend Result<MetadataFilter> ParseFilter(std::string_view expression);
  std::vector<FilterCondition> conditions_;
};

// One expression. InvalidArgument for a missing key, operator or value, a
// key with characters other than letters, digits, '_', '.', '-', or an
// unknown level in a security_level condition. Values may be quoted ('a b').
Result<MetadataFilter> ParseFilter(std::string_view expression);

// Several expressions, ANDed (the repeated --filter flag).
Result<MetadataFilter> ParseFilters(const std::vector<std::string>& expressions);

}  // namespace smelter
