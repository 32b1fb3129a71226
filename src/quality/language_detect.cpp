// Language identification (see language_detect.h).

#include "quality/language_detect.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <string>

#include "core/utf8.h"

namespace smelter {

LanguageGuess DetectLanguage(std::string_view text, size_t max_bytes) {
  LanguageGuess guess;
  if (text.size() > max_bytes) {
    // Cut at a character boundary: back up over continuation bytes.
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  // CLD2 scores nothing at all when the buffer holds an invalid byte or a
  // character outside "interchange-valid" UTF-8 (C0/C1 controls,
  // non-characters), so those become spaces.
  std::string clean;
  clean.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    cp = s[i];
    const int len = cp < 0x80 ? 1 : DecodeUtf8(s, i, text.size(), &cp);
    const bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
                         (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    if (len == 0 || control) {
      i += len == 0 ? 1 : static_cast<size_t>(len);
      clean.push_back(' ');
      continue;
    }
    clean.append(text.substr(i, static_cast<size_t>(len)));
    i += static_cast<size_t>(len);
  }
  if (clean.empty()) return guess;
  const CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3] = {0, 0, 0};
  double scores3[3] = {0, 0, 0};
  int text_bytes = 0, valid_prefix = 0;
  bool reliable = false;
  const CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      clean.data(), static_cast<int>(clean.size()), /*is_plain_text=*/true, &hints, /*flags=*/0, language3, percent3,
      scores3, nullptr, &text_bytes, &reliable, &valid_prefix);
  guess.code = CLD2::LanguageCode(top);
  guess.name = CLD2::LanguageName(top);
  guess.reliable = reliable && top != CLD2::UNKNOWN_LANGUAGE;
  guess.text_bytes = text_bytes;
  for (int i = 0; i < 3; ++i) {
    if (language3[i] == CLD2::UNKNOWN_LANGUAGE || percent3[i] <= 0) continue;
    guess.top.push_back({CLD2::LanguageCode(language3[i]), percent3[i]});
    if (language3[i] == top) guess.percent = percent3[i];
  }
  return guess;
}

}  // namespace smelter
