// RenderMarkdown: elements -> GFM text plus a block map (see element.h).
//
// Every element becomes at most one block; blocks are joined by exactly one
// blank line and the text ends with a single newline. Offsets are recorded
// while writing, so they are exact by construction. Element text is trusted
// to be inline Markdown; only what would change the block structure (blank
// lines, a leading "#", setext underlines, table pipes) is neutralized.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/element.h"

namespace smelter {

std::string_view ElementTypeName(ElementType type) {
  switch (type) {
    case ElementType::kTitle: return "title";
    case ElementType::kHeading: return "heading";
    case ElementType::kParagraph: return "paragraph";
    case ElementType::kListItem: return "list_item";
    case ElementType::kTable: return "table";
    case ElementType::kCode: return "code";
    case ElementType::kBlockQuote: return "block_quote";
    case ElementType::kImageCaption: return "image_caption";
    case ElementType::kPageBreak: return "page_break";
    case ElementType::kHeaderFooter: return "header_footer";
  }
  return "unknown";
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// One line: newlines and tabs become spaces, runs of spaces collapse.
std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : Trim(text)) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Lines of `text`, each right-trimmed, with blank lines removed: a blank
// line inside one element would end its block early.
std::vector<std::string_view> NonBlankLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (!Trim(line).empty()) lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

// A line made only of '=' or only of '-' (spaces allowed) would turn the
// paragraph line above it into a setext heading, or be a thematic break.
bool IsSetextUnderline(std::string_view line) {
  line = Trim(line);
  if (line.empty() || (line.front() != '=' && line.front() != '-')) return false;
  const char marker = line.front();
  return std::all_of(line.begin(), line.end(), [&](char c) { return c == marker || c == ' ' || c == '\t'; });
}

// "#", "##", ... followed by a space or the end: would read as a heading.
bool StartsLikeAtxHeading(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  return n >= 1 && n <= 6 && (n == line.size() || line[n] == ' ' || line[n] == '\t');
}

std::string RenderParagraph(std::string_view text) {
  std::string out;
  for (std::string_view line : NonBlankLines(text)) {
    // Leading spaces would make an indented code block of the first line.
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    if (!out.empty()) out.push_back('\n');
    if ((out.empty() && StartsLikeAtxHeading(line)) || IsSetextUnderline(line)) out.push_back('\\');
    out.append(line);
  }
  return out;
}

std::string RenderBlockQuote(std::string_view text) {
  std::string out;
  for (std::string_view line : NonBlankLines(text)) {
    if (!out.empty()) out.push_back('\n');
    out.append("> ");
    out.append(line);
  }
  return out;
}

std::string RenderCode(std::string_view text, std::string_view language) {
  // Keep indentation, drop blank lines at either end.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos || !Trim(text.substr(0, nl)).empty()) break;
    text.remove_prefix(nl + 1);
  }
  if (Trim(text).empty()) return "";
  // The fence must be longer than any backtick run inside.
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string info;
  for (char c : language) {
    if (IsSpace(c) || c == '`') break;
    info.push_back(c);
  }
  std::string out = fence + info + "\n";
  out.append(text);
  out += "\n" + fence;
  return out;
}

// A GFM cell: one line, pipes escaped, and a backslash right before a pipe
// doubled so that it stays a backslash instead of escaping our escape.
std::string RenderCell(std::string_view cell) {
  const std::string folded = Fold(cell);
  std::string out;
  out.reserve(folded.size() + 4);
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (c == '|') {
      out.append("\\|");
    } else if (c == '\\' && i + 1 < folded.size() && folded[i + 1] == '|') {
      out.append("\\\\");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void AppendRow(const std::vector<std::string>& cells, size_t columns, std::string* out) {
  out->push_back('|');
  for (size_t c = 0; c < columns; ++c) {
    out->push_back(' ');
    if (c < cells.size()) out->append(cells[c]);
    out->append(" |");
  }
}

// Returns "" for a table with no text. `row_starts` receives offsets
// relative to the start of the returned text, one per element row.
std::string RenderTable(const Element& element, std::vector<size_t>* row_starts) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(element.rows.size());
  size_t columns = 0;
  bool any_text = false;
  for (const auto& row : element.rows) {
    std::vector<std::string> cells;
    cells.reserve(row.size());
    for (const auto& cell : row) {
      cells.push_back(RenderCell(cell));
      if (!cells.back().empty()) any_text = true;
    }
    columns = std::max(columns, cells.size());
    rows.push_back(std::move(cells));
  }
  if (!any_text || columns == 0) return "";

  std::string out;
  size_t first_body = 0;
  if (element.has_header) {
    AppendRow(rows[0], columns, &out);
    first_body = 1;
  } else {
    // GFM needs a header row; an empty one keeps rows[0] a data row.
    AppendRow({}, columns, &out);
  }
  out.push_back('\n');
  out.push_back('|');
  for (size_t c = 0; c < columns; ++c) out.append(" --- |");
  row_starts->push_back(0);  // row 0: header (or blank header) + separator
  for (size_t r = first_body; r < rows.size(); ++r) {
    out.push_back('\n');
    // Without a header, rows[0] shares row 0 with the blank header.
    if (r > 0) row_starts->push_back(out.size());
    AppendRow(rows[r], columns, &out);
  }
  return out;
}

// Numbering of ordered lists, one counter per nesting level.
struct ListCounter {
  bool ordered = false;
  int count = 0;
};

}  // namespace

RenderedMarkdown RenderMarkdown(const ExtractedDocument& doc) {
  RenderedMarkdown out;
  int page = 0;
  std::vector<ListCounter> counters;  // cleared by any non-list block

  for (const Element& element : doc.elements) {
    if (element.page > 0) page = element.page;
    if (element.type == ElementType::kPageBreak || element.type == ElementType::kHeaderFooter) {
      continue;  // sets the page, renders nothing
    }

    Block block;
    block.type = element.type;
    block.page = page;
    std::string piece;
    std::vector<size_t> row_starts;

    switch (element.type) {
      case ElementType::kTitle:
      case ElementType::kHeading: {
        const std::string text = Fold(element.text);
        if (text.empty()) break;
        const int level = element.type == ElementType::kTitle ? 1 : std::clamp(element.level, 1, 6);
        block.heading_level = level;
        piece.assign(static_cast<size_t>(level), '#');
        piece += ' ';
        piece += text;
        break;
      }
      case ElementType::kParagraph:
      case ElementType::kImageCaption:
        piece = RenderParagraph(element.text);
        break;
      case ElementType::kListItem: {
        const std::string text = Fold(element.text);
        if (text.empty()) break;
        const size_t level = static_cast<size_t>(std::clamp(element.level, 0, 32));
        counters.resize(level + 1);  // deeper levels restart when we come back up
        ListCounter& counter = counters[level];
        if (counter.ordered != element.ordered) counter = ListCounter{element.ordered, 0};
        piece.assign(2 * level, ' ');
        if (element.ordered) {
          piece += std::to_string(++counter.count) + ". ";
        } else {
          piece += "- ";
        }
        piece += text;
        break;
      }
      case ElementType::kTable:
        piece = RenderTable(element, &row_starts);
        break;
      case ElementType::kCode:
        piece = RenderCode(element.text, element.language);
        break;
      case ElementType::kBlockQuote:
        piece = RenderBlockQuote(element.text);
        break;
      case ElementType::kPageBreak:
      case ElementType::kHeaderFooter:
        break;
    }
    if (piece.empty()) continue;  // an element without text leaves no block
    if (element.type != ElementType::kListItem) counters.clear();

    if (!out.text.empty()) out.text.append("\n\n");
    block.begin = out.text.size();
    for (size_t& start : row_starts) start += block.begin;
    block.row_starts = std::move(row_starts);
    out.text += piece;
    block.end = out.text.size();
    out.blocks.push_back(std::move(block));
  }
  if (!out.text.empty()) out.text.push_back('\n');
  return out;
}

}  // namespace smelter
