#include "extract/pdf_form_fields.h"

#include <gtest/gtest.h>
#include <poppler-document.h>

#include <memory>
#include <string>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

// ReadPdfFormFields REQUIRES a poppler-cpp document open on the thread, as
// the PDF extractor has; this holds one for the test's duration.
class PdfFormFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SMELTER_REQUIRE_CORPUS();
    pin_bytes_ = testing::ReadCorpusFile("tracemonkey.pdf");
    pin_.reset(poppler::document::load_from_raw_data(pin_bytes_.data(), static_cast<int>(pin_bytes_.size())));
    ASSERT_NE(pin_, nullptr);
  }
  std::string pin_bytes_;
  std::unique_ptr<poppler::document> pin_;
};

TEST_F(PdfFormFieldsTest, ReadsCurrentValuesOfTheLatestRevision) {
  auto fields = ReadPdfFormFields(testing::ReadCorpusFile("prefilled_f1040.pdf"), "");
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ((*fields)[0].page, 2);
  EXPECT_EQ((*fields)[0].name, "p2-t124[0]");
  EXPECT_EQ((*fields)[0].value, "foobar");
  EXPECT_EQ((*fields)[1].name, "c1_01_0_[0]");
  EXPECT_EQ((*fields)[1].value, "yes");
}

// Without "/AcroForm" in the bytes nothing is parsed: even garbage is an
// empty list, not an error.
TEST_F(PdfFormFieldsTest, NoAcroFormIsEmptyWithoutParsing) {
  auto plain = ReadPdfFormFields(pin_bytes_, "");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->empty());
  auto garbage = ReadPdfFormFields("not a pdf at all", "");
  ASSERT_TRUE(garbage.ok());
  EXPECT_TRUE(garbage->empty());
}

TEST_F(PdfFormFieldsTest, DamagedFormsAreErrorsOrEmptyNotCrashes) {
  auto fuzzed = ReadPdfFormFields(testing::ReadCorpusFile("poppler-395-0-fuzzed.pdf"), "");
  if (fuzzed.ok()) EXPECT_TRUE(fuzzed->empty());
  else EXPECT_EQ(fuzzed.status().code(), Status::Code::kCorrupt);
  ASSERT_TRUE(ReadPdfFormFields(testing::ReadCorpusFile("GHOSTSCRIPT-698804-1-fuzzed.pdf"), "").ok());
  // Cut the form at many points, the /AcroForm marker kept.
  const std::string form = testing::ReadCorpusFile("prefilled_f1040.pdf");
  for (size_t cut = 20000; cut < form.size(); cut += 20000) {
    std::string truncated = form.substr(0, cut) + " /AcroForm ";
    (void)ReadPdfFormFields(truncated, "");
  }
  auto text = ReadPdfFormFields("%PDF-1.7\n/AcroForm\n%%EOF\n", "");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), Status::Code::kCorrupt);
}

}  // namespace
}  // namespace smelter
