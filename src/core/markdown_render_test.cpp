#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/element.h"

namespace smelter {
namespace {

Element Make(ElementType type, std::string text, int level = 0, int page = 0) {
  Element e;
  e.type = type;
  e.text = std::move(text);
  e.level = level;
  e.page = page;
  return e;
}

Element PageBreak(int page) {
  Element e;
  e.type = ElementType::kPageBreak;
  e.page = page;
  return e;
}

std::string_view Slice(const RenderedMarkdown& md, const Block& b) {
  return std::string_view(md.text).substr(b.begin, b.end - b.begin);
}

TEST(RenderMarkdownTest, EmptyDocumentRendersNothing) {
  const RenderedMarkdown md = RenderMarkdown(ExtractedDocument{});
  EXPECT_EQ(md.text, "");
  EXPECT_TRUE(md.blocks.empty());
}

TEST(RenderMarkdownTest, TitleHeadingParagraphWithExactOffsets) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kTitle, "The Title"));
  doc.elements.push_back(Make(ElementType::kHeading, "Section", 2));
  doc.elements.push_back(Make(ElementType::kParagraph, "Some text."));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "# The Title\n\n## Section\n\nSome text.\n");
  ASSERT_EQ(md.blocks.size(), 3u);
  EXPECT_EQ(Slice(md, md.blocks[0]), "# The Title");
  EXPECT_EQ(md.blocks[0].heading_level, 1);
  EXPECT_EQ(md.blocks[0].type, ElementType::kTitle);
  EXPECT_EQ(Slice(md, md.blocks[1]), "## Section");
  EXPECT_EQ(md.blocks[1].heading_level, 2);
  EXPECT_EQ(Slice(md, md.blocks[2]), "Some text.");
  EXPECT_EQ(md.blocks[2].heading_level, 0);
  // Blocks are ordered, non-overlapping, and separated by one blank line.
  for (size_t i = 1; i < md.blocks.size(); ++i) {
    EXPECT_EQ(md.text.substr(md.blocks[i - 1].end, md.blocks[i].begin - md.blocks[i - 1].end), "\n\n");
  }
}

TEST(RenderMarkdownTest, HeadingLevelsAreClampedAndFolded) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kHeading, "deep\nheading", 9));
  doc.elements.push_back(Make(ElementType::kHeading, "zero", 0));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "###### deep heading\n\n# zero\n");
  EXPECT_EQ(md.blocks[0].heading_level, 6);
  EXPECT_EQ(md.blocks[1].heading_level, 1);
}

TEST(RenderMarkdownTest, PageBreaksSetPagesWithoutText) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kParagraph, "before"));
  doc.elements.push_back(PageBreak(1));
  doc.elements.push_back(Make(ElementType::kParagraph, "one"));
  Element footer = Make(ElementType::kHeaderFooter, "1");
  footer.page = 1;
  doc.elements.push_back(footer);
  doc.elements.push_back(PageBreak(2));
  doc.elements.push_back(Make(ElementType::kParagraph, "two"));
  doc.elements.push_back(Make(ElementType::kParagraph, "explicit", 0, 7));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "before\n\none\n\ntwo\n\nexplicit\n");
  ASSERT_EQ(md.blocks.size(), 4u);
  EXPECT_EQ(md.blocks[0].page, 0);
  EXPECT_EQ(md.blocks[1].page, 1);
  EXPECT_EQ(md.blocks[2].page, 2);
  EXPECT_EQ(md.blocks[3].page, 7);
}

TEST(RenderMarkdownTest, ListsIndentTwoSpacesPerLevelAndNumberOrderedItems) {
  ExtractedDocument doc;
  auto item = [](std::string text, int level, bool ordered) {
    Element e = Make(ElementType::kListItem, std::move(text), level);
    e.ordered = ordered;
    return e;
  };
  doc.elements.push_back(item("first", 0, true));
  doc.elements.push_back(item("nested", 1, false));
  doc.elements.push_back(item("deeper", 2, true));
  doc.elements.push_back(item("second", 0, true));
  doc.elements.push_back(Make(ElementType::kParagraph, "break"));
  doc.elements.push_back(item("again", 0, true));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text,
            "1. first\n\n  - nested\n\n    1. deeper\n\n2. second\n\nbreak\n\n1. again\n");
  EXPECT_EQ(md.blocks[1].type, ElementType::kListItem);
}

TEST(RenderMarkdownTest, TableEscapesPipesFoldsNewlinesAndRecordsRowStarts) {
  ExtractedDocument doc;
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"Name", "Value"}, {"a|b", "line1\nline2"}, {"short"}};
  doc.elements.push_back(Make(ElementType::kParagraph, "intro"));
  doc.elements.push_back(table);
  const RenderedMarkdown md = RenderMarkdown(doc);
  const std::string expected_table =
      "| Name | Value |\n"
      "| --- | --- |\n"
      "| a\\|b | line1 line2 |\n"
      "| short |  |";
  EXPECT_EQ(md.text, "intro\n\n" + expected_table + "\n");
  ASSERT_EQ(md.blocks.size(), 2u);
  const Block& b = md.blocks[1];
  EXPECT_EQ(b.type, ElementType::kTable);
  EXPECT_EQ(Slice(md, b), expected_table);
  ASSERT_EQ(b.row_starts.size(), 3u);
  EXPECT_EQ(b.row_starts[0], b.begin);
  EXPECT_EQ(md.text.substr(b.row_starts[1], 6), "| a\\|b");
  EXPECT_EQ(md.text.substr(b.row_starts[2], 7), "| short");
}

TEST(RenderMarkdownTest, TableWithoutHeaderGetsBlankHeaderRow) {
  ExtractedDocument doc;
  Element table;
  table.type = ElementType::kTable;
  table.has_header = false;
  table.rows = {{"x", "y"}, {"z", "w"}};
  doc.elements.push_back(table);
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "|  |  |\n| --- | --- |\n| x | y |\n| z | w |\n");
  ASSERT_EQ(md.blocks[0].row_starts.size(), 2u);
  EXPECT_EQ(md.blocks[0].row_starts[0], 0u);  // blank header + separator + rows[0]
  EXPECT_EQ(md.text.substr(md.blocks[0].row_starts[1], 5), "| z |");
}

TEST(RenderMarkdownTest, BackslashBeforePipeStaysLiteral) {
  ExtractedDocument doc;
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"h"}, {"a\\|b"}};
  doc.elements.push_back(table);
  EXPECT_EQ(RenderMarkdown(doc).text, "| h |\n| --- |\n| a\\\\\\|b |\n");
}

TEST(RenderMarkdownTest, EmptyTableAndBlankElementsLeaveNoBlock) {
  ExtractedDocument doc;
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"", " "}};
  doc.elements.push_back(table);
  doc.elements.push_back(Make(ElementType::kParagraph, "  \n "));
  doc.elements.push_back(Make(ElementType::kParagraph, "kept"));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "kept\n");
  ASSERT_EQ(md.blocks.size(), 1u);
  EXPECT_EQ(md.blocks[0].begin, 0u);
}

TEST(RenderMarkdownTest, CodeIsFencedWithLanguageAndLongerFenceWhenNeeded) {
  ExtractedDocument doc;
  Element code = Make(ElementType::kCode, "\n  int x;\n```\n\n");
  code.language = "cpp";
  doc.elements.push_back(code);
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "````cpp\n  int x;\n```\n````\n");
  EXPECT_EQ(md.blocks[0].type, ElementType::kCode);
}

TEST(RenderMarkdownTest, BlockQuotePrefixesEveryLine) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kBlockQuote, "one\n\ntwo"));
  EXPECT_EQ(RenderMarkdown(doc).text, "> one\n> two\n");
}

TEST(RenderMarkdownTest, ParagraphCannotBreakBlockStructure) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kParagraph, "# not a heading\nline\n\n---\n    indented"));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "\\# not a heading\nline\n\\---\nindented\n");
  EXPECT_EQ(md.blocks.size(), 1u);
}

TEST(RenderMarkdownTest, ImageCaptionRendersAsText) {
  ExtractedDocument doc;
  doc.elements.push_back(Make(ElementType::kImageCaption, "A duck on a lake"));
  const RenderedMarkdown md = RenderMarkdown(doc);
  EXPECT_EQ(md.text, "A duck on a lake\n");
  EXPECT_EQ(md.blocks[0].type, ElementType::kImageCaption);
}

TEST(ElementTypeNameTest, NamesAreStable) {
  EXPECT_EQ(ElementTypeName(ElementType::kTitle), "title");
  EXPECT_EQ(ElementTypeName(ElementType::kHeading), "heading");
  EXPECT_EQ(ElementTypeName(ElementType::kParagraph), "paragraph");
  EXPECT_EQ(ElementTypeName(ElementType::kListItem), "list_item");
  EXPECT_EQ(ElementTypeName(ElementType::kTable), "table");
  EXPECT_EQ(ElementTypeName(ElementType::kCode), "code");
  EXPECT_EQ(ElementTypeName(ElementType::kBlockQuote), "block_quote");
  EXPECT_EQ(ElementTypeName(ElementType::kImageCaption), "image_caption");
  EXPECT_EQ(ElementTypeName(ElementType::kPageBreak), "page_break");
  EXPECT_EQ(ElementTypeName(ElementType::kHeaderFooter), "header_footer");
}

}  // namespace
}  // namespace smelter
