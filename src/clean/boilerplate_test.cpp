#include "clean/boilerplate.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

Element Para(std::string text, int page) {
  Element e;
  e.type = ElementType::kParagraph;
  e.text = std::move(text);
  e.page = page;
  return e;
}

// The elements that are rendered (not page breaks or headers/footers).
std::vector<const Element*> Rendered(const ExtractedDocument& doc) {
  std::vector<const Element*> out;
  for (const Element& e : doc.elements) {
    if (e.type != ElementType::kHeaderFooter && e.type != ElementType::kPageBreak) out.push_back(&e);
  }
  return out;
}

// Five pages, each with a running header, a numbered footer and body text.
ExtractedDocument PagedDocument() {
  ExtractedDocument doc;
  doc.page_count = 5;
  for (int p = 1; p <= 5; ++p) {
    doc.elements.push_back(Para("ACME Corp   Annual Report", p));
    doc.elements.push_back(Para("Body text of page " + std::string(1, static_cast<char>('A' + p)) +
                                    " that is unique.\nSecond line, also unique " + std::string(p, 'q'),
                                p));
    doc.elements.push_back(Para("Page " + std::to_string(p) + " of 5", p));
  }
  Element table;
  table.type = ElementType::kTable;
  table.page = 2;
  table.rows = {{"Page 1 of 5"}};
  doc.elements.push_back(table);
  return doc;
}

TEST(BoilerplateTest, LineKeyIgnoresCaseSpacesAndDigitValues) {
  EXPECT_EQ(BoilerplateLineKey("  Page 3   of 12 "), "page # of #");
  EXPECT_EQ(BoilerplateLineKey("PAGE 4 of 120"), "page # of #");
  EXPECT_EQ(BoilerplateLineKey("\xC3\x9C" "BERSICHT"), "\xC3\xBC" "bersicht");  // ÜBERSICHT
  EXPECT_EQ(BoilerplateLineHash("Page 1 of 5"), BoilerplateLineHash("page 2  of 5"));
  EXPECT_NE(BoilerplateLineHash("Page 1 of 5"), BoilerplateLineHash("Page 1 of 5 draft"));
  EXPECT_EQ(BoilerplateLineHash("   "), 0u);
}

TEST(BoilerplateTest, FindsAndRemovesRunningHeadersAndFooters) {
  ExtractedDocument doc = PagedDocument();
  const LineHashSet repeated = FindRepeatedPageLines(doc, RepeatedLineOptions{});
  EXPECT_EQ(repeated.size(), 2u);
  EXPECT_TRUE(repeated.count(BoilerplateLineHash("ACME Corp Annual Report")));
  EXPECT_TRUE(repeated.count(BoilerplateLineHash("Page 9 of 9")));
  int dropped = 0;
  EXPECT_EQ(RemoveBoilerplateLines(&doc, repeated, 200, &dropped), 10);
  EXPECT_EQ(dropped, 10);
  const auto rendered = Rendered(doc);
  ASSERT_EQ(rendered.size(), 6u);  // five bodies and the table
  EXPECT_EQ(rendered[0]->text.rfind("Body text of page B", 0), 0u);
  // Tables are data, never boilerplate.
  EXPECT_EQ(rendered[5]->rows[0][0], "Page 1 of 5");
  // The lines are kept as headers/footers of their pages.
  ASSERT_EQ(doc.elements.size(), 16u);
  EXPECT_EQ(doc.elements[0].type, ElementType::kHeaderFooter);
  EXPECT_EQ(doc.elements[0].text, "ACME Corp   Annual Report");
  EXPECT_EQ(doc.elements[14].text, "Page 5 of 5");
  EXPECT_EQ(doc.elements[14].page, 5);
}

TEST(BoilerplateTest, RemovesOnlyTheRepeatedLineOfAMixedElement) {
  ExtractedDocument doc;
  for (int p = 1; p <= 4; ++p) doc.elements.push_back(Para("Confidential draft\nFinding " + std::string(p, 'x'), p));
  const LineHashSet repeated = FindRepeatedPageLines(doc, RepeatedLineOptions{});
  ASSERT_EQ(repeated.size(), 1u);  // "Finding x", "Finding xx": different keys
  EXPECT_EQ(RemoveBoilerplateLines(&doc, repeated, 200, nullptr), 4);
  ASSERT_EQ(doc.elements.size(), 8u);
  EXPECT_EQ(doc.elements[6].text, "Finding xxxx");
  EXPECT_EQ(doc.elements[7].type, ElementType::kHeaderFooter);
  EXPECT_EQ(doc.elements[7].text, "Confidential draft");
  EXPECT_EQ(doc.elements[7].page, 4);
}

TEST(BoilerplateTest, NumberLinesAreNeverBoilerplate) {
  ExtractedDocument doc;
  for (int p = 1; p <= 4; ++p) {
    doc.elements.push_back(Para("Section text " + std::string(p, 'k'), p));
    doc.elements.push_back(Para("2.", p));  // a number in the middle of each page
    doc.elements.push_back(Para("More text " + std::string(p, 'm'), p));
    doc.elements.push_back(Para("- " + std::to_string(p + 10) + " -", p));  // the page number, last
  }
  EXPECT_TRUE(FindRepeatedPageLines(doc, RepeatedLineOptions{}).empty());
  EXPECT_EQ(BoilerplateLineHash("- 99 -"), 0u);
  EXPECT_EQ(BoilerplateLineHash("2."), 0u);
}

// The same text on every page (a scan of one page four times, a form) is
// the content: removing it would leave the pages empty, so it stays.
TEST(BoilerplateTest, RepetitionThatIsTheWholePageIsContent) {
  ExtractedDocument doc;
  for (int p = 1; p <= 4; ++p)
    doc.elements.push_back(Para("Docling bundles PDF document conversion to JSON and Markdown", p));
  EXPECT_TRUE(FindRepeatedPageLines(doc, RepeatedLineOptions{}).empty());
  // With a real header and real text on each page, the header still goes.
  ExtractedDocument framed;
  for (int p = 1; p <= 4; ++p) {
    framed.elements.push_back(Para("Quarterly memo", p));
    framed.elements.push_back(Para("Body " + std::string(p, 'x'), p));
  }
  EXPECT_EQ(FindRepeatedPageLines(framed, RepeatedLineOptions{}).size(), 1u);
}

TEST(BoilerplateTest, NeedsEnoughPages) {
  ExtractedDocument doc;
  for (int p = 1; p <= 2; ++p) doc.elements.push_back(Para("Header", p));
  EXPECT_TRUE(FindRepeatedPageLines(doc, RepeatedLineOptions{}).empty());
  // On 3 of 10 pages: below the 0.5 share.
  ExtractedDocument sparse;
  for (int p = 1; p <= 10; ++p) sparse.elements.push_back(Para(p <= 3 ? "Header\nbody " + std::string(p, 'y') : "body " + std::string(p, 'z'), p));
  EXPECT_TRUE(FindRepeatedPageLines(sparse, RepeatedLineOptions{}).empty());
  RepeatedLineOptions loose;
  loose.min_page_fraction = 0.3;
  EXPECT_EQ(FindRepeatedPageLines(sparse, loose).size(), 1u);
}

TEST(BoilerplateTest, PagesFromPageBreaksAndUnpagedDocuments) {
  ExtractedDocument doc;
  for (int p = 1; p <= 3; ++p) {
    Element br;
    br.type = ElementType::kPageBreak;
    br.page = p;
    doc.elements.push_back(br);
    doc.elements.push_back(Para("Running title", 0));
    doc.elements.push_back(Para("Text of page " + std::string(p, 'p'), 0));
  }
  EXPECT_EQ(FindRepeatedPageLines(doc, RepeatedLineOptions{}).size(), 1u);
  ExtractedDocument unpaged;
  for (int i = 0; i < 5; ++i) unpaged.elements.push_back(Para("Same line", 0));
  EXPECT_TRUE(FindRepeatedPageLines(unpaged, RepeatedLineOptions{}).empty());
}

TEST(BoilerplateTest, CandidateHashesAreDistinctAndSkipLongLines) {
  ExtractedDocument doc;
  doc.elements.push_back(Para("Footer\nFooter\n" + std::string(300, 'a'), 0));
  doc.elements.push_back(Para("footer", 0));
  Element code;
  code.type = ElementType::kCode;
  code.text = "int x;";
  doc.elements.push_back(code);
  const std::vector<uint64_t> hashes = CandidateLineHashes(doc);
  ASSERT_EQ(hashes.size(), 1u);
  EXPECT_EQ(hashes[0], BoilerplateLineHash("Footer"));
  LineHashSet known = {hashes[0]};
  int dropped = 0;
  EXPECT_EQ(RemoveBoilerplateLines(&doc, known, 200, &dropped), 3);
  EXPECT_EQ(dropped, 1);
  const auto rendered = Rendered(doc);
  ASSERT_EQ(rendered.size(), 2u);
  EXPECT_EQ(rendered[0]->text, std::string(300, 'a'));
  EXPECT_EQ(rendered[1]->text, "int x;");
  ASSERT_EQ(doc.elements.size(), 4u);
  EXPECT_EQ(doc.elements[1].text, "Footer\nFooter");
  EXPECT_EQ(doc.elements[2].text, "footer");
  // Header/footer elements are never candidates themselves.
  EXPECT_EQ(RemoveBoilerplateLines(&doc, known, 200, &dropped), 0);
}

}  // namespace
}  // namespace smelter
