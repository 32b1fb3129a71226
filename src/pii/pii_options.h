// PiiOptions from "key = value" settings (the [pii] section of
// smelter.toml), for the settings table to call once per key.
//
// Keys (values are strings unless noted):
//   policy          default policy of every type: "tag" | "mask" | "hash" | "keep"
//   policy_<type>   override for one type, e.g. policy_email = "hash";
//                   <type> is email, phone, ssn, card, iban, ip, credential,
//                   dob or name
//   types           comma-separated types to detect, or "all"
//   phone_region    ISO 3166 region for numbers written without +CC ("US")
//   salt_env        name of the environment variable holding the hash salt
//                   (the salt itself never goes into a config file)
// The on/off switch (pii.enabled) belongs to the pipeline, not here.
#pragma once

#include <string_view>

#include "core/status.h"
#include "pii/pii_redactor.h"

namespace smelter {

// Applies one setting. InvalidArgument naming the key (never a secret
// value) for an unknown key, type or policy, or an unset salt variable.
Status ApplyPiiSetting(std::string_view key, std::string_view value, PiiOptions* options);

}  // namespace smelter
