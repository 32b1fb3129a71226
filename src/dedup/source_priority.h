// Source priority for the "priority" canonical policy (dedup_index.h):
// which copy of a document is the one to keep, by where it came from.
//
// Rules come from [dedup.path_priority] in smelter.toml, a table of path
// glob (enrich/path_glob.h) -> integer, e.g.
//   "**/published/**" = 10
//   "*.pdf" = 5
//   "**/drafts/**" = -10
// A document's priority is the highest value among the rules that match
// any of its sources (a document is one set of bytes, possibly ingested
// from several paths); 0 when none matches. A document found inside
// another is matched by its source URI ("/x/mail.eml!/report.pdf"), so
// rules on the parent's folder and on the member's name both apply.
// Thread-safe: no state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace smelter::dedup {

struct PathPriorityRule {
  std::string pattern;  // glob over the source path
  int64_t priority = 0;
};

int64_t SourcePriority(const std::vector<PathPriorityRule>& rules, const std::vector<std::string>& paths);

}  // namespace smelter::dedup
