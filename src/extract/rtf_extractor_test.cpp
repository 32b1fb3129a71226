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

TEST(RtfExtractorTest, FakeDocHeadingParagraphAndTable) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("fake-doc.rtf", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kRtf);
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 1u);
  EXPECT_EQ(headings[0]->text, "My First Heading");
  EXPECT_EQ(headings[0]->level, 1);
  auto paragraphs = ElementsOfType(*r, ElementType::kParagraph);
  ASSERT_GE(paragraphs.size(), 2u);
  EXPECT_EQ(paragraphs[0]->text, "My first paragraph.");
  EXPECT_EQ(paragraphs[1]->text, "Table Example:");
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows, (Rows{{"Column 1", "Column 2"},
                                   {"Row 1, Cell 1", "Row 1, Cell 2"},
                                   {"Row 2, Cell 1", "Row 2, Cell 2"}}));
}

TEST(RtfExtractorTest, WindowsCodepage1250PolishLetters) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testRTFWindowsCodepage1250.rtf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].text, "za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144");  // zażółć gęślą jaźń
  EXPECT_EQ(r->elements[1].text, "ZA\u017b\u00d3\u0141\u0106 G\u0118\u015aL\u0104 JA\u0179\u0143");
  EXPECT_EQ(r->source_encoding, "windows-1250");
}

TEST(RtfExtractorTest, VariousTableListsMetadataAndUnicode) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testRTFVarious.rtf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0]->rows.size(), 2u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Row 1 Col 1", "Row 1 Col 2", "Row 1 Col 3"}));
  EXPECT_EQ(tables[0]->rows[1][2], "Row 2 Col 3");

  auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0]->text, "Bullet 1");
  EXPECT_FALSE(items[0]->ordered);
  EXPECT_EQ(items[3]->text, "Number bullet 1");
  EXPECT_TRUE(items[3]->ordered);

  const std::string text = AllText(*r);
  // Shift-JIS bytes of a \fcharset128 font and \u surrogate pairs (Gothic).
  EXPECT_NE(text.find("\u30be\u30eb\u30b2\u3068\u5c3e\u5d0e"), std::string::npos) << text;  // ゾルゲと尾崎
  EXPECT_NE(text.find("\U00010332\U0001033F"), std::string::npos) << text;
  EXPECT_NE(text.find("This is a footnote."), std::string::npos);
  EXPECT_NE(text.find("Footnote appears here"), std::string::npos);
  // The text box is read once, from \shptxt, before the paragraph it sits in.
  const size_t box = text.find("Here is a text box");
  ASSERT_NE(box, std::string::npos) << text;
  EXPECT_EQ(text.find("Here is a text box", box + 1), std::string::npos);
  EXPECT_LT(box, text.find("Footnote appears here"));
  EXPECT_EQ(text.find("shapeType"), std::string::npos);
  // Skipped destinations leave nothing behind.
  EXPECT_EQ(text.find("Times New Roman"), std::string::npos);
  EXPECT_EQ(text.find("HYPERLINK"), std::string::npos);
  EXPECT_EQ(text.find("d0cf11e0"), std::string::npos);

  EXPECT_EQ(r->metadata.at("author"), "Michael McCandless");
  EXPECT_EQ(r->metadata.at("subject"), "Subject is here");
  EXPECT_EQ(r->metadata.at("keywords"), "Keyword1 Keyword2");
  EXPECT_EQ(r->metadata.at("created"), "2011-08-29T05:20:00");
  EXPECT_EQ(r->metadata.at("modified"), "2011-08-30T06:13:00");
}

// The list override table is malformed (it crashes some readers), but the
// text is intact, so it is extracted.
TEST(RtfExtractorTest, CorruptListOverrideStillReadable) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testRTFCorruptListOverride.rtf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Apples are fun!"), std::string::npos);
  EXPECT_NE(text.find("Apples can be eaten hot or cold, in pies or sauces"), std::string::npos);
  EXPECT_NE(text.find("Ingredient 6"), std::string::npos);
  EXPECT_NE(text.find("by George Formby"), std::string::npos);
  EXPECT_EQ(text.find("\xEF\xBB\xBF"), std::string::npos);  // \u-257 (U+FEFF) dropped
  EXPECT_EQ(r->metadata.at("author"), "xyz");
}

TEST(RtfExtractorTest, UnicodeSkipCountsAndSymbols) {
  auto r = ExtractString(
      "{\\rtf1\\ansi{\\info{\\title T\\u233?l\\u233?}{\\creatim\\yr2020\\mo1\\dy2\\hr3\\min4}}"
      "\\uc2 a\\u8364\\'80\\'80 b\\uc1 \\u8212? c\\{x\\}\\emdash\\~d\\par"
      "{\\*\\unknowndest hidden}{\\pict\\bin4 {}{} }visible\\par}",
      "u.rtf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "T\u00e9l\u00e9");
  EXPECT_EQ(r->metadata.at("created"), "2020-01-02T03:04:00");
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].text, "a\u20ac b\u2014 c{x}\u2014\u00a0d");
  EXPECT_EQ(r->elements[1].text, "visible");
}

TEST(RtfExtractorTest, HeadingStylesAndListLevels) {
  auto r = ExtractString(
      "{\\rtf1\\ansi{\\stylesheet{\\s0 Normal;}{\\s1\\b heading 2;}{\\s5 Title;}}"
      "\\pard\\s5 The Title\\par\\pard\\s1 Section\\par\\pard\\ls1\\ilvl1 {\\listtext 2.\\tab}Item\\par"
      "\\pard Body\\par}",
      "s.rtf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 4u);
  EXPECT_EQ(r->elements[0].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[1].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[1].level, 2);
  EXPECT_EQ(r->elements[1].text, "Section");
  EXPECT_EQ(r->elements[2].type, ElementType::kListItem);
  EXPECT_EQ(r->elements[2].level, 1);
  EXPECT_TRUE(r->elements[2].ordered);
  EXPECT_EQ(r->elements[2].text, "Item");
  EXPECT_EQ(r->elements[3].type, ElementType::kParagraph);
}

TEST(RtfExtractorTest, TooDeeplyNestedIsCorrupt) {
  const std::string deep = "{\\rtf1 " + std::string(5000, '{') + "x" + std::string(5000, '}') + "}";
  auto r = ExtractString(deep, "deep.rtf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r.status().message().find("too deeply nested"), std::string::npos);
}

TEST(RtfExtractorTest, TruncatedAndBrokenInputsNeverCrash) {
  auto truncated = ExtractString("{\\rtf1\\ansi Hello \\'e9", "t.rtf");
  ASSERT_TRUE(truncated.ok()) << truncated.status().ToString();
  EXPECT_EQ(truncated->elements[0].text, "Hello \u00e9");
  for (std::string_view junk : {"{\\rtf1 \\", "{\\rtf1 \\'", "{\\rtf1 \\u", "{\\rtf1 }}}}} x", "{\\rtf1 \\bin99999 x"}) {
    auto r = ExtractString(junk, "j.rtf");
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kEmpty) << junk;
    }
  }
  auto empty = ExtractString("{\\rtf1{\\fonttbl{\\f0 Arial;}}}", "e.rtf");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Status::Code::kEmpty);
}

}  // namespace
}  // namespace smelter
