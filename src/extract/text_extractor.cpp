// Plain text -> paragraphs.
//
// Text has no markup, so structure is inferred only where it is cheap and
// safe: paragraphs are separated by blank lines; a paragraph whose lines
// look hard-wrapped (long lines of similar width, no list markers) is
// rejoined into one line, anything else keeps its line breaks; a short first
// line standing alone (or underlined with === / ---) becomes the title.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::CodePoints;
using text_util::IsBlank;
using text_util::Trim;
using text_util::TrimRight;

// Wrapped prose is rarely narrower than this; shorter lines are addresses,
// lists, verse or tables, whose breaks carry meaning.
constexpr size_t kMinWrapWidth = 40;
constexpr size_t kMaxTitleCodePoints = 80;
constexpr int kMaxTitleWords = 12;

size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// "- x", "* x", "+ x", "• x", "1. x", "1) x", "a) x".
bool StartsWithListMarker(std::string_view line) {
  line = Trim(line);
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') return true;
  if (line.starts_with("\xE2\x80\xA2")) return true;  // U+2022 bullet
  size_t i = 0;
  while (i < line.size() && i < 3 && std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0 || i + 1 >= line.size()) return false;
  const bool numeric = std::all_of(line.begin(), line.begin() + static_cast<long>(i),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!numeric && i > 1) return false;  // "a)" yes, "abc)" no
  return (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

bool LooksHardWrapped(const std::vector<std::string_view>& lines) {
  size_t widest = 0;
  for (std::string_view line : lines) widest = std::max(widest, CodePoints(TrimRight(line)));
  if (widest < kMinWrapWidth) return false;
  const size_t first_indent = Indent(lines[0]);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = TrimRight(lines[i]);
    if (StartsWithListMarker(line)) return false;
    // A deeper indent below the first line is structure, not wrapping (a
    // first-line indent is the usual paragraph style and is allowed).
    if (i > 0 && Indent(line) > first_indent + 1 && Indent(line) > Indent(lines[1])) return false;
    // Every line but the last fills most of the width.
    if (i + 1 < lines.size() && CodePoints(line) * 2 < widest) return false;
  }
  return true;
}

std::string JoinParagraph(const std::vector<std::string_view>& lines) {
  std::string out;
  if (lines.size() == 1 || LooksHardWrapped(lines)) {
    for (std::string_view line : lines) {
      line = Trim(line);
      if (line.empty()) continue;
      if (!out.empty()) out.push_back(' ');
      out.append(line);
    }
    return out;
  }
  // Keep the breaks; strip only the indentation all lines share.
  size_t common = std::string_view::npos;
  for (std::string_view line : lines) common = std::min(common, Indent(line));
  for (std::string_view line : lines) {
    if (!out.empty()) out.push_back('\n');
    out.append(TrimRight(line.substr(std::min(common, line.size()))));
  }
  return out;
}

bool IsUnderline(std::string_view line) {
  line = Trim(line);
  if (line.size() < 3 || (line[0] != '=' && line[0] != '-')) return false;
  return line.find_first_not_of(line[0]) == std::string_view::npos;
}

bool LooksLikeTitle(std::string_view line) {
  line = Trim(line);
  if (line.empty() || CodePoints(line) > kMaxTitleCodePoints) return false;
  if (StartsWithListMarker(line)) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == ':') return false;
  int words = 1;
  bool letter = false;
  for (char c : line) {
    if (c == ' ') ++words;
    if (std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) letter = true;
  }
  if (!letter || words > kMaxTitleWords) return false;
  return line.find("://") == std::string_view::npos;
}

class TextExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "text"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    Result<DecodedText> decoded = DecodeToUtf8(input.bytes);
    if (!decoded.ok()) return decoded.status();
    ExtractedDocument doc;
    doc.source_encoding = decoded->encoding;

    // Paragraphs: runs of non-blank lines.
    std::vector<std::vector<std::string_view>> paragraphs;
    std::vector<std::string_view> current;
    for (std::string_view line : text_util::SplitLines(decoded->utf8)) {
      if (IsBlank(line)) {
        if (!current.empty()) paragraphs.push_back(std::move(current));
        current.clear();
      } else {
        current.push_back(line);
      }
    }
    if (!current.empty()) paragraphs.push_back(std::move(current));
    if (paragraphs.empty()) return Status::Empty("only whitespace");

    size_t first_body = 0;
    const auto& first = paragraphs[0];
    const bool underlined = first.size() == 2 && IsUnderline(first[1]);
    if ((first.size() == 1 || underlined) && paragraphs.size() > 1 && LooksLikeTitle(first[0])) {
      doc.title = std::string(Trim(first[0]));
      Element title;
      title.type = ElementType::kTitle;
      title.text = doc.title;
      doc.elements.push_back(std::move(title));
      first_body = 1;
    }
    for (size_t i = first_body; i < paragraphs.size(); ++i) {
      Element paragraph;
      paragraph.type = ElementType::kParagraph;
      paragraph.text = JoinParagraph(paragraphs[i]);
      doc.elements.push_back(std::move(paragraph));
    }
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeTextExtractor() { return std::make_unique<TextExtractor>(); }

}  // namespace smelter
