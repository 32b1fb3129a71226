// One document, bronze to gold: the work a runner worker does.
//
// extract -> render Markdown -> write silver -> chunk -> embed -> write gold
// JSONL. Files are written atomically; the catalog is not touched here (the
// runner commits outcomes from one thread). Never throws: any failure,
// including an exception from a library, becomes the outcome's status, and
// the document's quarantine record is written.
//
// Extraction runs in `sandbox` (a worker process, see extraction_worker.h)
// when one is given, else in this process. Child documents the extractor
// found (archive members, attachments) are stored in bronze here, in
// parallel with other workers; the runner registers them when it commits
// the parent.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/chunk.h"
#include "core/status.h"
#include "embed/embedder.h"
#include "pipeline/extraction_worker.h"
#include "pipeline/silver_stages.h"
#include "store/lake.h"

namespace smelter {

struct DocumentOutcome {
  DocumentRecord doc;         // kind, mime, title, pages, text_bytes filled in
  Status status;              // not OK: quarantined
  std::vector<Chunk> chunks;  // with vectors
  std::vector<ChildObject> children;  // stored in bronze, not yet in the catalog
  std::string silver_text;  // the silver Markdown, for the committer's deduplication
  // For paragraph deduplication in the committer (dedup.paragraphs; empty
  // when it is off): the silver Markdown's blocks and, per block, its
  // CountableParagraphHash (paragraph_counts.h), 0 for blocks never dropped
  // (headings, short ones).
  std::vector<Block> blocks;
  std::vector<uint64_t> block_hashes;
};

// Writes quarantine/<id>.json: the document, its reason and the error.
// Best effort (the catalog records the reason too).
void WriteQuarantineRecord(Lake& lake, const DocumentRecord& doc, const Status& status);

// Chunks a processed document again without the blocks marked in `drop`
// (one flag per outcome.blocks), embeds the chunks and rewrites its gold
// JSONL and the chunk count in its silver metadata. Silver keeps the whole
// text; chunk offsets still point into it (a chunk spanning a dropped
// paragraph covers its range but not its text). Used by the committer for
// paragraphs repeated across documents; records the count in
// outcome.doc.paragraphs_dropped.
Status RechunkWithoutBlocks(Lake& lake, const Embedder& embedder, DocumentOutcome& outcome,
                            const std::vector<bool>& drop);

// `silver`: the clean/PII/quality/enrich stages; null skips them.
DocumentOutcome ProcessDocument(Lake& lake, const DocumentRecord& doc, const Embedder& embedder,
                                ExtractionSandbox* sandbox = nullptr, const SilverStages* silver = nullptr);

}  // namespace smelter
