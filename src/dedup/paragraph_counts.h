// Paragraph-level repetition: which documents keep a paragraph in their
// gold chunks, so that boilerplate repeated across a lake (disclaimers,
// e-mail signatures, confidentiality footers) can be dropped from the
// chunks of later documents while documents that are otherwise unique stay
// whole.
//
// A paragraph is identified by ParagraphHash (text_normalize.h) of its
// normalized text, so wrapping, case and punctuation changes do not make it
// new. Paragraphs shorter than a minimum number of words hash to 0 and are
// never counted: "Thanks," or a page number repeats everywhere and says
// nothing worth dropping.
//
// Two relations are kept. *Holders*: documents that keep the paragraph in
// their chunks (Record); paragraph_counts has their number per hash.
// *Drops*: documents that left it out because enough holders already had
// it (RecordDropped). When a holder leaves gold (demoted, quarantined,
// reprocessed), Forget() returns what it held and Orphaned() names the
// documents whose drops no longer have enough holders, so the caller can
// process them again and no paragraph disappears from gold altogether.
// Recording a document twice, or a paragraph twice within one document,
// counts once. Tables (created when missing, in any database the caller
// owns, e.g. the dedup index's): paragraph_docs (hash, doc_id),
// paragraph_counts (hash, docs), paragraph_drops (hash, doc_id).
//
// Typical use, per document in commit order:
//   counter.Forget(id, &held);               // what an earlier pass recorded
//   for each paragraph: drop it when SeenElsewhere(hash, id, min_docs);
//   counter.Record(id, kept); counter.RecordDropped(id, dropped);
//   counter.Orphaned(min_docs, &held)        // documents to process again
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

// The [dedup] settings of paragraph-level deduplication.
struct ParagraphOptions {
  bool enabled = false;  // dedup.paragraphs
  // A paragraph is dropped from a document's chunks once this many other
  // gold documents keep it (1: every copy after the first is dropped).
  int min_docs = 1;
  // Paragraphs with fewer normalized words are never dropped.
  int min_words = 8;
};

struct Paragraph {
  size_t begin = 0;   // byte range in the text given to SplitParagraphs
  size_t end = 0;
  uint64_t hash = 0;  // ParagraphHash of the normalized paragraph; 0 when too short to count
};

// ParagraphHash of the normalized text when it has at least min_words
// words, else 0 (too short to count).
uint64_t CountableParagraphHash(std::string_view text, int min_words = 8);

// Paragraphs of a (Markdown) text: runs of lines separated by blank lines.
// Paragraphs of fewer than min_words normalized words get hash 0: short
// lines ("Thanks,", a page number) repeat everywhere and say nothing.
std::vector<Paragraph> SplitParagraphs(std::string_view text, int min_words = 8);

class ParagraphCounter {
 public:
  static Result<std::unique_ptr<ParagraphCounter>> Attach(SqliteDb& db);

  // Records that doc_id keeps these paragraph hashes (0 is skipped).
  Status Record(const std::string& doc_id, const std::vector<uint64_t>& hashes);
  // Records that doc_id left these paragraphs out of its chunks.
  Status RecordDropped(const std::string& doc_id, const std::vector<uint64_t>& hashes);
  // Forgets everything recorded for doc_id (when a document is removed,
  // leaves gold or is processed again). `held`, when given, receives the
  // hashes it kept, for Orphaned().
  Status Forget(const std::string& doc_id, std::vector<uint64_t>* held = nullptr);
  // Number of distinct documents other than doc_id that keep the hash.
  Result<int64_t> OtherDocuments(uint64_t hash, const std::string& doc_id);
  // True when at least min_docs other documents keep the hash.
  Result<bool> SeenElsewhere(uint64_t hash, const std::string& doc_id, int min_docs);
  // Documents that dropped one of `hashes` (every hash when null) which
  // fewer than min_docs documents keep now: their chunks lack a paragraph
  // that the rule would have them keep. Sorted, distinct.
  Result<std::vector<std::string>> Orphaned(int min_docs, const std::vector<uint64_t>* hashes = nullptr);
  // Documents that dropped anything, sorted.
  Result<std::vector<std::string>> DocumentsWithDrops();
  // Forgets every document.
  Status Clear();
  // True when nothing is recorded.
  Result<bool> IsEmpty();

 private:
  explicit ParagraphCounter(SqliteDb& db) : db_(db) {}
  SqliteDb& db_;
  std::unique_ptr<SqliteStatement> insert_doc_, bump_, count_, mine_, of_doc_, drop_, delete_docs_, insert_drop_,
      delete_drops_, drops_of_hash_;
};

}  // namespace smelter::dedup
