#include "dedup/minhash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dedup/lsh.h"
#include "dedup/synthetic_docs.h"
#include "dedup/text_normalize.h"

namespace smelter::dedup {
namespace {

TEST(DedupMinHash, IdenticalTextsHaveIdenticalSignatures) {
  MinHasher hasher(MinHashOptions{});
  const Signature a = hasher.Compute("the quick brown fox jumps over the lazy dog");
  EXPECT_EQ(a.size(), 128u);
  EXPECT_EQ(a, hasher.Compute("the quick brown fox jumps over the lazy dog"));
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, a), 1.0);
  // Same words, other order: other shingles.
  EXPECT_LT(EstimateJaccard(a, hasher.Compute("dog lazy the over jumps fox brown quick the")), 0.2);
}

TEST(DedupMinHash, ShortAndEmptyTexts) {
  MinHasher hasher(MinHashOptions{});
  EXPECT_EQ(ShingleHashes("", 3).size(), 0u);
  EXPECT_EQ(ShingleHashes("two words", 3).size(), 1u);
  EXPECT_EQ(ShingleHashes("a b c d e", 3).size(), 3u);
  const Signature empty = hasher.Compute("");
  EXPECT_EQ(empty, Signature(128, 0xFFFFFFFFU));
  EXPECT_NE(hasher.Compute("two words"), empty);
}

TEST(DedupMinHash, EstimatesMatchTrueJaccardOnSyntheticSets) {
  MinHasher hasher(MinHashOptions{});
  std::mt19937_64 rng(7);
  double total_error = 0.0;
  int trials = 0;
  for (double target : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    for (int t = 0; t < 40; ++t) {
      // |A ∪ B| = 1000; the common part sized for the target Jaccard.
      const size_t common = static_cast<size_t>(target * 1000), only = (1000 - common) / 2;
      std::vector<uint64_t> a, b;
      for (size_t i = 0; i < common; ++i) {
        const uint64_t h = rng();
        a.push_back(h);
        b.push_back(h);
      }
      for (size_t i = 0; i < only; ++i) a.push_back(rng()), b.push_back(rng());
      const double truth = ExactJaccard(a, b);
      const double estimate = EstimateJaccard(hasher.FromShingleHashes(a), hasher.FromShingleHashes(b));
      const double sigma = std::sqrt(truth * (1 - truth) / 128);
      EXPECT_LT(std::fabs(estimate - truth), 4.5 * sigma + 1e-9) << "J=" << truth;
      total_error += std::fabs(estimate - truth);
      ++trials;
    }
  }
  // An unbiased estimator with 128 permutations: mean |error| ~ 0.8 sigma <= 0.036.
  const double mean_error = total_error / trials;
  std::printf("mean |estimate - true Jaccard| over %d pairs: %.4f\n", trials, mean_error);
  EXPECT_LT(mean_error, 0.035);
}

TEST(DedupMinHash, SimilarityInvertsTheEditModel) {
  for (int k : {1, 3, 5}) {
    for (double s : {0.5, 0.8, 0.95}) EXPECT_NEAR(SimilarityFromJaccard(JaccardForSimilarity(s, k), k), s, 1e-12);
  }
  // k=3, threshold 0.8: J = 0.512 / 1.488.
  EXPECT_NEAR(JaccardForSimilarity(0.8, 3), 0.512 / 1.488, 1e-12);
  EXPECT_DOUBLE_EQ(SimilarityFromJaccard(0.0, 3), 0.0);
  EXPECT_DOUBLE_EQ(SimilarityFromJaccard(1.0, 3), 1.0);
}

// The measurement behind the choice of shingle size and similarity
// (minhash.h): true shingle Jaccard for 10% word edits, by k.
TEST(DedupMinHash, TrueJaccardOfTenPercentEdits) {
  testing::SyntheticOptions options;
  testing::SyntheticCorpus corpus(options);
  std::mt19937_64 rng(3);
  for (int k : {1, 2, 3, 5}) {
    double min_j = 1.0, sum_j = 0.0, min_s = 1.0;
    const int pairs = 60;
    for (int i = 0; i < pairs; ++i) {
      std::vector<std::string> words;
      for (int w = 0; w < 800; ++w) words.push_back(corpus.Word());
      auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
        return s;
      };
      const std::string a = join(words), b = join(corpus.Edit(words, 0.10));
      const double j = ExactJaccard(ShingleHashes(a, k), ShingleHashes(b, k));
      min_j = std::min(min_j, j);
      sum_j += j;
      min_s = std::min(min_s, SimilarityFromJaccard(j, k));
    }
    std::printf("k=%d: 10%% edits -> shingle Jaccard mean %.3f min %.3f; similarity min %.3f\n", k, sum_j / pairs,
                min_j, min_s);
    if (k == 3) {
      EXPECT_LT(min_j, 0.8);    // raw Jaccard would miss them
      EXPECT_GT(min_s, 0.86);   // the similarity keeps them well above 0.8
    }
  }
}

TEST(DedupLsh, MatchesTheStandardOptimalParameters) {
  // The values the reference Python implementation computes with equal weights.
  auto p = OptimalLshParams(0.5, 128, 0.5, 0.5);
  EXPECT_EQ(p.bands, 25);
  EXPECT_EQ(p.rows, 5);
  p = OptimalLshParams(0.8, 128, 0.5, 0.5);
  EXPECT_EQ(p.bands, 9);
  EXPECT_EQ(p.rows, 13);
  p = OptimalLshParams(0.3, 128, 0.5, 0.5);
  EXPECT_EQ(p.bands, 37);
  EXPECT_EQ(p.rows, 3);
}

TEST(DedupLsh, DefaultParametersCatchPairsAboveTheThreshold) {
  const double threshold = JaccardForSimilarity(0.8, 3);
  const LshParams p = OptimalLshParams(threshold, 128);
  EXPECT_LE(p.bands * p.rows, 128);
  std::printf("default LSH: J threshold %.3f -> %d bands x %d rows; P(candidate) at J=%.2f: %.4f, at 0.1: %.4f\n",
              threshold, p.bands, p.rows, threshold, CandidateProbability(threshold, p), CandidateProbability(0.1, p));
  // Recall-weighted: most pairs right at the threshold, and practically all
  // pairs with 10% of their words edited (similarity ~0.9), become candidates.
  EXPECT_GT(CandidateProbability(threshold, p), 0.75);
  EXPECT_GT(CandidateProbability(JaccardForSimilarity(0.9, 3), p), 0.999);
  EXPECT_LT(CandidateProbability(0.05, p), 0.01);
}

TEST(DedupLsh, BandKeysDifferAcrossBandsForEqualRows) {
  const Signature sig(128, 7);
  const auto keys = BandKeys(sig, LshParams{16, 8});
  ASSERT_EQ(keys.size(), 16u);
  for (size_t i = 1; i < keys.size(); ++i) EXPECT_NE(keys[i], keys[0]);
  Signature other = sig;
  other[9] = 8;  // band 1 only
  const auto changed = BandKeys(other, LshParams{16, 8});
  EXPECT_EQ(changed[0], keys[0]);
  EXPECT_NE(changed[1], keys[1]);
  EXPECT_EQ(changed[2], keys[2]);
}

}  // namespace
}  // namespace smelter::dedup
