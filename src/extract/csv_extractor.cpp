// CSV and TSV -> tables.
//
// The bytes are decoded through text_decode (BOM, BOM-less UTF-16, UTF-8,
// else a guessed legacy charset). For CSV the delimiter is sniffed: of
// comma, semicolon, tab and pipe, the one whose quote-aware split of the
// first lines gives the most consistent field count (more than one field)
// wins; ties go to the one giving more fields, then to the order above. TSV
// is always tab-separated.
//
// Records follow RFC 4180: fields may be quoted with '"', a doubled quote
// inside quotes is one quote, and quoted fields may hold delimiters and
// line breaks. Lenient where files are not: a quote in the middle of an
// unquoted field is kept as text, and an unterminated quote runs to the end
// of the input (noted in metadata "csv_note").
//
// Blank records are skipped. Leading records holding a single value above a
// wider table ("Stanley Cups,,") are captions, emitted as paragraphs. The
// next record is the header row. Rows are made as wide as the header:
// shorter ones are padded with empty cells, longer ones have their extra
// non-empty fields appended to the last cell (so no text is lost), and the
// count of such ragged rows is recorded in metadata "csv_note".
//
// Up to ExtractOptions::csv_records_above_rows data rows, the rows are cut
// into kTables of at most 200 data rows, each repeating the header
// (metadata "csv_layout" = "tables"). Above it, each data row is a record
// of its own, one paragraph "Row 7. Name: Ada; City: London" with empty
// cells left out ("csv_layout" = "records"); see EmitRecords for why.
#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::IsBlank;
using text_util::Trim;

constexpr size_t kRowsPerTable = 200;
constexpr size_t kSniffRecords = 30;
constexpr size_t kMaxColumns = 10000;
constexpr size_t kMaxCaptionRows = 5;

using Record = std::vector<std::string>;

// Splits `text` into records. Stops after `max_records` (0: no limit).
// Sets *unterminated when a quoted field runs to the end of the input.
std::vector<Record> ParseRecords(std::string_view text, char delim, size_t max_records, bool* unterminated) {
  std::vector<Record> records;
  Record record;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;  // any character (or quotes) seen in this field
  bool was_quoted = false;     // the field began with a quote
  auto end_field = [&] {
    if (record.size() < kMaxColumns) record.push_back(std::move(field));
    field.clear();
    field_started = false;
    was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(record));
    record.clear();
  };
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if (max_records && records.size() >= max_records) break;
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == delim) {
      end_field();
    } else if (c == '\n') {
      end_record();
    } else if (c == '"' && !field_started) {
      in_quotes = true;
      was_quoted = true;
      field_started = true;
    } else {
      // Spaces before an opening quote (`a, "b"`) are common: let the quote
      // still open a quoted field.
      if (c == '"' && !was_quoted && Trim(field).empty()) {
        field.clear();
        in_quotes = true;
        was_quoted = true;
        continue;
      }
      field += c;
      field_started = true;
    }
  }
  if (in_quotes && unterminated) *unterminated = true;
  if (!(max_records && records.size() >= max_records) && (field_started || !field.empty() || !record.empty())) {
    end_record();
  }
  return records;
}

bool IsBlankRecord(const Record& record) {
  for (const std::string& cell : record) {
    if (!IsBlank(cell)) return false;
  }
  return true;
}

// How well `delim` splits the start of the text: the share of non-blank
// records with the most common field count, and that count.
struct DelimScore {
  double consistency = 0;
  size_t fields = 0;
};

DelimScore ScoreDelimiter(std::string_view text, char delim) {
  const std::vector<Record> records = ParseRecords(text, delim, kSniffRecords, nullptr);
  std::map<size_t, size_t> counts;
  size_t total = 0;
  for (const Record& record : records) {
    if (IsBlankRecord(record)) continue;
    ++counts[record.size()];
    ++total;
  }
  DelimScore score;
  size_t best = 0;
  for (const auto& [fields, n] : counts) {
    if (n > best || (n == best && fields > score.fields)) {
      best = n;
      score.fields = fields;
    }
  }
  if (total == 0 || score.fields < 2) return DelimScore();
  score.consistency = static_cast<double>(best) / static_cast<double>(total);
  return score;
}

char SniffDelimiter(std::string_view text) {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  char best = ',';
  DelimScore best_score;
  for (char delim : kCandidates) {
    const DelimScore score = ScoreDelimiter(text, delim);
    if (score.fields < 2) continue;
    if (score.consistency > best_score.consistency + 1e-9 ||
        (score.consistency > best_score.consistency - 1e-9 && score.fields > best_score.fields)) {
      best = delim;
      best_score = score;
    }
  }
  return best;
}

std::string DelimiterName(char delim) {
  switch (delim) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    default: return std::string(1, delim);
  }
}

size_t NonBlankCells(const Record& record) {
  size_t n = 0;
  for (const std::string& cell : record) {
    if (!IsBlank(cell)) ++n;
  }
  return n;
}

// One paragraph per data row, each value led by its column's name.
//
// Why records, and why this shape: the chunker packs blocks into chunks of
// a few hundred tokens and splits an oversized table between rows without
// repeating its header, so past the first chunk of a long table a row
// reads "| 1 | STL | 13 |" and neither a keyword nor a vector search can
// tell what the numbers are. A row that names its columns is understood
// in any chunk, alone; a paragraph per row is never cut (unless one row
// alone outgrows a chunk), and the chunker still packs several rows into
// one chunk, so a million-row file does not become a million tiny chunks
// (which a heading per row would force: no chunk crosses a heading). The
// row number lets an answer point back at the row. Small tables stay
// tables: they fit a chunk whole, header included, and read best so.
void EmitRecords(const std::vector<std::vector<std::string>>& rows, ExtractedDocument* doc) {
  const std::vector<std::string>& head = rows.front();
  std::vector<std::string> names(head.size());
  for (size_t c = 0; c < head.size(); ++c) {
    names[c] = IsBlank(head[c]) ? "Column " + std::to_string(c + 1) : head[c];
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    std::string text;
    for (size_t c = 0; c < rows[r].size() && c < names.size(); ++c) {
      if (IsBlank(rows[r][c])) continue;
      text += text.empty() ? "" : "; ";
      text += names[c] + ": " + rows[r][c];
    }
    if (text.empty()) continue;
    // One line: a line break inside a quoted cell must not start a
    // Markdown block of its own.
    for (char& ch : text) {
      if (ch == '\n' || ch == '\r') ch = ' ';
    }
    Element e;
    e.type = ElementType::kParagraph;
    e.text = "Row " + std::to_string(r) + ". " + text;
    doc->elements.push_back(std::move(e));
  }
}

// Cell text: trimmed of surrounding spaces; line breaks inside a quoted
// field are kept (the renderer folds them).
std::string CleanCell(std::string_view cell) { return std::string(Trim(cell)); }

class CsvExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "csv"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    Result<DecodedText> decoded = DecodeToUtf8(input.bytes);
    if (!decoded.ok()) return decoded.status();
    std::string_view text = decoded->utf8;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    ExtractedDocument doc;
    doc.source_encoding = decoded->encoding;
    if (IsBlank(text)) return Status::Empty("no text");

    const char delim = input.type.kind == DocKind::kTsv ? '\t' : SniffDelimiter(text);
    doc.metadata["csv_delimiter"] = DelimiterName(delim);

    bool unterminated = false;
    std::vector<Record> records = ParseRecords(text, delim, 0, &unterminated);
    records.erase(std::remove_if(records.begin(), records.end(), IsBlankRecord), records.end());
    if (records.empty()) return Status::Empty("no text");

    size_t width = 0;
    for (const Record& record : records) width = std::max(width, record.size());

    // Captions: leading single-value records above a wider table.
    size_t first = 0;
    while (first < records.size() && first < kMaxCaptionRows && width > 1 && records.size() - first > 1 &&
           NonBlankCells(records[first]) == 1 && NonBlankCells(records[first + 1]) > 1) {
      for (const std::string& cell : records[first]) {
        if (!IsBlank(cell)) {
          Element caption;
          caption.type = ElementType::kParagraph;
          caption.text = CleanCell(cell);
          doc.elements.push_back(std::move(caption));
        }
      }
      ++first;
    }
    const size_t columns = std::max<size_t>(records[first].size(), 1);
    size_t ragged_long = 0, ragged_short = 0;
    std::vector<Record> rows;
    rows.reserve(records.size() - first);
    for (size_t r = first; r < records.size(); ++r) {
      Record row = std::move(records[r]);
      if (row.size() < columns) {
        if (r != first) ++ragged_short;
        row.resize(columns);
      } else if (row.size() > columns) {
        bool extra_text = false;
        for (size_t c = columns; c < row.size(); ++c) {
          if (IsBlank(row[c])) continue;
          extra_text = true;
          std::string& last = row[columns - 1];
          if (!last.empty()) {
            last += delim == '\t' ? std::string(" ") : std::string(1, delim) + " ";
          }
          last += row[c];
        }
        if (extra_text) ++ragged_long;
        row.resize(columns);
      }
      for (std::string& cell : row) cell = CleanCell(cell);
      rows.push_back(std::move(row));
    }

    std::string note;
    if (ragged_long > 0) {
      note = std::to_string(ragged_long) + " row(s) had more than " + std::to_string(columns) +
             " fields; extra fields joined into the last column";
    }
    if (ragged_short > 0) {
      if (!note.empty()) note += "; ";
      note += std::to_string(ragged_short) + " row(s) had fewer than " + std::to_string(columns) +
              " fields; padded with empty cells";
    }
    if (unterminated) {
      if (!note.empty()) note += "; ";
      note += "unterminated quoted field at end of input";
    }
    if (!note.empty()) doc.metadata["csv_note"] = note;
    doc.metadata["rows"] = std::to_string(rows.size() > 0 ? rows.size() - 1 : 0);
    doc.metadata["columns"] = std::to_string(columns);

    const Record& head = rows.front();
    if (rows.size() == 1) {
      Element table;
      table.type = ElementType::kTable;
      table.rows.push_back(head);
      table.has_header = true;
      doc.elements.push_back(std::move(table));
      return doc;
    }
    static const ExtractOptions kDefaults;
    const ExtractOptions& options = input.options ? *input.options : kDefaults;
    if (rows.size() - 1 > options.csv_records_above_rows) {
      doc.metadata["csv_layout"] = "records";
      EmitRecords(rows, &doc);
      return doc;
    }
    doc.metadata["csv_layout"] = "tables";
    for (size_t start = 1; start < rows.size(); start += kRowsPerTable) {
      const size_t end = std::min(rows.size(), start + kRowsPerTable);
      Element table;
      table.type = ElementType::kTable;
      table.has_header = true;
      table.rows.reserve(end - start + 1);
      table.rows.push_back(head);
      for (size_t r = start; r < end; ++r) table.rows.push_back(rows[r]);
      doc.elements.push_back(std::move(table));
    }
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeCsvExtractor() { return std::make_unique<CsvExtractor>(); }

}  // namespace smelter
