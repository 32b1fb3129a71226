// The catalog: what the lake holds and how each piece came to be.
//
// SQLite in WAL mode, schema versioned by numbered migrations (catalog.cpp's
// kMigrations; the applied version is kept in `PRAGMA user_version`). It
// records bronze objects and the sources they came from, one document per
// object with its stage (bronze -> silver -> gold, or quarantined with a
// reason), the document's chunks (whose integer label is the key in the
// vector and keyword indexes), and every run. Each document's outcome is
// committed in one transaction after its files are written, which is what
// makes a killed run resumable: a document is either finished in the
// catalog or still pending.
//
// Not thread-safe: one Catalog per thread (the runner commits from one).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/sqlite.h"
#include "core/chunk.h"
#include "core/status.h"

namespace smelter {

enum class Stage { kBronze, kSilver, kGold, kQuarantined, kDuplicate };
std::string_view StageName(Stage stage);

struct SourceFacts {
  std::string uri;          // absolute path of the original file
  int64_t size = 0;
  int64_t mtime = 0;        // seconds since the epoch
  std::string ingested_at;  // ISO 8601
};

struct DocumentRecord {
  std::string id;           // 16 hex digits of the object's SHA-256
  std::string object_hash;
  std::string source_uri;   // the first source seen with these bytes
  std::string file_name;
  int64_t bytes = 0;
  std::string kind;         // "pdf", "html", ...
  std::string mime;
  std::string title;
  int pages = 0;
  Stage stage = Stage::kBronze;
  std::string reason;       // quarantine reason ("encrypted", ...)
  std::string error;        // one-line detail
  int64_t text_bytes = 0;   // size of the silver Markdown
  int chunk_count = 0;
  std::string updated_at;
  int64_t run_id = 0;
  // Documents found inside another (archive members, attachments).
  std::string parent_id;           // empty for files ingested from a source
  int depth = 0;                   // 0 for sources; parent's depth + 1
  std::string inherited_metadata;  // JSON object of facts from the parent, or empty
  // Silver stages.
  std::string attributes;    // JSON object: enriched metadata every chunk carries (filters)
  std::string quality;       // JSON object: measured values and the verdict
  std::string duplicate_of;  // canonical document when stage is duplicate
  double similarity = 0;     // to duplicate_of
  // Paragraphs left out of the gold chunks because other gold documents
  // keep them (dedup.paragraphs); 0 unless gold.
  int paragraphs_dropped = 0;
};

// One parent of a child document. The same bytes inside two documents (an
// attachment sent twice) are one document with two parents; its
// DocumentRecord::parent_id and source_uri name the first one registered.
struct ParentLink {
  std::string parent_id;
  std::string name;        // the child's path inside this parent
  std::string parent_uri;  // the parent's source URI
  Stage parent_stage = Stage::kBronze;
};

// A child document's bytes, already stored in bronze by the worker that
// extracted its parent.
struct ChildObject {
  std::string sha256;
  int64_t size = 0;
  std::string name;           // path inside the parent
  std::string metadata_json;  // facts from the parent (JSON object)
};

struct ChunkRecord {
  uint64_t label = 0;  // key in the indexes
  Chunk chunk;         // without vector
};

struct RunRecord {
  int64_t id = 0;
  std::string command;
  std::string started_at;
  std::string finished_at;
  int64_t duration_ms = 0;
  int64_t docs_processed = 0;
  int64_t docs_gold = 0;
  int64_t docs_quarantined = 0;
  int64_t bytes_in = 0;
  std::string status;  // "running", "ok", "failed"
};

struct CatalogStats {
  int64_t objects = 0;
  int64_t object_bytes = 0;
  int64_t sources = 0;
  std::map<std::string, int64_t> documents_by_stage;
  std::map<std::string, int64_t> quarantined_by_reason;
  int64_t chunks = 0;
  int64_t chunks_unindexed = 0;
  int64_t paragraphs_dropped = 0;                 // over gold documents (dedup.paragraphs)
  int64_t documents_with_dropped_paragraphs = 0;
};

class Catalog {
 public:
  static constexpr int kSchemaVersion = 4;

  // Opens (creating if needed) and migrates the catalog at `path`.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path);
  int schema_version() const { return schema_version_; }

  // Records that `source` has bytes `sha256` of `size` bytes. Creates the
  // object and its document on first sight. Sets *new_object accordingly.
  Status RecordIngest(const SourceFacts& source, const std::string& sha256, int64_t size,
                      bool* new_object);

  // Documents still in bronze: the work of the next `run`.
  Result<std::vector<DocumentRecord>> PendingDocuments();

  // Marks the document gold with these chunks, replacing any previous ones.
  // Fills `labels` with the new chunks' labels (same order) and
  // `replaced_labels` with labels of the chunks it replaced.
  //
  // In the same transaction, registers the document's children: each new one
  // becomes a document in bronze (the next work of the run, returned in
  // `new_children`), or is quarantined as "too deeply nested" when it would
  // be deeper than `max_depth`. Bytes already known as a document are not
  // registered twice, but are linked to this parent too (ParentsOf).
  Status CommitGold(const DocumentRecord& doc, const std::vector<Chunk>& chunks,
                    std::vector<uint64_t>* labels, std::vector<uint64_t>* replaced_labels,
                    const std::vector<ChildObject>& children = {}, int max_depth = 0,
                    std::vector<DocumentRecord>* new_children = nullptr);
  // Marks the document a duplicate of doc.duplicate_of: kept out of gold,
  // its chunks dropped (their labels returned for the indexes). Children
  // that are already documents (the canonical copy registered them) are
  // linked to it as well, for lineage; others are not registered.
  Status CommitDuplicate(const DocumentRecord& doc, std::vector<uint64_t>* replaced_labels,
                         const std::vector<ChildObject>& children = {});
  // A gold document that a newer copy displaced: now a duplicate of
  // `canonical`, its chunks dropped.
  Status DemoteToDuplicate(const std::string& doc_id, const std::string& canonical, double similarity,
                           std::vector<uint64_t>* replaced_labels);
  // Sends one document back to bronze (a duplicate that became canonical
  // again is processed once more by the next run).
  Status ResetToPending(const std::string& doc_id);
  // Newest modification time of the sources of an object (0 if none).
  Result<int64_t> SourceMtime(const std::string& object_hash);
  // Documents in a stage, for reports.
  Result<std::vector<DocumentRecord>> DocumentsInStages(const std::vector<std::string>& stages);
  // Marks the document quarantined, dropping any chunks it had.
  Status CommitQuarantined(const DocumentRecord& doc, std::vector<uint64_t>* replaced_labels);

  // Chunks not yet in the persisted indexes, and the call that records that
  // they now are.
  Result<std::vector<ChunkRecord>> UnindexedChunks();
  Status MarkIndexed(const std::vector<uint64_t>& labels);
  Status MarkAllUnindexed();

  // Sends every gold document back to bronze, so the next run processes it
  // again (used when the embedding model changes). Returns how many.
  Result<int64_t> ResetGoldToPending();

  Result<std::vector<ChunkRecord>> ChunksByLabel(const std::vector<uint64_t>& labels);
  Result<std::vector<ChunkRecord>> ChunksOf(const std::string& doc_id);
  Result<DocumentRecord> GetDocument(const std::string& doc_id);
  // Resolves what a user typed: a document id or its prefix, an object
  // hash prefix, a source path, or a file name. NotFound or, when several
  // match, InvalidArgument listing them.
  Result<DocumentRecord> FindDocument(const std::string& query);
  Result<std::vector<SourceFacts>> SourcesOf(const std::string& object_hash);
  // Documents found inside `doc_id` (whichever parent registered them),
  // by source URI.
  Result<std::vector<DocumentRecord>> ChildrenOf(const std::string& doc_id);
  // Every document `doc_id` was found inside, by source URI.
  Result<std::vector<ParentLink>> ParentsOf(const std::string& doc_id);

  Result<int64_t> BeginRun(const std::string& command);
  Status FinishRun(const RunRecord& run);
  Result<std::vector<RunRecord>> RecentRuns(int limit);

  Result<CatalogStats> Stats();

 private:
  explicit Catalog(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Migrate();
  Status DeleteChunks(const std::string& doc_id, std::vector<uint64_t>* labels);
  std::unique_ptr<SqliteDb> db_;
  int schema_version_ = 0;
};

}  // namespace smelter
