// Data-quality rules (see quality_rules.h).

#include "quality/quality_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace smelter {

namespace {

enum class Compare { kMin, kMax, kOther };

Compare CompareOf(std::string_view name) {
  if (name.starts_with("min_")) return Compare::kMin;
  if (name.starts_with("max_")) return Compare::kMax;
  return Compare::kOther;
}

std::string FormatNumber(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(std::llround(v)));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string JoinList(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "zh" allows CLD2's "zh-Hant"; comparison ignores case.
bool LanguageAllowed(const std::string& detected, const std::vector<std::string>& allowed) {
  const std::string d = Lower(detected);
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
    const std::string l = Lower(a);
    return d == l || (d.size() > l.size() && d.starts_with(l) && d[l.size()] == '-');
  });
}

}  // namespace

std::string_view RuleActionName(RuleAction action) {
  return action == RuleAction::kReject ? "reject" : "warn";
}

const std::vector<std::string_view>& KnownRuleNames() {
  static const std::vector<std::string_view> kNames = {
      "min_chars",          "min_words", "max_chars", "max_non_alpha_ratio", "max_repeated_line_ratio",
      "min_ocr_confidence", "languages", "required_metadata"};
  return kNames;
}

Status ValidateRule(const QualityRule& rule) {
  const auto& names = KnownRuleNames();
  if (std::find(names.begin(), names.end(), rule.name) == names.end()) {
    return Status::InvalidArgument("unknown quality rule \"" + rule.name + "\"");
  }
  if (rule.name == "languages" || rule.name == "required_metadata") {
    if (rule.values.empty()) return Status::InvalidArgument(rule.name + ": the list is empty");
    return Status::OK();
  }
  if (!std::isfinite(rule.limit) || rule.limit < 0) return Status::InvalidArgument(rule.name + ": limit must be >= 0");
  if (rule.name.ends_with("_ratio") && rule.limit > 1) {
    return Status::InvalidArgument(rule.name + ": a ratio limit must be in [0, 1]");
  }
  if (rule.name == "min_ocr_confidence" && rule.limit > 100) {
    return Status::InvalidArgument(rule.name + ": confidence is 0..100");
  }
  return Status::OK();
}

std::string RuleOutcome::Describe() const {
  if (rule == "languages") {
    return rule + ": " + measured + (passed ? " in " : " not in ") + limit;
  }
  if (rule == "required_metadata") {
    return passed ? rule + ": all of " + limit + " present" : rule + ": missing " + measured;
  }
  if (measured == "n/a") return rule + ": n/a";
  const Compare cmp = CompareOf(rule);
  const char* op = cmp == Compare::kMin ? (passed ? " >= " : " < ") : (passed ? " <= " : " > ");
  return rule + ": " + measured + op + limit;
}

std::vector<RuleOutcome> Evaluate(const QualityMeasures& m, const std::vector<QualityRule>& rules) {
  std::vector<RuleOutcome> out;
  out.reserve(rules.size());
  for (const QualityRule& rule : rules) {
    RuleOutcome o;
    o.rule = rule.name;
    o.action = rule.action;
    if (rule.name == "languages") {
      o.measured = m.language;
      o.limit = "[" + JoinList(rule.values) + "]";
      o.passed = LanguageAllowed(m.language, rule.values);
      o.measured_value = o.passed ? 0 : 1;
    } else if (rule.name == "required_metadata") {
      std::vector<std::string> missing;
      for (const std::string& key : rule.values) {
        if (!m.metadata_keys.count(key)) missing.push_back(key);
      }
      o.measured = JoinList(missing);
      o.limit = "[" + JoinList(rule.values) + "]";
      o.passed = missing.empty();
      o.measured_value = static_cast<double>(missing.size());
    } else {
      std::optional<double> value;
      if (rule.name == "min_chars" || rule.name == "max_chars") value = static_cast<double>(m.chars);
      else if (rule.name == "min_words") value = static_cast<double>(m.words);
      else if (rule.name == "max_non_alpha_ratio") value = m.non_alpha_ratio;
      else if (rule.name == "max_repeated_line_ratio") value = m.repeated_line_ratio;
      else if (rule.name == "min_ocr_confidence") value = m.ocr_confidence;  // absent: not OCR'd, passes
      o.limit = FormatNumber(rule.limit);
      if (!value) {
        o.measured = "n/a";
        o.passed = true;
      } else {
        o.measured_value = *value;
        o.measured = FormatNumber(*value);
        o.passed = CompareOf(rule.name) == Compare::kMin ? *value >= rule.limit : *value <= rule.limit;
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::string FailureReason(const std::vector<RuleOutcome>& outcomes) {
  std::string reason;
  for (const RuleOutcome& o : outcomes) {
    if (o.passed) continue;
    if (!reason.empty()) reason += "; ";
    reason += o.Describe();
    if (o.action == RuleAction::kWarn) reason += " (warn)";
  }
  return reason;
}

QualityVerdict Judge(const QualityMeasures& measures, const std::vector<QualityRule>& rules) {
  QualityVerdict v;
  v.outcomes = Evaluate(measures, rules);
  for (const RuleOutcome& o : v.outcomes) {
    if (o.passed) continue;
    if (o.action == RuleAction::kReject) ++v.failed_reject;
    else ++v.failed_warn;
  }
  v.rejected = v.failed_reject > 0;
  v.reason = FailureReason(v.outcomes);
  return v;
}

}  // namespace smelter
