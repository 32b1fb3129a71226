#include "pii/pii_options.h"

#include <cstdlib>
#include <string>

namespace smelter {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<PiiPolicy> Policy(std::string_view key, std::string_view value) {
  if (std::optional<PiiPolicy> p = ParsePiiPolicy(value)) return *p;
  return Status::InvalidArgument("pii." + std::string(key) + ": expected tag, mask, hash or keep");
}

}  // namespace

Status ApplyPiiSetting(std::string_view key, std::string_view value, PiiOptions* options) {
  value = Trim(value);
  if (key == "policy") {
    Result<PiiPolicy> p = Policy(key, value);
    if (!p.ok()) return p.status();
    options->default_policy = *p;
    return Status::OK();
  }
  if (key.substr(0, 7) == "policy_") {
    std::optional<PiiType> type = ParsePiiType(key.substr(7));
    if (!type) return Status::InvalidArgument("pii." + std::string(key) + ": unknown PII type");
    Result<PiiPolicy> p = Policy(key, value);
    if (!p.ok()) return p.status();
    options->policy[static_cast<size_t>(*type)] = *p;
    return Status::OK();
  }
  if (key == "types") {
    if (value == "all") {
      options->enabled.fill(true);
      return Status::OK();
    }
    std::array<bool, kPiiTypeCount> enabled{};
    while (!value.empty()) {
      const size_t comma = value.find(',');
      std::string_view name = Trim(value.substr(0, comma));
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
      if (name.empty()) continue;
      std::optional<PiiType> type = ParsePiiType(name);
      if (!type) return Status::InvalidArgument("pii.types: unknown PII type \"" + std::string(name) + "\"");
      enabled[static_cast<size_t>(*type)] = true;
    }
    options->enabled = enabled;
    return Status::OK();
  }
  if (key == "phone_region") {
    options->default_region = std::string(value);
    return Status::OK();  // checked by PiiRedactor::Create against libphonenumber
  }
  if (key == "salt_env") {
    if (value.empty()) return Status::OK();
    const char* salt = std::getenv(std::string(value).c_str());
    if (!salt || !*salt) {
      return Status::InvalidArgument("pii.salt_env: environment variable " + std::string(value) + " is not set");
    }
    options->salt = salt;
    return Status::OK();
  }
  return Status::InvalidArgument("unknown setting pii." + std::string(key));
}

}  // namespace smelter
