#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/config.h"
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
  ExtractOptions options;
  options.csv_records_above_rows = 1000;  // tables, not records
  auto r = ExtractDocument(csv, "long.csv", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("csv_layout"), "tables");
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0]->rows.size(), 201u);
  EXPECT_EQ(tables[2]->rows.size(), 51u);
  for (const Element* t : tables) EXPECT_EQ(t->rows[0], (std::vector<std::string>{"id", "value"}));
  EXPECT_EQ(tables[2]->rows.back()[1], "v449");
}

TEST(CsvExtractorTest, LongFilesBecomeOneRecordPerRow) {
  std::string csv = "Team,Location,Stanley Cups\n";
  for (int i = 0; i < 40; ++i) csv += "Team " + std::to_string(i) + ",City " + std::to_string(i) + "," + std::to_string(i % 7) + "\n";
  csv += "Blues,,1\n\"Maple\nLeafs\",TOR,13\n";
  auto r = ExtractString(csv, "cups.csv");  // 42 rows: above the default of 30
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("csv_layout"), "records");
  EXPECT_EQ(r->metadata.at("rows"), "42");
  EXPECT_TRUE(ElementsOfType(*r, ElementType::kTable).empty());
  auto rows = ElementsOfType(*r, ElementType::kParagraph);
  ASSERT_EQ(rows.size(), 42u);
  EXPECT_EQ(rows[0]->text, "Row 1. Team: Team 0; Location: City 0; Stanley Cups: 0");
  EXPECT_EQ(rows[39]->text, "Row 40. Team: Team 39; Location: City 39; Stanley Cups: 4");
  // Empty cells are left out; a line break in a cell does not break the record.
  EXPECT_EQ(rows[40]->text, "Row 41. Team: Blues; Stanley Cups: 1");
  EXPECT_EQ(rows[41]->text, "Row 42. Team: Maple Leafs; Location: TOR; Stanley Cups: 13");

  // Each row reaches silver as a paragraph of its own, whole.
  const RenderedMarkdown md = RenderMarkdown(*r);
  EXPECT_NE(md.text.find("\n\nRow 41. Team: Blues; Stanley Cups: 1\n\n"), std::string::npos) << md.text;
}

TEST(CsvExtractorTest, RecordThresholdIsASetting) {
  std::string csv = "id,value\n";
  for (int i = 0; i < 5; ++i) csv += std::to_string(i) + ",v" + std::to_string(i) + "\n";
  ExtractOptions options;
  auto tables = ExtractDocument(csv, "small.csv", options, nullptr);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  EXPECT_EQ(tables->metadata.at("csv_layout"), "tables");
  EXPECT_EQ(ElementsOfType(*tables, ElementType::kTable).size(), 1u);

  Result<Config> config = ParseConfig("[extract]\ncsv_records_above_rows = 4\n", "test");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->extract.csv_records_above_rows, 4u);
  auto records = ExtractDocument(csv, "small.csv", config->extract, nullptr);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_EQ(records->metadata.at("csv_layout"), "records");
  auto rows = ElementsOfType(*records, ElementType::kParagraph);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[4]->text, "Row 5. id: 4; value: v4");
  // A nameless column is still named.
  auto nameless = ExtractDocument("a,,c\n1,2,3\n4,5,6\n7,8,9\n1,2,3\n4,5,6\n", "n.csv", config->extract, nullptr);
  ASSERT_TRUE(nameless.ok()) << nameless.status().ToString();
  EXPECT_EQ(ElementsOfType(*nameless, ElementType::kParagraph)[0]->text, "Row 1. a: 1; Column 2: 2; c: 3");

  EXPECT_FALSE(ParseConfig("[extract]\ncsv_records_above_rows = -1\n", "test").ok());
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

TEST(JsonExtractorTest, TextAndMetadataFieldsAreSettings) {
  const std::string jsonl =
      R"({"id": 1, "author": {"name": "Ada"}, "created": "2024-03-01", "title": "Engines",)"
      R"( "body": "The analytical engine weaves algebraic patterns.", "embedding": [0.1, 0.2]})" "\n"
      R"({"id": 2, "author": {"name": "Ada"}, "created": "2024-03-02", "title": "Notes",)"
      R"( "body": "Note G computes Bernoulli numbers.", "embedding": [0.3, 0.4]})" "\n"
      R"({"id": 3, "author": {"name": "Charles"}, "embedding": [0.5]})" "\n";
  Result<Config> config = ParseConfig(
      "[extract]\njson_text_fields = [\"title\", \"body\"]\njson_metadata_fields = [\"author\", \"created\"]\n", "test");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->extract.json_text_fields, (std::vector<std::string>{"title", "body"}));
  EXPECT_EQ(config->extract.json_metadata_fields, (std::vector<std::string>{"author", "created"}));
  auto r = ExtractDocument(jsonl, "posts.jsonl", config->extract, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> texts;
  for (const Element& e : r->elements) texts.push_back(e.text);
  // Only the text fields are text (in the record's key order); the record
  // with none has no section.
  const std::vector<std::string> expected = {
      "Record 1", "**body:** The analytical engine weaves algebraic patterns.", "**title:** Engines",
      "Record 2", "**body:** Note G computes Bernoulli numbers.",               "**title:** Notes"};
  EXPECT_EQ(texts, expected);
  EXPECT_EQ(r->metadata.at("author.name"), "Ada, Charles");
  EXPECT_EQ(r->metadata.at("created"), "2024-03-01, 2024-03-02");
  EXPECT_EQ(r->metadata.count("id"), 0u);
  EXPECT_EQ(AllText(*r).find("0.1"), std::string::npos);
  EXPECT_EQ(r->metadata.at("records"), "3");
}

TEST(JsonExtractorTest, MetadataFieldsAloneKeepTheRestAsText) {
  ExtractOptions options;
  options.json_metadata_fields = {"author", "tags"};
  auto r = ExtractDocument(
      R"({"title": "Parental leave", "author": "HR team", "tags": ["policy", "leave"], "items": [{"name": "a", "days": 10}, {"name": "b", "days": 5}]})",
      "policy.json", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string text = AllText(*r);
  EXPECT_EQ(text, "items.0.days: 10\nitems.0.name: a\nitems.1.days: 5\nitems.1.name: b\ntitle: Parental leave\n");
  EXPECT_EQ(r->metadata.at("author"), "HR team");  // read by enrichment as the author
  EXPECT_EQ(r->metadata.at("tags"), "policy, leave");

  // A name without array positions covers every item; a single text field
  // is a plain paragraph.
  options.json_metadata_fields = {"items.days"};
  options.json_text_fields = {"items.name"};
  auto items = ExtractDocument(R"({"items": [{"name": "a", "days": 10}, {"name": "b", "days": 5}]})", "i.json",
                               options, nullptr);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  EXPECT_EQ(AllText(*items), "**items.0.name:** a\n**items.1.name:** b\n");
  EXPECT_EQ(items->metadata.at("items.days"), "10, 5");
  options.json_text_fields = {"body"};
  auto one = ExtractDocument(R"({"body": "Hello there", "x": 1})", "one.json", options, nullptr);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(AllText(*one), "Hello there\n");

  // Defaults: the built-in reading, every field text.
  auto plain = ExtractString(R"({"author": "HR team", "n": 1})", "plain.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(AllText(*plain), "author: HR team\nn: 1\n");
  EXPECT_EQ(plain->metadata.count("author"), 0u);
  EXPECT_FALSE(ParseConfig("[extract]\njson_text_fields = \"body\"\n", "test").ok());
  EXPECT_FALSE(ParseConfig("[extract]\njson_metadata_fields = [1]\n", "test").ok());
}

// ---- MediaWiki -----------------------------------------------------------------

const ChildDocument* ChildNamed(const ExtractedDocument& doc, const std::string& name) {
  for (const ChildDocument& c : doc.children) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// A child's Markdown read back the way the pipeline reads it.
ExtractedDocument ExtractChild(const ChildDocument& child) {
  auto r = ExtractString(child.bytes, child.name);
  EXPECT_TRUE(r.ok()) << child.name << ": " << r.status().ToString();
  return r.ok() ? std::move(*r) : ExtractedDocument();
}

TEST(MediaWikiExtractorTest, DumpXmlPagesBecomeChildDocuments) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("dump.xml", &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kXml);
  EXPECT_EQ(r->title, "MediaWiki export");
  EXPECT_EQ(r->metadata.at("pages"), "2");
  EXPECT_EQ(r->metadata.at("wiki_db"), "plwiki");
  EXPECT_EQ(r->metadata.at("language"), "en");
  // The export lists its pages; their text is in the children only.
  const std::string listing = AllText(*r);
  EXPECT_NE(listing.find("Talk:Page title"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("A bunch of"), std::string::npos) << listing;
  ASSERT_EQ(r->children.size(), 2u);

  const ChildDocument* page = ChildNamed(*r, "Page title.md");
  ASSERT_NE(page, nullptr);
  // The newest revision (13:15), its link resolved against <base>.
  EXPECT_EQ(page->bytes,
            "# Page title\n\nA bunch of [text](https://pl.wikipedia.org/wiki/Special:MyLanguage/text) here.\n");
  EXPECT_EQ(page->metadata.at("wiki_title"), "Page title");
  EXPECT_EQ(page->metadata.at("modified"), "2001-01-15T13:15:00Z");
  EXPECT_EQ(page->metadata.at("contributor"), "Foobar");
  EXPECT_EQ(page->metadata.at("source_format"), "mediawiki");
  EXPECT_EQ(page->metadata.at("wiki_db"), "plwiki");
  const ExtractedDocument page_doc = ExtractChild(*page);
  EXPECT_EQ(page_doc.title, "Page title");
  EXPECT_EQ(AllText(page_doc).find("earlier"), std::string::npos);

  const ChildDocument* talk = ChildNamed(*r, "Talk:Page title.md");
  ASSERT_NE(talk, nullptr);
  EXPECT_EQ(talk->bytes, "# Talk:Page title\n\nWHYD YOU LOCK PAGE?\?!!! i was editing that jerk\n");
  EXPECT_EQ(talk->metadata.at("contributor"), "10.0.0.2");
  EXPECT_EQ(ExtractChild(*talk).title, "Talk:Page title");
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
  EXPECT_EQ(r->title, "MediaWiki export: Wikipedia");
  ASSERT_EQ(r->children.size(), 1u);
  EXPECT_EQ(r->children[0].name, "Test.md");
  EXPECT_EQ(r->children[0].metadata.at("site"), "Wikipedia");
  const ExtractedDocument page = ExtractChild(r->children[0]);
  EXPECT_EQ(page.title, "Test");
  const std::string text = AllText(page);
  // No <base>: internal links are their text; external ones have a URL.
  EXPECT_NE(text.find("**Bold** and *it* with label and [site](http://example.com)."), std::string::npos) << text;
  EXPECT_EQ(text.find("Infobox"), std::string::npos);
  EXPECT_EQ(text.find("cite me"), std::string::npos);
  EXPECT_EQ(text.find("Hidden"), std::string::npos);
  auto headings = ElementsOfType(page, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 3u);
  EXPECT_EQ(headings[0]->text, "Test");
  EXPECT_EQ(headings[1]->text, "Section");
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[2]->level, 3);
  auto items = ElementsOfType(page, ElementType::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]->text, "one");
  EXPECT_EQ(items[1]->text, "two");
  EXPECT_EQ(items[1]->level, 1);
  EXPECT_EQ(items[2]->text, "first");
  EXPECT_TRUE(items[2]->ordered);
  auto tables = ElementsOfType(page, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Rows expected = {{"H1", "H2"}, {"a", "b"}, {"c", "d"}};
  EXPECT_EQ(tables[0]->rows, expected);
  EXPECT_TRUE(tables[0]->has_header);
}

TEST(MediaWikiExtractorTest, InternalLinksFollowOneRule) {
  const std::string xml =
      "<mediawiki><siteinfo><sitename>Docs</sitename><base>https://wiki.example.org/wiki/Main_Page</base>"
      "</siteinfo><page><title>Guide</title><ns>0</ns><id>42</id><revision><text>"
      "See [[Install guide|installing]], [[Help:Editing (advanced)|]], [[bus]]es, [[#Usage]], "
      "[[:Category:Tools]] and [[Q&amp;A (x)|Q [1] ]].[[Category:Hidden]][[File:a.png|thumb|a caption]]"
      "</text></revision></page>"
      "<page><title>Old</title><revision><text>#REDIRECT [[Guide]]</text></revision></page></mediawiki>";
  auto r = ExtractString(xml, "docs.xml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 2u);
  const ChildDocument& guide = r->children[0];
  EXPECT_EQ(guide.metadata.at("wiki_page_id"), "42");
  EXPECT_EQ(guide.metadata.at("wiki_namespace"), "0");
  EXPECT_EQ(guide.bytes,
            "# Guide\n\nSee [installing](https://wiki.example.org/wiki/Install_guide), "
            "[Editing](https://wiki.example.org/wiki/Help:Editing_%28advanced%29), "
            "[buses](https://wiki.example.org/wiki/bus), [#Usage](https://wiki.example.org/wiki/Guide#Usage), "
            "[Category:Tools](https://wiki.example.org/wiki/Category:Tools) and "
            "[Q \\[1\\]](https://wiki.example.org/wiki/Q&A_%28x%29).\n");
  const ChildDocument& old = r->children[1];
  EXPECT_EQ(old.name, "Old.md");
  EXPECT_EQ(old.metadata.at("redirect"), "Guide");
  EXPECT_NE(old.bytes.find("Redirect to [Guide](https://wiki.example.org/wiki/Guide)"), std::string::npos)
      << old.bytes;
}

TEST(MediaWikiExtractorTest, RepeatedAndSlashedTitlesGetDistinctNames) {
  const std::string page = "<page><title>Help/Editing</title><revision><text>x</text></revision></page>";
  auto r = ExtractString("<mediawiki>" + page + page + "</mediawiki>", "w.xml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 2u);
  EXPECT_EQ(r->children[0].name, "Help_Editing.md");
  EXPECT_EQ(r->children[1].name, "Help_Editing (2).md");
  EXPECT_EQ(ExtractChild(r->children[1]).title, "Help/Editing");
}

TEST(MediaWikiExtractorTest, CutShortExportIsCorrupt) {
  auto cut = ExtractString("<mediawiki><page><title>T</title><revision><text>abc", "cut.xml");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Status::Code::kCorrupt);
}

// ---- other XML ------------------------------------------------------------------

TEST(XmlExtractorTest, TextInDocumentOrder) {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:example:books\"><!-- not text -->"
      "<book id=\"b1\"><title>Dune</title><author>Frank Herbert</author>"
      "<blurb>A <em>desert</em> planet<br/>and its spice.\n\nA second paragraph.</blurb></book>"
      "<book id=\"b2\"><title>Emma</title><author>Jane Austen</author><script>var x = 1;</script></book>"
      "<note><![CDATA[Prices <in> euros]]></note></catalog>\n";
  DetectedType detected;
  auto r = ExtractDocument(xml, "books.xml", ExtractOptions{}, &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kXml);
  EXPECT_EQ(r->title, "Dune");
  EXPECT_EQ(r->metadata.at("xml_root"), "catalog");
  EXPECT_EQ(r->metadata.at("xml_namespace"), "urn:example:books");
  std::vector<std::string> texts;
  for (const Element& e : r->elements) texts.push_back(e.text);
  const std::vector<std::string> expected = {"Dune", "Frank Herbert", "A desert planet and its spice.",
                                             "A second paragraph.", "Emma", "Jane Austen", "Prices <in> euros"};
  EXPECT_EQ(texts, expected);
  ASSERT_EQ(r->elements.size(), expected.size());
  EXPECT_EQ(r->elements[0].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[4].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[4].level, 2);
  EXPECT_EQ(r->elements[1].type, ElementType::kParagraph);
}

TEST(XmlExtractorTest, DoctypeIsNeverReadSoEntitiesAreNotExpanded) {
  // An external DTD (SVG's) is simply not read.
  auto svg = ExtractString(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
      "<svg><style>.a{fill:red}</style><text>Quarterly <tspan>revenue</tspan></text></svg>\n",
      "pic.xml");
  ASSERT_TRUE(svg.ok()) << svg.status().ToString();
  EXPECT_EQ(AllText(*svg), "Quarterly revenue\n");
  // An external entity (XXE) is never resolved: the DTD is taken out
  // before parsing, so the reference is an unknown entity.
  auto xxe = ExtractString(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [ <!ENTITY secret SYSTEM \"file:///etc/passwd\"> ]>\n<r>&secret;</r>\n",
      "xxe.xml");
  ASSERT_FALSE(xxe.ok());
  EXPECT_EQ(xxe.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(xxe.status().message().find("root:"), std::string::npos);
  // A billion-laughs DTD costs nothing.
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    laughs += "\">\n";
  }
  laughs += "]>\n<lolz>&lol9;</lolz>\n";
  auto bomb = ExtractString(laughs, "lolz.xml");
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.status().code(), Status::Code::kUnsupported);
  // A DTD that only declares attributes does not stop the text.
  auto attlist = ExtractString("<!DOCTYPE note [ <!ATTLIST note day CDATA \"]>\"> ]><note>Call Bob</note>", "n.xml");
  ASSERT_TRUE(attlist.ok()) << attlist.status().ToString();
  EXPECT_EQ(AllText(*attlist), "Call Bob\n");
}

TEST(XmlExtractorTest, Latin1DeclaredEncodingAndBrokenXml) {
  auto latin1 = ExtractString("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><p>caf\xE9 cr\xE8me</p></r>", "l.xml");
  ASSERT_TRUE(latin1.ok()) << latin1.status().ToString();
  EXPECT_EQ(AllText(*latin1), "caf\xC3\xA9 cr\xC3\xA8me\n");
  // UTF-16 with a BOM, its DOCTYPE taken out all the same.
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r><r><p>wide text</p></r>")) {
    utf16 += c;
    utf16 += '\0';
  }
  auto wide = ExtractString(utf16, "w.xml");
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  EXPECT_EQ(AllText(*wide), "wide text\n");
  auto broken = ExtractString("<?xml version=\"1.0\"?><root><a>text</b></root>\n", "bad.xml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Status::Code::kCorrupt);
  auto empty = ExtractString("<?xml version=\"1.0\"?><root><a/><b>  </b></root>\n", "empty.xml");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Status::Code::kEmpty);
}

}  // namespace
}  // namespace smelter
