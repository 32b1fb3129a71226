#include "pipeline/runner.h"

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "embed/embedder.h"
#include "embed/embedding_cache.h"
#include "index/index_set.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/document_processor.h"
#include "pipeline/extraction_worker.h"
#include "pipeline/silver_stages.h"
#include "dedup/dedup_index.h"
#include "pipeline/progress.h"

namespace smelter {

namespace {

using Clock = std::chrono::steady_clock;

// Save the indexes at least this often during a long run, so that a crash
// costs at most this much re-adding on the next run.
constexpr auto kIndexSaveInterval = std::chrono::seconds(60);

int WorkerCount(const Lake& lake, const RunOptions& options) {
  int n = options.workers > 0 ? options.workers : lake.config().pipeline.workers;
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  return n > 0 ? n : 1;
}

// Adds chunks that are committed in the catalog but missing from the saved
// indexes (a previous run was interrupted before saving them). Their
// vectors are read back from the gold JSONL files.
Result<std::vector<uint64_t>> RestoreUnindexed(Lake& lake, Catalog& catalog, IndexSet& indexes) {
  Result<std::vector<ChunkRecord>> pending = catalog.UnindexedChunks();
  if (!pending.ok()) return pending.status();
  std::unordered_map<std::string, std::vector<const ChunkRecord*>> by_doc;
  for (const ChunkRecord& r : *pending) by_doc[r.chunk.doc_id].push_back(&r);
  std::vector<uint64_t> labels;
  for (const auto& [doc_id, records] : by_doc) {
    Result<std::string> gold = lake.store().Get(Lake::GoldChunksKey(doc_id));
    if (!gold.ok()) return Status::Corrupt("gold chunks of " + doc_id + " are missing: " + gold.status().message());
    std::unordered_map<std::string, std::vector<float>> vectors;
    std::istringstream lines(*gold);
    std::string line;
    while (std::getline(lines, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("id") && j["vector"].is_array())
        vectors[j["id"].get<std::string>()] = j["vector"].get<std::vector<float>>();
    }
    for (const ChunkRecord* r : records) {
      auto it = vectors.find(r->chunk.id);
      if (it == vectors.end()) return Status::Corrupt("gold chunk " + r->chunk.id + " has no vector");
      SMELTER_RETURN_IF_ERROR(indexes.vectors->Add(r->label, it->second));
      indexes.keywords->Add(r->label, r->chunk.text);
      labels.push_back(r->label);
    }
  }
  return labels;
}

}  // namespace

Result<RunSummary> RunPipeline(Lake& lake, Catalog& catalog, const RunOptions& options) {
  const auto start = Clock::now();
  RunSummary summary;

  Result<std::unique_ptr<Embedder>> made = MakeEmbedder(lake.config().embed);
  if (!made.ok()) return made.status();
  std::unique_ptr<Embedder> embedder = std::move(*made);
  if (lake.config().embed.cache) {
    auto cached = CachingEmbedder::Open(lake.embedding_cache_path(), std::move(embedder));
    if (!cached.ok()) return cached.status();
    embedder = std::move(*cached);
  }
  Result<IndexSet> opened =
      IndexSet::Open(lake, embedder->model_id(), embedder->dimension(), /*discard_other_model=*/true);
  if (!opened.ok()) return opened.status();
  IndexSet& indexes = *opened;
  if (!indexes.previous_model.empty()) {
    // A new embedding model: every vector must be made again. Documents go
    // back through the pipeline (the cache keeps any vectors this model
    // already made); the old chunks are replaced as each one commits.
    Result<int64_t> reset = catalog.ResetGoldToPending();
    if (!reset.ok()) return reset.status();
    summary.model_changed_from = indexes.previous_model;
  }
  if (indexes.fresh) SMELTER_RETURN_IF_ERROR(catalog.MarkAllUnindexed());

  Result<std::vector<uint64_t>> restored = RestoreUnindexed(lake, catalog, indexes);
  if (!restored.ok()) return restored.status();
  summary.reindexed_chunks = static_cast<int64_t>(restored->size());
  std::vector<uint64_t> unsaved_labels = std::move(*restored);

  Result<std::vector<DocumentRecord>> pending = catalog.PendingDocuments();
  if (!pending.ok()) return pending.status();
  const std::vector<DocumentRecord>& docs = *pending;
  if (docs.empty() && unsaved_labels.empty()) return summary;  // nothing to do

  Result<int64_t> run_id = catalog.BeginRun("run");
  if (!run_id.ok()) return run_id.status();
  summary.run_id = *run_id;

  int64_t total_bytes = 0;
  for (const auto& d : docs) total_bytes += d.bytes;
  Progress progress("run", static_cast<int64_t>(docs.size()), total_bytes, options.show_progress);

  // Work flows through an unbounded queue because documents found inside
  // documents (archive members, attachments) join it as their parents
  // commit; the committer closes it when nothing is left in flight.
  BoundedQueue<DocumentRecord> work(SIZE_MAX);
  for (const DocumentRecord& d : docs) work.Push(d);
  int64_t outstanding = static_cast<int64_t>(docs.size());

  const SandboxConfig& sandbox_config = lake.config().sandbox;
  const bool isolate = sandbox_config.isolation == "process";
  SandboxLimits limits;
  limits.timeout_seconds = sandbox_config.timeout_seconds;
  limits.memory_limit_bytes = static_cast<int64_t>(sandbox_config.memory_limit_mb) << 20;
  const std::vector<std::string> worker_command = DefaultWorkerCommand(lake.config_path());

  Result<std::unique_ptr<SilverStages>> silver = SilverStages::Create(lake.config().silver);
  if (!silver.ok()) return silver.status();
  // Deduplication sees the whole lake, so it runs here in the committer,
  // one document at a time, against every signature already stored.
  std::unique_ptr<dedup::DedupIndex> dedup_index;
  if (lake.config().silver.dedup_enabled) {
    auto opened_dedup = dedup::DedupIndex::Open(lake.dedup_index_path(), lake.config().silver.dedup);
    if (!opened_dedup.ok()) return opened_dedup.status();
    dedup_index = std::move(*opened_dedup);
  }

  const int worker_count = std::min<int>(WorkerCount(lake, options), std::max<size_t>(docs.size(), 1));
  BoundedQueue<DocumentOutcome> outcomes(static_cast<size_t>(worker_count) * 2);
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      std::unique_ptr<ExtractionSandbox> sandbox;
      if (isolate) sandbox = std::make_unique<ExtractionSandbox>(worker_command, limits);
      while (!stop) {
        std::optional<DocumentRecord> doc = work.Pop();
        if (!doc) break;
        doc->run_id = summary.run_id;
        if (!outcomes.Push(ProcessDocument(lake, *doc, *embedder, sandbox.get(), silver->get()))) break;
      }
    });
  }

  Status failure;
  auto last_save = Clock::now();
  auto save_indexes = [&]() -> Status {
    SMELTER_RETURN_IF_ERROR(indexes.Save(lake));
    SMELTER_RETURN_IF_ERROR(catalog.MarkIndexed(unsaved_labels));
    unsaved_labels.clear();
    last_save = Clock::now();
    return Status::OK();
  };
  while (outstanding > 0 && failure.ok()) {
    std::optional<DocumentOutcome> outcome = outcomes.Pop();
    if (!outcome) break;
    --outstanding;
    DocumentOutcome& o = *outcome;
    std::vector<uint64_t> labels, replaced;
    std::vector<DocumentRecord> new_children;
    bool duplicate = false;
    if (o.status.ok() && dedup_index) {
      Result<int64_t> mtime = catalog.SourceMtime(o.doc.object_hash);
      dedup::DedupDocument d{o.doc.id, o.silver_text, mtime.ok() ? *mtime : 0, 0};
      Result<dedup::DedupDecision> decision = dedup_index->Add(d);
      if (!decision.ok()) {
        failure = decision.status();
        break;
      }
      if (decision->canonical_id != o.doc.id) {
        duplicate = true;
        o.doc.duplicate_of = decision->canonical_id;
        o.doc.similarity = decision->similarity;
      }
      // A newer copy displaced older canonical documents: they leave gold.
      for (const std::string& demoted : decision->demoted) {
        std::vector<uint64_t> dropped;
        failure = catalog.DemoteToDuplicate(demoted, o.doc.id, decision->similarity, &dropped);
        if (!failure.ok()) break;
        (void)lake.store().Delete(Lake::GoldChunksKey(demoted));
        replaced.insert(replaced.end(), dropped.begin(), dropped.end());
        ++summary.duplicates;
      }
      // Documents that stopped being duplicates are processed again.
      for (const std::string& promoted : decision->promoted)
        if (failure.ok()) failure = catalog.ResetToPending(promoted);
      if (!failure.ok()) break;
    }
    Status st;
    if (!o.status.ok()) st = catalog.CommitQuarantined(o.doc, &replaced);
    else if (duplicate) st = catalog.CommitDuplicate(o.doc, &replaced);
    else st = catalog.CommitGold(o.doc, o.chunks, &labels, &replaced, o.children,
                                 sandbox_config.max_depth, &new_children);
    if (!st.ok()) {
      failure = st;
      break;
    }
    if (duplicate) {
      (void)lake.store().Delete(Lake::GoldChunksKey(o.doc.id));
      o.chunks.clear();
    }
    int64_t child_bytes = 0;
    for (DocumentRecord& child : new_children) {
      if (child.stage == Stage::kQuarantined) {
        ++summary.documents;
        ++summary.quarantined;
        ++summary.quarantined_by_reason[child.reason];
        WriteQuarantineRecord(lake, child, Status::TooDeep(child.error));
        continue;
      }
      child_bytes += child.bytes;
      ++outstanding;
      ++summary.children;
      work.Push(std::move(child));
    }
    if (child_bytes > 0 || !new_children.empty()) progress.AddWork(static_cast<int64_t>(new_children.size()), child_bytes);
    for (uint64_t label : replaced) {
      indexes.vectors->Remove(label);
      indexes.keywords->Remove(label);
    }
    for (size_t i = 0; i < labels.size() && failure.ok(); ++i) {
      failure = indexes.vectors->Add(labels[i], o.chunks[i].vector);
      indexes.keywords->Add(labels[i], o.chunks[i].text);
      unsaved_labels.push_back(labels[i]);
    }
    ++summary.documents;
    summary.bytes_in += o.doc.bytes;
    if (duplicate) {
      ++summary.duplicates;
    } else if (o.status.ok()) {
      ++summary.gold;
      summary.pages += o.doc.pages;
      summary.chunks += static_cast<int64_t>(o.chunks.size());
    } else {
      ++summary.quarantined;
      ++summary.quarantined_by_reason[o.doc.reason];
    }
    progress.Advance(1, o.doc.bytes, !o.status.ok());
    if (failure.ok() && Clock::now() - last_save > kIndexSaveInterval) failure = save_indexes();
  }
  if (!failure.ok()) stop = true;
  work.Close();
  outcomes.Close();
  for (auto& t : workers) t.join();
  progress.Finish();
  if (failure.ok()) failure = save_indexes();

  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  RunRecord record;
  record.id = summary.run_id;
  record.duration_ms = static_cast<int64_t>(summary.seconds * 1000);
  record.docs_processed = summary.documents;
  record.docs_gold = summary.gold;
  record.docs_quarantined = summary.quarantined;
  record.bytes_in = summary.bytes_in;
  record.status = failure.ok() ? "ok" : "failed";
  Status finish = catalog.FinishRun(record);
  if (!failure.ok()) return failure;
  if (!finish.ok()) return finish;
  return summary;
}

}  // namespace smelter
