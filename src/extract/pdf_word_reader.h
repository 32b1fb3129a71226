// Each page's words of a PDF, through poppler's text device directly.
// Private to src/extract/.
//
// poppler-cpp's page::text_list() gives the same words, but makes a new
// text device per page (so the colour-space cache it holds, ICC transforms
// included, is rebuilt for every page), copies the cross-reference table
// for each page, and hands every word back as UTF-16 with per-glyph boxes.
// Together that made Smelter's extraction slower than `pdftotext` on one
// core. This reader keeps one device for the document, as pdftotext does,
// and takes the words' UTF-8 text and boxes only. It uses poppler's own
// (unstable) API from libpoppler-private-dev, so it is kept to this file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/pdf_layout.h"

namespace smelter {

class PdfWordReader {
 public:
  // Opens `bytes` (borrowed: they must outlive the reader) with `password`
  // ("" for none). nullptr when poppler cannot open them; callers open the
  // same bytes with poppler-cpp first, which also keeps poppler's global
  // settings alive while a reader exists.
  static std::unique_ptr<PdfWordReader> Open(std::string_view bytes, const std::string& password);
  ~PdfWordReader();
  PdfWordReader(const PdfWordReader&) = delete;
  PdfWordReader& operator=(const PdfWordReader&) = delete;

  // The words of page `number` (1-based) in poppler's reading order, with
  // boxes in points from the top left and font_size left 0 (the layout
  // uses the box height). Control characters are the caller's to replace.
  std::vector<pdf_layout::Word> ReadPage(int number);

 private:
  struct Impl;
  explicit PdfWordReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace smelter
