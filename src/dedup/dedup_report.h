// Human-readable listing of duplicate clusters: what `smelter dedup`
// prints. One block per cluster, canonical first:
//
//   cluster 1: 3 documents, canonical 3f2a...  (policy newest)
//     * 3f2a...   canonical   1520 words  modified 2026-11-20 10:04
//       9c01...   exact       1520 words  modified 2026-11-02 08:00
//       77be...   near 0.91   1498 words  modified 2026-10-30 17:45
//
// (each line followed by the document's name when `name_of` is given)
// then a summary line (documents, clusters, duplicates).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "dedup/dedup_index.h"

namespace smelter::dedup {

// Modified times are printed as UTC dates when they look like Unix
// seconds, else as numbers.
void PrintClusters(const std::vector<DedupCluster>& clusters, int64_t total_documents, CanonicalPolicy policy,
                   std::ostream& out,
                   const std::function<std::string(const std::string& id)>& name_of = nullptr);

}  // namespace smelter::dedup
