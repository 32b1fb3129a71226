#include "extract/pdf_layout.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace smelter::pdf_layout {
namespace {

// Appends one line of text as words: 0.5 em per character, a quarter em
// between words, boxes 1.2 em high, starting at (x, y).
void AddLine(Page* page, const std::string& text, double x, double y, double size = 10) {
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    Word w;
    w.text = token;
    w.x0 = x;
    w.x1 = x + 0.5 * size * static_cast<double>(token.size());
    w.y0 = y;
    w.y1 = y + 1.2 * size;
    w.font_size = size;
    w.space_after = true;
    page->words.push_back(w);
    x = w.x1 + 0.25 * size;
  }
  if (!page->words.empty()) page->words.back().space_after = false;
}

Page EmptyPage(int number) {
  Page page;
  page.number = number;
  page.width = 612;
  page.height = 792;
  return page;
}

std::vector<const Block*> OfKind(const PageBlocks& page, BlockKind kind) {
  std::vector<const Block*> out;
  for (const Block& b : page.blocks) {
    if (b.kind == kind) out.push_back(&b);
  }
  return out;
}

std::string AllText(const PageBlocks& page) {
  std::string out;
  for (const Block& b : page.blocks) {
    if (b.kind != BlockKind::kHeaderFooter) out += b.text + "\n";
  }
  return out;
}

TEST(PdfLayoutTest, JoinLinesHyphenationRule) {
  EXPECT_EQ(JoinLines({"the extrac-", "tion of text"}), "the extraction of text");
  EXPECT_EQ(JoinLines({"said Jean-", "Pierre"}), "said Jean-Pierre");
  EXPECT_EQ(JoinLines({"during COVID-", "19 times"}), "during COVID-19 times");
  EXPECT_EQ(JoinLines({"two", "lines"}), "two lines");
  EXPECT_EQ(JoinLines({"a dash -", "here"}), "a dash - here");
  // A compound the document writes whole elsewhere keeps its hyphen.
  const HyphenatedWords seen = {"dual-encoder"};
  EXPECT_EQ(JoinLines({"a simple dual-", "encoder framework"}, &seen), "a simple dual-encoder framework");
  EXPECT_EQ(JoinLines({"the Dual-", "encoder, and extrac-", "tion"}, &seen), "the Dual-encoder, and extraction");
}

// Two columns of 12 lines under a full-width title: column 1 is read to
// its end before column 2 starts, and the title comes first.
TEST(PdfLayoutTest, TwoColumnsReadColumnByColumn) {
  Page page = EmptyPage(1);
  AddLine(&page, "A Title That Spans Both Columns Of The Page Here", 72, 60, 20);
  for (int k = 0; k < 12; ++k) {
    const double y = 120 + 13.0 * k;
    AddLine(&page, "left" + std::to_string(k) + " words of the first column", 72, y);
    AddLine(&page, "right" + std::to_string(k) + " words of the second column", 320, y + 4);
  }
  const auto out = AnalyzeLayout({page});
  ASSERT_EQ(out.size(), 1u);
  const std::string text = AllText(out[0]);
  const size_t title = text.find("A Title That Spans");
  const size_t last_left = text.find("left11");
  const size_t first_right = text.find("right0");
  ASSERT_NE(title, std::string::npos);
  ASSERT_NE(last_left, std::string::npos);
  ASSERT_NE(first_right, std::string::npos);
  EXPECT_LT(title, text.find("left0"));
  EXPECT_LT(last_left, first_right) << text;
  // Column 1 is one paragraph, with no column-2 words inside.
  bool found = false;
  for (const Block& b : out[0].blocks) {
    if (b.text.find("left0") == std::string::npos) continue;
    found = true;
    EXPECT_NE(b.text.find("left11"), std::string::npos);
    EXPECT_EQ(b.text.find("right"), std::string::npos);
  }
  EXPECT_TRUE(found);
  const auto headings = OfKind(out[0], BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 1u);
  EXPECT_EQ(headings[0]->level, 1);
}

TEST(PdfLayoutTest, RunningHeadersFootersAndPageNumbers) {
  std::vector<Page> pages;
  for (int p = 1; p <= 4; ++p) {
    Page page = EmptyPage(p);
    AddLine(&page, "Journal of Layout Tests, Vol. " + std::to_string(p + 10), 72, 30);
    AddLine(&page, "Body text of page " + std::to_string(p) + " which is different everywhere", 72, 200);
    AddLine(&page, std::to_string(p + 100), 300, 760);
    pages.push_back(page);
  }
  const auto out = AnalyzeLayout(pages);
  ASSERT_EQ(out.size(), 4u);
  for (const PageBlocks& page : out) {
    const auto marks = OfKind(page, BlockKind::kHeaderFooter);
    ASSERT_EQ(marks.size(), 2u) << page.number;
    const std::string text = AllText(page);
    EXPECT_EQ(text.find("Journal of Layout Tests"), std::string::npos);
    EXPECT_NE(text.find("Body text of page"), std::string::npos);
  }
}

TEST(PdfLayoutTest, AlignedRowsBecomeTable) {
  Page page = EmptyPage(1);
  AddLine(&page, "Some introduction to the table below.", 72, 100);
  const char* rows[][3] = {{"Name", "Count", "Price"}, {"apple", "3", "1.20"}, {"pear", "12", "0.80"},
                           {"plum", "7", "2.10"}};
  for (int r = 0; r < 4; ++r) {
    const double y = 130 + 14.0 * r;
    AddLine(&page, rows[r][0], 72, y);
    AddLine(&page, rows[r][1], 200, y);
    AddLine(&page, rows[r][2], 300, y);
  }
  AddLine(&page, "And some text after it.", 72, 220);
  const auto out = AnalyzeLayout({page});
  const auto tables = OfKind(out[0], BlockKind::kTable);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0]->rows.size(), 4u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Name", "Count", "Price"}));
  EXPECT_EQ(tables[0]->rows[2][1], "12");
  EXPECT_EQ(tables[0]->rows[3][2], "2.10");
  // Text around the table stays paragraphs, in order.
  ASSERT_GE(out[0].blocks.size(), 3u);
  EXPECT_EQ(out[0].blocks.front().text, "Some introduction to the table below.");
  EXPECT_EQ(out[0].blocks.back().text, "And some text after it.");
}

TEST(PdfLayoutTest, HeadingLevelsBySize) {
  Page page = EmptyPage(1);
  AddLine(&page, "Big Title", 72, 50, 24);
  AddLine(&page, "Section Heading", 72, 100, 14);
  for (int k = 0; k < 5; ++k) AddLine(&page, "body text line number " + std::to_string(k), 72, 130 + 12.0 * k);
  const auto out = AnalyzeLayout({page});
  const auto headings = OfKind(out[0], BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "Big Title");
  EXPECT_EQ(headings[0]->level, 1);
  EXPECT_EQ(headings[1]->text, "Section Heading");
  EXPECT_EQ(headings[1]->level, 2);
  const auto paragraphs = OfKind(out[0], BlockKind::kParagraph);
  ASSERT_EQ(paragraphs.size(), 1u);
  EXPECT_EQ(paragraphs[0]->text.rfind("body text line number 0", 0), 0u);
}

TEST(PdfLayoutTest, DegenerateInputDoesNotCrash) {
  Page page = EmptyPage(1);
  Word w;
  w.text = "x";
  w.x0 = 10;
  w.x1 = 5;  // inverted box: ignored
  page.words.push_back(w);
  w.x0 = 1e9;
  w.x1 = 1e9 + 1;  // absurd coordinates
  w.y1 = 1;
  page.words.push_back(w);
  Word rotated;
  rotated.text = "stamp";
  rotated.rotated = true;
  page.words.push_back(rotated);
  const auto out = AnalyzeLayout({page, EmptyPage(2)});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(AllText(out[0]).find("stamp"), std::string::npos);
  EXPECT_TRUE(out[1].blocks.empty());
}

}  // namespace
}  // namespace smelter::pdf_layout
