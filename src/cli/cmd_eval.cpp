#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/config.h"
#include "eval/evaluator.h"

namespace smelter::cli {

const CommandSpec kEvalSpec = {
    "eval",
    "smelter eval DIR [options]",
    "measure retrieval quality on a BEIR-layout dataset",
    "DIR holds corpus.jsonl, queries.jsonl and qrels/test.tsv. The corpus goes\n"
    "through the normal pipeline into a scratch lake; every judged query is then\n"
    "searched in keyword, vector and hybrid mode, and nDCG@10, recall@10,\n"
    "recall@100 and MRR@10 are printed. Settings come from --config, else from\n"
    "the lake's smelter.toml when there is a lake, else the defaults.",
    {{"config", 0, "FILE", "a smelter.toml to evaluate (embedder, chunking, fusion weights)"},
     {"work", 0, "DIR", "keep the scratch lake in DIR instead of a temporary folder"},
     {"json", 0, "", "print the figures as JSON"}},
    1,
    1,
    "  smelter eval tests/data/eval-mini\n  smelter eval ~/beir/scifact --config tuned.toml --json\n",
};

int RunEval(const Context& ctx, const ParsedArgs& args) {
  EvalOptions options;
  if (args.values.count("config")) {
    Result<Config> config = LoadConfigFile(args.Value("config"));
    if (!config.ok()) return Fail(config.status().message(), kExitUsage);
    options.config = *config;
  } else if (Result<Config> lake_config = LoadConfigFile(ctx.lake_dir + "/smelter.toml"); lake_config.ok()) {
    options.config = *lake_config;
  }
  options.work_dir = args.Value("work");
  bool json = args.Flag("json");
  options.show_progress = !json;

  Result<BeirDataset> dataset = LoadBeirDataset(args.positionals[0]);
  if (!dataset.ok()) return Fail(dataset.status().message());
  Result<EvalReport> report = EvaluateRetrieval(*dataset, options);
  if (!report.ok()) return Fail(report.status().ToString());
  const EvalReport& r = *report;

  if (json) {
    nlohmann::json j = {{"dataset", args.positionals[0]},
                        {"documents", r.documents},
                        {"queries", r.queries},
                        {"model", r.model_id},
                        {"keyword_weight", options.config.search.keyword_weight},
                        {"vector_weight", options.config.search.vector_weight},
                        {"pipeline_seconds", r.pipeline_seconds},
                        {"modes", nlohmann::json::object()}};
    for (const ModeMetrics& m : r.modes) {
      j["modes"][m.mode] = {{"ndcg@10", m.metrics.ndcg_at_10},
                            {"recall@10", m.metrics.recall_at_10},
                            {"recall@100", m.metrics.recall_at_100},
                            {"mrr@10", m.metrics.mrr_at_10}};
    }
    PrintJson(j.dump(2));
    return kExitOk;
  }
  std::printf("%zu documents, %zu queries, embedder %s (pipeline %.1f s)\n\n", r.documents, r.queries,
              r.model_id.c_str(), r.pipeline_seconds);
  std::printf("  %-8s %9s %10s %11s %8s\n", "mode", "nDCG@10", "recall@10", "recall@100", "MRR@10");
  for (const ModeMetrics& m : r.modes) {
    std::printf("  %-8s %9.4f %10.4f %11.4f %8.4f\n", m.mode.c_str(), m.metrics.ndcg_at_10, m.metrics.recall_at_10,
                m.metrics.recall_at_100, m.metrics.mrr_at_10);
  }
  return kExitOk;
}

}  // namespace smelter::cli
