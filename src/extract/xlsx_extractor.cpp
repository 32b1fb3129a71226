// XLSX (SpreadsheetML, Transitional or Strict) -> elements.
//
// Visible worksheets are read in workbook order; sheet N (counting visible
// worksheets) starts with a kPageBreak of page N and a kHeading level 2
// naming it, and page_count is the number of those sheets. Hidden sheets
// and chart sheets are skipped.
//
// A sheet's cells are placed by their A1 references, so gaps in a row and
// between rows keep every value in its column. Then rows and columns with
// nothing in them are dropped, wherever they are. Leading rows holding a
// single value above a wider table are captions ("Revenue by segment"),
// emitted as paragraphs. The first remaining row is the header row; the
// rest are cut into kTables of at most 200 data rows that each repeat the
// header, so every chunk of a long sheet is still a readable table. A sheet
// stops after 100,000 rows (and a workbook after 2,000,000 cells) with a
// paragraph saying so.
//
// Values are shown as a reader would see them, without locale: shared and
// inline strings (rich-text runs joined, phonetic runs dropped); booleans
// as TRUE/FALSE; errors as their code (#DIV/0!); formulas by their cached
// value; numbers with at most 15 significant digits and no trailing zeros;
// percent formats as "12.5%"; and date/time formats (built-in ids 14-22,
// 27-36, 45-47, 50-58, or custom codes with d, m, y, h or s outside quotes
// and brackets) converted from the serial number to ISO 8601 (date,
// time, or date and time; elapsed-time formats like [h]:mm as total
// hours), in the 1900 or 1904 date system as the workbook says. Vertically merged cells repeat their value in each row.
//
// Worksheets and shared strings are streamed (xmlTextReader), never held
// as a tree, so a large sheet costs its cells, not its XML.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
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
using ooxml::FirstElement;
using ooxml::NextElement;
using ooxml::Ns;
using ooxml::XmlReader;
using text_util::IsBlank;

constexpr int kMaxRowsPerSheet = 100000;
constexpr size_t kMaxCellsPerWorkbook = 2000000;
constexpr size_t kRowsPerTable = 200;
constexpr int kMaxColumn = 16384;      // XFD, Excel's last column
constexpr int kMaxMergeRows = 1000;    // a merge over more rows is not repeated
constexpr int kMaxCaptionRows = 5;
constexpr double kMaxSerial = 2958465;  // 9999-12-31

// ---- number formats ----------------------------------------------------------

enum class FormatKind {
  kGeneral,
  kDate,
  kTime,
  kElapsed,  // [h]:mm:ss: hours past 24 are shown, not carried into days
  kDateTime,
  kPercent,
};

// What a format code displays: dates and times when it has date or time
// letters outside quoted text, escapes and [brackets] (except the elapsed
// time brackets [h] [m] [s]); a percentage when it has '%'. Only the first
// section (positive numbers) is looked at.
FormatKind ClassifyCode(std::string_view code) {
  bool date = false, time = false, minutes = false, percent = false, elapsed = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      const size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {
      ++i;  // escaped / spacing / fill character
      continue;
    }
    if (c == '[') {
      const size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      // [h], [mm], [ss]: elapsed time. Other brackets are colours,
      // conditions and locales ([Red], [Magenta], [>100], [$-409]).
      const std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && inside.find_first_not_of(inside[0]) == std::string_view::npos &&
          std::string_view("hHmMsS").find(inside[0]) != std::string_view::npos) {
        time = elapsed = true;
      }
      i = end;
      continue;
    }
    if ((c == 'A' || c == 'a') && (code.substr(i, 5) == "AM/PM" || code.substr(i, 5) == "am/pm")) {
      time = true;
      i += 4;
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c == 'y' || c == 'd') date = true;
    if (c == 'h' || c == 's') time = true;
    if (c == 'm') minutes = true;
    if (c == '%') percent = true;
  }
  if (minutes && !time) date = true;  // m alone means month
  if (date && time) return FormatKind::kDateTime;
  if (date) return FormatKind::kDate;
  if (elapsed) return FormatKind::kElapsed;
  if (time) return FormatKind::kTime;
  if (percent) return FormatKind::kPercent;
  return FormatKind::kGeneral;
}

FormatKind ClassifyBuiltin(int id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58)) {
    return FormatKind::kDate;
  }
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47)) return FormatKind::kTime;
  if (id == 22) return FormatKind::kDateTime;
  if (id == 9 || id == 10) return FormatKind::kPercent;
  return FormatKind::kGeneral;
}

// days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// Days from 1970-01-01 to the serial dates' epochs.
constexpr int64_t kEpoch1899_12_30 = -25569;  // serials after 1900-02-28
constexpr int64_t kEpoch1899_12_31 = -25568;  // serials up to 1900-02-28
constexpr int64_t kEpoch1904_01_01 = -24107;

// A serial date/time as ISO 8601, or "" when out of range.
std::string SerialToIso(double serial, FormatKind kind, bool date1904) {
  if (!(serial >= 0) || serial > kMaxSerial) return "";
  if (kind == FormatKind::kElapsed) {
    const auto total = static_cast<int64_t>(std::llround(serial * 86400.0));
    char out[48];
    std::snprintf(out, sizeof(out), "%02lld:%02d:%02d", static_cast<long long>(total / 3600),
                  static_cast<int>((total / 60) % 60), static_cast<int>(total % 60));
    return out;
  }
  int64_t days = static_cast<int64_t>(std::floor(serial));
  auto seconds = static_cast<int>(std::llround((serial - static_cast<double>(days)) * 86400.0));
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  seconds = std::clamp(seconds, 0, 86399);
  char date[32] = "";
  if (kind != FormatKind::kTime) {
    if (!date1904 && days == 60) {
      std::snprintf(date, sizeof(date), "1900-02-29");  // Lotus' leap-year bug, kept by Excel
    } else {
      if (!date1904 && days == 0) return "";  // "1900-01-00": no date
      const int64_t epoch = date1904 ? kEpoch1904_01_01 : (days < 60 ? kEpoch1899_12_31 : kEpoch1899_12_30);
      int64_t y = 0;
      unsigned m = 0, d = 0;
      CivilFromDays(epoch + days, &y, &m, &d);
      std::snprintf(date, sizeof(date), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    }
  }
  char time[32] = "";
  if (kind != FormatKind::kDate) {
    std::snprintf(time, sizeof(time), "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
  if (kind == FormatKind::kDate) return date;
  if (kind == FormatKind::kTime) return time;
  return std::string(date) + "T" + time;
}

bool ParseDouble(std::string_view text, double* value) {
  text = text_util::Trim(text);
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(*value);
}

int ParseInt(std::string_view text, int fallback) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return (ec == std::errc() && ptr == text.data() + text.size()) ? value : fallback;
}

// "BC12" -> column 54 (0-based), row 11 (0-based); "$A$1" too. False
// when malformed or past column XFD.
bool ParseCellRef(std::string_view ref, int* col, int* row) {
  if (!ref.empty() && ref[0] == '$') ref.remove_prefix(1);
  size_t i = 0;
  int c = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    c = c * 26 + ((ref[i] & ~0x20) - 'A' + 1);
    if (c > kMaxColumn) return false;
    ++i;
  }
  if (i == 0) return false;
  std::string_view digits = ref.substr(i);
  if (!digits.empty() && digits[0] == '$') digits.remove_prefix(1);
  const int r = ParseInt(digits, 0);
  if (r <= 0) return false;
  *col = c - 1;
  *row = r - 1;
  return true;
}

// ---- workbook parts ------------------------------------------------------------

struct Styles {
  std::vector<FormatKind> xf_kinds;  // by cellXfs index
  FormatKind KindOf(int style) const {
    return style >= 0 && static_cast<size_t>(style) < xf_kinds.size() ? xf_kinds[static_cast<size_t>(style)]
                                                                       : FormatKind::kGeneral;
  }
};

Styles LoadStyles(const xmlNode* root) {
  Styles styles;
  std::unordered_map<int, FormatKind> custom;
  for (xmlNode* fmt = FirstElement(Child(root, Ns::kSpreadsheet, "numFmts")); fmt; fmt = NextElement(fmt)) {
    const int id = ParseInt(AnyAttr(fmt, "numFmtId"), -1);
    if (id >= 0) custom[id] = ClassifyCode(AnyAttr(fmt, "formatCode"));
  }
  for (xmlNode* xf = FirstElement(Child(root, Ns::kSpreadsheet, "cellXfs")); xf; xf = NextElement(xf)) {
    if (!ooxml::Is(xf, Ns::kSpreadsheet, "xf")) continue;
    const int id = ParseInt(AnyAttr(xf, "numFmtId"), 0);
    auto it = custom.find(id);
    styles.xf_kinds.push_back(it != custom.end() ? it->second : ClassifyBuiltin(id));
  }
  return styles;
}

// Shared strings, streamed: each <si> is its <t>, or its rich-text runs'
// <t>s joined; <rPh> phonetic guides are not text.
Result<std::vector<std::string>> LoadSharedStrings(std::string_view bytes, std::string_view part) {
  auto reader = XmlReader::Open(bytes, part);
  if (!reader.ok()) return reader.status();
  XmlReader& r = **reader;
  std::vector<std::string> out;
  std::string current;
  bool in_si = false, in_t = false;
  int phonetic_depth = 0;
  while (r.Next()) {
    if (r.node() == XmlReader::Node::kElement) {
      const std::string_view name = r.LocalName();
      if (name == "si") {
        current.clear();
        in_si = true;
        if (r.IsEmptyElement()) {
          out.emplace_back();
          in_si = false;
        }
      } else if (name == "rPh") {
        if (!r.IsEmptyElement()) ++phonetic_depth;
      } else if (name == "t" && in_si && phonetic_depth == 0) {
        in_t = !r.IsEmptyElement();
      }
    } else if (r.node() == XmlReader::Node::kEndElement) {
      const std::string_view name = r.LocalName();
      if (name == "si" && in_si) {
        out.push_back(std::move(current));
        current.clear();
        in_si = false;
      } else if (name == "rPh") {
        if (phonetic_depth > 0) --phonetic_depth;
      } else if (name == "t") {
        in_t = false;
      }
    } else if (r.node() == XmlReader::Node::kText && in_t) {
      current.append(r.Value());
    }
  }
  if (!r.status().ok()) return r.status();
  return out;
}

// ---- one sheet -----------------------------------------------------------------

struct Cell {
  int col = 0;
  std::string value;
};
struct Row {
  int index = 0;
  std::vector<Cell> cells;  // sorted by col
};
struct Merge {
  int col = 0, first_row = 0, last_row = 0;
};

struct SheetData {
  std::vector<Row> rows;  // sorted by index, non-empty
  std::vector<Merge> merges;
  bool truncated = false;
};

class SheetReader {
 public:
  SheetReader(const std::vector<std::string>& shared, const Styles& styles, bool date1904, size_t* cell_budget)
      : shared_(shared), styles_(styles), date1904_(date1904), cell_budget_(cell_budget) {}

  Result<SheetData> Read(std::string_view bytes, std::string_view part) {
    auto reader = XmlReader::Open(bytes, part);
    if (!reader.ok()) return reader.status();
    XmlReader& r = **reader;
    SheetData data;
    int next_row = 0;
    Row row;
    bool in_row = false, in_cell = false;
    // The cell being read.
    int col = 0, next_col = 0, style = 0;
    std::string type, value, inline_text;
    enum { kNone, kValue, kInline } collecting = kNone;
    int phonetic_depth = 0;
    bool in_is = false;

    auto end_row = [&] {
      if (!row.cells.empty()) {
        std::sort(row.cells.begin(), row.cells.end(), [](const Cell& a, const Cell& b) { return a.col < b.col; });
        data.rows.push_back(std::move(row));
      }
      row = Row();
      in_row = false;
    };

    while (r.Next()) {
      const XmlReader::Node node = r.node();
      if (node == XmlReader::Node::kElement) {
        const std::string_view name = r.LocalName();
        if (name == "row") {
          if (static_cast<int>(data.rows.size()) >= kMaxRowsPerSheet || *cell_budget_ == 0) {
            data.truncated = true;
            break;
          }
          int index = ParseInt(r.AnyAttr("r"), 0) - 1;
          if (index < 0) index = next_row;
          next_row = index + 1;
          row = Row();
          row.index = index;
          in_row = !r.IsEmptyElement();
          next_col = 0;
        } else if (name == "c" && in_row) {
          int ref_col = 0, ref_row = 0;
          const std::string ref = r.AnyAttr("r");
          col = (!ref.empty() && ParseCellRef(ref, &ref_col, &ref_row) && ref_col >= 0) ? ref_col : next_col;
          next_col = col + 1;
          style = ParseInt(r.AnyAttr("s"), 0);
          type = r.AnyAttr("t");
          value.clear();
          inline_text.clear();
          in_cell = !r.IsEmptyElement();
        } else if (in_cell && name == "v") {
          collecting = r.IsEmptyElement() ? kNone : kValue;
        } else if (in_cell && name == "is") {
          in_is = !r.IsEmptyElement();
        } else if (in_is && name == "rPh") {
          if (!r.IsEmptyElement()) ++phonetic_depth;
        } else if (in_is && name == "t" && phonetic_depth == 0) {
          collecting = r.IsEmptyElement() ? kNone : kInline;
        } else if (name == "mergeCell") {
          AddMerge(r.AnyAttr("ref"), &data);
        }
      } else if (node == XmlReader::Node::kEndElement) {
        const std::string_view name = r.LocalName();
        if (name == "v" || name == "t") {
          collecting = kNone;
        } else if (name == "rPh") {
          if (phonetic_depth > 0) --phonetic_depth;
        } else if (name == "is") {
          in_is = false;
        } else if (name == "c" && in_cell) {
          in_cell = false;
          AddCell(col, style, type, value, inline_text, &row);
        } else if (name == "row" && in_row) {
          end_row();
        }
      } else if (node == XmlReader::Node::kText) {
        if (collecting == kValue) value.append(r.Value());
        if (collecting == kInline) inline_text.append(r.Value());
      }
    }
    if (!r.status().ok()) return r.status();
    if (in_row) end_row();
    std::sort(data.rows.begin(), data.rows.end(), [](const Row& a, const Row& b) { return a.index < b.index; });
    return data;
  }

 private:
  void AddCell(int col, int style, const std::string& type, const std::string& value, const std::string& inline_text,
               Row* row) {
    if (col >= kMaxColumn || *cell_budget_ == 0) return;
    std::string text;
    if (type == "s") {
      const int index = ParseInt(text_util::Trim(value), -1);
      if (index >= 0 && static_cast<size_t>(index) < shared_.size()) text = shared_[static_cast<size_t>(index)];
    } else if (type == "inlineStr") {
      text = inline_text.empty() ? value : inline_text;
    } else if (type == "str" || type == "e" || type == "d") {
      text = value;
    } else if (type == "b") {
      const std::string_view v = text_util::Trim(value);
      text = v == "1" ? "TRUE" : v == "0" ? "FALSE" : std::string(v);
    } else {
      text = FormatValue(value, styles_.KindOf(style));
    }
    text = ooxml::TidyText(text);
    if (IsBlank(text)) return;
    --*cell_budget_;
    row->cells.push_back({col, std::move(text)});
  }

  std::string FormatValue(const std::string& raw, FormatKind kind) const {
    double number = 0;
    if (!ParseDouble(raw, &number)) return std::string(text_util::Trim(raw));
    switch (kind) {
      case FormatKind::kDate:
      case FormatKind::kTime:
      case FormatKind::kElapsed:
      case FormatKind::kDateTime: {
        std::string iso = SerialToIso(number, kind, date1904_);
        return iso.empty() ? ooxml::FormatNumber(number) : iso;
      }
      case FormatKind::kPercent:
        return ooxml::FormatNumber(number * 100) + "%";
      case FormatKind::kGeneral:
        break;
    }
    return ooxml::FormatNumber(number);
  }

  static void AddMerge(const std::string& ref, SheetData* data) {
    const size_t colon = ref.find(':');
    if (colon == std::string::npos) return;
    int c1 = 0, r1 = 0, c2 = 0, r2 = 0;
    if (!ParseCellRef(std::string_view(ref).substr(0, colon), &c1, &r1) ||
        !ParseCellRef(std::string_view(ref).substr(colon + 1), &c2, &r2)) {
      return;
    }
    if (r1 < 0 || r2 <= r1 || c1 < 0 || r2 - r1 > kMaxMergeRows) return;
    data->merges.push_back({c1, r1, r2});
  }

  const std::vector<std::string>& shared_;
  const Styles& styles_;
  bool date1904_;
  size_t* cell_budget_;
};

// A vertical merge shows its value once, on top; each row it covers gets
// the value, so a row read alone still says what it belongs to.
void ApplyMerges(SheetData* data) {
  for (const Merge& merge : data->merges) {
    auto top = std::lower_bound(data->rows.begin(), data->rows.end(), merge.first_row,
                                [](const Row& row, int index) { return row.index < index; });
    if (top == data->rows.end() || top->index != merge.first_row) continue;
    auto cell = std::find_if(top->cells.begin(), top->cells.end(), [&](const Cell& c) { return c.col == merge.col; });
    if (cell == top->cells.end()) continue;
    const std::string value = cell->value;
    for (int index = merge.first_row + 1; index <= merge.last_row; ++index) {
      auto it = std::lower_bound(data->rows.begin(), data->rows.end(), index,
                                 [](const Row& row, int i) { return row.index < i; });
      if (it == data->rows.end() || it->index != index) continue;  // an empty row stays empty
      auto at = std::lower_bound(it->cells.begin(), it->cells.end(), merge.col,
                                 [](const Cell& c, int col) { return c.col < col; });
      if (at != it->cells.end() && at->col == merge.col) continue;
      it->cells.insert(at, Cell{merge.col, value});
    }
  }
}

// ---- the extractor ------------------------------------------------------------------

struct SheetRef {
  std::string name;
  std::string part;
};

class XlsxExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "xlsx"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    auto package = ooxml::Package::Open(input.bytes);
    if (!package.ok()) return package.status();
    ooxml::Package& pkg = **package;
    auto main = pkg.MainPart("xl/workbook.xml");
    if (!main.ok()) return main.status();
    auto rels = pkg.ReadRels(*main);
    if (!rels.ok()) return rels.status();
    auto workbook = pkg.ReadXml(*main);
    if (!workbook.ok()) return workbook.status();
    const xmlNode* root = ooxml::Root(*workbook);

    bool date1904 = false;
    if (const xmlNode* pr = Child(root, Ns::kSpreadsheet, "workbookPr")) {
      date1904 = ooxml::HasAnyAttr(pr, "date1904") && ooxml::OnOff(pr, "date1904");
    }
    std::vector<SheetRef> sheets;
    int hidden = 0;
    for (xmlNode* sheet = FirstElement(Child(root, Ns::kSpreadsheet, "sheets")); sheet; sheet = NextElement(sheet)) {
      if (!ooxml::Is(sheet, Ns::kSpreadsheet, "sheet")) continue;
      const std::string state = AnyAttr(sheet, "state");
      if (state == "hidden" || state == "veryHidden") {
        ++hidden;
        continue;
      }
      const ooxml::Relationship* rel = rels->Find(ooxml::Attr(sheet, "id", Ns::kRelationshipsR));
      // Chart and dialog sheets hold no cells.
      if (!rel || rel->external || rel->type.find("worksheet") == std::string::npos) continue;
      sheets.push_back({std::string(text_util::Trim(AnyAttr(sheet, "name"))), rel->target});
    }

    std::vector<std::string> shared;
    if (const ooxml::Relationship* rel = rels->FirstOfType("sharedStrings"); rel && !rel->external && pkg.Has(rel->target)) {
      auto bytes = pkg.Read(rel->target);
      if (!bytes.ok()) return bytes.status();
      auto strings = LoadSharedStrings(*bytes, rel->target);
      if (!strings.ok()) return strings.status();
      shared = std::move(*strings);
    }
    Styles styles;
    if (const ooxml::Relationship* rel = rels->FirstOfType("styles"); rel && !rel->external && pkg.Has(rel->target)) {
      auto xml = pkg.ReadXml(rel->target);
      if (xml.ok()) {
        styles = LoadStyles(ooxml::Root(*xml));
      } else if (xml.status().code() != Status::Code::kCorrupt) {
        return xml.status();  // broken styles cost formatting; limits stop us
      }
    }

    ExtractedDocument doc;
    size_t cell_budget = kMaxCellsPerWorkbook;
    SheetReader reader(shared, styles, date1904, &cell_budget);
    for (size_t i = 0; i < sheets.size(); ++i) {
      const int page = static_cast<int>(i) + 1;
      auto emit = [&](Element element) {
        element.page = page;
        doc.elements.push_back(std::move(element));
      };
      Element page_break;
      page_break.type = ElementType::kPageBreak;
      emit(page_break);
      Element heading;
      heading.type = ElementType::kHeading;
      heading.level = 2;
      heading.text = sheets[i].name.empty() ? "Sheet " + std::to_string(page) : sheets[i].name;
      emit(heading);
      if (!pkg.Has(sheets[i].part)) continue;
      auto bytes = pkg.Read(sheets[i].part);
      if (!bytes.ok()) return bytes.status();
      auto data = reader.Read(*bytes, sheets[i].part);
      if (!data.ok()) return data.status();
      ApplyMerges(&*data);
      EmitSheet(std::move(*data), heading.text, emit);
    }
    doc.page_count = static_cast<int>(sheets.size());
    if (hidden > 0) doc.metadata["hidden_sheets"] = std::to_string(hidden);
    doc.title = pkg.ReadCoreProperties(&doc);

    bool any_text = false;
    for (const Element& e : doc.elements) any_text = any_text || !e.rows.empty() || e.type == ElementType::kParagraph;
    if (!any_text) return Status::Empty("no cell holds a value");
    return doc;
  }

 private:
  template <typename Emit>
  static void EmitSheet(SheetData data, const std::string& sheet_name, Emit&& emit) {
    std::vector<Row>& rows = data.rows;
    size_t first = 0;
    // Captions: single values above a wider table.
    auto width_of = [&](size_t from) {
      std::vector<int> cols;
      for (size_t i = from; i < rows.size(); ++i) {
        for (const Cell& c : rows[i].cells) cols.push_back(c.col);
      }
      std::sort(cols.begin(), cols.end());
      return static_cast<size_t>(std::unique(cols.begin(), cols.end()) - cols.begin());
    };
    while (first + 1 < rows.size() && static_cast<int>(first) < kMaxCaptionRows && rows[first].cells.size() == 1 &&
           width_of(first + 1) >= 2) {
      Element caption;
      caption.type = ElementType::kParagraph;
      caption.text = ooxml::TidyText(rows[first].cells[0].value);
      // A caption repeating the sheet's name adds nothing to its heading.
      if (ooxml::CollapseSpaces(caption.text) != sheet_name) emit(std::move(caption));
      ++first;
    }
    if (first < rows.size()) {
      // Dense columns: only those holding a value somewhere.
      std::vector<int> cols;
      for (size_t i = first; i < rows.size(); ++i) {
        for (const Cell& c : rows[i].cells) cols.push_back(c.col);
      }
      std::sort(cols.begin(), cols.end());
      cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
      auto dense = [&](const Row& row) {
        std::vector<std::string> out(cols.size());
        for (const Cell& c : row.cells) {
          const size_t at = static_cast<size_t>(std::lower_bound(cols.begin(), cols.end(), c.col) - cols.begin());
          out[at] = c.value;
        }
        return out;
      };
      const std::vector<std::string> header = dense(rows[first]);
      size_t i = first + 1;
      do {
        Element table;
        table.type = ElementType::kTable;
        table.has_header = true;
        table.rows.push_back(header);
        for (size_t n = 0; n < kRowsPerTable && i < rows.size(); ++n, ++i) table.rows.push_back(dense(rows[i]));
        emit(std::move(table));
      } while (i < rows.size());
    }
    if (data.truncated) {
      Element note;
      note.type = ElementType::kParagraph;
      note.text = "[Sheet truncated: only the first " + std::to_string(rows.size()) + " rows were read.]";
      emit(std::move(note));
    }
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeXlsxExtractor() { return std::make_unique<XlsxExtractor>(); }

}  // namespace smelter
