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

using Rows = std::vector<std::vector<std::string>>;

// ---- ODF -------------------------------------------------------------------------

constexpr char kOdfNs[] =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";

std::string BuildOdf(const std::string& mimetype, const std::string& body, const std::string& meta = "") {
  std::vector<ZipEntry> entries = {
      {"mimetype", mimetype, false},
      {"content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " + std::string(kOdfNs) +
                          "><office:body>" + body + "</office:body></office:document-content>"},
  };
  if (!meta.empty()) {
    entries.emplace_back("meta.xml", "<office:document-meta " + std::string(kOdfNs) + "><office:meta>" + meta +
                                         "</office:meta></office:document-meta>");
  }
  auto zip = CreateZipArchive(entries);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  return zip.ok() ? *zip : std::string();
}

TEST(OdfExtractorTest, FakeOdtParagraphAndTable) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("fake.odt", &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kOdt);
  ASSERT_FALSE(r->elements.empty());
  EXPECT_EQ(r->elements[0].type, ElementType::kParagraph);
  EXPECT_EQ(r->elements[0].text, "Lorem ipsum dolor sit amet.");
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Rows expected = {{"Header row", "Mon", "Wed", "Fri"},
                         {"Color", "Blue", "Red", "Green"},
                         {"Time", "1pm", "2pm", "3pm"},
                         {"Leader", "Sarah", "Mark", "Ryan"}};
  EXPECT_EQ(tables[0]->rows, expected);
  EXPECT_EQ(r->metadata.at("created"), "2023-05-04T17:47:22Z");
}

TEST(OdfExtractorTest, TextDocumentHeadingsAndLists) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("text_document_01.odt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto titles = ElementsOfType(*r, ElementType::kTitle);
  ASSERT_EQ(titles.size(), 1u);
  EXPECT_EQ(titles[0]->text, "Title");
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_GE(headings.size(), 3u);
  EXPECT_EQ(headings[0]->text, "heading level 1.0");
  EXPECT_EQ(headings[0]->level, 1);
  EXPECT_EQ(headings[1]->text, "Heading level 2: A");
  EXPECT_EQ(headings[1]->level, 2);
  auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_GE(items.size(), 7u);
  EXPECT_EQ(items[0]->text, "numbered list 1");
  EXPECT_TRUE(items[0]->ordered);
  EXPECT_EQ(items[0]->level, 0);
  EXPECT_EQ(items[2]->text, "bullet list 2.1");
  EXPECT_EQ(items[2]->level, 1);
  EXPECT_FALSE(items[2]->ordered);
  EXPECT_EQ(items[4]->text, "bullet list 2.2.1");
  EXPECT_EQ(items[4]->level, 2);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Lorem Ipsum is simply dummy text of the printing and typesetting industry."),
            std::string::npos);
  EXPECT_NE(text.find("industry's standard dummy text"), std::string::npos);
}

TEST(OdfExtractorTest, SourceOdtText) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("source.odt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(AllText(*r).rfind("Lorem ipsum dolor sit amet, consetetur sadipscing elitr", 0), 0u);
}

TEST(OdfExtractorTest, NotAZipOdtStaysText) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("testODTnotaZipFile.odt", &detected);
  EXPECT_EQ(detected.kind, DocKind::kText);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(AllText(*r).find("This is not a zip file!"), std::string::npos);
}

TEST(OdfExtractorTest, SpreadsheetSheetsArePages) {
  const std::string body =
      "<office:spreadsheet>"
      "<table:table table:name=\"Teams\">"
      "<table:table-row><table:table-cell><text:p>Team</text:p></table:table-cell>"
      "<table:table-cell><text:p>Cups</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>"
      "<table:table-row><table:table-cell><text:p>Blues</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell/></table:table-row>"
      "</table:table>"
      "<table:table table:name=\"Second\"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>"
      "<table:table-cell><text:p>y</text:p></table:table-cell></table:table-row></table:table>"
      "</office:spreadsheet>";
  const std::string ods = BuildOdf("application/vnd.oasis.opendocument.spreadsheet", body,
                                   "<dc:title>League</dc:title><dc:creator>Ann</dc:creator>");
  DetectedType detected;
  auto r = ExtractDocument(ods, "t.ods", ExtractOptions{}, &detected);
  EXPECT_EQ(detected.kind, DocKind::kOds);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "League");
  EXPECT_EQ(r->metadata.at("author"), "Ann");
  EXPECT_EQ(r->page_count, 2);
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 2u);
  const Rows first = {{"Team", "Cups"}, {"Blues", "1"}};
  EXPECT_EQ(tables[0]->rows, first);
  EXPECT_EQ(tables[0]->page, 1);
  EXPECT_EQ(tables[1]->page, 2);
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[1]->text, "Second");
}

TEST(OdfExtractorTest, PresentationSlidesArePages) {
  const std::string body =
      "<office:presentation>"
      "<draw:page draw:name=\"p1\"><draw:frame><draw:text-box><text:p>Welcome</text:p></draw:text-box></draw:frame>"
      "<presentation:notes><draw:frame><draw:text-box><text:p>secret notes</text:p></draw:text-box></draw:frame>"
      "</presentation:notes></draw:page>"
      "<draw:page draw:name=\"p2\"><draw:frame><draw:text-box><text:list><text:list-item><text:p>Point "
      "<text:a xlink:href=\"https://example.com\">link</text:a></text:p></text:list-item></text:list>"
      "</draw:text-box></draw:frame></draw:page>"
      "</office:presentation>";
  const std::string odp = BuildOdf("application/vnd.oasis.opendocument.presentation", body);
  auto r = ExtractString(odp, "s.odp");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 2);
  EXPECT_EQ(ElementsOfType(*r, ElementType::kPageBreak).size(), 2u);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Welcome"), std::string::npos);
  EXPECT_EQ(text.find("secret notes"), std::string::npos);
  auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->text, "Point [link](https://example.com)");
  EXPECT_EQ(items[0]->page, 2);
}

TEST(OdfExtractorTest, MissingContentIsCorrupt) {
  auto zip = CreateZipArchive({{"mimetype", "application/vnd.oasis.opendocument.text", false},
                               {"styles.xml", "<x/>"}});
  ASSERT_TRUE(zip.ok());
  auto r = ExtractString(*zip, "broken.odt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
}

// ---- EPUB ------------------------------------------------------------------------

TEST(EpubExtractorTest, WinterSportsChaptersAndMetadata) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType detected;
  auto r = ExtractCorpusFile("winter-sports.epub", &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kEpub);
  EXPECT_EQ(r->title, "Winter Sports in Switzerland");
  EXPECT_EQ(r->metadata.at("author"), "E. F. Benson");
  EXPECT_EQ(r->metadata.at("language"), "en");
  auto breaks = ElementsOfType(*r, ElementType::kPageBreak);
  EXPECT_GE(breaks.size(), 9u);  // one per spine chapter
  EXPECT_EQ(static_cast<size_t>(r->page_count), breaks.size());
  ASSERT_FALSE(r->elements.empty());
  EXPECT_EQ(r->elements[0].type, ElementType::kPageBreak);
  EXPECT_EQ(r->elements[0].page, 1);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("The Project Gutenberg eBook of Winter Sports in Switzerland"), std::string::npos);
  // The contents table of the first chapter.
  bool contents = false;
  for (const Element* t : ElementsOfType(*r, ElementType::kTable)) {
    for (const auto& row : t->rows) {
      if (row.size() >= 3 && row[1] == "Rinks and Skaters" && row[2] == "23") contents = true;
    }
  }
  EXPECT_TRUE(contents);
  // Links into the book's own files keep their label only.
  EXPECT_EQ(text.find(".htm.html#"), std::string::npos);
  EXPECT_NE(text.find("Contents."), std::string::npos);
  // Chapter order: the sun-seeker chapter comes before ski-ing.
  const size_t sun = text.find("THE SUN-SEEKER");
  const size_t ski = text.find("SKI-ING");
  EXPECT_NE(sun, std::string::npos);
  EXPECT_NE(ski, std::string::npos);
  EXPECT_LT(sun, ski);
}

TEST(EpubExtractorTest, PurvisPoetrySpineOrder) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("epub_purvis_poetry.epub");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Poetry");
  EXPECT_EQ(r->metadata.at("author"), "Sarah Louisa Forten Purvis");
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  bool grave = false;
  for (const Element* h : headings) {
    if (h->text == "The Grave of the Slave") {
      grave = true;
      EXPECT_GT(h->page, 1);  // after the title page
    }
  }
  EXPECT_TRUE(grave);
  const std::string text = AllText(*r);
  const size_t poem = text.find("The cold storms of winter shall chill him no more");
  const size_t titlepage = text.find("By Sarah Louisa Forten Purvis");
  EXPECT_NE(poem, std::string::npos);
  EXPECT_NE(titlepage, std::string::npos);
  EXPECT_LT(titlepage, poem);
}

TEST(EpubExtractorTest, SyntheticBookAndMissingChapter) {
  const std::string opf =
      "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
      "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Tiny</dc:title>"
      "<dc:creator>A</dc:creator><dc:creator>B</dc:creator></metadata>"
      "<manifest><item id=\"c2\" href=\"text/two%20b.xhtml\" media-type=\"application/xhtml+xml\"/>"
      "<item id=\"c1\" href=\"text/one.xhtml\" media-type=\"application/xhtml+xml\"/>"
      "<item id=\"gone\" href=\"text/gone.xhtml\" media-type=\"application/xhtml+xml\"/>"
      "<item id=\"img\" href=\"cover.jpg\" media-type=\"image/jpeg\"/></manifest>"
      "<spine><itemref idref=\"img\"/><itemref idref=\"c1\"/><itemref idref=\"gone\"/><itemref idref=\"c2\"/></spine>"
      "</package>";
  auto zip = CreateZipArchive(
      {{"mimetype", "application/epub+zip", false},
       {"META-INF/container.xml",
        "<container xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" version=\"1.0\"><rootfiles>"
        "<rootfile full-path=\"OPS/book.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>"},
       {"OPS/book.opf", opf},
       {"OPS/text/one.xhtml",
        "<html><body><h1>One</h1><p>First <a href=\"two%20b.xhtml#x\">chapter</a>, "
        "<a href=\"https://example.com/\">web</a>.</p></body></html>"},
       {"OPS/text/two b.xhtml", "<html><body><h1>Two</h1><p>Second chapter.</p></body></html>"}});
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto r = ExtractString(*zip, "tiny.epub");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Tiny");
  EXPECT_EQ(r->metadata.at("author"), "A; B");
  EXPECT_EQ(r->page_count, 2);
  EXPECT_TRUE(r->metadata.count("epub_note"));
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "One");
  EXPECT_EQ(headings[0]->page, 1);
  EXPECT_EQ(headings[1]->text, "Two");
  EXPECT_EQ(headings[1]->page, 2);
  EXPECT_NE(AllText(*r).find("First chapter, [web](https://example.com/)."), std::string::npos) << AllText(*r);
}

TEST(EpubExtractorTest, NoPackageDocumentIsCorrupt) {
  auto zip = CreateZipArchive({{"mimetype", "application/epub+zip", false}, {"x.xhtml", "<p>x</p>"}});
  ASSERT_TRUE(zip.ok());
  auto r = ExtractString(*zip, "bad.epub");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
}

}  // namespace
}  // namespace smelter
