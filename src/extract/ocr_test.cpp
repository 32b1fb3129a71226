// OCR on the corpus's scanned PDFs and on images made from them (rendered
// by poppler, encoded by leptonica), and the image extractor on top.
#include "extract/ocr.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <memory>
#include <string>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/type_detect.h"

namespace smelter {

std::unique_ptr<Extractor> MakeImageExtractor();

namespace {

using testing::ReadCorpusFile;

std::string PageText(const OcrPage& page) {
  std::string out;
  for (const Element& element : page.elements) {
    EXPECT_EQ(element.type, ElementType::kParagraph);
    EXPECT_EQ(element.page, page.page);
    out += element.text;
    out += '\n';
  }
  return out;
}

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// One page of a corpus PDF as an 8-bit grey leptonica image.
PixPtr RenderPage(const std::string& pdf, int page_number, int dpi) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) return nullptr;
  std::unique_ptr<poppler::page> page(doc->create_page(page_number - 1));
  if (!page) return nullptr;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  if (!image.is_valid()) return nullptr;
  PixPtr pix(pixCreate(image.width(), image.height(), 8));
  for (int y = 0; y < image.height(); ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) + y * image.bytes_per_row();
    l_uint32* line = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
    for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

std::string Encode(PIX* pix, int format) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMem(&data, &size, pix, format) != 0) return "";
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

// Nemotron's first page at 150 dpi: one sentence in large type, quick to
// recognise.
const std::string& DoclingPage() {
  static const PixPtr pix = RenderPage(ReadCorpusFile("nemotron_multipage.pdf"), 1, 150);
  static const std::string png = pix ? Encode(pix.get(), IFF_PNG) : "";
  return png;
}

ExtractOptions Options() {
  ExtractOptions options;
  options.ocr_threads = 2;
  return options;
}

class OcrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SMELTER_REQUIRE_CORPUS();
    std::string why;
    if (!OcrAvailable(Options(), &why)) GTEST_SKIP() << why;
  }
};

TEST_F(OcrTest, ScannedPdfPagesInOrderAtFullResolution) {
  const std::string pdf = ReadCorpusFile("nemotron_multipage.pdf");
  // Pages 2 and 4 are scanned upside down; they come back upright.
  Result<std::vector<OcrPage>> pages = OcrPdfPages(pdf, {1, 2, 3, 4}, Options());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 4u);
  for (int k = 0; k < 4; ++k) {
    const OcrPage& page = (*pages)[k];
    EXPECT_EQ(page.page, k + 1);
    const std::string text = PageText(page);
    EXPECT_NE(text.find("Docling bundles PDF document conversion to JSON and Markdown"), std::string::npos)
        << "page " << page.page << ": " << text;
    EXPECT_NE(text.find("self contained package"), std::string::npos) << text;
    EXPECT_GT(page.confidence, 50) << "page " << page.page;
    EXPECT_GE(page.words, 12);
  }
}

TEST_F(OcrTest, PagesComeBackInRequestedOrder) {
  ExtractOptions options = Options();
  options.ocr_dpi = 100;
  Result<std::vector<OcrPage>> pages = OcrPdfPages(ReadCorpusFile("nemotron_multipage.pdf"), {3, 1}, options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ((*pages)[0].page, 3);
  EXPECT_EQ((*pages)[1].page, 1);
  EXPECT_NE(PageText((*pages)[1]).find("Docling"), std::string::npos);
}

TEST_F(OcrTest, FlattenedLoremIpsumGivesParagraphs) {
  ExtractOptions options = Options();
  options.ocr_dpi = 200;
  Result<std::vector<OcrPage>> pages = OcrPdfPages(ReadCorpusFile("loremipsum-flat.pdf"), {1}, options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 1u);
  const OcrPage& page = pages->front();
  const std::string text = PageText(page);
  EXPECT_EQ(text.rfind("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", 0), 0u) << text;
  EXPECT_NE(text.find("Curabitur"), std::string::npos);
  EXPECT_GE(page.elements.size(), 3u);  // several paragraphs, not one blob
  EXPECT_GT(page.words, 200);
  EXPECT_GT(page.confidence, 80);
  // Lines are joined with spaces inside a paragraph.
  for (const Element& element : page.elements) EXPECT_EQ(element.text.find('\n'), std::string::npos);
}

TEST_F(OcrTest, NearlyBlankScanGivesItsFewWords) {
  Result<std::vector<OcrPage>> pages = OcrPdfPages(ReadCorpusFile("scan-bad.pdf"), {1}, Options());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_NE(PageText(pages->front()).find("pdf.js"), std::string::npos);
}

TEST_F(OcrTest, PdfErrors) {
  EXPECT_EQ(OcrPdfPages("not a pdf", {1}, Options()).status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(OcrPdfPages(ReadCorpusFile("password.pdf"), {1}, Options()).status().code(), Status::Code::kEncrypted);
  EXPECT_EQ(OcrPdfPages(ReadCorpusFile("scan-bad.pdf"), {2}, Options()).status().code(),
            Status::Code::kInvalidArgument);
  Result<std::vector<OcrPage>> none = OcrPdfPages(ReadCorpusFile("scan-bad.pdf"), {}, Options());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(OcrTest, EveryImageFormatLeptonicaDecodes) {
  const std::string& png = DoclingPage();
  ASSERT_FALSE(png.empty());
  PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  ASSERT_TRUE(pix);
  const std::vector<std::pair<const char*, std::string>> images = {
      {"png", png},
      {"jpeg", Encode(pix.get(), IFF_JFIF_JPEG)},
      {"tiff", Encode(pix.get(), IFF_TIFF_ZIP)},
      {"bmp", Encode(pix.get(), IFF_BMP)},
      {"gif", Encode(pix.get(), IFF_GIF)},
      {"webp", Encode(pix.get(), IFF_WEBP)}};
  for (const auto& [format, bytes] : images) {
    ASSERT_FALSE(bytes.empty()) << format;
    EXPECT_EQ(DetectType(bytes, "").kind, DocKind::kImage) << format;
    Result<std::vector<OcrPage>> pages = OcrImage(bytes, Options());
    ASSERT_TRUE(pages.ok()) << format << ": " << pages.status().ToString();
    ASSERT_EQ(pages->size(), 1u) << format;
    EXPECT_EQ(pages->front().page, 1);
    EXPECT_NE(PageText(pages->front()).find("Docling bundles PDF document conversion"), std::string::npos)
        << format << ": " << PageText(pages->front());
    EXPECT_GT(pages->front().confidence, 80) << format;
  }
}

TEST_F(OcrTest, SidewaysImagesAreTurnedUpright) {
  const std::string& png = DoclingPage();
  PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  ASSERT_TRUE(pix);
  for (int quads : {1, 3}) {
    PixPtr turned(pixRotateOrth(pix.get(), quads));
    Result<std::vector<OcrPage>> pages = OcrImage(Encode(turned.get(), IFF_PNG), Options());
    ASSERT_TRUE(pages.ok()) << pages.status().ToString();
    EXPECT_NE(PageText(pages->front()).find("Docling bundles PDF document conversion"), std::string::npos)
        << quads * 90 << " degrees: " << PageText(pages->front());
  }
}

TEST_F(OcrTest, MultiPageTiffFramesArePages) {
  const std::string& png = DoclingPage();
  PixPtr first(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  PixPtr second = RenderPage(ReadCorpusFile("scan-bad.pdf"), 1, 150);
  ASSERT_TRUE(first && second);
  PIXA* pixa = pixaCreate(2);
  pixaAddPix(pixa, first.get(), L_CLONE);
  pixaAddPix(pixa, second.get(), L_CLONE);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixaWriteMemMultipageTiff(&data, &size, pixa), 0);
  pixaDestroy(&pixa);
  const std::string tiff(reinterpret_cast<const char*>(data), size);
  lept_free(data);

  Result<std::vector<OcrPage>> pages = OcrImage(tiff, Options());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ((*pages)[0].page, 1);
  EXPECT_EQ((*pages)[1].page, 2);
  EXPECT_NE(PageText((*pages)[0]).find("Docling"), std::string::npos);
  EXPECT_NE(PageText((*pages)[1]).find("pdf.js"), std::string::npos);
}

TEST_F(OcrTest, LinesJoinAndHyphenatedWordsRejoin) {
  // Three lines of one paragraph in leptonica's built-in bitmap font.
  L_BMF* font = bmfCreate(nullptr, 10);
  ASSERT_NE(font, nullptr);
  PixPtr pix(pixCreate(1000, 260, 8));
  pixSetAllArbitrary(pix.get(), 255);
  const char* lines[] = {"The extraction engine reads every docu-", "ment it finds, and Jean-",
                         "Pierre checks the results."};
  for (int k = 0; k < 3; ++k) {
    l_int32 width = 0, overflow = 0;
    pixSetTextline(pix.get(), font, lines[k], 0, 40, 60 + 45 * k, &width, &overflow);
  }
  bmfDestroy(&font);
  pixSetResolution(pix.get(), 300, 300);

  Result<std::vector<OcrPage>> pages = OcrImage(Encode(pix.get(), IFF_PNG), Options());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 1u);
  ASSERT_EQ(pages->front().elements.size(), 1u) << PageText(pages->front());
  // A hyphen before a lower-case word was the line break's; before a
  // capital it belongs to the word.
  EXPECT_EQ(pages->front().elements[0].text,
            "The extraction engine reads every document it finds, and Jean-Pierre checks the results.");
}

TEST_F(OcrTest, BrokenAndOversizedImages) {
  EXPECT_EQ(OcrImage("", Options()).status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(OcrImage("certainly not an image", Options()).status().code(), Status::Code::kCorrupt);
  // A PNG cut short: the header reads, the pixels do not.
  const std::string& png = DoclingPage();
  EXPECT_EQ(OcrImage(std::string_view(png).substr(0, png.size() / 2), Options()).status().code(),
            Status::Code::kCorrupt);
  // A header claiming 50000 x 50000 pixels is refused before decoding.
  const std::string bomb = "P5\n50000 50000\n255\n" + std::string(4096, '\xff');
  EXPECT_EQ(OcrImage(bomb, Options()).status().code(), Status::Code::kTooLarge);
}

TEST_F(OcrTest, ImageExtractorDocument) {
  const std::unique_ptr<Extractor> extractor = MakeImageExtractor();
  ExtractOptions options = Options();
  ExtractInput input;
  input.bytes = DoclingPage();
  input.filename = "scan.png";
  input.type = DetectType(input.bytes, input.filename);
  input.options = &options;
  Result<ExtractedDocument> doc = extractor->Extract(input);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->page_count, 1);
  ASSERT_GE(doc->elements.size(), 2u);
  EXPECT_EQ(doc->elements[0].type, ElementType::kPageBreak);
  EXPECT_NE(testing::AllText(*doc).find("Docling bundles"), std::string::npos);
  EXPECT_EQ(doc->metadata["ocr_engine"].rfind("tesseract 5", 0), 0u) << doc->metadata["ocr_engine"];
  const double confidence = std::stod(doc->metadata["ocr_confidence"]);
  EXPECT_GT(confidence, 80);
  EXPECT_EQ(doc->metadata["ocr_confidence_pages"], doc->metadata["ocr_confidence"]);

  options.ocr = "off";
  EXPECT_EQ(extractor->Extract(input).status().code(), Status::Code::kUnsupported);

  // A blank image has no words.
  options.ocr = "auto";
  PixPtr blank(pixCreate(600, 400, 8));
  pixSetAllArbitrary(blank.get(), 255);
  const std::string blank_png = Encode(blank.get(), IFF_PNG);
  input.bytes = blank_png;
  EXPECT_EQ(extractor->Extract(input).status().code(), Status::Code::kEmpty);
}

TEST(OcrAvailableTest, MissingLanguageSaysWhatToInstall) {
  ExtractOptions options;
  options.ocr_languages = "eng+xqz";  // no such language data
  std::string why;
  EXPECT_FALSE(OcrAvailable(options, &why));
  EXPECT_NE(why.find("apt-get install tesseract-ocr-xqz"), std::string::npos) << why;
  if (OcrAvailable(ExtractOptions{}, nullptr)) {
    EXPECT_EQ(why.find("tesseract-ocr-eng"), std::string::npos) << why;
  }
  options.ocr_languages = "../../etc/passwd";
  EXPECT_FALSE(OcrAvailable(options, &why));
  EXPECT_EQ(OcrImage("x", options).status().code(), Status::Code::kUnsupported);
}

}  // namespace
}  // namespace smelter
