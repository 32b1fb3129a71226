// Paragraph-level repetition: how many documents contain a paragraph, so
// that boilerplate repeated across a lake (disclaimers, e-mail signatures,
// confidentiality footers) can be dropped from chunks after its first
// occurrence while documents that are otherwise unique stay whole.
//
// A paragraph is identified by ParagraphHash (text_normalize.h) of its
// normalized text, so wrapping, case and punctuation changes do not make it
// new. Counts are of distinct documents: recording a document twice, or a
// paragraph twice within one document, counts once. Tables (created when
// missing, in any database the caller owns, e.g. the dedup index's):
// paragraph_docs (hash, doc_id) and paragraph_counts (hash, docs).
//
// Typical use, per document in pipeline order:
//   auto hashes = ParagraphHashes(markdown);
//   for each paragraph: drop it when SeenElsewhere(hash, id, min_docs);
//   Record(id, hashes);
// Not thread-safe; joins the caller's transaction when one is open.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/sqlite.h"
#include "core/status.h"

namespace smelter::dedup {

struct Paragraph {
  size_t begin = 0;   // byte range in the text given to SplitParagraphs
  size_t end = 0;
  uint64_t hash = 0;  // ParagraphHash of the normalized paragraph; 0 when too short to count
};

// Paragraphs of a (Markdown) text: runs of lines separated by blank lines.
// Paragraphs of fewer than min_words normalized words get hash 0: short
// lines ("Thanks,", a page number) repeat everywhere and say nothing.
std::vector<Paragraph> SplitParagraphs(std::string_view text, int min_words = 8);

class ParagraphCounter {
 public:
  static Result<std::unique_ptr<ParagraphCounter>> Attach(SqliteDb& db);

  // Records that doc_id contains these paragraph hashes (0 is skipped).
  Status Record(const std::string& doc_id, const std::vector<uint64_t>& hashes);
  // Forgets everything recorded for doc_id (when a document is removed).
  Status Forget(const std::string& doc_id);
  // Number of distinct documents other than doc_id that contain the hash.
  Result<int64_t> OtherDocuments(uint64_t hash, const std::string& doc_id);
  // True when at least min_docs other documents contain the hash.
  Result<bool> SeenElsewhere(uint64_t hash, const std::string& doc_id, int min_docs);

 private:
  explicit ParagraphCounter(SqliteDb& db) : db_(db) {}
  SqliteDb& db_;
  std::unique_ptr<SqliteStatement> insert_doc_, bump_, count_, mine_, of_doc_, drop_, delete_docs_;
};

}  // namespace smelter::dedup
