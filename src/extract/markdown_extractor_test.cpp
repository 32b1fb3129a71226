#include <gtest/gtest.h>

#include <string>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

ExtractedDocument ParseMd(const std::string& text) {
  auto r = ExtractString(text, "doc.md");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExtractedDocument{};
}

TEST(MarkdownExtractorTest, HeadingsAtxAndSetext) {
  const ExtractedDocument doc = ParseMd("# Top #\n\nintro\n\nSub\n---\n\nOther\n===\n\n### Third\n");
  EXPECT_EQ(doc.title, "Top");
  const auto headings = ElementsOfType(doc, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 4u);
  EXPECT_EQ(headings[0]->text, "Top");
  EXPECT_EQ(headings[0]->level, 1);
  EXPECT_EQ(headings[1]->text, "Sub");
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[2]->text, "Other");
  EXPECT_EQ(headings[2]->level, 1);
  EXPECT_EQ(headings[3]->level, 3);
}

TEST(MarkdownExtractorTest, NestedAndOrderedLists) {
  const ExtractedDocument doc = ParseMd("- a\n  - b\n    continued\n- c\n\n1. one\n2. two\n");
  const auto items = ElementsOfType(doc, ElementType::kListItem);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0]->text, "a");
  EXPECT_EQ(items[0]->level, 0);
  EXPECT_FALSE(items[0]->ordered);
  EXPECT_EQ(items[1]->text, "b continued");
  EXPECT_EQ(items[1]->level, 1);
  EXPECT_EQ(items[2]->level, 0);
  EXPECT_EQ(items[3]->text, "one");
  EXPECT_TRUE(items[3]->ordered);
}

TEST(MarkdownExtractorTest, FencedAndIndentedCode) {
  const ExtractedDocument doc = ParseMd("text\n\n```python\ndef f():\n    return 1\n```\n\n    indented\n    code\n");
  const auto code = ElementsOfType(doc, ElementType::kCode);
  ASSERT_EQ(code.size(), 2u);
  EXPECT_EQ(code[0]->language, "python");
  EXPECT_EQ(code[0]->text, "def f():\n    return 1");
  EXPECT_EQ(code[1]->text, "indented\ncode");
  // A "#" inside a fence is code, not a heading.
  const ExtractedDocument hash = ParseMd("```\n# not a heading\n```\n");
  EXPECT_TRUE(ElementsOfType(hash, ElementType::kHeading).empty());
}

TEST(MarkdownExtractorTest, PipeTable) {
  const ExtractedDocument doc = ParseMd("| Key | Value |\n|:---|---:|\n| a | 1 |\n| pipe \\| here | 2 | extra |\n| short |\n");
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const Element& t = *tables[0];
  EXPECT_TRUE(t.has_header);
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Key", "Value"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"a", "1"}));
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"pipe | here", "2"}));
  EXPECT_EQ(t.rows[3], (std::vector<std::string>{"short", ""}));
}

TEST(MarkdownExtractorTest, QuotesParagraphsAndInlineMarkupKept) {
  const ExtractedDocument doc =
      ParseMd("> quoted *text*\n> more\n\nA [link](http://x.y) and `code`\nwrapped.\n\n---\n\nafter rule\n");
  const auto quotes = ElementsOfType(doc, ElementType::kBlockQuote);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0]->text, "quoted *text*\nmore");
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 2u);
  EXPECT_EQ(paragraphs[0]->text, "A [link](http://x.y) and `code` wrapped.");
  EXPECT_EQ(paragraphs[1]->text, "after rule");
}

TEST(MarkdownExtractorTest, HtmlBlocksAndFrontMatter) {
  const ExtractedDocument doc = ParseMd(
      "---\ntitle: \"From Front Matter\"\nauthor: Ann\n---\n\n<!--\nhidden\n\ncomment\n-->\n\n<ul>\n<li>x</li>\n</ul>\n\ntail\n");
  EXPECT_EQ(doc.title, "From Front Matter");
  EXPECT_EQ(doc.metadata.at("author"), "Ann");
  const std::string text = AllText(doc);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  const auto items = ElementsOfType(doc, ElementType::kListItem);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]->text, "x");
  EXPECT_NE(text.find("tail"), std::string::npos);
}

TEST(MarkdownExtractorTest, BlankIsEmpty) {
  auto r = ExtractString("\n  \n<!-- only a comment -->\n", "x.md");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
}

TEST(MarkdownExtractorCorpusTest, Latin1Markdown) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("umlauts-non-utf8.md");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 3u);
  EXPECT_EQ(r->elements[0].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[0].level, 2);
  EXPECT_EQ(r->elements[0].text, "k\xC3\xB6nnen");
  EXPECT_EQ(r->elements[2].text, "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F");
}

TEST(MarkdownExtractorCorpusTest, NestedLists) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("nested.md");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "Nesting");
  int deepest = 0;
  bool saw_html_sub_item = false;
  for (const Element* e : ElementsOfType(*r, ElementType::kListItem)) {
    deepest = std::max(deepest, e->level);
    if (e->text == "Subitem 2") {
      saw_html_sub_item = true;
      EXPECT_EQ(e->level, 1);
    }
  }
  EXPECT_EQ(deepest, 4);  // "- a." under abc12345
  EXPECT_TRUE(saw_html_sub_item);
  EXPECT_EQ(AllText(*r).find("Nested Table"), std::string::npos);  // inside an HTML comment
}

TEST(MarkdownExtractorCorpusTest, DuckTableAndCode) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("duck.md");
  ASSERT_TRUE(r.ok());
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0]->rows.size(), 4u);
  EXPECT_EQ(tables[0]->rows[2][1], "Blueberry, Strawberry, Cranberry");
  const auto code = ElementsOfType(*r, ElementType::kCode);
  ASSERT_EQ(code.size(), 1u);
  EXPECT_EQ(code[0]->text, "Leaves\n\nBerries\nGrain");
  const auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_GE(headings.size(), 3u);
  EXPECT_EQ(headings[1]->text, "Let\xE2\x80\x99s swim!");
  EXPECT_EQ(headings[1]->level, 2);
}

}  // namespace
}  // namespace smelter
