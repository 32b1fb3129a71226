#include "dedup/paragraph_counts.h"

#include <algorithm>

#include "dedup/text_normalize.h"

namespace smelter::dedup {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS paragraph_docs (
  hash INTEGER NOT NULL,
  doc_id TEXT NOT NULL,
  PRIMARY KEY (hash, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paragraph_docs_doc ON paragraph_docs (doc_id);
CREATE TABLE IF NOT EXISTS paragraph_counts (hash INTEGER PRIMARY KEY, docs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS paragraph_drops (
  hash INTEGER NOT NULL,
  doc_id TEXT NOT NULL,
  PRIMARY KEY (hash, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paragraph_drops_doc ON paragraph_drops (doc_id);
)sql";

// Runs `body` inside a transaction of its own unless the caller has one
// open, so each call is atomic either way.
template <typename Body>
Status InTransaction(SqliteDb& db, Body body) {
  if (!sqlite3_get_autocommit(db.handle())) return body();
  SqliteTransaction txn(db);
  SMELTER_RETURN_IF_ERROR(txn.begin_status());
  SMELTER_RETURN_IF_ERROR(body());
  return txn.Commit();
}

bool IsBlankLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

uint64_t CountableParagraphHash(std::string_view text, int min_words) {
  const std::string normalized = NormalizeForDedup(text);
  if (static_cast<int>(SplitWords(normalized).size()) < min_words) return 0;
  const uint64_t hash = ParagraphHash(normalized);
  return hash != 0 ? hash : 1;  // 0 means "not counted"
}

std::vector<Paragraph> SplitParagraphs(std::string_view text, int min_words) {
  std::vector<Paragraph> out;
  size_t pos = 0;
  size_t start = std::string_view::npos;
  auto close = [&](size_t end) {
    if (start == std::string_view::npos) return;
    out.push_back(Paragraph{start, end, CountableParagraphHash(text.substr(start, end - start), min_words)});
    start = std::string_view::npos;
  };
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    if (IsBlankLine(line)) {
      close(pos);
    } else if (start == std::string_view::npos) {
      start = pos;
    }
    pos = eol + 1;
  }
  close(text.size());
  // Trim the trailing newline that the last line before a blank one keeps.
  for (Paragraph& p : out) {
    while (p.end > p.begin && (text[p.end - 1] == '\n' || text[p.end - 1] == '\r')) --p.end;
  }
  return out;
}

Result<std::unique_ptr<ParagraphCounter>> ParagraphCounter::Attach(SqliteDb& db) {
  SMELTER_RETURN_IF_ERROR(db.Exec(kSchema));
  std::unique_ptr<ParagraphCounter> counter(new ParagraphCounter(db));
  struct Spec {
    std::unique_ptr<SqliteStatement>* out;
    const char* sql;
  };
  const Spec specs[] = {
      {&counter->insert_doc_, "INSERT OR IGNORE INTO paragraph_docs (hash, doc_id) VALUES (?, ?)"},
      {&counter->bump_,
       "INSERT INTO paragraph_counts (hash, docs) VALUES (?, 1) ON CONFLICT (hash) DO UPDATE SET docs = docs + 1"},
      {&counter->count_, "SELECT docs FROM paragraph_counts WHERE hash = ?"},
      {&counter->mine_, "SELECT 1 FROM paragraph_docs WHERE hash = ? AND doc_id = ?"},
      {&counter->of_doc_, "SELECT hash FROM paragraph_docs WHERE doc_id = ?"},
      {&counter->drop_, "UPDATE paragraph_counts SET docs = docs - 1 WHERE hash = ?"},
      {&counter->delete_docs_, "DELETE FROM paragraph_docs WHERE doc_id = ?"},
      {&counter->insert_drop_, "INSERT OR IGNORE INTO paragraph_drops (hash, doc_id) VALUES (?, ?)"},
      {&counter->delete_drops_, "DELETE FROM paragraph_drops WHERE doc_id = ?"},
      {&counter->drops_of_hash_, "SELECT doc_id FROM paragraph_drops WHERE hash = ?"},
  };
  for (const Spec& spec : specs) {
    auto st = db.Prepare(spec.sql);
    if (!st.ok()) return st.status();
    *spec.out = std::move(st).value();
  }
  return counter;
}

Status ParagraphCounter::Record(const std::string& doc_id, const std::vector<uint64_t>& hashes) {
  return InTransaction(db_, [&]() -> Status {
    for (uint64_t hash : hashes) {
      if (hash == 0) continue;
      const int64_t h = static_cast<int64_t>(hash);
      SMELTER_RETURN_IF_ERROR(insert_doc_->Bind(1, h).Bind(2, doc_id).Run());
      if (db_.Changes() == 0) continue;  // already counted for this document
      SMELTER_RETURN_IF_ERROR(bump_->Bind(1, h).Run());
    }
    return Status::OK();
  });
}

Status ParagraphCounter::RecordDropped(const std::string& doc_id, const std::vector<uint64_t>& hashes) {
  return InTransaction(db_, [&]() -> Status {
    for (uint64_t hash : hashes)
      if (hash != 0) SMELTER_RETURN_IF_ERROR(insert_drop_->Bind(1, static_cast<int64_t>(hash)).Bind(2, doc_id).Run());
    return Status::OK();
  });
}

Status ParagraphCounter::Forget(const std::string& doc_id, std::vector<uint64_t>* held) {
  return InTransaction(db_, [&]() -> Status {
    std::vector<int64_t> hashes;
    of_doc_->Reset();
    of_doc_->Bind(1, doc_id);
    while (of_doc_->Step()) hashes.push_back(of_doc_->Int(0));
    SMELTER_RETURN_IF_ERROR(of_doc_->status());
    of_doc_->Reset();
    for (int64_t h : hashes) {
      SMELTER_RETURN_IF_ERROR(drop_->Bind(1, h).Run());
      if (held) held->push_back(static_cast<uint64_t>(h));
    }
    SMELTER_RETURN_IF_ERROR(delete_docs_->Bind(1, doc_id).Run());
    SMELTER_RETURN_IF_ERROR(delete_drops_->Bind(1, doc_id).Run());
    if (!hashes.empty()) SMELTER_RETURN_IF_ERROR(db_.Exec("DELETE FROM paragraph_counts WHERE docs <= 0"));
    return Status::OK();
  });
}

Result<int64_t> ParagraphCounter::OtherDocuments(uint64_t hash, const std::string& doc_id) {
  const int64_t h = static_cast<int64_t>(hash);
  count_->Reset();
  count_->Bind(1, h);
  int64_t docs = count_->Step() ? count_->Int(0) : 0;
  SMELTER_RETURN_IF_ERROR(count_->status());
  count_->Reset();
  mine_->Reset();
  mine_->Bind(1, h).Bind(2, doc_id);
  if (mine_->Step()) --docs;
  SMELTER_RETURN_IF_ERROR(mine_->status());
  mine_->Reset();
  return docs;
}

Result<bool> ParagraphCounter::SeenElsewhere(uint64_t hash, const std::string& doc_id, int min_docs) {
  if (hash == 0) return false;
  auto others = OtherDocuments(hash, doc_id);
  if (!others.ok()) return others.status();
  return *others >= min_docs;
}

Result<std::vector<std::string>> ParagraphCounter::Orphaned(int min_docs, const std::vector<uint64_t>* hashes) {
  std::vector<std::string> out;
  if (hashes == nullptr) {
    auto q = db_.Prepare(
        "SELECT DISTINCT d.doc_id FROM paragraph_drops d LEFT JOIN paragraph_counts c ON c.hash = d.hash "
        "WHERE COALESCE(c.docs, 0) < ? ORDER BY d.doc_id");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, int64_t{min_docs});
    while ((*q)->Step()) out.push_back((*q)->Text(0));
    SMELTER_RETURN_IF_ERROR((*q)->status());
    return out;
  }
  for (uint64_t hash : *hashes) {
    if (hash == 0) continue;
    // Holders are never droppers of the same hash, so "other than" nobody.
    auto holders = OtherDocuments(hash, std::string());
    if (!holders.ok()) return holders.status();
    if (*holders >= min_docs) continue;
    drops_of_hash_->Reset();
    drops_of_hash_->Bind(1, static_cast<int64_t>(hash));
    while (drops_of_hash_->Step()) out.push_back(drops_of_hash_->Text(0));
    SMELTER_RETURN_IF_ERROR(drops_of_hash_->status());
    drops_of_hash_->Reset();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::vector<std::string>> ParagraphCounter::DocumentsWithDrops() {
  auto q = db_.Prepare("SELECT DISTINCT doc_id FROM paragraph_drops ORDER BY doc_id");
  if (!q.ok()) return q.status();
  std::vector<std::string> out;
  while ((*q)->Step()) out.push_back((*q)->Text(0));
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return out;
}

Result<bool> ParagraphCounter::IsEmpty() {
  auto q = db_.Prepare(
      "SELECT NOT EXISTS (SELECT 1 FROM paragraph_docs) AND NOT EXISTS (SELECT 1 FROM paragraph_drops)");
  if (!q.ok()) return q.status();
  const bool empty = (*q)->Step() && (*q)->Int(0) != 0;
  SMELTER_RETURN_IF_ERROR((*q)->status());
  return empty;
}

Status ParagraphCounter::Clear() {
  return InTransaction(db_, [&]() -> Status {
    return db_.Exec("DELETE FROM paragraph_docs; DELETE FROM paragraph_counts; DELETE FROM paragraph_drops;");
  });
}

}  // namespace smelter::dedup
