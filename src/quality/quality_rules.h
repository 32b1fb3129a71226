// Declarative data-quality rules and their evaluation.
//
// A rule names one measure (see quality_measures.h), a limit and an action:
//   min_chars, min_words            fail when the measure is below the limit
//   max_chars, max_non_alpha_ratio,
//   max_repeated_line_ratio         fail when the measure is above the limit
//   min_ocr_confidence              fail when below; documents without an
//                                   OCR confidence (not OCR'd) pass
//   languages                       fail when the detected language is not
//                                   in `values`; an unknown language ("un")
//                                   fails unless "un" is listed
//   required_metadata               fail when a key in `values` is missing
// Action kReject quarantines the document, kWarn only reports.
//
// Evaluation is a pure function of measures and rules, so `smelter quality`
// can re-judge stored measures under new rules without re-extracting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "quality/quality_measures.h"

namespace smelter {

enum class RuleAction { kReject, kWarn };

std::string_view RuleActionName(RuleAction action);  // "reject", "warn"

struct QualityRule {
  std::string name;                   // one of KnownRuleNames()
  RuleAction action = RuleAction::kReject;
  double limit = 0;                   // numeric rules
  std::vector<std::string> values;    // languages, required_metadata
};

// The rule names above, in the order reports list them.
const std::vector<std::string_view>& KnownRuleNames();

// Checks a rule for a known name, a limit that makes sense (ratios in
// [0, 1], counts >= 0, confidence in [0, 100]) and a non-empty value list.
Status ValidateRule(const QualityRule& rule);

struct RuleOutcome {
  std::string rule;
  RuleAction action = RuleAction::kReject;
  bool passed = true;
  double measured_value = 0;  // numeric rules; languages/metadata: 0 or the missing count
  std::string measured;       // as shown: "3", "0.62", "xx", "n/a"
  std::string limit;          // as shown: "20", "0.5", "[en, de]"
  // "min_words: 3 < 20", "languages: xx not in [en, de]",
  // "required_metadata: missing author, created"; for a passed rule, the
  // same with the comparison that held.
  std::string Describe() const;
};

// One outcome per rule, in the rules' order.
std::vector<RuleOutcome> Evaluate(const QualityMeasures& measures, const std::vector<QualityRule>& rules);

struct QualityVerdict {
  bool rejected = false;              // some kReject rule failed
  int failed_reject = 0;
  int failed_warn = 0;
  std::vector<RuleOutcome> outcomes;
  // Every failed rule, "; "-separated, warn rules marked " (warn)":
  // "min_words: 3 < 20; languages: xx not in [en, de]". Empty when all pass.
  std::string reason;
};

QualityVerdict Judge(const QualityMeasures& measures, const std::vector<QualityRule>& rules);

// The reason text of a list of outcomes (as QualityVerdict::reason).
std::string FailureReason(const std::vector<RuleOutcome>& outcomes);

}  // namespace smelter
