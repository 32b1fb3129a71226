// Security levels (see security_level.h).

#include "enrich/security_level.h"

#include <cctype>
#include <string>

namespace smelter {

std::string_view SecurityLevelName(SecurityLevel level) {
  switch (level) {
    case SecurityLevel::kPublic: return "public";
    case SecurityLevel::kInternal: return "internal";
    case SecurityLevel::kConfidential: return "confidential";
    case SecurityLevel::kRestricted: return "restricted";
  }
  return "public";
}

std::optional<SecurityLevel> ParseSecurityLevel(std::string_view name) {
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (SecurityLevel level : {SecurityLevel::kPublic, SecurityLevel::kInternal, SecurityLevel::kConfidential,
                              SecurityLevel::kRestricted}) {
    if (lower == SecurityLevelName(level)) return level;
  }
  return std::nullopt;
}

}  // namespace smelter
