// The report of `smelter quality`: how the rules judged a set of documents.
//
// The caller adds one DocumentQuality per document (measures and outcomes,
// fresh from Judge or re-evaluated from stored measures); the report counts
// passes and failures per rule and ranks the worst documents: most failed
// reject rules first, then most failed warn rules, then fewest words.
//
// Not thread-safe: fill it from one thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quality/quality_measures.h"
#include "quality/quality_rules.h"

namespace smelter {

struct DocumentQuality {
  std::string doc_id;
  std::string title;
  QualityMeasures measures;
  std::vector<RuleOutcome> outcomes;  // as Evaluate() returns them
};

struct RuleTally {
  std::string rule;
  RuleAction action = RuleAction::kReject;
  int passed = 0;
  int failed = 0;
};

class QualityReport {
 public:
  void Add(DocumentQuality document);

  int documents() const { return static_cast<int>(documents_.size()); }
  int rejected() const;       // documents with a failed reject rule
  int warned_only() const;    // documents with failed warn rules only
  // One tally per (rule, action), in the order rules were first seen.
  std::vector<RuleTally> Tallies() const;
  // The `limit` worst documents with at least one failed rule.
  std::vector<const DocumentQuality*> Worst(size_t limit) const;

  // Plain text for a terminal:
  //   Documents: 12   passed: 9   rejected: 2   warnings only: 1
  //   rule                     action   passed  failed
  //   min_words                reject       10       2
  //   ...
  //   Worst documents:
  //     <id>  "<title>"  min_words: 3 < 20; languages: xx not in [en, de]
  std::string RenderText(size_t worst = 10) const;

  // {"documents": n, "passed": n, "rejected": n, "warned": n,
  //  "rules": [{"rule", "action", "passed", "failed"}...],
  //  "worst": [{"doc_id", "title", "reason", "language", "words", "chars",
  //             "failed": [{"rule", "action", "measured", "limit"}...]}...]}
  nlohmann::json ToJson(size_t worst = 10) const;

 private:
  std::vector<DocumentQuality> documents_;
};

}  // namespace smelter
