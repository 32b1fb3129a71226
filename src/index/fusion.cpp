#include "index/fusion.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace smelter {

std::vector<std::pair<uint64_t, float>> ReciprocalRankFusion(const std::vector<RankedList>& lists,
                                                             int k, size_t limit) {
  std::vector<std::pair<uint64_t, float>> fused;
  if (limit == 0) return fused;
  // A negative k would give ranks near -k infinite or negative weight.
  const double offset = std::max(k, 0);
  std::unordered_map<uint64_t, double> scores;
  std::unordered_set<uint64_t> seen;
  for (const RankedList& list : lists) {
    seen.clear();
    for (size_t rank = 1; rank <= list.hits.size(); ++rank) {
      const uint64_t label = list.hits[rank - 1].first;
      // A label listed twice counts once, at its best rank.
      if (!seen.insert(label).second) continue;
      scores[label] += list.weight / (offset + static_cast<double>(rank));
    }
  }
  std::vector<std::pair<uint64_t, double>> ranked(scores.begin(), scores.end());
  auto better = [](const std::pair<uint64_t, double>& a, const std::pair<uint64_t, double>& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  };
  const size_t n = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    better);
  fused.reserve(n);
  for (size_t i = 0; i < n; ++i)
    fused.emplace_back(ranked[i].first, static_cast<float>(ranked[i].second));
  return fused;
}

std::vector<std::pair<uint64_t, float>> WeightedScoreFusion(const std::vector<ScoredList>& lists,
                                                            size_t limit) {
  std::unordered_map<uint64_t, float> fused;
  for (const ScoredList& list : lists) {
    if (list.hits.empty()) continue;
    float scale = 1.0f;
    if (!list.bounded) {
      float best = 0;
      for (const auto& hit : list.hits) best = std::max(best, hit.second);
      if (best <= 0) continue;
      scale = 1.0f / best;
    }
    for (const auto& [label, score] : list.hits) {
      float normalized = std::max(0.0f, score * scale);
      fused[label] += list.weight * normalized;
    }
  }
  std::vector<std::pair<uint64_t, float>> out(fused.begin(), fused.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace smelter
