#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

using Rows = std::vector<std::vector<std::string>>;

// All table rows of a document, the header of each table once.
Rows TableRows(const ExtractedDocument& doc) {
  Rows rows;
  for (const Element* table : ElementsOfType(doc, ElementType::kTable)) {
    for (size_t i = 0; i < table->rows.size(); ++i) {
      if (i == 0 && !rows.empty()) continue;  // repeated header
      rows.push_back(table->rows[i]);
    }
  }
  return rows;
}

// ---- CSV ------------------------------------------------------------------------

TEST(CsvExtractorTest, StanleyCupsCaptionHeaderAndCells) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("stanley-cups.csv", &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kCsv);
  ASSERT_GE(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].type, ElementType::kParagraph);
  EXPECT_EQ(r->elements[0].text, "Stanley Cups");
  const Rows rows = TableRows(*r);
  const Rows expected = {{"Team", "Location", "Stanley Cups"},
                         {"Blues", "STL", "1"},
                         {"Flyers", "PHI", "2"},
                         {"Maple Leafs", "TOR", "13"}};
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(r->metadata.at("csv_delimiter"), "comma");
}

TEST(CsvExtractorTest, Utf16GivesTheSameCells) {
  SMELTER_REQUIRE_CORPUS();
  auto utf8 = ExtractCorpusFile("stanley-cups.csv");
  auto utf16 = ExtractCorpusFile("stanley-cups-utf-16.csv");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  ASSERT_TRUE(utf16.ok()) << utf16.status().ToString();
  EXPECT_EQ(utf16->source_encoding.substr(0, 6), "UTF-16");
  EXPECT_EQ(TableRows(*utf8), TableRows(*utf16));
  EXPECT_EQ(AllText(*utf8), AllText(*utf16));
}

TEST(CsvExtractorTest, SemicolonDelimiterSniffed) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("semicolon-delimited.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("csv_delimiter"), "semicolon");
  const Rows rows = TableRows(*r);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Lorem, ipsum", "dolor sit", "amet"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"sed, do", "eiusmod", "tempor incididunt"}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"Ut enim", "ad minim", "veniam, quis"}));
}

TEST(CsvExtractorTest, CommaHeaderRowAndQuotedComma) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("csv-comma.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Element& t = *tables[0];
  EXPECT_TRUE(t.has_header);
  ASSERT_GE(t.rows.size(), 3u);
  ASSERT_EQ(t.rows[0].size(), 12u);
  EXPECT_EQ(t.rows[0][0], "Index");
  EXPECT_EQ(t.rows[0][2], "First Name");
  EXPECT_EQ(t.rows[0][11], "Website");
  EXPECT_EQ(t.rows[1][2], "Sheryl");
  EXPECT_EQ(t.rows[2][3], "Lozano, Dr");  // quoted field with a comma
  for (const auto& row : t.rows) EXPECT_EQ(row.size(), 12u);
}

TEST(CsvExtractorTest, RaggedRowsDoNotFail) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("csv-too-many-columns.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Rows rows = TableRows(*r);
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(rows[2][3], "d, e");  // the extra field is kept, not lost
  ASSERT_TRUE(r->metadata.count("csv_note"));
  EXPECT_NE(r->metadata.at("csv_note").find("1 row(s) had more than 4 fields"), std::string::npos);
}

TEST(CsvExtractorTest, Rfc4180QuotesAndEmbeddedNewlines) {
  auto r = ExtractString("name,quote\r\n\"Smith, J\",\"He said \"\"hi\"\"\nthen left\"\r\nLee,plain\r\n", "q.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Rows rows = TableRows(*r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "Smith, J");
  EXPECT_EQ(rows[1][1], "He said \"hi\"\nthen left");
  EXPECT_EQ(rows[2][1], "plain");
}

TEST(CsvExtractorTest, PipeAndTabDelimiters) {
  auto pipe = ExtractString("a|b|c\n1|2|3\n4|5|6\n", "p.csv");
  ASSERT_TRUE(pipe.ok()) << pipe.status().ToString();
  EXPECT_EQ(pipe->metadata.at("csv_delimiter"), "pipe");
  EXPECT_EQ(TableRows(*pipe)[2], (std::vector<std::string>{"4", "5", "6"}));
  auto tsv = ExtractString("a\tb, c\n1\t2, 3\n", "t.tsv");
  ASSERT_TRUE(tsv.ok()) << tsv.status().ToString();
  EXPECT_EQ(TableRows(*tsv)[1], (std::vector<std::string>{"1", "2, 3"}));
}

TEST(CsvExtractorTest, LongFilesSplitIntoTablesRepeatingTheHeader) {
  std::string csv = "id,value\n";
  for (int i = 0; i < 450; ++i) csv += std::to_string(i) + ",v" + std::to_string(i) + "\n";
  auto r = ExtractString(csv, "long.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0]->rows.size(), 201u);
  EXPECT_EQ(tables[2]->rows.size(), 51u);
  for (const Element* t : tables) EXPECT_EQ(t->rows[0], (std::vector<std::string>{"id", "value"}));
  EXPECT_EQ(tables[2]->rows.back()[1], "v449");
}

// ---- JSON ----------------------------------------------------------------------

TEST(JsonExtractorTest, SimpleJsonElementsAreTyped) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("simple.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("json_shape"), "elements");
  ASSERT_FALSE(r->elements.empty());
  EXPECT_EQ(r->elements[0].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[0].text, "These are a few of my favorite things:");
  auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items[0]->text, "Parrots");
  EXPECT_EQ(items[1]->text, "Hockey");
  bool found = false;
  for (const Element* p : ElementsOfType(*r, ElementType::kParagraph)) {
    if (p->text == "This is my first thought. This is my second thought.") found = true;
  }
  EXPECT_TRUE(found) << AllText(*r);
  // Metadata of the elements is not text.
  EXPECT_EQ(AllText(*r).find("simple.docx"), std::string::npos);
}

TEST(JsonExtractorTest, SpringWeatherTitlesAndNarrative) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("spring-weather.html.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "News Around NOAA");
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_GE(headings.size(), 2u);
  EXPECT_EQ(headings[1]->text, "National Program");
  EXPECT_FALSE(ElementsOfType(*r, ElementType::kParagraph).empty());
  EXPECT_EQ(AllText(*r).find("abfs://"), std::string::npos);
}

TEST(JsonExtractorTest, DotsSimpleCategoryElementsRecoveredFromMissingBracket) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("dots_simple.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("json_shape"), "elements");
  EXPECT_TRUE(r->metadata.count("json_note"));  // the file lacks its closing ]
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_FALSE(headings.empty());
  EXPECT_EQ(headings[0]->level, 1);  // from the "# " prefix
  EXPECT_EQ(headings[0]->text, "DocLayNet: A Large Human-Annotated Dataset for Document-Layout Analysis");
  EXPECT_NE(AllText(*r).find("Birgit Pfitzmann"), std::string::npos);
}

TEST(JsonExtractorTest, RecordsFlattenedWithDottedKeys) {
  auto r = ExtractString(
      R"({"name": "John Doe", "age": 30, "address": {"city": "New York", "zip": "10001"},
          "hobbies": ["reading", "running"],
          "bio": "John has been writing software for many years and enjoys long walks in the park."})",
      "person.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("name: John Doe\n"), std::string::npos) << text;
  EXPECT_NE(text.find("age: 30\n"), std::string::npos);
  EXPECT_NE(text.find("address.city: New York\n"), std::string::npos);
  EXPECT_NE(text.find("hobbies: reading, running\n"), std::string::npos);
  bool prose = false;
  for (const Element* p : ElementsOfType(*r, ElementType::kParagraph)) {
    if (p->text.find("**bio:** John has been") == 0) prose = true;
  }
  EXPECT_TRUE(prose) << text;
}

TEST(JsonExtractorTest, JsonlLinesAreRecords) {
  auto r = ExtractString("{\"id\": 1, \"t\": \"a\"}\n{\"id\": 2, \"t\": \"b\"}\nnot json\n", "rows.jsonl");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[1]->text, "Record 2");
  EXPECT_NE(AllText(*r).find("t: b"), std::string::npos);
  EXPECT_TRUE(r->metadata.count("json_note"));
}

TEST(JsonExtractorTest, TruncatedJsonIsCorrupt) {
  auto r = ExtractString("{\n  \"name\": \"John\",\n  \"list\": [1, 2", "cut.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
}

TEST(JsonExtractorTest, DeepNestingRefused) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = ExtractString(deep, "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
}

TEST(JsonExtractorTest, IncompleteJsonCorpusFile) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("fake-incomplete-json.txt", &detected);
  if (detected.kind == DocKind::kJson) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  } else {
    // Detected as text (by content, a .txt): it is read as text, not lost.
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_NE(AllText(*r).find("John Doe"), std::string::npos);
  }
}

// ---- MediaWiki -----------------------------------------------------------------

TEST(MediaWikiExtractorTest, DumpXmlPagesAndNewestRevision) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("dump.xml", &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kXml);
  EXPECT_EQ(r->title, "Page title");
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->level, 1);
  EXPECT_EQ(headings[0]->text, "Page title");
  EXPECT_EQ(headings[1]->text, "Talk:Page title");
  const std::string text = AllText(*r);
  // The newest revision (13:15) is shown, its link reduced to its label.
  EXPECT_NE(text.find("A bunch of text here."), std::string::npos) << text;
  EXPECT_EQ(text.find("earlier"), std::string::npos) << text;
  EXPECT_NE(text.find("WHYD YOU LOCK PAGE"), std::string::npos) << text;
  EXPECT_EQ(r->metadata.at("pages"), "2");
}

constexpr char kWikiHead[] =
    "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.10/\"><siteinfo><sitename>Wikipedia</sitename>"
    "</siteinfo><page><title>Test</title><revision><timestamp>2020-01-01T00:00:00Z</timestamp><text>";
constexpr char kWikiTail[] = "</text></revision></page></mediawiki>";

TEST(MediaWikiExtractorTest, WikitextConverted) {
  const std::string wikitext =
      "{{Infobox|name=x|{{nested}}}}'''Bold''' and ''it'' with [[Target|label]] and "
      "[http://example.com site]&lt;ref&gt;cite me&lt;/ref&gt;.\n\n"
      "== Section ==\n=== Sub ===\n* one\n** two\n# first\n"
      "{| class=\"wikitable\"\n|+ Caption\n! H1 !! H2\n|-\n| a || style=\"x\" | b\n|-\n| c\n| d\n|}\n"
      "[[Category:Hidden]]";
  const std::string xml = std::string(kWikiHead) + wikitext + kWikiTail;
  auto r = ExtractString(xml, "export.xml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("site"), "Wikipedia");
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("**Bold** and *it* with label and [site](http://example.com)."), std::string::npos) << text;
  EXPECT_EQ(text.find("Infobox"), std::string::npos);
  EXPECT_EQ(text.find("cite me"), std::string::npos);
  EXPECT_EQ(text.find("Hidden"), std::string::npos);
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 3u);
  EXPECT_EQ(headings[1]->text, "Section");
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[2]->level, 3);
  auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1]->text, "two");
  EXPECT_EQ(items[1]->level, 1);
  EXPECT_TRUE(items[2]->ordered);
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Rows expected = {{"H1", "H2"}, {"a", "b"}, {"c", "d"}};
  EXPECT_EQ(tables[0]->rows, expected);
  EXPECT_TRUE(tables[0]->has_header);
}

TEST(MediaWikiExtractorTest, OtherXmlIsUnsupported) {
  auto r = ExtractString("<?xml version=\"1.0\"?><root><a>text</a></root>\n", "data.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(r.status().message(), "xml (not a MediaWiki export)");
  // Even when a parser would refuse it (a DOCTYPE).
  auto svg = ExtractString("<?xml version=\"1.0\"?><!DOCTYPE svg><svg><text>x</text></svg>\n", "pic.xml");
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), Status::Code::kUnsupported);
  // A MediaWiki export that is cut short is corrupt.
  auto cut = ExtractString("<mediawiki><page><title>T</title><revision><text>abc", "cut.xml");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Status::Code::kCorrupt);
}

}  // namespace
}  // namespace smelter
