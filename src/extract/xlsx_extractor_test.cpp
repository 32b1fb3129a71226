#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/zip_archive.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr char kNs[] =
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

struct Sheet {
  std::string name;
  std::string data;    // inside <sheetData>
  std::string extra;   // after </sheetData> (mergeCells, ...)
  std::string state;   // "", "hidden", "veryHidden"
};

struct Book {
  std::vector<Sheet> sheets;
  std::string shared;    // <si> elements
  std::string num_fmts;  // <numFmt> elements
  std::string xfs = "<xf numFmtId=\"0\"/>";
  std::string workbook_pr;
};

std::string BuildXlsx(const Book& book) {
  std::string rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::string sheets = "<sheets>";
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                      "<Relationship Id=\"rId1\" Type=\"" + std::string(kRel) + "/officeDocument\" "
                      "Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/styles.xml", "<styleSheet " + std::string(kNs) + "><numFmts>" + book.num_fmts + "</numFmts><cellXfs>" +
                            book.xfs + "</cellXfs></styleSheet>"},
      {"xl/sharedStrings.xml", "<sst " + std::string(kNs) + ">" + book.shared + "</sst>"},
  };
  rels += "<Relationship Id=\"rIdS\" Type=\"" + std::string(kRel) + "/styles\" Target=\"styles.xml\"/>";
  rels += "<Relationship Id=\"rIdT\" Type=\"" + std::string(kRel) + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    const Sheet& sheet = book.sheets[i];
    const std::string n = std::to_string(i + 1);
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + std::string(kRel) + "/worksheet\" Target=\"worksheets/sheet" +
            n + ".xml\"/>";
    sheets += "<sheet name=\"" + sheet.name + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"" +
              (sheet.state.empty() ? "" : " state=\"" + sheet.state + "\"") + "/>";
    entries.emplace_back("xl/worksheets/sheet" + n + ".xml", "<worksheet " + std::string(kNs) + "><sheetData>" +
                                                                 sheet.data + "</sheetData>" + sheet.extra +
                                                                 "</worksheet>");
  }
  entries.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  entries.emplace_back("xl/workbook.xml", "<workbook " + std::string(kNs) + ">" + book.workbook_pr + sheets +
                                              "</sheets></workbook>");
  auto zip = CreateZipArchive(entries);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  return zip.ok() ? *zip : "";
}

ExtractedDocument ExtractXlsx(const Book& book) {
  DetectedType detected;
  auto r = ExtractDocument(BuildXlsx(book), "book.xlsx", ExtractOptions{}, &detected);
  EXPECT_EQ(detected.kind, DocKind::kXlsx);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExtractedDocument{};
}

// <c r="ref" [s] [t]><v>value</v></c>
std::string C(const std::string& ref, const std::string& value, int style = 0, const std::string& type = "") {
  return "<c r=\"" + ref + "\"" + (style ? " s=\"" + std::to_string(style) + "\"" : "") +
         (type.empty() ? "" : " t=\"" + type + "\"") + "><v>" + value + "</v></c>";
}

std::string Row(int r, const std::string& cells) { return "<row r=\"" + std::to_string(r) + "\">" + cells + "</row>"; }

// All table rows of a page, the header of each table included.
std::vector<std::vector<std::string>> TableRows(const ExtractedDocument& doc, int page) {
  std::vector<std::vector<std::string>> out;
  for (const Element& e : doc.elements) {
    if (e.type == ElementType::kTable && e.page == page) out.insert(out.end(), e.rows.begin(), e.rows.end());
  }
  return out;
}

// The value in column `col` of the data row whose first cell is `key`.
std::string Lookup(const ExtractedDocument& doc, const std::string& key, size_t col, int page = 0) {
  for (const Element& e : doc.elements) {
    if (e.type != ElementType::kTable || (page && e.page != page)) continue;
    for (const auto& row : e.rows) {
      if (!row.empty() && row[0] == key && col < row.size()) return row[col];
    }
  }
  return "<missing>";
}

// ---- synthetic workbooks ------------------------------------------------------

TEST(XlsxExtractorTest, CellTypesNumbersDatesAndPercents) {
  Book book;
  book.shared =
      "<si><t>Kind</t></si>"
      "<si><r><t xml:space=\"preserve\">rich </t></r><r><rPr><b/></rPr><t>shared</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
      "<si><t>  padded  </t></si>";
  book.num_fmts =
      "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"#,##0.00\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"[$-409]mmmm d, yyyy;@\"/>"
      "<numFmt numFmtId=\"167\" formatCode=\"0.0%\"/>"
      "<numFmt numFmtId=\"168\" formatCode=\"&quot;Day&quot; 0\"/>"
      "<numFmt numFmtId=\"169\" formatCode=\"[h]:mm:ss\"/>"
      "<numFmt numFmtId=\"170\" formatCode=\"mm:ss\"/>"
      "<numFmt numFmtId=\"171\" formatCode=\"[Magenta]0.00\"/>";
  // Styles 0..10.
  book.xfs = "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"21\"/>"
             "<xf numFmtId=\"10\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
             "<xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/>";
  std::string data = Row(1, C("A1", "0", 0, "s") + "<c r=\"B1\" t=\"inlineStr\"><is><t>Value</t></is></c>");
  int r = 2;
  auto add = [&](const std::string& key, const std::string& cell) {
    data += Row(r, "<c r=\"A" + std::to_string(r) + "\" t=\"inlineStr\"><is><t>" + key + "</t></is></c>" + cell);
    ++r;
  };
  const auto B = [&](const std::string& v, int s = 0, const std::string& t = "") {
    return C("B" + std::to_string(r), v, s, t);
  };
  add("date", B("45000", 1));
  add("datetime", B("45000.5", 2));
  add("time", B("0.75", 3));
  add("percent", B("0.125", 4));
  add("percent custom", B("0.5", 7));
  add("one", B("1.0"));
  add("float noise", B("0.30000000000000004"));
  add("thousands format", B("1234.5", 5));
  add("negative", B("-81"));
  add("exponent", B("1E-3"));
  add("big", B("123456789012345678"));
  add("long date", B("45000", 6));
  add("quoted d is text", B("5", 8));
  add("elapsed", B("1.5", 9));
  add("minutes", B("0.0006944444444444445", 10));
  add("colour", B("2.50", 11));
  add("boolean", B("1", 0, "b"));
  add("error", B("#DIV/0!", 0, "e"));
  add("formula string", "<c r=\"B" + std::to_string(r) + "\" t=\"str\"><f>A1&amp;\"x\"</f><v>cached</v></c>");
  add("formula number", "<c r=\"B" + std::to_string(r) + "\"><f>SUM(1,2)</f><v>3</v></c>");
  add("rich inline",
      "<c r=\"B" + std::to_string(r) + "\" t=\"inlineStr\"><is><r><t xml:space=\"preserve\">rich </t></r><r><t>inline</t>"
      "</r><rPh><t>PH</t></rPh></is></c>");
  add("rich shared", B("1", 0, "s"));
  add("padded", B("2", 0, "s"));
  add("lotus bug", B("60", 1));
  add("day before", B("59", 1));
  add("first day", B("1", 1));
  add("day after", B("61", 1));
  add("not a number", B("n/a", 1));
  add("bad index", B("99", 0, "s"));
  add("iso cell", B("2024-02-29T10:00:00", 0, "d"));
  book.sheets.push_back({"Types", data, "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"date", "2023-03-15"},
      {"datetime", "2023-03-15T12:00:00"},
      {"time", "18:00:00"},
      {"percent", "12.5%"},
      {"percent custom", "50%"},
      {"one", "1"},
      {"float noise", "0.3"},
      {"thousands format", "1234.5"},
      {"negative", "-81"},
      {"exponent", "0.001"},
      {"big", "1.23456789012346e+17"},
      {"long date", "2023-03-15"},
      {"quoted d is text", "5"},
      {"elapsed", "36:00:00"},
      {"minutes", "00:01:00"},
      {"colour", "2.5"},
      {"boolean", "TRUE"},
      {"error", "#DIV/0!"},
      {"formula string", "cached"},
      {"formula number", "3"},
      {"rich inline", "rich inline"},
      {"rich shared", "rich shared"},
      {"padded", "padded"},
      {"lotus bug", "1900-02-29"},
      {"day before", "1900-02-28"},
      {"first day", "1900-01-01"},
      {"day after", "1900-03-01"},
      {"not a number", "n/a"},
      {"bad index", ""},
      {"iso cell", "2024-02-29T10:00:00"},
  };
  for (const auto& [key, value] : want) EXPECT_EQ(Lookup(doc, key, 1), value) << key;
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Kind", "Value"}));
  EXPECT_EQ(AllText(doc).find("PHONETIC"), std::string::npos);
}

TEST(XlsxExtractorTest, Date1904System) {
  Book book;
  book.workbook_pr = "<workbookPr date1904=\"1\"/>";
  book.xfs = "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>";
  book.sheets.push_back({"Dates", Row(1, C("A1", "0", 0, "s") + C("B1", "0", 0, "s")) +
                                      Row(2, C("A2", "0", 1) + C("B2", "43538", 1)), "", ""});
  book.shared = "<si><t>When</t></si>";
  const ExtractedDocument doc = ExtractXlsx(book);
  const auto rows = TableRows(doc, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1904-01-01", "2023-03-15"}));
}

TEST(XlsxExtractorTest, CellsPlacedByReferenceGapsFilledEmptiesDropped) {
  Book book;
  book.sheets.push_back(
      {"Grid",
       Row(1, C("A1", "10") + C("B1", "11") + C("C1", "12") + C("F1", "15")) +  // D, E: empty everywhere
           Row(3, C("C3", "32") + C("A3", "30")) +                             // out of order, B3 missing
           "<row r=\"4\"><c r=\"A4\"><v></v></c><c r=\"B4\" t=\"inlineStr\"><is><t> </t></is></c></row>" +  // blank
           "<row><c><v>50</v></c><c><v>51</v></c><c r=\"F5\"><v>55</v></c></row>" +  // no references
           Row(7, C("XFD7", "far")),                                              // the last column
       "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  const auto rows = TableRows(doc, 1);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"10", "11", "12", "15", ""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"30", "", "32", "", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"50", "51", "", "55", ""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"", "", "", "", "far"}));
}

TEST(XlsxExtractorTest, CaptionsAndVerticalMerges) {
  Book book;
  book.shared = "<si><t>Quarterly report</t></si><si><t>In millions</t></si><si><t>Region</t></si>"
                "<si><t>Value</t></si><si><t>North</t></si><si><t>Merged</t></si>";
  book.sheets.push_back(
      {"Report",
       Row(1, C("A1", "0", 0, "s")) + Row(2, C("B2", "1", 0, "s")) +
           Row(4, C("A4", "2", 0, "s") + C("B4", "3", 0, "s")) + Row(5, C("A5", "4", 0, "s") + C("B5", "1")) +
           Row(6, C("B6", "2")) + Row(7, C("B7", "3")),
       "<mergeCells count=\"2\"><mergeCell ref=\"A1:D1\"/><mergeCell ref=\"A5:A7\"/></mergeCells>", ""});
  book.sheets.push_back({"Merged", Row(1, C("A1", "5", 0, "s")) + Row(2, C("A2", "1") + C("B2", "2")), "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 2u);  // the caption "Merged" repeats its sheet's name: left out
  EXPECT_EQ(paragraphs[0]->text, "Quarterly report");
  EXPECT_EQ(paragraphs[1]->text, "In millions");
  const auto rows = TableRows(doc, 1);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Region", "Value"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"North", "1"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"North", "2"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"North", "3"}));
  EXPECT_EQ(TableRows(doc, 2), (std::vector<std::vector<std::string>>{{"1", "2"}}));
}

TEST(XlsxExtractorTest, LongSheetsSplitIntoTablesThatRepeatTheHeader) {
  Book book;
  std::string data = Row(1, "<c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
                            "<c r=\"B1\" t=\"inlineStr\"><is><t>square</t></is></c>");
  for (int i = 1; i <= 450; ++i) data += Row(i + 1, C("A" + std::to_string(i + 1), std::to_string(i)) +
                                                       C("B" + std::to_string(i + 1), std::to_string(i * i)));
  book.sheets.push_back({"Squares", data, "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0]->rows.size(), 201u);
  EXPECT_EQ(tables[1]->rows.size(), 201u);
  EXPECT_EQ(tables[2]->rows.size(), 51u);
  for (const Element* t : tables) {
    EXPECT_EQ(t->rows[0], (std::vector<std::string>{"id", "square"}));
    EXPECT_TRUE(t->has_header);
    EXPECT_EQ(t->page, 1);
  }
  EXPECT_EQ(tables[1]->rows[1], (std::vector<std::string>{"201", "40401"}));
  EXPECT_EQ(tables[2]->rows.back(), (std::vector<std::string>{"450", "202500"}));
}

TEST(XlsxExtractorTest, RowCapAddsANote) {
  Book book;
  std::string data;
  data.reserve(4u << 20);
  for (int i = 1; i <= 100050; ++i) data += "<row r=\"" + std::to_string(i) + "\"><c><v>" + std::to_string(i) + "</v></c></row>";
  book.sheets.push_back({"Big", data, "", ""});
  book.sheets.push_back({"After", Row(1, C("A1", "7")), "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  const auto rows = TableRows(doc, 1);
  // 100,000 rows read: a header and 99,999 data rows in 500 tables, each
  // repeating the header.
  size_t tables = 0;
  for (const Element* t : ElementsOfType(doc, ElementType::kTable)) tables += t->page == 1;
  EXPECT_EQ(tables, 500u);
  EXPECT_EQ(rows.size(), 500u + 99999u);
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 1u);
  EXPECT_NE(paragraphs[0]->text.find("truncated"), std::string::npos);
  EXPECT_EQ(paragraphs[0]->page, 1);
  EXPECT_EQ(TableRows(doc, 2), (std::vector<std::vector<std::string>>{{"7"}}));  // the next sheet is read
}

TEST(XlsxExtractorTest, HiddenSheetsAreSkipped) {
  Book book;
  book.sheets.push_back({"Visible one", Row(1, C("A1", "1")), "", ""});
  book.sheets.push_back({"Lookup", Row(1, C("A1", "2")), "", "hidden"});
  book.sheets.push_back({"Visible two", Row(1, C("A1", "3")), "", ""});
  const ExtractedDocument doc = ExtractXlsx(book);
  EXPECT_EQ(doc.page_count, 2);
  EXPECT_EQ(doc.metadata.at("hidden_sheets"), "1");
  const auto headings = ElementsOfType(doc, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "Visible one");
  EXPECT_EQ(headings[1]->text, "Visible two");
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[1]->page, 2);
  EXPECT_EQ(TableRows(doc, 2), (std::vector<std::vector<std::string>>{{"3"}}));
}

TEST(XlsxExtractorTest, ErrorsAreStatusesNotCrashes) {
  Book empty;
  empty.sheets.push_back({"Nothing", "", "", ""});
  auto r = ExtractString(BuildXlsx(empty), "empty.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);

  Book broken;
  broken.sheets.push_back({"Broken", "<row r=\"1\"><c r=\"A1\"><v>1</v></row>", "", ""});
  r = ExtractString(BuildXlsx(broken), "broken.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r.status().message().find("xl/worksheets/sheet1.xml"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos);

  auto zip = CreateZipArchive(
      {{"[Content_Types].xml", "<Types/>"},
       {"xl/workbook.xml", "<!DOCTYPE w [<!ENTITY e SYSTEM \"http://example.com/\">]><workbook " + std::string(kNs) +
                               "><sheets/></workbook>"}});
  ASSERT_TRUE(zip.ok());
  r = ExtractString(*zip, "xxe.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "XML entity declarations refused");
}

// ---- corpus -----------------------------------------------------------------------

TEST(XlsxExtractorCorpusTest, StanleyCups) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("stanley-cups.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 2);
  const auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "Stanley Cups");
  EXPECT_EQ(headings[1]->text, "Stanley Cups Since 67");
  EXPECT_EQ(headings[1]->page, 2);
  // Row 1 is a merged title cell; the header is the row below it.
  const auto rows = TableRows(*r, 1);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Team", "Location", "Stanley Cups"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"Maple Leafs", "TOR", "13"}));
  EXPECT_EQ(Lookup(*r, "Blues", 2, 1), "1");  // stored as 1.0
  EXPECT_EQ(Lookup(*r, "Maple Leafs", 2, 2), "0");
  // The same table as the CSV of the same name.
  EXPECT_NE(RenderMarkdown(*r).text.find("| Team | Location | Stanley Cups |\n| --- | --- | --- |\n| Blues | STL | 1 |"),
            std::string::npos);
}

TEST(XlsxExtractorCorpusTest, HalfYearSegmentNumbers) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("2023-half-year-analyses-by-segment.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 5);
  EXPECT_EQ(r->metadata.at("author"), "ibays");
  EXPECT_EQ(ElementsOfType(*r, ElementType::kHeading)[4]->text, "Reconciliation 30 06 2023");
  // Sheet 1: first table is 2023 (the 2022 block follows in the same sheet).
  EXPECT_EQ(Lookup(*r, "Zone NA", 1, 1), "12553");
  EXPECT_EQ(Lookup(*r, "Zone NA", 7, 1), "-337");
  EXPECT_EQ(Lookup(*r, "Total", 1, 1), "46293");  // a formula's cached value
  EXPECT_EQ(Lookup(*r, "Total", 7, 1), "-1722");
  EXPECT_EQ(Lookup(*r, "Unallocated items (e)", 2, 1), "-1164");
  // Sheet 5.
  EXPECT_EQ(Lookup(*r, "Operating profit", 1, 5), "7262");
  EXPECT_EQ(Lookup(*r, "Operating profit", 2, 5), "6619");
  // Captions above the tables are paragraphs on their sheet's page.
  bool caption = false;
  for (const Element* p : ElementsOfType(*r, ElementType::kParagraph)) {
    caption |= p->text == "3.1 Operating segments" && p->page == 1;
  }
  EXPECT_TRUE(caption);
}

TEST(XlsxExtractorCorpusTest, Vodafone) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("vodafone.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 1);
  const auto rows = TableRows(*r, 1);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Topic", "Period", "", "Page"}));
  EXPECT_EQ(Lookup(*r, "Mobile churn", 1), "Nine quarters to 30 June 2023");
  EXPECT_EQ(Lookup(*r, "Mobile churn", 3), "11");
  EXPECT_EQ(Lookup(*r, "Segmental results", 2), "FY 23");
}

TEST(XlsxExtractorCorpusTest, ManySheetsOneHidden) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("CVLKRA-KYC_Download_File_Structure_V3.1.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 29);
  EXPECT_EQ(r->metadata.at("hidden_sheets"), "1");
  EXPECT_EQ(Lookup(*r, "6", 9, 2), "APP_PAN_NO");
  EXPECT_EQ(Lookup(*r, "1", 1, 1), "POS CODE");
  int last_page = 0;
  for (const Element& e : r->elements) {
    EXPECT_GE(e.page, last_page);
    last_page = e.page;
  }
  EXPECT_EQ(last_page, 29);
}

TEST(XlsxExtractorCorpusTest, PasswordProtectedIsEncrypted) {
  SMELTER_REQUIRE_CORPUS();
  // The registry sees the encrypted container before any extractor runs...
  DetectedType detected;
  auto r = ExtractCorpusFile("password_protected.xlsx", &detected);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted);
  EXPECT_EQ(detected.kind, DocKind::kXlsx);
  // ...and the extractor says the same when called directly.
  const std::string bytes = testing::ReadCorpusFile("password_protected.xlsx");
  ExtractInput input;
  input.bytes = bytes;
  input.filename = "password_protected.xlsx";
  input.type = detected;
  auto direct = FindExtractor(DocKind::kXlsx)->Extract(input);
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.status().code(), Status::Code::kEncrypted);
}

}  // namespace
}  // namespace smelter
