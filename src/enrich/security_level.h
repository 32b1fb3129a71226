// Security levels of documents, ordered: public < internal < confidential
// < restricted. Every chunk carries its document's level, and search
// filters on it ("security_level<=internal").
#pragma once

#include <optional>
#include <string_view>

namespace smelter {

enum class SecurityLevel { kPublic = 0, kInternal = 1, kConfidential = 2, kRestricted = 3 };

std::string_view SecurityLevelName(SecurityLevel level);  // "public", ...

// Case-insensitive, surrounding white space ignored; nullopt for anything else.
std::optional<SecurityLevel> ParseSecurityLevel(std::string_view name);

}  // namespace smelter
