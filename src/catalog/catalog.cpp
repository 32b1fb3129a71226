#include "catalog/catalog.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/file_util.h"
#include "store/lake.h"

namespace smelter {

namespace {

// Numbered migrations: entry i upgrades the schema from version i to i+1.
// Never edit a released migration; append a new one.
const char* const kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE objects (
  hash        TEXT PRIMARY KEY,          -- SHA-256 of the bytes
  size        INTEGER NOT NULL,
  bronze_key  TEXT NOT NULL,
  first_seen  TEXT NOT NULL
);
CREATE TABLE sources (
  uri          TEXT PRIMARY KEY,         -- where the bytes came from
  object_hash  TEXT NOT NULL REFERENCES objects(hash),
  size         INTEGER NOT NULL,
  mtime        INTEGER NOT NULL,
  ingested_at  TEXT NOT NULL
);
CREATE INDEX sources_by_object ON sources(object_hash);
CREATE TABLE documents (
  id           TEXT PRIMARY KEY,
  object_hash  TEXT NOT NULL UNIQUE REFERENCES objects(hash),
  source_uri   TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  bytes        INTEGER NOT NULL,
  kind         TEXT NOT NULL DEFAULT '',
  mime         TEXT NOT NULL DEFAULT '',
  title        TEXT NOT NULL DEFAULT '',
  pages        INTEGER NOT NULL DEFAULT 0,
  stage        TEXT NOT NULL,            -- bronze | silver | gold | quarantined
  reason       TEXT NOT NULL DEFAULT '',
  error        TEXT NOT NULL DEFAULT '',
  text_bytes   INTEGER NOT NULL DEFAULT 0,
  chunk_count  INTEGER NOT NULL DEFAULT 0,
  updated_at   TEXT NOT NULL,
  run_id       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_by_stage ON documents(stage);
CREATE TABLE chunks (
  label         INTEGER PRIMARY KEY AUTOINCREMENT,  -- key in the indexes
  id            TEXT NOT NULL UNIQUE,
  doc_id        TEXT NOT NULL REFERENCES documents(id),
  idx           INTEGER NOT NULL,
  text          TEXT NOT NULL,
  heading_path  TEXT NOT NULL,          -- JSON array
  page_start    INTEGER NOT NULL,
  page_end      INTEGER NOT NULL,
  char_start    INTEGER NOT NULL,
  char_end      INTEGER NOT NULL,
  tokens        INTEGER NOT NULL,
  indexed       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chunks_by_doc ON chunks(doc_id);
CREATE INDEX chunks_unindexed ON chunks(indexed) WHERE indexed = 0;
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  command           TEXT NOT NULL,
  started_at        TEXT NOT NULL,
  finished_at       TEXT NOT NULL DEFAULT '',
  duration_ms       INTEGER NOT NULL DEFAULT 0,
  docs_processed    INTEGER NOT NULL DEFAULT 0,
  docs_gold         INTEGER NOT NULL DEFAULT 0,
  docs_quarantined  INTEGER NOT NULL DEFAULT 0,
  bytes_in          INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL DEFAULT 'running'
);
)sql",
    // 1 -> 2: documents inside documents (archive members, attachments).
    R"sql(
ALTER TABLE documents ADD COLUMN parent_id TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN inherited_metadata TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_by_parent ON documents(parent_id) WHERE parent_id != '';
)sql",
    // 2 -> 3: silver stages (enriched attributes, quality, duplicates).
    R"sql(
ALTER TABLE documents ADD COLUMN attributes TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN quality TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN similarity REAL NOT NULL DEFAULT 0;
)sql",
    // 3 -> 4: every parent of a child document (the same attachment in two
    // messages is one object, linked to both), and repeated paragraphs left
    // out of a document's chunks. Existing single parents are carried over.
    R"sql(
CREATE TABLE document_parents (
  parent_id  TEXT NOT NULL REFERENCES documents(id),
  child_id   TEXT NOT NULL REFERENCES documents(id),
  name       TEXT NOT NULL,              -- path inside that parent
  PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;
CREATE INDEX document_parents_by_child ON document_parents(child_id);
INSERT OR IGNORE INTO document_parents(parent_id, child_id, name)
  SELECT c.parent_id, c.id,
         CASE WHEN substr(c.source_uri, 1, length(p.source_uri) + 2) = p.source_uri || '!/'
              THEN substr(c.source_uri, length(p.source_uri) + 3) ELSE c.file_name END
  FROM documents c JOIN documents p ON p.id = c.parent_id
  WHERE c.parent_id != '';
ALTER TABLE documents ADD COLUMN paragraphs_dropped INTEGER NOT NULL DEFAULT 0;
)sql",
};

constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == Catalog::kSchemaVersion);

Stage ParseStage(const std::string& s) {
  if (s == "silver") return Stage::kSilver;
  if (s == "gold") return Stage::kGold;
  if (s == "quarantined") return Stage::kQuarantined;
  if (s == "duplicate") return Stage::kDuplicate;
  return Stage::kBronze;
}

constexpr const char* kDocumentColumns =
    "id, object_hash, source_uri, file_name, bytes, kind, mime, title, pages, stage, reason, "
    "error, text_bytes, chunk_count, updated_at, run_id, parent_id, depth, inherited_metadata, attributes, "
    "quality, duplicate_of, similarity, paragraphs_dropped";

DocumentRecord ReadDocument(const SqliteStatement& s) {
  DocumentRecord d;
  d.id = s.Text(0);
  d.object_hash = s.Text(1);
  d.source_uri = s.Text(2);
  d.file_name = s.Text(3);
  d.bytes = s.Int(4);
  d.kind = s.Text(5);
  d.mime = s.Text(6);
  d.title = s.Text(7);
  d.pages = static_cast<int>(s.Int(8));
  d.stage = ParseStage(s.Text(9));
  d.reason = s.Text(10);
  d.error = s.Text(11);
  d.text_bytes = s.Int(12);
  d.chunk_count = static_cast<int>(s.Int(13));
  d.updated_at = s.Text(14);
  d.run_id = s.Int(15);
  d.parent_id = s.Text(16);
  d.depth = static_cast<int>(s.Int(17));
  d.inherited_metadata = s.Text(18);
  d.attributes = s.Text(19);
  d.quality = s.Text(20);
  d.duplicate_of = s.Text(21);
  d.similarity = s.Double(22);
  d.paragraphs_dropped = static_cast<int>(s.Int(23));
  return d;
}

constexpr const char* kChunkColumns =
    "label, id, doc_id, idx, text, heading_path, page_start, page_end, char_start, char_end, tokens";

ChunkRecord ReadChunk(const SqliteStatement& s) {
  ChunkRecord r;
  r.label = static_cast<uint64_t>(s.Int(0));
  r.chunk.id = s.Text(1);
  r.chunk.doc_id = s.Text(2);
  r.chunk.index = static_cast<int>(s.Int(3));
  r.chunk.text = s.Text(4);
  nlohmann::json path = nlohmann::json::parse(s.Text(5), nullptr, /*allow_exceptions=*/false);
  if (path.is_array())
    for (const auto& h : path)
      if (h.is_string()) r.chunk.heading_path.push_back(h.get<std::string>());
  r.chunk.page_start = static_cast<int>(s.Int(6));
  r.chunk.page_end = static_cast<int>(s.Int(7));
  r.chunk.char_start = static_cast<size_t>(s.Int(8));
  r.chunk.char_end = static_cast<size_t>(s.Int(9));
  r.chunk.token_count = static_cast<int>(s.Int(10));
  return r;
}

std::string FileNameOf(const std::string& uri) {
  return std::filesystem::path(uri).filename().string();
}

}  // namespace

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kBronze: return "bronze";
    case Stage::kSilver: return "silver";
    case Stage::kGold: return "gold";
    case Stage::kQuarantined: return "quarantined";
    case Stage::kDuplicate: return "duplicate";
  }
  return "bronze";
}

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path) {
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Catalog> catalog(new Catalog(std::move(*db)));
  // WAL: readers (status, search) never block the runner's commits.
  // synchronous=NORMAL is durable across process crashes in WAL mode, which
  // is the failure this design guards against.
  SMELTER_RETURN_IF_ERROR(catalog->db_->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  SMELTER_RETURN_IF_ERROR(catalog->Migrate());
  return catalog;
}

Status Catalog::Migrate() {
  auto version = db_->Prepare("PRAGMA user_version");
  if (!version.ok()) return version.status();
  int current = (*version)->Step() ? static_cast<int>((*version)->Int(0)) : 0;
  if (current > kSchemaVersion) {
    return Status::InvalidArgument("catalog schema version " + std::to_string(current) +
                                   " is newer than this smelter understands (" +
                                   std::to_string(kSchemaVersion) + "); upgrade smelter");
  }
  for (int v = current; v < kSchemaVersion; ++v) {
    SqliteTransaction tx(*db_);
    SMELTER_RETURN_IF_ERROR(tx.begin_status());
    SMELTER_RETURN_IF_ERROR(db_->Exec(kMigrations[v]));
    SMELTER_RETURN_IF_ERROR(db_->Exec("PRAGMA user_version = " + std::to_string(v + 1)));
    SMELTER_RETURN_IF_ERROR(tx.Commit());
  }
  schema_version_ = kSchemaVersion;
  return Status::OK();
}

Status Catalog::RecordIngest(const SourceFacts& source, const std::string& sha256, int64_t size,
                             bool* new_object) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  auto ins = db_->Prepare(
      "INSERT OR IGNORE INTO objects(hash, size, bronze_key, first_seen) VALUES(?,?,?,?)");
  if (!ins.ok()) return ins.status();
  (*ins)->Bind(1, sha256).Bind(2, size).Bind(3, Lake::BronzeKey(sha256))
      .Bind(4, source.ingested_at);
  SMELTER_RETURN_IF_ERROR((*ins)->Run());
  *new_object = db_->Changes() > 0;

  auto src = db_->Prepare(
      "INSERT INTO sources(uri, object_hash, size, mtime, ingested_at) VALUES(?,?,?,?,?) "
      "ON CONFLICT(uri) DO UPDATE SET object_hash=excluded.object_hash, size=excluded.size, "
      "mtime=excluded.mtime, ingested_at=excluded.ingested_at");
  if (!src.ok()) return src.status();
  (*src)->Bind(1, source.uri).Bind(2, sha256).Bind(3, source.size).Bind(4, source.mtime)
      .Bind(5, source.ingested_at);
  SMELTER_RETURN_IF_ERROR((*src)->Run());

  auto doc = db_->Prepare(
      "INSERT OR IGNORE INTO documents(id, object_hash, source_uri, file_name, bytes, stage, "
      "updated_at) VALUES(?,?,?,?,?, 'bronze', ?)");
  if (!doc.ok()) return doc.status();
  (*doc)->Bind(1, sha256.substr(0, 16)).Bind(2, sha256).Bind(3, source.uri)
      .Bind(4, FileNameOf(source.uri)).Bind(5, size).Bind(6, source.ingested_at);
  SMELTER_RETURN_IF_ERROR((*doc)->Run());
  return tx.Commit();
}

Result<std::vector<DocumentRecord>> Catalog::PendingDocuments() {
  auto q = db_->Prepare(std::string("SELECT ") + kDocumentColumns +
                        " FROM documents WHERE stage = 'bronze' ORDER BY bytes DESC, id");
  if (!q.ok()) return q.status();
  std::vector<DocumentRecord> docs;
  while ((*q)->Step()) docs.push_back(ReadDocument(**q));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return docs;
}

Status Catalog::DeleteChunks(const std::string& doc_id, std::vector<uint64_t>* labels) {
  auto q = db_->Prepare("SELECT label FROM chunks WHERE doc_id = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, doc_id);
  while ((*q)->Step()) labels->push_back(static_cast<uint64_t>((*q)->Int(0)));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  auto del = db_->Prepare("DELETE FROM chunks WHERE doc_id = ?");
  if (!del.ok()) return del.status();
  (*del)->Bind(1, doc_id);
  return (*del)->Run();
}

namespace {
Status UpdateDocument(SqliteDb& db, const DocumentRecord& d, std::string_view stage) {
  auto up = db.Prepare(
      "UPDATE documents SET kind=?, mime=?, title=?, pages=?, stage=?, reason=?, error=?, "
      "text_bytes=?, chunk_count=?, updated_at=?, run_id=?, attributes=?, quality=?, duplicate_of=?, "
      "similarity=?, paragraphs_dropped=? WHERE id=?");
  if (!up.ok()) return up.status();
  (*up)->Bind(1, d.kind).Bind(2, d.mime).Bind(3, d.title).Bind(4, int64_t{d.pages}).Bind(5, stage)
      .Bind(6, d.reason).Bind(7, d.error).Bind(8, d.text_bytes).Bind(9, int64_t{d.chunk_count})
      .Bind(10, NowIso8601()).Bind(11, d.run_id).Bind(12, d.attributes).Bind(13, d.quality)
      .Bind(14, d.duplicate_of).Bind(15, d.similarity)
      .Bind(16, int64_t{stage == "gold" ? d.paragraphs_dropped : 0}).Bind(17, d.id);
  return (*up)->Run();
}

// Links each child to `parent` (a parent may meet a child that another
// parent registered first: same bytes, one document, several parents).
// Children that are not documents yet are skipped.
Status LinkChildren(SqliteDb& db, const std::string& parent, const std::vector<ChildObject>& children) {
  if (children.empty()) return Status::OK();
  auto link = db.Prepare(
      "INSERT OR IGNORE INTO document_parents(parent_id, child_id, name) "
      "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?2) AND ?1 != ?2");
  if (!link.ok()) return link.status();
  for (const ChildObject& c : children) {
    (*link)->Bind(1, parent).Bind(2, c.sha256.substr(0, 16)).Bind(3, c.name);
    SMELTER_RETURN_IF_ERROR((*link)->Run());
  }
  return Status::OK();
}
}  // namespace

Status Catalog::CommitGold(const DocumentRecord& doc, const std::vector<Chunk>& chunks,
                           std::vector<uint64_t>* labels, std::vector<uint64_t>* replaced_labels,
                           const std::vector<ChildObject>& children, int max_depth,
                           std::vector<DocumentRecord>* new_children) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  SMELTER_RETURN_IF_ERROR(DeleteChunks(doc.id, replaced_labels));
  auto ins = db_->Prepare(
      "INSERT INTO chunks(id, doc_id, idx, text, heading_path, page_start, page_end, char_start, "
      "char_end, tokens) VALUES(?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  labels->clear();
  for (const Chunk& c : chunks) {
    (*ins)->Bind(1, c.id).Bind(2, doc.id).Bind(3, int64_t{c.index}).Bind(4, c.text)
        .Bind(5, nlohmann::json(c.heading_path).dump()).Bind(6, int64_t{c.page_start})
        .Bind(7, int64_t{c.page_end}).Bind(8, static_cast<int64_t>(c.char_start))
        .Bind(9, static_cast<int64_t>(c.char_end)).Bind(10, int64_t{c.token_count});
    SMELTER_RETURN_IF_ERROR((*ins)->Run());
    labels->push_back(static_cast<uint64_t>(db_->LastInsertRowId()));
  }
  SMELTER_RETURN_IF_ERROR(UpdateDocument(*db_, doc, "gold"));
  if (!children.empty()) {
    auto obj = db_->Prepare(
        "INSERT OR IGNORE INTO objects(hash, size, bronze_key, first_seen) VALUES(?,?,?,?)");
    if (!obj.ok()) return obj.status();
    auto ins_doc = db_->Prepare(
        "INSERT OR IGNORE INTO documents(id, object_hash, source_uri, file_name, bytes, stage, "
        "reason, error, updated_at, run_id, parent_id, depth, inherited_metadata) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!ins_doc.ok()) return ins_doc.status();
    const std::string now = NowIso8601();
    const int depth = doc.depth + 1;
    const bool too_deep = max_depth > 0 && depth > max_depth;
    for (const ChildObject& c : children) {
      (*obj)->Bind(1, c.sha256).Bind(2, c.size)
          .Bind(3, Lake::BronzeKey(c.sha256)).Bind(4, now);
      SMELTER_RETURN_IF_ERROR((*obj)->Run());
      DocumentRecord child;
      child.id = c.sha256.substr(0, 16);
      child.object_hash = c.sha256;
      child.source_uri = doc.source_uri + "!/" + c.name;
      child.file_name = FileNameOf(c.name);
      child.bytes = c.size;
      child.stage = too_deep ? Stage::kQuarantined : Stage::kBronze;
      if (too_deep) {
        child.reason = std::string(Status::TooDeep("").QuarantineReason());
        child.error = "nested " + std::to_string(depth) + " levels deep, over extract.max_depth = " +
                      std::to_string(max_depth);
      }
      child.updated_at = now;
      child.run_id = doc.run_id;
      child.parent_id = doc.id;
      child.depth = depth;
      child.inherited_metadata = c.metadata_json;
      (*ins_doc)->Bind(1, child.id).Bind(2, child.object_hash).Bind(3, child.source_uri)
          .Bind(4, child.file_name).Bind(5, child.bytes).Bind(6, StageName(child.stage))
          .Bind(7, child.reason).Bind(8, child.error).Bind(9, now).Bind(10, child.run_id)
          .Bind(11, child.parent_id).Bind(12, int64_t{child.depth}).Bind(13, child.inherited_metadata);
      SMELTER_RETURN_IF_ERROR((*ins_doc)->Run());
      if (db_->Changes() > 0 && new_children) new_children->push_back(std::move(child));
    }
    SMELTER_RETURN_IF_ERROR(LinkChildren(*db_, doc.id, children));
  }
  return tx.Commit();
}

Status Catalog::CommitQuarantined(const DocumentRecord& doc, std::vector<uint64_t>* replaced_labels) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  SMELTER_RETURN_IF_ERROR(DeleteChunks(doc.id, replaced_labels));
  SMELTER_RETURN_IF_ERROR(UpdateDocument(*db_, doc, "quarantined"));
  return tx.Commit();
}

Status Catalog::CommitDuplicate(const DocumentRecord& doc, std::vector<uint64_t>* replaced_labels,
                                const std::vector<ChildObject>& children) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  SMELTER_RETURN_IF_ERROR(DeleteChunks(doc.id, replaced_labels));
  DocumentRecord d = doc;
  d.chunk_count = 0;
  SMELTER_RETURN_IF_ERROR(UpdateDocument(*db_, d, "duplicate"));
  SMELTER_RETURN_IF_ERROR(LinkChildren(*db_, doc.id, children));
  return tx.Commit();
}

Status Catalog::DemoteToDuplicate(const std::string& doc_id, const std::string& canonical, double similarity,
                                  std::vector<uint64_t>* replaced_labels) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  SMELTER_RETURN_IF_ERROR(DeleteChunks(doc_id, replaced_labels));
  auto up = db_->Prepare(
      "UPDATE documents SET stage='duplicate', duplicate_of=?, similarity=?, chunk_count=0, "
      "paragraphs_dropped=0, updated_at=? WHERE id=?");
  if (!up.ok()) return up.status();
  (*up)->Bind(1, canonical).Bind(2, similarity).Bind(3, NowIso8601()).Bind(4, doc_id);
  SMELTER_RETURN_IF_ERROR((*up)->Run());
  return tx.Commit();
}

Status Catalog::ResetToPending(const std::string& doc_id) {
  auto up = db_->Prepare("UPDATE documents SET stage='bronze', duplicate_of='', similarity=0 WHERE id=?");
  if (!up.ok()) return up.status();
  (*up)->Bind(1, doc_id);
  return (*up)->Run();
}

Result<int64_t> Catalog::SourceMtime(const std::string& object_hash) {
  auto q = db_->Prepare("SELECT COALESCE(MAX(mtime), 0) FROM sources WHERE object_hash = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, object_hash);
  int64_t mtime = (*q)->Step() ? (*q)->Int(0) : 0;
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return mtime;
}

Result<std::vector<DocumentRecord>> Catalog::DocumentsInStages(const std::vector<std::string>& stages) {
  std::string in;
  for (size_t i = 0; i < stages.size(); ++i) in += i ? ",?" : "?";
  auto q = db_->Prepare(std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE stage IN (" + in +
                        ") ORDER BY source_uri");
  if (!q.ok()) return q.status();
  for (size_t i = 0; i < stages.size(); ++i) (*q)->Bind(static_cast<int>(i + 1), stages[i]);
  std::vector<DocumentRecord> out;
  while ((*q)->Step()) out.push_back(ReadDocument(**q));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<std::vector<ChunkRecord>> Catalog::UnindexedChunks() {
  auto q = db_->Prepare(std::string("SELECT ") + kChunkColumns +
                        " FROM chunks WHERE indexed = 0 AND doc_id IN (SELECT id FROM documents WHERE stage = 'gold')"
                        " ORDER BY label");
  if (!q.ok()) return q.status();
  std::vector<ChunkRecord> out;
  while ((*q)->Step()) out.push_back(ReadChunk(**q));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Status Catalog::MarkIndexed(const std::vector<uint64_t>& labels) {
  SqliteTransaction tx(*db_);
  SMELTER_RETURN_IF_ERROR(tx.begin_status());
  auto up = db_->Prepare("UPDATE chunks SET indexed = 1 WHERE label = ?");
  if (!up.ok()) return up.status();
  for (uint64_t label : labels) {
    (*up)->Bind(1, static_cast<int64_t>(label));
    SMELTER_RETURN_IF_ERROR((*up)->Run());
  }
  return tx.Commit();
}

Result<int64_t> Catalog::ResetGoldToPending() {
  SMELTER_RETURN_IF_ERROR(db_->Exec("UPDATE documents SET stage = 'bronze' WHERE stage = 'gold'"));
  return static_cast<int64_t>(db_->Changes());
}

Status Catalog::MarkAllUnindexed() { return db_->Exec("UPDATE chunks SET indexed = 0"); }

Result<std::vector<ChunkRecord>> Catalog::ChunksByLabel(const std::vector<uint64_t>& labels) {
  auto q = db_->Prepare(std::string("SELECT ") + kChunkColumns + " FROM chunks WHERE label = ?");
  if (!q.ok()) return q.status();
  std::vector<ChunkRecord> out;
  for (uint64_t label : labels) {
    (*q)->Bind(1, static_cast<int64_t>(label));
    if ((*q)->Step()) out.push_back(ReadChunk(**q));
    SMELTER_RETURN_IF_ERROR((*q)->status());
    (*q)->Reset();
  }
  return out;
}

Result<std::vector<DocumentRecord>> Catalog::ChildrenOf(const std::string& doc_id) {
  auto q = db_->Prepare(std::string("SELECT ") + kDocumentColumns +
                        " FROM documents WHERE id IN (SELECT child_id FROM document_parents WHERE parent_id = ?)"
                        " ORDER BY source_uri");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, doc_id);
  std::vector<DocumentRecord> out;
  while ((*q)->Step()) out.push_back(ReadDocument(**q));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<std::vector<ParentLink>> Catalog::ParentsOf(const std::string& doc_id) {
  auto q = db_->Prepare(
      "SELECT l.parent_id, l.name, p.source_uri, p.stage FROM document_parents l "
      "JOIN documents p ON p.id = l.parent_id WHERE l.child_id = ? ORDER BY p.source_uri");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, doc_id);
  std::vector<ParentLink> out;
  while ((*q)->Step()) out.push_back({(*q)->Text(0), (*q)->Text(1), (*q)->Text(2), ParseStage((*q)->Text(3))});
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<std::vector<ChunkRecord>> Catalog::ChunksOf(const std::string& doc_id) {
  auto q = db_->Prepare(std::string("SELECT ") + kChunkColumns +
                        " FROM chunks WHERE doc_id = ? ORDER BY idx");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, doc_id);
  std::vector<ChunkRecord> out;
  while ((*q)->Step()) out.push_back(ReadChunk(**q));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<DocumentRecord> Catalog::GetDocument(const std::string& doc_id) {
  auto q = db_->Prepare(std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, doc_id);
  if ((*q)->Step()) return ReadDocument(**q);
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return Status::NotFound("no document " + doc_id);
}

Result<DocumentRecord> Catalog::FindDocument(const std::string& query) {
  if (query.empty()) return Status::InvalidArgument("empty document reference");
  // Most specific first: exact id, then id/hash prefix, then source path,
  // then file name.
  const char* const kLookups[] = {
      "SELECT %s FROM documents WHERE id = ?1",
      "SELECT %s FROM documents WHERE id LIKE ?1 || '%%' OR object_hash LIKE ?1 || '%%'",
      "SELECT %s FROM documents WHERE object_hash IN (SELECT object_hash FROM sources WHERE uri = ?1)",
      "SELECT %s FROM documents WHERE file_name = ?1 OR object_hash IN "
      "(SELECT object_hash FROM sources WHERE uri LIKE '%%/' || ?1)",
  };
  for (const char* pattern : kLookups) {
    char sql[512];
    std::snprintf(sql, sizeof sql, pattern, kDocumentColumns);
    auto q = db_->Prepare(sql);
    if (!q.ok()) return q.status();
    (*q)->Bind(1, query);
    std::vector<DocumentRecord> found;
    while ((*q)->Step() && found.size() < 10) found.push_back(ReadDocument(**q));
    SMELTER_RETURN_IF_ERROR((*q)->status());
    if (found.size() == 1) return found[0];
    if (found.size() > 1) {
      std::string msg = "\"" + query + "\" matches several documents:";
      for (const auto& d : found) msg += "\n  " + d.id + "  " + d.source_uri;
      return Status::InvalidArgument(msg);
    }
  }
  return Status::NotFound("no document matches \"" + query +
                          "\" (give a document id, a source path or a file name)");
}

Result<std::vector<SourceFacts>> Catalog::SourcesOf(const std::string& object_hash) {
  auto q = db_->Prepare(
      "SELECT uri, size, mtime, ingested_at FROM sources WHERE object_hash = ? ORDER BY uri");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, object_hash);
  std::vector<SourceFacts> out;
  while ((*q)->Step()) out.push_back({(*q)->Text(0), (*q)->Int(1), (*q)->Int(2), (*q)->Text(3)});
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<int64_t> Catalog::BeginRun(const std::string& command) {
  auto q = db_->Prepare("INSERT INTO runs(command, started_at) VALUES(?, ?)");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, command).Bind(2, NowIso8601());
  SMELTER_RETURN_IF_ERROR((*q)->Run());
  return db_->LastInsertRowId();
}

Status Catalog::FinishRun(const RunRecord& r) {
  auto q = db_->Prepare(
      "UPDATE runs SET finished_at=?, duration_ms=?, docs_processed=?, docs_gold=?, "
      "docs_quarantined=?, bytes_in=?, status=? WHERE id=?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, NowIso8601()).Bind(2, r.duration_ms).Bind(3, r.docs_processed).Bind(4, r.docs_gold)
      .Bind(5, r.docs_quarantined).Bind(6, r.bytes_in).Bind(7, r.status).Bind(8, r.id);
  return (*q)->Run();
}

Result<std::vector<RunRecord>> Catalog::RecentRuns(int limit) {
  auto q = db_->Prepare(
      "SELECT id, command, started_at, finished_at, duration_ms, docs_processed, docs_gold, "
      "docs_quarantined, bytes_in, status FROM runs ORDER BY id DESC LIMIT ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, int64_t{limit});
  std::vector<RunRecord> out;
  while ((*q)->Step()) {
    RunRecord r;
    r.id = (*q)->Int(0);
    r.command = (*q)->Text(1);
    r.started_at = (*q)->Text(2);
    r.finished_at = (*q)->Text(3);
    r.duration_ms = (*q)->Int(4);
    r.docs_processed = (*q)->Int(5);
    r.docs_gold = (*q)->Int(6);
    r.docs_quarantined = (*q)->Int(7);
    r.bytes_in = (*q)->Int(8);
    r.status = (*q)->Text(9);
    out.push_back(r);
  }
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<CatalogStats> Catalog::Stats() {
  CatalogStats s;
  auto one = [&](const char* sql, int64_t* a, int64_t* b) -> Status {
    auto q = db_->Prepare(sql);
    if (!q.ok()) return q.status();
    if ((*q)->Step()) {
      if (a) *a = (*q)->Int(0);
      if (b) *b = (*q)->Int(1);
    }
    return (*q)->status();
  };
  SMELTER_RETURN_IF_ERROR(one("SELECT count(*), coalesce(sum(size),0) FROM objects", &s.objects, &s.object_bytes));
  SMELTER_RETURN_IF_ERROR(one("SELECT count(*), 0 FROM sources", &s.sources, nullptr));
  SMELTER_RETURN_IF_ERROR(one("SELECT count(*), coalesce(sum(indexed = 0),0) FROM chunks", &s.chunks, &s.chunks_unindexed));
  SMELTER_RETURN_IF_ERROR(one("SELECT coalesce(sum(paragraphs_dropped),0), count(*) FROM documents "
                              "WHERE stage = 'gold' AND paragraphs_dropped > 0",
                              &s.paragraphs_dropped, &s.documents_with_dropped_paragraphs));
  auto grouped = [&](const char* sql, std::map<std::string, int64_t>* out) -> Status {
    auto q = db_->Prepare(sql);
    if (!q.ok()) return q.status();
    while ((*q)->Step()) (*out)[(*q)->Text(0)] = (*q)->Int(1);
    return (*q)->status();
  };
  SMELTER_RETURN_IF_ERROR(grouped("SELECT stage, count(*) FROM documents GROUP BY stage", &s.documents_by_stage));
  SMELTER_RETURN_IF_ERROR(grouped(
      "SELECT reason, count(*) FROM documents WHERE stage = 'quarantined' GROUP BY reason",
      &s.quarantined_by_reason));
  return s;
}

}  // namespace smelter
