// QualityMeasures: the numbers the data-quality rules judge a document by.
//
// Measured on the document's own text (title, element text, table cells;
// never page breaks or running headers/footers), after cleaning:
//   chars                non-white-space characters (code points)
//   words                runs of letters/digits (apostrophes and hyphens
//                        inside a word keep it one word); each Han, kana or
//                        Thai character counts as a word, since those
//                        scripts put no spaces between words
//   non_alpha_ratio      non-white-space characters that are not letters
//                        (digits, punctuation, symbols) / chars; 0 when empty
//   repeated_line_ratio  lines that repeat an earlier line (compared after
//                        trimming) / non-empty lines; a table row is a line
//   language             CLD2 on the text without code blocks
//   ocr_confidence       metadata "ocr_confidence" (0..100) when present
//   metadata_keys        metadata keys with a non-empty value, plus "title"
//                        when the document has one
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "core/element.h"

namespace smelter {

struct QualityMeasures {
  int64_t chars = 0;
  int64_t words = 0;
  int64_t lines = 0;
  double non_alpha_ratio = 0;
  double repeated_line_ratio = 0;
  std::string language = "un";
  bool language_reliable = false;
  int language_percent = 0;
  std::optional<double> ocr_confidence;
  std::set<std::string> metadata_keys;
};

QualityMeasures Measure(const ExtractedDocument& doc);

// The text Measure looks at: the title, then each element's text and each
// table row (cells tab-separated) on lines of their own; code blocks only
// when `include_code`.
std::string QualityText(const ExtractedDocument& doc, bool include_code);

}  // namespace smelter
