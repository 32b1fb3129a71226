// Boilerplate lines (see boilerplate.h).

#include "clean/boilerplate.h"

#include <unicode/uchar.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <unordered_map>

#include "core/utf8.h"

namespace smelter {

namespace {

bool IsCandidate(ElementType type) {
  switch (type) {
    case ElementType::kParagraph:
    case ElementType::kHeading:
    case ElementType::kListItem:
    case ElementType::kBlockQuote:
    case ElementType::kImageCaption:
      return true;
    default:
      return false;
  }
}

// Calls fn(line) for each "\n"-separated line of text.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    fn(text.substr(start, end - start));
    start = end + 1;
  }
}

bool HasLetter(std::string_view line) {
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  for (size_t i = 0; i < line.size();) {
    uint32_t cp = s[i];
    int len = 1;
    if (cp >= 0x80) {
      len = DecodeUtf8(s, i, line.size(), &cp);
      if (len == 0) cp = 0xFFFD, len = 1;
    }
    if (u_isalpha(static_cast<UChar32>(cp))) return true;
    i += static_cast<size_t>(len);
  }
  return false;
}

}  // namespace

std::string BoilerplateLineKey(std::string_view line) {
  std::string key;
  key.reserve(line.size());
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  bool space = false, digits = false;
  for (size_t i = 0; i < line.size();) {
    uint32_t cp = s[i];
    int len = 1;
    if (cp >= 0x80) {
      len = DecodeUtf8(s, i, line.size(), &cp);
      if (len == 0) cp = 0xFFFD, len = 1;
    }
    i += static_cast<size_t>(len);
    const auto c = static_cast<UChar32>(cp);
    if (u_isUWhiteSpace(c)) {
      space = !key.empty();
      digits = false;
      continue;
    }
    if (space) key.push_back(' ');
    space = false;
    if (u_isdigit(c)) {
      if (!digits) key.push_back('#');
      digits = true;
      continue;
    }
    digits = false;
    AppendUtf8(static_cast<uint32_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT)), &key);
  }
  return key;
}

uint64_t BoilerplateLineHash(std::string_view line) {
  const std::string key = BoilerplateLineKey(line);
  if (key.empty() || !HasLetter(key)) return 0;
  const uint64_t h = XXH3_64bits(key.data(), key.size());
  return h == 0 ? 1 : h;  // 0 means "no line"
}

std::vector<uint64_t> CandidateLineHashes(const ExtractedDocument& doc, size_t max_line_chars) {
  std::set<uint64_t> seen;
  for (const Element& e : doc.elements) {
    if (!IsCandidate(e.type)) continue;
    ForEachLine(e.text, [&](std::string_view line) {
      if (line.size() > max_line_chars) return;
      if (const uint64_t h = BoilerplateLineHash(line); h != 0) seen.insert(h);
    });
  }
  return {seen.begin(), seen.end()};
}

LineHashSet FindRepeatedPageLines(const ExtractedDocument& doc, const RepeatedLineOptions& options) {
  std::unordered_map<uint64_t, std::set<int>> pages_of_line;
  std::set<int> pages_with_text;
  std::unordered_map<int, std::vector<uint64_t>> lines_of_page;  // 0 = a line that never repeats
  int page = 0;
  for (const Element& e : doc.elements) {
    if (e.page > 0) page = e.page;
    if (e.type == ElementType::kPageBreak || !IsCandidate(e.type) || page == 0) continue;
    ForEachLine(e.text, [&](std::string_view line) {
      if (BoilerplateLineKey(line).empty()) return;
      pages_with_text.insert(page);
      const uint64_t h = line.size() > options.max_line_chars ? 0 : BoilerplateLineHash(line);
      lines_of_page[page].push_back(h);
      if (h != 0) pages_of_line[h].insert(page);
    });
  }
  LineHashSet out;
  const int pages = static_cast<int>(pages_with_text.size());
  if (pages < options.min_pages) return out;
  const int needed = std::max(options.min_pages,
                              static_cast<int>(std::ceil(options.min_page_fraction * pages - 1e-9)));
  for (const auto& [hash, line_pages] : pages_of_line) {
    if (static_cast<int>(line_pages.size()) >= needed) out.insert(hash);
  }
  // Headers and footers frame a page's own text. When removing the
  // repeated lines would empty most pages, the repetition is the content
  // (the same form or notice on every page, a scan of one page several
  // times), not a frame: keep it.
  int emptied = 0;
  for (const auto& [p, hashes] : lines_of_page) {
    bool all = true;
    for (uint64_t h : hashes) all = all && h != 0 && out.count(h);
    emptied += all;
  }
  if (emptied * 2 > pages) out.clear();
  return out;
}

int RemoveBoilerplateLines(ExtractedDocument* doc, const LineHashSet& hashes, size_t max_line_chars,
                           int* elements_dropped) {
  if (hashes.empty()) return 0;
  int removed = 0, dropped = 0;
  std::vector<Element> out;
  out.reserve(doc->elements.size());
  for (Element& e : doc->elements) {
    if (!IsCandidate(e.type)) {
      out.push_back(std::move(e));
      continue;
    }
    std::string kept, boilerplate;
    bool any_kept = false;
    ForEachLine(e.text, [&](std::string_view line) {
      if (line.size() <= max_line_chars && hashes.count(BoilerplateLineHash(line))) {
        if (!boilerplate.empty()) boilerplate.push_back('\n');
        boilerplate.append(line);
        ++removed;
        return;
      }
      if (any_kept) kept.push_back('\n');
      kept.append(line);
      any_kept = true;
    });
    if (boilerplate.empty()) {
      out.push_back(std::move(e));
      continue;
    }
    Element moved;
    moved.type = ElementType::kHeaderFooter;
    moved.page = e.page;
    moved.text = std::move(boilerplate);
    if (BoilerplateLineKey(kept).empty()) {
      ++dropped;  // nothing left to render: the element becomes the header/footer
    } else {
      e.text = std::move(kept);
      out.push_back(std::move(e));
    }
    out.push_back(std::move(moved));
  }
  doc->elements = std::move(out);
  if (elements_dropped) *elements_dropped += dropped;
  return removed;
}

}  // namespace smelter
