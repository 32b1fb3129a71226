#include "extract/pdf_layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string_view>
#include <utility>

#include "extract/text_util.h"

namespace smelter::pdf_layout {
namespace {

using text_util::Trim;

// A run of words on one baseline with no wide gap: one line of one column,
// or one table cell.
struct Segment {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double size = 0;  // font size (weighted median of its words)
  int row = 0;      // index of its row on the page
  size_t chars = 0;
  bool header_footer = false;
  int table = -1;   // index into the page's tables, or -1
  double height() const { return std::max(y1 - y0, 0.1); }
};

struct Table {
  double y0 = 0, y1 = 0, x0 = 0, x1 = 0;
  std::vector<std::vector<std::string>> rows;
};

struct PageWork {
  const Page* page = nullptr;
  double width = 0, height = 0;
  std::vector<Segment> segments;
  std::vector<std::vector<int>> rows;  // segment indexes per row, left to right, rows top to bottom
  std::vector<Table> tables;
  std::string rotated_text;
};

double WordSize(const Word& w) {
  const double h = std::max(w.y1 - w.y0, 0.1);
  return w.font_size > 0 ? w.font_size : h / 1.2;
}

// Hebrew, Arabic, Syriac, Thaana, N'Ko (U+0590-U+07FF): UTF-8 lead bytes
// 0xD6-0xDF.
bool IsRtlLead(unsigned char c) { return c >= 0xD6 && c <= 0xDF; }

bool HasRtl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return IsRtlLead(static_cast<unsigned char>(c)); });
}

// Poppler gives the glyphs of a right-to-left word in visual (left to right)
// order. Logical order: runs of right-to-left letters are reversed letter
// by letter, and the runs are read from the right; other runs ("Python",
// digits) keep their inner order.
std::string VisualToLogical(std::string_view word) {
  std::vector<std::pair<std::string, bool>> runs;  // (text, right-to-left)
  size_t i = 0;
  while (i < word.size()) {
    const auto c = static_cast<unsigned char>(word[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, word.size() - i);
    const bool rtl = IsRtlLead(c);
    if (runs.empty() || runs.back().second != rtl) runs.emplace_back("", rtl);
    if (rtl) {
      runs.back().first.insert(0, word.substr(i, len));
    } else {
      runs.back().first.append(word.substr(i, len));
    }
    i += len;
  }
  std::string out;
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) out += it->first;
  return out;
}

// 1. Words -> rows -> segments.
void BuildSegments(const Page& page, PageWork* work) {
  std::vector<int> order;
  order.reserve(page.words.size());
  for (size_t i = 0; i < page.words.size(); ++i) {
    const Word& w = page.words[i];
    if (w.rotated) {
      if (!Trim(w.text).empty()) {
        if (!work->rotated_text.empty()) work->rotated_text.push_back(' ');
        work->rotated_text.append(Trim(w.text));
      }
      continue;
    }
    if (Trim(w.text).empty() || !(w.x1 >= w.x0) || !(w.y1 >= w.y0)) continue;
    order.push_back(static_cast<int>(i));
    work->width = std::max(work->width, w.x1);
    work->height = std::max(work->height, w.y1);
  }
  const auto& words = page.words;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const double ya = words[a].y0 + words[a].y1, yb = words[b].y0 + words[b].y1;
    if (ya != yb) return ya < yb;
    return words[a].x0 < words[b].x0;
  });
  // A word joins a row when their vertical extents overlap by half the
  // smaller height; the last few rows are tried, since words of a row with
  // mixed fonts can interleave with a neighbouring column's offset row.
  struct Row {
    double y0, y1;
    std::vector<int> words;
  };
  std::vector<Row> rows;
  for (int i : order) {
    const Word& w = words[i];
    const double h = std::max(w.y1 - w.y0, 0.1);
    bool placed = false;
    for (size_t back = 0; back < 3 && back < rows.size(); ++back) {
      Row& row = rows[rows.size() - 1 - back];
      const double overlap = std::min(w.y1, row.y1) - std::max(w.y0, row.y0);
      if (overlap >= 0.5 * std::min(h, std::max(row.y1 - row.y0, 0.1))) {
        row.words.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) rows.push_back(Row{w.y0, w.y1, {i}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.y0 + a.y1 < b.y0 + b.y1; });

  for (Row& row : rows) {
    std::sort(row.words.begin(), row.words.end(), [&](int a, int b) { return words[a].x0 < words[b].x0; });
    const int row_index = static_cast<int>(work->rows.size());
    work->rows.emplace_back();
    std::vector<std::pair<double, size_t>> sizes;  // (font size, chars) of the current segment's words
    auto finish = [&](Segment* seg) {
      std::sort(sizes.begin(), sizes.end());
      size_t seen = 0;
      for (const auto& [size, n] : sizes) {
        seen += n;
        if (seen * 2 >= seg->chars) {
          seg->size = size;
          break;
        }
      }
      sizes.clear();
      work->rows.back().push_back(static_cast<int>(work->segments.size()));
      work->segments.push_back(std::move(*seg));
    };
    // Split the row where a gap exceeds about one line height.
    std::vector<std::vector<int>> groups;
    for (size_t k = 0; k < row.words.size(); ++k) {
      const Word& w = words[row.words[k]];
      if (k > 0) {
        const Word& prev = words[row.words[k - 1]];
        const double h = std::max(std::max(w.y1 - w.y0, prev.y1 - prev.y0), 0.1);
        if (w.x0 - prev.x1 <= 0.8 * h) {
          groups.back().push_back(row.words[k]);
          continue;
        }
      }
      groups.push_back({row.words[k]});
    }
    for (const std::vector<int>& group : groups) {
      Segment seg;
      seg.row = row_index;
      seg.x0 = words[group.front()].x0;
      seg.y0 = words[group.front()].y0;
      seg.y1 = words[group.front()].y1;
      // Right-to-left lines are read from the right (see VisualToLogical).
      size_t rtl = 0;
      for (int i : group) rtl += HasRtl(words[i].text) ? 1 : 0;
      const bool right_to_left = rtl * 2 > group.size();
      for (size_t k = 0; k < group.size(); ++k) {
        const size_t at = right_to_left ? group.size() - 1 - k : k;
        const Word& w = words[group[at]];
        if (k > 0) {
          // The space between this word and its visual left neighbour.
          const Word& left = words[group[right_to_left ? at : at - 1]];
          const Word& right = words[group[right_to_left ? at + 1 : at]];
          const double h = std::max(std::max(left.y1 - left.y0, right.y1 - right.y0), 0.1);
          if (left.space_after || right.x0 - left.x1 > 0.15 * h) seg.text.push_back(' ');
        }
        const std::string_view text = Trim(w.text);
        if (HasRtl(text)) {
          seg.text += VisualToLogical(text);
        } else {
          seg.text.append(text);
        }
        seg.x1 = std::max(seg.x1, w.x1);
        seg.y0 = std::min(seg.y0, w.y0);
        seg.y1 = std::max(seg.y1, w.y1);
        const size_t n = text_util::CodePoints(text);
        seg.chars += n;
        sizes.emplace_back(WordSize(w), n);
      }
      finish(&seg);
    }
  }
  work->width = std::max(work->width, page.width);
  work->height = std::max(work->height, page.height);
}

// 2. Whitespace-aligned tables.
void FindTables(PageWork* work) {
  auto& segs = work->segments;
  const auto& rows = work->rows;
  const double page_text_width = work->width;
  size_t r = 0;
  while (r < rows.size()) {
    if (rows[r].size() < 3) {
      ++r;
      continue;
    }
    // A run of rows with >= 3 cells each, without large vertical gaps.
    size_t end = r + 1;
    auto row_y0 = [&](size_t k) { return segs[rows[k].front()].y0; };
    auto row_y1 = [&](size_t k) {
      double y = 0;
      for (int s : rows[k]) y = std::max(y, segs[s].y1);
      return y;
    };
    auto row_h = [&](size_t k) { return segs[rows[k].front()].height(); };
    while (end < rows.size() && rows[end].size() >= 3 && row_y0(end) - row_y1(end - 1) < 2.0 * row_h(end)) ++end;
    if (end - r < 3) {
      r = end;
      continue;
    }
    // Columns: the union of the cells' x-extents.
    std::vector<std::pair<double, double>> spans;
    for (size_t k = r; k < end; ++k) {
      for (int s : rows[k]) spans.emplace_back(segs[s].x0, segs[s].x1);
    }
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<double, double>> columns;
    for (const auto& span : spans) {
      if (!columns.empty() && span.first <= columns.back().second) {
        columns.back().second = std::max(columns.back().second, span.second);
      } else {
        columns.push_back(span);
      }
    }
    // A column of long, wide lines is prose beside the table (the other
    // column of a two-column page), not cells.
    std::vector<bool> prose(columns.size(), false);
    for (size_t c = 0; c < columns.size(); ++c) {
      size_t n = 0, chars = 0;
      for (size_t k = r; k < end; ++k) {
        for (int s : rows[k]) {
          if (segs[s].x0 >= columns[c].first && segs[s].x1 <= columns[c].second) {
            ++n;
            chars += segs[s].chars;
          }
        }
      }
      prose[c] = n > 0 && chars / n >= 40 && columns[c].second - columns[c].first >= 0.3 * page_text_width;
    }
    std::vector<std::pair<double, double>> cells;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!prose[c]) cells.push_back(columns[c]);
    }
    if (cells.size() < 3) {
      r = end;
      continue;
    }
    auto column_of = [&](const Segment& s) -> int {
      for (size_t c = 0; c < cells.size(); ++c) {
        if (s.x0 >= cells[c].first - 0.5 && s.x1 <= cells[c].second + 0.5) return static_cast<int>(c);
      }
      return -1;
    };
    // Extend over neighbouring rows whose >= 2 segments fall into distinct
    // table columns (rows with empty cells, a header row).
    auto fits = [&](size_t k) {
      if (rows[k].size() < 2) return false;
      std::set<int> used;
      for (int s : rows[k]) {
        const int c = column_of(segs[s]);
        if (c < 0 || !used.insert(c).second) return false;
      }
      return true;
    };
    size_t begin = r;
    while (begin > 0 && fits(begin - 1) && row_y0(begin) - row_y1(begin - 1) < 2.0 * row_h(begin)) --begin;
    while (end < rows.size() && fits(end) && row_y0(end) - row_y1(end - 1) < 2.0 * row_h(end)) ++end;
    Table table;
    table.y0 = 1e300;
    table.x0 = 1e300;
    const int id = static_cast<int>(work->tables.size());
    for (size_t k = begin; k < end; ++k) {
      std::vector<std::string> row(cells.size());
      bool any = false;
      for (int s : rows[k]) {
        const int c = column_of(segs[s]);
        if (c < 0) continue;  // prose beside the table stays in the flow
        std::string& cell = row[c];
        if (!cell.empty()) cell.push_back(' ');
        cell += segs[s].text;
        segs[s].table = id;
        any = true;
        table.y0 = std::min(table.y0, segs[s].y0);
        table.y1 = std::max(table.y1, segs[s].y1);
        table.x0 = std::min(table.x0, segs[s].x0);
        table.x1 = std::max(table.x1, segs[s].x1);
      }
      if (any) table.rows.push_back(std::move(row));
    }
    work->tables.push_back(std::move(table));
    r = end;
  }
}

// Lower-cased text with every digit run replaced by '#': "Page 3 of 9" and
// "Page 4 of 9" share a key.
std::string HeaderKey(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (key.empty() || key.back() != '#') key.push_back('#');
    } else if (c == ' ') {
      if (!key.empty() && key.back() != ' ') key.push_back(' ');
    } else {
      key.push_back(text_util::AsciiLower(c));
    }
  }
  return key;
}

// "7", "- 7 -", "Page 7", "vii": the number or label of this page.
bool IsBarePageNumber(std::string_view text, const Page& page) {
  std::string s;
  for (char c : text) {
    if (c != ' ' && c != '-' && c != '\xE2' && c != '\x80' && c != '\x93') s.push_back(text_util::AsciiLower(c));
  }
  if (s.starts_with("page")) s.erase(0, 4);
  if (s.empty() || s.size() > 6) return false;
  if (s == std::to_string(page.number)) return true;
  std::string label = page.label;
  for (char& c : label) c = text_util::AsciiLower(c);
  return !label.empty() && s == label;
}

// Segments that may be a running header or footer: in the top or bottom
// tenth of the page and among its first or last two rows.
std::vector<int> EdgeSegments(const PageWork& work) {
  std::vector<int> out;
  const size_t n = work.rows.size();
  for (size_t k = 0; k < n; ++k) {
    if (k >= 2 && k + 2 < n) continue;
    for (int s : work.rows[k]) {
      const Segment& seg = work.segments[s];
      if (seg.table >= 0) continue;
      const bool top = k < 2 && seg.y1 <= 0.1 * work.height;
      const bool bottom = k + 2 >= n && seg.y0 >= 0.9 * work.height;
      if (top || bottom) out.push_back(s);
    }
  }
  return out;
}

// 5. Running headers and footers, across pages.
void MarkHeadersFooters(std::vector<PageWork>* pages) {
  std::map<std::string, std::set<int>> pages_of_key;
  for (size_t p = 0; p < pages->size(); ++p) {
    const PageWork& work = (*pages)[p];
    for (int s : EdgeSegments(work)) pages_of_key[HeaderKey(work.segments[s].text)].insert(static_cast<int>(p));
  }
  const size_t needed = pages->size() == 2 ? 2 : 3;
  for (PageWork& work : *pages) {
    for (int s : EdgeSegments(work)) {
      Segment& seg = work.segments[s];
      const std::string key = HeaderKey(seg.text);
      // A recurring one- or two-letter key is more likely a figure label
      // or a symbol than a running header.
      const bool meaningful = key == "#" || text_util::CodePoints(key) >= 3;
      seg.header_footer = IsBarePageNumber(seg.text, *work.page) ||
                          (meaningful && pages_of_key[key].size() >= needed);
    }
  }
}

// One unit of the reading order: a segment or a whole table.
struct Item {
  int segment = -1;
  int table = -1;
  double x0, y0, x1, y1;
  int column = -1;  // -1: spans the gutters
};

// 3. Columns and reading order.
std::vector<Item> ReadingOrder(const PageWork& work) {
  std::vector<Item> items;
  for (size_t s = 0; s < work.segments.size(); ++s) {
    const Segment& seg = work.segments[s];
    if (seg.header_footer || seg.table >= 0) continue;
    items.push_back(Item{static_cast<int>(s), -1, seg.x0, seg.y0, seg.x1, seg.y1});
  }
  for (size_t t = 0; t < work.tables.size(); ++t) {
    const Table& table = work.tables[t];
    if (table.rows.empty()) continue;
    items.push_back(Item{-1, static_cast<int>(t), table.x0, table.y0, table.x1, table.y1});
  }
  if (items.empty()) return items;
  double left = 1e300, right = -1e300;
  std::vector<double> heights;
  for (const Item& item : items) {
    left = std::min(left, item.x0);
    right = std::max(right, item.x1);
    if (item.segment >= 0) heights.push_back(item.y1 - item.y0);
  }
  const double text_width = right - left;
  double line_height = 10;
  if (!heights.empty()) {
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    line_height = std::max(heights[heights.size() / 2], 1.0);
  }
  // Coverage of each 1-point column of the text area by column-width lines
  // (difference array, then prefix sums: linear in lines + width).
  std::vector<double> gutters;  // x boundaries between columns
  if (text_width > 0 && text_width < 20000) {
    const size_t bins = static_cast<size_t>(std::ceil(text_width)) + 2;
    std::vector<double> diff(bins + 1, 0.0);
    double narrow_total = 0;
    // Lines of a column share their left edge; a centred line (an author
    // list above two columns) has an edge of its own and is left out, as
    // otherwise a few of them would fill the gutter.
    std::map<long, int> left_edges;  // 2-point buckets
    for (const Item& item : items) ++left_edges[std::lround(item.x0 / 2)];
    auto aligned = [&](const Item& item) {
      const long b = std::lround(item.x0 / 2);
      int n = 0;
      for (long k = b - 1; k <= b + 1; ++k) {
        const auto it = left_edges.find(k);
        if (it != left_edges.end()) n += it->second;
      }
      return n >= 3;
    };
    auto narrow = [&](const Item& item) {
      return item.segment >= 0 && item.x1 - item.x0 < 0.55 * text_width && aligned(item);
    };
    for (const Item& item : items) {
      if (!narrow(item)) continue;
      const auto a = static_cast<size_t>(std::max(0.0, item.x0 - left));
      const auto b = std::min(bins, static_cast<size_t>(std::max(0.0, item.x1 - left)) + 1);
      diff[a] += item.y1 - item.y0;
      diff[b] -= item.y1 - item.y0;
      narrow_total += item.y1 - item.y0;
    }
    const double min_gutter = std::max(6.0, 0.8 * line_height);
    double running = 0;
    size_t run_start = 0;
    bool in_run = false, seen_text = false;
    std::vector<std::pair<double, double>> runs;
    for (size_t x = 0; x < bins; ++x) {
      running += diff[x];
      // A few lines may still cross a gutter; they become spanning lines.
      const bool empty = running <= 0.05 * narrow_total + 1e-6;
      if (!empty) {
        if (in_run && seen_text && x - run_start >= min_gutter) runs.emplace_back(left + run_start, left + x);
        in_run = false;
        seen_text = true;
      } else if (!in_run) {
        in_run = true;
        run_start = x;
      }
    }
    // Keep gutters whose columns each hold a fair share of the narrow text.
    for (const auto& [a, b] : runs) gutters.push_back((a + b) / 2);
    bool changed = true;
    while (changed && !gutters.empty()) {
      changed = false;
      std::vector<double> share(gutters.size() + 1, 0.0);
      std::vector<int> lines(gutters.size() + 1, 0);
      for (const Item& item : items) {
        if (!narrow(item)) continue;
        const size_t c = std::upper_bound(gutters.begin(), gutters.end(), item.x0) - gutters.begin();
        share[c] += item.y1 - item.y0;
        ++lines[c];
      }
      size_t weakest = 0;
      for (size_t c = 1; c < share.size(); ++c) {
        if (share[c] < share[weakest]) weakest = c;
      }
      if (share[weakest] < 0.12 * narrow_total || lines[weakest] < 4) {
        // Drop the gutter beside the weakest column.
        gutters.erase(gutters.begin() + static_cast<long>(weakest == gutters.size() ? weakest - 1 : weakest));
        changed = true;
      }
    }
  }
  for (Item& item : items) {
    const size_t a = std::upper_bound(gutters.begin(), gutters.end(), item.x0) - gutters.begin();
    const size_t b = std::upper_bound(gutters.begin(), gutters.end(), item.x1) - gutters.begin();
    item.column = a == b ? static_cast<int>(a) : -1;
  }
  // Top to bottom; a spanning item closes the band above it, whose columns
  // are emitted one after another.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    const double ya = a.y0 + a.y1, yb = b.y0 + b.y1;
    if (ya != yb) return ya < yb;
    return a.x0 < b.x0;
  });
  if (gutters.empty()) {
    // Same-row segments keep left-to-right order (sort by row, then x).
    return items;
  }
  std::vector<Item> out;
  out.reserve(items.size());
  std::vector<std::vector<Item>> band(gutters.size() + 1);
  auto flush = [&] {
    for (auto& column : band) {
      for (Item& item : column) out.push_back(item);
      column.clear();
    }
  };
  for (const Item& item : items) {
    if (item.column < 0) {
      flush();
      out.push_back(item);
    } else {
      band[item.column].push_back(item);
    }
  }
  flush();
  return out;
}

bool StartsWithBullet(std::string_view line) {
  line = Trim(line);
  if (line.starts_with("\xE2\x80\xA2") || line.starts_with("\xE2\x97\xA6") ||  // • ◦
      line.starts_with("\xEF\x82\xB7") || line.starts_with("- ") || line.starts_with("\xE2\x96\xAA")) {
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

bool StartsUpperOrDigit(std::string_view s) {
  s = Trim(s);
  return !s.empty() && (std::isupper(static_cast<unsigned char>(s[0])) || std::isdigit(static_cast<unsigned char>(s[0])));
}

struct Paragraph {
  std::vector<std::string> lines;
  double size = 0;
  size_t chars = 0;  // of the longest segment
};

// 4. Items in reading order -> blocks of one page (headings come later).
std::vector<Block> MakeBlocks(const PageWork& work, const std::vector<Item>& items,
                              const HyphenatedWords& hyphenated) {
  const auto& segs = work.segments;
  // The usual gap between consecutive lines of one column.
  std::vector<double> gaps;
  for (size_t k = 1; k < items.size(); ++k) {
    const Item& a = items[k - 1];
    const Item& b = items[k];
    if (a.segment < 0 || b.segment < 0 || a.column != b.column) continue;
    const double gap = b.y0 - a.y1;
    const double h = segs[a.segment].height();
    if (gap > -0.5 * h && gap < 3 * h && segs[a.segment].row != segs[b.segment].row) gaps.push_back(gap);
  }
  double usual_gap = 0;
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    usual_gap = gaps[gaps.size() / 2];
  }
  // Right edge of each column's text, for "short line".
  std::map<int, std::pair<double, double>> extent;  // column -> (left, right)
  for (const Item& item : items) {
    if (item.segment < 0) continue;
    auto [it, inserted] = extent.try_emplace(item.column, item.x0, item.x1);
    if (!inserted) {
      it->second.first = std::min(it->second.first, item.x0);
      it->second.second = std::max(it->second.second, item.x1);
    }
  }

  std::vector<Block> blocks;
  Paragraph para;
  const Segment* prev = nullptr;
  int prev_column = -2;
  auto flush = [&] {
    if (para.lines.empty()) return;
    Block block;
    block.text = JoinLines(para.lines, &hyphenated);
    block.font_size = para.size;
    if (!block.text.empty()) blocks.push_back(std::move(block));
    para = Paragraph();
  };
  for (const Item& item : items) {
    if (item.table >= 0) {
      flush();
      prev = nullptr;
      Block block;
      block.kind = BlockKind::kTable;
      block.rows = work.tables[item.table].rows;
      blocks.push_back(std::move(block));
      continue;
    }
    const Segment& seg = segs[item.segment];
    bool brk = prev == nullptr || item.column != prev_column;
    if (!brk && seg.row != prev->row) {
      const double gap = seg.y0 - prev->y1;
      const double h = std::min(seg.height(), prev->height());
      const double bigger = std::max(seg.size, prev->size);
      const auto [col_left, col_right] = extent[item.column];
      const double width = std::max(col_right - col_left, 1.0);
      const bool prev_short = prev->x1 < col_right - 0.12 * width;
      const bool indented = seg.x0 - prev->x0 > 0.5 * seg.size && seg.x0 - prev->x0 < 5 * seg.size;
      const std::string_view prev_text = Trim(prev->text);
      const bool prev_open = prev_text.ends_with(",") || prev_text.ends_with(";") || prev_text.ends_with("-");
      brk = gap > usual_gap + 0.45 * h || gap < -0.5 * h || std::abs(seg.size - prev->size) > 0.12 * bigger ||
            StartsWithBullet(seg.text) || (EndsSentence(prev->text) && (prev_short || indented)) ||
            (prev_short && !prev_open && StartsUpperOrDigit(seg.text) && prev_text.size() < 60);
    }
    if (brk) flush();
    if (para.lines.empty() || seg.row != prev->row) {
      para.lines.push_back(seg.text);
    } else {
      para.lines.back() += ' ';
      para.lines.back() += seg.text;
    }
    // The paragraph's size: that of its longest segment.
    if (seg.chars > para.chars) {
      para.size = seg.size;
      para.chars = seg.chars;
    }
    prev = &seg;
    prev_column = item.column;
  }
  flush();
  if (!work.rotated_text.empty()) {
    Block block;
    block.text = work.rotated_text;
    blocks.push_back(std::move(block));
  }
  return blocks;
}

// 6. Headings by font size.
void MarkHeadings(std::vector<PageBlocks>* pages) {
  std::map<long, size_t> chars_by_size;  // size in half points -> characters
  for (const PageBlocks& page : *pages) {
    for (const Block& b : page.blocks) {
      if (b.kind == BlockKind::kParagraph && b.font_size > 0) {
        chars_by_size[std::lround(b.font_size * 2)] += b.text.size();
      }
    }
  }
  if (chars_by_size.empty()) return;
  const long body = std::max_element(chars_by_size.begin(), chars_by_size.end(), [](const auto& a, const auto& b) {
                      return a.second < b.second;
                    })->first;
  auto is_heading = [&](const Block& b) {
    if (b.kind != BlockKind::kParagraph || b.font_size * 2 < 1.2 * static_cast<double>(body)) return false;
    const size_t n = text_util::CodePoints(b.text);
    if (n < 2 || n > 200) return false;
    // Words, not formula fragments (tall math glyphs look like large type):
    // most visible characters are letters, and one word has >= 3 of them.
    size_t visible = 0, letters = 0, run = 0, longest = 0;
    for (char c : b.text) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x80 && u < 0xC0) continue;  // UTF-8 continuation byte
      // Lead bytes of letters beyond ASCII; 0xE2 starts math symbols,
      // arrows and punctuation, 0xEF private-use glyphs.
      const bool letter = std::isalpha(u) || (u >= 0xC3 && u != 0xE2 && u != 0xEF);
      if (c != ' ') ++visible;
      if (letter) ++letters;
      run = letter ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    return longest >= 3 && letters * 10 >= visible * 6;
  };
  // Levels: heading sizes, largest first; sizes within 7% share a level.
  std::set<long, std::greater<long>> sizes;
  for (const PageBlocks& page : *pages) {
    for (const Block& b : page.blocks) {
      if (is_heading(b)) sizes.insert(std::lround(b.font_size * 2));
    }
  }
  std::map<long, int> level_of_size;
  int level = 0;
  long cluster_top = 0;
  for (long size : sizes) {
    if (level == 0 || static_cast<double>(size) < 0.93 * static_cast<double>(cluster_top)) {
      ++level;
      cluster_top = size;
    }
    level_of_size[size] = std::min(level, 6);
  }
  for (PageBlocks& page : *pages) {
    for (Block& b : page.blocks) {
      if (!is_heading(b)) continue;
      b.kind = BlockKind::kHeading;
      b.level = level_of_size[std::lround(b.font_size * 2)];
    }
  }
}

}  // namespace

HyphenatedWords CollectHyphenatedWords(const std::vector<Page>& pages) {
  HyphenatedWords words;
  for (const Page& page : pages) {
    for (const Word& word : page.words) {
      std::string_view w = word.text;
      while (!w.empty() && !std::isalpha(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
      while (!w.empty() && !std::isalpha(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
      const size_t dash = w.find('-');
      if (dash == std::string_view::npos || dash == 0 || dash + 1 >= w.size()) continue;
      std::string lower(w);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      words.insert(std::move(lower));
    }
  }
  return words;
}

namespace {

// "... dual-" + "encoder ..." -> "dual-encoder" (lower case), the compound
// a line-end hyphen would make if it were kept.
std::string CompoundAcrossLines(std::string_view before, std::string_view line) {
  size_t start = before.size() - 1;  // at the '-'
  while (start > 0 && std::isalpha(static_cast<unsigned char>(before[start - 1]))) --start;
  size_t end = 0;
  while (end < line.size() && std::isalpha(static_cast<unsigned char>(line[end]))) ++end;
  std::string compound(before.substr(start));
  compound.append(line.substr(0, end));
  for (char& c : compound) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return compound;
}

}  // namespace

std::string JoinLines(const std::vector<std::string>& lines, const HyphenatedWords* keep) {
  std::string out;
  for (const std::string& raw : lines) {
    const std::string_view line = Trim(raw);
    if (line.empty()) continue;
    if (!out.empty()) {
      const size_t n = out.size();
      const auto last_letter = [&] { return n >= 2 && std::isalpha(static_cast<unsigned char>(out[n - 2])); };
      const bool hyphen = out[n - 1] == '-' && last_letter();
      const auto first = static_cast<unsigned char>(line[0]);
      if (hyphen && std::islower(static_cast<unsigned char>(out[n - 2])) && std::islower(first)) {
        // hyphenation: "extrac-" + "tion", unless the document spells the
        // compound with its hyphen elsewhere
        if (!keep || !keep->count(CompoundAcrossLines(out, line))) out.pop_back();
      } else if (hyphen && (std::isupper(first) || std::isdigit(first))) {
        // a real hyphen: "Jean-" + "Pierre", "COVID-" + "19"
      } else if (out.ends_with("\xC2\xAD")) {
        out.resize(n - 2);  // soft hyphen
      } else {
        out.push_back(' ');
      }
    }
    out.append(line);
  }
  return out;
}

std::vector<PageBlocks> AnalyzeLayout(const std::vector<Page>& pages) {
  std::vector<PageWork> work(pages.size());
  for (size_t p = 0; p < pages.size(); ++p) {
    work[p].page = &pages[p];
    BuildSegments(pages[p], &work[p]);
    FindTables(&work[p]);
  }
  MarkHeadersFooters(&work);
  const HyphenatedWords hyphenated = CollectHyphenatedWords(pages);
  std::vector<PageBlocks> out(pages.size());
  for (size_t p = 0; p < pages.size(); ++p) {
    out[p].number = pages[p].number;
    const std::vector<Item> items = ReadingOrder(work[p]);
    out[p].blocks = MakeBlocks(work[p], items, hyphenated);
  }
  MarkHeadings(&out);
  // Headers and footers, in page order, first on their page (their exact
  // position does not matter: they are not rendered).
  for (size_t p = 0; p < pages.size(); ++p) {
    std::vector<Block> marks;
    for (const Segment& seg : work[p].segments) {
      if (!seg.header_footer || Trim(seg.text).empty()) continue;
      Block block;
      block.kind = BlockKind::kHeaderFooter;
      block.text = seg.text;
      block.font_size = seg.size;
      marks.push_back(std::move(block));
    }
    if (!marks.empty()) out[p].blocks.insert(out[p].blocks.begin(), marks.begin(), marks.end());
  }
  return out;
}

}  // namespace smelter::pdf_layout
