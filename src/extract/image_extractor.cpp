// Images (PNG, JPEG, TIFF, and BMP, GIF, WebP, JPEG 2000 -- whatever
// leptonica decodes) -> elements, by OCR (extract/ocr.h).
//
// Each page (every frame of a multi-page TIFF) starts with a kPageBreak and
// its paragraphs carry the page number, as in PDFs. Metadata:
// "ocr_engine" ("tesseract 5.3.0"), "ocr_languages", "ocr_confidence" (mean
// word confidence over the pages that have text, one decimal) and
// "ocr_confidence_pages" (each page's, comma-separated, 0 for a page
// without text).
//
// Failures: OCR switched off (extract.ocr = "off") or Tesseract / its
// language data missing -> kUnsupported, saying what to change or install;
// undecodable image -> kCorrupt; over 100 megapixels -> kTooLarge; no word
// recognised -> kEmpty.
#include <tesseract/baseapi.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/ocr.h"

namespace smelter {
namespace {

std::string OneDecimal(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

class ImageExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "image"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    static const ExtractOptions kDefaults;
    const ExtractOptions& options = input.options ? *input.options : kDefaults;
    if (options.ocr == "off") return Status::Unsupported("OCR is off (extract.ocr = \"off\")");
    std::string why;
    if (!OcrAvailable(options, &why)) return Status::Unsupported(why);

    Result<std::vector<OcrPage>> pages = OcrImage(input.bytes, options);
    if (!pages.ok()) return pages.status();

    ExtractedDocument doc;
    doc.page_count = static_cast<int>(pages->size());
    std::string per_page;
    double confidence_sum = 0;
    int pages_with_text = 0, words = 0;
    for (OcrPage& page : *pages) {
      Element page_break;
      page_break.type = ElementType::kPageBreak;
      page_break.page = page.page;
      doc.elements.push_back(std::move(page_break));
      for (Element& element : page.elements) doc.elements.push_back(std::move(element));
      if (!per_page.empty()) per_page += ',';
      per_page += OneDecimal(page.confidence);
      if (page.words > 0) {
        confidence_sum += page.confidence;
        ++pages_with_text;
        words += page.words;
      }
    }
    if (words == 0) return Status::Empty("no text recognised in the image");
    doc.metadata["ocr_engine"] = std::string("tesseract ") + tesseract::TessBaseAPI::Version();
    doc.metadata["ocr_languages"] = options.ocr_languages;
    doc.metadata["ocr_confidence"] = OneDecimal(confidence_sum / pages_with_text);
    doc.metadata["ocr_confidence_pages"] = per_page;
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeImageExtractor() { return std::make_unique<ImageExtractor>(); }

}  // namespace smelter
