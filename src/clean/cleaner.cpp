// CleanDocument (see cleaner.h).

#include "clean/cleaner.h"

#include <sstream>

#include "clean/mojibake.h"
#include "clean/text_cleanup.h"

namespace smelter {

namespace {

// Paragraph-like text, where a hyphen at a line end is a broken word.
bool JoinsHyphens(ElementType type) {
  return type == ElementType::kParagraph || type == ElementType::kListItem || type == ElementType::kBlockQuote ||
         type == ElementType::kImageCaption;
}

}  // namespace

CleanStats& CleanStats::operator+=(const CleanStats& o) {
  mojibake_repairs += o.mojibake_repairs;
  control_chars_removed += o.control_chars_removed;
  nfkc_changed += o.nfkc_changed;
  whitespace_fixes += o.whitespace_fixes;
  hyphenations_joined += o.hyphenations_joined;
  repeated_lines_removed += o.repeated_lines_removed;
  known_lines_removed += o.known_lines_removed;
  elements_dropped += o.elements_dropped;
  return *this;
}

int CleanStats::total() const {
  return mojibake_repairs + control_chars_removed + nfkc_changed + whitespace_fixes + hyphenations_joined +
         repeated_lines_removed + known_lines_removed + elements_dropped;
}

std::string CleanStats::ToString() const {
  std::ostringstream out;
  out << "mojibake=" << mojibake_repairs << " control=" << control_chars_removed << " nfkc=" << nfkc_changed
      << " whitespace=" << whitespace_fixes << " hyphenation=" << hyphenations_joined
      << " repeated_lines=" << repeated_lines_removed << " known_lines=" << known_lines_removed
      << " elements_dropped=" << elements_dropped;
  return out.str();
}

void CleanText(std::string* text, ElementType type, const CleanOptions& options, CleanStats* stats) {
  if (text->empty()) return;
  CleanStats local;
  if (options.repair_mojibake) local.mojibake_repairs += RepairMojibake(text);
  if (options.remove_control_chars) local.control_chars_removed += RemoveControlChars(text);
  if (type != ElementType::kCode) {
    if (options.nfkc) local.nfkc_changed += NormalizeNfkc(text);
    if (options.normalize_whitespace) local.whitespace_fixes += NormalizeWhitespace(text);
    if (options.join_hyphenation && JoinsHyphens(type)) local.hyphenations_joined += JoinHyphenatedLines(text);
  }
  if (stats) *stats += local;
}

void CleanDocument(ExtractedDocument* doc, const CleanOptions& options, CleanStats* stats) {
  CleanStats local;
  CleanText(&doc->title, ElementType::kTitle, options, &local);
  for (Element& e : doc->elements) {
    CleanText(&e.text, e.type, options, &local);
    for (auto& row : e.rows) {
      for (std::string& cell : row) CleanText(&cell, ElementType::kTable, options, &local);
    }
  }
  // Boilerplate is found on cleaned text, so that a footer whose copies
  // differ only in white space or NFKC forms is still one line.
  if (options.remove_repeated_page_lines) {
    const LineHashSet repeated = FindRepeatedPageLines(*doc, options.repeated_lines);
    local.repeated_lines_removed +=
        RemoveBoilerplateLines(doc, repeated, options.repeated_lines.max_line_chars, &local.elements_dropped);
  }
  if (options.known_boilerplate != nullptr) {
    local.known_lines_removed += RemoveBoilerplateLines(doc, *options.known_boilerplate,
                                                        options.repeated_lines.max_line_chars, &local.elements_dropped);
  }
  if (stats) *stats += local;
}

}  // namespace smelter
