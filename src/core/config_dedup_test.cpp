// The [dedup] settings added for paragraph deduplication and source
// priority (the rest of [dedup] is covered by dedup_index_test.cpp).
#include <gtest/gtest.h>

#include "core/config.h"

namespace smelter {
namespace {

TEST(ConfigDedup, ParagraphAndPriorityDefaults) {
  auto config = ParseConfig(DefaultConfigText(), "default");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->silver.paragraphs.enabled);
  EXPECT_EQ(config->silver.paragraphs.min_docs, 1);
  EXPECT_EQ(config->silver.paragraphs.min_words, 8);
  EXPECT_TRUE(config->silver.dedup_priorities.empty());
  const std::string reference = ConfigReferenceMarkdown();
  for (const char* key : {"paragraphs = false", "paragraph_min_docs = 1", "paragraph_min_words = 8",
                          "[dedup.path_priority]"})
    EXPECT_NE(reference.find(key), std::string::npos) << key;
}

TEST(ConfigDedup, ParagraphAndPriorityValuesApply) {
  auto config = ParseConfig(
      "[dedup]\nparagraphs = true\nparagraph_min_docs = 3\nparagraph_min_words = 12\npolicy = \"priority\"\n"
      "[dedup.path_priority]\n\"**/published/**\" = 10\n\"**/drafts/**\" = -5\n",
      "t");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->silver.paragraphs.enabled);
  EXPECT_EQ(config->silver.paragraphs.min_docs, 3);
  EXPECT_EQ(config->silver.paragraphs.min_words, 12);
  EXPECT_EQ(config->silver.dedup.policy, dedup::CanonicalPolicy::kPriority);
  ASSERT_EQ(config->silver.dedup_priorities.size(), 2u);
  int64_t published = 0, drafts = 0;
  for (const auto& rule : config->silver.dedup_priorities) {
    if (rule.pattern == "**/published/**") published = rule.priority;
    if (rule.pattern == "**/drafts/**") drafts = rule.priority;
  }
  EXPECT_EQ(published, 10);
  EXPECT_EQ(drafts, -5);
}

TEST(ConfigDedup, BadValuesNameTheSetting) {
  struct Case {
    const char* toml;
    const char* expect;
  };
  for (const Case& c : {Case{"[dedup]\nparagraphs = 1\n", "dedup.paragraphs"},
                        Case{"[dedup]\nparagraph_min_docs = 0\n", "dedup.paragraph_min_docs"},
                        Case{"[dedup]\nparagraph_min_words = \"8\"\n", "dedup.paragraph_min_words"},
                        Case{"[dedup]\npath_priority = 3\n", "dedup.path_priority"},
                        Case{"[dedup.path_priority]\n\"*.pdf\" = 1.5\n", "dedup.path_priority.\"*.pdf\""},
                        Case{"[dedup.path_priority]\n\"*.pdf\" = \"high\"\n", "dedup.path_priority.\"*.pdf\""}}) {
    auto config = ParseConfig(c.toml, "smelter.toml");
    ASSERT_FALSE(config.ok()) << c.toml;  // NOLINT
    EXPECT_NE(config.status().message().find(c.expect), std::string::npos) << config.status().message();
  }
}

}  // namespace
}  // namespace smelter
