// Reciprocal-rank fusion of several ranked lists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace smelter {

struct RankedList {
  std::vector<std::pair<uint64_t, float>> hits;  // best first
  float weight = 1.0f;
};

// score(label) = sum over lists of weight / (k + rank), rank starting at 1.
// Returns up to `limit` (label, fused score) pairs, best first; ties broken
// by label for determinism.
std::vector<std::pair<uint64_t, float>> ReciprocalRankFusion(const std::vector<RankedList>& lists,
                                                             int k, size_t limit);

}  // namespace smelter
