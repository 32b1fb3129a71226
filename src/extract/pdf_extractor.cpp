// PDF -> elements with poppler-cpp.
//
// Text comes from poppler's TextOutputDev in its default reading order (the
// same text `pdftotext` prints without -layout or -raw), one page at a time.
// Each page starts with a kPageBreak; its blocks (separated by blank lines
// in poppler's output) become paragraphs carrying the page number. A bare
// page number at the top or bottom of a page becomes kHeaderFooter, so that
// it is kept for cleaning but not rendered into the text.
//
// Failures map to codes: unreadable -> kCorrupt (with poppler's last error
// message as the reason), needs a user password -> kEncrypted, no text at
// all -> kEmpty (scanned pages; OCR is a later stage).
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
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

std::string ToUtf8(const poppler::ustring& text) {
  if (text.empty()) return "";
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Fonts with broken encodings yield C0 control characters; they carry no
// text and would end up in the Markdown. Tabs become spaces; line ends and
// form feeds (page ends) stay for the paragraph splitter.
void ReplaceControls(std::string* text) {
  for (char& c : *text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\f') c = ' ';
    if (u == 0x7F) c = ' ';
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

// Joins a block's lines. A line ending in a hyphen after a lower-case
// letter, followed by a lower-case word, was split by hyphenation.
std::string JoinLines(const std::vector<std::string_view>& lines) {
  std::string out;
  for (std::string_view line : lines) {
    line = Trim(line);
    if (line.empty()) continue;
    if (!out.empty()) {
      const size_t n = out.size();
      const bool hyphenated = n >= 2 && out[n - 1] == '-' && std::islower(static_cast<unsigned char>(out[n - 2])) &&
                              std::islower(static_cast<unsigned char>(line[0]));
      if (hyphenated) {
        out.pop_back();
      } else {
        out.push_back(' ');
      }
    }
    out.append(line);
  }
  return out;
}

// "• x", "◦ x", "- x", "2. x", "3) x": a list item starts on this line.
bool StartsWithBullet(std::string_view line) {
  line = Trim(line);
  if (line.starts_with("\xE2\x80\xA2") || line.starts_with("\xE2\x97\xA6") ||  // • ◦
      line.starts_with("\xEF\x82\xB7") || line.starts_with("- ")) {              // Symbol-font bullet
    return true;
  }
  size_t digits = 0;
  while (digits < line.size() && digits < 3 && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  return digits >= 1 && digits <= 2 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         line[digits + 1] == ' ';
}

bool EndsSentence(std::string_view line) {
  line = Trim(line);
  if (line.empty()) return false;
  const char last = line.back();
  return last == '.' || last == '!' || last == '?' || last == ':' || last == '"' || last == ')' ||
         line.ends_with("\xE2\x80\x9D");  // ”
}

// Poppler separates text blocks with blank lines, but one block is often a
// whole column holding several paragraphs. Inside a block a paragraph ends
// at a line that ends a sentence well short of the column width, and a
// bulleted line starts a new one.
void AppendParagraphs(const std::vector<std::string_view>& lines, std::vector<std::string>* out) {
  size_t widest = 0;
  for (std::string_view line : lines) widest = std::max(widest, text_util::CodePoints(Trim(line)));
  const bool prose = lines.size() >= 3 && widest >= 30;
  std::vector<std::string_view> paragraph;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (prose && !paragraph.empty() && StartsWithBullet(lines[k])) {
      out->push_back(JoinLines(paragraph));
      paragraph.clear();
    }
    paragraph.push_back(lines[k]);
    const bool short_line = text_util::CodePoints(Trim(lines[k])) * 10 < widest * 7;
    if (prose && k + 1 < lines.size() && short_line && EndsSentence(lines[k])) {
      out->push_back(JoinLines(paragraph));
      paragraph.clear();
    }
  }
  if (!paragraph.empty()) out->push_back(JoinLines(paragraph));
}

// Page text -> paragraphs.
std::vector<std::string> SplitParagraphs(std::string_view text) {
  std::vector<std::string> paragraphs;
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find_first_of("\n\f", start);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(start, nl - start);
    if (text_util::IsBlank(line)) {
      if (!lines.empty()) AppendParagraphs(lines, &paragraphs);
      lines.clear();
    } else {
      lines.push_back(line);
    }
    start = nl + 1;
  }
  if (!lines.empty()) AppendParagraphs(lines, &paragraphs);
  return paragraphs;
}

// "7", "- 7 -", "Page 7", "Page 7 of 20", "7 / 20" for page 7 (or its label).
bool IsPageNumber(std::string_view block, int page, std::string_view label) {
  std::string s;
  for (char c : block) {
    if (c != ' ' && c != '-' && c != '\xE2' && c != '\x80' && c != '\x93') {
      s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (s.starts_with("page")) s.erase(0, 4);
  const size_t of = s.find_first_of("o/");
  if (of != std::string::npos) {
    const std::string_view total = std::string_view(s).substr(s[of] == 'o' ? of + 2 : of + 1);
    if (total.empty() || total.find_first_not_of("0123456789") != std::string_view::npos) return false;
    s.resize(of);
  }
  if (s.empty() || s.size() > 5) return false;
  return s == std::to_string(page) || (!label.empty() && s == label);
}

class PdfExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "pdf"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    SilencePoppler();
    if (input.bytes.size() > static_cast<size_t>(INT_MAX)) return Status::TooLarge("PDF over 2 GiB");
    ErrorCapture errors;
    // load_from_raw_data reads the caller's buffer in place, which outlives
    // the document (destroyed before we return).
    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (!pdf) return Status::Corrupt(errors.Reason("not a readable PDF"));
    if (pdf->is_locked()) {
      // Empty passwords open files that only restrict copying or printing.
      pdf->unlock("", "");
      if (pdf->is_locked()) return Status::Encrypted("PDF needs a password");
    }

    ExtractedDocument doc;
    const int pages = pdf->pages();
    if (pages <= 0) return Status::Corrupt(errors.Reason("PDF has no pages"));
    doc.page_count = pages;
    ReadMetadata(*pdf, &doc);

    bool any_text = false;
    std::string first_block;
    for (int index = 0; index < pages; ++index) {
      const int number = index + 1;
      Element page_break;
      page_break.type = ElementType::kPageBreak;
      page_break.page = number;
      doc.elements.push_back(std::move(page_break));

      std::unique_ptr<poppler::page> page(pdf->create_page(index));
      if (!page) continue;
      std::string text = ToUtf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
      ReplaceControls(&text);
      std::vector<std::string> blocks = SplitParagraphs(text);
      if (blocks.empty()) continue;
      const std::string label = ToUtf8(page->label());
      for (size_t b = 0; b < blocks.size(); ++b) {
        if (Trim(blocks[b]).empty()) continue;
        Element element;
        const bool edge = b == 0 || b + 1 == blocks.size();
        element.type = edge && blocks.size() > 1 && IsPageNumber(blocks[b], number, label)
                           ? ElementType::kHeaderFooter
                           : ElementType::kParagraph;
        element.page = number;
        element.text = std::move(blocks[b]);
        if (element.type == ElementType::kParagraph) {
          any_text = true;
          if (first_block.empty()) first_block = element.text;
        }
        doc.elements.push_back(std::move(element));
      }
    }
    if (!any_text) return Status::Empty("no text layer (scanned? OCR comes later)");
    if (doc.title.empty() && LooksLikeTitle(first_block)) doc.title = first_block;
    return doc;
  }

 private:
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
