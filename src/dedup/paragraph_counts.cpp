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
)sql";

bool IsBlankLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

std::vector<Paragraph> SplitParagraphs(std::string_view text, int min_words) {
  std::vector<Paragraph> out;
  size_t pos = 0;
  size_t start = std::string_view::npos;
  auto close = [&](size_t end) {
    if (start == std::string_view::npos) return;
    Paragraph p{start, end, 0};
    const std::string normalized = NormalizeForDedup(text.substr(start, end - start));
    if (static_cast<int>(SplitWords(normalized).size()) >= min_words) p.hash = ParagraphHash(normalized);
    out.push_back(p);
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
  };
  for (const Spec& spec : specs) {
    auto st = db.Prepare(spec.sql);
    if (!st.ok()) return st.status();
    *spec.out = std::move(st).value();
  }
  return counter;
}

Status ParagraphCounter::Record(const std::string& doc_id, const std::vector<uint64_t>& hashes) {
  const bool own_txn = sqlite3_get_autocommit(db_.handle());
  std::unique_ptr<SqliteTransaction> txn;
  if (own_txn) {
    txn = std::make_unique<SqliteTransaction>(db_);
    SMELTER_RETURN_IF_ERROR(txn->begin_status());
  }
  for (uint64_t hash : hashes) {
    if (hash == 0) continue;
    const int64_t h = static_cast<int64_t>(hash);
    SMELTER_RETURN_IF_ERROR(insert_doc_->Bind(1, h).Bind(2, doc_id).Run());
    if (db_.Changes() == 0) continue;  // already counted for this document
    SMELTER_RETURN_IF_ERROR(bump_->Bind(1, h).Run());
  }
  return txn ? txn->Commit() : Status::OK();
}

Status ParagraphCounter::Forget(const std::string& doc_id) {
  const bool own_txn = sqlite3_get_autocommit(db_.handle());
  std::unique_ptr<SqliteTransaction> txn;
  if (own_txn) {
    txn = std::make_unique<SqliteTransaction>(db_);
    SMELTER_RETURN_IF_ERROR(txn->begin_status());
  }
  std::vector<int64_t> hashes;
  of_doc_->Reset();
  of_doc_->Bind(1, doc_id);
  while (of_doc_->Step()) hashes.push_back(of_doc_->Int(0));
  SMELTER_RETURN_IF_ERROR(of_doc_->status());
  of_doc_->Reset();
  for (int64_t h : hashes) SMELTER_RETURN_IF_ERROR(drop_->Bind(1, h).Run());
  SMELTER_RETURN_IF_ERROR(delete_docs_->Bind(1, doc_id).Run());
  SMELTER_RETURN_IF_ERROR(db_.Exec("DELETE FROM paragraph_counts WHERE docs <= 0"));
  return txn ? txn->Commit() : Status::OK();
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

}  // namespace smelter::dedup
