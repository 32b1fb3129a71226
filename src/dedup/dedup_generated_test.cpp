// Recall and precision of the default settings on a generated corpus with
// known near duplicates (synthetic_docs.h): 300 base documents of 300-1500
// Zipf-distributed words, each with 1-3 variants in which 1-10% of the
// words were replaced, inserted or deleted, plus 300 unrelated documents,
// added in random order. A true pair is two documents of one family; a
// found pair is two documents in one cluster.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "dedup/dedup_index.h"
#include "dedup/synthetic_docs.h"

namespace smelter::dedup {
namespace {

struct PairCounts {
  int64_t true_pairs = 0, found_pairs = 0, correct = 0;
  double recall() const { return true_pairs ? static_cast<double>(correct) / true_pairs : 1.0; }
  double precision() const { return found_pairs ? static_cast<double>(correct) / found_pairs : 1.0; }
};

// Pairs within groups of equal labels, and their overlap.
PairCounts CountPairs(const std::vector<int>& truth, const std::vector<std::string>& found) {
  PairCounts c;
  for (size_t i = 0; i < truth.size(); ++i) {
    for (size_t j = i + 1; j < truth.size(); ++j) {
      const bool t = truth[i] == truth[j], f = found[i] == found[j];
      c.true_pairs += t;
      c.found_pairs += f;
      c.correct += t && f;
    }
  }
  return c;
}

TEST(DedupGenerated, RecallAndPrecisionAtTheDefaultThreshold) {
  testing::SyntheticOptions options;  // seed 42
  const std::vector<testing::SyntheticDocument> docs = testing::SyntheticCorpus(options).Generate();
  const auto path = std::filesystem::temp_directory_path() /
                    ("dedup-generated-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".db");
  std::filesystem::remove(path);
  auto index = DedupIndex::Open(path.string(), DedupOptions{});
  ASSERT_TRUE(index.ok()) << index.status().ToString();

  std::vector<DedupDocument> batch;
  for (size_t i = 0; i < docs.size(); ++i) batch.push_back(DedupDocument{docs[i].id, docs[i].text, static_cast<int64_t>(i), 0});
  const auto start = std::chrono::steady_clock::now();
  auto decisions = (*index)->AddAll(batch);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();

  std::vector<int> truth;
  std::vector<std::string> found;
  int variants = 0;
  for (const auto& doc : docs) {
    truth.push_back(doc.family);
    auto canonical = (*index)->CanonicalOf(doc.id);
    ASSERT_TRUE(canonical.ok());
    found.push_back(*canonical);
    variants += doc.variant;
  }
  const PairCounts c = CountPairs(truth, found);
  std::printf("generated: %zu documents (%d variants), %lld true pairs, %lld found, %lld correct\n", docs.size(),
              variants, static_cast<long long>(c.true_pairs), static_cast<long long>(c.found_pairs),
              static_cast<long long>(c.correct));
  std::printf("generated: recall %.4f  precision %.4f  (threshold %.2f, shingle %d, %d bands x %d rows); "
              "%.0f documents/s with SQLite\n",
              c.recall(), c.precision(), (*index)->options().threshold, (*index)->options().minhash.shingle,
              (*index)->lsh().bands, (*index)->lsh().rows, docs.size() / seconds);
  EXPECT_GE(c.recall(), 0.95);
  EXPECT_GE(c.precision(), 0.98);
  EXPECT_GT(c.true_pairs, 600);  // the set really has near duplicates to find
  index->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

}  // namespace
}  // namespace smelter::dedup
