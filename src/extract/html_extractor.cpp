// HTML -> elements.
//
// The page streams through html::Parse (html_tokenizer.h), which reports
// elements opening and closing in document order as an HTML5 parser would
// nest them, without building a tree. Inline content accumulates in a
// text buffer with browser-style whitespace collapsing; every block-level
// element boundary flushes the buffer as one element whose type comes from
// the enclosing context (heading, list item, quote, caption, paragraph).
//
// Tables are decided after the fact. While a table is open its cells feed
// both the normal element stream and a per-cell buffer; when it closes, a
// data table (several columns, no headings or lists inside, short cells)
// replaces the elements it produced with one kTable, and a layout table
// (one column, or cells full of structure) keeps them. Old pages that wrap
// everything in tables thus keep their headings and paragraphs.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/html_convert.h"
#include "extract/html_tokenizer.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::Trim;

// colspan="100000" must not make a table explode.
constexpr int kMaxColspan = 64;
// Cells longer than this on average are prose laid out in a grid.
constexpr size_t kMaxDataCellBytes = 400;
// How far into the file a <meta charset> is looked for.
constexpr size_t kCharsetSniffBytes = 4096;

// Locale-free ASCII lower-casing: std::tolower is a function call per byte
// and shows up in profiles of attribute-heavy pages.
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (AsciiLower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}


// Inline text of one block with browser whitespace rules: runs of spaces,
// tabs and newlines (and NBSP, which for search is just a space) become one
// space; nothing leads a block or follows a line break. Links are written
// as "[" at open and "](href)" at close, both O(1) appends; a link that
// ends up empty, or is cut by a block boundary, loses its "[".
class TextBuffer {
 public:
  void Append(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = true;
        continue;
      }
      if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
        pending_space_ = true;
        ++i;
        continue;
      }
      if (pending_space_) MaterializeSpace();
      text_.push_back(c);
    }
  }

  // Text inside <pre>: kept as is.
  void AppendRaw(std::string_view text) {
    pending_space_ = false;
    text_.append(text);
  }

  // A block boundary inside a table cell: words must not run together.
  void SoftBreak() { pending_space_ = true; }

  void LineBreak() {
    while (!text_.empty() && text_.back() == ' ') text_.pop_back();
    if (!text_.empty()) text_.push_back('\n');
    pending_space_ = false;
  }

  void OpenLink() {
    if (pending_space_) MaterializeSpace();
    pending_space_ = false;
    open_links_.push_back(text_.size());
    text_.push_back('[');
  }

  void CloseLink(std::string_view href) {
    if (open_links_.empty()) return;
    const size_t at = open_links_.back();
    open_links_.pop_back();
    if (at == std::string::npos) return;  // cut by a block boundary
    if (text_.size() == at + 1) {         // no text inside
      text_.pop_back();
      return;
    }
    while (text_.size() > at + 1 && (text_.back() == ' ' || text_.back() == '\n')) {
      text_.pop_back();
      pending_space_ = true;
    }
    if (text_.size() == at + 1) {  // only whitespace inside
      text_.pop_back();
      return;
    }
    text_.append("](");
    text_.append(href);
    text_.push_back(')');
  }

  std::string Take() {
    // Links still open belong to no complete block: drop their "[".
    for (auto it = open_links_.rbegin(); it != open_links_.rend(); ++it) {
      if (*it != std::string::npos && *it < text_.size()) text_.erase(*it, 1);
      *it = std::string::npos;
    }
    std::string out;
    out.swap(text_);
    pending_space_ = false;
    return out;
  }

  bool empty() const { return text_.empty(); }

 private:
  void MaterializeSpace() {
    pending_space_ = false;
    if (text_.empty()) return;
    const char last = text_.back();
    if (last == ' ' || last == '\n') return;
    if (!open_links_.empty() && open_links_.back() == text_.size() - 1) return;  // "[ text"
    text_.push_back(' ');
  }

  std::string text_;
  bool pending_space_ = false;
  std::vector<size_t> open_links_;  // offsets of "[", npos once cut
};

struct TableState {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  TextBuffer cell;
  std::string caption;
  size_t first_element = 0;  // doc->elements.size() when the table opened
  bool in_row = false;
  bool in_cell = false;
  bool cell_is_th = false;
  bool row_all_th = true;
  bool first_row_header = false;
  int cell_colspan = 1;
  int thead_depth = 0;
  bool has_structure = false;  // headings, lists, code or tables inside
};

enum class Context { kListItem, kQuote, kCaption };

// What to do when an element's subtree is done.
enum class Close : uint8_t {
  kNothing, kBlock, kHeading, kList, kListItem, kQuote, kCaption, kPre, kLink, kTable,
  kThead, kRow, kCell, kTableCaption, kSectioning, kTitle,
};

bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR: case GUMBO_TAG_HTML: case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_UL:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT:
      return true;
    default:
      return false;
  }
}

// Class names of page chrome. MediaWiki's are listed because wiki pages
// are common in document collections and their menus, "[edit]" links and
// navigation boxes are large; matching is by whole class token.
bool HasBoilerplateClass(std::string_view classes) {
  static constexpr std::string_view kChrome[] = {
      "mw-editsection", "mw-jump-link", "navbox", "vertical-navbox", "vector-menu", "vector-dropdown",
      "vector-toc", "vector-page-toolbar", "vector-sticky-header", "mw-portlet", "catlinks", "printfooter",
      "mw-indicators", "noprint", "toc", "skip-link", "sr-only", "visually-hidden", "cookie-banner",
      "element-invisible", "screen-reader-text"};
  size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && text_util::IsAsciiSpace(classes[i])) ++i;
    size_t end = i;
    while (end < classes.size() && !text_util::IsAsciiSpace(classes[end])) ++end;
    const std::string_view token = classes.substr(i, end - i);
    if (!token.empty() && std::find(std::begin(kChrome), std::end(kChrome), token) != std::end(kChrome)) {
      return true;
    }
    i = end;
  }
  return false;
}

// Cheap pre-check for HiddenByAttributes: pages such as SEC filings put a
// long style attribute on every element, and only a declaration whose
// value starts with "none" or "hidden" can hide. Jumps from ':' to ':'.
bool MayHide(std::string_view style) {
  size_t i = 0;
  while (true) {
    const size_t colon = style.find(':', i);
    if (colon == std::string_view::npos) return false;
    i = colon + 1;
    while (i < style.size() && text_util::IsAsciiSpace(style[i])) ++i;
    const std::string_view value = style.substr(i);
    if (StartsWithNoCase(value, "none") || StartsWithNoCase(value, "hidden")) return true;
  }
}

bool HiddenByAttributes(const html::StartTag& tag) {
  if (tag.Attr("hidden")) return true;
  if (const auto role = tag.Attr("role")) {
    const std::string r = Lower(Trim(*role));
    if (r == "navigation" || r == "banner" || r == "contentinfo" || r == "search" || r == "menubar") {
      return true;
    }
  }
  if (const auto style = tag.Attr("style"); style && MayHide(*style)) {
    std::string s;
    for (char c : *style) {
      if (!text_util::IsAsciiSpace(c)) s.push_back(AsciiLower(c));
    }
    if (s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos) {
      return true;
    }
  }
  if (const auto cls = tag.Attr("class")) {
    if (HasBoilerplateClass(*cls)) return true;
  }
  return false;
}

// Alt text worth keeping: not empty, not a file name, not "image"/"logo".
bool IsMeaningfulAlt(std::string_view alt) {
  alt = Trim(alt);
  if (text_util::CodePoints(alt) < 3) return false;
  const std::string lower = Lower(alt);
  static constexpr std::string_view kGeneric[] = {
      "image", "img", "photo", "picture", "logo", "icon", "spacer", "banner", "graphic", "placeholder",
      "thumbnail", "avatar", "blank", "pixel", "button", "arrow", "bullet", "separator", "null"};
  for (std::string_view g : kGeneric) {
    if (lower == g) return false;
  }
  static constexpr std::string_view kExtensions[] = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"};
  for (std::string_view e : kExtensions) {
    if (lower.ends_with(e)) return false;
  }
  if (lower.starts_with("{\\displaystyle")) return false;  // TeX source of rendered math
  return std::any_of(alt.begin(), alt.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
  });
}

// Hrefs that point nowhere a reader could follow render as plain text.
bool IsUsefulHref(std::string_view href) {
  href = Trim(href);
  if (href.empty() || href.front() == '#') return false;
  return !Lower(href.substr(0, 11)).starts_with("javascript:");
}

// Makes a URL safe inside Markdown's "(...)".
std::string MarkdownUrl(std::string_view href) {
  std::string out;
  out.reserve(href.size());
  for (char c : Trim(href)) {
    switch (c) {
      case ' ': out += "%20"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '<': out += "%3C"; break;
      case '>': out += "%3E"; break;
      case '\n': case '\r': case '\t': break;
      default: out.push_back(c);
    }
  }
  return out;
}

class HtmlWalker final : public html::ElementVisitor {
 public:
  explicit HtmlWalker(ExtractedDocument* doc) : doc_(doc) {}

  // After the last element has closed.
  void Finish() {
    Boundary();
    while (!tables_.empty()) FinishTable();
    if (doc_->title.empty()) doc_->title = first_h1_;
  }

  bool OpenElement(const html::StartTag& tag, uint8_t* close) override {
    Close c = Close::kNothing;
    const bool open = Open(tag, &c);
    *close = static_cast<uint8_t>(c);
    return open;
  }

  void CloseElement(uint8_t close) override { End(static_cast<Close>(close)); }

  void Text(std::string_view s) override {
    if (title_depth_ > 0) {
      title_.Append(s);
      return;
    }
    if (pre_depth_ > 0) {
      pre_.AppendRaw(s);
    } else {
      para_.Append(s);
    }
    if (TableState* t = CellTable()) t->cell.Append(s);
  }

 private:
  TableState* CellTable() {
    return (!tables_.empty() && tables_.back().in_cell) ? &tables_.back() : nullptr;
  }

  // Ends the current block: its text becomes an element.
  void Boundary() {
    Flush();
    if (!captions_.empty()) {
      for (std::string& caption : captions_) Emit(ElementType::kImageCaption, std::move(caption));
      captions_.clear();
    }
    if (TableState* t = CellTable()) t->cell.SoftBreak();
  }

  void Flush() {
    if (para_.empty()) return;
    std::string text = para_.Take();
    if (!heading_levels_.empty()) {
      Emit(ElementType::kHeading, FoldLines(std::move(text)), heading_levels_.back());
      return;
    }
    if (!contexts_.empty() && contexts_.back() == Context::kListItem) {
      const int depth = std::max(0, static_cast<int>(lists_.size()) - 1);
      if (Element* item = Emit(ElementType::kListItem, FoldLines(std::move(text)), depth)) {
        item->ordered = !lists_.empty() && lists_.back();
      }
      return;
    }
    ElementType type = ElementType::kParagraph;
    if (!contexts_.empty()) {
      type = contexts_.back() == Context::kCaption ? ElementType::kImageCaption : ElementType::kBlockQuote;
    }
    // Two or more <br> in a row separate paragraphs in old-style pages.
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find("\n\n", start);
      if (end == std::string::npos) end = text.size();
      Emit(type, text.substr(start, end - start));
      start = text.find_first_not_of('\n', end);
      if (start == std::string::npos) break;
    }
  }

  static std::string FoldLines(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
  }

  // Appends an element unless its text is blank (then returns nullptr).
  Element* Emit(ElementType type, std::string text, int level = 0) {
    const std::string_view trimmed = Trim(text);
    if (trimmed.empty()) return nullptr;
    Element element;
    element.type = type;
    if (type == ElementType::kCode) {
      // Code keeps its indentation; only surrounding blank lines go.
      std::string_view code = text_util::TrimRight(text);
      const size_t first_line = code.find_last_of('\n', code.size() - trimmed.size());
      if (first_line != std::string_view::npos && first_line < code.size()) code.remove_prefix(first_line + 1);
      element.text = std::string(code);
    } else {
      element.text = std::string(trimmed);
    }
    element.level = level;
    if (type == ElementType::kHeading && level == 1 && first_h1_.empty()) first_h1_ = element.text;
    if (!tables_.empty() && type != ElementType::kParagraph && type != ElementType::kImageCaption) {
      tables_.back().has_structure = true;
    }
    doc_->elements.push_back(std::move(element));
    return &doc_->elements.back();
  }

  bool Open(const html::StartTag& node, Close* close) {
    const GumboTag tag = node.tag;
    const bool block = IsBlockTag(tag);

    if (tag == GUMBO_TAG_TITLE) {
      ++title_depth_;
      *close = Close::kTitle;
      return true;
    }
    if (tag == GUMBO_TAG_META) {
      NoteMeta(node);
      return false;
    }
    const bool page_chrome =
        (tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) && sectioning_depth_ == 0;
    if (IsDropped(tag) || page_chrome || HiddenByAttributes(node)) {
      if (block) Boundary();
      return false;
    }
    if (tag == GUMBO_TAG_HTML) {
      if (const auto lang = node.Attr("lang")) {
        if (!lang->empty() && !doc_->metadata.count("language")) doc_->metadata["language"] = std::string(*lang);
      }
    }

    switch (tag) {
      case GUMBO_TAG_BR:
        if (pre_depth_ > 0) {
          pre_.AppendRaw("\n");
        } else {
          para_.LineBreak();
        }
        if (TableState* t = CellTable()) t->cell.SoftBreak();
        return false;
      case GUMBO_TAG_IMG: {
        const auto alt = node.Attr("alt");
        if (alt && IsMeaningfulAlt(*alt)) {
          // Before any text of its block the caption can go out at once;
          // inside running text it waits for the block's end, so that the
          // image does not split the paragraph around it.
          if (para_.empty()) {
            Emit(ElementType::kImageCaption, std::string(Trim(*alt)));
          } else {
            captions_.push_back(std::string(Trim(*alt)));
          }
        }
        return false;
      }
      case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
      case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        Boundary();
        heading_levels_.push_back(1 + static_cast<int>(tag - GUMBO_TAG_H1));
        *close = Close::kHeading;
        return true;
      case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_MENU: case GUMBO_TAG_DIR:
        Boundary();
        lists_.push_back(tag == GUMBO_TAG_OL);
        *close = Close::kList;
        return true;
      case GUMBO_TAG_LI:
        Boundary();
        contexts_.push_back(Context::kListItem);
        *close = Close::kListItem;
        return true;
      case GUMBO_TAG_BLOCKQUOTE:
        Boundary();
        contexts_.push_back(Context::kQuote);
        *close = Close::kQuote;
        return true;
      case GUMBO_TAG_FIGCAPTION:
        Boundary();
        contexts_.push_back(Context::kCaption);
        *close = Close::kCaption;
        return true;
      case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
        Boundary();
        if (pre_depth_++ == 0) {
          pre_ = TextBuffer();
          pre_language_ = ClassLanguage(node);
        }
        *close = Close::kPre;
        return true;
      case GUMBO_TAG_CODE:  // <pre><code class="language-x">
        if (pre_depth_ > 0 && pre_language_.empty()) pre_language_ = ClassLanguage(node);
        return true;
      case GUMBO_TAG_A: {
        const auto href = node.Attr("href");
        if (pre_depth_ == 0 && heading_levels_.empty() && href && IsUsefulHref(*href)) {
          para_.OpenLink();
          links_.push_back(MarkdownUrl(*href));
          *close = Close::kLink;
        }
        return true;
      }
      case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
        Boundary();
        ++sectioning_depth_;
        *close = Close::kSectioning;
        return true;
      case GUMBO_TAG_TABLE:
        Boundary();
        tables_.emplace_back();
        tables_.back().first_element = doc_->elements.size();
        *close = Close::kTable;
        return true;
      case GUMBO_TAG_CAPTION:
        Boundary();
        *close = tables_.empty() ? Close::kBlock : Close::kTableCaption;
        return true;
      case GUMBO_TAG_THEAD:
        if (!tables_.empty()) ++tables_.back().thead_depth;
        *close = Close::kThead;
        return true;
      case GUMBO_TAG_TR:
        Boundary();
        if (!tables_.empty()) StartRow(&tables_.back());
        *close = Close::kRow;
        return true;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        Boundary();
        if (!tables_.empty()) StartCell(&tables_.back(), node, tag == GUMBO_TAG_TH);
        *close = Close::kCell;
        return true;
      default:
        break;
    }
    if (block) {
      Boundary();
      *close = Close::kBlock;
    }
    return true;
  }

  void End(Close close) {
    switch (close) {
      case Close::kNothing:
        return;
      case Close::kTitle:
        --title_depth_;
        if (doc_->title.empty()) doc_->title = std::string(Trim(title_.Take()));
        title_ = TextBuffer();
        return;
      case Close::kBlock:
        Boundary();
        return;
      case Close::kHeading:
        Boundary();
        heading_levels_.pop_back();
        return;
      case Close::kList:
        Boundary();
        lists_.pop_back();
        return;
      case Close::kListItem: case Close::kQuote: case Close::kCaption:
        Boundary();
        contexts_.pop_back();
        return;
      case Close::kPre:
        if (--pre_depth_ == 0) {
          if (Element* code = Emit(ElementType::kCode, pre_.Take())) code->language = pre_language_;
          if (TableState* t = CellTable()) t->cell.SoftBreak();
        }
        return;
      case Close::kLink:
        para_.CloseLink(links_.back());
        links_.pop_back();
        return;
      case Close::kSectioning:
        Boundary();
        --sectioning_depth_;
        return;
      case Close::kTable:
        Boundary();
        FinishTable();
        return;
      case Close::kTableCaption:
        if (!tables_.empty()) tables_.back().caption = std::string(Trim(para_.Take()));
        return;
      case Close::kThead:
        if (!tables_.empty() && tables_.back().thead_depth > 0) --tables_.back().thead_depth;
        return;
      case Close::kRow:
        Boundary();
        if (!tables_.empty()) EndRow(&tables_.back());
        return;
      case Close::kCell:
        Boundary();
        if (!tables_.empty()) EndCell(&tables_.back());
        return;
    }
  }

  // Subtrees that never hold document text.
  static bool IsDropped(GumboTag tag) {
    switch (tag) {
      case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_NAV: case GUMBO_TAG_FORM: case GUMBO_TAG_SVG: case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BUTTON: case GUMBO_TAG_OBJECT:
      case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
      case GUMBO_TAG_MAP: case GUMBO_TAG_DATALIST: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOEMBED:
      case GUMBO_TAG_APPLET: case GUMBO_TAG_MATH:
        return true;
      default:
        return false;
    }
  }

  void NoteMeta(const html::StartTag& node) {
    const auto name = node.Attr("name");
    const auto content = node.Attr("content");
    if (!name || !content) return;
    const std::string key = Lower(Trim(*name));
    if (key != "author" && key != "description" && key != "keywords") return;
    const std::string value(Trim(*content));
    if (!value.empty() && !doc_->metadata.count(key)) doc_->metadata[key] = value;
  }

  // "language-cpp" / "lang-cpp" in a <pre>'s or its <code>'s class.
  static std::string ClassLanguage(const html::StartTag& node) {
    const auto cls = node.Attr("class");
    if (!cls) return "";
    const std::string_view c = *cls;
    for (std::string_view prefix : {std::string_view("language-"), std::string_view("lang-")}) {
      const size_t at = c.find(prefix);
      if (at != std::string_view::npos && (at == 0 || c[at - 1] == ' ')) {
        std::string_view rest = c.substr(at + prefix.size());
        return std::string(rest.substr(0, rest.find(' ')));
      }
    }
    return "";
  }

  static void StartRow(TableState* t) {
    if (t->in_row) EndRow(t);
    t->in_row = true;
    t->row.clear();
    t->row_all_th = true;
  }

  static void StartCell(TableState* t, const html::StartTag& node, bool is_th) {
    if (!t->in_row) StartRow(t);
    if (t->in_cell) EndCell(t);
    t->in_cell = true;
    t->cell_is_th = is_th;
    t->cell_colspan = 1;
    if (const auto span = node.Attr("colspan")) {
      t->cell_colspan = std::clamp(std::atoi(std::string(*span).c_str()), 1, kMaxColspan);
    }
  }

  static void EndCell(TableState* t) {
    if (!t->in_cell) return;
    t->in_cell = false;
    t->row.push_back(std::string(Trim(t->cell.Take())));
    for (int i = 1; i < t->cell_colspan; ++i) t->row.emplace_back();
    if (!t->cell_is_th) t->row_all_th = false;
  }

  static void EndRow(TableState* t) {
    if (t->in_cell) EndCell(t);
    if (!t->in_row) return;
    t->in_row = false;
    if (t->row.empty()) return;
    if (t->rows.empty()) t->first_row_header = t->row_all_th || t->thead_depth > 0;
    t->rows.push_back(std::move(t->row));
    t->row.clear();
  }

  void FinishTable() {
    TableState table = std::move(tables_.back());
    tables_.pop_back();
    EndRow(&table);

    // Drop empty rows and columns: spacer cells are common in real pages.
    std::vector<std::vector<std::string>> rows;
    bool header = table.first_row_header;
    for (size_t r = 0; r < table.rows.size(); ++r) {
      auto& row = table.rows[r];
      const bool empty = std::all_of(row.begin(), row.end(), [](const std::string& c) { return c.empty(); });
      if (empty) {
        if (r == 0) header = false;
        continue;
      }
      rows.push_back(std::move(row));
    }
    size_t columns = 0;
    for (const auto& row : rows) columns = std::max(columns, row.size());
    std::vector<bool> used(columns, false);
    size_t cells = 0, bytes = 0;
    for (auto& row : rows) {
      row.resize(columns);
      for (size_t c = 0; c < columns; ++c) {
        if (!row[c].empty()) {
          used[c] = true;
          ++cells;
          bytes += row[c].size();
        }
      }
    }
    const size_t kept = static_cast<size_t>(std::count(used.begin(), used.end(), true));
    if (kept < columns) {
      for (auto& row : rows) {
        std::vector<std::string> compact;
        compact.reserve(kept);
        for (size_t c = 0; c < columns; ++c) {
          if (used[c]) compact.push_back(std::move(row[c]));
        }
        row = std::move(compact);
      }
    }

    // A table nested in a cell also contributes its text to that cell.
    if (TableState* outer = CellTable()) {
      for (const auto& row : rows) {
        for (const auto& cell : row) {
          outer->cell.Append(cell);
          outer->cell.SoftBreak();
        }
      }
    }

    const bool data = !rows.empty() && kept >= 2 && !table.has_structure &&
                      (cells == 0 || bytes / cells <= kMaxDataCellBytes);
    if (data) {
      doc_->elements.resize(std::min(doc_->elements.size(), table.first_element));
      if (!table.caption.empty()) Emit(ElementType::kParagraph, table.caption);
      Element element;
      element.type = ElementType::kTable;
      element.rows = std::move(rows);
      element.has_header = header;
      doc_->elements.push_back(std::move(element));
    } else if (!table.caption.empty()) {
      Element caption;
      caption.type = ElementType::kParagraph;
      caption.text = table.caption;
      const size_t at = std::min(doc_->elements.size(), table.first_element);
      doc_->elements.insert(doc_->elements.begin() + static_cast<long>(at), std::move(caption));
    }
    if (!tables_.empty() && (data || table.has_structure)) tables_.back().has_structure = true;
  }

  ExtractedDocument* doc_;
  TextBuffer para_;
  TextBuffer pre_;
  TextBuffer title_;
  int title_depth_ = 0;
  std::string pre_language_;
  int pre_depth_ = 0;
  int sectioning_depth_ = 0;  // open <article>/<main>: their header/footer are content
  std::vector<int> heading_levels_;
  std::vector<bool> lists_;  // open lists, true when ordered
  std::vector<Context> contexts_;
  std::vector<std::string> links_;     // hrefs of open links
  std::vector<std::string> captions_;  // alt texts waiting for the block to end
  std::vector<TableState> tables_;
  std::string first_h1_;
};

class HtmlExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "html"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    const std::string_view bytes = input.bytes;
    Result<DecodedText> decoded = Status::Internal("not decoded");
    size_t bom_length = 0;
    if (!DetectBom(bytes, &bom_length).empty() || !DetectUtf16WithoutBom(bytes).empty()) {
      decoded = DecodeToUtf8(bytes);
    } else if (std::string charset = SniffHtmlCharset(bytes); !charset.empty()) {
      decoded = DecodeWithCharset(bytes, charset);
    } else {
      decoded = DecodeToUtf8(bytes);
    }
    if (!decoded.ok()) return decoded.status();

    ExtractedDocument doc;
    doc.source_encoding = decoded->encoding;
    ConvertHtml(decoded->utf8, &doc);
    const bool has_text = std::any_of(doc.elements.begin(), doc.elements.end(), [](const Element& e) {
      return !Trim(e.text).empty() || !e.rows.empty();
    });
    if (!has_text) return Status::Empty("no text in the HTML body");
    return doc;
  }
};

}  // namespace

void ConvertHtml(std::string_view utf8, ExtractedDocument* doc) {
  HtmlWalker walker(doc);
  html::Parse(utf8, &walker);
  walker.Finish();
}

std::string SniffHtmlCharset(std::string_view bytes) {
  const std::string head = Lower(bytes.substr(0, kCharsetSniffBytes));
  auto read_value = [&](size_t at) -> std::string {
    while (at < head.size() && (head[at] == ' ' || head[at] == '=' || head[at] == '"' || head[at] == '\'')) ++at;
    size_t end = at;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' ||
                                 head[end] == '_' || head[end] == '.' || head[end] == ':')) {
      ++end;
    }
    return head.substr(at, end - at);
  };
  for (size_t pos = head.find("<meta"); pos != std::string::npos; pos = head.find("<meta", pos + 5)) {
    const size_t end = head.find('>', pos);
    const std::string_view tag = std::string_view(head).substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    const size_t charset = tag.find("charset");
    if (charset == std::string_view::npos) continue;
    std::string value = read_value(pos + charset + 7);
    if (!value.empty()) return value;
  }
  if (head.starts_with("<?xml")) {
    const size_t end = head.find("?>");
    const size_t enc = head.find("encoding");
    if (enc != std::string::npos && (end == std::string::npos || enc < end)) return read_value(enc + 8);
  }
  return "";
}

std::unique_ptr<Extractor> MakeHtmlExtractor() { return std::make_unique<HtmlExtractor>(); }

}  // namespace smelter
