#include "embed/embedding_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "embed/hashing_embedder.h"

namespace smelter {
namespace {

// Counts what reaches the real embedder.
class CountingEmbedder final : public Embedder {
 public:
  explicit CountingEmbedder(std::atomic<int>* calls, std::string id = "count-v1")
      : calls_(calls), id_(std::move(id)) {}
  std::string model_id() const override { return id_; }
  int dimension() const override { return inner_.dimension(); }
  Status Embed(const std::vector<std::string_view>& texts, std::vector<std::vector<float>>* out) const override {
    *calls_ += static_cast<int>(texts.size());
    return inner_.Embed(texts, out);
  }

 private:
  std::atomic<int>* calls_;
  std::string id_;
  HashingEmbedder inner_{64};
};

TEST(EmbeddingCache, UnchangedTextIsEmbeddedOnceAcrossReopens) {
  auto path = (std::filesystem::temp_directory_path() / "embedding-cache-test.db").string();
  std::filesystem::remove(path);
  std::atomic<int> calls{0};
  std::vector<std::vector<float>> first, second;
  {
    auto cache = CachingEmbedder::Open(path, std::make_unique<CountingEmbedder>(&calls));
    ASSERT_TRUE(cache.ok()) << cache.status().ToString();
    ASSERT_TRUE((*cache)->Embed({"alpha", "beta", "alpha"}, &first).ok());
    EXPECT_EQ(calls, 3);  // both "alpha"s miss in the same call
    EXPECT_EQ((*cache)->misses(), 3);
  }
  {
    auto cache = CachingEmbedder::Open(path, std::make_unique<CountingEmbedder>(&calls));
    ASSERT_TRUE(cache.ok());
    ASSERT_TRUE((*cache)->Embed({"beta", "alpha", "gamma"}, &second).ok());
    EXPECT_EQ(calls, 4);  // only "gamma" is new
    EXPECT_EQ((*cache)->hits(), 2);
    EXPECT_EQ(second[0], first[1]);
    EXPECT_EQ(second[1], first[0]);
  }
  {
    // Another model id misses everything.
    auto cache = CachingEmbedder::Open(path, std::make_unique<CountingEmbedder>(&calls, "count-v2"));
    std::vector<std::vector<float>> third;
    ASSERT_TRUE((*cache)->Embed({"alpha"}, &third).ok());
    EXPECT_EQ(calls, 5);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace smelter
