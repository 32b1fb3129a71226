// The [clean] section of smelter.toml -> CleanOptions.
//
//   [clean]
//   repair_mojibake = true
//   remove_control_chars = true
//   nfkc = true
//   normalize_whitespace = true
//   join_hyphenation = true
//   remove_repeated_lines = true
//   repeated_line_min_pages = 3
//   repeated_line_min_page_fraction = 0.5
//   boilerplate_max_line_chars = 200
//
// Missing keys keep their defaults; an unknown key or a value of the wrong
// type is an InvalidArgument naming the key.
#pragma once

#include <toml++/toml.h>

#include "clean/cleaner.h"
#include "core/status.h"

namespace smelter {

Result<CleanOptions> ParseCleanOptions(const toml::table& section);

}  // namespace smelter
