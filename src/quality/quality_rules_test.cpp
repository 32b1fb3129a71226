#include "quality/quality_rules.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

QualityRule Rule(std::string name, double limit, RuleAction action = RuleAction::kReject) {
  QualityRule r;
  r.name = std::move(name);
  r.limit = limit;
  r.action = action;
  return r;
}

QualityRule ListRule(std::string name, std::vector<std::string> values, RuleAction action = RuleAction::kReject) {
  QualityRule r;
  r.name = std::move(name);
  r.values = std::move(values);
  r.action = action;
  return r;
}

QualityMeasures ShortForeign() {
  QualityMeasures m;
  m.chars = 14;
  m.words = 3;
  m.language = "xx";
  m.non_alpha_ratio = 0.625;
  m.metadata_keys = {"title"};
  return m;
}

TEST(QualityRulesTest, ReasonListsEveryFailedRule) {
  const std::vector<QualityRule> rules = {Rule("min_words", 20), ListRule("languages", {"en", "de"}),
                                          Rule("max_chars", 1000)};
  const QualityVerdict v = Judge(ShortForeign(), rules);
  EXPECT_TRUE(v.rejected);
  EXPECT_EQ(v.failed_reject, 2);
  EXPECT_EQ(v.reason, "min_words: 3 < 20; languages: xx not in [en, de]");
  ASSERT_EQ(v.outcomes.size(), 3u);
  EXPECT_TRUE(v.outcomes[2].passed);
  EXPECT_EQ(v.outcomes[2].Describe(), "max_chars: 14 <= 1000");
  EXPECT_EQ(v.outcomes[0].measured_value, 3);
}

TEST(QualityRulesTest, LimitsAreInclusive) {
  QualityMeasures m;
  m.words = 20;
  m.chars = 1000;
  m.non_alpha_ratio = 0.5;
  const QualityVerdict v =
      Judge(m, {Rule("min_words", 20), Rule("max_chars", 1000), Rule("min_chars", 1000), Rule("max_non_alpha_ratio", 0.5)});
  EXPECT_FALSE(v.rejected);
  EXPECT_EQ(v.reason, "");
  m.words = 19;
  m.non_alpha_ratio = 0.5001;
  EXPECT_EQ(Judge(m, {Rule("min_words", 20), Rule("max_non_alpha_ratio", 0.5)}).reason,
            "min_words: 19 < 20; max_non_alpha_ratio: 0.5001 > 0.5");
}

TEST(QualityRulesTest, WarnRulesReportButDoNotReject) {
  const QualityVerdict v = Judge(ShortForeign(), {Rule("min_words", 20, RuleAction::kWarn),
                                                  Rule("max_non_alpha_ratio", 0.5, RuleAction::kWarn)});
  EXPECT_FALSE(v.rejected);
  EXPECT_EQ(v.failed_warn, 2);
  EXPECT_EQ(v.reason, "min_words: 3 < 20 (warn); max_non_alpha_ratio: 0.625 > 0.5 (warn)");
}

TEST(QualityRulesTest, OcrConfidenceOnlyForOcrDocuments) {
  QualityMeasures m;
  const std::vector<QualityRule> rules = {Rule("min_ocr_confidence", 60)};
  QualityVerdict v = Judge(m, rules);
  EXPECT_FALSE(v.rejected);
  EXPECT_EQ(v.outcomes[0].Describe(), "min_ocr_confidence: n/a");
  m.ocr_confidence = 41.5;
  v = Judge(m, rules);
  EXPECT_TRUE(v.rejected);
  EXPECT_EQ(v.reason, "min_ocr_confidence: 41.5 < 60");
  m.ocr_confidence = 60;
  EXPECT_FALSE(Judge(m, rules).rejected);
}

TEST(QualityRulesTest, LanguagesAndRequiredMetadata) {
  QualityMeasures m;
  m.language = "zh-Hant";
  m.metadata_keys = {"title", "author"};
  EXPECT_FALSE(Judge(m, {ListRule("languages", {"EN", "zh"})}).rejected);  // "zh" covers "zh-Hant"
  m.language = "un";
  EXPECT_EQ(Judge(m, {ListRule("languages", {"en"})}).reason, "languages: un not in [en]");
  EXPECT_FALSE(Judge(m, {ListRule("languages", {"en", "un"})}).rejected);
  const QualityVerdict v = Judge(m, {ListRule("required_metadata", {"author", "created", "title", "source"})});
  EXPECT_EQ(v.reason, "required_metadata: missing created, source");
  EXPECT_EQ(v.outcomes[0].measured_value, 2);
  EXPECT_EQ(Judge(m, {ListRule("required_metadata", {"author"})}).outcomes[0].Describe(),
            "required_metadata: all of [author] present");
}

TEST(QualityRulesTest, NoRulesPassEverything) {
  const QualityVerdict v = Judge(ShortForeign(), {});
  EXPECT_FALSE(v.rejected);
  EXPECT_TRUE(v.outcomes.empty());
  EXPECT_EQ(v.reason, "");
}

TEST(QualityRulesTest, Validation) {
  EXPECT_TRUE(ValidateRule(Rule("min_words", 20)).ok());
  EXPECT_FALSE(ValidateRule(Rule("min_sentences", 2)).ok());
  EXPECT_FALSE(ValidateRule(Rule("max_non_alpha_ratio", 1.5)).ok());
  EXPECT_FALSE(ValidateRule(Rule("min_chars", -1)).ok());
  EXPECT_FALSE(ValidateRule(Rule("min_ocr_confidence", 101)).ok());
  EXPECT_FALSE(ValidateRule(ListRule("languages", {})).ok());
  EXPECT_TRUE(ValidateRule(ListRule("required_metadata", {"author"})).ok());
}

}  // namespace
}  // namespace smelter
