#include "quality/quality_config.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

Result<std::vector<QualityRule>> Parse(std::string_view text) {
  toml::table table = toml::parse(text);
  return ParseQualityRules(*table["quality"].as_table());
}

TEST(QualityConfigTest, ParsesShortAndLongForms) {
  auto rules = Parse(R"(
[quality]
languages = ["en", "de"]
max_non_alpha_ratio = { limit = 0.6, action = "warn" }
min_words = 20
required_metadata = { values = ["author"], action = "warn" }
)");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 4u);
  // Reordered as KnownRuleNames() lists them.
  EXPECT_EQ((*rules)[0].name, "min_words");
  EXPECT_EQ((*rules)[0].limit, 20);
  EXPECT_EQ((*rules)[0].action, RuleAction::kReject);
  EXPECT_EQ((*rules)[1].name, "max_non_alpha_ratio");
  EXPECT_DOUBLE_EQ((*rules)[1].limit, 0.6);
  EXPECT_EQ((*rules)[1].action, RuleAction::kWarn);
  EXPECT_EQ((*rules)[2].name, "languages");
  EXPECT_EQ((*rules)[2].values, (std::vector<std::string>{"en", "de"}));
  EXPECT_EQ((*rules)[3].name, "required_metadata");
  EXPECT_EQ((*rules)[3].action, RuleAction::kWarn);
}

TEST(QualityConfigTest, RejectsBadRules) {
  auto message = [](std::string_view text) {
    auto r = Parse(text);
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_EQ(message("[quality]\nmin_sentences = 3\n"), "quality.min_sentences: unknown quality rule");
  EXPECT_EQ(message("[quality]\nmin_words = \"many\"\n"), "quality.min_words: expected a number");
  EXPECT_EQ(message("[quality]\nmax_non_alpha_ratio = 2\n"),
            "quality.max_non_alpha_ratio: a ratio limit must be in [0, 1]");
  EXPECT_EQ(message("[quality]\nmin_words = { limit = 3, action = \"drop\" }\n"),
            "quality.min_words.action: expected \"reject\" or \"warn\"");
  EXPECT_EQ(message("[quality]\nmin_words = { action = \"warn\" }\n"), "quality.min_words: limit is missing");
  EXPECT_EQ(message("[quality]\nlanguages = { limit = 3 }\n"),
            "quality.languages.limit: unknown key (expected action and values)");
  EXPECT_EQ(message("[quality]\nlanguages = [1, 2]\n"), "quality.languages: expected a list of non-empty strings");
  EXPECT_EQ(message("[quality]\nlanguages = []\n"), "quality.languages: the list is empty");
}

}  // namespace
}  // namespace smelter
