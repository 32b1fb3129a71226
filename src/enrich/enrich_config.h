// The [enrich] section of smelter.toml -> EnrichOptions.
//
//   [enrich]
//   default_security_level = "public"
//
//   [enrich.path_tags]            # glob -> tags; every matching rule adds
//   "finance/**" = ["finance"]
//   "**/board/*.pdf" = ["board", "finance"]
//
//   [enrich.path_security]        # glob -> level; the highest match counts
//   "hr/**" = "confidential"
//
//   [enrich.markers]              # replaces the default content markers
//   "CONFIDENTIAL" = "confidential"
//   "internal use only" = "internal"
//
//   [enrich.pii_security]         # replaces the default PII rules
//   ssn = "confidential"
//   email = { level = "internal", min_count = 3 }
//
// An unknown key, an unknown level or a wrong type is an InvalidArgument
// naming "enrich.<key>".
#pragma once

#include <toml++/toml.h>

#include "core/status.h"
#include "enrich/enricher.h"

namespace smelter {

Result<EnrichOptions> ParseEnrichOptions(const toml::table& section);

}  // namespace smelter
