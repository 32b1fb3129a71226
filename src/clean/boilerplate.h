// Boilerplate lines: running headers and footers the extractor did not mark,
// and lines known to repeat across many documents.
//
// Lines are compared by a key that ignores case, white space and the digits'
// values ("Page 3 of 12" and "Page 4 of 12" share the key "page # of #"),
// so page numbers and dates inside a footer do not hide the repetition.
//
// Within one document (FindRepeatedPageLines): a line is boilerplate when it
// stands on at least `min_pages` distinct pages and on at least
// `min_page_fraction` of the pages that have text. Tables, code and titles
// are never considered (a table row repeated on every page is data).
//
// A line without letters ("12", "- 3 -", "2.") is never boilerplate: with
// digits folded, every number line shares one key, so numbers in the body
// would go with the page numbers (which the PDF extractor already marks as
// kHeaderFooter where they stand at a page edge).
//
// Across documents the caller decides (it sees the whole collection): it
// counts BoilerplateLineHash values over documents and passes the frequent
// ones to RemoveBoilerplateLines.
//
// Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/element.h"

namespace smelter {

using LineHashSet = std::unordered_set<uint64_t>;

// The comparison key of a line: lower case (ASCII and Latin via ICU case
// folding), white space runs as one space, trimmed, every digit run as "#".
std::string BoilerplateLineKey(std::string_view line);

// XXH3-64 of BoilerplateLineKey(line); 0 (never boilerplate) for a line
// whose key is empty or holds no letter.
uint64_t BoilerplateLineHash(std::string_view line);

// The distinct hashes of the candidate lines of a document (paragraph,
// heading, list, quote and caption text, one per line), for
// a caller that counts lines across documents. Lines longer than
// `max_line_chars` bytes are skipped: boilerplate is short.
std::vector<uint64_t> CandidateLineHashes(const ExtractedDocument& doc, size_t max_line_chars = 200);

struct RepeatedLineOptions {
  int min_pages = 3;                // a header must repeat on this many pages at least
  double min_page_fraction = 0.5;   // ... and on this share of the pages with text
  size_t max_line_chars = 200;      // longer lines are never boilerplate
};

// Hashes of lines repeated across the pages of `doc`. Empty for an unpaged
// document or one with fewer than `min_pages` pages of text.
LineHashSet FindRepeatedPageLines(const ExtractedDocument& doc, const RepeatedLineOptions& options);

// Takes every candidate line whose hash is in `hashes` out of the rendered
// text: the lines move into a kHeaderFooter element of the same page right
// after their element (an element left without text becomes that element).
// Header/footer elements are not rendered or chunked, but later stages that
// look for classification stamps ("CONFIDENTIAL" in a running footer, see
// enrich/content_markers.h) still see them. Elements of other types are
// never touched. Returns the number of lines moved; `*elements_dropped`
// (when not null) is increased by the number of elements left without
// rendered text.
int RemoveBoilerplateLines(ExtractedDocument* doc, const LineHashSet& hashes, size_t max_line_chars,
                           int* elements_dropped);

}  // namespace smelter
