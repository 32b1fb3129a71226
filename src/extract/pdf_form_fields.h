// Filled-in PDF form fields (AcroForm widgets), with poppler-glib.
//
// A form's values live in widget annotations: poppler-cpp's text_list sees
// one only through its appearance stream, which a form filled with
// NeedAppearances (or by a tool that writes none) lacks, and never with the
// field's label. This reads them through poppler-glib, the poppler
// interface that has a forms API, so that the extractor can add them to the
// page's text (and the PII stage can then see -- and redact -- them).
//
// Per field with a value: its page, its human label (the tooltip /
// alternate name when set, else the partial or fully-qualified name), and
// its value -- a text field's text, "yes" for a checked checkbox or the
// selected radio button, a choice field's selected items joined by ", " (or
// an editable combo box's typed text). Push buttons, signatures, unchecked
// boxes and empty fields are skipped; a field whose widgets repeat on one
// page is listed once for that page.
//
// Cost: the bytes are parsed a second time, but only when they contain
// "/AcroForm"; any other PDF returns an empty list at the cost of one memmem.
// (A form whose catalog sits in a compressed object stream, as PDF 1.5+
// writers may store it, is missed by that guard: the price of keeping
// normal PDFs free.)
//
// Errors: kCorrupt when poppler-glib cannot open the bytes, kEncrypted when
// `password` does not open them, kTooLarge over 2 GiB. Never crashes on
// malformed input (poppler's own checks; glib warnings are silenced).
//
// Thread-safety: safe to call from many threads at once (each call has its
// own document), given the REQUIRES below.
//
// REQUIRES: the calling thread holds a poppler-cpp document open for the
// whole call (the PDF extractor's own). poppler-cpp and poppler-glib share
// libpoppler's process-wide GlobalParams; poppler-cpp replaces it when its
// first document opens and frees it when its last one closes, which would
// pull it from under a poppler-glib document parsing on another thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smelter {

struct PdfFormField {
  int page = 0;       // 1-based
  std::string name;   // human label, UTF-8, one line
  std::string value;  // UTF-8, one line
};

// Fields in page order, then in the page's widget order.
Result<std::vector<PdfFormField>> ReadPdfFormFields(std::string_view pdf_bytes, const std::string& password);

}  // namespace smelter
