#include "extract/pdf_word_reader.h"

#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <optional>

namespace smelter {

struct PdfWordReader::Impl {
  std::unique_ptr<PDFDoc> doc;
  // physLayout off, no fixed pitch, reading order (not raw content order):
  // the settings of poppler-cpp's text_list() and of plain pdftotext.
  TextOutputDev device{nullptr, false, 0, false, false};
};

PdfWordReader::PdfWordReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWordReader::~PdfWordReader() = default;

std::unique_ptr<PdfWordReader> PdfWordReader::Open(std::string_view bytes, const std::string& password) {
  auto impl = std::make_unique<Impl>();
  if (!impl->device.isOk()) return nullptr;
  // The document owns the stream; the stream borrows the bytes.
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  std::optional<GooString> secret;
  if (!password.empty()) secret.emplace(password);
  impl->doc = std::make_unique<PDFDoc>(stream, secret, secret);
  if (!impl->doc->isOk()) return nullptr;
  return std::unique_ptr<PdfWordReader>(new PdfWordReader(std::move(impl)));
}

std::vector<pdf_layout::Word> PdfWordReader::ReadPage(int number) {
  std::vector<pdf_layout::Word> words;
  if (number < 1 || number > impl_->doc->getNumPages()) return words;
  // 72 dpi: coordinates in points. No media box, no crop, not printing.
  impl_->doc->displayPage(&impl_->device, number, 72, 72, 0, false, false, false);
  std::unique_ptr<TextWordList> list = impl_->device.makeWordList();
  if (!list) return words;
  const int n = list->getLength();
  words.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const TextWord* source = list->get(i);
    pdf_layout::Word word;
    const std::unique_ptr<GooString> text(source->getText());
    if (text) word.text.assign(text->c_str(), static_cast<size_t>(text->getLength()));
    source->getBBox(&word.x0, &word.y0, &word.x1, &word.y1);
    word.space_after = source->getSpaceAfter();
    word.rotated = source->getRotation() != 0;
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace smelter
