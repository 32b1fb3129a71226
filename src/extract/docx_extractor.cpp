// DOCX (WordprocessingML, Transitional or Strict) -> elements.
//
// The main part (word/document.xml, found through the package
// relationships) is walked once in document order. Paragraph type comes
// from its style: styles.xml is read so that "Heading 1".."Heading 9",
// "Title" and any style with an outline level -- directly or through its
// basedOn chain -- give headings; numbering (numPr, on the paragraph or its
// style) gives list items, ordered unless numbering.xml says the level is a
// bullet. Text is what Word shows with tracked changes accepted: insertions
// kept, deletions and moved-away text dropped, field instructions dropped
// and field results kept; w:tab is a tab and w:br a newline.
//
// Pages: Word does not store pagination, but it leaves hints. Explicit
// page breaks (w:br type="page", pageBreakBefore, next-page section
// breaks) and the breaks Word last rendered (w:lastRenderedPageBreak) each
// start a new page, and a rendered break with no text since the previous
// break is the same page boundary seen twice. Every element carries its
// page; a kPageBreak precedes each page, the first included. page_count is
// docProps/app.xml's <Pages> when that is larger than what was counted.
//
// Tables become kTable on a grid: gridBefore/gridAfter and gridSpan place
// cells in their columns (the columns a cell spans after the first are
// blank), a vertically merged cell repeats its value in every row it
// covers (so each row reads on its own when a chunker splits the table),
// and a table nested in a cell is flattened to text. A one-cell table is a
// box around content, not data: its content is read as body text.
//
// Footnotes and endnotes referenced in the text become "[^N]" marks,
// numbered in order of reference, and their text is appended at the end as
// "[^N]: text" paragraphs. Text boxes follow the paragraph that anchors
// them; pictures with alt text become kImageCaption; charts become their
// title and a table of their cached data. Headers, footers and comments
// are not read.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "extract/extractor.h"
#include "extract/ooxml_xml.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using ooxml::AnyAttr;
using ooxml::Child;
using ooxml::CollapseSpaces;
using ooxml::FirstElement;
using ooxml::LocalName;
using ooxml::NamespaceOf;
using ooxml::NextElement;
using ooxml::Ns;
using text_util::IsBlank;

// gridSpan="100000" must not make a row explode.
constexpr int kMaxGridSpan = 64;
constexpr int kMaxColumns = 512;
// basedOn chains longer than this are cycles or abuse.
constexpr int kMaxStyleDepth = 24;

int ParseInt(std::string_view text, int fallback) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return (ec == std::errc() && ptr == text.data() + text.size()) ? value : fallback;
}

using text_util::AsciiLower;
using text_util::IsLinkableUrl;
using text_util::MarkdownUrl;

// Style names compare without case or spaces: "heading 1" == "Heading1".
std::string StyleKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ') out.push_back(AsciiLower(c));
  }
  return out;
}



// ---- styles.xml -----------------------------------------------------------

struct ParagraphStyle {
  bool title = false;
  int heading = 0;     // 1..9, 0 when not a heading
  bool caption = false;
  std::string num_id;  // numbering from the style, "" when none
  int ilvl = -1;
  bool page_break_before = false;
};

class Styles {
 public:
  void Load(const xmlNode* root) {
    for (xmlNode* style = FirstElement(root); style; style = NextElement(style)) {
      if (!ooxml::Is(style, Ns::kWord, "style")) continue;
      if (AnyAttr(style, "type") != "paragraph") continue;
      Raw raw;
      raw.id = AnyAttr(style, "styleId");
      if (const xmlNode* name = Child(style, Ns::kWord, "name")) raw.name = AnyAttr(name, "val");
      if (const xmlNode* based = Child(style, Ns::kWord, "basedOn")) raw.based_on = AnyAttr(based, "val");
      if (const xmlNode* ppr = Child(style, Ns::kWord, "pPr")) {
        if (const xmlNode* outline = Child(ppr, Ns::kWord, "outlineLvl")) {
          raw.outline = ParseInt(AnyAttr(outline, "val"), -1);
        }
        if (const xmlNode* num = Child(ppr, Ns::kWord, "numPr")) {
          raw.has_num = true;
          if (const xmlNode* id = Child(num, Ns::kWord, "numId")) raw.num_id = AnyAttr(id, "val");
          if (const xmlNode* lvl = Child(num, Ns::kWord, "ilvl")) raw.ilvl = ParseInt(AnyAttr(lvl, "val"), -1);
        }
        if (const xmlNode* pbb = Child(ppr, Ns::kWord, "pageBreakBefore")) {
          raw.has_pbb = true;
          raw.pbb = ooxml::OnOff(pbb);
        }
      }
      if (ooxml::OnOff(style, "default") && ooxml::HasAnyAttr(style, "default")) default_id_ = raw.id;
      if (!raw.id.empty()) raw_.emplace(raw.id, std::move(raw));
    }
  }

  // The effective paragraph style of a style id ("" = the default style).
  const ParagraphStyle& Resolve(const std::string& style_id) {
    const std::string& id = style_id.empty() ? default_id_ : style_id;
    if (auto it = resolved_.find(id); it != resolved_.end()) return it->second;
    ParagraphStyle out;
    bool kind_known = false, num_known = false, pbb_known = false;
    std::string current = id;
    for (int depth = 0; depth < kMaxStyleDepth && !current.empty(); ++depth) {
      auto it = raw_.find(current);
      if (it == raw_.end()) break;
      const Raw& raw = it->second;
      if (!kind_known) {
        for (const std::string& label : {StyleKey(raw.name), StyleKey(raw.id)}) {
          if (kind_known) break;
          if (label == "title") {
            out.title = kind_known = true;
          } else if (label.size() == 8 && label.starts_with("heading") && label[7] >= '1' && label[7] <= '9') {
            out.heading = label[7] - '0';
            kind_known = true;
          } else if (label.starts_with("caption")) {
            out.caption = kind_known = true;
          }
        }
        if (!kind_known && raw.outline >= 0 && raw.outline <= 8) {
          out.heading = raw.outline + 1;
          kind_known = true;
        } else if (!kind_known && raw.outline == 9) {
          kind_known = true;  // explicitly body text
        }
      }
      if (!num_known && raw.has_num) {
        out.num_id = raw.num_id;
        out.ilvl = raw.ilvl;
        num_known = true;
      }
      if (!pbb_known && raw.has_pbb) {
        out.page_break_before = raw.pbb;
        pbb_known = true;
      }
      current = raw.based_on;
    }
    return resolved_.emplace(id, std::move(out)).first->second;
  }

  // The numbering of a style (for numStyleLink), "" when none.
  std::string NumIdOf(const std::string& style_id) { return Resolve(style_id).num_id; }

 private:
  struct Raw {
    std::string id, name, based_on, num_id;
    int outline = -1, ilvl = -1;
    bool has_num = false, has_pbb = false, pbb = false;
  };
  std::unordered_map<std::string, Raw> raw_;
  std::unordered_map<std::string, ParagraphStyle> resolved_;
  std::string default_id_;
};

// ---- numbering.xml ----------------------------------------------------------

class Numbering {
 public:
  void Load(const xmlNode* root) {
    for (xmlNode* node = FirstElement(root); node; node = NextElement(node)) {
      if (ooxml::Is(node, Ns::kWord, "abstractNum")) {
        Abstract abstract;
        for (xmlNode* lvl = FirstElement(node); lvl; lvl = NextElement(lvl)) {
          if (ooxml::Is(lvl, Ns::kWord, "lvl")) {
            ReadLevel(lvl, &abstract.formats);
          } else if (ooxml::Is(lvl, Ns::kWord, "numStyleLink")) {
            abstract.style_link = AnyAttr(lvl, "val");
          }
        }
        abstracts_[AnyAttr(node, "abstractNumId")] = std::move(abstract);
      } else if (ooxml::Is(node, Ns::kWord, "num")) {
        Num num;
        if (const xmlNode* a = Child(node, Ns::kWord, "abstractNumId")) num.abstract_id = AnyAttr(a, "val");
        for (xmlNode* o = FirstElement(node); o; o = NextElement(o)) {
          if (!ooxml::Is(o, Ns::kWord, "lvlOverride")) continue;
          if (const xmlNode* lvl = Child(o, Ns::kWord, "lvl")) ReadLevel(lvl, &num.overrides);
        }
        nums_[AnyAttr(node, "numId")] = std::move(num);
      }
    }
  }

  // The numFmt of a list level ("decimal", "bullet", "none", ...); "" when
  // unknown (then the paragraph is still a list item, unordered).
  std::string Format(const std::string& num_id, int ilvl, Styles* styles, int hops = 0) const {
    auto num = nums_.find(num_id);
    if (num == nums_.end()) return "";
    if (auto it = num->second.overrides.find(ilvl); it != num->second.overrides.end()) return it->second;
    auto abstract = abstracts_.find(num->second.abstract_id);
    if (abstract == abstracts_.end()) return "";
    if (auto it = abstract->second.formats.find(ilvl); it != abstract->second.formats.end()) return it->second;
    // A list style: the abstract numbering points at a style whose own
    // numbering holds the levels.
    if (!abstract->second.style_link.empty() && hops < 2) {
      const std::string linked = styles->NumIdOf(abstract->second.style_link);
      if (!linked.empty() && linked != num_id) return Format(linked, ilvl, styles, hops + 1);
    }
    return "";
  }

  bool Has(const std::string& num_id) const { return nums_.count(num_id) > 0; }

 private:
  static void ReadLevel(const xmlNode* lvl, std::unordered_map<int, std::string>* formats) {
    const int ilvl = ParseInt(AnyAttr(lvl, "ilvl"), -1);
    if (ilvl < 0) return;
    if (const xmlNode* fmt = Child(lvl, Ns::kWord, "numFmt")) (*formats)[ilvl] = AnyAttr(fmt, "val");
  }

  struct Abstract {
    std::unordered_map<int, std::string> formats;
    std::string style_link;
  };
  struct Num {
    std::string abstract_id;
    std::unordered_map<int, std::string> overrides;
  };
  std::unordered_map<std::string, Abstract> abstracts_;
  std::unordered_map<std::string, Num> nums_;
};

// ---- the converter -------------------------------------------------------------

// What one paragraph accumulates while its runs are walked.
struct ParagraphState {
  ElementType type = ElementType::kParagraph;
  int level = 0;
  bool ordered = false;
  bool flat = false;             // inside a table cell or a note: text only
  std::string text;
  int flushes = 0;               // times `text` was emitted and cleared
  int deferred_rendered_breaks = 0;
  std::vector<xmlNode*> text_boxes;  // w:txbxContent, read after the paragraph
  std::vector<Element> after;        // captions and charts, after the paragraph
  std::vector<int> fields;           // fldChar stack: 0 = instruction, 1 = result
};

class DocxConverter {
 public:
  DocxConverter(ooxml::Package* package, std::string main_part, ExtractedDocument* doc)
      : package_(package), main_part_(std::move(main_part)), doc_(doc) {}

  Status Run() {
    auto rels = package_->ReadRels(main_part_);
    if (!rels.ok()) return rels.status();
    rels_ = std::move(*rels);
    SMELTER_RETURN_IF_ERROR(LoadOptional("styles", [&](const xmlNode* root) { styles_.Load(root); }));
    SMELTER_RETURN_IF_ERROR(LoadOptional("numbering", [&](const xmlNode* root) { numbering_.Load(root); }));
    SMELTER_RETURN_IF_ERROR(LoadNotes("footnotes", "footnote", &footnotes_doc_, &footnotes_));
    SMELTER_RETURN_IF_ERROR(LoadNotes("endnotes", "endnote", &endnotes_doc_, &endnotes_));

    auto xml = package_->ReadXml(main_part_);
    if (!xml.ok()) return xml.status();
    const xmlNode* root = ooxml::Root(*xml);
    const xmlNode* body = Child(root, Ns::kWord, "body");
    if (!body) return Status::Corrupt(main_part_ + " has no w:body (not a WordprocessingML document)");

    Element first;
    first.type = ElementType::kPageBreak;
    first.page = page_;
    doc_->elements.push_back(first);
    Blocks(body);
    AppendNotes();
    doc_->page_count = page_;
    return Status::OK();
  }

 private:
  template <typename F>
  Status LoadOptional(std::string_view rel_type, F&& load) {
    const ooxml::Relationship* rel = rels_.FirstOfType(rel_type);
    if (!rel || rel->external || !package_->Has(rel->target)) return Status::OK();
    auto xml = package_->ReadXml(rel->target);
    if (!xml.ok()) {
      // A broken optional part costs structure, not the document; limits
      // and encryption still stop everything.
      if (xml.status().code() == Status::Code::kCorrupt) return Status::OK();
      return xml.status();
    }
    load(ooxml::Root(*xml));
    return Status::OK();
  }

  Status LoadNotes(std::string_view rel_type, std::string_view element, ooxml::XmlDocPtr* holder,
                   std::unordered_map<std::string, const xmlNode*>* notes) {
    const ooxml::Relationship* rel = rels_.FirstOfType(rel_type);
    if (!rel || rel->external || !package_->Has(rel->target)) return Status::OK();
    auto xml = package_->ReadXml(rel->target);
    if (!xml.ok()) return xml.status().code() == Status::Code::kCorrupt ? Status::OK() : xml.status();
    *holder = std::move(*xml);
    for (xmlNode* note = FirstElement(ooxml::Root(*holder)); note; note = NextElement(note)) {
      if (!ooxml::Is(note, Ns::kWord, element)) continue;
      const std::string type = AnyAttr(note, "type");
      if (type == "separator" || type == "continuationSeparator" || type == "continuationNotice") continue;
      notes->emplace(AnyAttr(note, "id"), note);
    }
    return Status::OK();
  }

  // ---- pages ----

  void NoteText(std::string_view text) {
    if (!text_since_break_ && !IsBlank(text)) text_since_break_ = true;
  }

  // `rendered`: a w:lastRenderedPageBreak, which repeats an explicit break
  // when no text came between them.
  void BreakPage(bool rendered) {
    if (in_notes_) return;
    if (rendered && !text_since_break_) return;
    ++page_;
    text_since_break_ = false;
    Element element;
    element.type = ElementType::kPageBreak;
    element.page = page_;
    if (table_depth_ > 0) {
      table_breaks_.push_back(element);  // after the table, which starts on its first page
    } else {
      doc_->elements.push_back(element);
    }
  }

  // ---- blocks ----

  void Blocks(const xmlNode* container) {
    for (xmlNode* node = FirstElement(container); node; node = NextElement(node)) {
      const Ns ns = NamespaceOf(node);
      const std::string_view name = LocalName(node);
      if (ns == Ns::kWord) {
        if (name == "p") {
          Paragraph(node);
        } else if (name == "tbl") {
          Table(node);
        } else if (name == "sdt") {
          Blocks(Child(node, Ns::kWord, "sdtContent"));
        } else if (name == "customXml" || name == "ins" || name == "moveTo" || name == "smartTag") {
          Blocks(node);
        }
        // del, moveFrom, sectPr, altChunk, bookmarks: nothing to read.
      } else if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        Blocks(ooxml::AlternateContentBranch(node));
      }
    }
  }

  void Paragraph(const xmlNode* p) {
    const xmlNode* ppr = Child(p, Ns::kWord, "pPr");
    std::string style_id;
    if (const xmlNode* ps = Child(ppr, Ns::kWord, "pStyle")) style_id = AnyAttr(ps, "val");
    const ParagraphStyle& style = styles_.Resolve(style_id);

    ParagraphState state;
    int heading = style.heading;
    bool title = style.title;
    if (const xmlNode* outline = Child(ppr, Ns::kWord, "outlineLvl")) {
      const int lvl = ParseInt(AnyAttr(outline, "val"), -1);
      if (lvl >= 0 && lvl <= 8) heading = lvl + 1;
      if (lvl == 9) heading = 0;
    }
    std::string num_id = style.num_id;
    int ilvl = style.ilvl;
    if (const xmlNode* num = Child(ppr, Ns::kWord, "numPr")) {
      if (const xmlNode* id = Child(num, Ns::kWord, "numId")) num_id = AnyAttr(id, "val");
      if (const xmlNode* lvl = Child(num, Ns::kWord, "ilvl")) ilvl = ParseInt(AnyAttr(lvl, "val"), ilvl);
    }
    if (title) {
      state.type = ElementType::kTitle;
      state.level = 1;
    } else if (heading > 0) {
      state.type = ElementType::kHeading;
      state.level = std::min(heading, 6);
    } else if (!num_id.empty() && num_id != "0" && numbering_.Has(num_id)) {
      ilvl = std::clamp(ilvl, 0, 8);
      const std::string format = numbering_.Format(num_id, ilvl, &styles_);
      if (format != "none") {
        state.type = ElementType::kListItem;
        state.level = ilvl;
        state.ordered = !format.empty() && format != "bullet";
      }
    } else if (style.caption) {
      state.type = ElementType::kImageCaption;
    }

    bool break_before = style.page_break_before;
    if (const xmlNode* pbb = Child(ppr, Ns::kWord, "pageBreakBefore")) break_before = ooxml::OnOff(pbb);
    if (break_before) BreakPage(false);

    Inline(p, &state);
    FlushParagraph(&state);
    for (; state.deferred_rendered_breaks > 0; --state.deferred_rendered_breaks) BreakPage(true);
    for (Element& element : state.after) Emit(std::move(element));
    for (xmlNode* box : state.text_boxes) Blocks(box);

    // A section break other than "continuous" starts the next page.
    if (const xmlNode* sect = Child(ppr, Ns::kWord, "sectPr")) {
      const xmlNode* type = Child(sect, Ns::kWord, "type");
      const std::string value = type ? AnyAttr(type, "val") : "nextPage";
      if (value != "continuous") BreakPage(false);
    }
  }

  void Emit(Element element) {
    element.page = page_;
    doc_->elements.push_back(std::move(element));
  }

  // Ends the text gathered so far as one element (a paragraph split by a
  // page break yields two, same type).
  void FlushParagraph(ParagraphState* state) {
    std::string text = (state->type == ElementType::kParagraph || state->type == ElementType::kListItem ||
                        state->type == ElementType::kImageCaption)
                           ? ooxml::TidyText(state->text)
                           : CollapseSpaces(state->text);
    state->text.clear();
    ++state->flushes;
    if (IsBlank(text)) return;
    Element element;
    element.type = state->type;
    element.level = state->level;
    element.ordered = state->ordered;
    element.text = std::move(text);
    Emit(std::move(element));
  }

  void Append(ParagraphState* state, std::string_view text) {
    if (!state->fields.empty() && state->fields.back() == 0) return;  // field instruction
    state->text.append(text);
    NoteText(text);
  }

  // Children of a paragraph or of anything inline-level inside one.
  void Inline(const xmlNode* parent, ParagraphState* state) {
    for (xmlNode* node = FirstElement(parent); node; node = NextElement(node)) {
      const Ns ns = NamespaceOf(node);
      const std::string_view name = LocalName(node);
      if (ns == Ns::kWord) {
        if (name == "r") {
          RunContent(node, state);
        } else if (name == "hyperlink") {
          Hyperlink(node, state);
        } else if (name == "del" || name == "moveFrom" || name == "pPr" || name == "rPr" || name == "sdtPr" ||
                   name == "sdtEndPr" || name == "proofErr" || name == "rt") {
          continue;
        } else if (name == "sdt") {
          Inline(Child(node, Ns::kWord, "sdtContent"), state);
        } else {
          // ins, moveTo, smartTag, customXml, fldSimple, dir, bdo, ruby,
          // rubyBase and whatever else wraps runs.
          Inline(node, state);
        }
      } else if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        Inline(ooxml::AlternateContentBranch(node), state);
      } else if (ns == Ns::kMath) {
        if (name == "t") {
          Append(state, ooxml::TextContent(node));
        } else {
          Inline(node, state);
        }
      }
    }
  }

  void Hyperlink(const xmlNode* link, ParagraphState* state) {
    std::string url;
    const std::string rid = ooxml::Attr(link, "id", Ns::kRelationshipsR);
    if (const ooxml::Relationship* rel = rid.empty() ? nullptr : rels_.Find(rid); rel && rel->external) {
      url = rel->target;
    }
    const size_t start = state->text.size();
    const int flushes = state->flushes;
    Inline(link, state);
    // A page break inside the link split the paragraph: leave it as text.
    if (url.empty() || !IsLinkableUrl(url) || state->flushes != flushes) return;
    std::string_view inner = std::string_view(state->text).substr(start);
    if (IsBlank(inner) || inner.find('\n') != std::string_view::npos) return;
    // Keep spaces outside the brackets so "[ text ]" never happens.
    const size_t first = inner.find_first_not_of(" \t");
    const size_t last = inner.find_last_not_of(" \t");
    std::string linked = std::string(inner.substr(0, first)) + "[" +
                         std::string(inner.substr(first, last - first + 1)) + "](" + MarkdownUrl(url) + ")" +
                         std::string(inner.substr(last + 1));
    state->text.resize(start);
    state->text += linked;
  }

  void RunContent(const xmlNode* run, ParagraphState* state) {
    for (xmlNode* node = FirstElement(run); node; node = NextElement(node)) {
      const Ns ns = NamespaceOf(node);
      const std::string_view name = LocalName(node);
      if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        RunContent(ooxml::AlternateContentBranch(node), state);
        continue;
      }
      if (ns != Ns::kWord) continue;
      if (name == "t") {
        Append(state, ooxml::TextContent(node));
      } else if (name == "tab" || name == "ptab") {
        Append(state, "\t");
      } else if (name == "br") {
        const std::string type = AnyAttr(node, "type");
        if (type == "page") {
          PageBreakInParagraph(state, false);
        } else {
          Append(state, "\n");
        }
      } else if (name == "cr") {
        Append(state, "\n");
      } else if (name == "lastRenderedPageBreak") {
        PageBreakInParagraph(state, true);
      } else if (name == "noBreakHyphen") {
        Append(state, "-");
      } else if (name == "sym") {
        // Symbol-font characters live in the private use area F000-F0FF
        // and mean nothing without the font.
        const std::string hex = AnyAttr(node, "char");
        uint32_t cp = 0;
        auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
        if (ec == std::errc() && cp >= 0x20 && !(cp >= 0xE000 && cp <= 0xF8FF) && cp < 0x110000) {
          std::string s;
          AppendUtf8(cp, &s);
          Append(state, s);
        }
      } else if (name == "footnoteReference" || name == "endnoteReference") {
        NoteReference(name == "footnoteReference", AnyAttr(node, "id"), state);
      } else if (name == "fldChar") {
        const std::string type = AnyAttr(node, "fldCharType");
        if (type == "begin") {
          if (state->fields.size() < 64) state->fields.push_back(0);
        } else if (type == "separate") {
          if (!state->fields.empty()) state->fields.back() = 1;
        } else if (type == "end") {
          if (!state->fields.empty()) state->fields.pop_back();
        }
      } else if (name == "drawing" || name == "pict" || name == "object") {
        Drawing(node, state);
      } else if (name == "ruby") {
        Inline(node, state);
      }
      // delText, instrText, delInstrText, rPr, softHyphen, ...: no text.
    }
  }

  void PageBreakInParagraph(ParagraphState* state, bool rendered) {
    if (state->flat) {
      BreakPage(rendered);
      return;
    }
    if (IsBlank(state->text)) {
      BreakPage(rendered);  // the paragraph starts on the new page
    } else if (rendered) {
      ++state->deferred_rendered_breaks;  // the paragraph started on the old page
    } else {
      FlushParagraph(state);
      BreakPage(false);
    }
  }

  void NoteReference(bool footnote, const std::string& id, ParagraphState* state) {
    if (in_notes_) return;
    const auto& notes = footnote ? footnotes_ : endnotes_;
    auto it = notes.find(id);
    if (it == notes.end()) return;
    const std::string key = (footnote ? "f" : "e") + id;
    auto [pos, inserted] = note_numbers_.emplace(key, static_cast<int>(note_order_.size()) + 1);
    if (inserted) note_order_.push_back(it->second);
    Append(state, "[^" + std::to_string(pos->second) + "]");
  }

  // Pictures (alt text), text boxes and charts inside a run.
  void Drawing(const xmlNode* node, ParagraphState* state) {
    std::vector<const xmlNode*> stack{node};
    while (!stack.empty()) {
      const xmlNode* current = stack.back();
      stack.pop_back();
      const Ns ns = NamespaceOf(current);
      const std::string_view name = LocalName(current);
      if (ns == Ns::kWord && name == "txbxContent") {
        if (state->flat) {
          const std::string text = FlatBlocksText(current);
          if (!text.empty()) Append(state, (state->text.empty() ? "" : "\n") + text);
        } else {
          state->text_boxes.push_back(const_cast<xmlNode*>(current));
        }
        continue;  // its paragraphs are read as such, not as drawing parts
      }
      if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        if (const xmlNode* branch = ooxml::AlternateContentBranch(current)) stack.push_back(branch);
        continue;
      }
      if (ns == Ns::kWordDrawing && name == "docPr") {
        std::string alt = CollapseSpaces(AnyAttr(current, "descr"));
        if (alt.empty()) alt = CollapseSpaces(AnyAttr(current, "title"));
        if (!alt.empty()) {
          if (state->flat) {
            Append(state, (state->text.empty() ? "" : " ") + alt);
          } else {
            Element caption;
            caption.type = ElementType::kImageCaption;
            caption.text = std::move(alt);
            state->after.push_back(std::move(caption));
          }
        }
        continue;
      }
      if (ns == Ns::kChart && name == "chart") {
        Chart(current, state);
        continue;
      }
      std::vector<const xmlNode*> children;
      for (xmlNode* child = FirstElement(current); child; child = NextElement(child)) children.push_back(child);
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
  }

  void Chart(const xmlNode* chart_ref, ParagraphState* state) {
    const std::string rid = ooxml::Attr(chart_ref, "id", Ns::kRelationshipsR);
    const ooxml::Relationship* rel = rid.empty() ? nullptr : rels_.Find(rid);
    if (!rel || rel->external || !package_->Has(rel->target)) return;
    auto xml = package_->ReadXml(rel->target);
    if (!xml.ok()) return;  // a broken chart loses the chart only
    ooxml::ChartText chart = ooxml::ReadChart(*xml);
    if (state->flat) {
      if (!chart.title.empty()) Append(state, (state->text.empty() ? "" : " ") + chart.title);
      return;
    }
    if (!chart.title.empty()) {
      Element caption;
      caption.type = ElementType::kImageCaption;
      caption.text = "Chart: " + chart.title;
      state->after.push_back(std::move(caption));
    }
    if (chart.rows.size() > 1) {
      Element table;
      table.type = ElementType::kTable;
      table.rows = std::move(chart.rows);
      state->after.push_back(std::move(table));
    }
  }

  // ---- tables ----

  // Rows (w:tr) of a table, looking through content controls and custom
  // XML wrappers; cells (w:tc) of a row likewise.
  static void Collect(const xmlNode* parent, std::string_view local, std::vector<const xmlNode*>* out) {
    for (xmlNode* node = FirstElement(parent); node; node = NextElement(node)) {
      if (NamespaceOf(node) != Ns::kWord) continue;
      const std::string_view name = LocalName(node);
      if (name == local) {
        out->push_back(node);
      } else if (name == "sdt") {
        Collect(Child(node, Ns::kWord, "sdtContent"), local, out);
      } else if (name == "customXml" || name == "ins" || name == "moveTo") {
        Collect(node, local, out);
      }
    }
  }

  static int GridValue(const xmlNode* props, std::string_view local) {
    const xmlNode* node = Child(props, Ns::kWord, local);
    return node ? std::clamp(ParseInt(AnyAttr(node, "val"), 0), 0, kMaxColumns) : 0;
  }

  std::vector<std::vector<std::string>> TableGrid(const xmlNode* tbl) {
    std::vector<const xmlNode*> rows;
    Collect(tbl, "tr", &rows);
    std::vector<std::vector<std::string>> grid;
    grid.reserve(rows.size());
    for (const xmlNode* tr : rows) {
      const xmlNode* trpr = Child(tr, Ns::kWord, "trPr");
      std::vector<std::string> row(static_cast<size_t>(GridValue(trpr, "gridBefore")));
      std::vector<const xmlNode*> cells;
      Collect(tr, "tc", &cells);
      for (const xmlNode* tc : cells) {
        const xmlNode* tcpr = Child(tc, Ns::kWord, "tcPr");
        const int span = std::clamp(GridValue(tcpr, "gridSpan"), 1, kMaxGridSpan);
        const size_t col = row.size();
        std::string text;
        const xmlNode* vmerge = Child(tcpr, Ns::kWord, "vMerge");
        const bool continues = vmerge && AnyAttr(vmerge, "val") != "restart";
        if (continues && !grid.empty() && col < grid.back().size()) {
          text = grid.back()[col];  // the merged value, repeated
          FlatBlocksText(tc);       // still walked: its page breaks count
        } else {
          text = FlatBlocksText(tc);
        }
        if (row.size() + static_cast<size_t>(span) > kMaxColumns) break;
        row.push_back(std::move(text));
        for (int i = 1; i < span; ++i) row.emplace_back();
      }
      grid.push_back(std::move(row));
    }
    return grid;
  }

  void Table(const xmlNode* tbl) {
    const int start_page = page_;
    table_breaks_.clear();

    // A single cell is a frame around body content.
    std::vector<const xmlNode*> rows;
    Collect(tbl, "tr", &rows);
    if (rows.size() == 1) {
      std::vector<const xmlNode*> cells;
      Collect(rows[0], "tc", &cells);
      if (cells.size() == 1) {
        Blocks(cells[0]);
        return;
      }
    }

    ++table_depth_;
    std::vector<std::vector<std::string>> grid = TableGrid(tbl);
    --table_depth_;

    // Blank rows carry nothing; trailing blank columns neither.
    std::vector<std::vector<std::string>> kept;
    size_t width = 0;
    for (auto& row : grid) {
      bool any = false;
      for (const std::string& cell : row) any = any || !IsBlank(cell);
      if (!any) continue;
      size_t used = row.size();
      while (used > 0 && IsBlank(row[used - 1])) --used;
      width = std::max(width, used);
      kept.push_back(std::move(row));
    }
    if (!kept.empty()) {
      for (auto& row : kept) row.resize(width);
      Element table;
      table.type = ElementType::kTable;
      table.rows = std::move(kept);
      table.has_header = true;
      table.page = start_page;
      doc_->elements.push_back(std::move(table));
    }
    for (Element& page_break : table_breaks_) doc_->elements.push_back(std::move(page_break));
    table_breaks_.clear();
  }

  // Text of block content in flat mode (a cell, a note, a nested table):
  // paragraphs joined by newlines, nested tables as lines of cells.
  std::string FlatBlocksText(const xmlNode* container) {
    std::string out;
    auto add = [&](const std::string& text) {
      if (IsBlank(text)) return;
      if (!out.empty()) out.push_back('\n');
      out += text;
    };
    for (xmlNode* node = FirstElement(container); node; node = NextElement(node)) {
      const Ns ns = NamespaceOf(node);
      const std::string_view name = LocalName(node);
      if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        add(FlatBlocksText(ooxml::AlternateContentBranch(node)));
        continue;
      }
      if (ns != Ns::kWord) continue;
      if (name == "p") {
        ParagraphState state;
        state.flat = true;
        Inline(node, &state);
        add(CollapseSpaces(state.text));
      } else if (name == "tbl") {
        ++table_depth_;
        for (const auto& row : TableGrid(node)) {
          std::string line;
          for (const std::string& cell : row) {
            if (IsBlank(cell)) continue;
            if (!line.empty()) line.push_back(' ');
            line += CollapseSpaces(cell);
          }
          add(line);
        }
        --table_depth_;
      } else if (name == "sdt") {
        add(FlatBlocksText(Child(node, Ns::kWord, "sdtContent")));
      } else if (name == "customXml" || name == "ins" || name == "moveTo") {
        add(FlatBlocksText(node));
      }
    }
    return out;
  }

  // ---- notes ----

  void AppendNotes() {
    in_notes_ = true;
    const int count = static_cast<int>(note_order_.size());
    for (int i = 0; i < count; ++i) {
      const std::string text = CollapseSpaces(FlatBlocksText(note_order_[static_cast<size_t>(i)]));
      Element note;
      note.type = ElementType::kParagraph;
      note.text = "[^" + std::to_string(i + 1) + "]: " + text;
      Emit(std::move(note));
    }
    in_notes_ = false;
  }

  ooxml::Package* package_;
  std::string main_part_;
  ExtractedDocument* doc_;
  ooxml::Relationships rels_;
  Styles styles_;
  Numbering numbering_;
  ooxml::XmlDocPtr footnotes_doc_, endnotes_doc_;
  std::unordered_map<std::string, const xmlNode*> footnotes_, endnotes_;
  std::unordered_map<std::string, int> note_numbers_;
  std::vector<const xmlNode*> note_order_;
  bool in_notes_ = false;

  int page_ = 1;
  bool text_since_break_ = false;
  int table_depth_ = 0;
  std::vector<Element> table_breaks_;
};

class DocxExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "docx"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    auto package = ooxml::Package::Open(input.bytes);
    if (!package.ok()) return package.status();
    auto main_part = (*package)->MainPart("word/document.xml");
    if (!main_part.ok()) return main_part.status();

    ExtractedDocument doc;
    DocxConverter converter(package->get(), *main_part, &doc);
    SMELTER_RETURN_IF_ERROR(converter.Run());
    doc.page_count = std::max(doc.page_count, (*package)->ReadAppCount("Pages"));

    doc.title = (*package)->ReadCoreProperties(&doc);
    if (doc.title.empty()) {
      for (ElementType wanted : {ElementType::kTitle, ElementType::kHeading}) {
        for (const Element& e : doc.elements) {
          if (e.type == wanted && !e.text.empty()) {
            doc.title = e.text;
            break;
          }
        }
        if (!doc.title.empty()) break;
      }
    }
    bool any_text = false;
    for (const Element& e : doc.elements) any_text = any_text || !e.text.empty() || !e.rows.empty();
    if (!any_text) return Status::Empty("no text in the document");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeDocxExtractor() { return std::make_unique<DocxExtractor>(); }

}  // namespace smelter
