#include "pipeline/runner.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "embed/embedder.h"
#include "embed/embedding_cache.h"
#include "index/index_set.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/document_processor.h"
#include "pipeline/extraction_worker.h"
#include "pipeline/silver_stages.h"
#include "dedup/dedup_index.h"
#include "dedup/paragraph_counts.h"
#include "dedup/source_priority.h"
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

// Where a document came from, for [dedup.path_priority]: every source path
// of its bytes, and for a document found inside others, its path inside
// each parent.
Result<int64_t> PriorityOf(Catalog& catalog, const DocumentRecord& doc,
                           const std::vector<dedup::PathPriorityRule>& rules) {
  if (rules.empty()) return int64_t{0};
  std::vector<std::string> paths = {doc.source_uri};
  Result<std::vector<SourceFacts>> sources = catalog.SourcesOf(doc.object_hash);
  if (!sources.ok()) return sources.status();
  for (const SourceFacts& s : *sources) paths.push_back(s.uri);
  Result<std::vector<ParentLink>> parents = catalog.ParentsOf(doc.id);
  if (!parents.ok()) return parents.status();
  for (const ParentLink& p : *parents) paths.push_back(p.parent_uri + "!/" + p.name);
  return dedup::SourcePriority(rules, paths);
}

// Where each document of this run ended up, so that the summary counts
// final states (a document committed gold and demoted later in the same
// run is a duplicate, not both).
struct FinalState {
  Stage stage = Stage::kBronze;
  int pages = 0;
  int64_t chunks = 0;
  int paragraphs_dropped = 0;
  std::string reason;
  bool earlier = false;  // gold before this run, demoted by it

  static FinalState Gold(int pages, int64_t chunks, int paragraphs_dropped) {
    FinalState f;
    f.stage = Stage::kGold;
    f.pages = pages;
    f.chunks = chunks;
    f.paragraphs_dropped = paragraphs_dropped;
    return f;
  }
  static FinalState Duplicate(bool earlier = false) {
    FinalState f;
    f.stage = Stage::kDuplicate;
    f.earlier = earlier;
    return f;
  }
  static FinalState Quarantined(const std::string& reason) {
    FinalState f;
    f.stage = Stage::kQuarantined;
    f.reason = reason;
    return f;
  }
};

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

  const SilverConfig& silver_config = lake.config().silver;
  const dedup::ParagraphOptions& paragraph_options = silver_config.paragraphs;
  // Documents whose gold chunks miss a paragraph that the settings would
  // now have them keep -- its holders left gold in an interrupted run, the
  // limits changed, or paragraph deduplication was turned off -- go back
  // through the pipeline. (No dedup database: nothing was ever dropped.)
  if (std::error_code ec; std::filesystem::exists(lake.dedup_index_path(), ec)) {
    auto db = SqliteDb::Open(lake.dedup_index_path());
    if (!db.ok()) return db.status();
    auto counter = dedup::ParagraphCounter::Attach(**db);
    if (!counter.ok()) return counter.status();
    Result<std::vector<std::string>> redo = paragraph_options.enabled
                                                ? (*counter)->Orphaned(paragraph_options.min_docs)
                                                : (*counter)->DocumentsWithDrops();
    if (!redo.ok()) return redo.status();
    for (const std::string& id : *redo) {
      Result<DocumentRecord> d = catalog.GetDocument(id);
      if (d.ok() && d->stage == Stage::kGold) SMELTER_RETURN_IF_ERROR(catalog.ResetToPending(id));
      else if (paragraph_options.enabled) SMELTER_RETURN_IF_ERROR((*counter)->Forget(id));
    }
    // Off: what was counted goes stale (holders leave gold unnoticed), so
    // turning it on again starts from nothing.
    if (!paragraph_options.enabled) {
      Result<bool> empty = (*counter)->IsEmpty();
      if (!empty.ok()) return empty.status();
      if (!*empty) SMELTER_RETURN_IF_ERROR((*counter)->Clear());
    }
  }

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
  // commit, and so do documents the committer sends back (below); the
  // committer closes it when nothing is left in flight.
  BoundedQueue<DocumentRecord> work(SIZE_MAX);
  std::unordered_set<std::string> queued;  // pushed and not yet committed
  for (const DocumentRecord& d : docs) {
    queued.insert(d.id);
    work.Push(d);
  }
  int64_t outstanding = static_cast<int64_t>(docs.size());

  const SandboxConfig& sandbox_config = lake.config().sandbox;
  const bool isolate = sandbox_config.isolation == "process";
  SandboxLimits limits;
  limits.timeout_seconds = sandbox_config.timeout_seconds;
  limits.memory_limit_bytes = static_cast<int64_t>(sandbox_config.memory_limit_mb) << 20;
  const std::vector<std::string> worker_command = DefaultWorkerCommand(lake.config_path());

  Result<std::unique_ptr<SilverStages>> silver = SilverStages::Create(silver_config);
  if (!silver.ok()) return silver.status();
  // Deduplication sees the whole lake, so it runs here in the committer,
  // one document at a time, against every signature already stored.
  std::unique_ptr<dedup::DedupIndex> dedup_index;
  if (silver_config.dedup_enabled) {
    auto opened_dedup = dedup::DedupIndex::Open(lake.dedup_index_path(), silver_config.dedup);
    if (!opened_dedup.ok()) return opened_dedup.status();
    dedup_index = std::move(*opened_dedup);
  }
  // Paragraph counts live beside the dedup index (on its connection when it
  // is open), committed before each document's catalog transaction like the
  // index itself: a document redone after a crash is forgotten and decided
  // again, never counted twice.
  std::unique_ptr<SqliteDb> paragraph_db;
  std::unique_ptr<dedup::ParagraphCounter> paragraphs;
  if (paragraph_options.enabled) {
    SqliteDb* db = dedup_index ? &dedup_index->db() : nullptr;
    if (!db) {
      auto own = SqliteDb::Open(lake.dedup_index_path());
      if (!own.ok()) return own.status();
      paragraph_db = std::move(*own);
      db = paragraph_db.get();
    }
    auto attached = dedup::ParagraphCounter::Attach(*db);
    if (!attached.ok()) return attached.status();
    paragraphs = std::move(*attached);
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

  std::unordered_map<std::string, FinalState> finals;  // by document id
  // Sends a committed document back through the pipeline in this run.
  auto requeue = [&](const std::string& id) -> Status {
    if (queued.count(id)) return Status::OK();  // already on its way
    SMELTER_RETURN_IF_ERROR(catalog.ResetToPending(id));
    Result<DocumentRecord> d = catalog.GetDocument(id);
    if (!d.ok()) return d.status();
    finals.erase(id);  // counted again when it commits
    queued.insert(id);
    ++outstanding;
    progress.AddWork(1, d->bytes);
    work.Push(std::move(*d));
    return Status::OK();
  };

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
    queued.erase(o.doc.id);
    std::vector<uint64_t> labels, replaced;
    std::vector<DocumentRecord> new_children;
    std::vector<uint64_t> released;  // paragraphs whose holders left gold in this step
    bool duplicate = false;
    if (o.status.ok() && dedup_index) {
      Result<int64_t> mtime = catalog.SourceMtime(o.doc.object_hash);
      Result<int64_t> priority = PriorityOf(catalog, o.doc, silver_config.dedup_priorities);
      if (!priority.ok()) {
        failure = priority.status();
        break;
      }
      dedup::DedupDocument d{o.doc.id, o.silver_text, mtime.ok() ? *mtime : 0, *priority};
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
        if (failure.ok() && paragraphs) failure = paragraphs->Forget(demoted, &released);
        if (!failure.ok()) break;
        (void)lake.store().Delete(Lake::GoldChunksKey(demoted));
        replaced.insert(replaced.end(), dropped.begin(), dropped.end());
        auto it = finals.find(demoted);
        if (it != finals.end()) it->second = FinalState::Duplicate();
        else finals[demoted] = FinalState::Duplicate(/*earlier=*/true);
      }
      // Documents that stopped being duplicates are processed again.
      for (const std::string& promoted : decision->promoted)
        if (failure.ok()) failure = requeue(promoted);
      if (!failure.ok()) break;
    }
    // Paragraphs repeated across documents: what this document keeps is
    // decided against the documents committed before it.
    if (paragraphs) {
      failure = paragraphs->Forget(o.doc.id, &released);
      if (failure.ok() && o.status.ok() && !duplicate) {
        std::vector<bool> drop(o.block_hashes.size(), false);
        std::vector<uint64_t> kept, dropped;
        for (size_t i = 0; i < o.block_hashes.size() && failure.ok(); ++i) {
          const uint64_t hash = o.block_hashes[i];
          if (hash == 0) continue;
          Result<bool> seen = paragraphs->SeenElsewhere(hash, o.doc.id, paragraph_options.min_docs);
          if (!seen.ok()) {
            failure = seen.status();
          } else if (*seen) {
            drop[i] = true;
            dropped.push_back(hash);
          } else {
            kept.push_back(hash);
          }
        }
        if (failure.ok() && !dropped.empty()) {
          Status st = RechunkWithoutBlocks(lake, *embedder, o, drop);
          if (!st.ok()) {
            // Like any failure after extraction: this document is quarantined.
            o.status = st;
            o.chunks.clear();
            o.doc.reason = std::string(st.QuarantineReason());
            o.doc.error = st.message();
            o.doc.chunk_count = 0;
            o.doc.paragraphs_dropped = 0;
            (void)lake.store().Delete(Lake::GoldChunksKey(o.doc.id));  // best effort, like demotions
            WriteQuarantineRecord(lake, o.doc, st);
          }
        }
        if (failure.ok() && o.status.ok()) failure = paragraphs->Record(o.doc.id, kept);
        if (failure.ok() && o.status.ok()) failure = paragraphs->RecordDropped(o.doc.id, dropped);
      }
      if (!failure.ok()) break;
    }
    Status st;
    if (!o.status.ok()) st = catalog.CommitQuarantined(o.doc, &replaced);
    else if (duplicate) st = catalog.CommitDuplicate(o.doc, &replaced, o.children);
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
    // Documents that left a paragraph out because a document that has just
    // left gold kept it, and that too few keep now, take it back.
    if (paragraphs && !released.empty()) {
      Result<std::vector<std::string>> orphans = paragraphs->Orphaned(paragraph_options.min_docs, &released);
      if (!orphans.ok()) {
        failure = orphans.status();
        break;
      }
      for (const std::string& id : *orphans)
        if (failure.ok() && id != o.doc.id) failure = requeue(id);
      if (!failure.ok()) break;
    }
    int64_t child_bytes = 0;
    for (DocumentRecord& child : new_children) {
      if (child.stage == Stage::kQuarantined) {
        finals[child.id] = FinalState::Quarantined(child.reason);
        WriteQuarantineRecord(lake, child, Status::TooDeep(child.error));
        continue;
      }
      child_bytes += child.bytes;
      ++outstanding;
      ++summary.children;
      queued.insert(child.id);
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
    summary.bytes_in += o.doc.bytes;
    if (duplicate) {
      finals[o.doc.id] = FinalState::Duplicate();
    } else if (o.status.ok()) {
      finals[o.doc.id] = FinalState::Gold(o.doc.pages, static_cast<int64_t>(o.chunks.size()), o.doc.paragraphs_dropped);
    } else {
      finals[o.doc.id] = FinalState::Quarantined(o.doc.reason);
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

  // The summary counts where each document ended, so that it agrees with
  // `smelter status` however often a document changed stage in this run.
  for (const auto& [id, f] : finals) {
    if (f.earlier) {
      ++summary.demoted;
      continue;
    }
    ++summary.documents;
    switch (f.stage) {
      case Stage::kGold:
        ++summary.gold;
        summary.pages += f.pages;
        summary.chunks += f.chunks;
        summary.paragraphs_dropped += f.paragraphs_dropped;
        break;
      case Stage::kDuplicate:
        ++summary.duplicates;
        break;
      case Stage::kQuarantined:
        ++summary.quarantined;
        ++summary.quarantined_by_reason[f.reason];
        break;
      default:
        break;
    }
  }

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
