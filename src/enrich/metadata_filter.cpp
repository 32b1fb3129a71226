// Metadata filters (see metadata_filter.h).

#include "enrich/metadata_filter.h"

#include <cctype>
#include <cstdlib>
#include <optional>

#include "enrich/security_level.h"

namespace smelter {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::optional<double> ReadNumber(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front()))) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// "2024", "2024-05", "2024-05-01", "2024-05-01T10:00...": digits and the
// separators of ISO 8601 only, starting with a four-digit year and a dash
// (a bare year reads as a number instead).
bool LooksLikeDate(std::string_view s) {
  if (s.size() < 7 || s[4] != '-') return false;
  for (size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != ':' && c != 'T' && c != 'Z' && c != '+' &&
        c != '.')
      return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <typename T>
int Order(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// The order of `v` relative to the condition's value, or nullopt when they
// cannot be compared.
std::optional<int> CompareScalar(const nlohmann::json& v, const FilterCondition& c) {
  if (c.key == "security_level") {
    if (!v.is_string()) return std::nullopt;
    const auto have = ParseSecurityLevel(v.get<std::string>());
    const auto want = ParseSecurityLevel(c.value);
    if (!have || !want) return std::nullopt;
    return Order(static_cast<int>(*have), static_cast<int>(*want));
  }
  if (v.is_boolean()) {
    const std::string want = Lower(c.value);
    if (want != "true" && want != "false") return std::nullopt;
    return Order(v.get<bool>(), want == "true");
  }
  if (v.is_number()) {
    const auto want = ReadNumber(c.value);
    if (!want) return std::nullopt;
    return Order(v.get<double>(), *want);
  }
  if (!v.is_string()) return std::nullopt;
  const std::string have = v.get<std::string>();
  if (auto want = ReadNumber(c.value)) {
    if (auto h = ReadNumber(have)) return Order(*h, *want);
  }
  const bool year = c.value.size() == 4 && ReadNumber(c.value).has_value();  // created<=2024
  if ((LooksLikeDate(c.value) || year) && LooksLikeDate(have)) {
    return Order(have.substr(0, c.value.size()), c.value);
  }
  if (c.op == FilterOp::kEq || c.op == FilterOp::kNe) return Lower(have) == Lower(c.value) ? 0 : 1;
  return Order(have, c.value);
}

bool Holds(FilterOp op, std::optional<int> order) {
  if (!order) return op == FilterOp::kNe;
  switch (op) {
    case FilterOp::kEq: return *order == 0;
    case FilterOp::kNe: return *order != 0;
    case FilterOp::kLt: return *order < 0;
    case FilterOp::kLe: return *order <= 0;
    case FilterOp::kGt: return *order > 0;
    case FilterOp::kGe: return *order >= 0;
  }
  return false;
}

bool ConditionHolds(const nlohmann::json& metadata, const FilterCondition& c) {
  if (!metadata.is_object()) return c.op == FilterOp::kNe;
  const auto it = metadata.find(c.key);
  if (it == metadata.end() || it->is_null()) return c.op == FilterOp::kNe;
  if (it->is_array()) {
    if (c.op == FilterOp::kNe) {
      for (const auto& item : *it) {
        if (CompareScalar(item, c) == 0) return false;
      }
      return true;
    }
    for (const auto& item : *it) {
      if (Holds(c.op, CompareScalar(item, c))) return true;
    }
    return false;
  }
  return Holds(c.op, CompareScalar(*it, c));
}

}  // namespace

std::string_view FilterOpText(FilterOp op) {
  switch (op) {
    case FilterOp::kEq: return "=";
    case FilterOp::kNe: return "!=";
    case FilterOp::kLt: return "<";
    case FilterOp::kLe: return "<=";
    case FilterOp::kGt: return ">";
    case FilterOp::kGe: return ">=";
  }
  return "=";
}

std::string FilterCondition::ToString() const { return key + std::string(FilterOpText(op)) + value; }

void MetadataFilter::And(const MetadataFilter& other) {
  conditions_.insert(conditions_.end(), other.conditions_.begin(), other.conditions_.end());
}

bool MetadataFilter::Matches(const nlohmann::json& chunk_metadata) const {
  for (const FilterCondition& c : conditions_) {
    if (!ConditionHolds(chunk_metadata, c)) return false;
  }
  return true;
}

std::string MetadataFilter::ToString() const {
  std::string out;
  for (const FilterCondition& c : conditions_) {
    if (!out.empty()) out += " AND ";
    out += c.ToString();
  }
  return out;
}

Result<MetadataFilter> ParseFilter(std::string_view expression) {
  const std::string_view e = Trim(expression);
  size_t i = 0;
  while (i < e.size() && IsKeyChar(e[i])) ++i;
  const std::string_view key = Trim(e.substr(0, i));
  size_t j = i;
  while (j < e.size() && e[j] == ' ') ++j;
  if (key.empty()) return Status::InvalidArgument("filter \"" + std::string(e) + "\": expected KEY OP VALUE");
  FilterCondition c;
  c.key = std::string(key);
  const std::string_view rest = e.substr(j);
  size_t op_len = 0;
  if (rest.starts_with("<=")) c.op = FilterOp::kLe, op_len = 2;
  else if (rest.starts_with(">=")) c.op = FilterOp::kGe, op_len = 2;
  else if (rest.starts_with("!=")) c.op = FilterOp::kNe, op_len = 2;
  else if (rest.starts_with("==")) c.op = FilterOp::kEq, op_len = 2;
  else if (rest.starts_with("=")) c.op = FilterOp::kEq, op_len = 1;
  else if (rest.starts_with("<")) c.op = FilterOp::kLt, op_len = 1;
  else if (rest.starts_with(">")) c.op = FilterOp::kGt, op_len = 1;
  if (op_len == 0) {
    return Status::InvalidArgument("filter \"" + std::string(e) + "\": expected =, !=, <, <=, > or >= after \"" +
                                   c.key + "\"");
  }
  std::string_view value = Trim(rest.substr(op_len));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty()) return Status::InvalidArgument("filter \"" + std::string(e) + "\": value missing");
  c.value = std::string(value);
  if (c.key == "security_level" && !ParseSecurityLevel(c.value)) {
    return Status::InvalidArgument("filter \"" + std::string(e) +
                                   "\": security_level is one of public, internal, confidential, restricted");
  }
  MetadataFilter filter;
  filter.conditions_.push_back(std::move(c));
  return filter;
}

Result<MetadataFilter> ParseFilters(const std::vector<std::string>& expressions) {
  MetadataFilter all;
  for (const std::string& e : expressions) {
    auto one = ParseFilter(e);
    if (!one.ok()) return one.status();
    all.And(*one);
  }
  return all;
}

}  // namespace smelter
