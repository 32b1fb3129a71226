// The [quality] section of smelter.toml -> the list of rules.
//
//   [quality]
//   min_words = 20                                  # a number: action "reject"
//   max_non_alpha_ratio = { limit = 0.6, action = "warn" }
//   languages = ["en", "de"]                        # a list: action "reject"
//   required_metadata = { values = ["author"], action = "warn" }
//   min_ocr_confidence = { limit = 60, action = "reject" }
//
// Rules are kept in KnownRuleNames() order, whatever the file's order, so
// reports are stable. An unknown rule, an unknown key inside a rule table,
// a wrong type or a limit out of range (ValidateRule) is an
// InvalidArgument naming "quality.<rule>". An absent section means no
// rules: every document passes.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "core/status.h"
#include "quality/quality_rules.h"

namespace smelter {

Result<std::vector<QualityRule>> ParseQualityRules(const toml::table& section);

}  // namespace smelter
