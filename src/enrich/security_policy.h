// Deciding a document's security level, and recording why.
//
// Four sources each propose a level; the highest wins:
//   1. path rules: every rule whose glob (path_glob.h) matches the
//      document's path relative to its source;
//   2. the sidecar's "security_level" attribute;
//   3. content markers in the text (content_markers.h);
//   4. PII counts from redaction (pii/pii_redactor.h type names: "ssn",
//      "card", "iban", "credential", "dob", "email", "phone", ...): a rule
//      applies when its type was found at least `min_count` times.
// and the policy's default is the floor. On a tie the earlier source in
// this list is named, so a configured rule explains the level when it can.
//
// Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enrich/content_markers.h"
#include "enrich/security_level.h"

namespace smelter {

struct PathLevelRule {
  std::string pattern;  // glob over the relative path
  SecurityLevel level = SecurityLevel::kInternal;
};

struct PiiLevelRule {
  std::string pii_type;  // "ssn", "email", ...
  int min_count = 1;
  SecurityLevel level = SecurityLevel::kConfidential;
};

// ssn, card, iban, credential, dob -> confidential; email, phone -> internal.
const std::vector<PiiLevelRule>& DefaultPiiLevelRules();

struct SecurityPolicy {
  SecurityLevel default_level = SecurityLevel::kPublic;
  std::vector<PathLevelRule> path_rules;
  std::vector<ContentMarker> markers = DefaultContentMarkers();
  std::vector<PiiLevelRule> pii_rules = DefaultPiiLevelRules();
};

struct SecurityDecision {
  SecurityLevel level = SecurityLevel::kPublic;
  // The source that set the level: "default", "path rule \"hr/**\"",
  // "sidecar security_level", "content marker \"CONFIDENTIAL\" (2x)",
  // "pii ssn: 3 >= 1".
  std::string reason = "default";
  // Every source that proposed a level, as "<reason> -> <level>", in the
  // order above (for `smelter show`).
  std::vector<std::string> proposals;
};

struct SecurityInputs {
  std::string_view relative_path;
  std::optional<SecurityLevel> sidecar_level;
  std::string_view text;                              // the document's text, for markers
  const std::map<std::string, int>* pii_counts = nullptr;
};

SecurityDecision DecideSecurityLevel(const SecurityInputs& inputs, const SecurityPolicy& policy);

}  // namespace smelter
