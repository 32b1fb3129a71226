// Mojibake repair: UTF-8 text that was once decoded as Windows-1252 (or
// Latin-1) and re-encoded, so that "é" became "Ã©" and "’" became "â€™".
//
// Consecutive non-ASCII characters that all have a single-byte
// Windows-1252 (or Latin-1 C1) form are turned back into those bytes and
// decoded as UTF-8. A repair is accepted only when
//   - the bytes form one well-formed UTF-8 character that is plausible text
//     (never a C1 control, private use, IPA or NKo letter),
//   - the suspicious-pattern count (see CountMojibakePatterns) drops, and
//   - it is unambiguous, or the same string holds an unambiguous repair
//     (see mojibake.cpp).
// Genuine Latin text is left alone: in Portuguese "NÃO" or French "à la"
// the non-ASCII letters are followed by ASCII or by letters that do not
// form a UTF-8 sequence, so no run re-encodes to valid UTF-8. Text mangled
// twice is repaired by a second pass.
//
// Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

namespace smelter {

// The number of places in `text` that look like UTF-8 read as Windows-1252:
// a lead-byte character (U+00C2..U+00F4) followed by one that stands for a
// continuation byte (0x80..0xBF in Windows-1252 / Latin-1).
int CountMojibakePatterns(std::string_view text);

// Repairs `*text` in place; returns the number of characters repaired
// (0: unchanged). Invalid UTF-8 bytes are kept and never take part.
int RepairMojibake(std::string* text);

}  // namespace smelter
