// The extractor registry and the one entry point the pipeline calls.
//
// Adding a format: write src/extract/<format>_extractor.cpp defining
// Make<Format>Extractor(), declare the factory below and add one line to
// Registry(). Nothing else changes.
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "extract/extractor.h"

namespace smelter {

// Factories, each defined in its extractor's file.
std::unique_ptr<Extractor> MakeTextExtractor();
std::unique_ptr<Extractor> MakeMarkdownExtractor();
std::unique_ptr<Extractor> MakeHtmlExtractor();
std::unique_ptr<Extractor> MakePdfExtractor();
std::unique_ptr<Extractor> MakeDocxExtractor();
std::unique_ptr<Extractor> MakePptxExtractor();
std::unique_ptr<Extractor> MakeXlsxExtractor();
std::unique_ptr<Extractor> MakeEmlExtractor();
std::unique_ptr<Extractor> MakeMboxExtractor();
std::unique_ptr<Extractor> MakeMsgExtractor();
std::unique_ptr<Extractor> MakeCsvExtractor();
std::unique_ptr<Extractor> MakeJsonExtractor();
std::unique_ptr<Extractor> MakeXmlExtractor();
std::unique_ptr<Extractor> MakeOdfExtractor();
std::unique_ptr<Extractor> MakeEpubExtractor();
std::unique_ptr<Extractor> MakeArchiveExtractor();
std::unique_ptr<Extractor> MakeImageExtractor();
std::unique_ptr<Extractor> MakeRtfExtractor();
std::unique_ptr<Extractor> MakeLegacyOfficeExtractor();

const std::vector<ExtractorInfo>& ExtractorRegistry() {
  // Function-local static: built once, thread-safe under C++11 rules.
  static const std::vector<ExtractorInfo> registry = {
      {"text", "plain text in any encoding, split into paragraphs", {DocKind::kText}, &MakeTextExtractor},
      {"markdown", "CommonMark/GFM blocks: headings, lists, code, tables, quotes", {DocKind::kMarkdown}, &MakeMarkdownExtractor},
      {"html", "HTML pages, streamed (no DOM), boilerplate dropped, structure kept", {DocKind::kHtml}, &MakeHtmlExtractor},
      {"pdf", "PDF text layer via poppler, page by page", {DocKind::kPdf}, &MakePdfExtractor},
      {"docx", "Word OOXML: headings, lists, tables, footnotes, tracked changes accepted, pages", {DocKind::kDocx}, &MakeDocxExtractor},
      {"pptx", "PowerPoint OOXML: slides in order, titles, bullets, tables, charts, notes", {DocKind::kPptx}, &MakePptxExtractor},
      {"xlsx", "Excel OOXML: visible sheets as header-repeating tables, dates as ISO 8601", {DocKind::kXlsx}, &MakeXlsxExtractor},
      {"eml", "email (MIME) via GMime: headers, plain-text or HTML body, attachments listed", {DocKind::kEml}, &MakeEmlExtractor},
      {"mbox", "mailboxes via GMime: each message as a heading, its headers and body", {DocKind::kMbox}, &MakeMboxExtractor},
      {"msg", "Outlook MSG via libgsf: subject, sender, recipients, body, attachments listed", {DocKind::kMsg}, &MakeMsgExtractor},
      {"csv", "CSV/TSV: delimiter sniffed, RFC 4180 quoting, header-repeating tables", {DocKind::kCsv, DocKind::kTsv}, &MakeCsvExtractor},
      {"json", "JSON/JSONL: records as key: value lists, unstructured.io element arrays as typed elements", {DocKind::kJson, DocKind::kJsonl}, &MakeJsonExtractor},
      {"xml", "XML: MediaWiki exports as one child document per page (wikitext to Markdown), other XML as its text in document order (no DTD, no entities)", {DocKind::kXml}, &MakeXmlExtractor},
      {"odf", "OpenDocument text/spreadsheet/presentation: headings, lists, tables, sheets, slides", {DocKind::kOdt, DocKind::kOds, DocKind::kOdp}, &MakeOdfExtractor},
      {"epub", "EPUB books: spine chapters in order through the HTML converter, one page per chapter", {DocKind::kEpub}, &MakeEpubExtractor},
      {"archive", "ZIP, tar, tar.gz and .gz: members become child documents; bombs, escaping paths and links refused; Slack exports as threads", {DocKind::kZip, DocKind::kTar, DocKind::kGzip}, &MakeArchiveExtractor},
      {"image", "PNG/JPEG/TIFF/BMP/GIF/WebP images by Tesseract OCR: paragraphs in reading order, TIFF frames as pages", {DocKind::kImage}, &MakeImageExtractor},
      {"rtf", "RTF: code pages and \\u escapes decoded, headings, lists, tables, \\info metadata", {DocKind::kRtf}, &MakeRtfExtractor},
      {"legacy-office", "Word 97-2003 (catdoc), Excel 97-2003 sheets as tables (xls2csv), PowerPoint 97-2003 slides (libgsf)", {DocKind::kDoc, DocKind::kXls, DocKind::kPpt}, &MakeLegacyOfficeExtractor},
  };
  return registry;
}

namespace {

// One instance per registered extractor, in registry order. Extractors are
// stateless, so one instance serves every thread.
const std::vector<std::unique_ptr<Extractor>>& Instances() {
  static const std::vector<std::unique_ptr<Extractor>> instances = [] {
    std::vector<std::unique_ptr<Extractor>> out;
    for (const ExtractorInfo& info : ExtractorRegistry()) out.push_back(info.make());
    return out;
  }();
  return instances;
}

bool HasText(const ExtractedDocument& doc) {
  for (const Element& element : doc.elements) {
    if (element.type == ElementType::kPageBreak || element.type == ElementType::kHeaderFooter) continue;
    if (element.text.find_first_not_of(" \t\r\n\f\v") != std::string::npos) return true;
    for (const auto& row : element.rows) {
      for (const auto& cell : row) {
        if (cell.find_first_not_of(" \t\r\n\f\v") != std::string::npos) return true;
      }
    }
  }
  return false;
}

}  // namespace

const Extractor* FindExtractor(DocKind kind) {
  const auto& registry = ExtractorRegistry();
  const auto& instances = Instances();
  for (size_t i = 0; i < registry.size(); ++i) {
    for (DocKind handled : registry[i].kinds) {
      if (handled == kind) return instances[i].get();
    }
  }
  return nullptr;
}

Result<ExtractedDocument> ExtractDocument(std::string_view bytes, const std::string& filename,
                                          const ExtractOptions& options, DetectedType* detected) {
  std::string_view stage = "type detection";
  try {
    // Detection reads only the start (and, for ZIPs, the ends) of the
    // input, so the caller learns the type even of an oversized file.
    DetectedType type = DetectType(bytes, filename);
    if (detected) *detected = type;
    if (bytes.size() > options.max_bytes) {
      return Status::TooLarge(std::to_string(bytes.size()) + " bytes, limit " + std::to_string(options.max_bytes));
    }
    if (type.kind == DocKind::kEmpty) return Status::Empty("zero bytes");
    // Password-protected Office files are a container of their own; no
    // extractor could read them, and "encrypted" is the useful verdict.
    if (type.mime == "application/encrypted") return Status::Encrypted("password-protected Office file");

    const Extractor* extractor = FindExtractor(type.kind);
    if (!extractor) {
      return Status::Unsupported(std::string(DocKindName(type.kind)) + " (" + type.mime + ")");
    }
    stage = extractor->name();
    ExtractInput input;
    input.bytes = bytes;
    input.filename = filename;
    input.type = std::move(type);
    input.options = &options;
    Result<ExtractedDocument> result = extractor->Extract(input);
    // The contract promises text on success; hold every extractor to it.
    if (result.ok() && !HasText(*result)) return Status::Empty("no text");
    return result;
  } catch (const std::bad_alloc&) {
    return Status::ParserCrashed(std::string(stage) + ": out of memory");
  } catch (const std::exception& e) {
    return Status::ParserCrashed(std::string(stage) + ": " + e.what());
  } catch (...) {
    return Status::ParserCrashed(std::string(stage) + ": unknown exception");
  }
}

}  // namespace smelter
