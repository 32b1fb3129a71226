#include "eval/retrieval_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace smelter {
namespace {

TEST(RetrievalMetrics, PerfectAndEmptyRankings) {
  std::map<std::string, int> rel = {{"a", 2}, {"b", 1}};
  RetrievalMetrics perfect = ScoreQuery({"a", "b", "c"}, rel);
  EXPECT_DOUBLE_EQ(perfect.ndcg_at_10, 1.0);
  EXPECT_DOUBLE_EQ(perfect.recall_at_10, 1.0);
  EXPECT_DOUBLE_EQ(perfect.mrr_at_10, 1.0);
  RetrievalMetrics none = ScoreQuery({"x", "y"}, rel);
  EXPECT_DOUBLE_EQ(none.ndcg_at_10, 0.0);
  EXPECT_DOUBLE_EQ(none.mrr_at_10, 0.0);
}

TEST(RetrievalMetrics, KnownValues) {
  std::map<std::string, int> rel = {{"a", 1}};
  // Relevant at rank 3: DCG = 1/log2(4) = 0.5, ideal 1; MRR 1/3.
  RetrievalMetrics m = ScoreQuery({"x", "y", "a"}, rel);
  EXPECT_NEAR(m.ndcg_at_10, 0.5, 1e-12);
  EXPECT_NEAR(m.mrr_at_10, 1.0 / 3, 1e-12);
  // Rank 11: outside @10, inside @100.
  std::vector<std::string> ranking;
  for (int i = 0; i < 10; ++i) ranking.push_back(std::string(1, 'n').append(std::to_string(i)));
  ranking.push_back("a");
  RetrievalMetrics late = ScoreQuery(ranking, rel);
  EXPECT_EQ(late.recall_at_10, 0.0);
  EXPECT_EQ(late.recall_at_100, 1.0);
  EXPECT_EQ(late.mrr_at_10, 0.0);
  // Graded: swapping a grade-2 and a grade-1 document lowers nDCG.
  std::map<std::string, int> graded = {{"a", 2}, {"b", 1}};
  EXPECT_LT(ScoreQuery({"b", "a"}, graded).ndcg_at_10, ScoreQuery({"a", "b"}, graded).ndcg_at_10);
  RetrievalMetrics one;
  one.ndcg_at_10 = 1.0;
  RetrievalMetrics mean = MeanMetrics({one, RetrievalMetrics{}});
  EXPECT_DOUBLE_EQ(mean.ndcg_at_10, 0.5);
}

}  // namespace
}  // namespace smelter
