// Character-level text normalization (see text_cleanup.h).

#include "clean/text_cleanup.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <string_view>

#include "core/utf8.h"

namespace smelter {

namespace {

// The code point at text[i] and its length; an invalid byte is reported as
// itself (cp >= 0x80 with length 1) so that callers copy it unchanged.
int CodePointAt(std::string_view text, size_t i, uint32_t* cp) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  *cp = s[i];
  if (*cp < 0x80) return 1;
  const int len = DecodeUtf8(s, i, text.size(), cp);
  if (len == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  return len;
}

bool IsHorizontalSpace(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace

int NormalizeNfkc(std::string* text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(error);
  if (U_FAILURE(error) || nfkc == nullptr) return 0;  // no ICU data: leave the text as it is
  const icu::StringPiece piece(text->data(), static_cast<int32_t>(text->size()));
  if (nfkc->isNormalizedUTF8(piece, error) && U_SUCCESS(error)) return 0;
  error = U_ZERO_ERROR;
  std::string out;
  out.reserve(text->size());
  icu::StringByteSink<std::string> sink(&out);
  nfkc->normalizeUTF8(0, piece, sink, nullptr, error);
  if (U_FAILURE(error) || out == *text) return 0;
  *text = std::move(out);
  return 1;
}

int RemoveControlChars(std::string* text) {
  const std::string_view in(*text);
  std::string out;
  out.reserve(in.size());
  int removed = 0;
  for (size_t i = 0; i < in.size();) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (c == '\r') {
        // CR LF and a lone CR are line ends; only the CR of a CR LF counts
        // as removed.
        out.push_back('\n');
        if (i + 1 < in.size() && in[i + 1] == '\n') {
          ++removed;
          ++i;
        }
      } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
        ++removed;
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    uint32_t cp;
    const int len = CodePointAt(in, i, &cp);
    const bool line_end_follows = i + static_cast<size_t>(len) < in.size() && in[i + static_cast<size_t>(len)] == '\n';
    if ((cp >= 0x80 && cp <= 0x9F && len == 2) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF ||
        (cp == 0xAD && !line_end_follows)) {
      ++removed;
    } else {
      out.append(in.substr(i, static_cast<size_t>(len)));
    }
    i += static_cast<size_t>(len);
  }
  if (removed > 0) *text = std::move(out);
  return removed;
}

int NormalizeWhitespace(std::string* text) {
  const std::string_view in(*text);
  std::string out;
  out.reserve(in.size());
  int changes = 0;
  int pending_newlines = 0;   // line ends seen since the last text
  bool pending_space = false;  // a space run seen inside the current line
  bool plain_run = false;      // ... and it is exactly one ' '
  bool line_has_text = false;
  for (size_t i = 0; i < in.size();) {
    uint32_t cp;
    const int len = CodePointAt(in, i, &cp);
    const std::string_view bytes = in.substr(i, static_cast<size_t>(len));
    i += static_cast<size_t>(len);
    if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
      if (pending_space) ++changes;  // trailing white space
      if (cp != '\n') ++changes;
      pending_space = false;
      line_has_text = false;
      ++pending_newlines;
      continue;
    }
    if (IsHorizontalSpace(cp)) {
      if (!line_has_text) {
        ++changes;  // leading white space of a line: dropped
        // Count a leading run once, not per character.
        while (i < in.size()) {
          uint32_t next;
          const int next_len = CodePointAt(in, i, &next);
          if (!IsHorizontalSpace(next)) break;
          i += static_cast<size_t>(next_len);
        }
        continue;
      }
      plain_run = !pending_space && cp == ' ';  // a longer run, or a tab/NBSP, is a change
      pending_space = true;
      continue;
    }
    if (pending_newlines > 0) {
      if (out.empty()) {
        ++changes;  // leading blank lines
      } else {
        if (pending_newlines > 2) ++changes;
        out.append(pending_newlines >= 2 ? "\n\n" : "\n");
      }
      pending_newlines = 0;
    }
    if (pending_space) {
      if (!plain_run) ++changes;
      out.push_back(' ');
    }
    pending_space = false;
    line_has_text = true;
    out.append(bytes);
  }
  if (pending_space) ++changes;
  if (pending_newlines > 0 && !out.empty()) ++changes;  // trailing line ends
  if (changes > 0) *text = std::move(out);
  return changes;
}

int JoinHyphenatedLines(std::string* text) {
  const std::string_view in(*text);
  if (in.find('\n') == std::string_view::npos) return 0;
  std::string out;
  out.reserve(in.size());
  int joins = 0;
  uint32_t previous = 0;  // the last code point copied
  for (size_t i = 0; i < in.size();) {
    uint32_t cp;
    const int len = CodePointAt(in, i, &cp);
    const size_t after = i + static_cast<size_t>(len);
    if ((cp == '-' || cp == 0xAD) && after < in.size() && in[after] == '\n' && u_isalpha(static_cast<UChar32>(previous))) {
      uint32_t next;
      size_t j = after + 1;
      while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
      if (j < in.size()) {
        CodePointAt(in, j, &next);
        if (u_islower(static_cast<UChar32>(next))) {
          ++joins;
          i = j;
          continue;
        }
      }
    }
    out.append(in.substr(i, static_cast<size_t>(len)));
    previous = cp;
    i = after;
  }
  if (joins > 0) *text = std::move(out);
  return joins;
}

}  // namespace smelter
