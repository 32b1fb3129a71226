// Security level decision (see security_policy.h).

#include "enrich/security_policy.h"

#include "enrich/path_glob.h"

namespace smelter {

const std::vector<PiiLevelRule>& DefaultPiiLevelRules() {
  static const std::vector<PiiLevelRule> kRules = {
      {"ssn", 1, SecurityLevel::kConfidential},        {"card", 1, SecurityLevel::kConfidential},
      {"iban", 1, SecurityLevel::kConfidential},       {"credential", 1, SecurityLevel::kConfidential},
      {"dob", 1, SecurityLevel::kConfidential},        {"email", 1, SecurityLevel::kInternal},
      {"phone", 1, SecurityLevel::kInternal},
  };
  return kRules;
}

SecurityDecision DecideSecurityLevel(const SecurityInputs& in, const SecurityPolicy& policy) {
  SecurityDecision d;
  d.level = policy.default_level;
  auto propose = [&](SecurityLevel level, std::string reason) {
    d.proposals.push_back(reason + " -> " + std::string(SecurityLevelName(level)));
    if (level > d.level) {  // strictly higher: on a tie the earlier source stays named
      d.level = level;
      d.reason = std::move(reason);
    }
  };
  for (const PathLevelRule& rule : policy.path_rules) {
    if (GlobMatch(rule.pattern, in.relative_path)) propose(rule.level, "path rule \"" + rule.pattern + "\"");
  }
  if (in.sidecar_level) propose(*in.sidecar_level, "sidecar security_level");
  for (const MarkerHit& hit : FindContentMarkers(in.text, policy.markers)) {
    propose(hit.marker->level,
            "content marker \"" + hit.marker->phrase + "\" (" + std::to_string(hit.count) + "x)");
  }
  if (in.pii_counts != nullptr) {
    for (const PiiLevelRule& rule : policy.pii_rules) {
      auto it = in.pii_counts->find(rule.pii_type);
      if (it == in.pii_counts->end() || it->second < rule.min_count) continue;
      propose(rule.level,
              "pii " + rule.pii_type + ": " + std::to_string(it->second) + " >= " + std::to_string(rule.min_count));
    }
  }
  return d;
}

}  // namespace smelter
