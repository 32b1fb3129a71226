// Mojibake repair (see mojibake.h).
//
// False repairs are the danger, so a sequence is repaired only when
//   1. its bytes decode to one well-formed UTF-8 character,
//   2. that character is plausible text (Latin-1/Latin Extended-A letters,
//      Greek, basic Cyrillic, Hebrew and Arabic letters, anything that needs
//      3 or 4 bytes except private use) -- "ß“" would decode to NKo, "É»"
//      to an IPA letter, so German quotes and French guillemets after an
//      accented capital stay as they are;
//   3. it is not ambiguous: an accented letter followed by closing
//      punctuation at a word end ("IRMÃ” " is Portuguese before a closing
//      quote, but also "IRMÔ" mangled) is repaired only when the same string
//      holds an unambiguous repair as well.

#include "clean/mojibake.h"

#include <unicode/uchar.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/utf8.h"

namespace smelter {

namespace {

// Windows-1252 bytes 0x80..0x9F; 0 where the code page leaves the byte
// undefined (decoders then produce the Latin-1 C1 control of that value).
constexpr std::array<uint32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The single byte a code point had in Windows-1252 (or Latin-1 for the C1
// controls), or -1 when it has none. Only bytes >= 0x80 matter here.
int HighByteOf(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0xFF) return static_cast<int>(cp);
  for (size_t i = 0; i < kCp1252High.size(); ++i) {
    if (kCp1252High[i] == cp) return static_cast<int>(0x80 + i);
  }
  return -1;
}

bool IsPlausible(uint32_t cp) {
  if (cp < 0xA0) return false;  // C1 controls are never what the writer meant
  if (cp <= 0x17F) return true;
  if (cp == 0x01A0 || cp == 0x01A1 || cp == 0x01AF || cp == 0x01B0) return true;  // Vietnamese ơ ư
  if (cp >= 0x0218 && cp <= 0x021B) return true;                                  // Romanian ș ț
  if (cp >= 0x0370 && cp <= 0x03FF) return true;
  if ((cp >= 0x0400 && cp <= 0x045F) || cp == 0x0490 || cp == 0x0491) return true;
  if (cp >= 0x05D0 && cp <= 0x05EA) return true;
  if ((cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x0660 && cp <= 0x0669)) return true;
  if (cp < 0x800) return false;
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;
  return true;
}

// Punctuation that follows a word in real text.
bool IsClosingPunct(uint32_t cp) {
  switch (cp) {
    case 0x2019: case 0x201D: case 0x201C: case 0x2018: case 0x00BB: case 0x203A:
    case 0x2026: case 0x2013: case 0x2014: case 0x201A: case 0x201E: case 0x2022:
      return true;
    default:
      return false;
  }
}

struct CodePoint {
  uint32_t cp;
  size_t begin;  // byte offset
  size_t end;
};

std::vector<CodePoint> Decode(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = s[i];
    int len = 1;
    if (cp >= 0x80) {
      len = DecodeUtf8(s, i, text.size(), &cp);
      if (len == 0) cp = 0xFFFD, len = 1;  // invalid byte: never part of a repair
    }
    out.push_back({cp, i, i + static_cast<size_t>(len)});
    i += static_cast<size_t>(len);
  }
  return out;
}

struct Repair {
  size_t first;  // index into the code point vector
  size_t count;  // code points replaced
  uint32_t cp;   // what they stand for
  bool ambiguous;
};

}  // namespace

int CountMojibakePatterns(std::string_view text) {
  const std::vector<CodePoint> cps = Decode(text);
  int count = 0;
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    if (cps[i].cp < 0xC2 || cps[i].cp > 0xF4) continue;
    const int b = HighByteOf(cps[i + 1].cp);
    if (b >= 0x80 && b <= 0xBF) ++count;
  }
  return count;
}

namespace {

int RepairOnce(std::string* text) {
  const std::vector<CodePoint> cps = Decode(*text);
  std::vector<Repair> repairs;
  bool any_unambiguous = false;
  size_t i = 0;
  while (i < cps.size()) {
    const int lead = HighByteOf(cps[i].cp);
    if (lead < 0xC2 || lead > 0xF4) {
      ++i;
      continue;
    }
    // Up to 4 code points, each one byte, that might form one UTF-8 character.
    unsigned char bytes[4];
    size_t n = 0;
    for (size_t k = i; k < cps.size() && n < 4; ++k) {
      const int b = HighByteOf(cps[k].cp);
      if (b < 0x80) break;
      bytes[n++] = static_cast<unsigned char>(b);
    }
    uint32_t cp = 0;
    const int len = n >= 2 ? DecodeUtf8(bytes, 0, n, &cp) : 0;
    if (len < 2 || !IsPlausible(cp)) {
      ++i;
      continue;
    }
    const size_t after = i + static_cast<size_t>(len);
    const bool word_end = after >= cps.size() || !u_isalnum(static_cast<UChar32>(cps[after].cp));
    const bool ambiguous = len == 2 && IsClosingPunct(cps[i + 1].cp) && word_end;
    repairs.push_back({i, static_cast<size_t>(len), cp, ambiguous});
    any_unambiguous = any_unambiguous || !ambiguous;
    i = after;
  }
  if (!any_unambiguous) return 0;

  std::string out;
  out.reserve(text->size());
  size_t next = 0;  // next code point not yet copied
  int applied = 0;
  for (const Repair& r : repairs) {
    out.append(*text, cps[next].begin, cps[r.first].begin - cps[next].begin);
    const std::string_view original(text->data() + cps[r.first].begin,
                                    cps[r.first + r.count - 1].end - cps[r.first].begin);
    std::string fixed;
    AppendUtf8(r.cp, &fixed);
    // The contract's last safeguard: a repair must remove suspicious patterns.
    if (CountMojibakePatterns(fixed) < CountMojibakePatterns(original)) {
      out += fixed;
      ++applied;
    } else {
      out += original;
    }
    next = r.first + r.count;
  }
  if (next < cps.size()) out.append(*text, cps[next].begin, std::string::npos);
  if (applied > 0) *text = std::move(out);
  return applied;
}

}  // namespace

int RepairMojibake(std::string* text) {
  // Cheap exit: mojibake needs a lead-byte character, all of which are
  // U+00C2..U+00F4, encoded as 0xC3 0x82..0xC3 0xB4.
  if (text->find('\xC3') == std::string::npos) return 0;
  int total = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass undoes double encoding
    const int repaired = RepairOnce(text);
    total += repaired;
    if (repaired == 0) break;
  }
  return total;
}

}  // namespace smelter
