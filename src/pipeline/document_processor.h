// One document, bronze to gold: the work a runner worker does.
//
// extract -> render Markdown -> write silver -> chunk -> embed -> write gold
// JSONL. Files are written atomically; the catalog is not touched here (the
// runner commits outcomes from one thread). Never throws: any failure,
// including an exception from a library, becomes the outcome's status, and
// the document's quarantine record is written.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/chunk.h"
#include "core/status.h"
#include "embed/embedder.h"
#include "store/lake.h"

namespace smelter {

struct DocumentOutcome {
  DocumentRecord doc;         // kind, mime, title, pages, text_bytes filled in
  Status status;              // not OK: quarantined
  std::vector<Chunk> chunks;  // with vectors
};

DocumentOutcome ProcessDocument(Lake& lake, const DocumentRecord& doc, const Embedder& embedder);

}  // namespace smelter
