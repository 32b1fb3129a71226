// QualityMeasures (see quality_measures.h).

#include "quality/quality_measures.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <cstdlib>
#include <string_view>
#include <unordered_set>

#include "core/utf8.h"
#include "quality/language_detect.h"

namespace smelter {

namespace {

bool IsMeasured(ElementType type) {
  return type != ElementType::kPageBreak && type != ElementType::kHeaderFooter;
}

// Scripts written without spaces between words: a character is a word.
bool IsWordPerCharacter(UChar32 c) {
  UErrorCode error = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &error);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_THAI || script == USCRIPT_LAO || script == USCRIPT_KHMER || script == USCRIPT_MYANMAR;
}

std::string_view Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string QualityText(const ExtractedDocument& doc, bool include_code) {
  std::string out;
  if (!doc.title.empty()) {
    out += doc.title;
    out += '\n';
  }
  for (const Element& e : doc.elements) {
    if (!IsMeasured(e.type) || (e.type == ElementType::kCode && !include_code)) continue;
    if (!e.text.empty()) {
      out += e.text;
      out += '\n';
    }
    for (const auto& row : e.rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += '\t';  // white space: adds no characters to the measures
        out += row[i];
      }
      out += '\n';
    }
  }
  return out;
}

QualityMeasures Measure(const ExtractedDocument& doc) {
  QualityMeasures m;
  const std::string text = QualityText(doc, /*include_code=*/true);

  int64_t non_alpha = 0;
  bool in_word = false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = s[i];
    int len = 1;
    if (cp >= 0x80) {
      len = DecodeUtf8(s, i, text.size(), &cp);
      if (len == 0) cp = 0xFFFD, len = 1;
    }
    i += static_cast<size_t>(len);
    const auto c = static_cast<UChar32>(cp);
    if (u_isUWhiteSpace(c)) {
      in_word = false;
      continue;
    }
    ++m.chars;
    if (!u_isalpha(c)) ++non_alpha;
    if (u_isalnum(c)) {
      if (IsWordPerCharacter(c)) {
        ++m.words;
        in_word = false;
      } else if (!in_word) {
        ++m.words;
        in_word = true;
      }
    } else if (!(in_word && (c == '\'' || c == 0x2019 || c == '-'))) {
      in_word = false;  // an apostrophe or hyphen inside a word keeps it one word
    }
  }
  m.non_alpha_ratio = m.chars > 0 ? static_cast<double>(non_alpha) / static_cast<double>(m.chars) : 0.0;

  std::unordered_set<std::string_view> seen;
  int64_t repeated = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = Trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    ++m.lines;
    if (!seen.insert(line).second) ++repeated;
  }
  m.repeated_line_ratio = m.lines > 0 ? static_cast<double>(repeated) / static_cast<double>(m.lines) : 0.0;

  const LanguageGuess language = DetectLanguage(QualityText(doc, /*include_code=*/false));
  m.language = language.code;
  m.language_reliable = language.reliable;
  m.language_percent = language.percent;

  if (auto it = doc.metadata.find("ocr_confidence"); it != doc.metadata.end()) {
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (end != it->second.c_str() && v >= 0 && v <= 100) m.ocr_confidence = v;
  }
  for (const auto& [key, value] : doc.metadata) {
    if (!Trim(value).empty()) m.metadata_keys.insert(key);
  }
  if (!Trim(doc.title).empty()) m.metadata_keys.insert("title");
  return m;
}

}  // namespace smelter
