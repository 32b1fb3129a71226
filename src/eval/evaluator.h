// Retrieval evaluation: a BEIR-layout dataset through the normal pipeline
// (ingest -> run) into a scratch lake, then every query in keyword, vector
// and hybrid mode, scored against the judgements.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "eval/beir_dataset.h"
#include "eval/retrieval_metrics.h"

namespace smelter {

struct EvalOptions {
  Config config;              // pipeline settings for the scratch lake
  std::string work_dir;       // scratch lake location; "" = a temporary folder, removed after
  bool show_progress = false;
};

struct ModeMetrics {
  std::string mode;  // "keyword", "vector", "hybrid"
  RetrievalMetrics metrics;
};

struct EvalReport {
  size_t documents = 0;
  size_t queries = 0;
  std::string model_id;
  double pipeline_seconds = 0;
  std::vector<ModeMetrics> modes;
};

Result<EvalReport> EvaluateRetrieval(const BeirDataset& dataset, const EvalOptions& options);

}  // namespace smelter
