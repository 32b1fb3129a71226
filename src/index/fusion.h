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

// Weighted sum of normalized scores ("convex combination"):
//   score(label) = sum over lists of weight * normalized score,
// where a keyword list (`bounded` false) is divided by its best score, so
// its top hit counts 1, and a similarity list (`bounded` true, scores are
// cosines in [-1, 1]) is taken as is, clamped at 0. A label absent from a
// list gets 0 from it. Unlike rank fusion this keeps the margins: a keyword
// hit far ahead of the rest is not overtaken by documents that are merely
// middling in both lists, and vectors that are only weakly similar (low
// cosines, as from a model-free embedder) move the ranking little.
// Returns up to `limit` pairs, best first; ties broken by label.
struct ScoredList {
  std::vector<std::pair<uint64_t, float>> hits;  // best first
  float weight = 1.0f;
  bool bounded = false;  // scores are cosine similarities
};
std::vector<std::pair<uint64_t, float>> WeightedScoreFusion(const std::vector<ScoredList>& lists,
                                                            size_t limit);

}  // namespace smelter
