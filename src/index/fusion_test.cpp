#include "index/fusion.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

using Hits = std::vector<std::pair<uint64_t, float>>;

TEST(FusionTest, SumsWeightedReciprocalRanks) {
  // Scores inside the lists do not matter, only ranks.
  RankedList vector_hits{{{10, 0.9f}, {20, 0.8f}, {30, 0.1f}}, 1.0f};
  RankedList keyword_hits{{{20, 12.0f}, {40, 11.0f}}, 1.0f};
  Hits fused = ReciprocalRankFusion({vector_hits, keyword_hits}, 60, 10);
  ASSERT_EQ(fused.size(), 4u);
  EXPECT_EQ(fused[0].first, 20u);  // in both lists
  EXPECT_FLOAT_EQ(fused[0].second, 1.0f / 62 + 1.0f / 61);
  EXPECT_EQ(fused[1].first, 10u);
  EXPECT_FLOAT_EQ(fused[1].second, 1.0f / 61);
  EXPECT_EQ(fused[2].first, 40u);
  EXPECT_FLOAT_EQ(fused[2].second, 1.0f / 62);
  EXPECT_EQ(fused[3].first, 30u);
  EXPECT_FLOAT_EQ(fused[3].second, 1.0f / 63);
}

TEST(FusionTest, WeightsScaleContributions) {
  RankedList a{{{1, 0}}, 1.0f};
  RankedList b{{{2, 0}}, 3.0f};
  Hits fused = ReciprocalRankFusion({a, b}, 0, 10);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_EQ(fused[0].first, 2u);
  EXPECT_FLOAT_EQ(fused[0].second, 3.0f);
  EXPECT_FLOAT_EQ(fused[1].second, 1.0f);
}

TEST(FusionTest, TiesBrokenByLabelAndLimitApplied) {
  RankedList a{{{7, 0}, {5, 0}}, 1.0f};
  RankedList b{{{5, 0}, {7, 0}}, 1.0f};
  RankedList c{{{9, 0}}, 1.0f};
  Hits fused = ReciprocalRankFusion({a, b, c}, 60, 10);
  ASSERT_EQ(fused.size(), 3u);
  EXPECT_EQ(fused[0].first, 5u);  // 5 and 7 tie: lower label first
  EXPECT_EQ(fused[1].first, 7u);
  EXPECT_FLOAT_EQ(fused[0].second, fused[1].second);
  EXPECT_EQ(fused[2].first, 9u);  // rank 1, but in one list only
  EXPECT_EQ(ReciprocalRankFusion({a, b, c}, 60, 1), (Hits{fused[0]}));
  EXPECT_TRUE(ReciprocalRankFusion({a, b, c}, 60, 0).empty());
}

TEST(FusionTest, EmptyAndDuplicateInputs) {
  EXPECT_TRUE(ReciprocalRankFusion({}, 60, 10).empty());
  EXPECT_TRUE(ReciprocalRankFusion({RankedList{}}, 60, 10).empty());
  // A label repeated within one list counts once, at its best rank.
  RankedList dup{{{3, 0}, {4, 0}, {3, 0}}, 1.0f};
  Hits fused = ReciprocalRankFusion({dup}, 60, 10);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_FLOAT_EQ(fused[0].second, 1.0f / 61);
  EXPECT_FLOAT_EQ(fused[1].second, 1.0f / 62);
  // A negative k is treated as 0 rather than dividing by zero.
  Hits negative = ReciprocalRankFusion({RankedList{{{1, 0}}, 1.0f}}, -1, 10);
  ASSERT_EQ(negative.size(), 1u);
  EXPECT_FLOAT_EQ(negative[0].second, 1.0f);
}

}  // namespace
}  // namespace smelter

namespace smelter {
namespace {

TEST(WeightedScoreFusionTest, KeepsAKeywordHitFarAheadOfMiddlingOnes) {
  // Label 1 is the keyword winner by a wide margin and absent from the
  // vector list; label 2 is middling in both. Rank fusion would put 2 first.
  ScoredList keyword{{{1, 35.0f}, {3, 9.0f}, {2, 5.0f}}, 1.0f, false};
  ScoredList vector{{{4, 0.12f}, {2, 0.10f}, {3, 0.09f}}, 1.0f, true};
  auto fused = WeightedScoreFusion({keyword, vector}, 10);
  ASSERT_FALSE(fused.empty());
  EXPECT_EQ(fused[0].first, 1u);
  EXPECT_FLOAT_EQ(fused[0].second, 1.0f);
  auto rrf = ReciprocalRankFusion({{keyword.hits, 1.0f}, {vector.hits, 1.0f}}, 60, 10);
  EXPECT_NE(rrf[0].first, 1u);  // the failure this fusion avoids
}

TEST(WeightedScoreFusionTest, WeightsAndClampingAndLimit) {
  ScoredList keyword{{{1, 2.0f}, {2, 1.0f}}, 0.5f, false};
  ScoredList vector{{{2, 0.8f}, {3, -0.4f}}, 1.0f, true};
  auto fused = WeightedScoreFusion({keyword, vector}, 2);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_EQ(fused[0].first, 2u);  // 0.5 * 0.5 + 0.8
  EXPECT_FLOAT_EQ(fused[0].second, 1.05f);
  EXPECT_EQ(fused[1].first, 1u);  // 0.5 * 1.0; label 3's negative cosine counts 0
  EXPECT_TRUE(WeightedScoreFusion({}, 5).empty());
}

}  // namespace
}  // namespace smelter
