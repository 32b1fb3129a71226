// PDF page layout: positioned words -> blocks in reading order.
//
// Input is what a PDF text layer gives: words with their boxes (points, y
// growing downwards), font size and whether a space follows. Output is, per
// page, a list of blocks -- paragraphs, headings, tables, running headers and
// footers -- in reading order. The analysis is pure geometry, independent of
// poppler, so that it can be tested on synthetic pages.
//
// Steps, each O(words log words) per page:
//   1. Words -> rows (same baseline) -> line segments: a row splits where the
//      horizontal gap between two words exceeds about one line height. A
//      segment of mostly right-to-left words (Hebrew, Arabic) is read from
//      the right, each word's letters turned from visual to logical order.
//      (Columns are still read left to right on such pages.)
//   2. Tables: >= 3 consecutive rows of >= 3 segments whose x-extents line up
//      into >= 3 columns become one table (rows x cells).
//   3. Columns: a gutter is a vertical band that no column-width line crosses,
//      with enough text on both sides. Text is read column by column inside
//      the horizontal bands between lines that span the gutter (titles, wide
//      figures' captions), which keep their place.
//   4. Lines -> paragraphs: a paragraph ends at a larger vertical gap, a font
//      size change, a bullet, or a short line that ends a sentence. Lines are
//      joined with one space; a line-final hyphen after a lower-case letter
//      followed by a lower-case letter is a hyphenation break and is dropped
//      ("extrac-" + "tion" -> "extraction"), unless the document writes
//      the compound with its hyphen inside a line elsewhere ("dual-" +
//      "encoder" stays "dual-encoder" when "dual-encoder" occurs); before an
//      upper-case letter or digit it is a real hyphen and is kept without a
//      space ("Jean-Pierre").
//   5. Across pages: a line in the top or bottom band of a page whose text,
//      with digits ignored, recurs in that band on >= 3 pages (both pages of a
//      two-page file), or that is a bare page number, is a header/footer.
//   6. Headings: a short block whose font size is >= 1.2x the body size (the
//      most common size, by characters) is a heading; levels rank the
//      distinct heading sizes, largest first.
//
// Thread-safety: pure functions, no shared state.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

namespace smelter::pdf_layout {

struct Word {
  std::string text;  // UTF-8
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double font_size = 0;  // 0 when unknown: the box height / 1.2 stands in
  bool space_after = false;
  // Not horizontal (a rotated margin stamp, vertical writing): kept out of
  // the geometry and appended to the page as one paragraph, in PDF order.
  bool rotated = false;
};

struct Page {
  int number = 0;      // 1-based
  std::string label;   // page label ("iv"), may be empty
  double width = 0;    // points
  double height = 0;
  std::vector<Word> words;  // in the PDF's own (content) order
};

enum class BlockKind { kParagraph, kHeading, kTable, kHeaderFooter };

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string text;                            // paragraph, heading, header/footer
  int level = 0;                               // heading level 1..6
  std::vector<std::vector<std::string>> rows;  // table cells
  double font_size = 0;
};

struct PageBlocks {
  int number = 0;
  std::vector<Block> blocks;  // reading order
};

// Analyzes a whole document (pages in order); one PageBlocks per page.
std::vector<PageBlocks> AnalyzeLayout(const std::vector<Page>& pages);

// Lower-cased hyphenated compounds ("dual-encoder") the document writes
// inside a line: evidence that a line-end hyphen between the same halves
// is a real one.
using HyphenatedWords = std::unordered_set<std::string>;
HyphenatedWords CollectHyphenatedWords(const std::vector<Page>& pages);

// Joins text lines with the hyphenation rule above (exposed for tests).
std::string JoinLines(const std::vector<std::string>& lines, const HyphenatedWords* keep = nullptr);

}  // namespace smelter::pdf_layout
