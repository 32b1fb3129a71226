// OpenDocument text, spreadsheet and presentation (ODT, ODS, ODP) ->
// elements.
//
// The package is opened with ZipArchive (its size, ratio and path limits)
// and content.xml parsed through ooxml::ParseXml (no network, no DTD, no
// entities). A package without content.xml, or not a ZIP, is kCorrupt.
//
//   - text:h -> heading at its outline-level (default 1, capped at 6);
//     text:p -> paragraph, or kTitle when its style (or the style's parent)
//     is "Title"; a "Subtitle" paragraph stays a paragraph;
//   - text:list / text:list-item -> list items, depth = list nesting,
//     ordered when the list style's level is a text:list-level-style-number
//     (list styles from content.xml and styles.xml; nested lists inherit);
//   - table:table -> kTable, first row the header; repeated columns and rows
//     expanded (capped), empty rows and columns dropped; covered (merged)
//     cells empty;
//   - ODS: each sheet a kPageBreak (page = sheet index), a level-2 heading
//     with its name, and its rows in tables of at most 200 data rows that
//     repeat the header;
//   - ODP: each draw:page a kPageBreak (page = slide number); the text of
//     its frames in order; speaker notes skipped;
//   - inline: text:s spaces, tabs, line breaks as spaces, text:a as
//     [text](href); notes and annotations skipped.
// meta.xml gives title, author (dc:creator, else meta:initial-creator),
// created, modified, subject, description, keywords, language, and the page
// count of an ODT.
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/ooxml_xml.h"
#include "extract/text_util.h"
#include "extract/zip_archive.h"

namespace smelter {
namespace {

using ooxml::FirstElement;
using ooxml::LocalName;
using ooxml::NextElement;
using text_util::IsBlank;

constexpr std::string_view kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kTableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kDrawNs = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
constexpr std::string_view kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kStyleNs = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
constexpr std::string_view kPresentationNs = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0";
constexpr std::string_view kMetaNs = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kSvgNs = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

constexpr int kMaxRepeat = 1000;         // a repeated row/column beyond this is blank filler
constexpr size_t kMaxTableCells = 2000000;
constexpr size_t kRowsPerTable = 200;
constexpr int kMaxDepth = 200;

std::string_view NsOf(const xmlNode* node) {
  if (!node || !node->ns || !node->ns->href) return {};
  return reinterpret_cast<const char*>(node->ns->href);
}

bool Is(const xmlNode* node, std::string_view ns, std::string_view local) {
  return ooxml::IsElement(node) && LocalName(node) == local && NsOf(node) == ns;
}

struct Styles {
  std::map<std::string, std::string> parent;               // paragraph style -> parent style
  std::map<std::string, std::vector<bool>> list_ordered;  // list style -> ordered, by level
};

void ReadStyles(const xmlNode* container, Styles* styles) {
  for (xmlNode* s = FirstElement(container); s; s = NextElement(s)) {
    if (Is(s, kStyleNs, "style")) {
      const std::string name = ooxml::AnyAttr(s, "name");
      const std::string parent = ooxml::AnyAttr(s, "parent-style-name");
      if (!name.empty() && !parent.empty()) styles->parent.emplace(name, parent);
    } else if (Is(s, kTextNs, "list-style")) {
      const std::string name = ooxml::AnyAttr(s, "name");
      std::vector<bool> levels(10, false);
      for (xmlNode* level = FirstElement(s); level; level = NextElement(level)) {
        const int n = std::atoi(ooxml::AnyAttr(level, "level").c_str());
        if (n >= 1 && n <= 10) levels[n - 1] = LocalName(level) == "list-level-style-number";
      }
      if (!name.empty()) styles->list_ordered.emplace(name, std::move(levels));
    }
  }
}

void ReadStylesOf(const xmlNode* root, Styles* styles) {
  for (xmlNode* c = FirstElement(root); c; c = NextElement(c)) {
    if (Is(c, kOfficeNs, "automatic-styles") || Is(c, kOfficeNs, "styles")) ReadStyles(c, styles);
  }
}

// Whether a paragraph style is (or derives from) `target`.
bool StyleIs(const Styles& styles, std::string name, std::string_view target) {
  for (int hops = 0; hops < 10 && !name.empty(); ++hops) {
    if (name == target) return true;
    auto it = styles.parent.find(name);
    if (it == styles.parent.end()) break;
    name = it->second;
  }
  return false;
}

// ---- inline text -----------------------------------------------------------------

void AppendInline(const xmlNode* node, std::string* out, int depth) {
  if (depth > kMaxDepth) return;
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) *out += reinterpret_cast<const char*>(c->content);
      continue;
    }
    if (!ooxml::IsElement(c)) continue;
    const std::string_view ns = NsOf(c);
    const std::string_view local = LocalName(c);
    if (ns == kTextNs) {
      if (local == "s") {
        const int n = std::clamp(std::atoi(ooxml::AnyAttr(c, "c").c_str()), 1, 100);
        out->append(static_cast<size_t>(n), ' ');
        continue;
      }
      if (local == "tab" || local == "line-break") {
        *out += ' ';
        continue;
      }
      if (local == "note" || local == "tracked-changes") continue;
      if (local == "a") {
        std::string label;
        AppendInline(c, &label, depth + 1);
        const std::string href = ooxml::AnyAttr(c, "href");
        const std::string collapsed = ooxml::CollapseSpaces(label);
        const bool web = href.rfind("http://", 0) == 0 || href.rfind("https://", 0) == 0 || href.rfind("mailto:", 0) == 0;
        if (web && !collapsed.empty() && collapsed != href) {
          *out += "[" + collapsed + "](" + href + ")";
        } else {
          *out += label;
        }
        continue;
      }
    }
    if (ns == kOfficeNs && (local == "annotation" || local == "annotation-end")) continue;
    if (ns == kSvgNs) continue;  // svg:title / svg:desc of drawings
    AppendInline(c, out, depth + 1);
  }
}

std::string InlineText(const xmlNode* node) {
  std::string out;
  AppendInline(node, &out, 0);
  return ooxml::CollapseSpaces(out);
}

// ---- blocks -------------------------------------------------------------------------

struct Walker {
  const Styles* styles;
  ExtractedDocument* doc;
  size_t cells = 0;

  void Add(Element e) {
    if (e.type != ElementType::kPageBreak && IsBlank(e.text) && e.rows.empty()) return;
    doc->elements.push_back(std::move(e));
  }

  // Rows of a table:table; empty rows and columns dropped.
  std::vector<std::vector<std::string>> TableRows(const xmlNode* table) {
    std::vector<std::vector<std::string>> rows;
    CollectRows(table, &rows, 0);
    // Drop empty rows.
    std::erase_if(rows, [](const std::vector<std::string>& row) {
      return std::all_of(row.begin(), row.end(), [](const std::string& c) { return IsBlank(c); });
    });
    size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.size());
    std::vector<bool> used(width, false);
    for (auto& row : rows) {
      row.resize(width);
      for (size_t c = 0; c < width; ++c) {
        if (!IsBlank(row[c])) used[c] = true;
      }
    }
    for (auto& row : rows) {
      std::vector<std::string> kept;
      for (size_t c = 0; c < width; ++c) {
        if (used[c]) kept.push_back(std::move(row[c]));
      }
      row = std::move(kept);
    }
    return rows;
  }

  void CollectRows(const xmlNode* node, std::vector<std::vector<std::string>>* rows, int depth) {
    if (depth > kMaxDepth) return;
    for (xmlNode* c = FirstElement(node); c; c = NextElement(c)) {
      if (Is(c, kTableNs, "table-row")) {
        std::vector<std::string> row;
        for (xmlNode* cell = FirstElement(c); cell; cell = NextElement(cell)) {
          const bool covered = Is(cell, kTableNs, "covered-table-cell");
          if (!covered && !Is(cell, kTableNs, "table-cell")) continue;
          std::string text;
          if (!covered) {
            for (xmlNode* p = FirstElement(cell); p; p = NextElement(p)) {
              const std::string part = Is(p, kTableNs, "table") ? std::string() : InlineText(p);
              if (part.empty()) continue;
              if (!text.empty()) text += ' ';
              text += part;
            }
          }
          int repeat = std::atoi(ooxml::AnyAttr(cell, "number-columns-repeated").c_str());
          repeat = std::clamp(repeat, 1, kMaxRepeat);
          if (text.empty() && repeat > 1) repeat = 1;  // blank filler to the sheet's edge
          for (int k = 0; k < repeat && cells < kMaxTableCells; ++k, ++cells) row.push_back(text);
        }
        int repeat = std::atoi(ooxml::AnyAttr(c, "number-rows-repeated").c_str());
        repeat = std::clamp(repeat, 1, kMaxRepeat);
        const bool blank = std::all_of(row.begin(), row.end(), [](const std::string& s) { return IsBlank(s); });
        if (blank) repeat = 1;
        for (int k = 0; k < repeat && cells < kMaxTableCells; ++k) rows->push_back(row);
      } else if (Is(c, kTableNs, "table-header-rows") || Is(c, kTableNs, "table-rows") ||
                 Is(c, kTableNs, "table-row-group")) {
        CollectRows(c, rows, depth + 1);
      }
    }
  }

  void EmitTable(std::vector<std::vector<std::string>> rows, int page) {
    if (rows.empty()) return;
    if (rows.size() == 1) {
      Element t;
      t.type = ElementType::kTable;
      t.page = page;
      t.rows = std::move(rows);
      Add(std::move(t));
      return;
    }
    for (size_t start = 1; start < rows.size(); start += kRowsPerTable) {
      const size_t end = std::min(rows.size(), start + kRowsPerTable);
      Element t;
      t.type = ElementType::kTable;
      t.page = page;
      t.rows.push_back(rows[0]);
      for (size_t r = start; r < end; ++r) t.rows.push_back(rows[r]);
      Add(std::move(t));
    }
  }

  // `list_depth` -1 outside lists; `list_style` the inherited list style.
  void Walk(const xmlNode* node, int list_depth, const std::string& list_style, int page, int depth) {
    if (depth > kMaxDepth) return;
    for (xmlNode* c = FirstElement(node); c; c = NextElement(c)) {
      const std::string_view ns = NsOf(c);
      const std::string_view local = LocalName(c);
      if (ns == kTextNs && local == "h") {
        Element h;
        h.type = ElementType::kHeading;
        const int level = std::atoi(ooxml::AnyAttr(c, "outline-level").c_str());
        h.level = std::clamp(level, 1, 6);
        h.text = InlineText(c);
        h.page = page;
        Add(std::move(h));
      } else if (ns == kTextNs && local == "p") {
        Element p;
        p.page = page;
        p.text = InlineText(c);
        if (list_depth >= 0) {
          p.type = ElementType::kListItem;
          p.level = list_depth;
          auto it = styles->list_ordered.find(list_style);
          if (it != styles->list_ordered.end()) {
            p.ordered = it->second[static_cast<size_t>(std::min(list_depth, 9))];
          }
        } else if (StyleIs(*styles, ooxml::AnyAttr(c, "style-name"), "Title")) {
          p.type = ElementType::kTitle;
          if (doc->title.empty()) doc->title = p.text;
        } else {
          p.type = ElementType::kParagraph;
        }
        Add(std::move(p));
        // Frames anchored in the paragraph (text boxes) hold more blocks.
        for (xmlNode* f = FirstElement(c); f; f = NextElement(f)) {
          if (Is(f, kDrawNs, "frame")) Walk(f, list_depth, list_style, page, depth + 1);
        }
      } else if (ns == kTextNs && local == "list") {
        std::string style = ooxml::AnyAttr(c, "style-name");
        if (style.empty()) style = list_style;
        Walk(c, std::min(list_depth + 1, 8), style, page, depth + 1);
      } else if (ns == kTextNs && (local == "list-item" || local == "list-header")) {
        Walk(c, list_depth, list_style, page, depth + 1);
      } else if (ns == kTableNs && local == "table") {
        EmitTable(TableRows(c), page);
      } else if ((ns == kTextNs && (local == "tracked-changes" || local == "sequence-decls" ||
                                   local == "variable-decls" || local == "user-field-decls" ||
                                   local == "note" || local == "table-of-content-source")) ||
                 (ns == kOfficeNs && (local == "forms" || local == "annotation")) ||
                 (ns == kPresentationNs && local == "notes") || ns == kSvgNs) {
        continue;
      } else {
        // Sections, frames, text boxes, groups, index bodies...
        Walk(c, list_depth, list_style, page, depth + 1);
      }
    }
  }
};

void ReadMeta(ZipArchive& zip, ExtractedDocument* doc) {
  if (!zip.Contains("meta.xml")) return;
  Result<std::string> bytes = zip.Read("meta.xml");
  if (!bytes.ok()) return;
  Result<ooxml::XmlDocPtr> xml = ooxml::ParseXml(*bytes, "meta.xml");
  if (!xml.ok()) return;
  const xmlNode* meta = nullptr;
  for (xmlNode* c = FirstElement(ooxml::Root(*xml)); c; c = NextElement(c)) {
    if (Is(c, kOfficeNs, "meta")) meta = c;
  }
  if (!meta) return;
  std::string initial_creator;
  for (xmlNode* c = FirstElement(meta); c; c = NextElement(c)) {
    const std::string value = ooxml::CollapseSpaces(ooxml::TextContent(c));
    const std::string_view ns = NsOf(c);
    const std::string_view local = LocalName(c);
    if (ns == kMetaNs && local == "document-statistic") {
      const int pages = std::atoi(ooxml::AnyAttr(c, "page-count").c_str());
      if (pages > 0) doc->page_count = pages;
      continue;
    }
    if (value.empty()) continue;
    if (ns == kDcNs) {
      if (local == "title") doc->title = value;
      else if (local == "creator") doc->metadata["author"] = value;
      else if (local == "date") doc->metadata["modified"] = value;
      else if (local == "subject") doc->metadata["subject"] = value;
      else if (local == "description") doc->metadata["description"] = value;
      else if (local == "language") doc->metadata["language"] = value;
    } else if (ns == kMetaNs) {
      if (local == "initial-creator") initial_creator = value;
      else if (local == "creation-date") doc->metadata["created"] = value;
      else if (local == "keyword") {
        std::string& k = doc->metadata["keywords"];
        k += k.empty() ? value : ", " + value;
      } else if (local == "generator") doc->metadata["generator"] = value;
    }
  }
  if (!initial_creator.empty() && !doc->metadata.count("author")) doc->metadata["author"] = initial_creator;
}

class OdfExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "odf"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    Result<std::unique_ptr<ZipArchive>> zip = ZipArchive::Open(input.bytes);
    if (!zip.ok()) return zip.status();
    ZipArchive& archive = **zip;
    if (!archive.Contains("content.xml")) return Status::Corrupt("OpenDocument package without content.xml");
    Result<std::string> content = archive.Read("content.xml");
    if (!content.ok()) return content.status();
    Result<ooxml::XmlDocPtr> xml = ooxml::ParseXml(*content, "content.xml");
    if (!xml.ok()) return xml.status();
    const xmlNode* root = ooxml::Root(*xml);
    if (!root) return Status::Corrupt("content.xml: no root element");

    ExtractedDocument doc;
    doc.source_encoding = "UTF-8";
    Styles styles;
    if (archive.Contains("styles.xml")) {
      Result<std::string> styles_bytes = archive.Read("styles.xml");
      if (styles_bytes.ok()) {
        Result<ooxml::XmlDocPtr> styles_xml = ooxml::ParseXml(*styles_bytes, "styles.xml");
        if (styles_xml.ok()) ReadStylesOf(ooxml::Root(*styles_xml), &styles);
      }
    }
    ReadStylesOf(root, &styles);  // automatic styles (names never clash with styles.xml)
    ReadMeta(archive, &doc);
    const std::string meta_title = doc.title;

    Walker walker{&styles, &doc};
    const xmlNode* body = nullptr;
    for (xmlNode* c = FirstElement(root); c; c = NextElement(c)) {
      if (Is(c, kOfficeNs, "body")) body = c;
    }
    if (!body) return Status::Corrupt("content.xml: no office:body");
    for (xmlNode* kind = FirstElement(body); kind; kind = NextElement(kind)) {
      if (Is(kind, kOfficeNs, "spreadsheet")) {
        int sheet = 0;
        for (xmlNode* t = FirstElement(kind); t; t = NextElement(t)) {
          if (!Is(t, kTableNs, "table")) continue;
          ++sheet;
          Element br;
          br.type = ElementType::kPageBreak;
          br.page = sheet;
          doc.elements.push_back(std::move(br));
          Element h;
          h.type = ElementType::kHeading;
          h.level = 2;
          h.page = sheet;
          h.text = ooxml::CollapseSpaces(ooxml::AnyAttr(t, "name"));
          if (h.text.empty()) h.text = "Sheet " + std::to_string(sheet);
          doc.elements.push_back(std::move(h));
          walker.EmitTable(walker.TableRows(t), sheet);
        }
        doc.page_count = sheet;
      } else if (Is(kind, kOfficeNs, "presentation")) {
        int slide = 0;
        for (xmlNode* p = FirstElement(kind); p; p = NextElement(p)) {
          if (!Is(p, kDrawNs, "page")) continue;
          ++slide;
          Element br;
          br.type = ElementType::kPageBreak;
          br.page = slide;
          doc.elements.push_back(std::move(br));
          walker.Walk(p, -1, "", slide, 0);
        }
        doc.page_count = slide;
      } else {
        walker.Walk(kind, -1, "", 0, 0);
      }
    }
    if (!meta_title.empty()) doc.title = meta_title;
    if (doc.title.empty()) {
      for (const Element& e : doc.elements) {
        if (e.type == ElementType::kHeading && !e.text.empty()) {
          doc.title = e.text;
          break;
        }
      }
    }
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeOdfExtractor() { return std::make_unique<OdfExtractor>(); }

}  // namespace smelter
