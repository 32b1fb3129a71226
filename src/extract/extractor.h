// Extractor: bytes of one file -> ExtractedDocument.
//
// One extractor per format, each in its own file, each registered once in
// registry.cpp. Extractors are stateless and must be safe to call from many
// threads at once. They never throw: every failure the input can cause comes
// back as a Status whose code names it (kCorrupt, kEncrypted, kEmpty, ...),
// which becomes the document's quarantine reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.h"
#include "core/status.h"
#include "extract/type_detect.h"

namespace smelter {

struct ExtractOptions {
  size_t max_bytes = 512ull << 20;  // refuse inputs above this size (kTooLarge)
  // Tried in turn on encrypted PDFs (as owner and user password); a PDF none
  // of them opens is quarantined as kEncrypted.
  std::vector<std::string> pdf_passwords;

  // OCR (see extract/ocr.h).
  std::string ocr = "auto";          // "auto": pages without enough text; "off"; "always"
  std::string ocr_languages = "eng";  // Tesseract language codes joined by '+'
  int ocr_dpi = 300;                 // resolution PDF pages are rendered at for OCR
  int ocr_min_page_chars = 32;       // "auto": a PDF page with fewer text-layer chars is OCR'd
  int ocr_threads = 0;               // pages OCR'd at once; 0 = one per core

  // Containers whose members become child documents (archives, email
  // attachments; see archive_extractor.cpp). Sizes are counted as the
  // bytes are inflated, never taken from headers.
  size_t archive_max_members = 10000;                 // more members: kTooLarge
  uint64_t archive_max_total_bytes = 1ull << 30;      // all members, uncompressed: kTooLarge
  double archive_max_ratio = 100.0;                   // uncompressed : archive size above this is a bomb
  uint64_t archive_max_member_bytes = 256ull << 20;   // one larger member is skipped and listed

  // CSV/TSV (csv_extractor.cpp): a file with more data rows than this is
  // read as one "Column: value" record per row instead of tables; 0: always.
  size_t csv_records_above_rows = 30;

  // JSON/JSONL records (json_extractor.cpp). Field names are dotted paths
  // ("author", "address.city"; array positions left out, so "items.name"
  // names every item's name); a name also covers the fields under it.
  // Empty lists keep the built-in reading: every field is text.
  std::vector<std::string> json_text_fields;      // if set, only these fields are text
  std::vector<std::string> json_metadata_fields;  // taken out of the text into the document's metadata
};

struct ExtractInput {
  std::string_view bytes;  // whole file contents
  std::string filename;    // original name, for hints only (never trusted over content)
  DetectedType type;       // from DetectType()
  const ExtractOptions* options = nullptr;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // Short stable name: "text", "markdown", "html", "pdf".
  virtual std::string_view name() const = 0;
  // On success the document has at least one element with text; an input
  // with no text returns Status::Empty.
  virtual Result<ExtractedDocument> Extract(const ExtractInput& input) const = 0;
};

// Descriptor for the registry (see registry.cpp).
struct ExtractorInfo {
  std::string_view name;
  std::string_view summary;
  std::vector<DocKind> kinds;  // kinds this extractor handles
  std::unique_ptr<Extractor> (*make)();
};

// All registered extractors.
const std::vector<ExtractorInfo>& ExtractorRegistry();

// The extractor for a kind, or nullptr when none is registered (the
// document is then quarantined as "unsupported type").
const Extractor* FindExtractor(DocKind kind);

// Detects the type and runs the right extractor: the one entry point the
// pipeline uses.
Result<ExtractedDocument> ExtractDocument(std::string_view bytes, const std::string& filename,
                                          const ExtractOptions& options, DetectedType* detected);

}  // namespace smelter
