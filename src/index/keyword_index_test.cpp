#include "index/keyword_index.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace smelter {
namespace {

using Terms = std::vector<std::string>;
using Hits = std::vector<std::pair<uint64_t, float>>;

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "/smelter_keyword_index_" + name + "_" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed());
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(AnalyzeTermsTest, FoldsStemsAndDropsStopWords) {
  EXPECT_EQ(AnalyzeTerms("The Indexes are INDEXED; indexing index!"),
            (Terms{"index", "index", "index", "index"}));
  EXPECT_EQ(AnalyzeTerms("Files, filing, filed"), (Terms{"file", "file", "file"}));
  EXPECT_EQ(AnalyzeTerms("Résumés of the Café"), (Terms{"resum", "cafe"}));
  EXPECT_EQ(AnalyzeTerms("ponies caresses hopping happy"),
            (Terms{"poni", "caress", "hop", "happi"}));
  EXPECT_EQ(AnalyzeTerms("Straße 2024 x86_64"), (Terms{"straße", "2024", "x86", "64"}));
  EXPECT_EQ(AnalyzeTerms("東京 Москва"), (Terms{"東京", "москва"}));
  EXPECT_TRUE(AnalyzeTerms("").empty());
  EXPECT_TRUE(AnalyzeTerms("the and of, to!").empty());
  Terms long_word = AnalyzeTerms(std::string(100, 'a'));
  ASSERT_EQ(long_word.size(), 1u);
  EXPECT_EQ(long_word[0].size(), 64u);
  Terms long_utf8 = AnalyzeTerms(std::string(40, 'a') + std::string(20, 'x') + "éééééééééééé");
  ASSERT_EQ(long_utf8.size(), 1u);
  EXPECT_LE(long_utf8[0].size(), 64u);
  EXPECT_NE(static_cast<unsigned char>(long_utf8[0].back()) & 0xC0, 0x80u);  // whole code points
}

class KeywordIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Add(1, "The lake keeps raw files in the bronze zone.");
    index_.Add(2, "Silver holds clean Markdown documents, one per source file.");
    index_.Add(3, "Gold holds chunks, embeddings and the vector index.");
    index_.Add(4, "Search combines the vector index with a keyword index: index, index.");
    index_.Add(5, "Quarterly revenue grew in the Asian markets.");
  }
  KeywordIndex index_;
};

TEST_F(KeywordIndexTest, RanksByBm25) {
  EXPECT_EQ(index_.size(), 5u);
  Hits hits = index_.Search("vector index", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].first, 4u);  // "index" four times
  EXPECT_EQ(hits[1].first, 3u);
  EXPECT_GT(hits[0].second, hits[1].second);
  // Stemming and folding apply to queries too.
  hits = index_.Search("FILES", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE((hits[0].first == 1 && hits[1].first == 2) ||
              (hits[0].first == 2 && hits[1].first == 1));
  EXPECT_TRUE(index_.Search("nothing matches zzz", 10).empty());
  EXPECT_TRUE(index_.Search("the of and", 10).empty());  // only stop words
  EXPECT_TRUE(index_.Search("vector", 0).empty());
  EXPECT_EQ(index_.Search("holds", 1).size(), 1u);
}

TEST(KeywordIndexScoreTest, MatchesTheBm25Formula) {
  Bm25Options options;
  KeywordIndex index(options);
  index.Add(10, "apple banana");              // 2 terms
  index.Add(11, "apple apple apple cherry");  // 4 terms
  index.Add(12, "cherry date");               // 2 terms
  Hits hits = index.Search("apple", 10);
  ASSERT_EQ(hits.size(), 2u);
  const double n = 3, df = 2, avgdl = 8.0 / 3;
  const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
  auto bm25 = [&](double tf, double dl) {
    return idf * tf * (options.k1 + 1) /
           (tf + options.k1 * (1 - options.b + options.b * dl / avgdl));
  };
  EXPECT_EQ(hits[0].first, 11u);
  EXPECT_NEAR(hits[0].second, bm25(3, 4), 1e-5);
  EXPECT_EQ(hits[1].first, 10u);
  EXPECT_NEAR(hits[1].second, bm25(1, 2), 1e-5);
  // Query terms add up; a repeated query term counts twice.
  Hits both = index.Search("apple cherry", 10);
  ASSERT_EQ(both[0].first, 11u);
  EXPECT_GT(both[0].second, hits[0].second);
  EXPECT_NEAR(index.Search("apple apple", 1)[0].second, 2 * bm25(3, 4), 1e-5);
}

TEST(KeywordIndexScoreTest, TiesAreBrokenByLabel) {
  KeywordIndex index;
  index.Add(30, "same words here");
  index.Add(20, "same words here");
  index.Add(25, "same words here");
  Hits hits = index.Search("words", 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].first, 20u);
  EXPECT_EQ(hits[1].first, 25u);
}

TEST_F(KeywordIndexTest, RemoveAndReplace) {
  index_.Remove(4);
  index_.Remove(4);    // twice: no-op
  index_.Remove(999);  // absent: no-op
  EXPECT_EQ(index_.size(), 4u);
  Hits hits = index_.Search("vector index", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].first, 3u);
  // Scores equal those of an index that never had the removed document.
  KeywordIndex fresh;
  fresh.Add(1, "The lake keeps raw files in the bronze zone.");
  fresh.Add(2, "Silver holds clean Markdown documents, one per source file.");
  fresh.Add(3, "Gold holds chunks, embeddings and the vector index.");
  fresh.Add(5, "Quarterly revenue grew in the Asian markets.");
  EXPECT_EQ(fresh.Search("vector index", 10), hits);
  EXPECT_EQ(fresh.Search("holds file", 10), index_.Search("holds file", 10));

  index_.Add(5, "Now about vectors instead.");  // replace
  EXPECT_EQ(index_.size(), 4u);
  EXPECT_TRUE(index_.Search("revenue", 10).empty());
  hits = index_.Search("vector", 10);
  ASSERT_EQ(hits.size(), 2u);
}

TEST(KeywordIndexBulkTest, CompactsAfterManyRemovals) {
  KeywordIndex index;
  for (uint64_t i = 0; i < 12000; ++i) {
    index.Add(i, "document " + std::to_string(i) + (i % 2 ? " odd" : " even") + " common words");
  }
  for (uint64_t i = 0; i < 12000; i += 3) index.Remove(i);
  for (uint64_t i = 1; i < 12000; i += 3) index.Remove(i);
  EXPECT_EQ(index.size(), 4000u);
  Hits hits = index.Search("document 4001", 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].first, 4001u);               // 4001 % 3 == 2: kept
  EXPECT_TRUE(index.Search("4000", 5).empty());  // removed
  Hits odd = index.Search("odd", 100000);
  EXPECT_EQ(odd.size(), 2000u);
  for (const auto& hit : odd) EXPECT_EQ(hit.first % 3, 2u);
}

TEST_F(KeywordIndexTest, SaveAndLoadRoundTrip) {
  const std::string path = TempPath("roundtrip");
  index_.Remove(2);
  ASSERT_TRUE(index_.Save(path).ok());
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  auto loaded = KeywordIndex::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->size(), 4u);
  for (const char* query : {"vector index", "files", "holds", "revenue markets", "silver"}) {
    EXPECT_EQ((*loaded)->Search(query, 10), index_.Search(query, 10)) << query;
  }
  // The loaded index accepts changes and saves again.
  (*loaded)->Add(2, "silver again");
  ASSERT_TRUE((*loaded)->Save(path).ok());
  auto again = KeywordIndex::Load(path, Bm25Options{1.5f, 0.5f});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 5u);
  EXPECT_EQ((*again)->Search("silver", 10).size(), 1u);
  std::remove(path.c_str());
}

TEST(KeywordIndexFileTest, EmptyIndexRoundTrips) {
  const std::string path = TempPath("empty");
  ASSERT_TRUE(KeywordIndex().Save(path).ok());
  auto loaded = KeywordIndex::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->size(), 0u);
  EXPECT_TRUE((*loaded)->Search("anything", 5).empty());
  std::remove(path.c_str());
}

TEST_F(KeywordIndexTest, LoadRejectsBadFiles) {
  EXPECT_EQ(KeywordIndex::Load(TempPath("missing")).status().code(), Status::Code::kNotFound);
  const std::string path = TempPath("bad");
  ASSERT_TRUE(index_.Save(path).ok());
  const std::string good = ReadAll(path);
  auto code = [&](const std::string& bytes) {
    WriteAll(path, bytes);
    return KeywordIndex::Load(path).status().code();
  };
  EXPECT_EQ(code(""), Status::Code::kCorrupt);
  EXPECT_EQ(code("not an index at all, just some text that is long enough"),
            Status::Code::kCorrupt);
  for (size_t cut : {size_t{8}, size_t{20}, good.size() / 2, good.size() - 1}) {
    EXPECT_EQ(code(good.substr(0, cut)), Status::Code::kCorrupt) << cut;
  }
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  EXPECT_EQ(code(flipped), Status::Code::kCorrupt);
  EXPECT_EQ(code(good + "x"), Status::Code::kCorrupt);
  // A future version, with a valid checksum, is refused by version.
  std::string future = good.substr(0, good.size() - 8);
  future[8] = 2;
  const uint64_t sum = XXH3_64bits(future.data(), future.size());
  for (int k = 0; k < 8; ++k) future.push_back(static_cast<char>(sum >> (8 * k)));
  WriteAll(path, future);
  Status status = KeywordIndex::Load(path).status();
  EXPECT_EQ(status.code(), Status::Code::kCorrupt);
  EXPECT_NE(status.message().find("version"), std::string::npos);
  EXPECT_TRUE(code(good) == Status::Code::kOk);
  std::remove(path.c_str());
}

TEST_F(KeywordIndexTest, SaveToUnwritablePathFails) {
  EXPECT_EQ(index_.Save("/nonexistent-dir-for-smelter-test/kw.idx").code(), Status::Code::kIOError);
}

TEST_F(KeywordIndexTest, ConcurrentSearchesAgree) {
  const Hits expected = index_.Search("index holds files", 10);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        if (index_.Search("index holds files", 10) != expected)
          ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace smelter
