// The document model every extractor produces.
//
// An extractor turns the bytes of one file into an ExtractedDocument: its
// format-level metadata plus a flat list of typed Elements in reading order.
// Structure (heading levels, list nesting, tables, pages) lives in the
// elements, not in text formatting, so that later stages -- Markdown
// rendering, cleaning, chunking -- can act on it without re-parsing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smelter {

enum class ElementType {
  kTitle,         // the document's own title, rendered as a level-1 heading
  kHeading,       // section heading; `level` is 1..6
  kParagraph,
  kListItem,      // `level` is the nesting depth (0 = top); `ordered` for 1. 2. 3.
  kTable,         // `rows`; rows[0] is the header row when `has_header`
  kCode,          // preformatted text; `language` when known
  kBlockQuote,
  kImageCaption,  // alt text or a figure caption
  kPageBreak,     // marks the start of page `page` (never rendered as text)
  kHeaderFooter,  // running page header/footer, kept for cleaning, not rendered
};

std::string_view ElementTypeName(ElementType type);

struct Element {
  ElementType type = ElementType::kParagraph;
  std::string text;                            // UTF-8, inline Markdown allowed (links)
  int level = 0;                               // heading level or list depth
  bool ordered = false;                        // ordered list item
  int page = 0;                                // 1-based page/slide/sheet; 0 when unpaged
  std::vector<std::vector<std::string>> rows;  // table cells, UTF-8
  bool has_header = true;                      // table: rows[0] is a header
  std::string language;                        // code block language
};

// A document found inside another: an archive member, an email attachment,
// one thread of a chat export. The pipeline stores its bytes in bronze as an
// object of its own, links it to its parent in the catalog, and extracts it
// like any other file (so children of children work, up to a depth limit).
struct ChildDocument {
  std::string name;   // path inside the parent: "docs/a.pdf", "invoice.pdf"
  std::string bytes;  // the member's contents
  // Facts only the parent knows (attachment's sender, chat channel, ...);
  // merged into the child's format metadata.
  std::map<std::string, std::string> metadata;
};

struct ExtractedDocument {
  std::string title;                                // best title found; may be empty
  std::vector<Element> elements;                    // in reading order
  int page_count = 0;                               // 0 when the format has no pages
  std::map<std::string, std::string> metadata;      // author, created, modified, ...
  std::string source_encoding;                      // e.g. "UTF-16LE", "WINDOWS-1252"
  // Documents inside this one. A container with no text of its own (a ZIP)
  // has elements that list its members, so it is never "empty".
  std::vector<ChildDocument> children;
};

// One rendered element's place in the Markdown text.
struct Block {
  ElementType type = ElementType::kParagraph;
  int heading_level = 0;  // for kTitle (1) and kHeading; 0 otherwise
  int page = 0;           // page the element is on (0 when unpaged)
  size_t begin = 0;       // byte offset into RenderedMarkdown::text
  size_t end = 0;         // one past the last byte (excludes the blank line after)
  // For tables: byte offsets where each row line starts (first is `begin`),
  // so a chunker can split between rows but never inside one. The header row
  // and the |---| separator line form row 0.
  std::vector<size_t> row_starts;
};

// Markdown text plus a map from each block back to its element's structure.
struct RenderedMarkdown {
  std::string text;
  std::vector<Block> blocks;  // in order, non-overlapping
};

// Renders elements as CommonMark/GFM: headings as #, lists with "- " or
// "1. " indented two spaces per level, tables as GFM pipe tables (pipes in
// cells escaped, newlines folded to spaces), code as fenced blocks. Blocks
// are separated by one blank line. Page breaks and header/footers produce no
// text but set the page of the blocks that follow.
RenderedMarkdown RenderMarkdown(const ExtractedDocument& doc);

}  // namespace smelter
