#include "clean/cleaner.h"

#include <gtest/gtest.h>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

using testing::ExtractCorpusFile;

TEST(CleanerTest, CleansEveryTextOfTheDocument) {
  ExtractedDocument doc;
  doc.title = "  Caf\xC3\x83\xC2\xA9   report ";
  Element para;
  para.type = ElementType::kParagraph;
  para.text = "The infor-\nmation\x07 is   \xEF\xAC\x81nal.";
  doc.elements.push_back(para);
  Element code;
  code.type = ElementType::kCode;
  code.text = "if (x)\n    return \xEF\xBC\xA1;\x07";
  doc.elements.push_back(code);
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{" Name ", "Gr\xC3\x83\xC2\xB6\xC3\x83\xC5\xB8" "e"}, {"a\n  b", "\xE2\x91\xA0"}};
  doc.elements.push_back(table);

  CleanStats stats;
  CleanDocument(&doc, CleanOptions{}, &stats);
  EXPECT_EQ(doc.title, "Caf\xC3\xA9 report");
  EXPECT_EQ(doc.elements[0].text, "The information is final.");
  // Code: control characters go, indentation and full-width letters stay.
  EXPECT_EQ(doc.elements[1].text, "if (x)\n    return \xEF\xBC\xA1;");
  EXPECT_EQ(doc.elements[2].rows[0][0], "Name");
  EXPECT_EQ(doc.elements[2].rows[0][1], "Gr\xC3\xB6\xC3\x9F" "e");
  EXPECT_EQ(doc.elements[2].rows[1][0], "a\nb");
  EXPECT_EQ(doc.elements[2].rows[1][1], "1");
  EXPECT_EQ(stats.mojibake_repairs, 3);
  EXPECT_EQ(stats.control_chars_removed, 2);
  EXPECT_EQ(stats.hyphenations_joined, 1);
  EXPECT_EQ(stats.nfkc_changed, 2);
  EXPECT_GE(stats.whitespace_fixes, 5);
  EXPECT_EQ(stats.repeated_lines_removed, 0);

  // Cleaning is idempotent: a second pass finds nothing to fix.
  CleanStats again;
  CleanDocument(&doc, CleanOptions{}, &again);
  EXPECT_EQ(again.total(), 0) << again.ToString();
}

TEST(CleanerTest, OptionsSwitchStepsOff) {
  ExtractedDocument doc;
  Element para;
  para.text = "Caf\xC3\x83\xC2\xA9  infor-\nmation";
  doc.elements.push_back(para);
  CleanOptions off;
  off.repair_mojibake = false;
  off.join_hyphenation = false;
  CleanStats stats;
  CleanDocument(&doc, off, &stats);
  EXPECT_EQ(doc.elements[0].text, "Caf\xC3\x83\xC2\xA9 infor-\nmation");
  EXPECT_EQ(stats.mojibake_repairs, 0);
  EXPECT_EQ(stats.whitespace_fixes, 1);
}

TEST(CleanerTest, RemovesKnownBoilerplateAcrossDocuments) {
  ExtractedDocument doc;
  Element para;
  para.text = "Sent from my phone";
  doc.elements.push_back(para);
  para.text = "Real content";
  doc.elements.push_back(para);
  const LineHashSet known = {BoilerplateLineHash("sent from my  phone")};
  CleanOptions options;
  options.known_boilerplate = &known;
  CleanStats stats;
  CleanDocument(&doc, options, &stats);
  ASSERT_EQ(doc.elements.size(), 2u);
  EXPECT_EQ(doc.elements[0].type, ElementType::kHeaderFooter);
  EXPECT_EQ(RenderMarkdown(doc).text, "Real content\n");
  EXPECT_EQ(stats.known_lines_removed, 1);
  EXPECT_EQ(stats.elements_dropped, 1);
}

// A running footer on every page of a 23-page paper goes; the body stays.
// (The PDF extractor already marks it; the cleaner catches it from any
// extractor, so the test first turns the marked footers back into text.)
TEST(CleanerTest, CorpusRemovesRunningFooter) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = ExtractCorpusFile("TAMReview.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::string footer = "Sprouts - http://sprouts.aisnet.org/9-37";
  int footers_before = 0;
  for (Element& e : doc->elements) {
    if (e.text.find(footer) == std::string::npos) continue;
    ++footers_before;
    e.type = ElementType::kParagraph;
  }
  ASSERT_GE(footers_before, 20);
  CleanStats stats;
  CleanDocument(&*doc, CleanOptions{}, &stats);
  EXPECT_GE(stats.repeated_lines_removed, footers_before);
  const std::string text = RenderMarkdown(*doc).text;
  EXPECT_EQ(text.find(footer), std::string::npos);
  EXPECT_NE(text.find("Technology Acceptance Model"), std::string::npos);
  int kept_as_footer = 0;  // still there for classification scans
  for (const Element& e : doc->elements) {
    kept_as_footer += e.type == ElementType::kHeaderFooter && e.text.find(footer) != std::string::npos;
  }
  EXPECT_EQ(kept_as_footer, footers_before);
  // The PDF's broken font maps glyphs to C1 controls; they are gone.
  EXPECT_GT(stats.control_chars_removed, 1000);
  EXPECT_EQ(text.find("\xC2\x87"), std::string::npos);
}

// A long German paper without unmarked running headers: nothing is removed
// as boilerplate, even though "Beweis:" and lone numbers repeat on many pages.
TEST(CleanerTest, CorpusKeepsRepeatedBodyLines) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = ExtractCorpusFile("GeoTopo-komprimiert.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const size_t before = doc->elements.size();
  CleanStats stats;
  CleanDocument(&*doc, CleanOptions{}, &stats);
  EXPECT_EQ(stats.repeated_lines_removed, 0);
  EXPECT_EQ(doc->elements.size(), before);
  EXPECT_GT(stats.nfkc_changed, 0);  // ligatures and compatibility forms in the maths
  EXPECT_NE(testing::AllText(*doc).find("Beweis:"), std::string::npos);
}

// A Wikipedia page saved with its en dashes as "â\u0080\u0093" (UTF-8 read
// as Latin-1): every dash comes back.
TEST(CleanerTest, CorpusRepairsMojibakeDashes) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = ExtractCorpusFile("norwich-city.txt");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_NE(testing::AllText(*doc).find("1986\xC3\xA2\xC2\x80\xC2\x93" "1990"), std::string::npos);
  CleanStats stats;
  CleanDocument(&*doc, CleanOptions{}, &stats);
  EXPECT_GE(stats.mojibake_repairs, 122);  // lines with a mangled dash
  const std::string text = testing::AllText(*doc);
  EXPECT_NE(text.find("1986\xE2\x80\x93" "1990 Watford"), std::string::npos);
  EXPECT_EQ(text.find("\xC3\xA2\xC2\x80"), std::string::npos);
  EXPECT_NE(text.find("Iwan Roberts"), std::string::npos);
}

// The first article of the UDHR in hundreds of languages, many of them with
// Latin letters that look like mojibake to a careless repair: none is repaired.
TEST(CleanerTest, CorpusNoFalseMojibakeRepairs) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"UDHR_first_article_all.txt", "testTXT_win-1252.txt", "multi-language.txt"}) {
    auto doc = ExtractCorpusFile(name);
    ASSERT_TRUE(doc.ok()) << name;
    CleanStats stats;
    CleanDocument(&*doc, CleanOptions{}, &stats);
    EXPECT_EQ(stats.mojibake_repairs, 0) << name;
  }
}

}  // namespace
}  // namespace smelter
