#include "quality/language_detect.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/element.h"
#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

// The UDHR file lists "Language name" lines, each followed by its text.
std::string UdhrArticle(const std::string& file, const std::string& language) {
  std::istringstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line == language && std::getline(in, line)) return line;
  }
  return "";
}

TEST(LanguageDetectTest, UdhrArticleInManyLanguages) {
  SMELTER_REQUIRE_CORPUS();
  const std::string file = testing::ReadCorpusFile("UDHR_first_article_all.txt");
  const std::pair<const char*, const char*> cases[] = {
      {"English", "en"},         {"French", "fr"},           {"German, Standard (1996)", "de"},
      {"Russian", "ru"},         {"Japanese", "ja"},         {"Korean", "ko"},
      {"Arabic, Standard", "ar"}, {"Chinese, Mandarin (Simplified)", "zh"}, {"Spanish", "es"},
      {"Portuguese (Portugal)", "pt"}, {"Italian", "it"},   {"Dutch", "nl"},
      {"Polish", "pl"},          {"Greek (monotonic)", "el"}, {"Turkish", "tr"}};
  for (const auto& [name, code] : cases) {
    const std::string text = UdhrArticle(file, name);
    ASSERT_FALSE(text.empty()) << name;
    const LanguageGuess guess = DetectLanguage(text);
    EXPECT_EQ(guess.code, code) << name << ": " << text;
  }
}

TEST(LanguageDetectTest, WholeMultilingualFileHasSeveralLanguages) {
  SMELTER_REQUIRE_CORPUS();
  const LanguageGuess guess = DetectLanguage(testing::ReadCorpusFile("UDHR_first_article_all.txt"));
  ASSERT_EQ(guess.top.size(), 3u);
  EXPECT_LT(guess.percent, 50);  // no language dominates
  EXPECT_GT(guess.text_bytes, 10000);
}

TEST(LanguageDetectTest, GermanLectureNotes) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = testing::ExtractCorpusFile("GeoTopo-komprimiert.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const LanguageGuess guess = DetectLanguage(RenderMarkdown(*doc).text);
  EXPECT_EQ(guess.code, "de");
  EXPECT_EQ(guess.name, "GERMAN");
  EXPECT_TRUE(guess.reliable);
  EXPECT_GT(guess.percent, 80);
}

TEST(LanguageDetectTest, EnglishNovelAndUnknowns) {
  SMELTER_REQUIRE_CORPUS();
  const LanguageGuess novel = DetectLanguage(testing::ReadCorpusFile("book-war-and-peace-1p.txt"));
  EXPECT_EQ(novel.code, "en");
  EXPECT_TRUE(novel.reliable);

  EXPECT_EQ(DetectLanguage("").code, "un");
  const LanguageGuess digits = DetectLanguage("12345 67890 %%% ---");
  EXPECT_EQ(digits.code, "un");
  EXPECT_FALSE(digits.reliable);
  // Invalid UTF-8 after valid text: the valid prefix is still scored.
  const std::string mixed = UdhrArticle(testing::ReadCorpusFile("UDHR_first_article_all.txt"), "English") + "\xFF\xFE";
  EXPECT_EQ(DetectLanguage(mixed).code, "en");
  // A Wikipedia page whose dashes are mojibake with C1 controls ("â\u0080\u0093").
  const LanguageGuess norwich = DetectLanguage(testing::ReadCorpusFile("norwich-city.txt"));
  EXPECT_EQ(norwich.code, "en");
  EXPECT_TRUE(norwich.reliable);
}

TEST(LanguageDetectTest, CutsLongTextAtACharacterBoundary) {
  std::string text;
  while (text.size() < 4000) text += "Über die Grundlagen der Topologie und ihre Anwendungen in der Geometrie. ";
  const LanguageGuess guess = DetectLanguage(text, 1001);  // inside the two bytes of a "Ü"?
  EXPECT_EQ(guess.code, "de");
  EXPECT_LE(guess.text_bytes, 1001);
}

}  // namespace
}  // namespace smelter
