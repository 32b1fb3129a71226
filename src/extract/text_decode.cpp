#include "extract/text_decode.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

namespace smelter {
namespace {

// Below this many non-ASCII bytes, uchardet's choice between Latin-script
// code pages rests on too little evidence, and Windows-1252 is preferred
// unless the guess decodes visibly better.
constexpr size_t kWeakEvidenceBytes = 20;
// A non-Latin guess (Cyrillic, Greek, CJK, ...) needs at least this many
// non-ASCII bytes behind it.
constexpr size_t kMinNonLatinEvidenceBytes = 8;

// Only the start of a large input is shown to uchardet: its guess settles
// long before, and a full pass over hundreds of MB would be wasted work.
constexpr size_t kDetectSampleBytes = 256 * 1024;

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct UchardetDeleter {
  void operator()(uchardet_t u) const { uchardet_delete(u); }
};

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string ToLowerTrimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Converts `bytes` from the ICU converter `from` to UTF-8, streaming through
// a fixed buffer so that huge inputs need no giant temporary. Malformed or
// unmapped input becomes U+FFFD (ICU's default substitution), so this fails
// only when `from` is not a converter ICU knows.
Result<std::string> ConvertToUtf8(std::string_view bytes, const char* from) {
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr source(ucnv_open(from, &err));
  if (U_FAILURE(err) || !source) {
    return Status::InvalidArgument(std::string("unknown encoding: ") + from);
  }
  err = U_ZERO_ERROR;
  ConverterPtr target(ucnv_open("UTF-8", &err));
  if (U_FAILURE(err) || !target) return Status::Internal("ICU has no UTF-8 converter");

  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  char buffer[64 * 1024];
  UChar pivot[8 * 1024];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  const char* src = bytes.data();
  const char* src_end = bytes.data() + bytes.size();
  bool reset = true;
  for (;;) {
    char* dst = buffer;
    err = U_ZERO_ERROR;
    ucnv_convertEx(target.get(), source.get(), &dst, buffer + sizeof(buffer), &src, src_end, pivot,
                   &pivot_source, &pivot_target, pivot + std::size(pivot), reset, /*flush=*/true,
                   &err);
    reset = false;
    out.append(buffer, static_cast<size_t>(dst - buffer));
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;  // output full: drain and go on
    if (U_FAILURE(err)) {
      return Status::Corrupt(std::string("cannot decode as ") + from + ": " + u_errorName(err));
    }
    break;
  }
  return out;
}

// In place: drops NULs, turns CRLF and CR into LF. Text that has neither
// (the common case) is left untouched after one scan.
void NormalizeInPlace(std::string* text) {
  std::string& s = *text;
  if (s.find_first_of(std::string_view("\r\0", 2)) == std::string::npos) return;
  size_t out = 0;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (c == '\0') continue;
    if (c == '\r') {
      s[out++] = '\n';
      if (i + 1 < n && s[i + 1] == '\n') ++i;
      continue;
    }
    s[out++] = c;
  }
  s.resize(out);
}

DecodedText Finish(std::string utf8, std::string encoding) {
  NormalizeInPlace(&utf8);
  return DecodedText{std::move(utf8), std::move(encoding)};
}

// Names uchardet may return for code pages of Latin-script languages, where
// a wrong pick garbles a few accented letters rather than everything.
bool IsLatinCodePage(std::string_view name) {
  static constexpr std::string_view kLatin[] = {
      "ISO-8859-1",  "ISO-8859-2",   "ISO-8859-3",   "ISO-8859-4",        "ISO-8859-9",
      "ISO-8859-10", "ISO-8859-13",  "ISO-8859-14",  "ISO-8859-15",       "ISO-8859-16",
      "WINDOWS-1250", "WINDOWS-1252", "WINDOWS-1254", "WINDOWS-1257",     "WINDOWS-1258",
      "MAC-CENTRALEUROPE", "MAC-ROMAN", "IBM852",    "IBM850",            "VISCII"};
  return std::find(std::begin(kLatin), std::end(kLatin), name) != std::end(kLatin);
}

// Characters that show a single-byte text was decoded with the wrong code
// page: C1 controls, U+FFFD, and symbols that almost never sit next to a
// letter in real text (superscripts, fractions, spacing accents, ...).
int CountImplausible(std::string_view utf8) {
  int bad = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t i = 0;
  const auto n = static_cast<int32_t>(utf8.size());
  UChar32 prev = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0x80) {
      prev = c;
      continue;
    }
    if (c < 0) {
      bad += 2;
    } else if (c == 0xFFFD || (c >= 0x80 && c <= 0x9F)) {
      bad += 2;
    } else if (!u_isalpha(c)) {
      // Not ² or ³ (m², km³) nor º (nº), which do follow letters.
      const bool symbol_like = c == 0xA4 || c == 0xA5 || c == 0xA6 || c == 0xA8 || c == 0xAF ||
                               c == 0xB4 || c == 0xB8 || c == 0xB9 || (c >= 0xBC && c <= 0xBE) ||
                               c == 0x2C7 || (c >= 0x2D8 && c <= 0x2DD);
      if (symbol_like && prev < 0x80 && u_isalpha(prev)) bad += 1;
    }
    prev = c;
  }
  return bad;
}

// Picks the encoding for non-UTF-8 bytes from uchardet's guess, guarding
// against its known weak spots (see the file comment in the header).
std::string ChooseLegacyEncoding(std::string_view bytes) {
  std::string_view sample = bytes.substr(0, kDetectSampleBytes);
  std::string guess;
  {
    std::unique_ptr<struct uchardet, UchardetDeleter> detector(uchardet_new());
    if (detector) {
      if (uchardet_handle_data(detector.get(), sample.data(), sample.size()) == 0) {
        uchardet_data_end(detector.get());
        const char* name = uchardet_get_charset(detector.get());
        if (name) guess = ToUpper(name);
      }
    }
  }
  if (guess.empty() || guess == "ASCII" || guess == "ISO-8859-1" || guess == "WINDOWS-1252") {
    return "WINDOWS-1252";
  }
  if (guess == "UTF-8") return guess;  // mostly UTF-8 with a few stray bytes

  size_t high = 0;
  size_t ascii_letters = 0;
  for (unsigned char c : sample) {
    if (c >= 0x80) {
      ++high;
    } else if (std::isalpha(c)) {
      ++ascii_letters;
    }
  }

  if (!IsLatinCodePage(guess)) {
    // Cyrillic, Greek, Hebrew, CJK, ... text is made mostly of high bytes.
    // Mostly-ASCII text with a few high bytes is Western text misread, and
    // a handful of bytes is too little for any guess to beat the default.
    const double ratio = static_cast<double>(high) / static_cast<double>(high + ascii_letters + 1);
    return (ratio >= 0.3 && high >= kMinNonLatinEvidenceBytes) ? guess : "WINDOWS-1252";
  }

  // A Latin-script guess other than Western: compare how both readings look.
  auto as_guess = ConvertToUtf8(sample, guess.c_str());
  if (!as_guess.ok()) return "WINDOWS-1252";
  auto as_1252 = ConvertToUtf8(sample, "windows-1252");
  if (!as_1252.ok()) return guess;
  const int bad_guess = CountImplausible(*as_guess);
  const int bad_1252 = CountImplausible(*as_1252);
  if (high < kWeakEvidenceBytes) return bad_guess < bad_1252 ? guess : "WINDOWS-1252";
  return bad_guess <= bad_1252 ? guess : "WINDOWS-1252";
}

Result<DecodedText> DecodeWithBom(std::string_view bytes, std::string_view bom, size_t bom_length) {
  std::string_view body = bytes.substr(bom_length);
  if (bom == "UTF-8") return Finish(std::string(body), "UTF-8");
  auto converted = ConvertToUtf8(body, std::string(bom).c_str());
  if (!converted.ok()) return converted.status();
  return Finish(std::move(*converted), std::string(bom));
}

}  // namespace

std::string_view DetectBom(std::string_view bytes, size_t* bom_length) {
  auto starts = [&](std::string_view prefix) {
    return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
  };
  size_t length = 0;
  std::string_view name;
  // UTF-32LE's BOM begins with UTF-16LE's, so it is tested first.
  if (starts(std::string_view("\xFF\xFE\x00\x00", 4))) {
    name = "UTF-32LE", length = 4;
  } else if (starts(std::string_view("\x00\x00\xFE\xFF", 4))) {
    name = "UTF-32BE", length = 4;
  } else if (starts("\xEF\xBB\xBF")) {
    name = "UTF-8", length = 3;
  } else if (starts("\xFF\xFE")) {
    name = "UTF-16LE", length = 2;
  } else if (starts("\xFE\xFF")) {
    name = "UTF-16BE", length = 2;
  }
  if (bom_length) *bom_length = length;
  return name;
}

std::string_view DetectUtf16WithoutBom(std::string_view bytes) {
  const size_t n = std::min<size_t>(bytes.size(), 4096) & ~size_t{1};
  if (n < 4) return "";
  size_t zero_even = 0, zero_odd = 0, printable_even = 0, printable_odd = 0;
  auto printable = [](unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r'; };
  for (size_t i = 0; i < n; i += 2) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    if (a == 0) ++zero_even;
    if (b == 0) ++zero_odd;
    if (b == 0 && printable(a)) ++printable_even;
    if (a == 0 && printable(b)) ++printable_odd;
  }
  const size_t pairs = n / 2;
  // ASCII-range characters dominate: one byte of nearly every pair is zero,
  // the other nearly never, and the non-zero byte is a printable character.
  if (zero_odd * 10 >= pairs * 7 && zero_even * 20 <= pairs && printable_even * 10 >= zero_odd * 9) {
    return "UTF-16LE";
  }
  if (zero_even * 10 >= pairs * 7 && zero_odd * 20 <= pairs && printable_odd * 10 >= zero_even * 9) {
    return "UTF-16BE";
  }
  return "";
}

bool IsValidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;  // continuation byte, overlong lead (C0/C1) or F5..FF
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

std::string NormalizeText(std::string_view text) {
  std::string out(text);
  NormalizeInPlace(&out);
  return out;
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes) {
  size_t bom_length = 0;
  const std::string_view bom = DetectBom(bytes, &bom_length);
  if (!bom.empty()) return DecodeWithBom(bytes, bom, bom_length);

  const std::string_view utf16 = DetectUtf16WithoutBom(bytes);
  if (!utf16.empty()) return DecodeWithBom(bytes, utf16, 0);

  if (IsValidUtf8(bytes)) return Finish(std::string(bytes), "UTF-8");

  const std::string encoding = ChooseLegacyEncoding(bytes);
  auto converted = ConvertToUtf8(bytes, encoding.c_str());
  if (converted.ok()) return Finish(std::move(*converted), encoding);
  // uchardet named something ICU cannot read; Windows-1252 maps every byte.
  converted = ConvertToUtf8(bytes, "windows-1252");
  if (!converted.ok()) return converted.status();
  return Finish(std::move(*converted), "WINDOWS-1252");
}

Result<DecodedText> DecodeWithCharset(std::string_view bytes, std::string_view charset) {
  size_t bom_length = 0;
  const std::string_view bom = DetectBom(bytes, &bom_length);
  if (!bom.empty()) return DecodeWithBom(bytes, bom, bom_length);
  if (IsValidUtf8(bytes)) return Finish(std::string(bytes), "UTF-8");

  std::string label = ToLowerTrimmed(charset);
  // The WHATWG Encoding Standard's label mapping, for the labels whose
  // meaning differs from ICU's: Latin-1 and ASCII mean Windows-1252, and a
  // UTF-16 label on bytes without a BOM cannot be right.
  static constexpr std::string_view kWindows1252Labels[] = {
      "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1",  "l1",
      "us-ascii",   "ascii",     "cp1252",     "x-cp1252", "cp819",   "ibm819",
      "windows-1252", "ansi_x3.4-1968", "iso-ir-100", "csisolatin1"};
  if (label.empty() || label.starts_with("utf-16") || label.starts_with("utf-32") ||
      label == "utf-8" || label == "utf8") {
    return DecodeToUtf8(bytes);
  }
  if (std::find(std::begin(kWindows1252Labels), std::end(kWindows1252Labels), label) !=
      std::end(kWindows1252Labels)) {
    label = "windows-1252";
  } else if (label == "iso-8859-9" || label == "latin5") {
    label = "windows-1254";
  } else if (label == "gb2312" || label == "x-gbk") {
    label = "gbk";
  } else if (label == "tis-620" || label == "iso-8859-11") {
    label = "windows-874";
  }
  auto converted = ConvertToUtf8(bytes, label.c_str());
  if (!converted.ok()) return DecodeToUtf8(bytes);
  return Finish(std::move(*converted), ToUpper(label));
}

}  // namespace smelter
