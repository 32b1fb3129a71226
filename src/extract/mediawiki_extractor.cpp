// MediaWiki XML exports -> one child document per page. See
// mediawiki_export.h for the contract and the wikitext rules.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/mediawiki_export.h"
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
// Longest child name, in bytes (cut at a character boundary).
constexpr size_t kMaxNameBytes = 200;

// What inline conversion needs to know beyond the text.
struct WikiContext {
  std::string article_url;  // "https://site/wiki/", "" when the export does not say
  std::string page_title;   // of the page being converted, for [[#anchor]] links
};

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

// Links that are not text: categorization, embedded files and media.
// ("[[:Category:X]]", with its leading colon, is an ordinary link to the
// category page.)
bool IsDroppedLinkTarget(std::string_view target) {
  const std::string lower = Lower(Trim(target));
  for (std::string_view prefix : {"file:", "image:", "category:", "media:"}) {
    if (StartsWith(lower, prefix)) return true;
  }
  return false;
}

// A page title or URL as a Markdown link destination: spaces as '_' (the
// wiki's own URL form), and bytes that would end the destination or are
// not URL characters (parentheses, '<', '>', '%', '?', quotes, controls,
// non-ASCII) percent-encoded.
std::string EncodeUrlPart(std::string_view s, bool title) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (title && c == ' ') {
      out += '_';
    } else if (std::isalnum(c) || std::string_view("-._~:/#!$&'*+,;=@").find(ch) != std::string_view::npos ||
               (!title && (c == '?' || c == '%'))) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Square brackets in a label would end the Markdown link early.
std::string EscapeLabel(std::string_view label) {
  std::string out;
  for (char c : label) {
    if (c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

// What MediaWiki shows for [[target|]] (the pipe trick): the title without
// its namespace and without a trailing "(disambiguation)".
std::string PipeTrick(std::string_view target) {
  if (const size_t colon = target.find(':'); colon != std::string_view::npos) target.remove_prefix(colon + 1);
  if (const size_t paren = target.rfind(" ("); paren != std::string_view::npos && target.ends_with(")")) {
    target = target.substr(0, paren);
  }
  return std::string(Trim(target));
}

// One rule for every link: the text MediaWiki would show, as a Markdown
// link when the export says where its pages live (siteinfo <base>), as
// that text alone when it does not. External links always have a URL, so
// they are always Markdown links.
std::string RenderLink(std::string_view label, std::string_view url) {
  if (url.empty()) return std::string(label);
  return "[" + EscapeLabel(label) + "](" + std::string(url) + ")";
}

std::string ConvertInline(std::string_view in, const WikiContext& wiki) {
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
      std::string_view target = Trim(bar == std::string_view::npos ? inner : inner.substr(0, bar));
      if (IsDroppedLinkTarget(target)) continue;
      if (StartsWith(target, ":")) target.remove_prefix(1);
      std::string label;
      if (bar == std::string_view::npos) {
        label = std::string(target);
      } else if (Trim(inner.substr(bar + 1)).empty()) {
        label = PipeTrick(target);
      } else {
        label = ConvertInline(inner.substr(bar + 1), wiki);
      }
      // The link trail: letters right after ]] join the label ([[bus]]es).
      while (i < in.size() && in[i] >= 'a' && in[i] <= 'z') label += in[i++];
      if (label.empty()) continue;
      std::string url;
      if (!wiki.article_url.empty() && !target.empty()) {
        // [[#Section]] is an anchor of the page itself.
        const std::string page = target.front() == '#' ? wiki.page_title + std::string(target) : std::string(target);
        url = wiki.article_url + EncodeUrlPart(page, /*title=*/true);
      }
      out += RenderLink(label, url);
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
            out += RenderLink(ConvertInline(label, wiki), EncodeUrlPart(url, /*title=*/false));
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
void AddCells(std::string_view line, std::string_view separator, std::vector<std::string>* row,
              const WikiContext& wiki) {
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
    row->push_back(ConvertInline(cell, wiki));
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

void ConvertWikitext(std::string_view wikitext, const WikiContext& wiki, ExtractedDocument* doc) {
  const std::string text = StripNoise(wikitext);
  std::string paragraph;
  std::string code;
  auto flush = [&] {
    if (!IsBlank(paragraph)) {
      Element p;
      p.type = ElementType::kParagraph;
      p.text = ConvertInline(paragraph, wiki);
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
        t.caption = ConvertInline(line.substr(2), wiki);
      } else if (StartsWith(line, "|-")) {
        t.rows.emplace_back();
      } else if (StartsWith(line, "!")) {
        if (t.rows.empty()) t.rows.emplace_back();
        if (t.rows.size() == 1) t.header = true;
        AddCells(line.substr(1), "!!", &t.rows.back(), wiki);
        if (t.rows.back().size() == 1 && line.find("||") != std::string_view::npos) {
          t.rows.back().pop_back();
          AddCells(line.substr(1), "||", &t.rows.back(), wiki);
        }
      } else if (StartsWith(line, "|")) {
        if (t.rows.empty()) t.rows.emplace_back();
        AddCells(line.substr(1), "||", &t.rows.back(), wiki);
      } else if (!line.empty() && !t.rows.empty() && !t.rows.back().empty()) {
        // Continuation of the previous cell.
        std::string& cell = t.rows.back().back();
        const std::string more = ConvertInline(line, wiki);
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
        h.text = ConvertInline(line.substr(level, line.size() - 2 * level), wiki);
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
      item.text = ConvertInline(line.substr(depth), wiki);
      if (!item.text.empty()) doc->elements.push_back(std::move(item));
      continue;
    }
    if (line[0] == ':' || line[0] == ';') {
      flush();
      size_t n = 0;
      while (n < line.size() && (line[n] == ':' || line[n] == ';')) ++n;
      Element p;
      p.type = ElementType::kParagraph;
      p.text = ConvertInline(line.substr(n), wiki);
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

// "https://pl.wikipedia.org/wiki/Main_Page" -> "https://pl.wikipedia.org/wiki/";
// ".../index.php?title=Main_Page" -> ".../index.php?title=". <base> is the
// URL of the main page, so the article path is what stands before its
// title. "" when there is no path to take.
std::string ArticleUrl(std::string_view base) {
  base = Trim(base);
  if (!StartsWith(Lower(base.substr(0, 8)), "http://") && !StartsWith(Lower(base.substr(0, 8)), "https://")) return "";
  if (const size_t q = base.find("?title="); q != std::string_view::npos) return std::string(base.substr(0, q + 7));
  const size_t host = base.find("//") + 2;
  const size_t slash = base.rfind('/');
  if (slash == std::string_view::npos || slash < host || base.find('/', host) == std::string_view::npos) return "";
  return std::string(base.substr(0, slash + 1));
}

// A page title as a child's name: "Help/Editing" -> "Help_Editing.md".
std::string ChildName(std::string_view title, size_t index) {
  std::string name;
  for (char c : title) {
    const unsigned char u = static_cast<unsigned char>(c);
    name += (c == '/' || c == '\\' || u < 0x20) ? '_' : c;
  }
  if (name.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  if (Trim(name).empty()) name = "page " + std::to_string(index);
  return name;
}

std::string Text(const xmlNode* parent, std::string_view local) {
  const xmlNode* node = ChildNamed(parent, local);
  return node ? ooxml::CollapseSpaces(ooxml::TextContent(node)) : std::string();
}

}  // namespace

Status RenderMediaWikiExport(const xmlNode* root, ExtractedDocument* doc) {
  if (!root || LocalName(root) != "mediawiki") return Status::Unsupported("xml (not a MediaWiki export)");
  doc->source_encoding = "UTF-8";
  WikiContext wiki;
  std::map<std::string, std::string> shared;  // metadata every page inherits
  if (xmlNode* siteinfo = ChildNamed(root, "siteinfo")) {
    if (std::string site = Text(siteinfo, "sitename"); !site.empty()) shared["site"] = site;
    if (std::string db = Text(siteinfo, "dbname"); !db.empty()) shared["wiki_db"] = db;
    wiki.article_url = ArticleUrl(Text(siteinfo, "base"));
  }
  if (const std::string lang = ooxml::AnyAttr(root, "lang"); !lang.empty()) shared["language"] = lang;
  doc->metadata = shared;
  doc->metadata["source_format"] = "mediawiki";
  doc->title = shared.count("site") ? "MediaWiki export: " + shared["site"] : "MediaWiki export";
  Element heading;
  heading.type = ElementType::kHeading;
  heading.level = 1;
  heading.text = doc->title;
  doc->elements.push_back(std::move(heading));

  std::set<std::string> names;
  int pages = 0;
  for (xmlNode* page = FirstElement(root); page; page = NextElement(page)) {
    if (LocalName(page) != "page") continue;
    ++pages;
    const std::string title = Text(page, "title");
    wiki.page_title = title;
    ExtractedDocument d;
    if (!title.empty()) {
      Element t;
      t.type = ElementType::kTitle;
      t.level = 1;
      t.text = title;
      d.elements.push_back(std::move(t));
    }
    ChildDocument child;
    child.metadata = shared;
    child.metadata["source_format"] = "mediawiki";
    if (!title.empty()) child.metadata["wiki_title"] = title;
    if (std::string ns = Text(page, "ns"); !ns.empty()) child.metadata["wiki_namespace"] = ns;
    if (std::string id = Text(page, "id"); !id.empty()) child.metadata["wiki_page_id"] = id;
    xmlNode* rev = PickRevision(page);
    if (rev) {
      if (std::string ts = Text(rev, "timestamp"); !ts.empty()) child.metadata["modified"] = ts;
      if (xmlNode* who = ChildNamed(rev, "contributor")) {
        std::string name = Text(who, "username");
        if (name.empty()) name = Text(who, "ip");
        if (!name.empty()) child.metadata["contributor"] = name;
      }
    }
    xmlNode* text = rev ? ChildNamed(rev, "text") : nullptr;
    const std::string wikitext = text ? ooxml::TextContent(text) : std::string();
    const std::string_view trimmed = Trim(wikitext);
    if (Lower(trimmed.substr(0, 9)) == "#redirect") {
      const std::string_view rest = trimmed.substr(9);
      const size_t open = rest.find("[["), close = rest.find("]]");
      if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
        const std::string_view inner = rest.substr(open + 2, close - open - 2);
        child.metadata["redirect"] = std::string(Trim(inner.substr(0, inner.find('|'))));
      }
      Element p;
      p.type = ElementType::kParagraph;
      p.text = "Redirect to " + ConvertInline(rest, wiki);
      d.elements.push_back(std::move(p));
    } else {
      ConvertWikitext(wikitext, wiki, &d);
    }
    // A page with neither title nor text has nothing to find.
    if (d.elements.empty()) continue;

    const std::string base = ChildName(title, static_cast<size_t>(pages));
    std::string name = base;
    for (int n = 2; names.count(name + ".md"); ++n) name = base + " (" + std::to_string(n) + ")";
    child.name = name + ".md";
    names.insert(child.name);
    child.bytes = RenderMarkdown(d).text;
    doc->children.push_back(std::move(child));

    Element item;
    item.type = ElementType::kListItem;
    item.text = title.empty() ? "(untitled page)" : title;
    doc->elements.push_back(std::move(item));
  }
  doc->metadata["pages"] = std::to_string(pages);
  return Status::OK();
}

}  // namespace smelter
