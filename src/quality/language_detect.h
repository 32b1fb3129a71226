// Language identification of a document's text with CLD2.
//
// CLD2 scores letters only (digits, punctuation and markup are skipped), so
// the caller passes plain text. Text past `max_bytes` is not looked at: the
// first 256 KiB of a document tell its language as well as the whole.
//
// Thread-safe: CLD2 keeps no mutable state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smelter {

struct LanguageShare {
  std::string code;  // ISO 639-1 where one exists ("en", "de", "zh"), else CLD2's code
  int percent = 0;   // share of the scored text
};

struct LanguageGuess {
  std::string code = "un";             // the top language; "un" when unknown
  std::string name = "Unknown";        // CLD2's name: "ENGLISH", "GERMAN"
  bool reliable = false;               // CLD2's own judgement (enough text, clear margin)
  int percent = 0;                     // share of the top language
  int text_bytes = 0;                  // letter bytes CLD2 scored
  std::vector<LanguageShare> top;      // up to 3, best first, unknown ones left out
};

// Identifies the language of UTF-8 `text`. Invalid UTF-8 bytes and control
// characters are read as spaces (CLD2 itself would give up on the whole
// text: one stray U+0080 of mojibake makes it score nothing).
LanguageGuess DetectLanguage(std::string_view text, size_t max_bytes = 256 * 1024);

}  // namespace smelter
