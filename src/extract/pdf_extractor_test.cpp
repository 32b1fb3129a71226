#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

// The page of the first paragraph containing `phrase`, or -1.
int PageOf(const ExtractedDocument& doc, const std::string& phrase) {
  for (const Element& e : doc.elements) {
    if (e.type == ElementType::kParagraph && e.text.find(phrase) != std::string::npos) return e.page;
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

TEST(PdfExtractorCorpusTest, NoTextLayerIsEmpty) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"empty.pdf", "nemotron_multipage.pdf", "loremipsum-flat.pdf"}) {
    auto r = ExtractCorpusFile(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kEmpty) << name;
    EXPECT_EQ(r.status().message(), "no text layer (scanned? OCR comes later)");
  }
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

}  // namespace
}  // namespace smelter
