#include "index/vector_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace smelter {
namespace {

std::vector<float> RandomUnit(std::mt19937* rng, int dim) {
  std::normal_distribution<float> normal;
  std::vector<float> v(static_cast<size_t>(dim));
  double norm = 0;
  for (float& x : v) {
    x = normal(*rng);
    norm += x * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

float Dot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (size_t k = 0; k < a.size(); ++k) s += a[k] * b[k];
  return s;
}

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "/smelter_vector_index_" + name + "_" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed());
}

bool FileExists(const std::string& path) { return std::ifstream(path).good(); }

class VectorIndexTest : public ::testing::Test {
 protected:
  static constexpr int kDim = 32;
  void Fill(VectorIndex* index, int n) {
    for (int i = 0; i < n; ++i) {
      vectors_.push_back(RandomUnit(&rng_, kDim));
      ASSERT_TRUE(index->Add(static_cast<uint64_t>(i), vectors_.back()).ok());
    }
  }
  std::mt19937 rng_{42};
  std::vector<std::vector<float>> vectors_;
};

TEST_F(VectorIndexTest, FindsItselfFirstWithCosineSimilarity) {
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 300);
  EXPECT_EQ(index->size(), 300u);
  EXPECT_EQ(index->dimension(), kDim);
  for (int i = 0; i < 300; i += 17) {
    auto hits = index->Search(vectors_[static_cast<size_t>(i)], 5);
    ASSERT_EQ(hits.size(), 5u);
    EXPECT_EQ(hits[0].first, static_cast<uint64_t>(i));
    EXPECT_NEAR(hits[0].second, 1.0f, 1e-4);
    for (size_t k = 1; k < hits.size(); ++k) {
      EXPECT_GE(hits[k - 1].second, hits[k].second);  // best first
      const auto& v = vectors_[static_cast<size_t>(hits[k].first)];
      EXPECT_NEAR(hits[k].second, Dot(vectors_[static_cast<size_t>(i)], v), 1e-4);
    }
  }
}

TEST_F(VectorIndexTest, RecallAgainstBruteForce) {
  auto index = VectorIndex::Create({kDim, 16, 200, 64});
  Fill(index.get(), 2000);  // past the initial capacity: the index grows
  ASSERT_EQ(index->size(), 2000u);
  int found = 0, total = 0;
  for (int q = 0; q < 50; ++q) {
    auto query = RandomUnit(&rng_, kDim);
    std::vector<std::pair<float, uint64_t>> exact;
    for (size_t i = 0; i < vectors_.size(); ++i) exact.emplace_back(-Dot(query, vectors_[i]), i);
    std::partial_sort(exact.begin(), exact.begin() + 10, exact.end());
    std::set<uint64_t> truth;
    for (int k = 0; k < 10; ++k) truth.insert(exact[static_cast<size_t>(k)].second);
    for (const auto& hit : index->Search(query, 10))
      found += static_cast<int>(truth.count(hit.first));
    total += 10;
  }
  EXPECT_GE(static_cast<double>(found) / total, 0.9);
}

TEST_F(VectorIndexTest, HandlesKLargerThanSizeAndBadQueries) {
  auto index = VectorIndex::Create({kDim});
  EXPECT_TRUE(index->Search(RandomUnit(&rng_, kDim), 5).empty());  // empty index
  Fill(index.get(), 3);
  EXPECT_EQ(index->Search(vectors_[0], 100).size(), 3u);
  EXPECT_TRUE(index->Search(vectors_[0], 0).empty());
  EXPECT_TRUE(index->Search(vectors_[0], -1).empty());
  EXPECT_TRUE(index->Search(std::vector<float>(kDim + 1, 0.1f), 3).empty());
}

TEST_F(VectorIndexTest, AddReplacesAndRemoveHides) {
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 50);
  auto moved = RandomUnit(&rng_, kDim);
  ASSERT_TRUE(index->Add(7, moved).ok());  // replace
  EXPECT_EQ(index->size(), 50u);
  auto hits = index->Search(moved, 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].first, 7u);
  EXPECT_NEAR(hits[0].second, 1.0f, 1e-4);

  index->Remove(7);
  index->Remove(7);     // twice: no-op
  index->Remove(9999);  // absent: no-op
  EXPECT_EQ(index->size(), 49u);
  for (const auto& hit : index->Search(moved, 50)) EXPECT_NE(hit.first, 7u);
  EXPECT_EQ(index->Search(moved, 100).size(), 49u);

  ASSERT_TRUE(index->Add(7, moved).ok());  // revived
  EXPECT_EQ(index->size(), 50u);
  EXPECT_EQ(index->Search(moved, 1)[0].first, 7u);
}

TEST_F(VectorIndexTest, RejectsBadVectors) {
  auto index = VectorIndex::Create({kDim});
  EXPECT_EQ(index->Add(1, std::vector<float>(kDim - 1, 0.f)).code(),
            Status::Code::kInvalidArgument);
  std::vector<float> nan(kDim, 0.f);
  nan[3] = std::nanf("");
  EXPECT_EQ(index->Add(1, nan).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(index->size(), 0u);
}

TEST_F(VectorIndexTest, DimensionFromFirstAddWhenUnset) {
  auto index = VectorIndex::Create({});
  EXPECT_EQ(index->dimension(), 0);
  EXPECT_FALSE(index->Save(TempPath("nodim")).ok());
  ASSERT_TRUE(index->Add(1, RandomUnit(&rng_, 8)).ok());
  EXPECT_EQ(index->dimension(), 8);
  EXPECT_FALSE(index->Add(2, RandomUnit(&rng_, 9)).ok());
}

TEST_F(VectorIndexTest, SaveAndLoadRoundTrip) {
  const std::string path = TempPath("roundtrip");
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 1500);
  index->Remove(3);
  ASSERT_TRUE(index->Save(path).ok());
  EXPECT_FALSE(FileExists(path + ".tmp"));

  auto loaded = VectorIndex::Load(path, {kDim});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  VectorIndex& again = **loaded;
  EXPECT_EQ(again.size(), 1499u);
  EXPECT_EQ(again.dimension(), kDim);
  for (int i = 0; i < 1500; i += 97) {
    auto before = index->Search(vectors_[static_cast<size_t>(i)], 5);
    auto after = again.Search(vectors_[static_cast<size_t>(i)], 5);
    EXPECT_EQ(before, after);
  }
  for (const auto& hit : again.Search(vectors_[3], 10)) EXPECT_NE(hit.first, 3u);
  // The loaded index keeps working: grows, replaces, saves again.
  ASSERT_TRUE(again.Add(5000, vectors_[3]).ok());
  EXPECT_EQ(again.Search(vectors_[3], 1)[0].first, 5000u);
  ASSERT_TRUE(again.Save(path).ok());
  auto third = VectorIndex::Load(path, {});  // dimension taken from the file
  ASSERT_TRUE(third.ok());
  EXPECT_EQ((*third)->size(), 1500u);
  EXPECT_EQ((*third)->dimension(), kDim);
  std::remove(path.c_str());
}

TEST_F(VectorIndexTest, EmptyIndexSavesAndLoads) {
  const std::string path = TempPath("empty");
  auto index = VectorIndex::Create({kDim});
  ASSERT_TRUE(index->Save(path).ok());
  auto loaded = VectorIndex::Load(path, {kDim});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->size(), 0u);
  EXPECT_TRUE((*loaded)->Search(RandomUnit(&rng_, kDim), 3).empty());
  ASSERT_TRUE((*loaded)->Add(1, RandomUnit(&rng_, kDim)).ok());
  EXPECT_EQ((*loaded)->size(), 1u);
  std::remove(path.c_str());
}

TEST_F(VectorIndexTest, LoadErrors) {
  EXPECT_EQ(VectorIndex::Load(TempPath("missing"), {kDim}).status().code(),
            Status::Code::kNotFound);

  const std::string path = TempPath("bad");
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 100);
  ASSERT_TRUE(index->Save(path).ok());
  EXPECT_EQ(VectorIndex::Load(path, {kDim + 1}).status().code(), Status::Code::kInvalidArgument);

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  };
  // Truncated anywhere, garbage, a flipped neighbour id, trailing bytes.
  for (size_t cut : {size_t{0}, size_t{10}, size_t{96}, bytes.size() / 2, bytes.size() - 1}) {
    write(bytes.substr(0, cut));
    EXPECT_EQ(VectorIndex::Load(path, {kDim}).status().code(), Status::Code::kCorrupt) << cut;
  }
  write(std::string(4096, '\x7f'));
  EXPECT_EQ(VectorIndex::Load(path, {kDim}).status().code(), Status::Code::kCorrupt);
  std::string bad_link = bytes;
  const uint32_t huge = 0xFFFFFF;
  std::memcpy(&bad_link[96 + 4], &huge, sizeof(huge));  // element 0's first neighbour
  bad_link[96] = 1;                                     // at least one neighbour
  write(bad_link);
  EXPECT_EQ(VectorIndex::Load(path, {kDim}).status().code(), Status::Code::kCorrupt);
  write(bytes + "x");
  EXPECT_EQ(VectorIndex::Load(path, {kDim}).status().code(), Status::Code::kCorrupt);
  write(bytes);
  EXPECT_TRUE(VectorIndex::Load(path, {kDim}).ok());
  std::remove(path.c_str());
}

TEST_F(VectorIndexTest, SaveToUnwritablePathFails) {
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 10);
  Status status = index->Save("/nonexistent-dir-for-smelter-test/index.hnsw");
  EXPECT_EQ(status.code(), Status::Code::kIOError);
}

TEST_F(VectorIndexTest, ConcurrentSearchesAgree) {
  auto index = VectorIndex::Create({kDim});
  Fill(index.get(), 1000);
  std::vector<std::vector<float>> queries;
  std::vector<std::vector<std::pair<uint64_t, float>>> expected;
  for (int q = 0; q < 40; ++q) {
    queries.push_back(RandomUnit(&rng_, kDim));
    expected.push_back(index->Search(queries.back(), 10));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (size_t q = 0; q < queries.size(); ++q) {
          if (index->Search(queries[q], 10) != expected[q]) ++mismatches[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace smelter
