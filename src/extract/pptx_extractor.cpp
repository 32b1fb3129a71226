// PPTX (PresentationML, Transitional or Strict) -> elements.
//
// Slides are read in presentation order (p:sldIdLst in presentation.xml,
// resolved through its relationships). Each slide starts with a kPageBreak
// whose page is the slide number, and every element carries that page;
// page_count is the number of slides.
//
// Within a slide, shapes are read in reading order: the title placeholder
// first, then the rest top to bottom in bands (shapes whose tops lie within
// 5% of the slide height of each other form one band), left to right
// within a band. A placeholder without its own position takes the one of
// the matching placeholder on its layout, else on the master; a shape with
// no position at all keeps its place after the shape before it. Groups are
// flattened with their child coordinates mapped to the slide.
//
// The title (type title or ctrTitle) of slide 1 is the kTitle, other slide
// titles kHeading level 2. Text paragraphs with a bullet -- explicit
// (buChar, buAutoNum) or inherited by a body placeholder unless buNone --
// are kListItem with the paragraph's lvl as depth (ordered for buAutoNum);
// others are kParagraph. Date, footer, header and slide-number placeholders
// are kHeaderFooter. Tables (a:tbl) are kTable, with horizontal merges left
// blank and vertical merges repeated; charts become their title and a
// table of their cached data; SmartArt its text; pictures their alt text.
// Speaker notes (the notes slide's body placeholder) follow the slide as
// one kBlockQuote starting "Notes:".
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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

constexpr int kMaxColumns = 512;
constexpr int64_t kDefaultSlideHeight = 6858000;  // EMU, 7.5 in
constexpr size_t kMaxShapes = 20000;              // per slide

int64_t ParseInt64(std::string_view text, int64_t fallback) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return (ec == std::errc() && ptr == text.data() + text.size()) ? value : fallback;
}

using text_util::AsciiLower;
using text_util::IsLinkableUrl;
using text_util::MarkdownUrl;


struct Point {
  int64_t x = 0, y = 0;
};

// Maps a group's child coordinates to slide coordinates.
struct Transform {
  double sx = 1, sy = 1, dx = 0, dy = 0;
  Point Apply(Point p) const {
    return {static_cast<int64_t>(p.x * sx + dx), static_cast<int64_t>(p.y * sy + dy)};
  }
};

// a:xfrm (or p:xfrm) -> its offset, when present.
std::optional<Point> Offset(const xmlNode* xfrm) {
  const xmlNode* off = Child(xfrm, Ns::kDrawing, "off");
  if (!off) return std::nullopt;
  return Point{ParseInt64(AnyAttr(off, "x"), 0), ParseInt64(AnyAttr(off, "y"), 0)};
}

// The p:nvPr of a shape of any kind (sp, graphicFrame, pic, grpSp, cxnSp).
const xmlNode* NonVisualProps(const xmlNode* shape) {
  for (xmlNode* child = FirstElement(shape); child; child = NextElement(child)) {
    const std::string_view name = LocalName(child);
    if (name.starts_with("nv") && name.ends_with("Pr")) return child;
  }
  return nullptr;
}

struct Placeholder {
  bool present = false;
  std::string type;  // "" when the attribute is absent
  std::string idx;
};

Placeholder PlaceholderOf(const xmlNode* shape) {
  Placeholder out;
  const xmlNode* nv = NonVisualProps(shape);
  const xmlNode* ph = Child(Child(nv, Ns::kPresentation, "nvPr"), Ns::kPresentation, "ph");
  if (!ph) return out;
  out.present = true;
  out.type = AnyAttr(ph, "type");
  out.idx = AnyAttr(ph, "idx");
  return out;
}

bool IsTitle(const Placeholder& ph) { return ph.present && (ph.type == "title" || ph.type == "ctrTitle"); }

bool IsHeaderFooter(const Placeholder& ph) {
  return ph.present && (ph.type == "dt" || ph.type == "ftr" || ph.type == "hdr" || ph.type == "sldNum");
}

// Body placeholders bullet their paragraphs unless told otherwise (the
// master's body style). A placeholder without a type is "obj".
bool BulletsByDefault(const Placeholder& ph) {
  return ph.present && (ph.type.empty() || ph.type == "body" || ph.type == "obj");
}

// The own position of a shape, when it has one.
std::optional<Point> OwnOffset(const xmlNode* shape) {
  const std::string_view name = LocalName(shape);
  if (name == "graphicFrame") return Offset(Child(shape, Ns::kPresentation, "xfrm"));
  if (name == "grpSp") return Offset(Child(Child(shape, Ns::kPresentation, "grpSpPr"), Ns::kDrawing, "xfrm"));
  return Offset(Child(Child(shape, Ns::kPresentation, "spPr"), Ns::kDrawing, "xfrm"));
}

// Placeholder positions of a layout or master, to place slide placeholders
// that inherit theirs.
struct PlaceholderPositions {
  struct Entry {
    Placeholder ph;
    Point at;
  };
  std::vector<Entry> entries;
  std::string master;  // the layout's master part, "" for a master

  std::optional<Point> Find(const Placeholder& ph) const {
    if (!ph.idx.empty()) {
      for (const Entry& e : entries) {
        if (e.ph.idx == ph.idx) return e.at;
      }
    }
    const std::string type = ph.type.empty() ? "obj" : ph.type;
    for (const Entry& e : entries) {
      const std::string other = e.ph.type.empty() ? "obj" : e.ph.type;
      if (other == type || (IsTitle(ph) && IsTitle(e.ph)) ||
          ((type == "obj" || type == "body") && (other == "obj" || other == "body"))) {
        return e.at;
      }
    }
    return std::nullopt;
  }
};

// One shape to read, with where it sits on the slide.
struct Shape {
  const xmlNode* node = nullptr;
  Placeholder ph;
  std::optional<Point> at;
  size_t order = 0;
};

struct TextRun {
  std::string text;
  std::string url;  // external link, "" for none
};

class PptxConverter {
 public:
  PptxConverter(ooxml::Package* package, ExtractedDocument* doc) : package_(package), doc_(doc) {}

  Status Run() {
    auto main = package_->MainPart("ppt/presentation.xml");
    if (!main.ok()) return main.status();
    auto rels = package_->ReadRels(*main);
    if (!rels.ok()) return rels.status();
    auto xml = package_->ReadXml(*main);
    if (!xml.ok()) return xml.status();
    const xmlNode* root = ooxml::Root(*xml);
    if (const xmlNode* size = Child(root, Ns::kPresentation, "sldSz")) {
      slide_height_ = std::max<int64_t>(ParseInt64(AnyAttr(size, "cy"), kDefaultSlideHeight), 1);
    }

    std::vector<std::string> slides;
    for (xmlNode* id = FirstElement(Child(root, Ns::kPresentation, "sldIdLst")); id; id = NextElement(id)) {
      if (!ooxml::Is(id, Ns::kPresentation, "sldId")) continue;
      const ooxml::Relationship* rel = rels->Find(ooxml::Attr(id, "id", Ns::kRelationshipsR));
      if (rel && !rel->external) slides.push_back(rel->target);
    }
    if (slides.empty()) {
      // No slide list: the slide relationships, in slide-number order.
      for (const ooxml::Relationship* rel : rels->OfType("slide")) {
        if (!rel->external) slides.push_back(rel->target);
      }
    }

    Status first_error;
    int read = 0;
    for (size_t i = 0; i < slides.size(); ++i) {
      const int number = static_cast<int>(i) + 1;
      Element page_break;
      page_break.type = ElementType::kPageBreak;
      page_break.page = number;
      doc_->elements.push_back(page_break);
      Status status = Slide(slides[i], number);
      if (status.ok()) {
        ++read;
      } else if (status.code() == Status::Code::kCorrupt || status.code() == Status::Code::kNotFound) {
        // One broken slide costs that slide.
        if (first_error.ok()) first_error = status;
      } else {
        return status;
      }
    }
    if (read == 0 && !first_error.ok()) return first_error;
    doc_->page_count = static_cast<int>(slides.size());
    return Status::OK();
  }

 private:
  Status Slide(const std::string& part, int number) {
    auto xml = package_->ReadXml(part);
    if (!xml.ok()) return xml.status();
    auto rels = package_->ReadRels(part);
    if (!rels.ok()) return rels.status();
    rels_ = &*rels;
    page_ = number;

    const PlaceholderPositions* layout = nullptr;
    if (const ooxml::Relationship* rel = rels->FirstOfType("slideLayout"); rel && !rel->external) {
      layout = Positions(rel->target);
    }
    const PlaceholderPositions* master =
        layout && !layout->master.empty() ? Positions(layout->master) : nullptr;

    std::vector<Shape> shapes;
    const xmlNode* tree = Child(Child(ooxml::Root(*xml), Ns::kPresentation, "cSld"), Ns::kPresentation, "spTree");
    CollectShapes(tree, Transform(), &shapes);
    for (Shape& shape : shapes) {
      if (shape.at || !shape.ph.present) continue;
      if (layout) shape.at = layout->Find(shape.ph);
      if (!shape.at && master) shape.at = master->Find(shape.ph);
    }
    Order(&shapes);
    for (const Shape& shape : shapes) ReadShape(shape);

    if (const ooxml::Relationship* rel = rels->FirstOfType("notesSlide"); rel && !rel->external) {
      Notes(rel->target);
    }
    rels_ = nullptr;
    return Status::OK();
  }

  const PlaceholderPositions* Positions(const std::string& part) {
    if (auto it = positions_.find(part); it != positions_.end()) return &it->second;
    PlaceholderPositions positions;
    if (package_->Has(part)) {
      if (auto xml = package_->ReadXml(part); xml.ok()) {
        const xmlNode* tree =
            Child(Child(ooxml::Root(*xml), Ns::kPresentation, "cSld"), Ns::kPresentation, "spTree");
        std::vector<Shape> shapes;
        CollectShapes(tree, Transform(), &shapes);
        for (const Shape& shape : shapes) {
          if (shape.ph.present && shape.at) positions.entries.push_back({shape.ph, *shape.at});
        }
        if (auto rels = package_->ReadRels(part); rels.ok()) {
          if (const ooxml::Relationship* rel = rels->FirstOfType("slideMaster"); rel && !rel->external) {
            positions.master = rel->target;
          }
        }
      }
    }
    return &positions_.emplace(part, std::move(positions)).first->second;
  }

  // Shapes of a shape tree in document order, groups flattened.
  void CollectShapes(const xmlNode* tree, const Transform& transform, std::vector<Shape>* out) {
    for (xmlNode* node = FirstElement(tree); node && out->size() < kMaxShapes; node = NextElement(node)) {
      const Ns ns = NamespaceOf(node);
      const std::string_view name = LocalName(node);
      if (ns == Ns::kMarkupCompat && name == "AlternateContent") {
        CollectShapes(ooxml::AlternateContentBranch(node), transform, out);
        continue;
      }
      if (ns != Ns::kPresentation) continue;
      if (name == "grpSp") {
        // Children are placed in the group's own coordinate space.
        Transform inner = transform;
        const xmlNode* xfrm = Child(Child(node, Ns::kPresentation, "grpSpPr"), Ns::kDrawing, "xfrm");
        const xmlNode* ext = Child(xfrm, Ns::kDrawing, "ext");
        const xmlNode* ch_off = Child(xfrm, Ns::kDrawing, "chOff");
        const xmlNode* ch_ext = Child(xfrm, Ns::kDrawing, "chExt");
        if (auto off = Offset(xfrm); off && ext && ch_off && ch_ext) {
          const double cx = static_cast<double>(ParseInt64(AnyAttr(ext, "cx"), 0));
          const double cy = static_cast<double>(ParseInt64(AnyAttr(ext, "cy"), 0));
          const double ccx = static_cast<double>(ParseInt64(AnyAttr(ch_ext, "cx"), 0));
          const double ccy = static_cast<double>(ParseInt64(AnyAttr(ch_ext, "cy"), 0));
          const double sx = ccx > 0 ? cx / ccx : 1, sy = ccy > 0 ? cy / ccy : 1;
          const double ox = static_cast<double>(ParseInt64(AnyAttr(ch_off, "x"), 0));
          const double oy = static_cast<double>(ParseInt64(AnyAttr(ch_off, "y"), 0));
          Transform local{sx, sy, static_cast<double>(off->x) - ox * sx, static_cast<double>(off->y) - oy * sy};
          inner = {transform.sx * local.sx, transform.sy * local.sy, transform.sx * local.dx + transform.dx,
                   transform.sy * local.dy + transform.dy};
        }
        CollectShapes(node, inner, out);
        continue;
      }
      if (name != "sp" && name != "graphicFrame" && name != "pic") continue;
      Shape shape;
      shape.node = node;
      shape.ph = PlaceholderOf(node);
      if (auto at = OwnOffset(node)) shape.at = transform.Apply(*at);
      shape.order = out->size();
      out->push_back(std::move(shape));
    }
  }

  // Titles first, then bands top to bottom, left to right in a band.
  void Order(std::vector<Shape>* shapes) const {
    // A shape with no position stays right after its predecessor.
    Point last{INT64_MIN / 4, INT64_MIN / 4};
    std::vector<std::pair<Point, size_t>> keys;  // position, original order
    for (const Shape& shape : *shapes) {
      if (shape.at) last = *shape.at;
      keys.push_back({last, shape.order});
    }
    std::vector<size_t> index(shapes->size());
    for (size_t i = 0; i < index.size(); ++i) index[i] = i;
    std::stable_sort(index.begin(), index.end(), [&](size_t a, size_t b) {
      const bool ta = IsTitle((*shapes)[a].ph), tb = IsTitle((*shapes)[b].ph);
      if (ta != tb) return ta;
      return keys[a].first.y < keys[b].first.y;
    });
    const int64_t band = std::max<int64_t>(slide_height_ / 20, 1);
    std::vector<Shape> sorted;
    sorted.reserve(shapes->size());
    size_t i = 0;
    while (i < index.size()) {
      size_t j = i + 1;
      const bool title = IsTitle((*shapes)[index[i]].ph);
      const int64_t top = keys[index[i]].first.y;
      while (j < index.size() && IsTitle((*shapes)[index[j]].ph) == title && keys[index[j]].first.y - top <= band) ++j;
      std::stable_sort(index.begin() + static_cast<std::ptrdiff_t>(i), index.begin() + static_cast<std::ptrdiff_t>(j),
                       [&](size_t a, size_t b) {
                         if (keys[a].first.x != keys[b].first.x) return keys[a].first.x < keys[b].first.x;
                         return keys[a].second < keys[b].second;
                       });
      i = j;
    }
    for (size_t k : index) sorted.push_back((*shapes)[k]);
    shapes->swap(sorted);
  }

  void Emit(Element element) {
    element.page = page_;
    doc_->elements.push_back(std::move(element));
  }

  void ReadShape(const Shape& shape) {
    const xmlNode* node = shape.node;
    const std::string_view name = LocalName(node);
    if (name == "sp") {
      TextBody(Child(node, Ns::kPresentation, "txBody"), shape.ph);
    } else if (name == "graphicFrame") {
      const xmlNode* data = Child(Child(node, Ns::kDrawing, "graphic"), Ns::kDrawing, "graphicData");
      for (xmlNode* child = FirstElement(data); child; child = NextElement(child)) {
        const Ns ns = NamespaceOf(child);
        if (ns == Ns::kDrawing && LocalName(child) == "tbl") {
          Table(child);
        } else if (ns == Ns::kChart && LocalName(child) == "chart") {
          Chart(child);
        } else if (LocalName(child) == "relIds") {
          Diagram(child);
        }
      }
    } else if (name == "pic") {
      const xmlNode* nv = NonVisualProps(node);
      const xmlNode* c_nv = Child(nv, Ns::kPresentation, "cNvPr");
      std::string alt = CollapseSpaces(AnyAttr(c_nv, "descr"));
      if (alt.empty()) alt = CollapseSpaces(AnyAttr(c_nv, "title"));
      if (!alt.empty()) {
        Element caption;
        caption.type = ElementType::kImageCaption;
        caption.text = std::move(alt);
        Emit(std::move(caption));
      }
    }
  }

  // Text of one a:p, links as Markdown.
  std::string ParagraphText(const xmlNode* p) const {
    std::vector<TextRun> runs;
    auto add = [&](std::string text, std::string url) {
      if (!runs.empty() && runs.back().url == url) {
        runs.back().text += text;
      } else {
        runs.push_back({std::move(text), std::move(url)});
      }
    };
    for (xmlNode* node = FirstElement(p); node; node = NextElement(node)) {
      if (NamespaceOf(node) != Ns::kDrawing) continue;
      const std::string_view name = LocalName(node);
      if (name == "r" || name == "fld") {
        std::string url;
        const xmlNode* link = Child(Child(node, Ns::kDrawing, "rPr"), Ns::kDrawing, "hlinkClick");
        if (link && rels_) {
          const ooxml::Relationship* rel = rels_->Find(ooxml::Attr(link, "id", Ns::kRelationshipsR));
          if (rel && rel->external && IsLinkableUrl(rel->target)) url = rel->target;
        }
        add(ooxml::TextContent(Child(node, Ns::kDrawing, "t")), std::move(url));
      } else if (name == "br") {
        add("\n", "");
      }
    }
    std::string out;
    for (const TextRun& run : runs) {
      if (run.url.empty() || IsBlank(run.text) || run.text.find('\n') != std::string::npos) {
        out += run.text;
        continue;
      }
      const size_t first = run.text.find_first_not_of(" \t");
      const size_t last = run.text.find_last_not_of(" \t");
      out += run.text.substr(0, first) + "[" + run.text.substr(first, last - first + 1) + "](" +
             MarkdownUrl(run.url) + ")" + run.text.substr(last + 1);
    }
    return out;
  }

  void TextBody(const xmlNode* body, const Placeholder& ph) {
    if (!body) return;
    std::vector<xmlNode*> paragraphs = ooxml::Children(body, Ns::kDrawing, "p");
    if (IsTitle(ph) || IsHeaderFooter(ph)) {
      std::string text;
      for (xmlNode* p : paragraphs) {
        const std::string line = CollapseSpaces(ParagraphText(p));
        if (line.empty()) continue;
        if (!text.empty()) text.push_back(' ');
        text += line;
      }
      if (text.empty()) return;
      Element element;
      element.text = std::move(text);
      if (IsHeaderFooter(ph)) {
        element.type = ElementType::kHeaderFooter;
      } else if (page_ == 1 && !have_title_) {
        element.type = ElementType::kTitle;
        element.level = 1;
      } else {
        element.type = ElementType::kHeading;
        element.level = 2;
      }
      if (element.type != ElementType::kHeaderFooter && first_title_.empty()) first_title_ = element.text;
      if (element.type == ElementType::kTitle) have_title_ = true;
      Emit(std::move(element));
      return;
    }
    const bool default_bullets = BulletsByDefault(ph);
    for (xmlNode* p : paragraphs) {
      std::string text = ooxml::TidyText(ParagraphText(p));
      if (IsBlank(text)) continue;
      const xmlNode* ppr = Child(p, Ns::kDrawing, "pPr");
      bool bullet = default_bullets;
      bool ordered = false;
      for (xmlNode* prop = FirstElement(ppr); prop; prop = NextElement(prop)) {
        const std::string_view name = LocalName(prop);
        if (name == "buNone") bullet = false;
        if (name == "buChar" || name == "buBlip") bullet = true;
        if (name == "buAutoNum") bullet = ordered = true;
      }
      Element element;
      element.type = bullet ? ElementType::kListItem : ElementType::kParagraph;
      element.ordered = ordered;
      element.level = bullet ? static_cast<int>(std::clamp<int64_t>(ParseInt64(AnyAttr(ppr, "lvl"), 0), 0, 8)) : 0;
      element.text = std::move(text);
      Emit(std::move(element));
    }
  }

  std::string CellText(const xmlNode* tc) const {
    std::string out;
    for (xmlNode* p : ooxml::Children(Child(tc, Ns::kDrawing, "txBody"), Ns::kDrawing, "p")) {
      const std::string line = CollapseSpaces(ParagraphText(p));
      if (line.empty()) continue;
      if (!out.empty()) out.push_back('\n');
      out += line;
    }
    return out;
  }

  void Table(const xmlNode* tbl) {
    std::vector<std::vector<std::string>> grid;
    for (xmlNode* tr = FirstElement(tbl); tr; tr = NextElement(tr)) {
      if (!ooxml::Is(tr, Ns::kDrawing, "tr")) continue;
      std::vector<std::string> row;
      for (xmlNode* tc = FirstElement(tr); tc; tc = NextElement(tc)) {
        if (!ooxml::Is(tc, Ns::kDrawing, "tc")) continue;
        if (row.size() >= kMaxColumns) break;
        const size_t col = row.size();
        if (ooxml::OnOff(tc, "vMerge") && ooxml::HasAnyAttr(tc, "vMerge")) {
          // Covered by the cell above: repeat its value.
          row.push_back(!grid.empty() && col < grid.back().size() ? grid.back()[col] : std::string());
        } else if (ooxml::OnOff(tc, "hMerge") && ooxml::HasAnyAttr(tc, "hMerge")) {
          row.emplace_back();  // covered by the cell to the left
        } else {
          row.push_back(CellText(tc));
        }
        // A gridSpan cell is followed by its hMerge cells: no padding here.
      }
      grid.push_back(std::move(row));
    }
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
    if (kept.empty()) return;
    for (auto& row : kept) row.resize(width);
    Element table;
    table.type = ElementType::kTable;
    table.rows = std::move(kept);
    Emit(std::move(table));
  }

  void Chart(const xmlNode* chart_ref) {
    if (!rels_) return;
    const ooxml::Relationship* rel = rels_->Find(ooxml::Attr(chart_ref, "id", Ns::kRelationshipsR));
    if (!rel || rel->external || !package_->Has(rel->target)) return;
    auto xml = package_->ReadXml(rel->target);
    if (!xml.ok()) return;  // a broken chart loses the chart only
    ooxml::ChartText chart = ooxml::ReadChart(*xml);
    if (!chart.title.empty()) {
      Element caption;
      caption.type = ElementType::kImageCaption;
      caption.text = "Chart: " + chart.title;
      Emit(std::move(caption));
    }
    if (chart.rows.size() > 1) {
      Element table;
      table.type = ElementType::kTable;
      table.rows = std::move(chart.rows);
      Emit(std::move(table));
    }
  }

  // SmartArt: the text of its data model, one paragraph per point.
  void Diagram(const xmlNode* rel_ids) {
    if (!rels_) return;
    const ooxml::Relationship* rel = rels_->Find(ooxml::Attr(rel_ids, "dm", Ns::kRelationshipsR));
    if (!rel || rel->external || !package_->Has(rel->target)) return;
    auto xml = package_->ReadXml(rel->target);
    if (!xml.ok()) return;
    std::vector<const xmlNode*> stack{ooxml::Root(*xml)};
    std::vector<std::string> lines;
    while (!stack.empty()) {
      const xmlNode* node = stack.back();
      stack.pop_back();
      if (ooxml::Is(node, Ns::kDrawing, "p")) {
        std::string line = CollapseSpaces(ParagraphText(node));
        if (!line.empty()) lines.push_back(std::move(line));
        continue;
      }
      std::vector<const xmlNode*> children;
      for (xmlNode* child = FirstElement(node); child; child = NextElement(child)) children.push_back(child);
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
    for (std::string& line : lines) {
      Element element;
      element.type = ElementType::kParagraph;
      element.text = std::move(line);
      Emit(std::move(element));
    }
  }

  void Notes(const std::string& part) {
    if (!package_->Has(part)) return;
    auto xml = package_->ReadXml(part);
    if (!xml.ok()) return;  // notes are extra; a broken notes slide loses them only
    auto rels = package_->ReadRels(part);
    const ooxml::Relationships* slide_rels = rels_;
    if (rels.ok()) rels_ = &*rels;
    std::vector<Shape> shapes;
    const xmlNode* tree = Child(Child(ooxml::Root(*xml), Ns::kPresentation, "cSld"), Ns::kPresentation, "spTree");
    CollectShapes(tree, Transform(), &shapes);
    std::string text;
    for (const Shape& shape : shapes) {
      if (!shape.ph.present || shape.ph.type != "body") continue;
      for (xmlNode* p : ooxml::Children(Child(shape.node, Ns::kPresentation, "txBody"), Ns::kDrawing, "p")) {
        const std::string line = ooxml::TidyText(ParagraphText(p));
        if (IsBlank(line)) continue;
        if (!text.empty()) text.push_back('\n');
        text += line;
      }
    }
    rels_ = slide_rels;
    if (text.empty()) return;
    Element notes;
    notes.type = ElementType::kBlockQuote;
    notes.text = "Notes: " + text;
    Emit(std::move(notes));
  }

 public:
  const std::string& first_title() const { return first_title_; }

 private:
  ooxml::Package* package_;
  ExtractedDocument* doc_;
  int64_t slide_height_ = kDefaultSlideHeight;
  int page_ = 0;
  const ooxml::Relationships* rels_ = nullptr;  // of the part being read
  std::unordered_map<std::string, PlaceholderPositions> positions_;
  bool have_title_ = false;
  std::string first_title_;
};

class PptxExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "pptx"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    auto package = ooxml::Package::Open(input.bytes);
    if (!package.ok()) return package.status();
    ExtractedDocument doc;
    PptxConverter converter(package->get(), &doc);
    SMELTER_RETURN_IF_ERROR(converter.Run());
    doc.title = (*package)->ReadCoreProperties(&doc);
    if (doc.title.empty()) doc.title = converter.first_title();
    bool any_text = false;
    for (const Element& e : doc.elements) {
      any_text = any_text || (e.type != ElementType::kHeaderFooter && !e.text.empty()) || !e.rows.empty();
    }
    if (!any_text) return Status::Empty("no text on any slide");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakePptxExtractor() { return std::make_unique<PptxExtractor>(); }

}  // namespace smelter
