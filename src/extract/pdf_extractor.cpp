// PDF -> elements with poppler-cpp.
//
// Each page's words come from poppler's text layer with their boxes and font
// sizes (page::text_list); pdf_layout.h turns them into blocks in reading
// order (columns, tables, headings, hyphenation, running headers/footers).
// Each page starts with a kPageBreak; its blocks carry the page number.
// Headers, footers and page numbers become kHeaderFooter: kept for cleaning,
// not rendered.
//
// OCR (extract/ocr.h): with options.ocr "auto", pages whose text layer has
// fewer than ocr_min_page_chars non-space characters are recognised in one
// OcrPdfPages call; "always" recognises every page; "off" none. Recognised
// paragraphs replace that page's text. Metadata: "ocr_pages",
// "ocr_confidence" (mean), "ocr_confidence_pages" (each OCR'd page's as
// "PAGE:CONFIDENCE", comma-separated), or "ocr_skipped" with the reason.
//
// Forms (extract/pdf_form_fields.h): a filled-in value is in the text layer
// only when the form drew an appearance for it, and never with its label;
// a page with any gets, after its own text, a kTable with the header row
// {"Field", "Value"} and one row per field. Metadata
// "form_fields" counts them (absent when there are none).
//
// Failures map to codes: unreadable -> kCorrupt (with poppler's last error
// message as the reason), needs a password none of options.pdf_passwords
// opens -> kEncrypted, no text at all even after OCR -> kEmpty.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "extract/extractor.h"
#include "extract/ocr.h"
#include "extract/pdf_form_fields.h"
#include "extract/pdf_layout.h"
#include "extract/pdf_word_reader.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::Trim;

// Poppler reports problems through one process-wide callback; it runs on
// the thread that hit the problem, so a thread-local pointer routes each
// message to the extraction running on that thread (or nowhere).
thread_local std::string* tls_poppler_error = nullptr;

void OnPopplerError(const std::string& message, void* /*closure*/) {
  if (tls_poppler_error && tls_poppler_error->empty()) *tls_poppler_error = message;
}

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&OnPopplerError, nullptr); });
}

// Captures the first poppler error raised on this thread while alive.
class ErrorCapture {
 public:
  ErrorCapture() : previous_(tls_poppler_error) { tls_poppler_error = &message_; }
  ~ErrorCapture() { tls_poppler_error = previous_; }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  // One line: poppler writes a newline inside a message as "<0a>".
  std::string Reason(std::string_view fallback) const {
    std::string line = message_.substr(0, message_.find('\n'));
    for (size_t at = line.find("<0a>"); at != std::string::npos; at = line.find("<0a>", at)) line.erase(at, 4);
    line = std::string(Trim(line));
    return line.empty() ? std::string(fallback) : line;
  }

 private:
  std::string message_;
  std::string* previous_;
};

// poppler::ustring holds UTF-16 code units. Its own to_utf8() opens an
// iconv converter on every call, which for one call per word costs more
// than the rest of reading the word; the conversion is done here instead.
std::string ToUtf8(const poppler::ustring& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t unit = text[i];
    if (unit < 0x80) {
      out.push_back(static_cast<char>(unit));
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
      unit = 0x10000 + ((unit - 0xD800) << 10) + (text[i + 1] - 0xDC00);
      ++i;
    }
    AppendUtf8(unit, &out);  // a lone surrogate becomes U+FFFD
  }
  return out;
}

// Fonts with broken encodings yield C0 control characters; they carry no
// text and would end up in the Markdown, so they become spaces.
void ReplaceControls(std::string* text) {
  for (char& c : *text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
}

std::string IsoDate(time_t t) {
  if (t == static_cast<time_t>(-1) || t == 0) return "";
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "";
  char buffer[32];
  if (std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return "";
  return buffer;
}

size_t NonSpaceChars(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if (!text_util::IsAsciiSpace(c)) ++n;
  }
  return n;
}

// One page's words, boxes in points from the top-left corner.
// One page's geometry from poppler-cpp and its words from `reader` (or,
// when the reader could not open the file, from poppler-cpp's text_list).
pdf_layout::Page ReadPage(poppler::page& page, int number, PdfWordReader* reader) {
  pdf_layout::Page out;
  out.number = number;
  out.label = ToUtf8(page.label());
  const poppler::rectf rect = page.page_rect();
  out.width = rect.width();
  out.height = rect.height();
  const poppler::page::orientation_enum orientation = page.orientation();
  if (orientation == poppler::page::landscape || orientation == poppler::page::seascape) {
    std::swap(out.width, out.height);
  }
  if (reader) {
    out.words = reader->ReadPage(number);
    for (pdf_layout::Word& word : out.words) ReplaceControls(&word.text);
    return out;
  }
  // Without text_list_include_font: the per-glyph font data nearly doubles
  // the time of a page, and the box height is a good enough proxy for size.
  std::vector<poppler::text_box> boxes = page.text_list();
  out.words.reserve(boxes.size());
  for (const poppler::text_box& box : boxes) {
    pdf_layout::Word word;
    word.text = ToUtf8(box.text());
    ReplaceControls(&word.text);
    const poppler::rectf r = box.bbox();
    word.x0 = r.left();
    word.y0 = r.top();
    word.x1 = r.right();
    word.y1 = r.bottom();
    word.space_after = box.has_space_after();
    word.rotated = box.rotation() != 0;
    out.words.push_back(std::move(word));
  }
  return out;
}

class PdfExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "pdf"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    SilencePoppler();
    static const ExtractOptions kDefaults;
    const ExtractOptions& options = input.options ? *input.options : kDefaults;
    if (input.bytes.size() > static_cast<size_t>(INT_MAX)) return Status::TooLarge("PDF over 2 GiB");
    ErrorCapture errors;
    // load_from_raw_data reads the caller's buffer in place, which outlives
    // the document (destroyed before we return).
    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (!pdf) return Status::Corrupt(errors.Reason("not a readable PDF"));
    std::string password;  // the one that opened the file, for the form reader
    if (pdf->is_locked()) {
      // Empty passwords open files that only restrict copying or printing.
      pdf->unlock("", "");
      for (const std::string& candidate : options.pdf_passwords) {
        if (!pdf->is_locked()) break;
        password = candidate;
        pdf->unlock(candidate, candidate);
      }
      if (pdf->is_locked()) return Status::Encrypted("PDF needs a password");
    }

    ExtractedDocument doc;
    const int pages = pdf->pages();
    if (pages <= 0) return Status::Corrupt(errors.Reason("PDF has no pages"));
    doc.page_count = pages;
    ReadMetadata(*pdf, &doc);

    // Opened while `pdf` is: it keeps poppler's global settings alive.
    std::unique_ptr<PdfWordReader> words = PdfWordReader::Open(input.bytes, password);
    std::vector<pdf_layout::Page> layout_pages;
    layout_pages.reserve(pages);
    std::vector<int> ocr_pages;
    for (int index = 0; index < pages; ++index) {
      std::unique_ptr<poppler::page> page(pdf->create_page(index));
      if (page) {
        layout_pages.push_back(ReadPage(*page, index + 1, words.get()));
      } else {
        layout_pages.emplace_back();
        layout_pages.back().number = index + 1;
      }
      size_t chars = 0;
      for (const pdf_layout::Word& word : layout_pages.back().words) chars += NonSpaceChars(word.text);
      if (options.ocr == "always" ||
          (options.ocr == "auto" && chars < static_cast<size_t>(std::max(options.ocr_min_page_chars, 0)))) {
        ocr_pages.push_back(index + 1);
      }
    }
    const std::vector<pdf_layout::PageBlocks> laid_out = pdf_layout::AnalyzeLayout(layout_pages);
    std::vector<OcrPage> recognised = RunOcr(input.bytes, ocr_pages, options, &doc);
    std::vector<const OcrPage*> ocr_of_page(pages + 1, nullptr);
    for (const OcrPage& page : recognised) {
      if (page.page >= 1 && page.page <= pages) ocr_of_page[page.page] = &page;
    }

    // Read while `pdf` is open (see the REQUIRES in pdf_form_fields.h). A
    // form that poppler-glib cannot read costs its fields, not the text.
    std::vector<std::vector<PdfFormField>> fields_of_page(pages + 1);
    size_t form_fields = 0;
    if (Result<std::vector<PdfFormField>> fields = ReadPdfFormFields(input.bytes, password); fields.ok()) {
      for (PdfFormField& field : *fields) {
        if (field.page < 1 || field.page > pages) continue;
        fields_of_page[field.page].push_back(std::move(field));
        ++form_fields;
      }
    }
    if (form_fields > 0) doc.metadata["form_fields"] = std::to_string(form_fields);

    bool any_text = false;
    std::string first_block;
    for (const pdf_layout::PageBlocks& page : laid_out) {
      Element page_break;
      page_break.type = ElementType::kPageBreak;
      page_break.page = page.number;
      doc.elements.push_back(std::move(page_break));
      if (const OcrPage* ocr = ocr_of_page[page.number]) {
        for (const Element& e : ocr->elements) {
          Element element = e;
          element.page = page.number;
          if (!Trim(element.text).empty() || !element.rows.empty()) {
            any_text = true;
            if (first_block.empty()) first_block = element.text;
          }
          doc.elements.push_back(std::move(element));
        }
        any_text |= AppendFormTable(fields_of_page[page.number], page.number, &doc);
        continue;
      }
      for (const pdf_layout::Block& block : page.blocks) {
        Element element;
        element.page = page.number;
        element.text = block.text;
        switch (block.kind) {
          case pdf_layout::BlockKind::kHeaderFooter:
            element.type = ElementType::kHeaderFooter;
            break;
          case pdf_layout::BlockKind::kHeading:
            element.type = ElementType::kHeading;
            element.level = block.level;
            break;
          case pdf_layout::BlockKind::kTable:
            element.type = ElementType::kTable;
            element.rows = block.rows;
            element.has_header = true;
            break;
          case pdf_layout::BlockKind::kParagraph:
            element.type = ElementType::kParagraph;
            break;
        }
        if (element.type != ElementType::kHeaderFooter) {
          any_text = true;
          if (first_block.empty() && element.type != ElementType::kTable) first_block = element.text;
        }
        doc.elements.push_back(std::move(element));
      }
      any_text |= AppendFormTable(fields_of_page[page.number], page.number, &doc);
    }
    if (!any_text) {
      if (options.ocr == "off") return Status::Empty("no text layer (OCR is off)");
      const auto skipped = doc.metadata.find("ocr_skipped");
      if (skipped != doc.metadata.end()) return Status::Empty("no text layer, no OCR: " + skipped->second);
      return Status::Empty("no text layer, and OCR recognised none");
    }
    if (doc.title.empty() && LooksLikeTitle(first_block)) doc.title = first_block;
    return doc;
  }

 private:
  // The page's filled-in form fields as one two-column table; false when
  // it has none.
  static bool AppendFormTable(const std::vector<PdfFormField>& fields, int page, ExtractedDocument* doc) {
    if (fields.empty()) return false;
    Element table;
    table.type = ElementType::kTable;
    table.page = page;
    table.has_header = true;
    table.rows.reserve(fields.size() + 1);
    table.rows.push_back({"Field", "Value"});
    for (const PdfFormField& field : fields) table.rows.push_back({field.name, field.value});
    doc->elements.push_back(std::move(table));
    return true;
  }

  // Recognises `pages` (1-based) when OCR is wanted and installed; records
  // what happened in the document's metadata.
  static std::vector<OcrPage> RunOcr(std::string_view bytes, const std::vector<int>& pages,
                                     const ExtractOptions& options, ExtractedDocument* doc) {
    if (pages.empty()) return {};
    std::string why;
    if (!OcrAvailable(options, &why)) {
      doc->metadata["ocr_skipped"] = why.empty() ? "OCR not available" : why;
      return {};
    }
    Result<std::vector<OcrPage>> result = OcrPdfPages(bytes, pages, options);
    if (!result.ok()) {
      doc->metadata["ocr_skipped"] = result.status().ToString();
      return {};
    }
    std::vector<OcrPage> out;
    double confidence = 0;
    std::string per_page;
    char buffer[32];
    for (OcrPage& page : *result) {
      if (page.elements.empty()) continue;  // nothing recognised: keep the text layer
      confidence += page.confidence;
      std::snprintf(buffer, sizeof(buffer), "%s%d:%.1f", per_page.empty() ? "" : ",", page.page, page.confidence);
      per_page += buffer;
      out.push_back(std::move(page));
    }
    doc->metadata["ocr_pages"] = std::to_string(out.size());
    if (!out.empty()) {
      std::snprintf(buffer, sizeof(buffer), "%.1f", confidence / static_cast<double>(out.size()));
      doc->metadata["ocr_confidence"] = buffer;
      // Only some pages of a PDF may be OCR'd, so each is named: "2:91.4,5:63.0".
      doc->metadata["ocr_confidence_pages"] = per_page;
    }
    return out;
  }

  static void ReadMetadata(const poppler::document& pdf, ExtractedDocument* doc) {
    auto put = [&](const char* key, std::string value) {
      value = std::string(Trim(value));
      if (!value.empty()) doc->metadata[key] = std::move(value);
    };
    put("author", ToUtf8(pdf.info_key("Author")));
    put("subject", ToUtf8(pdf.info_key("Subject")));
    put("keywords", ToUtf8(pdf.info_key("Keywords")));
    put("creator", ToUtf8(pdf.info_key("Creator")));
    put("producer", ToUtf8(pdf.info_key("Producer")));
    put("created", IsoDate(pdf.info_date_t("CreationDate")));
    put("modified", IsoDate(pdf.info_date_t("ModDate")));
    doc->title = CleanTitle(ToUtf8(pdf.info_key("Title")));
  }

  // Info titles are often tool residue: "Microsoft Word - report.docx",
  // "untitled", a file name. Those are no title.
  static std::string CleanTitle(std::string title) {
    std::string_view t = Trim(title);
    static constexpr std::string_view kPrefix = "Microsoft Word - ";
    if (t.starts_with(kPrefix)) t.remove_prefix(kPrefix.size());
    std::string lower(t);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::string_view kFileSuffixes[] = {".doc", ".docx", ".pdf", ".tex", ".dvi", ".ps",
                                                         ".indd", ".rtf", ".odt", ".ppt", ".pptx"};
    for (std::string_view suffix : kFileSuffixes) {
      if (lower.ends_with(suffix)) return "";
    }
    if (lower == "untitled" || lower.starts_with("untitled ") || lower == "title" || lower.size() < 3) return "";
    return std::string(t);
  }

  // The first block of page 1 stands in for a missing title when it is
  // short, one sentence-less line of words.
  static bool LooksLikeTitle(std::string_view block) {
    block = Trim(block);
    if (block.size() < 4 || text_util::CodePoints(block) > 150) return false;
    if (block.back() == '.' || block.back() == ',' || block.back() == ':') return false;
    int letters = 0;
    for (char c : block) {
      if (std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) ++letters;
    }
    return letters * 2 >= static_cast<int>(block.size());
  }
};

}  // namespace

std::unique_ptr<Extractor> MakePdfExtractor() { return std::make_unique<PdfExtractor>(); }

}  // namespace smelter
