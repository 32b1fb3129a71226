// Glob matching (see path_glob.h).

#include "enrich/path_glob.h"

#include <fnmatch.h>

#include <string>
#include <vector>

namespace smelter {

namespace {

std::vector<std::string> Segments(std::string_view s, bool backslash_is_slash) {
  std::string path(s);
  if (backslash_is_slash) {
    for (char& c : path) {
      if (c == '\\') c = '/';
    }
  }
  std::string_view v(path);
  while (v.starts_with("./")) v.remove_prefix(2);
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find('/', start);
    if (end == std::string_view::npos) end = v.size();
    if (end > start) out.emplace_back(v.substr(start, end - start));  // "a//b" and a leading '/' add nothing
    start = end + 1;
  }
  return out;
}

bool MatchFrom(const std::vector<std::string>& pattern, size_t i, const std::vector<std::string>& path, size_t j) {
  if (i == pattern.size()) return j == path.size();
  if (pattern[i] == "**") {
    for (size_t k = j; k <= path.size(); ++k) {
      if (MatchFrom(pattern, i + 1, path, k)) return true;
    }
    return false;
  }
  if (j == path.size()) return false;
  return fnmatch(pattern[i].c_str(), path[j].c_str(), 0) == 0 && MatchFrom(pattern, i + 1, path, j + 1);
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  // In a pattern '\' escapes (fnmatch); only the path's backslashes are separators.
  const std::vector<std::string> p = Segments(pattern, false);
  const std::vector<std::string> s = Segments(path, true);
  if (p.empty()) return false;
  if (pattern.find('/') == std::string_view::npos) {
    return !s.empty() && (p[0] == "**" || fnmatch(p[0].c_str(), s.back().c_str(), 0) == 0);
  }
  return MatchFrom(p, 0, s, 0);
}

}  // namespace smelter
