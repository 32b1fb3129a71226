#include "eval/retrieval_metrics.h"

#include <algorithm>
#include <cmath>

namespace smelter {

RetrievalMetrics ScoreQuery(const std::vector<std::string>& ranking, const std::map<std::string, int>& relevant) {
  RetrievalMetrics m;
  if (relevant.empty()) return m;
  double dcg = 0;
  size_t found10 = 0, found100 = 0;
  for (size_t i = 0; i < ranking.size() && i < 100; ++i) {
    auto it = relevant.find(ranking[i]);
    if (it == relevant.end()) continue;
    if (i < 10) {
      dcg += it->second / std::log2(static_cast<double>(i) + 2);
      ++found10;
      if (m.mrr_at_10 == 0) m.mrr_at_10 = 1.0 / static_cast<double>(i + 1);
    }
    ++found100;
  }
  std::vector<int> grades;
  for (const auto& [id, grade] : relevant) grades.push_back(grade);
  std::sort(grades.rbegin(), grades.rend());
  double ideal = 0;
  for (size_t i = 0; i < grades.size() && i < 10; ++i) ideal += grades[i] / std::log2(static_cast<double>(i) + 2);
  m.ndcg_at_10 = ideal > 0 ? dcg / ideal : 0;
  m.recall_at_10 = static_cast<double>(found10) / static_cast<double>(relevant.size());
  m.recall_at_100 = static_cast<double>(found100) / static_cast<double>(relevant.size());
  return m;
}

RetrievalMetrics MeanMetrics(const std::vector<RetrievalMetrics>& per_query) {
  RetrievalMetrics mean;
  if (per_query.empty()) return mean;
  for (const auto& m : per_query) {
    mean.ndcg_at_10 += m.ndcg_at_10;
    mean.recall_at_10 += m.recall_at_10;
    mean.recall_at_100 += m.recall_at_100;
    mean.mrr_at_10 += m.mrr_at_10;
  }
  double n = static_cast<double>(per_query.size());
  mean.ndcg_at_10 /= n;
  mean.recall_at_10 /= n;
  mean.recall_at_100 /= n;
  mean.mrr_at_10 /= n;
  return mean;
}

}  // namespace smelter
