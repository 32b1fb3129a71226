// The quality report (see quality_report.h).

#include "quality/quality_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace smelter {

namespace {

struct FailCounts {
  int reject = 0;
  int warn = 0;
};

FailCounts CountFailures(const DocumentQuality& d) {
  FailCounts c;
  for (const RuleOutcome& o : d.outcomes) {
    if (o.passed) continue;
    if (o.action == RuleAction::kReject) ++c.reject;
    else ++c.warn;
  }
  return c;
}

// Titles come from documents: keep the report one line per document.
std::string OneLine(std::string_view s, size_t max_bytes) {
  std::string out;
  for (char c : s) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (out.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    out.resize(cut);
    out += "...";
  }
  return out;
}

}  // namespace

void QualityReport::Add(DocumentQuality document) { documents_.push_back(std::move(document)); }

int QualityReport::rejected() const {
  return static_cast<int>(std::count_if(documents_.begin(), documents_.end(),
                                        [](const DocumentQuality& d) { return CountFailures(d).reject > 0; }));
}

int QualityReport::warned_only() const {
  return static_cast<int>(std::count_if(documents_.begin(), documents_.end(), [](const DocumentQuality& d) {
    const FailCounts c = CountFailures(d);
    return c.reject == 0 && c.warn > 0;
  }));
}

std::vector<RuleTally> QualityReport::Tallies() const {
  std::vector<RuleTally> tallies;
  for (const DocumentQuality& d : documents_) {
    for (const RuleOutcome& o : d.outcomes) {
      auto it = std::find_if(tallies.begin(), tallies.end(),
                             [&](const RuleTally& t) { return t.rule == o.rule && t.action == o.action; });
      if (it == tallies.end()) {
        tallies.push_back({o.rule, o.action, 0, 0});
        it = tallies.end() - 1;
      }
      (o.passed ? it->passed : it->failed) += 1;
    }
  }
  return tallies;
}

std::vector<const DocumentQuality*> QualityReport::Worst(size_t limit) const {
  std::vector<const DocumentQuality*> failing;
  for (const DocumentQuality& d : documents_) {
    const FailCounts c = CountFailures(d);
    if (c.reject + c.warn > 0) failing.push_back(&d);
  }
  std::stable_sort(failing.begin(), failing.end(), [](const DocumentQuality* a, const DocumentQuality* b) {
    const FailCounts ca = CountFailures(*a), cb = CountFailures(*b);
    if (ca.reject != cb.reject) return ca.reject > cb.reject;
    if (ca.warn != cb.warn) return ca.warn > cb.warn;
    return a->measures.words < b->measures.words;
  });
  if (failing.size() > limit) failing.resize(limit);
  return failing;
}

std::string QualityReport::RenderText(size_t worst) const {
  std::ostringstream out;
  const int rej = rejected(), warn = warned_only();
  out << "Documents: " << documents() << "   passed: " << documents() - rej - warn << "   rejected: " << rej
      << "   warnings only: " << warn << "\n";
  const std::vector<RuleTally> tallies = Tallies();
  if (!tallies.empty()) {
    char line[160];
    std::snprintf(line, sizeof line, "%-26s %-7s %8s %8s\n", "rule", "action", "passed", "failed");
    out << line;
    for (const RuleTally& t : tallies) {
      std::snprintf(line, sizeof line, "%-26s %-7s %8d %8d\n", t.rule.c_str(),
                    std::string(RuleActionName(t.action)).c_str(), t.passed, t.failed);
      out << line;
    }
  }
  const std::vector<const DocumentQuality*> bad = Worst(worst);
  if (!bad.empty()) {
    out << "Worst documents:\n";
    for (const DocumentQuality* d : bad) {
      out << "  " << d->doc_id;
      if (!d->title.empty()) out << "  \"" << OneLine(d->title, 60) << "\"";
      out << "  " << FailureReason(d->outcomes) << "\n";
    }
  }
  return out.str();
}

nlohmann::json QualityReport::ToJson(size_t worst) const {
  nlohmann::json j;
  const int rej = rejected(), warn = warned_only();
  j["documents"] = documents();
  j["passed"] = documents() - rej - warn;
  j["rejected"] = rej;
  j["warned"] = warn;
  j["rules"] = nlohmann::json::array();
  for (const RuleTally& t : Tallies()) {
    j["rules"].push_back(
        {{"rule", t.rule}, {"action", RuleActionName(t.action)}, {"passed", t.passed}, {"failed", t.failed}});
  }
  j["worst"] = nlohmann::json::array();
  for (const DocumentQuality* d : Worst(worst)) {
    nlohmann::json failed = nlohmann::json::array();
    for (const RuleOutcome& o : d->outcomes) {
      if (o.passed) continue;
      failed.push_back({{"rule", o.rule}, {"action", RuleActionName(o.action)}, {"measured", o.measured},
                        {"limit", o.limit}});
    }
    j["worst"].push_back({{"doc_id", d->doc_id},
                          {"title", d->title},
                          {"reason", FailureReason(d->outcomes)},
                          {"language", d->measures.language},
                          {"words", d->measures.words},
                          {"chars", d->measures.chars},
                          {"failed", std::move(failed)}});
  }
  return j;
}

}  // namespace smelter
