#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::ExtractString;

TEST(RegistryTest, EachKindHasAtMostOneExtractorAndNamesAreUnique) {
  std::set<std::string_view> names;
  std::set<DocKind> kinds;
  for (const ExtractorInfo& info : ExtractorRegistry()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.summary.empty()) << info.name;
    ASSERT_NE(info.make, nullptr);
    for (DocKind kind : info.kinds) EXPECT_TRUE(kinds.insert(kind).second) << DocKindName(kind);
    // FindExtractor returns an extractor of the registered name.
    for (DocKind kind : info.kinds) {
      const Extractor* extractor = FindExtractor(kind);
      ASSERT_NE(extractor, nullptr);
      EXPECT_EQ(extractor->name(), info.name);
    }
  }
  for (const char* expected : {"text", "markdown", "html", "pdf"}) EXPECT_TRUE(names.count(expected)) << expected;
  EXPECT_EQ(FindExtractor(DocKind::kUnknown), nullptr);
  EXPECT_EQ(FindExtractor(DocKind::kEmpty), nullptr);
}

TEST(ExtractDocumentTest, ZeroBytesIsEmpty) {
  DetectedType detected;
  auto r = ExtractDocument("", "empty.txt", ExtractOptions{}, &detected);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
  EXPECT_EQ(r.status().message(), "zero bytes");
  EXPECT_EQ(detected.kind, DocKind::kEmpty);
}

TEST(ExtractDocumentTest, TooLarge) {
  ExtractOptions options;
  options.max_bytes = 10;
  auto r = ExtractDocument("this is more than ten bytes", "a.txt", options, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
  EXPECT_EQ(r.status().QuarantineReason(), "too large");
}

TEST(ExtractDocumentTest, UnsupportedNamesKindAndMime) {
  std::string junk;
  for (int i = 0; i < 512; ++i) junk.push_back(static_cast<char>((i * 73 + 11) & 0xFF));
  DetectedType detected;
  auto r = ExtractDocument(junk, "blob.bin", ExtractOptions{}, &detected);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(r.status().message(), "unknown (" + detected.mime + ")");
  EXPECT_EQ(r.status().QuarantineReason(), "unsupported type");
}

TEST(ExtractDocumentTest, DispatchesByContent) {
  DetectedType detected;
  auto r = ExtractDocument("<!doctype html><h2>Hi</h2><p>there</p>", "page.txt", ExtractOptions{}, &detected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(detected.kind, DocKind::kHtml);
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].type, ElementType::kHeading);
}

TEST(ExtractDocumentCorpusTest, EncryptedOfficeFile) {
  SMELTER_REQUIRE_CORPUS();
  auto r = testing::ExtractCorpusFile("password_protected.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted);
}

// Every corpus file goes through the entry point without crashing, and
// every success satisfies the contract: some text, pages in range.
TEST(ExtractDocumentCorpusTest, WholeCorpusNeverCrashes) {
  SMELTER_REQUIRE_CORPUS();
  int extracted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::CorpusDir())) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    DetectedType detected;
    auto r = testing::ExtractCorpusFile(name, &detected);
    if (!r.ok()) {
      EXPECT_NE(r.status().code(), Status::Code::kParserCrashed) << name << ": " << r.status().ToString();
      EXPECT_NE(r.status().code(), Status::Code::kInternal) << name;
      continue;
    }
    ++extracted;
    bool has_text = false;
    for (const Element& e : r->elements) {
      has_text |= !e.text.empty() || !e.rows.empty();
      EXPECT_GE(e.page, 0) << name;
      if (r->page_count > 0) {
        EXPECT_LE(e.page, r->page_count) << name;
      }
    }
    EXPECT_TRUE(has_text) << name;
    const RenderedMarkdown md = RenderMarkdown(*r);
    EXPECT_FALSE(md.text.empty()) << name;
  }
  EXPECT_GT(extracted, 30);
}

}  // namespace
}  // namespace smelter
