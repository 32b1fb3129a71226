// Glob patterns over '/'-separated relative paths, for path-based tags and
// security levels.
//
// Within one path segment, fnmatch(3) rules apply ("*", "?", "[a-z]"), and
// like FNM_PATHNAME no wildcard crosses a '/'. A whole segment "**" matches
// zero or more segments: "finance/**" matches "finance/q3.pdf" and
// "finance/2024/q3.pdf"; "**/drafts/*" matches "drafts/a" and "x/y/drafts/a".
// A pattern without a '/' matches the file name in any folder ("*.pdf"), as
// in .gitignore. Matching is case-sensitive; a leading "./" or "/" is
// ignored on both sides, and '\' in a path counts as '/'.
//
// Thread-safe.
#pragma once

#include <string_view>

namespace smelter {

bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace smelter
