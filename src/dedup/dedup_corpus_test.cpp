// Real documents of the test corpus that are the same content in another
// format or with a repeated page land in one cluster; different documents
// do not. Text is what the pipeline would give the index: the extractor's
// elements rendered as Markdown.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/element.h"
#include "dedup/dedup_index.h"
#include "extract/corpus_test_util.h"

namespace smelter::dedup {
namespace {

class DedupCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("dedup-corpus-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    index_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  // Adds both files to a fresh index; returns the second one's decision.
  DedupDecision AddPair(const std::string& first, const std::string& second) {
    auto index = DedupIndex::Open(path_.string(), DedupOptions{});
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(index).value();
    DedupDecision last;
    int64_t modified = 0;
    for (const std::string& name : {first, second}) {
      auto doc = smelter::testing::ExtractCorpusFile(name);
      EXPECT_TRUE(doc.ok()) << name << ": " << doc.status().ToString();
      if (!doc.ok()) return {};
      const std::string text = RenderMarkdown(*doc).text;
      EXPECT_FALSE(text.empty()) << name;  // Strict/Transitional.docx hold one short line
      auto decision = index_->Add(DedupDocument{name, text, ++modified, 0});
      EXPECT_TRUE(decision.ok()) << decision.status().ToString();
      if (decision.ok()) last = *decision;
    }
    std::printf("%-45s vs %-45s %s %.3f\n", first.c_str(), second.c_str(), std::string(KindName(last.kind)).c_str(),
                last.similarity);
    return last;
  }

  void ExpectSameCluster(const std::string& first, const std::string& second) {
    const DedupDecision d = AddPair(first, second);
    EXPECT_NE(d.kind, DedupKind::kUnique) << first << " / " << second;
    EXPECT_EQ(d.duplicate_of, first);
    EXPECT_EQ(*index_->CanonicalOf(first), *index_->CanonicalOf(second));
  }

  void ExpectDifferent(const std::string& first, const std::string& second) {
    const DedupDecision d = AddPair(first, second);
    EXPECT_EQ(d.kind, DedupKind::kUnique) << first << " / " << second << " similarity " << d.similarity;
    EXPECT_NE(*index_->CanonicalOf(first), *index_->CanonicalOf(second));
  }

  std::filesystem::path path_;
  std::unique_ptr<DedupIndex> index_;
};

TEST_F(DedupCorpusTest, PdfWithADuplicatedPage) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("fake-memo.pdf", "fake-memo-with-duplicate-page.pdf");
}

TEST_F(DedupCorpusTest, DocxWithAndWithoutRenderedPageBreaks) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("handbook-1p.docx", "handbook-1p-no-rendered-page-breaks.docx");
}

TEST_F(DedupCorpusTest, HtmlInUtf8AndUtf16) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("example-steelJIS-datasheet.html", "example-steelJIS-datasheet-utf-16.html");
}

TEST_F(DedupCorpusTest, StrictAndTransitionalOoxml) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("Strict.docx", "Transitional.docx");
}

TEST_F(DedupCorpusTest, EmailAsEmlAndMsg) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("fake-email.eml", "fake-email.msg");
}

TEST_F(DedupCorpusTest, DifferentDocumentsStayApart) {
  SMELTER_REQUIRE_CORPUS();
  ExpectDifferent("tracemonkey.pdf", "layout-parser-paper-fast.pdf");
}

TEST_F(DedupCorpusTest, FilingAndEncyclopediaStayApart) {
  SMELTER_REQUIRE_CORPUS();
  ExpectDifferent("example-10k.html", "wiki_duck.html");
}

TEST_F(DedupCorpusTest, CopyProtectedPdfOfTheSamePaper) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("layout-parser-paper-fast.pdf", "copy-protected.pdf");
}

TEST_F(DedupCorpusTest, CsvInUtf8AndUtf16) {
  SMELTER_REQUIRE_CORPUS();
  ExpectSameCluster("stanley-cups.csv", "stanley-cups-utf-16.csv");
}

TEST_F(DedupCorpusTest, AnotherPageOfThePaperStaysApart) {
  SMELTER_REQUIRE_CORPUS();
  ExpectDifferent("layout-parser-paper-fast.pdf", "layout-parser-paper-with-table.pdf");
}

}  // namespace
}  // namespace smelter::dedup
