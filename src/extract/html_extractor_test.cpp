#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/html_convert.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

ExtractedDocument ParseHtml(const std::string& html) {
  auto r = ExtractString(html, "page.html");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExtractedDocument{};
}

TEST(HtmlExtractorTest, StructureAndTitle) {
  const ExtractedDocument doc = ParseHtml(
      "<!doctype html><html lang=en><head><title> My  Page </title>"
      "<meta name=author content='Ann Author'></head><body>"
      "<h1>Main</h1><p>First <b>bold</b> para\n  with   spaces.</p><h3>Sub</h3>"
      "<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>"
      "<ol><li>first</li></ol><blockquote><p>quoted</p></blockquote>"
      "<pre class=\"language-cpp\">  int x;\n  int y;</pre></body></html>");
  EXPECT_EQ(doc.title, "My Page");
  EXPECT_EQ(doc.metadata.at("author"), "Ann Author");
  EXPECT_EQ(doc.metadata.at("language"), "en");
  ASSERT_GE(doc.elements.size(), 9u);
  EXPECT_EQ(doc.elements[0].type, ElementType::kHeading);
  EXPECT_EQ(doc.elements[0].level, 1);
  EXPECT_EQ(doc.elements[1].type, ElementType::kParagraph);
  EXPECT_EQ(doc.elements[1].text, "First bold para with spaces.");
  EXPECT_EQ(doc.elements[2].level, 3);
  const auto items = ElementsOfType(doc, ElementType::kListItem);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]->text, "one");
  EXPECT_EQ(items[1]->text, "inner");
  EXPECT_EQ(items[1]->level, 1);
  EXPECT_EQ(items[2]->text, "two");
  EXPECT_EQ(items[2]->level, 0);
  EXPECT_TRUE(items[3]->ordered);
  const auto quotes = ElementsOfType(doc, ElementType::kBlockQuote);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0]->text, "quoted");
  const auto code = ElementsOfType(doc, ElementType::kCode);
  ASSERT_EQ(code.size(), 1u);
  EXPECT_EQ(code[0]->text, "  int x;\n  int y;");
  EXPECT_EQ(code[0]->language, "cpp");
}

TEST(HtmlExtractorTest, BoilerplateIsDropped) {
  const ExtractedDocument doc = ParseHtml(
      "<html><head><style>.a{color:red}</style><script>var secret = 1;</script></head><body>"
      "<header>Site banner</header><nav>Home | About</nav><div role=navigation>Menu</div>"
      "<article><header><h1>Kept heading</h1></header><p>Body text.</p></article>"
      "<form><input value=x><button>Send</button></form><noscript>Enable JS</noscript>"
      "<svg><text>chart</text></svg><iframe src=x></iframe><div hidden>gone</div>"
      "<div style=\"display: none\">invisible</div><template><p>tpl</p></template>"
      "<footer>Copyright</footer></body></html>");
  const std::string text = AllText(doc);
  EXPECT_NE(text.find("Kept heading"), std::string::npos);
  EXPECT_NE(text.find("Body text."), std::string::npos);
  for (const char* gone : {"color:red", "secret", "Site banner", "Home", "Menu", "Send", "Enable JS", "chart",
                           "gone", "invisible", "tpl", "Copyright"}) {
    EXPECT_EQ(text.find(gone), std::string::npos) << gone;
  }
}

TEST(HtmlExtractorTest, InlineElementsDoNotSplitParagraphs) {
  const ExtractedDocument doc = ParseHtml(
      "<p>Alpha <span>beta</span> <font color=red>gamma</font><a href='/x'>delta</a>, "
      "<em>eps</em><br>new line</p><div>Block <div>nested</div> tail</div>");
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 4u);
  EXPECT_EQ(paragraphs[0]->text, "Alpha beta gamma[delta](/x), eps\nnew line");
  EXPECT_EQ(paragraphs[1]->text, "Block");
  EXPECT_EQ(paragraphs[2]->text, "nested");
  EXPECT_EQ(paragraphs[3]->text, "tail");
}

TEST(HtmlExtractorTest, Links) {
  const ExtractedDocument doc = ParseHtml(
      "<p>See <a href=\"https://example.com/a b\">the site</a>, <a href=\"javascript:void(0)\">click</a>, "
      "<a href=\"#top\">top</a>, <a href=\"/img\"><img src=x.png alt=\"\"></a>and <a href=\"/p(1)\"> spaced </a>.</p>");
  ASSERT_EQ(doc.elements.size(), 1u);
  EXPECT_EQ(doc.elements[0].text,
            "See [the site](https://example.com/a%20b), click, top, and [spaced](/p%281%29) .");
}

TEST(HtmlExtractorTest, DataTableWithHeaderAndColspan) {
  const ExtractedDocument doc = ParseHtml(
      "<p>before</p><table><thead><tr><th>Name</th><th>Qty</th><th>Note</th></tr></thead>"
      "<tbody><tr><td>Apple</td><td>3</td><td>red <b>and</b> sweet</td></tr>"
      "<tr><td colspan=2>Total</td><td>3</td></tr><tr><td></td><td></td><td></td></tr></tbody></table>"
      "<p>after</p>");
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Element& t = *tables[0];
  EXPECT_TRUE(t.has_header);
  ASSERT_EQ(t.rows.size(), 3u);  // the empty row is dropped
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Name", "Qty", "Note"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"Apple", "3", "red and sweet"}));
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"Total", "", "3"}));
  // The cells did not also come out as paragraphs.
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 2u);
  EXPECT_EQ(paragraphs[0]->text, "before");
  EXPECT_EQ(paragraphs[1]->text, "after");
}

TEST(HtmlExtractorTest, LayoutTableKeepsItsStructure) {
  const ExtractedDocument doc = ParseHtml(
      "<table><tr><td><h2>Section</h2><p>Paragraph one.</p></td></tr>"
      "<tr><td><ul><li>item</li></ul></td></tr></table>");
  EXPECT_TRUE(ElementsOfType(doc, ElementType::kTable).empty());
  ASSERT_EQ(ElementsOfType(doc, ElementType::kHeading).size(), 1u);
  ASSERT_EQ(ElementsOfType(doc, ElementType::kListItem).size(), 1u);
  EXPECT_EQ(ElementsOfType(doc, ElementType::kParagraph).at(0)->text, "Paragraph one.");
}

TEST(HtmlExtractorTest, ImageAltOnlyWhenMeaningful) {
  const ExtractedDocument doc = ParseHtml(
      "<p>Text <img src=a.png alt=\"A mallard landing on a pond\"> more</p>"
      "<img src=b.png alt=\"logo\"><img src=c.png alt=\"photo.jpg\"><img src=d.png alt=\"\">"
      "<figure><img src=e.png><figcaption>Figure 2: ducks</figcaption></figure>");
  const auto captions = ElementsOfType(doc, ElementType::kImageCaption);
  ASSERT_EQ(captions.size(), 2u);
  EXPECT_EQ(captions[0]->text, "A mallard landing on a pond");
  EXPECT_EQ(captions[1]->text, "Figure 2: ducks");
  // The image did not split the paragraph around it.
  EXPECT_EQ(ElementsOfType(doc, ElementType::kParagraph).at(0)->text, "Text more");
}

TEST(HtmlExtractorTest, EmptyBodyIsEmpty) {
  auto r = ExtractString("<html><head><title>t</title><script>x()</script></head><body> </body></html>", "e.html");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
}

TEST(HtmlExtractorTest, DeepNestingDoesNotOverflow) {
  std::string html = "<html><body>";
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "deep text";
  auto r = ExtractString(html, "deep.html");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(AllText(*r).find("deep text"), std::string::npos);
}

TEST(SniffHtmlCharsetTest, MetaAndXmlDeclarations) {
  EXPECT_EQ(SniffHtmlCharset("<html><head><meta charset=\"ISO-8859-1\">"), "iso-8859-1");
  EXPECT_EQ(SniffHtmlCharset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"),
            "windows-1251");
  EXPECT_EQ(SniffHtmlCharset("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><html>"), "shift_jis");
  EXPECT_EQ(SniffHtmlCharset("<html><body>no declaration</body></html>"), "");
}

TEST(HtmlExtractorTest, DeclaredCharsetIsHonoured) {
  const ExtractedDocument doc =
      ParseHtml("<html><head><meta charset=iso-8859-1></head><body><p>Caf\xE9 \x93quoted\x94</p></body></html>");
  EXPECT_EQ(doc.source_encoding, "WINDOWS-1252");
  EXPECT_EQ(doc.elements.at(0).text, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
}

TEST(HtmlExtractorCorpusTest, Cp1252WithoutDeclaration) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-html-cp1252.html");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->source_encoding, "WINDOWS-1252");
  const auto code = ElementsOfType(*r, ElementType::kCode);
  ASSERT_EQ(code.size(), 1u);
  EXPECT_NE(code[0]->text.find("Die sch\xC3\xB6ne Frau hat einen Kaffee"), std::string::npos);
  EXPECT_NE(code[0]->text.find("El ni\xC3\xB1o comi\xC3\xB3 paella con \xC3\xB1oquis."), std::string::npos);
  EXPECT_NE(code[0]->text.find("25,75 \xE2\x82\xAC"), std::string::npos);
  EXPECT_EQ(r->elements[0].text, "My First Heading");
}

TEST(HtmlExtractorCorpusTest, ScriptsAreNotText) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("example-with-scripts.html");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "Russian Offensive Campaign Assessment, December 13 | Institute for the Study of War");
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Belarusian forces remain unlikely to attack Ukraine"), std::string::npos);
  for (const char* code : {"function(", "jQuery", "document.createElement", "@import", "googletag", "var "}) {
    EXPECT_EQ(text.find(code), std::string::npos) << code;
  }
}

TEST(HtmlExtractorCorpusTest, WikipediaHeadingLevels) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("wiki_duck.html");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "Duck - Wikipedia");
  auto level_of = [&](const std::string& text) {
    for (const Element* h : ElementsOfType(*r, ElementType::kHeading)) {
      if (h->text == text) return h->level;
    }
    return -1;
  };
  EXPECT_EQ(level_of("Duck"), 1);
  EXPECT_EQ(level_of("Etymology"), 2);
  EXPECT_EQ(level_of("Behaviour"), 2);
  EXPECT_EQ(level_of("Feeding"), 3);
  EXPECT_EQ(level_of("Domestication"), 3);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Duck is the common name for numerous species of"), std::string::npos);
  EXPECT_EQ(text.find("136 languages"), std::string::npos);  // language menu
  EXPECT_EQ(text.find("[edit]"), std::string::npos);
  // The infobox is a table whose cells hold the taxonomy.
  bool found_cell = false;
  for (const Element* t : ElementsOfType(*r, ElementType::kTable)) {
    for (const auto& row : t->rows) {
      for (const auto& cell : row) found_cell |= cell == "Anseriformes";
    }
  }
  EXPECT_TRUE(found_cell);
}

TEST(HtmlExtractorCorpusTest, TableCellsOfADataSheet) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"example-steelJIS-datasheet.html", "example-steelJIS-datasheet-utf-16.html"}) {
    auto r = ExtractCorpusFile(name);
    ASSERT_TRUE(r.ok()) << name;
    bool found = false;
    for (const Element* t : ElementsOfType(*r, ElementType::kTable)) {
      for (const auto& row : t->rows) {
        if (row.size() >= 2 && row[0] == "Standards:" &&
            row[1] == "JIS G 4108 : Alloy steel bars for special application bolting materials") {
          found = true;
        }
      }
    }
    EXPECT_TRUE(found) << name;
  }
}

TEST(HtmlExtractorCorpusTest, LargeFilingIsFastAndTabular) {
  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = testing::ReadCorpusFile("example-10k.html");
  const auto start = std::chrono::steady_clock::now();
  auto r = ExtractString(bytes, "example-10k.html");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok());
  // About 0.1 s in an optimized build; the bound only catches quadratic
  // behaviour (which took tens of seconds), also under sanitizers.
  EXPECT_LT(seconds, 10.0);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Galaxy Gaming, Inc."), std::string::npos);
  EXPECT_NE(text.find("Risk Factors"), std::string::npos);
  EXPECT_GT(ElementsOfType(*r, ElementType::kTable).size(), 20u);
}

}  // namespace
}  // namespace smelter
