#include "dedup/text_normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xxhash.h>

namespace smelter::dedup {
namespace {

// Pure ASCII is the common case and needs no ICU: NFKC leaves it alone and
// case folding is tolower.
bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Lowercase letter or digit for each ASCII byte, ' ' for a word break.
struct AsciiTable {
  char map[128] = {};
  constexpr AsciiTable() {
    for (int c = 0; c < 128; ++c) map[c] = ' ';
    for (int c = '0'; c <= '9'; ++c) map[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) map[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) map[c] = static_cast<char>(c - 'A' + 'a');
  }
};
constexpr AsciiTable kAscii;

// Branch-free: every byte is written, and the write position only moves
// past a space when the previous byte written was not one.
std::string NormalizeAscii(std::string_view text) {
  std::string out(text.size() + 1, ' ');
  char* w = out.data();
  char prev = ' ';  // drops leading breaks
  for (unsigned char c : text) {
    const char m = kAscii.map[c];
    *w = m;
    w += (m != ' ') | (prev != ' ');
    prev = m;
  }
  size_t length = static_cast<size_t>(w - out.data());
  if (length && out[length - 1] == ' ') --length;
  out.resize(length);
  return out;
}

bool IsWordChar(UChar32 c) {
  if (u_isalnum(c)) return true;
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Scripts without spaces between words: one character is one word.
bool IsUnspacedScript(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[U8_MAX_LENGTH];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, U8_MAX_LENGTH, c, error);
  if (!error) out->append(buf, static_cast<size_t>(len));
}

}  // namespace

std::string NormalizeForDedup(std::string_view text) {
  if (IsAscii(text)) return NormalizeAscii(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  // fromUTF8 replaces invalid sequences with U+FFFD.
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) folded = nfkc_cf->normalize(source, status);
  if (U_FAILURE(status)) folded = source;  // cannot happen with valid input; stay usable

  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  const int32_t length = folded.length();
  for (int32_t i = 0; i < length;) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (!IsWordChar(c)) {
      pending_space = !out.empty();
      continue;
    }
    const bool alone = c >= 0x0E00 && IsUnspacedScript(c);  // all such scripts are above Thai
    if (alone && !out.empty()) pending_space = true;
    if (pending_space) out.push_back(' ');
    pending_space = alone;
    AppendUtf8(c, &out);
  }
  return out;
}

std::vector<std::string_view> SplitWords(std::string_view normalized) {
  std::vector<std::string_view> words;
  words.reserve(normalized.size() / 6 + 1);
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    if (end > start) words.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string ExactKey::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[static_cast<size_t>(15 - i)] = kDigits[(high >> (4 * i)) & 0xF];
    out[static_cast<size_t>(31 - i)] = kDigits[(low >> (4 * i)) & 0xF];
  }
  return out;
}

std::string ExactKey::Bytes() const {
  std::string out(16, '\0');
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(7 - i)] = static_cast<char>((high >> (8 * i)) & 0xFF);
    out[static_cast<size_t>(15 - i)] = static_cast<char>((low >> (8 * i)) & 0xFF);
  }
  return out;
}

ExactKey ExactKeyOf(std::string_view normalized) {
  const XXH128_hash_t h = XXH3_128bits(normalized.data(), normalized.size());
  return ExactKey{h.high64, h.low64};
}

uint64_t ParagraphHash(std::string_view paragraph) {
  return XXH3_64bits(paragraph.data(), paragraph.size());
}

}  // namespace smelter::dedup
