#include "dedup/source_priority.h"

#include <algorithm>
#include <optional>

#include "enrich/path_glob.h"

namespace smelter::dedup {

int64_t SourcePriority(const std::vector<PathPriorityRule>& rules, const std::vector<std::string>& paths) {
  // The highest matching value, not the first: TOML tables have no order
  // that survives parsing, so "first" would not be well defined.
  std::optional<int64_t> best;
  for (const PathPriorityRule& rule : rules)
    for (const std::string& path : paths)
      if (GlobMatch(rule.pattern, path)) best = std::max(best.value_or(rule.priority), rule.priority);
  return best.value_or(0);
}

}  // namespace smelter::dedup
