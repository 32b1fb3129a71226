#include "dedup/dedup_index.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "dedup/text_normalize.h"

namespace smelter::dedup {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS dedup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dedup_docs (
  doc_key INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE,
  exact_key BLOB NOT NULL,
  signature BLOB NOT NULL,
  length INTEGER NOT NULL,
  modified INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  canonical_key INTEGER NOT NULL,
  match_kind INTEGER NOT NULL DEFAULT 0,
  match_id TEXT NOT NULL DEFAULT '',
  match_similarity REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS dedup_docs_exact ON dedup_docs (exact_key);
CREATE INDEX IF NOT EXISTS dedup_docs_canonical ON dedup_docs (canonical_key);
CREATE TABLE IF NOT EXISTS dedup_bands (
  bucket INTEGER NOT NULL,
  doc_key INTEGER NOT NULL,
  band INTEGER NOT NULL,
  PRIMARY KEY (bucket, doc_key)
) WITHOUT ROWID;
)sql";

constexpr int kBandRowsPerInsert = 64;  // 192 parameters, well under SQLite's limit

// Signatures are stored as little-endian uint32s whatever the host.
std::string EncodeSignature(const Signature& sig) {
  std::string out(sig.size() * 4, '\0');
  for (size_t i = 0; i < sig.size(); ++i) {
    for (int b = 0; b < 4; ++b) out[i * 4 + static_cast<size_t>(b)] = static_cast<char>((sig[i] >> (8 * b)) & 0xFF);
  }
  return out;
}

Signature DecodeSignature(std::string_view bytes) {
  Signature sig(bytes.size() / 4);
  for (size_t i = 0; i < sig.size(); ++i) {
    uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i * 4 + static_cast<size_t>(b)])) << (8 * b);
    sig[i] = v;
  }
  return sig;
}

// Joins the caller's transaction when there is one, else opens its own.
class MaybeTransaction {
 public:
  explicit MaybeTransaction(SqliteDb& db) {
    if (sqlite3_get_autocommit(db.handle())) txn_ = std::make_unique<SqliteTransaction>(db);
  }
  Status begin_status() const { return txn_ ? txn_->begin_status() : Status::OK(); }
  Status Commit() { return txn_ ? txn_->Commit() : Status::OK(); }

 private:
  std::unique_ptr<SqliteTransaction> txn_;
};

}  // namespace

Result<CanonicalPolicy> ParseCanonicalPolicy(std::string_view name) {
  if (name == "newest") return CanonicalPolicy::kNewest;
  if (name == "longest") return CanonicalPolicy::kLongest;
  if (name == "priority") return CanonicalPolicy::kPriority;
  return Status::InvalidArgument("dedup policy must be newest, longest or priority, not '" + std::string(name) + "'");
}

std::string_view PolicyName(CanonicalPolicy policy) {
  switch (policy) {
    case CanonicalPolicy::kNewest: return "newest";
    case CanonicalPolicy::kLongest: return "longest";
    case CanonicalPolicy::kPriority: return "priority";
  }
  return "newest";
}

std::string_view KindName(DedupKind kind) {
  switch (kind) {
    case DedupKind::kUnique: return "unique";
    case DedupKind::kExactDuplicate: return "exact";
    case DedupKind::kNearDuplicate: return "near";
  }
  return "unique";
}

struct DedupIndex::Row {
  int64_t key = 0;
  std::string id;
  std::string exact_key;
  Signature signature;
  int64_t length = 0;
  int64_t modified = 0;
  int64_t priority = 0;
  int64_t canonical = 0;
};

struct DedupIndex::Statements {
  std::unique_ptr<SqliteStatement> find_id, find_exact, bucket_lookup, load_row, insert_doc, insert_band,
      insert_bands, delete_band, delete_doc, repoint, members_of, next_key;
};

DedupIndex::DedupIndex(std::unique_ptr<SqliteDb> owned, SqliteDb* db, const DedupOptions& options)
    : owned_(std::move(owned)), db_(db), options_(options), hasher_(options.minhash) {
  options_.minhash = hasher_.options();  // clamped
}

DedupIndex::~DedupIndex() = default;

Result<std::unique_ptr<DedupIndex>> DedupIndex::Open(const std::string& path, const DedupOptions& options) {
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  SqliteDb* raw = db->get();
  // Our own file: WAL and NORMAL sync (a crash may lose the last commits,
  // never corrupt the file; the pipeline re-adds documents it has not
  // committed). Band keys are random, so inserts touch pages all over the
  // bucket index: a cache of up to 128 MB keeps a bulk AddAll from spilling
  // and re-reading pages (SQLite allocates it only as pages are used).
  SMELTER_RETURN_IF_ERROR(
      raw->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"));
  std::unique_ptr<DedupIndex> index(new DedupIndex(std::move(db).value(), raw, options));
  SMELTER_RETURN_IF_ERROR(index->Init());
  return index;
}

Result<std::unique_ptr<DedupIndex>> DedupIndex::Attach(SqliteDb& db, const DedupOptions& options) {
  std::unique_ptr<DedupIndex> index(new DedupIndex(nullptr, &db, options));
  SMELTER_RETURN_IF_ERROR(index->Init());
  return index;
}

Status DedupIndex::Init() {
  if (!(options_.threshold > 0.0 && options_.threshold < 1.0)) {
    return Status::InvalidArgument("dedup threshold must be between 0 and 1 (exclusive)");
  }
  jaccard_threshold_ = JaccardForSimilarity(options_.threshold, options_.minhash.shingle);
  lsh_ = OptimalLshParams(jaccard_threshold_, options_.minhash.permutations);
  SMELTER_RETURN_IF_ERROR(db_->Exec(kSchema));

  std::map<std::string, std::string> meta;
  {
    auto st = db_->Prepare("SELECT key, value FROM dedup_meta");
    if (!st.ok()) return st.status();
    while ((*st)->Step()) meta[(*st)->Text(0)] = (*st)->Text(1);
    SMELTER_RETURN_IF_ERROR((*st)->status());
  }
  const std::map<std::string, std::string> wanted = {
      {"shingle", std::to_string(options_.minhash.shingle)},
      {"permutations", std::to_string(options_.minhash.permutations)},
      {"seed", std::to_string(options_.minhash.seed)},
      {"bands", std::to_string(lsh_.bands)},
      {"rows", std::to_string(lsh_.rows)},
      {"policy", std::string(PolicyName(options_.policy))},
  };
  if (!meta.empty()) {
    for (const char* fixed : {"shingle", "permutations", "seed"}) {
      if (meta[fixed] != wanted.at(fixed)) {
        return Status::InvalidArgument("the dedup index was built with " + std::string(fixed) + " = " + meta[fixed] +
                                       ", not " + wanted.at(fixed) + "; delete it to rebuild");
      }
    }
  }
  SMELTER_RETURN_IF_ERROR(Prepare());
  const bool rebuild_bands = !meta.empty() && (meta["bands"] != wanted.at("bands") || meta["rows"] != wanted.at("rows"));
  const bool repick = !meta.empty() && meta["policy"] != wanted.at("policy");
  if (meta != wanted) {
    MaybeTransaction txn(*db_);
    SMELTER_RETURN_IF_ERROR(txn.begin_status());
    if (rebuild_bands) SMELTER_RETURN_IF_ERROR(RebuildBands());
    if (repick) SMELTER_RETURN_IF_ERROR(RepickAllCanonicals());
    auto put = db_->Prepare("INSERT OR REPLACE INTO dedup_meta (key, value) VALUES (?, ?)");
    if (!put.ok()) return put.status();
    for (const auto& [key, value] : wanted) SMELTER_RETURN_IF_ERROR((*put)->Bind(1, key).Bind(2, value).Run());
    SMELTER_RETURN_IF_ERROR(txn.Commit());
  }
  return Status::OK();
}

Status DedupIndex::Prepare() {
  stmts_ = std::make_unique<Statements>();
  auto prepare = [&](std::unique_ptr<SqliteStatement>* out, const std::string& sql) -> Status {
    auto st = db_->Prepare(sql);
    if (!st.ok()) return st.status();
    *out = std::move(st).value();
    return Status::OK();
  };
  std::string in_list;
  for (int i = 0; i < lsh_.bands; ++i) in_list += i ? ",?" : "?";
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->find_id, "SELECT doc_key, exact_key FROM dedup_docs WHERE doc_id = ?"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->find_exact, "SELECT doc_key FROM dedup_docs WHERE exact_key = ? LIMIT 1"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->bucket_lookup,
                                  "SELECT DISTINCT doc_key FROM dedup_bands WHERE bucket IN (" + in_list + ")"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->load_row,
                                  "SELECT doc_id, exact_key, signature, length, modified, priority, canonical_key "
                                  "FROM dedup_docs WHERE doc_key = ?"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->insert_doc,
                                  "INSERT INTO dedup_docs (doc_key, doc_id, exact_key, signature, length, modified, "
                                  "priority, canonical_key, match_kind, match_id, match_similarity) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->next_key, "SELECT COALESCE(MAX(doc_key), 0) + 1 FROM dedup_docs"));
  // Band rows go in kBandRowsPerInsert at a time: one statement execution
  // per batch instead of per row.
  std::string many = "INSERT OR IGNORE INTO dedup_bands (bucket, doc_key, band) VALUES (?, ?, ?)";
  for (int i = 1; i < kBandRowsPerInsert; ++i) many += ", (?, ?, ?)";
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->insert_bands, many));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->insert_band,
                                  "INSERT OR IGNORE INTO dedup_bands (bucket, doc_key, band) VALUES (?, ?, ?)"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->delete_band, "DELETE FROM dedup_bands WHERE bucket = ? AND doc_key = ?"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->delete_doc, "DELETE FROM dedup_docs WHERE doc_key = ?"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->repoint, "UPDATE dedup_docs SET canonical_key = ? WHERE canonical_key = ?"));
  SMELTER_RETURN_IF_ERROR(prepare(&stmts_->members_of, "SELECT doc_key FROM dedup_docs WHERE canonical_key = ?"));
  return Status::OK();
}

Result<DedupIndex::Row> DedupIndex::LoadRow(int64_t doc_key) {
  SqliteStatement& st = *stmts_->load_row;
  st.Reset();
  st.Bind(1, doc_key);
  if (!st.Step()) {
    Status status = st.status().ok() ? Status::NotFound("dedup: no document row " + std::to_string(doc_key)) : st.status();
    st.Reset();
    return status;
  }
  Row row;
  row.key = doc_key;
  row.id = st.Text(0);
  row.exact_key = st.Text(1);
  row.signature = DecodeSignature(st.Text(2));
  row.length = st.Int(3);
  row.modified = st.Int(4);
  row.priority = st.Int(5);
  row.canonical = st.Int(6);
  st.Reset();
  return row;
}

void DedupIndex::QueueBands(int64_t doc_key, const std::vector<uint64_t>& keys) {
  for (size_t band = 0; band < keys.size(); ++band) {
    pending_bands_.push_back(PendingBand{keys[band], doc_key, static_cast<int>(band)});
    pending_lookup_.emplace(keys[band], doc_key);
  }
}

Status DedupIndex::FlushBands() {
  std::sort(pending_bands_.begin(), pending_bands_.end(), [](const PendingBand& a, const PendingBand& b) {
    return static_cast<int64_t>(a.bucket) < static_cast<int64_t>(b.bucket);  // the column's order
  });
  Status status;
  size_t i = 0;
  for (; status.ok() && i + kBandRowsPerInsert <= pending_bands_.size(); i += kBandRowsPerInsert) {
    SqliteStatement& st = *stmts_->insert_bands;
    for (int j = 0; j < kBandRowsPerInsert; ++j) {
      const PendingBand& row = pending_bands_[i + static_cast<size_t>(j)];
      st.Bind(3 * j + 1, static_cast<int64_t>(row.bucket)).Bind(3 * j + 2, row.doc_key).Bind(3 * j + 3, static_cast<int64_t>(row.band));
    }
    status = st.Run();
  }
  for (; status.ok() && i < pending_bands_.size(); ++i) {
    const PendingBand& row = pending_bands_[i];
    SqliteStatement& st = *stmts_->insert_band;
    st.Bind(1, static_cast<int64_t>(row.bucket)).Bind(2, row.doc_key).Bind(3, static_cast<int64_t>(row.band));
    status = st.Run();
  }
  pending_bands_.clear();
  pending_lookup_.clear();
  return status;
}

Status DedupIndex::DeleteBands(int64_t doc_key, const Signature& signature) {
  if (signature.size() < static_cast<size_t>(lsh_.bands * lsh_.rows)) return Status::OK();
  SqliteStatement& st = *stmts_->delete_band;
  for (uint64_t key : BandKeys(signature, lsh_)) {
    SMELTER_RETURN_IF_ERROR(st.Bind(1, static_cast<int64_t>(key)).Bind(2, doc_key).Run());
  }
  return Status::OK();
}

Status DedupIndex::RebuildBands() {
  SMELTER_RETURN_IF_ERROR(db_->Exec("DELETE FROM dedup_bands"));
  auto all = db_->Prepare("SELECT doc_key, signature FROM dedup_docs");
  if (!all.ok()) return all.status();
  while ((*all)->Step()) {
    const Signature sig = DecodeSignature((*all)->Text(1));
    if (sig.size() >= static_cast<size_t>(lsh_.bands * lsh_.rows)) QueueBands((*all)->Int(0), BandKeys(sig, lsh_));
  }
  SMELTER_RETURN_IF_ERROR((*all)->status());
  return FlushBands();
}

Status DedupIndex::RepickAllCanonicals() {
  std::vector<int64_t> canonicals;
  {
    auto st = db_->Prepare("SELECT DISTINCT canonical_key FROM dedup_docs");
    if (!st.ok()) return st.status();
    while ((*st)->Step()) canonicals.push_back((*st)->Int(0));
    SMELTER_RETURN_IF_ERROR((*st)->status());
  }
  for (int64_t canonical : canonicals) {
    std::vector<int64_t> members;
    SqliteStatement& st = *stmts_->members_of;
    st.Reset();
    st.Bind(1, canonical);
    while (st.Step()) members.push_back(st.Int(0));
    SMELTER_RETURN_IF_ERROR(st.status());
    st.Reset();
    std::optional<Row> best;
    for (int64_t key : members) {
      auto row = LoadRow(key);
      if (!row.ok()) return row.status();
      if (!best || Better(*row, *best)) best = std::move(row).value();
    }
    if (best && best->key != canonical) {
      SMELTER_RETURN_IF_ERROR(stmts_->repoint->Bind(1, best->key).Bind(2, canonical).Run());
    }
  }
  return Status::OK();
}

// True when a should be canonical rather than b under the policy.
bool DedupIndex::Better(const Row& a, const Row& b) const {
  auto newest = [&]() -> int { return a.modified != b.modified ? (a.modified > b.modified ? 1 : -1) : 0; };
  auto longest = [&]() -> int { return a.length != b.length ? (a.length > b.length ? 1 : -1) : 0; };
  int order = 0;
  switch (options_.policy) {
    case CanonicalPolicy::kNewest:
      order = newest();
      if (!order) order = longest();
      break;
    case CanonicalPolicy::kLongest:
      order = longest();
      if (!order) order = newest();
      break;
    case CanonicalPolicy::kPriority:
      order = a.priority != b.priority ? (a.priority > b.priority ? 1 : -1) : 0;
      if (!order) order = newest();
      if (!order) order = longest();
      break;
  }
  if (order) return order > 0;
  return a.id < b.id;  // deterministic whatever the arrival order
}

double DedupIndex::Similarity(const Signature& a, const Signature& b) const {
  return SimilarityFromJaccard(EstimateJaccard(a, b), options_.minhash.shingle);
}

Result<DedupDecision> DedupIndex::Add(const DedupDocument& doc) {
  MaybeTransaction txn(*db_);
  SMELTER_RETURN_IF_ERROR(txn.begin_status());
  pending_bands_.clear();
  pending_lookup_.clear();
  auto decision = AddOne(doc);
  if (!decision.ok()) return decision.status();
  SMELTER_RETURN_IF_ERROR(FlushBands());
  SMELTER_RETURN_IF_ERROR(txn.Commit());
  return decision;
}

Result<std::vector<DedupDecision>> DedupIndex::AddAll(const std::vector<DedupDocument>& docs) {
  MaybeTransaction txn(*db_);
  SMELTER_RETURN_IF_ERROR(txn.begin_status());
  pending_bands_.clear();
  pending_lookup_.clear();
  std::vector<DedupDecision> decisions;
  decisions.reserve(docs.size());
  for (const DedupDocument& doc : docs) {
    auto decision = AddOne(doc);
    if (!decision.ok()) return decision.status();
    decisions.push_back(std::move(decision).value());
  }
  SMELTER_RETURN_IF_ERROR(FlushBands());
  SMELTER_RETURN_IF_ERROR(txn.Commit());
  return decisions;
}

Result<DedupDecision> DedupIndex::AddOne(const DedupDocument& doc) {
  if (doc.id.empty()) return Status::InvalidArgument("dedup: empty document id");
  const std::string normalized = NormalizeForDedup(doc.text);
  const std::string exact = ExactKeyOf(normalized).Bytes();

  // The same id again: unchanged text keeps its place, changed text is
  // removed and added anew.
  std::string promoted_by_replace;
  {
    SqliteStatement& st = *stmts_->find_id;
    st.Reset();
    st.Bind(1, doc.id);
    std::optional<int64_t> existing;
    std::string existing_exact;
    if (st.Step()) {
      existing = st.Int(0);
      existing_exact = st.Text(1);
    }
    SMELTER_RETURN_IF_ERROR(st.status());
    st.Reset();
    if (existing && existing_exact == exact) {
      auto stored = db_->Prepare(
          "SELECT d.match_kind, d.match_id, d.match_similarity, c.doc_id FROM dedup_docs d "
          "JOIN dedup_docs c ON c.doc_key = d.canonical_key WHERE d.doc_key = ?");
      if (!stored.ok()) return stored.status();
      (*stored)->Bind(1, *existing);
      DedupDecision decision;
      if ((*stored)->Step()) {
        const int64_t kind = (*stored)->Int(0);
        decision.kind = kind == 1 ? DedupKind::kExactDuplicate : kind == 2 ? DedupKind::kNearDuplicate : DedupKind::kUnique;
        decision.duplicate_of = (*stored)->Text(1);
        decision.similarity = (*stored)->Double(2);
        decision.canonical_id = (*stored)->Text(3);
      }
      SMELTER_RETURN_IF_ERROR((*stored)->status());
      return decision;
    }
    if (existing) {
      auto removed = RemoveOne(doc.id);
      if (!removed.ok()) return removed.status();
      if (!removed->promoted.empty()) promoted_by_replace = removed->promoted;
    }
  }

  Row self;
  self.id = doc.id;
  self.exact_key = exact;
  self.signature = hasher_.Compute(normalized);
  ++signatures_computed_;
  self.length = static_cast<int64_t>(std::count(normalized.begin(), normalized.end(), ' ')) + (normalized.empty() ? 0 : 1);
  self.modified = doc.modified;
  self.priority = doc.priority;

  DedupDecision decision;
  std::map<int64_t, Row> canonicals;  // clusters this document joins, by canonical key
  auto note_cluster = [&](const Row& member) -> Status {
    if (canonicals.count(member.canonical)) return Status::OK();
    if (member.canonical == member.key) {
      canonicals.emplace(member.key, member);
      return Status::OK();
    }
    auto canonical = LoadRow(member.canonical);
    if (!canonical.ok()) return canonical.status();
    canonicals.emplace(member.canonical, std::move(canonical).value());
    return Status::OK();
  };

  // Exact duplicate: any stored document with the same key.
  {
    SqliteStatement& st = *stmts_->find_exact;
    st.Reset();
    st.BindBlob(1, exact);
    std::optional<int64_t> twin;
    if (st.Step()) twin = st.Int(0);
    SMELTER_RETURN_IF_ERROR(st.status());
    st.Reset();
    if (twin) {
      auto row = LoadRow(*twin);
      if (!row.ok()) return row.status();
      decision.kind = DedupKind::kExactDuplicate;
      decision.duplicate_of = row->id;
      decision.similarity = 1.0;
      SMELTER_RETURN_IF_ERROR(note_cluster(*row));
    }
  }

  // Near duplicates: LSH candidates, verified on the full signatures. An
  // empty text has no shingles and is matched by its exact key only.
  const bool banded = !normalized.empty();
  std::vector<uint64_t> band_keys;
  if (banded) {
    band_keys = BandKeys(self.signature, lsh_);
    SqliteStatement& st = *stmts_->bucket_lookup;
    st.Reset();
    for (size_t i = 0; i < band_keys.size(); ++i) st.Bind(static_cast<int>(i + 1), static_cast<int64_t>(band_keys[i]));
    std::vector<int64_t> candidates;
    while (st.Step()) candidates.push_back(st.Int(0));
    SMELTER_RETURN_IF_ERROR(st.status());
    st.Reset();
    for (uint64_t key : band_keys) {
      auto [begin, end] = pending_lookup_.equal_range(key);
      for (auto it = begin; it != end; ++it) candidates.push_back(it->second);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (int64_t key : candidates) {
      auto row = LoadRow(key);
      if (!row.ok()) return row.status();
      if (row->exact_key == exact) {
        SMELTER_RETURN_IF_ERROR(note_cluster(*row));
        continue;
      }
      const double similarity = Similarity(self.signature, row->signature);
      if (similarity < options_.threshold) continue;
      if (decision.kind != DedupKind::kExactDuplicate && similarity > decision.similarity) {
        decision.kind = DedupKind::kNearDuplicate;
        decision.duplicate_of = row->id;
        decision.similarity = similarity;
      }
      SMELTER_RETURN_IF_ERROR(note_cluster(*row));
    }
  }

  // The new row's key is known before it is written, so that it can be
  // inserted already pointing at the cluster's winner.
  {
    SqliteStatement& st = *stmts_->next_key;
    st.Reset();
    if (!st.Step()) return st.status().ok() ? Status::Internal("dedup: no next key") : st.status();
    self.key = st.Int(0);
    self.canonical = self.key;
    st.Reset();
  }
  const Row* winner = &self;
  for (const auto& [key, canonical] : canonicals) {
    if (Better(canonical, *winner)) winner = &canonical;
  }
  {
    SqliteStatement& st = *stmts_->insert_doc;
    st.Bind(1, self.key)
        .Bind(2, doc.id)
        .BindBlob(3, exact)
        .BindBlob(4, EncodeSignature(self.signature))
        .Bind(5, self.length)
        .Bind(6, self.modified)
        .Bind(7, self.priority)
        .Bind(8, winner->key)
        .Bind(9, static_cast<int64_t>(decision.kind))
        .Bind(10, decision.duplicate_of)
        .Bind(11, decision.similarity);
    SMELTER_RETURN_IF_ERROR(st.Run());
  }
  if (banded) QueueBands(self.key, band_keys);
  for (const auto& [key, canonical] : canonicals) {
    if (key == winner->key) continue;
    SMELTER_RETURN_IF_ERROR(stmts_->repoint->Bind(1, winner->key).Bind(2, key).Run());
    decision.demoted.push_back(canonical.id);
  }
  decision.canonical_id = winner->id;
  // A document promoted when this id's old text left its cluster stays
  // canonical unless the new text just demoted it again.
  if (!promoted_by_replace.empty() &&
      std::find(decision.demoted.begin(), decision.demoted.end(), promoted_by_replace) == decision.demoted.end()) {
    decision.promoted.push_back(promoted_by_replace);
  }
  return decision;
}

Result<RemoveOutcome> DedupIndex::Remove(const std::string& doc_id) {
  MaybeTransaction txn(*db_);
  SMELTER_RETURN_IF_ERROR(txn.begin_status());
  auto outcome = RemoveOne(doc_id);
  if (!outcome.ok()) return outcome.status();
  SMELTER_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

Result<RemoveOutcome> DedupIndex::RemoveOne(const std::string& doc_id) {
  SMELTER_RETURN_IF_ERROR(FlushBands());  // so that the document's rows can be deleted
  SqliteStatement& find = *stmts_->find_id;
  find.Reset();
  find.Bind(1, doc_id);
  std::optional<int64_t> key;
  if (find.Step()) key = find.Int(0);
  SMELTER_RETURN_IF_ERROR(find.status());
  find.Reset();
  if (!key) return Status::NotFound("dedup: no document " + doc_id);
  auto row = LoadRow(*key);
  if (!row.ok()) return row.status();
  SMELTER_RETURN_IF_ERROR(DeleteBands(row->key, row->signature));
  SMELTER_RETURN_IF_ERROR(stmts_->delete_doc->Bind(1, row->key).Run());

  RemoveOutcome outcome;
  if (row->canonical != row->key) return outcome;
  std::vector<int64_t> members;
  SqliteStatement& st = *stmts_->members_of;
  st.Reset();
  st.Bind(1, row->key);
  while (st.Step()) members.push_back(st.Int(0));
  SMELTER_RETURN_IF_ERROR(st.status());
  st.Reset();
  std::optional<Row> best;
  for (int64_t member : members) {
    auto candidate = LoadRow(member);
    if (!candidate.ok()) return candidate.status();
    if (!best || Better(*candidate, *best)) best = std::move(candidate).value();
  }
  if (best) {
    SMELTER_RETURN_IF_ERROR(stmts_->repoint->Bind(1, best->key).Bind(2, row->key).Run());
    outcome.promoted = best->id;
  }
  return outcome;
}

Result<std::string> DedupIndex::CanonicalOf(const std::string& doc_id) {
  auto st = db_->Prepare(
      "SELECT c.doc_id FROM dedup_docs d JOIN dedup_docs c ON c.doc_key = d.canonical_key WHERE d.doc_id = ?");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, doc_id);
  if ((*st)->Step()) return (*st)->Text(0);
  if (!(*st)->status().ok()) return (*st)->status();
  return Status::NotFound("dedup: no document " + doc_id);
}

Result<int64_t> DedupIndex::DocumentCount() {
  auto st = db_->Prepare("SELECT COUNT(*) FROM dedup_docs");
  if (!st.ok()) return st.status();
  if (!(*st)->Step()) return (*st)->status().ok() ? Status::Internal("dedup: COUNT returned no row") : (*st)->status();
  return (*st)->Int(0);
}

Result<std::vector<DedupCluster>> DedupIndex::ListClusters(bool singletons) {
  auto st = db_->Prepare(
      "SELECT doc_key, doc_id, exact_key, signature, length, modified, priority, canonical_key FROM dedup_docs "
      "ORDER BY canonical_key, doc_key");
  if (!st.ok()) return st.status();
  std::unordered_map<int64_t, std::vector<Row>> groups;
  std::vector<int64_t> order;
  while ((*st)->Step()) {
    Row row;
    row.key = (*st)->Int(0);
    row.id = (*st)->Text(1);
    row.exact_key = (*st)->Text(2);
    row.signature = DecodeSignature((*st)->Text(3));
    row.length = (*st)->Int(4);
    row.modified = (*st)->Int(5);
    row.priority = (*st)->Int(6);
    row.canonical = (*st)->Int(7);
    auto& group = groups[row.canonical];
    if (group.empty()) order.push_back(row.canonical);
    group.push_back(std::move(row));
  }
  SMELTER_RETURN_IF_ERROR((*st)->status());

  std::vector<DedupCluster> clusters;
  for (int64_t canonical_key : order) {
    std::vector<Row>& group = groups[canonical_key];
    if (group.size() < 2 && !singletons) continue;
    auto canonical = std::find_if(group.begin(), group.end(), [&](const Row& r) { return r.key == canonical_key; });
    if (canonical == group.end()) continue;  // cannot happen: canonicals point to themselves
    DedupCluster cluster;
    cluster.canonical_id = canonical->id;
    for (const Row& r : group) {
      ClusterMember m;
      m.id = r.id;
      m.exact = r.exact_key == canonical->exact_key;
      m.similarity = m.exact ? 1.0 : Similarity(r.signature, canonical->signature);
      m.length = r.length;
      m.modified = r.modified;
      m.priority = r.priority;
      cluster.members.push_back(std::move(m));
    }
    std::stable_sort(cluster.members.begin(), cluster.members.end(), [&](const ClusterMember& a, const ClusterMember& b) {
      const bool a_canon = a.id == cluster.canonical_id, b_canon = b.id == cluster.canonical_id;
      if (a_canon != b_canon) return a_canon;
      return a.similarity > b.similarity;
    });
    clusters.push_back(std::move(cluster));
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const DedupCluster& a, const DedupCluster& b) { return a.members.size() > b.members.size(); });
  return clusters;
}

}  // namespace smelter::dedup
