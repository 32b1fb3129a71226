#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/ocr.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

Result<ExtractedDocument> ExtractWith(const std::string& name, const ExtractOptions& options) {
  const std::string bytes = testing::ReadCorpusFile(name);
  return ExtractDocument(bytes, name, options, nullptr);
}

// The page of the first paragraph or heading containing `phrase`, or -1.
int PageOf(const ExtractedDocument& doc, const std::string& phrase) {
  for (const Element& e : doc.elements) {
    const bool text = e.type == ElementType::kParagraph || e.type == ElementType::kHeading;
    if (text && e.text.find(phrase) != std::string::npos) return e.page;
  }
  return -1;
}

TEST(PdfExtractorTest, GarbageIsCorruptNotACrash) {
  auto r = ExtractString("%PDF-1.7\nthis is not really a pdf at all\n%%EOF\n", "broken.pdf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_FALSE(r.status().message().empty());
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
}

TEST(PdfExtractorCorpusTest, MultiPageWithPageNumbers) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("tracemonkey.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 14);
  // One page break per page, in order, each before that page's content.
  const auto breaks = ElementsOfType(*r, ElementType::kPageBreak);
  ASSERT_EQ(breaks.size(), 14u);
  for (size_t i = 0; i < breaks.size(); ++i) EXPECT_EQ(breaks[i]->page, static_cast<int>(i) + 1);
  int page = 0;
  for (const Element& e : r->elements) {
    if (e.type == ElementType::kPageBreak) {
      page = e.page;
    } else {
      EXPECT_EQ(e.page, page) << e.text.substr(0, 60);
    }
  }
  EXPECT_EQ(PageOf(*r, "Trace-based Just-in-Time Type Specialization for Dynamic Languages"), 1);
  EXPECT_EQ(PageOf(*r, "load primes from the trace activation record"), 3);
  EXPECT_EQ(PageOf(*r, "YETI: A graduallY Extensible Trace Interpreter"), 14);
  EXPECT_EQ(r->metadata.at("created"), "2009-04-01T23:39:25Z");
  EXPECT_EQ(r->metadata.at("producer"), "pdfeTeX-1.21a");
}

TEST(PdfExtractorCorpusTest, PagesOfAnotherPaper) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("layout-parser-paper-fast.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 2);
  EXPECT_EQ(PageOf(*r, "LayoutParser"), 1);
  EXPECT_GT(PageOf(*r, "Z. Shen et al."), 1);  // running header of page 2
}

TEST(PdfExtractorCorpusTest, PasswordProtectedIsEncrypted) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"password.pdf", "libreoffice-writer-password.pdf"}) {
    auto r = ExtractCorpusFile(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kEncrypted) << name;
  }
}

// extract.pdf_passwords from the config reaches the extractor; each file
// opens with its own password among the ones tried, a wrong one does not.
TEST(PdfExtractorCorpusTest, ConfiguredPasswordsOpenEncryptedFiles) {
  SMELTER_REQUIRE_CORPUS();
  auto config = ParseConfig("[extract]\npdf_passwords = [\"wrong\", \"password\", \"openpassword\"]\n", "t");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->extract.pdf_passwords.size(), 3u);
  auto plain = ExtractWith("password.pdf", config->extract);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->title, "File with password");
  auto writer = ExtractWith("libreoffice-writer-password.pdf", config->extract);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_NE(AllText(*writer).find("Lorem ipsum dolor sit amet, consetetur sadipscing elitr"), std::string::npos);

  ExtractOptions wrong;
  wrong.pdf_passwords = {"userpassword", "test"};
  auto locked = ExtractWith("libreoffice-writer-password.pdf", wrong);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), Status::Code::kEncrypted);

  EXPECT_FALSE(ParseConfig("[extract]\npdf_passwords = \"password\"\n", "t").ok());
  EXPECT_FALSE(ParseConfig("[extract]\npdf_passwords = [1, 2]\n", "t").ok());
}

TEST(PdfExtractorCorpusTest, CopyRestrictedStillExtracts) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("copy-protected.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(AllText(*r).find("A Unified Toolkit for Deep"), std::string::npos);
}

TEST(PdfExtractorCorpusTest, BrokenFilesReturnErrorsNotCrashes) {
  SMELTER_REQUIRE_CORPUS();
  auto bug = ExtractCorpusFile("bug1020226.pdf");
  ASSERT_FALSE(bug.ok());
  EXPECT_EQ(bug.status().code(), Status::Code::kCorrupt);
  auto fuzzed = ExtractCorpusFile("poppler-395-0-fuzzed.pdf");
  ASSERT_FALSE(fuzzed.ok());
  EXPECT_EQ(fuzzed.status().code(), Status::Code::kCorrupt);
  auto ghost = ExtractCorpusFile("GHOSTSCRIPT-698804-1-fuzzed.pdf");
  EXPECT_FALSE(ghost.ok());
  // Lenient parsing recovers the one line of these.
  auto hello = ExtractCorpusFile("helloworld-bad.pdf");
  ASSERT_TRUE(hello.ok()) << hello.status().ToString();
  EXPECT_NE(AllText(*hello).find("Hello, world!"), std::string::npos);
}

TEST(PdfExtractorCorpusTest, NoTextLayerIsEmptyWithoutOcr) {
  SMELTER_REQUIRE_CORPUS();
  ExtractOptions off;
  off.ocr = "off";
  for (const char* name : {"empty.pdf", "nemotron_multipage.pdf", "loremipsum-flat.pdf"}) {
    auto r = ExtractWith(name, off);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kEmpty) << name;
    EXPECT_EQ(r.status().message(), "no text layer (OCR is off)");
  }
  // A blank page stays empty with OCR too.
  auto blank = ExtractCorpusFile("empty.pdf");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.status().code(), Status::Code::kEmpty);
}

// Scanned pages go through OCR ("auto"): real words come back, with the
// page count and mean confidence in the metadata.
TEST(PdfExtractorCorpusTest, ScannedPagesAreOcrd) {
  SMELTER_REQUIRE_CORPUS();
  ExtractOptions options;
  std::string why;
  if (!OcrAvailable(options, &why)) GTEST_SKIP() << why;
  auto r = ExtractWith("nemotron_multipage.pdf", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 4);
  EXPECT_EQ(r->metadata.at("ocr_pages"), "4");
  EXPECT_GT(std::stod(r->metadata.at("ocr_confidence")), 60.0);
  // One "page:confidence" per OCR'd page, in page order, each plausible.
  const std::string per_page = r->metadata.at("ocr_confidence_pages");
  int expected_page = 1;
  for (size_t at = 0; at < per_page.size(); ++expected_page) {
    size_t end = per_page.find(',', at);
    if (end == std::string::npos) end = per_page.size();
    const std::string item = per_page.substr(at, end - at);
    const size_t colon = item.find(':');
    ASSERT_NE(colon, std::string::npos) << per_page;
    EXPECT_EQ(std::stoi(item.substr(0, colon)), expected_page) << per_page;
    EXPECT_GT(std::stod(item.substr(colon + 1)), 50.0) << per_page;
    at = end + 1;
  }
  EXPECT_EQ(expected_page, 5) << per_page;
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Docling"), std::string::npos) << text.substr(0, 300);
  EXPECT_NE(text.find("conversion"), std::string::npos);
  std::vector<bool> pages_with_text(5, false);
  for (const Element& e : r->elements) {
    if (e.type == ElementType::kParagraph && e.page >= 1 && e.page <= 4 && e.text.find("PDF") != std::string::npos) {
      pages_with_text[e.page] = true;
    }
  }
  for (int page = 1; page <= 4; ++page) EXPECT_TRUE(pages_with_text[page]) << page;
  // Pages with a text layer are not OCR'd.
  auto paper = ExtractWith("layout-parser-paper-fast.pdf", options);
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(paper->metadata.count("ocr_pages"), 0u);
}

// Two columns: the abstract (column 1) is one contiguous passage, and the
// first line of column 2 comes only after column 1 is finished.
TEST(PdfExtractorCorpusTest, MultiColumnReadingOrder) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("multi-column-2p.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string text = AllText(*r);
  // Five lines of column 1, hyphenation ("ef-", "us-", "em-") joined.
  const std::string abstract =
      "Open-domain question answering relies on efficient passage retrieval to select candidate contexts, where "
      "traditional sparse vector space models, such as TF-IDF or BM25, are the de facto method. In this work, we "
      "show that retrieval can be practically implemented using dense representations alone, where embeddings are "
      "learned from a small number of questions and passages by a simple dual-encoder framework";
  EXPECT_NE(text.find(abstract), std::string::npos) << text.substr(0, 2000);
  // "dual-" ends a line there, and the paper writes "dual-encoder" whole
  // later on: the hyphen is real and stays.
  EXPECT_EQ(text.find("dualencoder"), std::string::npos);
  const size_t intro = text.find("Open-domain question answering (QA) (Voorhees, 1999) is a task that answers");
  const size_t col2 = text.find("Retrieval in open-domain QA is usually implemented using TF-IDF or BM25");
  ASSERT_NE(intro, std::string::npos);
  ASSERT_NE(col2, std::string::npos);
  EXPECT_LT(text.find(abstract), intro);
  EXPECT_LT(intro, col2);
  // No column-2 words inside column 1's paragraphs.
  for (const Element& e : r->elements) {
    if (e.text.find("relies on efficient passage retrieval") != std::string::npos) {
      EXPECT_EQ(e.text.find("Robertson and Zaragoza"), std::string::npos) << e.text;
    }
  }
}

TEST(PdfExtractorCorpusTest, TwoColumnPaperKeepsColumnsApart) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("tracemonkey.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string text = AllText(*r);
  // The abstract runs down column 1 of page 1 ("com-" + "pile" joined).
  EXPECT_NE(text.find("Dynamic languages such as JavaScript are more difficult to compile than statically typed "
                      "ones. Since no concrete type information is available, traditional compilers need to emit "
                      "generic code"),
            std::string::npos);
  // Section headings by size: the title is level 1, sections level 2.
  bool title = false, overview = false;
  for (const Element& e : r->elements) {
    if (e.type != ElementType::kHeading) continue;
    if (e.text == "Trace-based Just-in-Time Type Specialization for Dynamic Languages") title = e.level == 1;
    if (e.text == "2. Overview: Example Tracing Run") overview = e.level == 2 && e.page == 2;
  }
  EXPECT_TRUE(title);
  EXPECT_TRUE(overview);
  // Page 12's whitespace table: the row of access-nbody, column "Traces".
  const Element* table = nullptr;
  for (const Element& e : r->elements) {
    if (e.type == ElementType::kTable && e.page == 12) table = &e;
  }
  ASSERT_NE(table, nullptr);
  ASSERT_FALSE(table->rows.empty());
  const auto& header = table->rows[0];
  const auto traces = std::find(header.begin(), header.end(), "Traces") - header.begin();
  ASSERT_LT(static_cast<size_t>(traces), header.size());
  bool found = false;
  for (const auto& row : table->rows) {
    if (!row.empty() && row[0] == "access-nbody") {
      found = true;
      EXPECT_EQ(row[traces], "18");
      EXPECT_EQ(row.back(), "4.19x");
    }
  }
  EXPECT_TRUE(found);
}

// Running headers ("Row and Column Access Control Support in IBM DB2 for i")
// and page numbers are kHeaderFooter, not text.
TEST(PdfExtractorCorpusTest, RunningHeadersAndFootersAreMarked) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("redp5110_sampled.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  int headers = 0;
  for (const Element& e : r->elements) {
    if (e.type == ElementType::kHeaderFooter && e.text == "Row and Column Access Control Support in IBM DB2 for i") {
      ++headers;
    }
    if (e.type == ElementType::kParagraph) {
      EXPECT_NE(e.text, "Row and Column Access Control Support in IBM DB2 for i") << e.page;
    }
  }
  EXPECT_GE(headers, 5);

  auto geo = ExtractCorpusFile("GeoTopo-komprimiert.pdf");
  ASSERT_TRUE(geo.ok());
  bool header = false, number = false;
  for (const Element& e : geo->elements) {
    if (e.page != 99 || e.type != ElementType::kHeaderFooter) continue;
    header = header || e.text == "5.4. ERSTE UND ZWEITE FUNDAMENTALFORM";
    number = number || e.text == "96";
  }
  EXPECT_TRUE(header);
  EXPECT_TRUE(number);
}

TEST(PdfExtractorCorpusTest, NonLatinText) {
  SMELTER_REQUIRE_CORPUS();
  auto korean = ExtractCorpusFile("korean-text-with-tables.pdf");
  ASSERT_TRUE(korean.ok());
  EXPECT_NE(AllText(*korean).find("\xEC\x98\xA8\xEB\x9D\xBC\xEC\x9D\xB8"), std::string::npos);  // 온라인
  auto german = ExtractCorpusFile("GeoTopo-komprimiert.pdf");
  ASSERT_TRUE(german.ok());
  EXPECT_EQ(german->page_count, 117);
  EXPECT_EQ(german->title, "Geometrie und Topologie");
}

// Arabic lines come out in logical order (poppler's words are visual):
// the first line, as pdftotext prints it.
TEST(PdfExtractorCorpusTest, RightToLeftTextInLogicalOrder) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("right_to_left_01.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(AllText(*r).find("تحسين اإلنتاجية وحل المشكالت من خالل البرمجة بلغة R"), std::string::npos)
      << AllText(*r).substr(0, 300);
}

TEST(PdfExtractorCorpusTest, ConcurrentExtraction) {
  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = testing::ReadCorpusFile("layout-parser-paper-fast.pdf");
  const std::string reference = AllText(*ExtractString(bytes, "a.pdf"));
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto r = ExtractString(bytes, "a.pdf");
      if (r.ok()) results[t] = AllText(*r);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& text : results) EXPECT_EQ(text, reference);
}

// Filled-in form values come as a Field/Value table on their page, so
// that a value without an appearance in the text layer is still text and
// the PII stage sees it. The file's latest revision (an incremental
// update) cleared page 1's fields ("hello", "world", "123456789" survive
// only in an older revision) and holds "foobar" and one checked box on
// page 2.
TEST(PdfExtractorCorpusTest, FilledFormFieldsBecomeATable) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("prefilled_f1040.pdf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<const Element*> forms;
  for (const Element& e : r->elements) {
    if (e.type == ElementType::kTable && !e.rows.empty() && e.rows[0] == std::vector<std::string>{"Field", "Value"}) {
      forms.push_back(&e);
    }
  }
  ASSERT_EQ(forms.size(), 1u);
  const Element& form = *forms[0];
  EXPECT_EQ(form.page, 2);
  EXPECT_TRUE(form.has_header);
  ASSERT_EQ(form.rows.size(), 3u);
  EXPECT_EQ(form.rows[1], (std::vector<std::string>{"p2-t124[0]", "foobar"}));
  EXPECT_EQ(form.rows[2], (std::vector<std::string>{"c1_01_0_[0]", "yes"}));
  for (const auto& row : form.rows) {
    EXPECT_NE(row[1], "123456789");  // a cleared value is not resurrected
    EXPECT_NE(row[1], "hello");
  }
  ASSERT_TRUE(r->metadata.count("form_fields"));
  EXPECT_EQ(r->metadata.at("form_fields"), "2");

  auto plain = ExtractCorpusFile("tracemonkey.pdf");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->metadata.count("form_fields"), 0u);
}

}  // namespace
}  // namespace smelter
