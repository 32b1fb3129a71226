#include "quality/quality_report.h"

#include <gtest/gtest.h>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

QualityRule Rule(std::string name, double limit, RuleAction action = RuleAction::kReject) {
  QualityRule r;
  r.name = std::move(name);
  r.limit = limit;
  r.action = action;
  return r;
}

DocumentQuality Doc(std::string id, std::string title, int64_t words, std::string language,
                    const std::vector<QualityRule>& rules) {
  DocumentQuality d;
  d.doc_id = std::move(id);
  d.title = std::move(title);
  d.measures.words = words;
  d.measures.chars = words * 5;
  d.measures.language = std::move(language);
  d.outcomes = Evaluate(d.measures, rules);
  return d;
}

std::vector<QualityRule> Rules() {
  QualityRule langs;
  langs.name = "languages";
  langs.values = {"en", "de"};
  return {Rule("min_words", 20), langs, Rule("max_chars", 400, RuleAction::kWarn)};
}

TEST(QualityReportTest, CountsPerRuleAndRanksWorstDocuments) {
  QualityReport report;
  report.Add(Doc("good", "Fine", 50, "en", Rules()));
  report.Add(Doc("short", "Tiny\nnote", 3, "en", Rules()));
  report.Add(Doc("bad", "Short foreign", 3, "xx", Rules()));
  report.Add(Doc("long", "Long one", 100, "de", Rules()));  // 500 chars: a warning only
  EXPECT_EQ(report.documents(), 4);
  EXPECT_EQ(report.rejected(), 2);
  EXPECT_EQ(report.warned_only(), 1);

  const std::vector<RuleTally> tallies = report.Tallies();
  ASSERT_EQ(tallies.size(), 3u);
  EXPECT_EQ(tallies[0].rule, "min_words");
  EXPECT_EQ(tallies[0].passed, 2);
  EXPECT_EQ(tallies[0].failed, 2);
  EXPECT_EQ(tallies[1].failed, 1);
  EXPECT_EQ(tallies[2].action, RuleAction::kWarn);
  EXPECT_EQ(tallies[2].failed, 1);

  const auto worst = report.Worst(10);
  ASSERT_EQ(worst.size(), 3u);
  EXPECT_EQ(worst[0]->doc_id, "bad");    // two reject failures
  EXPECT_EQ(worst[1]->doc_id, "short");  // one
  EXPECT_EQ(worst[2]->doc_id, "long");   // a warning
  EXPECT_EQ(report.Worst(1).size(), 1u);

  const std::string text = report.RenderText(2);
  EXPECT_NE(text.find("Documents: 4   passed: 1   rejected: 2   warnings only: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("min_words                  reject         2        2"), std::string::npos) << text;
  EXPECT_NE(text.find("  bad  \"Short foreign\"  min_words: 3 < 20; languages: xx not in [en, de]\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("\"Tiny note\""), std::string::npos);  // one line per document
  EXPECT_EQ(text.find("long"), std::string::npos);           // only the 2 worst are listed

  const nlohmann::json j = report.ToJson(10);
  EXPECT_EQ(j["documents"], 4);
  EXPECT_EQ(j["passed"], 1);
  EXPECT_EQ(j["rejected"], 2);
  EXPECT_EQ(j["warned"], 1);
  EXPECT_EQ(j["rules"][1]["rule"], "languages");
  EXPECT_EQ(j["rules"][1]["failed"], 1);
  EXPECT_EQ(j["worst"][0]["doc_id"], "bad");
  EXPECT_EQ(j["worst"][0]["reason"], "min_words: 3 < 20; languages: xx not in [en, de]");
  EXPECT_EQ(j["worst"][0]["failed"][1]["measured"], "xx");
  EXPECT_EQ(j["worst"][2]["failed"][0]["action"], "warn");
}

TEST(QualityReportTest, EmptyReport) {
  QualityReport report;
  EXPECT_EQ(report.RenderText(), "Documents: 0   passed: 0   rejected: 0   warnings only: 0\n");
  EXPECT_TRUE(report.ToJson()["worst"].empty());
}

// Real documents of the corpus judged by one rule set, end to end.
TEST(QualityReportTest, CorpusDocuments) {
  SMELTER_REQUIRE_CORPUS();
  QualityRule langs;
  langs.name = "languages";
  langs.values = {"en"};
  const std::vector<QualityRule> rules = {Rule("min_words", 50), langs};
  QualityReport report;
  for (const char* name : {"GeoTopo-komprimiert.pdf", "book-war-and-peace-1p.txt", "norwich-city.txt"}) {
    auto doc = testing::ExtractCorpusFile(name);
    ASSERT_TRUE(doc.ok()) << name;
    DocumentQuality d;
    d.doc_id = name;
    d.title = doc->title;
    d.measures = Measure(*doc);
    d.outcomes = Evaluate(d.measures, rules);
    report.Add(std::move(d));
  }
  EXPECT_EQ(report.rejected(), 1) << report.RenderText();
  const auto worst = report.Worst(5);
  ASSERT_EQ(worst.size(), 1u);
  EXPECT_EQ(worst[0]->doc_id, "GeoTopo-komprimiert.pdf");
  EXPECT_EQ(FailureReason(worst[0]->outcomes), "languages: de not in [en]");
}

}  // namespace
}  // namespace smelter
