// Small string helpers shared by the extractors (private to src/extract/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smelter::text_util {

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// True when `s` holds nothing but whitespace, counting the Unicode spaces
// that decoded text often carries (NBSP, BOM/ZWNBSP, ideographic space,
// U+2000..U+200B).
inline bool IsBlank(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (IsAsciiSpace(static_cast<char>(c))) {
      ++i;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      i += 2;  // U+00A0
    } else if (c == 0xEF && s.substr(i, 3) == "\xEF\xBB\xBF") {
      i += 3;  // U+FEFF
    } else if (c == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;  // U+3000
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) <= 0x8B) {
      i += 3;  // U+2000..U+200B
    } else {
      return false;
    }
  }
  return true;
}

// Splits at '\n' (the decoders normalize line ends); no trailing empty
// line for text that ends with '\n'.
inline std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Number of UTF-8 code points (continuation bytes are not counted).
inline size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Only link schemes a reader can follow become Markdown links.
inline bool IsLinkableUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://", "mailto:", "ftp://"}) {
    if (url.size() <= scheme.size()) continue;
    bool match = true;
    for (size_t i = 0; i < scheme.size() && match; ++i) match = AsciiLower(url[i]) == scheme[i];
    if (match) return true;
  }
  return false;
}

// A URL made safe inside Markdown's (...): spaces and parentheses escaped,
// line breaks and tabs dropped.
inline std::string MarkdownUrl(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == ' ') out += "%20";
    else if (c == '(') out += "%28";
    else if (c == ')') out += "%29";
    else if (c == '\n' || c == '\r' || c == '\t') continue;
    else out.push_back(c);
  }
  return out;
}

}  // namespace smelter::text_util
