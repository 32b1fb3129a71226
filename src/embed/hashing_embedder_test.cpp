#include "embed/hashing_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace smelter {
namespace {

std::vector<float> EmbedText(const Embedder& embedder, std::string_view text) {
  std::vector<std::vector<float>> out;
  EXPECT_TRUE(embedder.Embed({text}, &out).ok());
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? std::vector<float>() : out[0];
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += static_cast<double>(a[k]) * b[k];
  return sum;
}

TEST(WordSplitterTest, LowerCasesFoldsAccentsAndSplits) {
  WordSplitter splitter;
  using Words = std::vector<std::string_view>;
  EXPECT_EQ(splitter.Split("Héllo, WORLD! naïve-Café 42"),
            (Words{"hello", "world", "naive", "cafe", "42"}));
  EXPECT_EQ(splitter.Split("ＡＢＣ ﬁle Ωmega Straße ÉLAN"),
            (Words{"abc", "file", "ωmega", "straße", "elan"}));
  // Already decomposed accents ("e" + U+0301) fold the same way.
  EXPECT_EQ(splitter.Split("re\xcc\x81sume\xcc\x81"), (Words{"resume"}));
  // Other scripts keep their marks and stay whole words.
  EXPECT_EQ(splitter.Split("नमस्ते दुनिया"), (Words{"नमस्ते", "दुनिया"}));
  EXPECT_EQ(splitter.Split("東京タワー"), (Words{"東京タワー"}));
  EXPECT_EQ(splitter.Split("Привет, Мир"), (Words{"привет", "мир"}));
  EXPECT_TRUE(splitter.Split("").empty());
  EXPECT_TRUE(splitter.Split(" ,.;!? \xff\xfe ").empty());  // invalid bytes separate
}

TEST(HashingEmbedderTest, ModelIdAndDimension) {
  HashingEmbedder embedder(768);
  EXPECT_EQ(embedder.model_id(), "builtin-hash-v1:768");
  EXPECT_EQ(embedder.dimension(), 768);
  EXPECT_EQ(HashingEmbedder().dimension(), 1024);
  EXPECT_EQ(EmbedText(embedder, "hello").size(), 768u);
}

TEST(HashingEmbedderTest, VectorsAreUnitLength) {
  HashingEmbedder embedder(256);
  for (const char* text : {"a", "The quick brown fox jumps over the lazy dog.", "日本語のテキスト",
                           "x y z x y z x y z", "SELECT * FROM table WHERE id = 42"}) {
    std::vector<float> v = EmbedText(embedder, text);
    EXPECT_NEAR(Dot(v, v), 1.0, 1e-5) << text;
  }
}

TEST(HashingEmbedderTest, TextWithoutWordsGivesZeroVector) {
  HashingEmbedder embedder(64);
  for (const char* text : {"", "   ", "!!! ... ---"}) {
    std::vector<float> v = EmbedText(embedder, text);
    ASSERT_EQ(v.size(), 64u);
    EXPECT_EQ(Dot(v, v), 0.0) << text;
  }
}

TEST(HashingEmbedderTest, SimilarTextsAreCloserThanUnrelatedOnes) {
  HashingEmbedder embedder(1024);
  auto a = EmbedText(embedder, "The lake keeps raw files in the bronze zone, byte for byte.");
  auto b = EmbedText(embedder, "Raw files are kept byte-for-byte in the lake's bronze zone.");
  auto c = EmbedText(embedder, "Quarterly revenue grew by ten percent in the Asian markets.");
  auto d = EmbedText(embedder, "Search combines a vector index with a keyword index.");
  EXPECT_GT(Dot(a, b), 0.5);
  EXPECT_GT(Dot(a, b), Dot(a, c) + 0.3);
  EXPECT_GT(Dot(a, b), Dot(a, d) + 0.3);
  EXPECT_LT(std::fabs(Dot(a, c)), 0.2);
  // Inflections and accents still match through character n-grams/folding.
  auto e = EmbedText(embedder, "indexing documents");
  auto f = EmbedText(embedder, "indexed document");
  auto g = EmbedText(embedder, "quarterly revenue");
  EXPECT_GT(Dot(e, f), Dot(e, g) + 0.3);
  EXPECT_NEAR(Dot(EmbedText(embedder, "Café Résumé"), EmbedText(embedder, "cafe resume")), 1.0,
              1e-5);
  // Word order matters a little (bigrams), but not much.
  auto h = EmbedText(embedder, "dog bites man");
  auto i = EmbedText(embedder, "man bites dog");
  EXPECT_GT(Dot(h, i), 0.6);
  EXPECT_LT(Dot(h, i), 0.999);
}

constexpr double kStableChecksum = -13.482813060283661;

TEST(HashingEmbedderTest, DeterministicAcrossCallsInstancesAndBatches) {
  HashingEmbedder one(512), two(512);
  const std::vector<std::string_view> texts = {"alpha beta", "gamma", "", "alpha beta"};
  std::vector<std::vector<float>> batch;
  ASSERT_TRUE(one.Embed(texts, &batch).ok());
  ASSERT_EQ(batch.size(), 4u);
  EXPECT_EQ(batch[0], batch[3]);
  for (size_t k = 0; k < texts.size(); ++k) {
    EXPECT_EQ(batch[k], EmbedText(two, texts[k]));
  }
  // Embed appends.
  ASSERT_TRUE(one.Embed({"delta"}, &batch).ok());
  EXPECT_EQ(batch.size(), 5u);
  // A pinned value guards against accidental changes to the features (which
  // would silently invalidate every cached vector under the same model id).
  std::vector<float> v = EmbedText(HashingEmbedder(16), "stable output");
  double checksum = 0;
  for (size_t k = 0; k < v.size(); ++k) checksum += v[k] * static_cast<double>(k + 1);
  EXPECT_NEAR(checksum, kStableChecksum, 1e-4) << checksum;
}

TEST(HashingEmbedderTest, ThreadSafe) {
  HashingEmbedder embedder(256);
  std::vector<std::string> texts;
  for (int k = 0; k < 50; ++k)
    texts.push_back("document number " + std::to_string(k) + " about ünïcode");
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::vector<float>> expected;
  ASSERT_TRUE(embedder.Embed(views, &expected).ok());
  std::vector<std::thread> threads;
  std::vector<bool> same(4, false);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool ok = true;
      for (int round = 0; round < 20; ++round) {
        std::vector<std::vector<float>> got;
        ok = ok && embedder.Embed(views, &got).ok() && got == expected;
      }
      same[static_cast<size_t>(t)] = ok;
    });
  }
  for (auto& thread : threads) thread.join();
  for (bool ok : same) EXPECT_TRUE(ok);
}

EmbedderConfig Config(std::string model, int dimension) {
  EmbedderConfig config;
  config.model = std::move(model);
  config.dimension = dimension;
  return config;
}

TEST(MakeEmbedderTest, BuiltinAndErrors) {
  auto made = MakeEmbedder(EmbedderConfig{});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ((*made)->model_id(), "builtin-hash-v1:1024");
  EXPECT_EQ((*made)->dimension(), 1024);

  auto sized = MakeEmbedder(Config("builtin", 384));
  ASSERT_TRUE(sized.ok());
  EXPECT_EQ((*sized)->dimension(), 384);

  auto unknown = MakeEmbedder(Config("text-embedding-3-small", 1024));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("builtin"), std::string::npos);

  auto bad_dim = MakeEmbedder(Config("builtin", 0));
  ASSERT_FALSE(bad_dim.ok());
  EXPECT_EQ(bad_dim.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace smelter
