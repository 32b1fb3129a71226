// OCR: images and image-only PDF pages to text, with Tesseract.
//
// Tesseract's own OpenMP threads oversubscribe the cores and make it several
// times slower when many pages run at once, so every page is recognised
// single-threaded (OpenMP serialised, as OMP_THREAD_LIMIT=1 would) and
// parallelism comes from running pages side by side, at most
// `ExtractOptions::ocr_threads` at a time across all threads and extraction
// worker processes of this user (slots held with file locks, see ocr.cpp).
//
// Each page comes back as paragraphs in reading order (Tesseract's block and
// paragraph layout; lines joined with spaces, words hyphenated at a line end
// rejoined), with its mean word confidence (0-100). A page that reads
// poorly and that Tesseract's orientation detector finds sideways or upside
// down is turned upright and read again. A page with no recognisable text is
// not an error: it has no elements and confidence 0.
//
// All functions are safe to call from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/element.h"
#include "core/status.h"
#include "extract/extractor.h"

namespace smelter {

struct OcrPage {
  int page = 0;                   // 1-based page number
  std::vector<Element> elements;  // paragraphs (page field set), reading order
  double confidence = 0;          // mean word confidence, 0..100
  int words = 0;
};

// True when Tesseract and the configured languages' data are installed;
// otherwise `why` says what is missing and how to install it.
bool OcrAvailable(const ExtractOptions& options, std::string* why);

// Recognises an encoded image (PNG, JPEG, TIFF, BMP, GIF, WebP, JPEG 2000
// -- every frame of a multi-page TIFF becomes a page, numbered from 1).
// kCorrupt when the image cannot be decoded; kTooLarge over 100 megapixels
// (judged from the header, before decoding); kUnsupported when OCR is not
// installed.
Result<std::vector<OcrPage>> OcrImage(std::string_view image_bytes, const ExtractOptions& options);

// Renders the given 1-based pages of a PDF at `options.ocr_dpi` (lower for
// a page that would exceed 100 megapixels) and recognises them, pages in
// parallel. Results are in the order of `pages`; an empty `pages` gives an
// empty result. kCorrupt when poppler cannot open the PDF, kEncrypted when
// it needs a password that none of `options.pdf_passwords` is,
// kInvalidArgument for a page number out of range, kUnsupported when OCR is
// not installed. A page poppler cannot render comes back empty.
Result<std::vector<OcrPage>> OcrPdfPages(std::string_view pdf_bytes, const std::vector<int>& pages,
                                         const ExtractOptions& options);

}  // namespace smelter
