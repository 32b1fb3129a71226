#include "extract/html_tokenizer.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <initializer_list>

#include "core/utf8.h"

namespace smelter::html {
namespace {

// The longest named reference worth looking up ("CounterClockwiseContourIntegral"
// is 31 letters); longer runs of letters are not references.
constexpr size_t kMaxReferenceName = 32;
// Legacy references without ';' ("&amp", "&copy") are at most 6 letters.
constexpr size_t kMaxLegacyName = 6;
// How deep elements nest. Browsers cap the tree too (Chromium at 512):
// past the cap a new element closes the innermost one first, so that the
// searches below, which walk the stack, stay bounded and the whole parse
// stays linear however the input nests.
constexpr size_t kMaxOpenElements = 1024;

inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// Numeric references to C1 controls mean the Windows-1252 character, as
// browsers (and the HTML5 spec) read them.
uint32_t NumericReferenceValue(uint32_t value) {
  static constexpr uint16_t kWindows1252[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (value == 0) return 0xFFFD;
  if (value >= 0x80 && value <= 0x9F) return kWindows1252[value - 0x80];
  return value;  // AppendUtf8 turns surrogates and out-of-range values into U+FFFD
}

// libxml2's table of the HTML 4 entities (all of HTML5's legacy ones
// among them). `name` is not NUL-terminated.
const htmlEntityDesc* LookupEntity(std::string_view name) {
  char buffer[kMaxReferenceName + 1];
  if (name.empty() || name.size() > kMaxReferenceName) return nullptr;
  std::memcpy(buffer, name.data(), name.size());
  buffer[name.size()] = '\0';
  return htmlEntityLookup(reinterpret_cast<const xmlChar*>(buffer));
}

// Decodes the reference starting at text[at] == '&' into `out`; returns
// the index after it, or at + 1 (with "&" appended) when it is none.
size_t DecodeOneReference(std::string_view text, size_t at, std::string* out) {
  const size_t n = text.size();
  size_t i = at + 1;
  if (i < n && text[i] == '#') {
    ++i;
    const bool hex = i < n && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const size_t digits_start = i;
    uint32_t value = 0;
    bool overflow = false;
    while (i < n && (hex ? std::isxdigit(static_cast<unsigned char>(text[i])) != 0 : IsDigit(text[i]))) {
      const char c = text[i];
      const uint32_t digit = IsDigit(c) ? static_cast<uint32_t>(c - '0') : static_cast<uint32_t>(Lower(c) - 'a' + 10);
      if (value > 0x10FFFF) overflow = true;
      if (!overflow) value = value * (hex ? 16 : 10) + digit;
      ++i;
    }
    if (i == digits_start) {
      out->push_back('&');
      return at + 1;
    }
    if (i < n && text[i] == ';') ++i;
    AppendUtf8(overflow ? 0xFFFD : NumericReferenceValue(value), out);
    return i;
  }
  size_t end = i;
  while (end < n && end - i <= kMaxReferenceName && IsAlnum(text[end])) ++end;
  if (end < n && text[end] == ';') {
    if (const htmlEntityDesc* entity = LookupEntity(text.substr(i, end - i))) {
      AppendUtf8(entity->value, out);
      return end + 1;
    }
  }
  // Legacy references without ';': the longest Latin-1 name that prefixes
  // the letters ("&copy2024" is "©2024", "&notit" is "¬it").
  for (size_t len = std::min(end - i, kMaxLegacyName); len >= 2; --len) {
    const htmlEntityDesc* entity = LookupEntity(text.substr(i, len));
    if (entity && entity->value <= 0xFF) {
      AppendUtf8(entity->value, out);
      return i + len;
    }
  }
  out->push_back('&');
  return at + 1;
}

enum class TextMode { kData, kRawText, kRcdata, kPlaintext };

TextMode TextModeOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOSCRIPT:
      return TextMode::kRawText;
    case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA:
      return TextMode::kRcdata;
    case GUMBO_TAG_PLAINTEXT:
      return TextMode::kPlaintext;
    default:
      return TextMode::kData;
  }
}

class Tokenizer {
 public:
  Tokenizer(std::string_view input, TokenSink* sink) : s_(input), sink_(sink) {}

  void Run() {
    const size_t n = s_.size();
    size_t i = 0;
    size_t text_from = 0;  // start of the character data not yet delivered
    while (i < n) {
      const void* lt = std::memchr(s_.data() + i, '<', n - i);
      if (!lt) break;
      const size_t at = static_cast<size_t>(static_cast<const char*>(lt) - s_.data());
      const char c = at + 1 < n ? s_[at + 1] : '\0';
      size_t next = 0;
      if (IsAlpha(c)) {
        EmitText(text_from, at, true);
        next = StartTagAt(at + 1);
      } else if (c == '/') {
        const char d = at + 2 < n ? s_[at + 2] : '\0';
        if (at + 2 >= n) break;  // "</" at the end is text
        EmitText(text_from, at, true);
        if (IsAlpha(d)) {
          next = EndTagAt(at + 2);
        } else if (d == '>') {
          next = at + 3;  // "</>" is nothing
        } else {
          next = SkipPast('>', at + 2);  // bogus comment
        }
      } else if (c == '!') {
        EmitText(text_from, at, true);
        next = s_.compare(at, 4, "<!--") == 0 ? CommentAt(at + 4) : SkipPast('>', at + 2);
      } else if (c == '?') {
        EmitText(text_from, at, true);
        next = SkipPast('>', at + 2);
      } else {
        i = at + 1;  // a literal '<', part of the text
        continue;
      }
      i = text_from = next;
    }
    EmitText(text_from, n, true);
  }

 private:
  // Delivers s_[from, to) as text, decoding references when `references`.
  void EmitText(size_t from, size_t to, bool references) {
    if (to <= from) return;
    std::string_view text = s_.substr(from, to - from);
    const bool clean = (!references || std::memchr(text.data(), '&', text.size()) == nullptr) &&
                       std::memchr(text.data(), '\r', text.size()) == nullptr &&
                       std::memchr(text.data(), '\0', text.size()) == nullptr;
    if (clean) {
      sink_->TextToken(text);
      return;
    }
    scratch_.clear();
    for (size_t i = 0; i < text.size();) {
      const char c = text[i];
      if (c == '&' && references) {
        i = DecodeOneReference(text, i, &scratch_);
        continue;
      }
      if (c == '\r') {
        scratch_.push_back('\n');
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else if (c != '\0') {
        scratch_.push_back(c);
      }
      ++i;
    }
    if (!scratch_.empty()) sink_->TextToken(scratch_);
  }

  // Returns the index after the next `c` at or after `from` (the end when none).
  size_t SkipPast(char c, size_t from) const {
    if (from >= s_.size()) return s_.size();
    const void* p = std::memchr(s_.data() + from, c, s_.size() - from);
    return p ? static_cast<size_t>(static_cast<const char*>(p) - s_.data()) + 1 : s_.size();
  }

  // `from` is just after "<!--".
  size_t CommentAt(size_t from) const {
    if (s_.compare(from, 1, ">") == 0) return from + 1;    // "<!-->"
    if (s_.compare(from, 2, "->") == 0) return from + 2;   // "<!--->"
    const size_t end = s_.find("-->", from);
    return end == std::string_view::npos ? s_.size() : end + 3;
  }

  // Scans a tag name starting at `from`; returns its end.
  size_t NameEnd(size_t from) const {
    size_t i = from;
    while (i < s_.size() && !IsSpace(s_[i]) && s_[i] != '/' && s_[i] != '>') ++i;
    return i;
  }

  // Reads attributes from `i` up to and including the tag's '>'. Returns
  // the index after '>', or npos when the input ends inside the tag (an
  // unfinished tag is dropped, as HTML5 does).
  size_t AttributesAt(size_t i, StartTag* tag) {
    const size_t n = s_.size();
    while (true) {
      while (i < n && (IsSpace(s_[i]) || s_[i] == '/')) {
        if (s_[i] == '/' && i + 1 < n && s_[i + 1] == '>' && tag) tag->self_closing = true;
        ++i;
      }
      if (i >= n) return std::string_view::npos;
      if (s_[i] == '>') return i + 1;
      const size_t name_start = i++;  // a leading '=' belongs to the name
      while (i < n && !IsSpace(s_[i]) && s_[i] != '/' && s_[i] != '>' && s_[i] != '=') ++i;
      const std::string_view name = s_.substr(name_start, i - name_start);
      size_t j = i;
      while (j < n && IsSpace(s_[j])) ++j;
      std::string_view value;
      if (j < n && s_[j] == '=') {
        ++j;
        while (j < n && IsSpace(s_[j])) ++j;
        if (j >= n) return std::string_view::npos;
        if (s_[j] == '"' || s_[j] == '\'') {
          const void* q = std::memchr(s_.data() + j + 1, s_[j], n - j - 1);
          if (!q) return std::string_view::npos;
          const size_t close = static_cast<size_t>(static_cast<const char*>(q) - s_.data());
          value = s_.substr(j + 1, close - j - 1);
          i = close + 1;
        } else {
          const size_t start = j;
          while (j < n && !IsSpace(s_[j]) && s_[j] != '>') ++j;
          value = s_.substr(start, j - start);
          i = j;
        }
      }
      if (tag) tag->AddAttribute(name, value);
    }
  }

  // `from` is the first letter of the name after '<'.
  size_t StartTagAt(size_t from) {
    const size_t name_end = NameEnd(from);
    tag_.Clear();
    tag_.name = s_.substr(from, name_end - from);
    tag_.tag = gumbo_tagn_enum(tag_.name.data(), static_cast<unsigned>(tag_.name.size()));
    const size_t after = AttributesAt(name_end, &tag_);
    if (after == std::string_view::npos) return s_.size();
    sink_->StartTagToken(tag_);
    const TextMode mode = TextModeOf(tag_.tag);
    // "<script/>" does not end the script: HTML ignores self-closing here.
    if (mode == TextMode::kData) return after;
    if (mode == TextMode::kPlaintext) {
      EmitText(after, s_.size(), false);
      return s_.size();
    }
    // Raw text runs to "</name" followed by a delimiter, whatever the case.
    const std::string_view name = tag_.name;
    const GumboTag element = tag_.tag;
    size_t search = after;
    while (true) {
      const size_t close = s_.find("</", search);
      if (close == std::string_view::npos) {
        EmitText(after, s_.size(), mode == TextMode::kRcdata);
        return s_.size();
      }
      const size_t name_at = close + 2;
      if (EqualsNoCase(s_.substr(name_at, name.size()), name) &&
          (name_at + name.size() >= s_.size() || IsSpace(s_[name_at + name.size()]) ||
           s_[name_at + name.size()] == '/' || s_[name_at + name.size()] == '>')) {
        EmitText(after, close, mode == TextMode::kRcdata);
        const size_t end = AttributesAt(name_at + name.size(), nullptr);
        sink_->EndTagToken(element, name);
        return end == std::string_view::npos ? s_.size() : end;
      }
      search = close + 2;
    }
  }

  // `from` is the first letter of the name after "</".
  size_t EndTagAt(size_t from) {
    const size_t name_end = NameEnd(from);
    const std::string_view name = s_.substr(from, name_end - from);
    const size_t after = AttributesAt(name_end, nullptr);
    if (after == std::string_view::npos) return s_.size();
    sink_->EndTagToken(gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size())), name);
    return after;
  }

  std::string_view s_;
  TokenSink* sink_;
  StartTag tag_;
  std::string scratch_;
};

// --- tree building ---------------------------------------------------------

bool IsVoid(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME: case GUMBO_TAG_HR:
    case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT: case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

// Start tags that close an open <p> (HTML5 "close a p element").
bool ClosesParagraph(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_FORM: case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_HR: case GUMBO_TAG_XMP: case GUMBO_TAG_LI: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) { return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6; }

bool IsTablePart(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_CAPTION:
      return true;
    default:
      return false;
  }
}

// HTML5's "has an element in scope" boundaries: an end tag or implied
// close never reaches past these into an enclosing element.
bool IsScopeBoundary(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_APPLET: case GUMBO_TAG_CAPTION: case GUMBO_TAG_HTML: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

// Elements that stop the search for an open <li>/<dd>/<dt> to close
// (HTML5's "special" category, less address, div and p).
bool StopsItemSearch(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_DIV: case GUMBO_TAG_P:
      return false;
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_MENU: case GUMBO_TAG_DIR: case GUMBO_TAG_DL:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FORM:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_MAIN: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_BODY: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
      return true;
    default:
      return IsScopeBoundary(tag) || IsTablePart(tag);
  }
}

class TreeBuilder final : public TokenSink {
 public:
  explicit TreeBuilder(ElementVisitor* visitor) : visitor_(visitor) {}

  void StartTagToken(const StartTag& tag) override {
    drop_leading_newline_ = false;
    const GumboTag t = tag.tag;
    if (foreign_depth_ == 0) {
      if ((t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY || t == GUMBO_TAG_HEAD) && Find(t, false) >= 0) return;
      if (t == GUMBO_TAG_BODY) {  // the body ends the head, "</head>" or not
        if (const long head = Find(GUMBO_TAG_HEAD, false); head >= 0) PopTo(static_cast<size_t>(head));
      }
      CloseImplied(t);
    }
    const bool is_void = foreign_depth_ > 0 ? tag.self_closing : IsVoid(t);
    uint8_t close = 0;
    bool live = false;
    if (skip_depth_ == 0) live = visitor_->OpenElement(tag, &close);
    if (is_void) {
      if (live) visitor_->CloseElement(close);
      return;
    }
    if (stack_.size() >= kMaxOpenElements) PopTo(stack_.size() - 1);
    Frame frame;
    frame.tag = t;
    if (t == GUMBO_TAG_UNKNOWN) {
      frame.name.reserve(tag.name.size());
      for (char c : tag.name) frame.name.push_back(Lower(c));
    }
    frame.close = close;
    frame.live = live;
    frame.skipping = skip_depth_ == 0 && !live;
    frame.foreign = t == GUMBO_TAG_SVG || t == GUMBO_TAG_MATH;
    if (frame.skipping) ++skip_depth_;
    if (frame.foreign) ++foreign_depth_;
    ++open_count_[t];
    stack_.push_back(std::move(frame));
    drop_leading_newline_ = t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING || t == GUMBO_TAG_TEXTAREA;
  }

  void EndTagToken(GumboTag tag, std::string_view name) override {
    drop_leading_newline_ = false;
    if (foreign_depth_ == 0) {
      // Content after "</body>" still belongs to the body.
      if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY) return;
      if (tag == GUMBO_TAG_BR) {  // "</br>" is read as "<br>"
        StartTag br;
        br.tag = GUMBO_TAG_BR;
        br.name = "br";
        StartTagToken(br);
        return;
      }
      if (tag == GUMBO_TAG_P && Find(GUMBO_TAG_P, true) < 0) {  // "</p>" alone is an empty paragraph
        StartTag p;
        p.tag = GUMBO_TAG_P;
        p.name = "p";
        StartTagToken(p);
      }
    }
    const long at = tag == GUMBO_TAG_UNKNOWN ? FindUnknown(name) : Find(tag, true);
    if (at >= 0) PopTo(static_cast<size_t>(at));
  }

  void TextToken(std::string_view text) override {
    if (drop_leading_newline_ && !text.empty() && text.front() == '\n') text.remove_prefix(1);
    drop_leading_newline_ = false;
    if (skip_depth_ > 0 || text.empty()) return;
    visitor_->Text(text);
  }

  void Finish() {
    if (!stack_.empty()) PopTo(0);
  }

 private:
  struct Frame {
    GumboTag tag = GUMBO_TAG_UNKNOWN;
    std::string name;  // lower case, only for tags Gumbo does not know
    uint8_t close = 0;
    bool live = false;      // the visitor opened it and waits for its close
    bool skipping = false;  // the visitor declined it: its subtree is skipped
    bool foreign = false;   // <svg> or <math>
  };

  // Index of the innermost open `tag`, or -1. With `scoped`, the search
  // stops at a scope boundary (table parts look within their table only).
  long Find(GumboTag tag, bool scoped) const {
    if (open_count_[tag] == 0) return -1;
    const bool table_part = IsTablePart(tag);
    for (size_t i = stack_.size(); i-- > 0;) {
      const GumboTag open = stack_[i].tag;
      if (open == tag) return static_cast<long>(i);
      if (!scoped) continue;
      if (table_part ? (open == GUMBO_TAG_TABLE || open == GUMBO_TAG_HTML || open == GUMBO_TAG_TEMPLATE)
                     : IsScopeBoundary(open)) {
        return -1;
      }
    }
    return -1;
  }

  long FindUnknown(std::string_view name) const {
    for (size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].tag == GUMBO_TAG_UNKNOWN && EqualsNoCase(stack_[i].name, name)) return static_cast<long>(i);
      if (IsScopeBoundary(stack_[i].tag) && !stack_[i].foreign) return -1;
    }
    return -1;
  }

  // Index of the innermost open element of `tags`, searching down to an
  // element for which `stop` holds; -1 when none.
  template <typename Stop>
  long FindAny(std::initializer_list<GumboTag> tags, Stop stop) const {
    if (std::all_of(tags.begin(), tags.end(), [&](GumboTag t) { return open_count_[t] == 0; })) return -1;
    for (size_t i = stack_.size(); i-- > 0;) {
      const GumboTag open = stack_[i].tag;
      for (GumboTag t : tags) {
        if (open == t) return static_cast<long>(i);
      }
      if (stop(open)) return -1;
    }
    return -1;
  }

  // The end tags HTML lets authors omit, supplied before `tag` opens.
  void CloseImplied(GumboTag tag) {
    if (ClosesParagraph(tag)) {
      const long p = FindAny({GUMBO_TAG_P}, [](GumboTag t) { return IsScopeBoundary(t) || t == GUMBO_TAG_BUTTON; });
      if (p >= 0) PopTo(static_cast<size_t>(p));
    }
    long at = -1;
    switch (tag) {
      case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
      case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        if (!stack_.empty() && IsHeading(stack_.back().tag)) at = static_cast<long>(stack_.size() - 1);
        break;
      case GUMBO_TAG_LI:
        at = FindAny({GUMBO_TAG_LI}, StopsItemSearch);
        break;
      case GUMBO_TAG_DD: case GUMBO_TAG_DT:
        at = FindAny({GUMBO_TAG_DD, GUMBO_TAG_DT}, StopsItemSearch);
        break;
      case GUMBO_TAG_OPTION:
        if (!stack_.empty() && stack_.back().tag == GUMBO_TAG_OPTION) at = static_cast<long>(stack_.size() - 1);
        break;
      case GUMBO_TAG_OPTGROUP:
        at = FindAny({GUMBO_TAG_OPTION, GUMBO_TAG_OPTGROUP}, [](GumboTag t) { return t != GUMBO_TAG_OPTION; });
        break;
      case GUMBO_TAG_TR:
        at = FindAny({GUMBO_TAG_TR}, [](GumboTag t) { return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_HTML; });
        break;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        at = FindAny({GUMBO_TAG_TD, GUMBO_TAG_TH},
                     [](GumboTag t) { return t == GUMBO_TAG_TR || t == GUMBO_TAG_TABLE || t == GUMBO_TAG_HTML; });
        break;
      case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
        at = FindAny({GUMBO_TAG_THEAD, GUMBO_TAG_TBODY, GUMBO_TAG_TFOOT},
                     [](GumboTag t) { return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_HTML; });
        break;
      case GUMBO_TAG_A: case GUMBO_TAG_BUTTON: case GUMBO_TAG_NOBR:
        at = Find(tag, true);  // these do not nest
        break;
      default:
        break;
    }
    if (at >= 0) PopTo(static_cast<size_t>(at));
  }

  // Closes stack_[at] and everything opened after it, innermost first.
  void PopTo(size_t at) {
    while (stack_.size() > at) {
      Frame frame = std::move(stack_.back());
      stack_.pop_back();
      if (frame.skipping) --skip_depth_;
      if (frame.foreign) --foreign_depth_;
      --open_count_[frame.tag];
      if (frame.live) visitor_->CloseElement(frame.close);
    }
  }

  ElementVisitor* visitor_;
  std::vector<Frame> stack_;
  std::array<int, GUMBO_TAG_LAST + 1> open_count_{};  // open elements per tag: most searches end here
  int skip_depth_ = 0;
  int foreign_depth_ = 0;
  bool drop_leading_newline_ = false;  // right after <pre>, as HTML5 does
};

}  // namespace

std::optional<std::string_view> StartTag::Attr(std::string_view lower_name) const {
  for (const RawAttribute& a : attributes_) {
    if (a.name.size() != lower_name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < a.name.size() && same; ++i) same = Lower(a.name[i]) == lower_name[i];
    if (!same) continue;
    if (a.value.find('&') == std::string_view::npos) return a.value;  // (an empty value has no data pointer)
    std::string& decoded = decoded_.emplace_back();
    DecodeCharacterReferences(a.value, &decoded);
    return std::string_view(decoded);
  }
  return std::nullopt;
}

void StartTag::Clear() {
  tag = GUMBO_TAG_UNKNOWN;
  name = {};
  self_closing = false;
  attributes_.clear();
  decoded_.clear();
}

void StartTag::AddAttribute(std::string_view attribute_name, std::string_view raw_value) {
  attributes_.push_back(RawAttribute{attribute_name, raw_value});
}

void DecodeCharacterReferences(std::string_view text, std::string* out) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out->append(text.substr(i));
      return;
    }
    out->append(text.substr(i, amp - i));
    i = DecodeOneReference(text, amp, out);
  }
}

void Tokenize(std::string_view utf8, TokenSink* sink) { Tokenizer(utf8, sink).Run(); }

void Parse(std::string_view utf8, ElementVisitor* visitor) {
  TreeBuilder builder(visitor);
  Tokenize(utf8, &builder);
  builder.Finish();
}

}  // namespace smelter::html
