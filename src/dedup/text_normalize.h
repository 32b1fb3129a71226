// Text normalization for duplicate detection, and the exact-duplicate key.
//
// Two documents count as exact duplicates when their *normalized* texts are
// byte-identical, so differences that extraction or conversion introduce
// (case, Unicode compatibility forms, punctuation, line wrapping, Markdown
// markup, a UTF-16 vs UTF-8 source) do not hide a duplicate. Normalization:
//   1. NFKC with Unicode case folding (ICU's nfkc_cf): "Ｆｕｌｌ" -> "full",
//      "ﬁ" -> "fi", "Straße" -> "strasse";
//   2. every code point that is not a letter, digit or combining mark
//      (punctuation, symbols, whitespace, controls) becomes a word break;
//   3. scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
//      Khmer, Myanmar) make one word per character, so the word shingles of
//      minhash.h still work for them;
//   4. words are joined by single spaces, no leading or trailing space.
// Invalid UTF-8 is replaced (U+FFFD, itself a word break), never an error.
// Thread-safe: no state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smelter::dedup {

// The normalized text: lowercase words separated by one space.
std::string NormalizeForDedup(std::string_view text);

// The words of a normalized text, as views into it.
std::vector<std::string_view> SplitWords(std::string_view normalized);

// XXH3-128 of the normalized text. A 128-bit hash makes an accidental
// collision between two different documents negligible (~2^-64 at a billion
// documents); adversarial collisions only merge documents, never lose bytes.
struct ExactKey {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator==(const ExactKey&) const = default;
  std::string Hex() const;    // 32 lowercase hex digits
  std::string Bytes() const;  // 16 bytes, big-endian, for a BLOB column
};
ExactKey ExactKeyOf(std::string_view normalized);

// 64-bit hash of one paragraph's normalized text (paragraph_counts.h).
uint64_t ParagraphHash(std::string_view paragraph);

}  // namespace smelter::dedup
