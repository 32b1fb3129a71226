// Markdown -> elements with a line-based block parser.
//
// Only block structure is parsed (CommonMark plus GFM tables): ATX and
// setext headings, bullet and ordered lists with nesting, fenced and
// indented code, pipe tables, block quotes, raw HTML blocks (converted by
// the HTML walker, comments dropped), YAML front matter (title/author/date
// kept as metadata), paragraphs. Inline Markdown -- emphasis, links, code
// spans, entities -- stays in the text, which is Markdown already.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/html_convert.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

// GCC 12 reports a false -Wrestrict inside std::string::operator=(const char*)
// once it inlines the short assignments below (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace smelter {
namespace {

using text_util::IsBlank;
using text_util::Trim;
using text_util::TrimRight;

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower_prefix[i]) return false;
  }
  return true;
}

bool ContainsNoCase(std::string_view s, std::string_view lower_needle) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(lower_needle) != std::string::npos;
}

// Leading whitespace as a column (tabs to the next multiple of 4) and the
// byte offset where content starts.
struct Indentation {
  size_t column = 0;
  size_t bytes = 0;
};

Indentation MeasureIndent(std::string_view line) {
  Indentation in;
  while (in.bytes < line.size() && (line[in.bytes] == ' ' || line[in.bytes] == '\t')) {
    in.column = line[in.bytes] == '\t' ? (in.column / 4 + 1) * 4 : in.column + 1;
    ++in.bytes;
  }
  return in;
}

// Removes up to `columns` columns of indentation.
std::string_view StripColumns(std::string_view line, size_t columns) {
  size_t column = 0, i = 0;
  while (i < line.size() && column < columns && (line[i] == ' ' || line[i] == '\t')) {
    column = line[i] == '\t' ? (column / 4 + 1) * 4 : column + 1;
    ++i;
  }
  return line.substr(i);
}

bool IsThematicBreak(std::string_view content) {
  content = Trim(content);
  if (content.empty() || (content[0] != '-' && content[0] != '*' && content[0] != '_')) return false;
  const char marker = content[0];
  int count = 0;
  for (char c : content) {
    if (c == marker) {
      ++count;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return count >= 3;
}

// Setext underline: "===" (level 1) or "---" (level 2), nothing else.
int SetextLevel(std::string_view content) {
  content = Trim(content);
  if (content.empty() || (content[0] != '=' && content[0] != '-')) return 0;
  if (content.find_first_not_of(content[0]) != std::string_view::npos) return 0;
  return content[0] == '=' ? 1 : 2;
}

// "# Heading #" -> level 1, text "Heading".
bool ParseAtx(std::string_view content, int* level, std::string* text) {
  size_t n = 0;
  while (n < content.size() && content[n] == '#') ++n;
  if (n == 0 || n > 6 || (n < content.size() && content[n] != ' ' && content[n] != '\t')) return false;
  std::string_view rest = Trim(content.substr(n));
  // An optional closing sequence of '#' preceded by a space.
  size_t end = rest.size();
  while (end > 0 && rest[end - 1] == '#') --end;
  if (end == 0) {
    rest = {};
  } else if (end < rest.size() && (rest[end - 1] == ' ' || rest[end - 1] == '\t')) {
    rest = TrimRight(rest.substr(0, end));
  }
  *level = static_cast<int>(n);
  *text = std::string(rest);
  return true;
}

struct ListMarker {
  bool ordered = false;
  int number = 0;
  size_t content_offset = 0;  // bytes from the marker's start to the item text
};

bool ParseListMarker(std::string_view content, ListMarker* marker) {
  if (content.empty()) return false;
  size_t i = 0;
  if (content[0] == '-' || content[0] == '*' || content[0] == '+') {
    i = 1;
    marker->ordered = false;
  } else {
    int number = 0;
    while (i < content.size() && i < 9 && std::isdigit(static_cast<unsigned char>(content[i]))) {
      number = number * 10 + (content[i] - '0');
      ++i;
    }
    if (i == 0 || i >= content.size() || (content[i] != '.' && content[i] != ')')) return false;
    ++i;
    marker->ordered = true;
    marker->number = number;
  }
  if (i < content.size() && content[i] != ' ' && content[i] != '\t') return false;
  while (i < content.size() && (content[i] == ' ' || content[i] == '\t')) ++i;
  marker->content_offset = i;
  return true;
}

bool IsTableDelimiterRow(std::string_view line, size_t* columns) {
  line = Trim(line);
  if (line.empty()) return false;
  bool dash = false;
  size_t cells = 1;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '|') {
      if (i != 0 && i + 1 != line.size()) ++cells;
    } else if (c == '-') {
      dash = true;
    } else if (c != ':' && c != ' ' && c != '\t') {
      return false;
    }
  }
  if (!dash) return false;
  if (line.find('|') == std::string_view::npos && line.find(':') == std::string_view::npos) return false;
  *columns = cells;
  return true;
}

// Cells of a pipe-table row; "\|" is a literal pipe.
std::vector<std::string> SplitTableRow(std::string_view line) {
  line = Trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|' && (line.size() < 2 || line[line.size() - 2] != '\\')) {
    line.remove_suffix(1);
  }
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell.push_back('|');
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(Trim(cell));
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  cells.emplace_back(Trim(cell));
  return cells;
}

// CommonMark's HTML block start conditions. Returns the end condition:
// a closing string that ends the block, or "" for "ends at a blank line";
// false when the line does not start an HTML block.
bool HtmlBlockStart(std::string_view content, bool paragraph_open, std::string* end_marker, bool* comment) {
  *comment = false;
  if (content.empty() || content[0] != '<') return false;
  for (std::string_view tag : {"script", "pre", "style", "textarea"}) {
    if (StartsWithNoCase(content.substr(1), tag)) {
      const size_t after = 1 + tag.size();
      if (after == content.size() || content[after] == ' ' || content[after] == '>' || content[after] == '\t') {
        *end_marker = "</" + std::string(tag) + ">";
        return true;
      }
    }
  }
  if (content.starts_with("<!--")) {
    *end_marker = "-->";
    *comment = true;
    return true;
  }
  if (content.starts_with("<?")) {
    *end_marker = "?>";
    return true;
  }
  if (content.starts_with("<![CDATA[")) {
    *end_marker = "]]>";
    return true;
  }
  if (content.size() > 2 && content[1] == '!' && std::isalpha(static_cast<unsigned char>(content[2]))) {
    *end_marker = ">";
    return true;
  }
  size_t i = content.size() > 1 && content[1] == '/' ? 2 : 1;
  const size_t name_start = i;
  while (i < content.size() && (std::isalnum(static_cast<unsigned char>(content[i])) || content[i] == '-')) ++i;
  if (i == name_start) return false;
  std::string name(content.substr(name_start, i - name_start));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool boundary = i == content.size() || content[i] == ' ' || content[i] == '\t' || content[i] == '>' ||
                        content.substr(i).starts_with("/>");
  static constexpr std::string_view kBlockTags[] = {
      "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
      "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
      "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
      "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol",
      "optgroup", "option", "p", "param", "section", "source", "summary", "table", "tbody", "td", "tfoot",
      "th", "thead", "title", "tr", "track", "ul"};
  if (boundary && std::find(std::begin(kBlockTags), std::end(kBlockTags), name) != std::end(kBlockTags)) {
    end_marker->clear();
    return true;
  }
  // Any other tag alone on its line, where it cannot interrupt a paragraph.
  if (!paragraph_open && boundary && TrimRight(content).back() == '>') {
    end_marker->clear();
    return true;
  }
  return false;
}

class MarkdownParser {
 public:
  MarkdownParser(std::vector<std::string_view> lines, ExtractedDocument* doc)
      : lines_(std::move(lines)), doc_(doc) {}

  void Parse() {
    SkipFrontMatter();
    while (i_ < lines_.size()) ParseLine();
    FlushParagraph();
  }

 private:
  void ParseLine() {
    const std::string_view line = lines_[i_];
    if (IsBlank(line)) {
      FlushParagraph();
      blank_since_item_ = true;
      ++i_;
      return;
    }
    const Indentation indent = MeasureIndent(line);
    const std::string_view content = TrimRight(line.substr(indent.bytes));
    const bool in_list = !list_indents_.empty();
    const bool block_indent = indent.column < 4 || (in_list && indent.column < item_content_column_ + 4);

    if (block_indent && (content.starts_with("```") || content.starts_with("~~~"))) {
      if (ParseFence(indent.column, content)) return;
    }
    if (indent.column < 4) {
      std::string end_marker;
      bool comment = false;
      if (HtmlBlockStart(content, !paragraph_.empty(), &end_marker, &comment)) {
        ParseHtmlBlock(end_marker, comment);
        return;
      }
      int level = 0;
      std::string text;
      if (ParseAtx(content, &level, &text)) {
        FlushParagraph();
        EndList();
        Emit(ElementType::kHeading, std::move(text), level);
        ++i_;
        return;
      }
      if (!paragraph_.empty() && !in_list) {
        if (const int setext = SetextLevel(content)) {
          std::string heading = JoinParagraph();
          paragraph_.clear();
          Emit(ElementType::kHeading, std::move(heading), setext);
          ++i_;
          return;
        }
      }
      if (IsThematicBreak(content)) {
        FlushParagraph();
        EndList();
        ++i_;
        return;
      }
    }
    if (content.find('|') != std::string_view::npos && i_ + 1 < lines_.size() && paragraph_.empty()) {
      size_t columns = 0;
      if (IsTableDelimiterRow(lines_[i_ + 1], &columns) && SplitTableRow(content).size() == columns) {
        ParseTable(columns);
        return;
      }
    }
    if (indent.column < 4 && content.starts_with('>')) {
      ParseBlockQuote();
      return;
    }
    ListMarker marker;
    if (block_indent && !IsThematicBreak(content) && ParseListMarker(content, &marker)) {
      const std::string_view text = content.substr(marker.content_offset);
      // Only "1." or a non-empty bullet item may interrupt a paragraph.
      const bool can_interrupt = !text.empty() && (!marker.ordered || marker.number == 1);
      if (paragraph_.empty() || can_interrupt || in_list) {
        FlushParagraph();
        StartListItem(indent.column, marker, text);
        ++i_;
        return;
      }
    }
    if (in_list && open_item_ != kNoItem) {
      // Lazy continuation right after the item, or an indented paragraph
      // that belongs to it after a blank line.
      if (!blank_since_item_ || indent.column >= item_content_column_) {
        std::string& item = doc_->elements[open_item_].text;
        if (!item.empty()) item.push_back(' ');
        item.append(Trim(content));
        ++i_;
        return;
      }
    }
    if (indent.column >= 4 && paragraph_.empty()) {
      ParseIndentedCode();
      return;
    }
    if (IsLinkReferenceDefinition(content) && paragraph_.empty()) {
      ++i_;
      return;
    }
    EndList();
    paragraph_.push_back(line);
    ++i_;
  }

  void SkipFrontMatter() {
    if (lines_.empty() || TrimRight(lines_[0]) != "---") return;
    for (size_t j = 1; j < lines_.size() && j < 200; ++j) {
      const std::string_view l = TrimRight(lines_[j]);
      if (l == "---" || l == "...") {
        for (size_t k = 1; k < j; ++k) NoteFrontMatter(lines_[k]);
        i_ = j + 1;
        return;
      }
    }
  }

  void NoteFrontMatter(std::string_view line) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.empty() || line[0] == ' ') return;
    std::string key(Trim(line.substr(0, colon)));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) return;
    if (key == "title") {
      front_matter_title_ = std::string(value);
    } else if (key == "author" || key == "date" || key == "description") {
      doc_->metadata[key] = std::string(value);
    }
  }

  bool ParseFence(size_t indent_column, std::string_view content) {
    const char fence_char = content[0];
    size_t fence_length = 0;
    while (fence_length < content.size() && content[fence_length] == fence_char) ++fence_length;
    const std::string_view info = Trim(content.substr(fence_length));
    if (fence_char == '`' && info.find('`') != std::string_view::npos) return false;  // a code span
    FlushParagraph();
    std::string code;
    size_t j = i_ + 1;
    for (; j < lines_.size(); ++j) {
      const std::string_view l = lines_[j];
      const Indentation in = MeasureIndent(l);
      const std::string_view c = TrimRight(l.substr(in.bytes));
      if (in.column < indent_column + 4 && c.size() >= fence_length &&
          c.find_first_not_of(fence_char) == std::string_view::npos) {
        break;
      }
      if (!code.empty() || j > i_ + 1) code.push_back('\n');
      code.append(StripColumns(l, indent_column));
    }
    i_ = std::min(j + 1, lines_.size());
    Element* element = Emit(ElementType::kCode, std::move(code));
    if (element) element->language = std::string(info.substr(0, info.find_first_of(" \t{")));
    return true;
  }

  void ParseIndentedCode() {
    std::string code;
    size_t j = i_;
    size_t last_text = i_;
    for (; j < lines_.size(); ++j) {
      const std::string_view l = lines_[j];
      if (!IsBlank(l) && MeasureIndent(l).column < 4) break;
      if (!IsBlank(l)) last_text = j;
    }
    for (size_t k = i_; k <= last_text; ++k) {
      if (k > i_) code.push_back('\n');
      code.append(TrimRight(StripColumns(lines_[k], 4)));
    }
    i_ = last_text + 1;
    EndList();
    Emit(ElementType::kCode, std::move(code));
  }

  void ParseHtmlBlock(const std::string& end_marker, bool comment) {
    FlushParagraph();
    EndList();
    std::string html;
    size_t j = i_;
    for (; j < lines_.size(); ++j) {
      if (end_marker.empty() && IsBlank(lines_[j])) break;
      html.append(lines_[j]);
      html.push_back('\n');
      if (!end_marker.empty() && ContainsNoCase(lines_[j], end_marker)) {
        ++j;
        break;
      }
    }
    i_ = j;
    if (comment) return;
    ExtractedDocument fragment;
    ConvertHtml(html, &fragment);
    for (Element& element : fragment.elements) doc_->elements.push_back(std::move(element));
  }

  void ParseTable(size_t columns) {
    FlushParagraph();
    EndList();
    Element table;
    table.type = ElementType::kTable;
    table.has_header = true;
    auto add_row = [&](std::string_view line) {
      std::vector<std::string> cells = SplitTableRow(line);
      cells.resize(columns);  // GFM: missing cells are empty, extra ones dropped
      table.rows.push_back(std::move(cells));
    };
    add_row(lines_[i_]);
    size_t j = i_ + 2;
    for (; j < lines_.size(); ++j) {
      const std::string_view l = lines_[j];
      if (IsBlank(l) || l.find('|') == std::string_view::npos) break;
      add_row(l);
    }
    i_ = j;
    doc_->elements.push_back(std::move(table));
  }

  void ParseBlockQuote() {
    FlushParagraph();
    EndList();
    std::vector<std::string_view> inner;
    size_t j = i_;
    for (; j < lines_.size(); ++j) {
      const std::string_view l = lines_[j];
      const Indentation in = MeasureIndent(l);
      std::string_view c = l.substr(in.bytes);
      if (in.column < 4 && c.starts_with('>')) {
        c.remove_prefix(1);
        if (!c.empty() && (c[0] == ' ' || c[0] == '\t')) c.remove_prefix(1);
        inner.push_back(c);
      } else if (!IsBlank(l) && !inner.empty() && !IsBlank(inner.back())) {
        inner.push_back(l);  // lazy continuation of the quoted paragraph
      } else {
        break;
      }
    }
    i_ = j;
    // Each quoted paragraph (separated by ">" alone) is one element.
    std::string text;
    for (std::string_view l : inner) {
      if (IsBlank(l)) {
        Emit(ElementType::kBlockQuote, std::move(text));
        text.clear();
        continue;
      }
      if (!text.empty()) text.push_back('\n');
      text.append(TrimRight(l));
    }
    Emit(ElementType::kBlockQuote, std::move(text));
  }

  void StartListItem(size_t column, const ListMarker& marker, std::string_view text) {
    // A marker indented at least two columns past the current level's
    // marker opens a deeper level; otherwise we return to the level whose
    // marker is at or left of this one.
    if (list_indents_.empty() || column >= list_indents_.back() + 2) {
      list_indents_.push_back(column);
    } else {
      while (list_indents_.size() > 1 && column < list_indents_.back()) list_indents_.pop_back();
    }
    item_content_column_ = column + marker.content_offset;
    blank_since_item_ = false;
    Element item;
    item.type = ElementType::kListItem;
    item.level = static_cast<int>(list_indents_.size()) - 1;
    item.ordered = marker.ordered;
    item.text = std::string(Trim(text));
    doc_->elements.push_back(std::move(item));
    open_item_ = doc_->elements.size() - 1;
  }

  void EndList() {
    list_indents_.clear();
    open_item_ = kNoItem;
    blank_since_item_ = false;
  }

  static bool IsLinkReferenceDefinition(std::string_view content) {
    if (!content.starts_with('[')) return false;
    const size_t close = content.find("]:");
    return close != std::string_view::npos && close > 1 && content.find(']') == close &&
           !Trim(content.substr(close + 2)).empty();
  }

  // Soft line breaks become spaces; a hard break (two trailing spaces or a
  // backslash) stays a newline.
  std::string JoinParagraph() const {
    std::string out;
    for (size_t k = 0; k < paragraph_.size(); ++k) {
      const std::string_view raw = paragraph_[k];
      std::string_view line = Trim(raw);
      if (k > 0) {
        const std::string_view previous = paragraph_[k - 1];
        const bool hard = previous.ends_with("  ") || TrimRight(previous).ends_with('\\');
        out.push_back(hard ? '\n' : ' ');
      }
      out.append(line);
    }
    return out;
  }

  void FlushParagraph() {
    if (paragraph_.empty()) return;
    Emit(ElementType::kParagraph, JoinParagraph());
    paragraph_.clear();
  }

  Element* Emit(ElementType type, std::string text, int level = 0) {
    if (IsBlank(text)) return nullptr;
    Element element;
    element.type = type;
    element.text = type == ElementType::kCode ? std::move(text) : std::string(Trim(text));
    element.level = level;
    if (type == ElementType::kHeading && level == 1 && first_h1_.empty()) first_h1_ = element.text;
    if (type != ElementType::kListItem) open_item_ = kNoItem;
    doc_->elements.push_back(std::move(element));
    return &doc_->elements.back();
  }

 public:
  std::string Title() const { return front_matter_title_.empty() ? first_h1_ : front_matter_title_; }

 private:
  static constexpr size_t kNoItem = static_cast<size_t>(-1);

  std::vector<std::string_view> lines_;
  ExtractedDocument* doc_;
  size_t i_ = 0;
  std::vector<std::string_view> paragraph_;
  std::vector<size_t> list_indents_;  // marker columns of the open list levels
  size_t item_content_column_ = 0;
  size_t open_item_ = kNoItem;  // index of the list item lazy lines extend
  bool blank_since_item_ = false;
  std::string front_matter_title_;
  std::string first_h1_;
};

class MarkdownExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "markdown"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    Result<DecodedText> decoded = DecodeToUtf8(input.bytes);
    if (!decoded.ok()) return decoded.status();
    ExtractedDocument doc;
    doc.source_encoding = decoded->encoding;
    if (IsBlank(decoded->utf8)) return Status::Empty("only whitespace");
    MarkdownParser parser(text_util::SplitLines(decoded->utf8), &doc);
    parser.Parse();
    doc.title = parser.Title();
    if (doc.elements.empty()) return Status::Empty("no text outside comments and markup");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeMarkdownExtractor() { return std::make_unique<MarkdownExtractor>(); }

}  // namespace smelter
