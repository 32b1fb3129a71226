// MediaWiki XML export (Special:Export, dumps) -> elements.
//
// Handles DocKind::kXml whose root element is <mediawiki> (any export
// schema version); other XML is Status::Unsupported("xml (not a MediaWiki
// export)"). The XML is parsed through ooxml::ParseXml (no network, no DTD,
// no entities). Each <page> becomes a level-1 heading with its title
// followed by its wikitext; of several revisions the newest non-empty one
// (by <timestamp>, the later one on ties) is used. The first page title is
// the document title; the site name goes to metadata "site".
//
// Wikitext is converted line by line, after comments, <ref>s and templates
// ({{...}}, nested) are dropped:
//   - "== h ==" headings, level = number of '=' (capped at 6);
//   - "*", "#" list items with depth = prefix length - 1 (ordered for '#'),
//     ";" terms and ":" indented lines as paragraphs;
//   - "{| ... |}" tables (rows "|-", cells "|" / "||", header cells "!" /
//     "!!", cell attributes before a single "|" dropped, "|+" caption) as
//     kTable; nested tables make the whole table paragraphs of its text;
//   - lines starting with a space as code; "----" dropped;
//   - other lines joined into paragraphs, split at blank lines.
// Inline: '''bold''' -> **bold**, ''italic'' -> *italic*, [[Page|text]] ->
// text, [[Page]] -> Page, [[File:...]] and [[Category:...]] dropped,
// [http://x text] -> [text](http://x), other HTML tags dropped (content
// kept), &nbsp; style entities left as the XML parser decoded them.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/ooxml_xml.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using ooxml::FirstElement;
using ooxml::LocalName;
using ooxml::NextElement;
using text_util::IsBlank;
using text_util::Trim;

constexpr size_t kMaxTemplateDepth = 100;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

xmlNode* ChildNamed(const xmlNode* node, std::string_view local) {
  for (xmlNode* c = FirstElement(node); c; c = NextElement(c)) {
    if (LocalName(c) == local) return c;
  }
  return nullptr;
}

// ---- pre-pass: comments, refs, templates -------------------------------------

// Drops <!-- ... -->, <ref ...>...</ref>, <ref .../> and {{templates}}
// (nested; an unclosed one runs to the end). "{|" table starts are kept.
std::string StripNoise(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t depth = 0;
  for (size_t i = 0; i < in.size();) {
    if (StartsWith(in.substr(i), "<!--")) {
      const size_t end = in.find("-->", i + 4);
      i = end == std::string_view::npos ? in.size() : end + 3;
      continue;
    }
    if (in[i] == '<' && Lower(in.substr(i, 4)) == "<ref" && i + 4 < in.size() &&
        (in[i + 4] == '>' || in[i + 4] == ' ' || in[i + 4] == '/')) {
      const size_t close = in.find('>', i);
      if (close == std::string_view::npos) break;
      if (in[close - 1] == '/') {
        i = close + 1;
        continue;
      }
      size_t end = close;
      // Case-insensitive search for </ref>.
      while (end != std::string_view::npos) {
        end = in.find("</", end);
        if (end == std::string_view::npos || Lower(in.substr(end, 6)) == "</ref>") break;
        end += 2;
      }
      i = end == std::string_view::npos ? in.size() : end + 6;
      continue;
    }
    if (StartsWith(in.substr(i), "{{")) {
      if (depth < kMaxTemplateDepth) ++depth;
      i += 2;
      continue;
    }
    if (depth > 0 && StartsWith(in.substr(i), "}}")) {
      --depth;
      i += 2;
      continue;
    }
    if (depth == 0) out += in[i];
    ++i;
  }
  return out;
}

// ---- inline markup --------------------------------------------------------------

bool IsDroppedLinkTarget(std::string_view target) {
  const std::string lower = Lower(Trim(target));
  for (std::string_view prefix : {"file:", "image:", "category:", "media:", ":category:"}) {
    if (StartsWith(lower, prefix)) return true;
  }
  return false;
}

std::string ConvertInline(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    // [[internal link]]
    if (StartsWith(in.substr(i), "[[")) {
      // Find the matching ]] (file links may nest [[ ]] in captions).
      size_t j = i + 2, level = 1;
      while (j < in.size() && level > 0) {
        if (StartsWith(in.substr(j), "[[")) {
          ++level;
          j += 2;
        } else if (StartsWith(in.substr(j), "]]")) {
          --level;
          j += 2;
        } else {
          ++j;
        }
      }
      if (level > 0) {  // unclosed: keep the text
        out += in.substr(i, 2);
        i += 2;
        continue;
      }
      const std::string_view inner = in.substr(i + 2, j - i - 4);
      i = j;
      const size_t bar = inner.find('|');
      const std::string_view target = bar == std::string_view::npos ? inner : inner.substr(0, bar);
      if (IsDroppedLinkTarget(target)) continue;
      std::string_view label = bar == std::string_view::npos ? inner : inner.substr(bar + 1);
      if (label.empty()) label = target;  // [[Page|]] pipe trick, roughly
      out += ConvertInline(label);
      continue;
    }
    // [http://external link text]
    if (in[i] == '[') {
      const std::string_view rest = in.substr(i + 1);
      const std::string lower = Lower(rest.substr(0, 8));
      if (StartsWith(lower, "http://") || StartsWith(lower, "https://") || StartsWith(lower, "//")) {
        const size_t close = rest.find(']');
        if (close != std::string_view::npos) {
          const std::string_view inner = rest.substr(0, close);
          const size_t space = inner.find(' ');
          const std::string_view url = inner.substr(0, space);
          const std::string_view label = space == std::string_view::npos ? "" : Trim(inner.substr(space + 1));
          if (label.empty()) {
            out += url;
          } else {
            out += "[" + ConvertInline(label) + "](" + std::string(url) + ")";
          }
          i += close + 2;
          continue;
        }
      }
    }
    // Bold / italic quote runs.
    if (StartsWith(in.substr(i), "''")) {
      size_t n = 0;
      while (i + n < in.size() && in[i + n] == '\'') ++n;
      if (n >= 5) {
        out += "***";
        out.append(n - 5, '\'');
      } else if (n >= 3) {
        out += "**";
        out.append(n - 3, '\'');
      } else {
        out += "*";
      }
      i += n;
      continue;
    }
    // HTML tags: <br> becomes a space; others vanish, content kept.
    if (in[i] == '<') {
      const size_t close = in.find('>', i);
      const std::string_view tag = close == std::string_view::npos ? "" : in.substr(i + 1, close - i - 1);
      const bool tagish = !tag.empty() && tag.size() < 200 &&
                          (std::isalpha(static_cast<unsigned char>(tag[0])) || tag[0] == '/');
      if (tagish) {
        if (StartsWith(Lower(tag), "br")) out += ' ';
        i = close + 1;
        continue;
      }
    }
    out += in[i];
    ++i;
  }
  return std::string(Trim(out));
}

// ---- tables ------------------------------------------------------------------------

// Splits a cell line ("a || b" or "a !! b") into cells, dropping each
// cell's attributes ("style=x | text").
void AddCells(std::string_view line, std::string_view separator, std::vector<std::string>* row) {
  size_t start = 0;
  while (true) {
    const size_t pos = line.find(separator, start);
    std::string_view cell = line.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
    // Attributes: a single '|' outside [[ ]] separates them from the text.
    size_t bracket = 0;
    for (size_t k = 0; k < cell.size(); ++k) {
      if (StartsWith(cell.substr(k), "[[")) {
        ++bracket;
        ++k;
      } else if (StartsWith(cell.substr(k), "]]") && bracket > 0) {
        --bracket;
        ++k;
      } else if (cell[k] == '|' && bracket == 0) {
        cell = cell.substr(k + 1);
        break;
      }
    }
    row->push_back(ConvertInline(cell));
    if (pos == std::string_view::npos) break;
    start = pos + separator.size();
  }
}

struct TableBuild {
  std::vector<std::vector<std::string>> rows;
  std::string caption;
  bool header = false;  // the first row was made of "!" cells
  bool nested = false;
};

void EmitTable(TableBuild table, ExtractedDocument* doc) {
  if (!table.caption.empty()) {
    Element caption;
    caption.type = ElementType::kParagraph;
    caption.text = table.caption;
    doc->elements.push_back(std::move(caption));
  }
  std::erase_if(table.rows, [](const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), [](const std::string& c) { return IsBlank(c); });
  });
  if (table.rows.empty()) return;
  if (table.nested) {
    for (const auto& row : table.rows) {
      for (const auto& cell : row) {
        if (IsBlank(cell)) continue;
        Element p;
        p.type = ElementType::kParagraph;
        p.text = cell;
        doc->elements.push_back(std::move(p));
      }
    }
    return;
  }
  size_t width = 0;
  for (const auto& row : table.rows) width = std::max(width, row.size());
  for (auto& row : table.rows) row.resize(width);
  Element e;
  e.type = ElementType::kTable;
  e.has_header = table.header;
  e.rows = std::move(table.rows);
  doc->elements.push_back(std::move(e));
}

// ---- block structure ----------------------------------------------------------------

void ConvertWikitext(std::string_view wikitext, ExtractedDocument* doc) {
  const std::string text = StripNoise(wikitext);
  std::string paragraph;
  std::string code;
  auto flush = [&] {
    if (!IsBlank(paragraph)) {
      Element p;
      p.type = ElementType::kParagraph;
      p.text = ConvertInline(paragraph);
      if (!IsBlank(p.text)) doc->elements.push_back(std::move(p));
    }
    paragraph.clear();
    if (!IsBlank(code)) {
      Element c;
      c.type = ElementType::kCode;
      c.text = std::string(text_util::TrimRight(code));
      doc->elements.push_back(std::move(c));
    }
    code.clear();
  };

  std::vector<TableBuild> tables;  // a stack: nested tables
  for (std::string_view raw : text_util::SplitLines(text)) {
    const std::string_view line = Trim(raw);
    if (!tables.empty()) {
      TableBuild& t = tables.back();
      if (StartsWith(line, "|}")) {
        TableBuild done = std::move(tables.back());
        tables.pop_back();
        if (tables.empty()) {
          EmitTable(std::move(done), doc);
        } else {
          // Flatten the inner table's text into the enclosing cell.
          tables.back().nested = true;
          for (auto& row : done.rows) {
            if (tables.back().rows.empty()) tables.back().rows.emplace_back();
            for (auto& cell : row) tables.back().rows.back().push_back(std::move(cell));
          }
        }
      } else if (StartsWith(line, "{|")) {
        tables.emplace_back();
      } else if (StartsWith(line, "|+")) {
        t.caption = ConvertInline(line.substr(2));
      } else if (StartsWith(line, "|-")) {
        t.rows.emplace_back();
      } else if (StartsWith(line, "!")) {
        if (t.rows.empty()) t.rows.emplace_back();
        if (t.rows.size() == 1) t.header = true;
        AddCells(line.substr(1), "!!", &t.rows.back());
        if (t.rows.back().size() == 1 && line.find("||") != std::string_view::npos) {
          t.rows.back().pop_back();
          AddCells(line.substr(1), "||", &t.rows.back());
        }
      } else if (StartsWith(line, "|")) {
        if (t.rows.empty()) t.rows.emplace_back();
        AddCells(line.substr(1), "||", &t.rows.back());
      } else if (!line.empty() && !t.rows.empty() && !t.rows.back().empty()) {
        // Continuation of the previous cell.
        std::string& cell = t.rows.back().back();
        const std::string more = ConvertInline(line);
        if (!more.empty()) cell += cell.empty() ? more : " " + more;
      }
      continue;
    }

    if (StartsWith(line, "{|")) {
      flush();
      tables.emplace_back();
      continue;
    }
    if (!raw.empty() && raw[0] == ' ' && !IsBlank(raw)) {
      if (!paragraph.empty()) {
        const std::string keep = code;
        code.clear();
        flush();
        code = keep;
      }
      code += std::string(raw.substr(1)) + "\n";
      continue;
    }
    if (!code.empty()) flush();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '=' && line.size() > 2 && line.back() == '=') {
      size_t left = 0, right = 0;
      while (left < line.size() && line[left] == '=') ++left;
      while (right < line.size() && line[line.size() - 1 - right] == '=') ++right;
      const size_t level = std::min(left, right);
      if (level >= 1 && 2 * level < line.size()) {
        flush();
        Element h;
        h.type = ElementType::kHeading;
        h.level = static_cast<int>(std::min<size_t>(level, 6));
        h.text = ConvertInline(line.substr(level, line.size() - 2 * level));
        if (!h.text.empty()) doc->elements.push_back(std::move(h));
        continue;
      }
    }
    if (line[0] == '*' || line[0] == '#') {
      flush();
      size_t depth = 0;
      while (depth < line.size() && (line[depth] == '*' || line[depth] == '#' || line[depth] == ':')) ++depth;
      Element item;
      item.type = ElementType::kListItem;
      item.level = static_cast<int>(std::min<size_t>(depth - 1, 8));
      item.ordered = line[depth - 1] == '#';
      item.text = ConvertInline(line.substr(depth));
      if (!item.text.empty()) doc->elements.push_back(std::move(item));
      continue;
    }
    if (line[0] == ':' || line[0] == ';') {
      flush();
      size_t n = 0;
      while (n < line.size() && (line[n] == ':' || line[n] == ';')) ++n;
      Element p;
      p.type = ElementType::kParagraph;
      p.text = ConvertInline(line.substr(n));
      if (line[0] == ';' && !p.text.empty()) p.text = "**" + p.text + "**";
      if (!p.text.empty()) doc->elements.push_back(std::move(p));
      continue;
    }
    if (StartsWith(line, "----")) {
      flush();
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += line;
  }
  while (!tables.empty()) {  // unclosed tables
    TableBuild done = std::move(tables.back());
    tables.pop_back();
    if (tables.empty()) EmitTable(std::move(done), doc);
  }
  flush();
}

// The revision to show: the newest with text (ties: the later one).
xmlNode* PickRevision(xmlNode* page) {
  xmlNode* best = nullptr;
  std::string best_time;
  bool best_has_text = false;
  for (xmlNode* rev = FirstElement(page); rev; rev = NextElement(rev)) {
    if (LocalName(rev) != "revision") continue;
    xmlNode* ts = ChildNamed(rev, "timestamp");
    const std::string time = ts ? ooxml::TextContent(ts) : std::string();
    xmlNode* text = ChildNamed(rev, "text");
    const bool has_text = text && !IsBlank(ooxml::TextContent(text));
    if (!best || (has_text && !best_has_text) || (has_text == best_has_text && time >= best_time)) {
      best = rev;
      best_time = time;
      best_has_text = has_text;
    }
  }
  return best;
}

class MediaWikiExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "mediawiki"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    // Other XML (feeds, SVG, XHTML with a DOCTYPE...) is not ours: say so
    // before the parser could call it corrupt.
    if (input.bytes.substr(0, 4096).find("<mediawiki") == std::string_view::npos) {
      return Status::Unsupported("xml (not a MediaWiki export)");
    }
    Result<ooxml::XmlDocPtr> xml = ooxml::ParseXml(input.bytes, "xml");
    if (!xml.ok()) return xml.status();
    xmlNode* root = ooxml::Root(*xml);
    if (!root || LocalName(root) != "mediawiki") return Status::Unsupported("xml (not a MediaWiki export)");

    ExtractedDocument doc;
    doc.source_encoding = "UTF-8";
    if (xmlNode* siteinfo = ChildNamed(root, "siteinfo")) {
      if (xmlNode* site = ChildNamed(siteinfo, "sitename")) doc.metadata["site"] = ooxml::CollapseSpaces(ooxml::TextContent(site));
      if (xmlNode* db = ChildNamed(siteinfo, "dbname")) doc.metadata["wiki_db"] = ooxml::CollapseSpaces(ooxml::TextContent(db));
    }
    const std::string lang = ooxml::AnyAttr(root, "lang");
    if (!lang.empty()) doc.metadata["language"] = lang;

    int pages = 0;
    for (xmlNode* page = FirstElement(root); page; page = NextElement(page)) {
      if (LocalName(page) != "page") continue;
      ++pages;
      xmlNode* title_node = ChildNamed(page, "title");
      const std::string title = title_node ? ooxml::CollapseSpaces(ooxml::TextContent(title_node)) : std::string();
      if (doc.title.empty()) doc.title = title;
      if (!title.empty()) {
        Element h;
        h.type = ElementType::kHeading;
        h.level = 1;
        h.text = title;
        doc.elements.push_back(std::move(h));
      }
      xmlNode* rev = PickRevision(page);
      xmlNode* text = rev ? ChildNamed(rev, "text") : nullptr;
      if (!text) continue;
      const std::string wikitext = ooxml::TextContent(text);
      const std::string_view trimmed = Trim(wikitext);
      if (Lower(trimmed.substr(0, 9)) == "#redirect") {
        Element p;
        p.type = ElementType::kParagraph;
        p.text = "Redirect to " + ConvertInline(trimmed.substr(9));
        doc.elements.push_back(std::move(p));
        continue;
      }
      ConvertWikitext(wikitext, &doc);
    }
    doc.metadata["pages"] = std::to_string(pages);
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeMediaWikiExtractor() { return std::make_unique<MediaWikiExtractor>(); }

}  // namespace smelter
