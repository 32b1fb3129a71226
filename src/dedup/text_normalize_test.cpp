#include "dedup/text_normalize.h"

#include <gtest/gtest.h>

namespace smelter::dedup {
namespace {

TEST(DedupNormalize, LowercasesAndDropsPunctuationAndSpaceRuns) {
  EXPECT_EQ(NormalizeForDedup("  Hello,   WORLD!\n\n-- The end.  "), "hello world the end");
  EXPECT_EQ(NormalizeForDedup("# Title\n\n- item *one*\n| a | b |"), "title item one a b");
  EXPECT_EQ(NormalizeForDedup(""), "");
  EXPECT_EQ(NormalizeForDedup(" \t.,;!"), "");
}

TEST(DedupNormalize, UnicodeCompatibilityAndCaseFolding) {
  // Fullwidth letters, a ligature, German sharp s, Greek capitals, curly quotes.
  EXPECT_EQ(NormalizeForDedup("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C \xEF\xAC\x81le Stra\xC3\x9F" "e"),
            "full file strasse");
  EXPECT_EQ(NormalizeForDedup("\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91 \xE2\x80\x9Cquoted\xE2\x80\x9D"),
            "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1 quoted");
  // Precomposed and decomposed e-acute normalize alike.
  EXPECT_EQ(NormalizeForDedup("caf\xC3\xA9"), NormalizeForDedup("cafe\xCC\x81"));
}

TEST(DedupNormalize, UnspacedScriptsMakeOneWordPerCharacter) {
  // 東京タワ: Han, Han, Katakana, Katakana.
  EXPECT_EQ(NormalizeForDedup("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF"),
            "\xE6\x9D\xB1 \xE4\xBA\xAC \xE3\x82\xBF \xE3\x83\xAF");
  EXPECT_EQ(SplitWords(NormalizeForDedup("abc \xE6\x9D\xB1\xE4\xBA\xAC def")).size(), 4u);
}

TEST(DedupNormalize, InvalidUtf8IsABreakNotAnError) {
  EXPECT_EQ(NormalizeForDedup("abc\xFF\xFE" "def \xC3\xA9t\xC3\xA9"), "abc def \xC3\xA9t\xC3\xA9");
}

TEST(DedupNormalize, ExactKeyIgnoresFormattingButNotWords) {
  const ExactKey a = ExactKeyOf(NormalizeForDedup("The quick brown fox.\nJumps over the lazy dog!"));
  const ExactKey b = ExactKeyOf(NormalizeForDedup("the QUICK   brown fox jumps over... the lazy dog"));
  const ExactKey c = ExactKeyOf(NormalizeForDedup("The quick brown cat jumps over the lazy dog."));
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
  EXPECT_EQ(a.Hex().size(), 32u);
  EXPECT_EQ(a.Bytes().size(), 16u);
  EXPECT_NE(a.Hex(), c.Hex());
}

TEST(DedupNormalize, SplitWords) {
  const auto words = SplitWords("one two three");
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], "one");
  EXPECT_EQ(words[2], "three");
  EXPECT_TRUE(SplitWords("").empty());
}

}  // namespace
}  // namespace smelter::dedup
