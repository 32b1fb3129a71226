// CleanDocument: the silver stage's text cleaning of one extracted document.
//
// Every text the document holds -- element text, table cells, the title --
// goes through, in this order (each step can be switched off):
//   1. mojibake repair      (mojibake.h; before NFKC, which would fold the
//                            "…" and "™" that mojibake repair needs)
//   2. control characters   (text_cleanup.h)
//   3. Unicode NFKC
//   4. white space runs     (not in code blocks: indentation is meaning)
//   5. hyphenated line ends joined (paragraphs, list items, quotes only)
// and then boilerplate lines are taken out of the rendered text of the
// document as a whole: lines repeated across its pages (boilerplate.h), plus
// lines whose hash the caller knows to repeat across documents. They move
// into kHeaderFooter elements, so a "CONFIDENTIAL" running footer still
// counts for the security level (enrich/) without being chunked.
//
// Code blocks get steps 1-2 only: NFKC would turn a full-width character in
// a string literal into another program.
//
// Thread-safe; never fails (a text ICU cannot convert is left unchanged).
#pragma once

#include <cstddef>
#include <string>

#include "clean/boilerplate.h"
#include "core/element.h"

namespace smelter {

struct CleanOptions {
  bool repair_mojibake = true;
  bool remove_control_chars = true;
  bool nfkc = true;
  bool normalize_whitespace = true;
  bool join_hyphenation = true;
  bool remove_repeated_page_lines = true;
  RepeatedLineOptions repeated_lines;  // when a line counts as a running header/footer
  // Lines known to repeat across many documents (BoilerplateLineHash);
  // borrowed, may be null. Removed wherever they stand.
  const LineHashSet* known_boilerplate = nullptr;
};

// How many of each fix were made. Text-level counters count changes as
// the functions of text_cleanup.h and mojibake.h report them.
struct CleanStats {
  int mojibake_repairs = 0;        // characters repaired
  int control_chars_removed = 0;
  int nfkc_changed = 0;            // texts (element text, cell, title) that NFKC changed
  int whitespace_fixes = 0;        // white space runs normalized
  int hyphenations_joined = 0;
  int repeated_lines_removed = 0;  // running headers/footers (same document)
  int known_lines_removed = 0;     // lines from known_boilerplate
  int elements_dropped = 0;        // elements left without rendered text

  CleanStats& operator+=(const CleanStats& other);
  int total() const;
  // "mojibake=2 control=0 nfkc=5 ..." for logs.
  std::string ToString() const;
};

// Cleans `*doc` in place. `stats` may be null; when given, counts are added
// to it (so one CleanStats can sum a whole run).
void CleanDocument(ExtractedDocument* doc, const CleanOptions& options, CleanStats* stats);

// The text steps 1-5 on one string, as CleanDocument applies them to an
// element of `type`.
void CleanText(std::string* text, ElementType type, const CleanOptions& options, CleanStats* stats);

}  // namespace smelter
