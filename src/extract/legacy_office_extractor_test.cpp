#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ReadCorpusFile;

TEST(LegacyOfficeExtractorTest, DocTextAndSummaryMetadata) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("fake.doc", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kDoc);
  ASSERT_EQ(r->elements.size(), 1u);
  EXPECT_EQ(r->elements[0].type, ElementType::kParagraph);
  EXPECT_EQ(r->elements[0].text, "Lorem ipsum dolor sit amet.");
  EXPECT_EQ(r->metadata.at("author"), "Mr. Miagi");
  EXPECT_EQ(r->metadata.at("created"), "2013-12-24T04:15:00Z");
}

TEST(LegacyOfficeExtractorTest, XlsSheetsAsNamedTables) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("tests-example.xls", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kXls);
  EXPECT_EQ(r->page_count, 3);
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 3u);
  EXPECT_EQ(headings[0]->text, "Example Test");
  EXPECT_EQ(headings[1]->text, "Format Abbr.");
  EXPECT_EQ(headings[2]->text, "Readme");
  auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  const auto& first = tables[0]->rows;
  ASSERT_GE(first.size(), 7u);
  EXPECT_EQ(first[0][0], "MC");
  EXPECT_EQ(first[0][1], "What is 2+2?");
  EXPECT_EQ(first[0][2], "4");
  EXPECT_EQ(first[1][8], "char");  // MA row, empty cells kept in place
  EXPECT_EQ(first[1][3], "");
  // Greek letters survive the UTF-8 conversion.
  EXPECT_EQ(first[6][2], "\u03bb");
  EXPECT_EQ(first[6][3], "\u039b");
  EXPECT_EQ(tables[0]->page, 1);
  EXPECT_EQ(tables[1]->page, 2);
  const auto& abbr = tables[1]->rows;
  bool found = false;
  for (const auto& row : abbr) found |= row.size() >= 2 && row[0] == "FIB_PLUS" && row[1] == "Multiple Fill in the Blank";
  EXPECT_TRUE(found) << AllText(*r);
  EXPECT_EQ(r->metadata.at("created"), "2012-01-23T00:12:31Z");
  EXPECT_EQ(r->metadata.at("modified"), "2012-01-24T17:20:25Z");
}

TEST(LegacyOfficeExtractorTest, PptSlidesFromRecords) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("fake-power-point.ppt", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kPpt);
  EXPECT_EQ(r->page_count, 1);
  EXPECT_EQ(r->title, "Adding a Bullet Slide");
  ASSERT_GE(r->elements.size(), 3u);
  EXPECT_EQ(r->elements[0].type, ElementType::kPageBreak);
  EXPECT_EQ(r->elements[0].page, 1);
  EXPECT_EQ(r->elements[1].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[1].text, "Adding a Bullet Slide");
  auto paragraphs = ElementsOfType(*r, ElementType::kParagraph);
  std::vector<std::string> texts;
  for (const Element* e : paragraphs) texts.push_back(e->text);
  EXPECT_EQ(texts, (std::vector<std::string>{"Find the bullet slide layout", "Use _TextFrame.text for first bullet",
                                             "Use _TextFrame.add_paragraph() for subsequent bullets",
                                             "Here is a lot of text!", "Here is some text in a text box!"}));
  EXPECT_EQ(r->metadata.at("created"), "2013-01-27T14:14:16Z");
  EXPECT_EQ(r->metadata.count("modified"), 0u);  // the last-saved FILETIME is zero (never set)
  // No master-slide placeholder text.
  EXPECT_EQ(AllText(*r).find("Click to edit"), std::string::npos);
}

// The converters are found through PATH; without them the verdict is a
// clear "legacy format not supported", not a crash or an empty document.
TEST(LegacyOfficeExtractorTest, MissingConverterIsUnsupported) {
  SMELTER_REQUIRE_CORPUS();
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent-smelter-test-dir", 1);
  auto r = ExtractCorpusFile("fake.doc");
  setenv("PATH", saved.c_str(), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnsupported);
  EXPECT_NE(r.status().message().find("legacy format not supported"), std::string::npos) << r.status().ToString();
}

// A converter that fails: its exit status makes the verdict and the first
// line of its standard error the message.
TEST(LegacyOfficeExtractorTest, FailingConverterReportsItsStderr) {
  SMELTER_REQUIRE_CORPUS();
  std::string dir = ::testing::TempDir() + "fake-catdoc-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string script = dir + "/catdoc";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\necho 'cannot parse: broken FIB' >&2\necho 'second line' >&2\nexit 3\n";
  }
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", (dir + ":" + saved).c_str(), 1);
  auto r = ExtractCorpusFile("fake.doc");
  setenv("PATH", saved.c_str(), 1);
  std::remove(script.c_str());
  rmdir(dir.c_str());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(r.status().message(), "catdoc failed (exit 3): cannot parse: broken FIB");
}

TEST(LegacyOfficeExtractorTest, DamagedInputsAreStatuses) {
  SMELTER_REQUIRE_CORPUS();
  const ExtractOptions options;
  DetectedType type;
  // Not an OLE2 file at all.
  type.kind = DocKind::kDoc;
  ExtractInput input;
  input.bytes = "plain words, no container";
  input.type = type;
  input.options = &options;
  const Extractor* extractor = FindExtractor(DocKind::kDoc);
  ASSERT_NE(extractor, nullptr);
  auto junk = extractor->Extract(input);
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().code(), Status::Code::kCorrupt);

  // Truncated files: whatever the verdict, a Status and no crash.
  for (const char* name : {"fake.doc", "tests-example.xls", "fake-power-point.ppt"}) {
    const std::string bytes = ReadCorpusFile(name);
    for (size_t cut : {size_t{600}, bytes.size() / 2}) {
      auto r = ExtractDocument(std::string_view(bytes).substr(0, cut), name, options, nullptr);
      if (!r.ok()) {
        EXPECT_NE(r.status().code(), Status::Code::kInternal) << name << " " << r.status().ToString();
      }
    }
  }
}

}  // namespace
}  // namespace smelter
