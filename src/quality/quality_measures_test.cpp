#include "quality/quality_measures.h"

#include <gtest/gtest.h>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

Element Make(ElementType type, std::string text) {
  Element e;
  e.type = type;
  e.text = std::move(text);
  return e;
}

TEST(QualityMeasuresTest, CountsCharsWordsRatiosAndLines) {
  ExtractedDocument doc;
  doc.title = "Hello World";
  doc.elements.push_back(Make(ElementType::kParagraph, "It's a well-known fact: 42 cats."));
  doc.elements.push_back(Make(ElementType::kParagraph, "  It's a well-known fact: 42 cats.  "));
  doc.elements.push_back(Make(ElementType::kHeaderFooter, "Page 1 of 9"));  // not measured
  doc.elements.push_back(Make(ElementType::kPageBreak, ""));
  const QualityMeasures m = Measure(doc);
  EXPECT_EQ(m.words, 2 + 6 + 6);
  EXPECT_EQ(m.chars, 10 + 27 + 27);
  EXPECT_DOUBLE_EQ(m.non_alpha_ratio, 12.0 / 64.0);  // ' - : 4 2 . twice
  EXPECT_EQ(m.lines, 3);
  EXPECT_DOUBLE_EQ(m.repeated_line_ratio, 1.0 / 3.0);  // trimmed copies are repeats
  EXPECT_EQ(m.metadata_keys, std::set<std::string>{"title"});
  EXPECT_FALSE(m.ocr_confidence.has_value());
}

TEST(QualityMeasuresTest, TablesCodeAndScriptsWithoutSpaces) {
  ExtractedDocument doc;
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"Name", "Age"}, {"Ann", "41"}, {"Ann", "41"}};
  doc.elements.push_back(table);
  doc.elements.push_back(Make(ElementType::kParagraph, "\xE6\x98\xAF\xE4\xBA\xBA\xE9\x83\xBD"));  // 是人都
  doc.elements.push_back(Make(ElementType::kCode, "x = 1"));
  const QualityMeasures m = Measure(doc);
  EXPECT_EQ(m.words, 6 + 3 + 2);  // cells, three Han characters, x and 1
  EXPECT_EQ(m.chars, 17 + 3 + 3);
  EXPECT_EQ(m.lines, 5);
  EXPECT_DOUBLE_EQ(m.repeated_line_ratio, 1.0 / 5.0);
  // The tab between cells is white space, no character.
  EXPECT_EQ(QualityText(doc, false), "Name\tAge\nAnn\t41\nAnn\t41\n\xE6\x98\xAF\xE4\xBA\xBA\xE9\x83\xBD\n");
}

TEST(QualityMeasuresTest, EmptyDocumentAndMetadata) {
  ExtractedDocument doc;
  doc.metadata = {{"author", "Ann"}, {"created", "  "}, {"ocr_confidence", "87.5"}};
  QualityMeasures m = Measure(doc);
  EXPECT_EQ(m.chars, 0);
  EXPECT_EQ(m.words, 0);
  EXPECT_EQ(m.non_alpha_ratio, 0.0);
  EXPECT_EQ(m.repeated_line_ratio, 0.0);
  EXPECT_EQ(m.language, "un");
  ASSERT_TRUE(m.ocr_confidence.has_value());
  EXPECT_DOUBLE_EQ(*m.ocr_confidence, 87.5);
  EXPECT_EQ(m.metadata_keys, (std::set<std::string>{"author", "ocr_confidence"}));  // blank "created" is absent
  doc.metadata["ocr_confidence"] = "high";
  EXPECT_FALSE(Measure(doc).ocr_confidence.has_value());
}

TEST(QualityMeasuresTest, CorpusGermanPdf) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = testing::ExtractCorpusFile("GeoTopo-komprimiert.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const QualityMeasures m = Measure(*doc);
  EXPECT_EQ(m.language, "de");
  EXPECT_TRUE(m.language_reliable);
  EXPECT_GT(m.words, 20000);
  EXPECT_GT(m.chars, 100000);
  EXPECT_LT(m.non_alpha_ratio, 0.5);
  std::cout << "GeoTopo: words=" << m.words << " chars=" << m.chars << " non_alpha=" << m.non_alpha_ratio
            << " repeated=" << m.repeated_line_ratio << " lang%=" << m.language_percent << "\n";
}

}  // namespace
}  // namespace smelter
