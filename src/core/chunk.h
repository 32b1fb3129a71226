// Chunk: the unit that is embedded, indexed and returned by search.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace smelter {

struct Chunk {
  std::string id;                         // "<doc_id>-<index>" (stable for a given text)
  std::string doc_id;
  int index = 0;                          // position within the document
  std::string text;                       // the chunk's text (a slice of the silver Markdown)
  std::vector<std::string> heading_path;  // enclosing headings, outermost first
  int page_start = 0;                     // 0 when the document is unpaged
  int page_end = 0;
  size_t char_start = 0;                  // byte offsets into the silver Markdown
  size_t char_end = 0;
  int token_count = 0;                    // CountTokens() in chunk/chunker.h
  std::vector<float> vector;              // filled by the embed stage
};

}  // namespace smelter
