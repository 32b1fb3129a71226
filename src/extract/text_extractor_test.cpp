#include <gtest/gtest.h>

#include <string>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ExtractCorpusFile;
using testing::ExtractString;

TEST(TextExtractorTest, ParagraphsAtBlankLines) {
  auto r = ExtractString("First paragraph.\n\n\nSecond one\r\n\r\nThird.\n", "a.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 3u);
  EXPECT_EQ(r->elements[0].type, ElementType::kParagraph);
  EXPECT_EQ(r->elements[0].text, "First paragraph.");
  EXPECT_EQ(r->elements[1].text, "Second one");
  EXPECT_EQ(r->elements[2].text, "Third.");
  EXPECT_EQ(r->title, "");  // ends with a period: not a title
  EXPECT_EQ(r->source_encoding, "UTF-8");
}

TEST(TextExtractorTest, HardWrappedProseIsJoined) {
  const std::string text =
      "It was in July, 1805, and the speaker was the well-known Anna Pavlovna\n"
      "Scherer, maid of honor and favorite of the Empress Marya Fedorovna. With\n"
      "these words she greeted Prince Vasili.\n";
  auto r = ExtractString(text, "book.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->elements.size(), 1u);
  EXPECT_EQ(r->elements[0].text,
            "It was in July, 1805, and the speaker was the well-known Anna Pavlovna Scherer, maid of honor "
            "and favorite of the Empress Marya Fedorovna. With these words she greeted Prince Vasili.");
}

TEST(TextExtractorTest, ShortLinesAndListsKeepTheirBreaks) {
  auto r = ExtractString("Jane Doe\n12 Main Street\nSpringfield\n\n  - apples\n  - pears\n", "addr.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].text, "Jane Doe\n12 Main Street\nSpringfield");
  EXPECT_EQ(r->elements[1].text, "- apples\n- pears");
}

TEST(TextExtractorTest, ShortFirstLineIsTheTitle) {
  auto r = ExtractString("Quarterly Report\n\nRevenue grew in every region this quarter.\n", "q.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "Quarterly Report");
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[1].type, ElementType::kParagraph);

  auto underlined = ExtractString("Release Notes\n=============\n\nFixed bugs.\n", "n.txt");
  ASSERT_TRUE(underlined.ok());
  EXPECT_EQ(underlined->title, "Release Notes");
}

TEST(TextExtractorTest, WhitespaceOnlyIsEmpty) {
  auto r = ExtractString("  \n\t\n \xC2\xA0 \n\n", "blank.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
}

TEST(TextExtractorCorpusTest, EmptyFiles) {
  SMELTER_REQUIRE_CORPUS();
  auto empty = ExtractCorpusFile("empty.txt");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Status::Code::kEmpty);
  auto spaces = ExtractCorpusFile("fake-text-all-whitespace.txt");
  ASSERT_FALSE(spaces.ok());
  EXPECT_EQ(spaces.status().code(), Status::Code::kEmpty);
}

TEST(TextExtractorCorpusTest, LegacyEncodings) {
  SMELTER_REQUIRE_CORPUS();
  auto win = ExtractCorpusFile("testTXT_win-1252.txt");
  ASSERT_TRUE(win.ok()) << win.status().ToString();
  EXPECT_EQ(win->source_encoding, "WINDOWS-1252");
  EXPECT_NE(AllText(*win).find("\xE2\x80\x9Cwindows\xE2\x80\x9D encoding"), std::string::npos);

  auto multi = ExtractCorpusFile("multi-language.txt");
  ASSERT_TRUE(multi.ok());
  const std::string text = AllText(*multi);
  EXPECT_NE(text.find("Port ABC n\xC3\xA3o contabilize"), std::string::npos);
  EXPECT_NE(text.find("Port ABC contrata\xC3\xA7\xC3\xA3o de sucesso"), std::string::npos);
  EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos);  // no U+FFFD anywhere
}

TEST(TextExtractorCorpusTest, WideEncodings) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"fake-text-utf-16-le.txt", "fake-text-utf-32.txt"}) {
    auto r = ExtractCorpusFile(name);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    ASSERT_GE(r->elements.size(), 3u) << name;
    EXPECT_EQ(r->elements[0].text, "This is a test document to use for unit tests.") << name;
    EXPECT_NE(AllText(*r).find("Doylestown, PA 18901"), std::string::npos) << name;
    EXPECT_NE(AllText(*r).find("- I love fuzzy blankets"), std::string::npos) << name;
  }
}

TEST(TextExtractorCorpusTest, ProseBook) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("book-war-and-peace-1p.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "CHAPTER I");
  // Hard-wrapped lines were rejoined into one paragraph.
  EXPECT_NE(AllText(*r).find("Anna Pavlovna Scherer, maid of honor and favorite of the Empress Marya Fedorovna."),
            std::string::npos);
}

}  // namespace
}  // namespace smelter
