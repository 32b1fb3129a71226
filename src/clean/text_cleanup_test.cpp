#include "clean/text_cleanup.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(TextCleanupTest, NfkcFoldsCompatibilityForms) {
  std::string text = "\xEF\xAC\x81nal \xEF\xBC\xA1\xEF\xBC\xA2 \xE2\x91\xA0";  // "ﬁnal ＡＢ ①"
  EXPECT_EQ(NormalizeNfkc(&text), 1);
  EXPECT_EQ(text, "final AB 1");
  std::string done = "already normal caf\xC3\xA9";
  EXPECT_EQ(NormalizeNfkc(&done), 0);
  EXPECT_EQ(done, "already normal caf\xC3\xA9");
  std::string decomposed = "cafe\xCC\x81";  // e + combining acute -> é
  EXPECT_EQ(NormalizeNfkc(&decomposed), 1);
  EXPECT_EQ(decomposed, "caf\xC3\xA9");
}

TEST(TextCleanupTest, RemovesControlCharsButKeepsNewlineAndTab) {
  std::string text = "a\x01" "b\tc\r\nd\re\x7F" "f\xC2\x85g\xEF\xBB\xBFh";
  EXPECT_EQ(RemoveControlChars(&text), 5);  // \x01, the CR of CR LF, DEL, U+0085, U+FEFF
  EXPECT_EQ(text, "ab\tc\nd\nefgh");
}

TEST(TextCleanupTest, SoftHyphenKeptOnlyAtLineEnd) {
  std::string text = "hy\xC2\xAD" "phen infor\xC2\xAD\nmation";
  EXPECT_EQ(RemoveControlChars(&text), 1);
  EXPECT_EQ(text, "hyphen infor\xC2\xAD\nmation");
  EXPECT_EQ(JoinHyphenatedLines(&text), 1);
  EXPECT_EQ(text, "hyphen information");
}

TEST(TextCleanupTest, NormalizesWhitespaceRuns) {
  std::string text = "\n\n  Hello   world\t again  \n\n\n\nnext\xC2\xA0line \n";
  EXPECT_GT(NormalizeWhitespace(&text), 0);
  EXPECT_EQ(text, "Hello world again\n\nnext line");
  std::string clean = "One line\nTwo lines\n\nPara";
  EXPECT_EQ(NormalizeWhitespace(&clean), 0);
  EXPECT_EQ(clean, "One line\nTwo lines\n\nPara");
  std::string ideographic = "a\xE3\x80\x80\xE2\x80\x83" "b";  // ideographic + em space
  EXPECT_EQ(NormalizeWhitespace(&ideographic), 1);
  EXPECT_EQ(ideographic, "a b");
}

TEST(TextCleanupTest, JoinsHyphenatedLineEnds) {
  std::string text = "the infor-\nmation is well-\n  known";
  EXPECT_EQ(JoinHyphenatedLines(&text), 2);
  EXPECT_EQ(text, "the information is wellknown");
  std::string german = "Stra\xC3\x9F" "en-\nbahn";
  EXPECT_EQ(JoinHyphenatedLines(&german), 1);
  EXPECT_EQ(german, "Stra\xC3\x9F" "enbahn");
  // Capitalized continuation, digits, list dashes: kept.
  std::string kept = "Jean-\nPaul\n1990-\n2000\n-\nitem";
  EXPECT_EQ(JoinHyphenatedLines(&kept), 0);
  EXPECT_EQ(kept, "Jean-\nPaul\n1990-\n2000\n-\nitem");
}

}  // namespace
}  // namespace smelter
