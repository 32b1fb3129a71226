// `smelter eval` on the project's own BEIR-layout set (tests/data/eval-mini).
#include <gtest/gtest.h>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

TEST(Eval, ScoresEveryModeOnTheMiniSet) {
  TempDir dir("eval");
  CommandResult r = RunSmelter({"--lake", dir.path() + "/no-lake", "eval",
                                std::string(SMELTER_SOURCE_DIR) + "/tests/data/eval-mini", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = ParseJson(r.out);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["documents"], 81);
  EXPECT_EQ(j["queries"], 50);
  for (const char* mode : {"keyword", "vector", "hybrid"}) {
    const nlohmann::json& m = j["modes"][mode];
    for (const char* metric : {"ndcg@10", "recall@10", "recall@100", "mrr@10"}) {
      double v = m[metric].get<double>();
      EXPECT_GE(v, 0.0) << mode << " " << metric;
      EXPECT_LE(v, 1.0) << mode << " " << metric;
    }
    // Every mode finds something: a broken index would score near zero.
    EXPECT_GT(m["ndcg@10"].get<double>(), 0.4) << mode;
  }
  // The fusion must not make search worse than its keyword half.
  EXPECT_GE(j["modes"]["hybrid"]["ndcg@10"].get<double>(), j["modes"]["keyword"]["ndcg@10"].get<double>());
}

TEST(Eval, ClearErrorForAMissingDataset) {
  CommandResult r = RunSmelter({"eval", "/nonexistent/dataset"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("corpus.jsonl"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smelter::testing
