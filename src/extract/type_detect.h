// Type detection by content (magic bytes), not by extension.
//
// libmagic names the container; a few refinements follow it: a UTF-16/32
// text file is still text; HTML is recognized by its markup even without a
// doctype; Markdown is plain text whose name or content says Markdown. The
// extension is only a tie-breaker between text kinds.
#pragma once

#include <string>
#include <string_view>

namespace smelter {

enum class DocKind {
  kUnknown,
  kEmpty,     // zero bytes
  kText,
  kMarkdown,
  kHtml,
  kPdf,
  kDocx, kPptx, kXlsx, kOdt, kOds, kOdp, kEpub, kRtf,
  kDoc, kXls, kPpt, kMsg,
  kEml, kMbox,
  kCsv, kTsv, kJson, kJsonl, kXml,
  kZip, kTar, kGzip,
  kImage,
};

std::string_view DocKindName(DocKind kind);  // "pdf", "html", ...

struct DetectedType {
  DocKind kind = DocKind::kUnknown;
  std::string mime;  // as libmagic reports it, e.g. "application/pdf"
};

// Thread-safe.
DetectedType DetectType(std::string_view bytes, std::string_view filename);

}  // namespace smelter
