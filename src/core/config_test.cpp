#include "core/config.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(Config, DefaultFileParsesToDefaults) {
  auto config = ParseConfig(DefaultConfigText(), "default");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->chunk.max_size, 512);
  EXPECT_EQ(config->chunk.overlap, 64);
  EXPECT_EQ(config->embed.model, "builtin");
  EXPECT_EQ(config->search.rrf_k, 60);
}

TEST(Config, DefaultFileDocumentsEverySetting) {
  std::string text = DefaultConfigText();
  std::string reference = ConfigReferenceMarkdown();
  for (const char* key : {"workers", "max_file_mb", "max_tokens", "overlap_tokens", "model", "dimension",
                          "hnsw_m", "rrf_k", "keyword_weight", "vector_weight"}) {
    EXPECT_NE(text.find(std::string("# ") + key + " = "), std::string::npos) << key;
    EXPECT_NE(reference.find(std::string("`") + key + "`"), std::string::npos) << key;
  }
}

TEST(Config, ValuesApply) {
  auto config = ParseConfig("[chunk]\nmax_tokens = 256\noverlap_tokens = 32\n[search]\nvector_weight = 0.5\n"
                            "[extract]\nmax_file_mb = 10\n",
                            "t");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->chunk.max_size, 256);
  EXPECT_EQ(config->chunk.overlap, 32);
  EXPECT_FLOAT_EQ(config->search.vector_weight, 0.5f);
  EXPECT_EQ(config->extract.max_bytes, 10u << 20);
}

TEST(Config, ErrorsNameTheProblem) {
  auto typo = ParseConfig("[chunk]\nmax_tokkens = 1\n", "smelter.toml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("chunk.max_tokkens"), std::string::npos);
  auto type = ParseConfig("[chunk]\nmax_tokens = \"big\"\n", "smelter.toml");
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.status().message().find("integer"), std::string::npos);
  auto range = ParseConfig("[chunk]\nmax_tokens = 10\noverlap_tokens = 10\n", "smelter.toml");
  ASSERT_FALSE(range.ok());
  auto syntax = ParseConfig("[chunk\n", "smelter.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("smelter.toml:1"), std::string::npos);
}

}  // namespace
}  // namespace smelter
