// Structure-aware chunking of a rendered document.
//
// Splits at headings first, then paragraphs (blocks), then sentences, then
// words, packing pieces greedily up to a size budget, with an overlap carried
// from the end of one chunk into the next. Each chunk is a contiguous slice
// of the silver Markdown (so char offsets are exact), carries its heading
// path and page range, and a table is never cut inside a row: an oversized
// table is split between rows, each part repeating nothing but staying whole.
// Code blocks are kept whole when they fit the budget.
#pragma once

#include <string_view>
#include <vector>

#include "core/chunk.h"
#include "core/element.h"

namespace smelter {

enum class SizeUnit { kTokens, kChars };

struct ChunkOptions {
  int max_size = 512;        // budget per chunk, in `unit`
  int overlap = 64;          // carried over from the previous chunk, in `unit`
  SizeUnit unit = SizeUnit::kTokens;
};

// Approximate tokenizer-independent token count (words and punctuation,
// long words counted per ~4 characters, as subword tokenizers do).
int CountTokens(std::string_view text);

// REQUIRES: options.max_size > 0, 0 <= options.overlap < options.max_size.
// Chunk ids are "<doc_id>-<index>"; vectors are left empty.
std::vector<Chunk> ChunkDocument(std::string_view doc_id, const RenderedMarkdown& doc,
                                 const ChunkOptions& options);

// Plain-text splitting with the same rules (no structure): used by the
// chunking benchmark and for text without blocks.
std::vector<Chunk> ChunkText(std::string_view doc_id, std::string_view text,
                             const ChunkOptions& options);

}  // namespace smelter
