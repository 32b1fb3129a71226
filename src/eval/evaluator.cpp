#include "eval/evaluator.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "catalog/catalog.h"
#include "index/searcher.h"
#include "pipeline/ingest.h"
#include "pipeline/runner.h"
#include "store/file_util.h"
#include "store/lake.h"

namespace smelter {

namespace fs = std::filesystem;

namespace {

// Removes a temporary folder on scope exit.
struct ScratchDir {
  std::string path;
  bool remove = false;
  ~ScratchDir() {
    std::error_code ec;
    if (remove) fs::remove_all(path, ec);
  }
};

}  // namespace

Result<EvalReport> EvaluateRetrieval(const BeirDataset& dataset, const EvalOptions& options) {
  ScratchDir scratch;
  if (options.work_dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "smelter-eval-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return Status::IOError("cannot create a temporary folder");
    scratch.path = tmpl;
    scratch.remove = true;
  } else {
    scratch.path = options.work_dir;
    std::error_code ec;
    fs::remove_all(scratch.path + "/lake", ec);
    fs::remove_all(scratch.path + "/docs", ec);
  }
  const std::string docs_dir = scratch.path + "/docs";
  const std::string lake_dir = scratch.path + "/lake";

  // Each corpus entry becomes a Markdown file, so it takes the same path
  // through the pipeline as any user document.
  std::unordered_map<std::string, std::string> file_to_id;
  for (size_t i = 0; i < dataset.corpus.size(); ++i) {
    const BeirDocument& d = dataset.corpus[i];
    std::string name = "doc-" + std::to_string(i) + ".md";
    std::string body = d.title.empty() ? d.text : "# " + d.title + "\n\n" + d.text;
    SMELTER_RETURN_IF_ERROR(WriteFileAtomic(docs_dir + "/" + name, body + "\n"));
    file_to_id[name] = d.id;
  }
  SMELTER_RETURN_IF_ERROR(Lake::Init(lake_dir));
  auto lake = Lake::Open(lake_dir);
  if (!lake.ok()) return lake.status();
  (*lake)->mutable_config() = options.config;
  auto catalog = Catalog::Open((*lake)->catalog_path());
  if (!catalog.ok()) return catalog.status();

  auto start = std::chrono::steady_clock::now();
  auto ingested = IngestPaths(**lake, **catalog, {docs_dir}, options.show_progress);
  if (!ingested.ok()) return ingested.status();
  RunOptions run_options;
  run_options.show_progress = options.show_progress;
  auto ran = RunPipeline(**lake, **catalog, run_options);
  if (!ran.ok()) return ran.status();
  EvalReport report;
  report.pipeline_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.documents = dataset.corpus.size();
  report.queries = dataset.queries.size();

  auto searcher = Searcher::Open(**lake, **catalog);
  if (!searcher.ok()) return searcher.status();
  const std::pair<const char*, SearchMode> modes[] = {
      {"keyword", SearchMode::kKeyword}, {"vector", SearchMode::kVector}, {"hybrid", SearchMode::kHybrid}};
  for (const auto& [name, mode] : modes) {
    std::vector<RetrievalMetrics> per_query;
    for (const BeirQuery& q : dataset.queries) {
      auto hits = (*searcher)->Search(q.text, 100, mode);
      if (!hits.ok()) return hits.status();
      // Chunks -> documents, each at its best rank.
      std::vector<std::string> ranking;
      std::set<std::string> seen;
      for (const SearchHit& h : *hits) {
        auto it = file_to_id.find(h.document.file_name);
        if (it == file_to_id.end() || !seen.insert(it->second).second) continue;
        ranking.push_back(it->second);
      }
      per_query.push_back(ScoreQuery(ranking, dataset.qrels.at(q.id)));
    }
    report.modes.push_back({name, MeanMetrics(per_query)});
  }
  report.model_id = (*searcher)->model_id();
  return report;
}

}  // namespace smelter
