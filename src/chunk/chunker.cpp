// Structure-aware chunker.
//
// The text is first cut into *units*: the rendered blocks (or, for plain
// text, paragraphs separated by blank lines), trimmed of whitespace, plus a
// synthetic unit for any stray text between blocks so that every
// non-whitespace byte is covered. Units are grouped into *sections*: a
// heading (or a run of headings with nothing between them) opens a section,
// and no chunk or overlap ever crosses from one section into another.
//
// Within a section each chunk is found in a few bounded scans, never a pass
// over the whole document per chunk and never an allocation per character:
//   1. L = the furthest position within budget from the chunk's start.
//   2. The chunk ends at the strongest boundary in (E, L], E being where the
//      chunk's new (non-overlap) text starts: the end of a unit if any
//      (blocks are packed greedily), else a sentence end, a line end, a word
//      end inside the one unit that holds L; table units offer only their
//      row starts, and a row larger than the budget is kept whole.
//   3. The overlap: the next chunk starts at the earliest sentence start (or
//      failing that word start) within `overlap` units before the previous
//      chunk's end. When that overlap would force a weaker end than a chunk
//      without it (a paragraph or code block that fits alone but not after
//      the overlap), the overlap is shortened instead, as LangChain does.
// Sizes are counted by scanning short ranges: code points in chars mode
// (8 bytes at a time on ASCII), the CountTokens rule in tokens mode. The
// token rule is prefix-consistent (the count of a prefix never exceeds the
// count of the whole), so an end at or before L always respects the budget.
#include "chunk/chunker.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace smelter {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

inline bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsCont(unsigned char c) { return (c & 0xC0) == 0x80; }
inline bool IsAsciiLower(unsigned char c) { return c >= 'a' && c <= 'z'; }

// Byte roles for the backward search for an end: whitespace, a newline, or
// a byte that can end a CJK full stop (。！？ end in 0x82, 0x81, 0x9F).
enum : uint8_t { kPlain = 0, kBlank, kNewline, kCjkTail };
struct ScanRoles {
  uint8_t role[256];
  bool may_end_sentence[256];  // bytes that can precede a sentence-ending space
  constexpr ScanRoles() : role(), may_end_sentence() {
    for (int c : {' ', '\t', '\r', '\f', '\v'}) role[c] = kBlank;
    role[int{'\n'}] = kNewline;
    for (int c : {0x81, 0x82, 0x9F}) role[c] = kCjkTail;
    for (int c : {int{'.'}, int{'!'}, int{'?'}, int{'"'}, int{'\''}, int{')'}, int{']'}, int{'*'},
                  int{'_'}, 0x99, 0x9D, 0xA6}) {
      may_end_sentence[c] = true;
    }
  }
};
constexpr ScanRoles kScanRoles;

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Code points among 8 bytes: the bytes that are not continuation bytes
// (10xxxxxx). Portable SWAR, so no dependence on -mpopcnt.
inline int CodePointsIn8(uint64_t w) {
  uint64_t cont = (w & ~(w << 1) & kHighBits) >> 7;  // 1 per continuation byte
  return 8 - static_cast<int>((cont * 0x0101010101010101ULL) >> 56);
}

// ---------------------------------------------------------------------------
// Token counting.
//
// A token is counted at the 1st, 5th, 9th... code point of each run of word
// characters (letters, digits, '_', most non-ASCII letters), at the 1st,
// 5th... character of each run of one repeated punctuation character ("---"
// is one token, ")," two), and once per CJK ideograph, kana, hangul syllable
// or emoji. Whitespace is free. This errs slightly high for English against
// BPE tokenizers, which keeps budgets safe.

// Run keys: 0 = whitespace (ends a run), 1 = word, 2 = a character that is
// always its own token, 0x100 + c = a run of the punctuation character c.
constexpr uint32_t kKeySpace = 0;
constexpr uint32_t kKeyWord = 1;
constexpr uint32_t kKeySingle = 2;
constexpr uint32_t kKeyPunctBase = 0x100;

struct AsciiKeys {
  uint32_t key[128];
  constexpr AsciiKeys() : key() {
    for (int c = 0; c < 128; ++c) {
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        key[c] = kKeySpace;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_') {
        key[c] = kKeyWord;
      } else {
        key[c] = kKeyPunctBase + static_cast<uint32_t>(c);
      }
    }
  }
};
constexpr AsciiKeys kAscii;

// Decodes the code point starting at s[i] (s[i] >= 0x80). Returns its length
// in bytes (1 for an invalid sequence, which is then treated as one symbol).
inline int DecodeUtf8(const unsigned char* s, size_t i, size_t n, uint32_t* cp) {
  unsigned char c = s[i];
  int len;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (i + static_cast<size_t>(len) > n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[i + static_cast<size_t>(k)];
    if (!IsCont(cc)) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (cc & 0x3F);
  }
  *cp = v;
  return len;
}

// Kind of a code point, before it becomes a run key.
enum Kind : uint8_t { kSpaceKind, kWordKind, kSingleKind, kPunctKind };

constexpr Kind KindOfSlow(uint32_t cp) {
  if (cp < 0x80) {
    uint32_t k = kAscii.key[cp];
    return k == kKeySpace ? kSpaceKind : k == kKeyWord ? kWordKind : kPunctKind;
  }
  if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF) {
    return kSpaceKind;
  }
  if ((cp >= 0xA1 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) || cp == 0xD7 ||
      cp == 0xF7 || cp == 0x37E || cp == 0x387 || cp == 0x589 || cp == 0x5BE || cp == 0x5C0 ||
      cp == 0x5C3 || cp == 0x5F3 || cp == 0x5F4 || cp == 0x60C || cp == 0x61B || cp == 0x61F ||
      (cp >= 0x66A && cp <= 0x66D) || cp == 0x6D4 || (cp >= 0x2010 && cp <= 0x205E) ||
      (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3001 && cp <= 0x3003) ||
      (cp >= 0x3008 && cp <= 0x3011) || cp == 0xFFFD) {
    return kPunctKind;
  }
  if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
      (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFF)) {
    return kSingleKind;
  }
  return kWordKind;
}

// The Basic Multilingual Plane by table (64 KiB), the rest by ranges.
struct BmpKinds {
  Kind kind[0x10000];
  constexpr BmpKinds() : kind() {
    for (uint32_t cp = 0; cp < 0x10000; ++cp) kind[cp] = KindOfSlow(cp);
  }
};
constexpr BmpKinds kBmpKinds;

// Run key of a code point.
inline uint32_t KeyOf(uint32_t cp) {
  Kind kind = cp < 0x10000 ? kBmpKinds.kind[cp] : KindOfSlow(cp);
  switch (kind) {
    case kSpaceKind:
      return kKeySpace;
    case kWordKind:
      return kKeyWord;
    case kSingleKind:
      return kKeySingle;
    default:
      return kKeyPunctBase + cp;
  }
}

// Key and length in bytes of the code point at s[i].
inline uint32_t KeyAt(const unsigned char* s, size_t i, size_t n, int* len) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *len = 1;
    return kAscii.key[c];
  }
  if (c >= 0xC2 && c <= 0xDF && i + 1 < n && IsCont(s[i + 1])) {
    *len = 2;
    return KeyOf(((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu));
  }
  uint32_t cp;
  *len = DecodeUtf8(s, i, n, &cp);
  return KeyOf(cp);
}

struct WordBytes {
  bool word[256];
  constexpr WordBytes() : word() {
    for (int c = 0; c < 128; ++c) word[c] = kAscii.key[c] == kKeyWord;
  }
};
constexpr WordBytes kWordBytes;

// The maximal run of code points with the same key that starts at s[i]:
// returns its end, its key and its length in code points.
inline size_t ScanRun(const unsigned char* s, size_t i, size_t n, uint32_t* key_out,
                      uint32_t* cps_out) {
  int len;
  const uint32_t key = KeyAt(s, i, n, &len);
  size_t j = i + static_cast<size_t>(len);
  uint32_t cps = 1;
  if (key == kKeyWord) {
    for (;;) {
      while (j < n && kWordBytes.word[s[j]]) {
        ++j;
        ++cps;
      }
      if (j >= n || s[j] < 0x80) break;
      int l;
      if (KeyAt(s, j, n, &l) != kKeyWord) break;
      j += static_cast<size_t>(l);
      ++cps;
    }
  } else {
    while (j < n) {
      int l;
      if (KeyAt(s, j, n, &l) != key) break;
      j += static_cast<size_t>(l);
      ++cps;
    }
  }
  *key_out = key;
  *cps_out = cps;
  return j;
}

// Tokens of a whole run: one per 4 code points of a word or of a repeated
// punctuation character, one per ideograph/emoji, none for whitespace.
inline int64_t RunCost(uint32_t key, uint32_t cps) {
  if (key == kKeySpace) return 0;
  if (key == kKeySingle) return cps;
  return (int64_t{cps} + 3) / 4;
}

// CountTokens walks the text 64 bytes at a time when they are all ASCII (the
// common case), turning them into bit masks -- word bytes, punctuation
// bytes, bytes equal to the one before -- and counting tokens with mask
// arithmetic, and one code point at a time otherwise. Both paths share the
// run state below, so a run may cross from one path into the other.
struct CountState {
  uint32_t word_run = 0;   // length of the word run in progress (code points)
  uint32_t punct_run = 0;  // length of the punctuation run in progress
  uint32_t prev = 0;       // the previous code point
  int64_t count = 0;
};

inline int Popcount64(uint64_t x) {  // portable: no dependence on -mpopcnt
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// Tokens of the runs in a 64-position block. `member`: positions in a run;
// `cont`: positions that continue the run of the position before (bit 0:
// continues the run carried in, of length *carry). A token falls at run
// offsets 0, 4, 8... Updates *carry to the run still open at bit 63.
inline int64_t BlockRunTokens(uint64_t member, uint64_t cont, uint32_t* carry) {
  uint64_t marks = member & ~cont;  // run starts
  if (cont & 1) {
    const uint32_t first = (4 - (*carry & 3)) & 3;  // next offset 0 mod 4
    const uint64_t broken = ~cont;
    const uint32_t reach = broken ? static_cast<uint32_t>(__builtin_ctzll(broken)) : 64;
    if (first < reach) marks |= uint64_t{1} << first;
  }
  const uint64_t four = cont & (cont << 1) & (cont << 2) & (cont << 3);
  int64_t tokens = 0;
  for (uint64_t x = marks; x != 0; x = (x << 4) & four) tokens += Popcount64(x);
  if (member >> 63) {
    const uint64_t broken = ~cont;
    if (broken == 0) {
      *carry += 64;
    } else {
      *carry = static_cast<uint32_t>(__builtin_clzll(broken)) + 1;
    }
  } else {
    *carry = 0;
  }
  return tokens;
}

// Masks of 64 ASCII bytes at s (s[-1] readable): word bytes, whitespace,
// bytes equal to the previous byte. False when a byte is not ASCII.
inline bool AsciiMasks(const unsigned char* s, uint64_t* word, uint64_t* space, uint64_t* same) {
#if defined(__SSE2__)
  {  // cheap refusal first: any byte >= 0x80 among the 64?
    const auto* p = reinterpret_cast<const __m128i*>(s);
    const __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                                     _mm_or_si128(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
    if (_mm_movemask_epi8(any) != 0) return false;
  }
  uint64_t w = 0, sp = 0, eq = 0;
  for (int k = 0; k < 4; ++k) {
    const auto* p = reinterpret_cast<const __m128i*>(s + 16 * k);
    const __m128i v = _mm_loadu_si128(p);
    const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k - 1));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i is_word =
        _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    const __m128i is_space = _mm_or_si128(
        _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(8)), _mm_cmplt_epi8(v, _mm_set1_epi8(14))));
    const int shift = 16 * k;
    w |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(is_word))} << shift;
    sp |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(is_space))} << shift;
    eq |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, before)))} << shift;
  }
  *word = w;
  *space = sp;
  *same = eq;
  return true;
#else
  uint64_t w = 0, sp = 0, eq = 0;
  for (int k = 0; k < 64; ++k) {
    const unsigned char c = s[k];
    if (c >= 0x80) return false;
    const uint32_t key = kAscii.key[c];
    w |= uint64_t{key == kKeyWord} << k;
    sp |= uint64_t{key == kKeySpace} << k;
    eq |= uint64_t{c == s[k - 1]} << k;
  }
  *word = w;
  *space = sp;
  *same = eq;
  return true;
#endif
}

// One code point, any script.
inline void CountOne(Kind kind, uint32_t cp, CountState* st) {
  if (kind == kWordKind) {
    st->count += (st->word_run & 3) == 0;
    ++st->word_run;
    st->punct_run = 0;
  } else if (kind == kSpaceKind) {
    st->word_run = st->punct_run = 0;
  } else if (kind == kSingleKind) {
    ++st->count;
    st->word_run = st->punct_run = 0;
  } else {
    if (st->punct_run > 0 && st->prev == cp) {
      st->count += (st->punct_run & 3) == 0;
      ++st->punct_run;
    } else {
      ++st->count;
      st->punct_run = 1;
    }
    st->word_run = 0;
  }
  st->prev = cp;
}

}  // namespace

int CountTokens(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  CountState st;
  size_t i = 0;
  while (i < n) {
    uint64_t word, space, same;
    if (i > 0 && n - i >= 64 && AsciiMasks(s + i, &word, &space, &same)) {
      const uint64_t punct = ~(word | space);
      const uint64_t word_cont = word & ((word << 1) | uint64_t{st.word_run > 0});
      st.count += BlockRunTokens(word, word_cont, &st.word_run);
      st.count += BlockRunTokens(punct, punct & same, &st.punct_run);
      st.prev = s[i + 63];
      i += 64;
      continue;
    }
    // Code points one at a time for a while (16 bytes: short enough to
    // come back to the mask path soon after a lone accented letter).
    const size_t stop = std::min(n, i + 16);
    while (i < stop) {
      const unsigned char c = s[i];
      uint32_t cp;
      if (c < 0x80) {
        cp = c;
        ++i;
      } else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && IsCont(s[i + 1])) {
        cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
        i += 2;
      } else if (c >= 0xE1 && c <= 0xEC && i + 2 < n && IsCont(s[i + 1]) && IsCont(s[i + 2])) {
        // U+1000..U+CFFF, never overlong or a surrogate.
        cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        i += 3;
      } else {
        i += static_cast<size_t>(DecodeUtf8(s, i, n, &cp));
      }
      CountOne(cp < 0x10000 ? kBmpKinds.kind[cp] : KindOfSlow(cp), cp, &st);
    }
  }
  return static_cast<int>(std::min<int64_t>(st.count, INT32_MAX));
}

namespace {

// ---------------------------------------------------------------------------
// Units and boundaries.

enum class UnitKind : uint8_t { kProse, kHeading, kCode, kTable };

struct Unit {
  size_t begin = 0;  // text[begin] is not whitespace
  size_t end = 0;    // text[end - 1] is not whitespace
  UnitKind kind = UnitKind::kProse;
  int page = 0;
  int heading_level = 0;
  uint32_t rows_begin = 0;  // table row starts: rows_[rows_begin, rows_end)
  uint32_t rows_end = 0;
};

// Strength of a chunk end; a larger value is a better place to cut.
enum Level : int {
  kOversized = -1,   // a table row larger than the budget, kept whole
  kChar = 0,         // inside a word larger than the budget
  kHeadingOnly = 1,  // after the section's headings, before any content
  kWord = 2,
  kLine = 3,
  kSentence = 4,  // also: between two table rows
  kBlock = 5,
};

struct End {
  size_t pos;  // one past the chunk's last byte, before trimming whitespace
  int level;
};

class Splitter {
 public:
  Splitter(std::string_view doc_id, std::string_view text, const ChunkOptions& options,
           std::vector<Unit> units, std::vector<size_t> rows, std::vector<Chunk>* out)
      : doc_id_(doc_id),
        text_(text),
        s_(reinterpret_cast<const unsigned char*>(text.data())),
        n_(text.size()),
        max_(std::max(options.max_size, 1)),
        overlap_(std::clamp(options.overlap, 0, std::max(options.max_size, 1) - 1)),
        tokens_(options.unit == SizeUnit::kTokens),
        units_(std::move(units)),
        rows_(std::move(rows)),
        out_(out) {}

  const std::vector<Unit>& units() const { return units_; }

  // Chunks units [u0, u1) as one section whose chunks carry `path`.
  void ChunkSection(size_t u0, size_t u1, const std::vector<std::string>& path);

 private:
  // Size(a, b) below is the size of text[a, b) in the configured unit:
  // code points, or CountTokens().
  //
  // The largest q in [from, limit] with Size(from, q) <= budget, on a code
  // point boundary.
  size_t Advance(size_t from, int64_t budget, size_t limit) const;
  int64_t CodePoints(size_t from, size_t to) const;  // in text[from, to)
  // The smallest p in [floor, to] with Size(p, to) <= budget. In tokens mode
  // p is at the start of a word or punctuation run (or at floor).
  size_t Retreat(size_t to, int64_t budget, size_t floor) const;

  End FindEnd(size_t e, size_t limit) const;
  End SearchWithin(const Unit& u, size_t lo, size_t hi) const;
  size_t FindFirst(size_t e, size_t limit, int level) const;
  size_t OverlapStart(size_t from, size_t to, bool strong_only) const;
  bool IsSentenceEnd(size_t w, const Unit& u) const;
  bool IsCjkStop(size_t w, size_t unit_begin) const;
  size_t UnitAt(size_t pos) const;  // last unit with begin <= pos (in the section)
  std::vector<Unit>::const_iterator SectionBegin() const {
    return units_.begin() + static_cast<std::ptrdiff_t>(su0_);
  }
  std::vector<Unit>::const_iterator SectionEnd() const {
    return units_.begin() + static_cast<std::ptrdiff_t>(su1_);
  }
  void Emit(size_t begin, size_t end, const std::vector<std::string>& path);

  std::string_view doc_id_;
  std::string_view text_;
  const unsigned char* s_;
  size_t n_;
  int64_t max_;
  int64_t overlap_;
  bool tokens_;
  std::vector<Unit> units_;
  std::vector<size_t> rows_;
  std::vector<Chunk>* out_;
  size_t su0_ = 0, su1_ = 0;  // the section being chunked
};

int64_t Splitter::CodePoints(size_t from, size_t to) const {
  int64_t cps = 0;
  size_t i = from;
  for (; i + 8 <= to; i += 8) cps += CodePointsIn8(Load8(text_.data() + i));
  for (; i < to; ++i) cps += !IsCont(s_[i]);
  return cps;
}

size_t Splitter::Advance(size_t from, int64_t budget, size_t limit) const {
  size_t i = from;
  if (!tokens_) {
    while (i < limit) {
      if (budget >= 8 && i + 8 <= limit) {
        uint64_t w = Load8(text_.data() + i);
        if ((w & kHighBits) == 0) {
          i += 8;
          budget -= 8;
          continue;
        }
        // Whole 8-byte groups may still fit when they hold few code points,
        // as long as the group ends on a code point boundary.
        int cps = CodePointsIn8(w);
        if (cps <= budget && (i + 8 == limit || !IsCont(s_[i + 8]))) {
          i += 8;
          budget -= cps;
          continue;
        }
      }
      if (!IsCont(s_[i])) {
        if (budget == 0) return i;
        --budget;
      }
      ++i;
    }
    return limit;
  }
  // Tokens: whole runs while they fit, then the part of a run that fits
  // (a prefix of m code points of a word costs ceil(m / 4)).
  while (i < limit) {
    uint32_t key, cps;
    const size_t j = ScanRun(s_, i, limit, &key, &cps);
    const int64_t cost = RunCost(key, cps);
    if (cost <= budget) {
      budget -= cost;
      i = j;
      continue;
    }
    int64_t fit = key == kKeySingle ? budget : budget * 4;  // code points
    for (; fit > 0; --fit) {
      int len;
      KeyAt(s_, i, limit, &len);
      i += static_cast<size_t>(len);
    }
    return i;
  }
  return std::min(i, limit);
}

size_t Splitter::Retreat(size_t to, int64_t budget, size_t floor) const {
  size_t i = to;
  if (!tokens_) {
    while (i > floor) {
      if (budget >= 8 && i >= floor + 8 && (Load8(text_.data() + i - 8) & kHighBits) == 0) {
        i -= 8;
        budget -= 8;
        continue;
      }
      if (budget == 0) break;
      size_t j = i - 1;
      while (j > floor && IsCont(s_[j])) --j;
      i = j;
      --budget;
    }
    return i;
  }
  // Tokens: walk back whole runs, since a run's cost depends on its length.
  auto prev_start = [&](size_t pos) {
    size_t j = pos - 1;
    while (j > floor && IsCont(s_[j])) --j;
    return j;
  };
  int64_t used = 0;
  while (i > floor) {
    size_t j = prev_start(i);
    int len;
    uint32_t k = KeyAt(s_, j, n_, &len);
    if (k == kKeySpace) {
      i = j;
      continue;
    }
    size_t run_start = j;
    int64_t cps = 1;
    if (k != kKeySingle) {
      while (run_start > floor) {
        size_t p = prev_start(run_start);
        int plen;
        if (KeyAt(s_, p, n_, &plen) != k) break;
        run_start = p;
        ++cps;
      }
    }
    int64_t cost = k == kKeySingle ? 1 : (cps + 3) / 4;
    if (used + cost > budget) break;
    used += cost;
    i = run_start;
  }
  return i;
}

size_t Splitter::UnitAt(size_t pos) const {
  auto first = SectionBegin();
  auto last = SectionEnd();
  auto it = std::upper_bound(first, last, pos, [](size_t p, const Unit& u) { return p < u.begin; });
  if (it == first) return su0_;
  return static_cast<size_t>(it - units_.begin()) - 1;
}

// `w` is a whitespace position inside prose unit `u`: does a sentence end
// just before it? Closing quotes/brackets after the terminator are allowed.
// A lower-case word after it ("e.g. this"), a lone capital before the period
// ("J. Smith") or a list marker ("2. ") say it is not a sentence end.
inline bool Splitter::IsSentenceEnd(size_t w, const Unit& u) const {
  if (w <= u.begin || !kScanRoles.may_end_sentence[s_[w - 1]]) return false;
  size_t k = w - 1;
  for (int closers = 0; closers < 3 && k > u.begin; ++closers) {
    unsigned char c = s_[k];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_') {
      --k;
    } else if (k >= u.begin + 3 && s_[k - 2] == 0xE2 && s_[k - 1] == 0x80 &&
               (c == 0x99 || c == 0x9D)) {  // ’ ”
      k -= 3;
    } else {
      break;
    }
  }
  unsigned char t = s_[k];
  bool terminator = t == '.' || t == '!' || t == '?';
  if (!terminator && k >= u.begin + 2 && s_[k - 2] == 0xE2 && s_[k - 1] == 0x80 && t == 0xA6) {
    terminator = true;  // …
  }
  if (!terminator) return false;
  if (t == '.' && k > u.begin) {
    unsigned char before = s_[k - 1];
    if (before >= 'A' && before <= 'Z' && (k - 1 == u.begin || IsSpace(s_[k - 2]))) return false;
    if (before >= '0' && before <= '9') {
      size_t d = k - 1;
      while (d > u.begin && s_[d - 1] >= '0' && s_[d - 1] <= '9') --d;
      while (d > u.begin && (s_[d - 1] == ' ' || s_[d - 1] == '\t')) --d;
      if (d == u.begin || s_[d - 1] == '\n') return false;
    }
  }
  size_t j = w;
  while (j < u.end && IsSpace(s_[j])) ++j;
  return j >= u.end || !IsAsciiLower(s_[j]);
}

// Is there a CJK full stop (。！？) ending just before `w`?
inline bool Splitter::IsCjkStop(size_t w, size_t unit_begin) const {
  if (w < unit_begin + 3 || s_[w - 1] < 0x80) return false;
  const unsigned char* p = s_ + w - 3;
  return (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x82) ||
         (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x81 || p[2] == 0x9F));
}

// The best end in (lo, hi] inside one unit (hi < u.end), or level kChar with
// pos kNone when there is no boundary at all.
End Splitter::SearchWithin(const Unit& u, size_t lo, size_t hi) const {
  if (u.kind == UnitKind::kTable) {
    const size_t* rb = rows_.data() + u.rows_begin;
    const size_t* re = rows_.data() + u.rows_end;
    const size_t* it = std::upper_bound(rb, re, hi);  // first row start > hi
    if (it != rb && *(it - 1) > lo) return {*(it - 1), kSentence};
    return {kNone, kChar};
  }
  const bool code = u.kind == UnitKind::kCode;
  size_t line = kNone, word = kNone;
  for (size_t w = hi; w > lo; --w) {
    const uint8_t role = kScanRoles.role[s_[w]];
    if (role == kPlain) continue;
    if (role == kCjkTail) {
      // w may be the last byte of a CJK full stop that ends at w + 1.
      if (!code && w < hi && !IsCont(s_[w + 1]) && IsCjkStop(w + 1, u.begin)) {
        return {w + 1, kSentence};
      }
      continue;
    }
    if (word == kNone) word = w;
    if (role == kNewline) {
      if (code) return {w, kLine};
      if (line == kNone) line = w;
    }
    if (!code && (IsSentenceEnd(w, u) || IsCjkStop(w, u.begin))) return {w, kSentence};
  }
  if (line != kNone) return {line, kLine};
  if (word != kNone) return {word, kWord};
  return {kNone, kChar};
}

End Splitter::FindEnd(size_t e, size_t limit) const {
  // Blocks: the last unit end in (e, limit]. A heading's end is not a good
  // place to stop (a heading belongs with what follows it) unless the
  // section holds nothing else.
  auto first = SectionBegin();
  auto last = SectionEnd();
  auto it = std::upper_bound(first, last, limit, [](size_t p, const Unit& u) { return p < u.end; });
  size_t heading_end = kNone;
  while (it != first) {
    --it;
    if (it->end <= e) break;
    if (it->kind != UnitKind::kHeading || it + 1 == last) return {it->end, kBlock};
    if (heading_end == kNone) heading_end = it->end;
  }
  // Inside the unit that holds the limit.
  const size_t ui = UnitAt(limit > 0 ? limit - 1 : 0);
  const Unit& u = units_[ui];
  if (limit < u.end) {
    End found = SearchWithin(u, std::max(e, u.begin), limit);
    if (found.pos != kNone) return found;
  }
  if (heading_end != kNone) return {heading_end, kHeadingOnly};
  if (u.kind == UnitKind::kTable) {
    // The row holding e is larger than the budget: keep it whole.
    const size_t* rb = rows_.data() + u.rows_begin;
    const size_t* re = rows_.data() + u.rows_end;
    const size_t* next = std::upper_bound(rb, re, e);
    return {next != re ? *next : u.end, kOversized};
  }
  // One word larger than the budget: cut it at the limit.
  return {limit, kChar};
}

// The first boundary after e of at least `level`, within (e, limit]. Only
// called when such a boundary is known to exist (FindEnd found one).
size_t Splitter::FindFirst(size_t e, size_t limit, int level) const {
  if (level >= kBlock) {
    auto first = SectionBegin();
    auto last = SectionEnd();
    auto it = std::upper_bound(first, last, e, [](size_t p, const Unit& u) { return p < u.end; });
    for (; it != last; ++it) {
      if (it->kind != UnitKind::kHeading || it + 1 == last) return it->end;
    }
    return limit;
  }
  const Unit& u = units_[UnitAt(e)];
  const size_t hi = std::min(limit, u.end);
  if (u.kind == UnitKind::kTable) {
    const size_t* rb = rows_.data() + u.rows_begin;
    const size_t* re = rows_.data() + u.rows_end;
    const size_t* next = std::upper_bound(rb, re, e);
    return next != re && *next <= hi ? *next : limit;
  }
  const bool code = u.kind == UnitKind::kCode;
  for (size_t w = e + 1; w <= hi && w < u.end; ++w) {
    unsigned char c = s_[w];
    int here;
    if (IsSpace(c)) {
      here = (!code && (IsSentenceEnd(w, u) || IsCjkStop(w, u.begin)))
                 ? kSentence
                 : (c == '\n' ? kLine : kWord);
    } else if (!code && !IsCont(c) && IsCjkStop(w, u.begin)) {
      here = kSentence;
    } else {
      continue;
    }
    if (here >= level) return w;
  }
  return limit;
}

// Where the next chunk may start in [from, to): the earliest strong start
// (a unit start, a sentence start, a table row, a code line) or else, unless
// `strong_only`, the earliest word start; kNone when there is none.
size_t Splitter::OverlapStart(size_t from, size_t to, bool strong_only) const {
  if (from >= to) return kNone;
  size_t weak = kNone;
  for (size_t ui = UnitAt(from); ui < su1_ && units_[ui].begin < to; ++ui) {
    const Unit& u = units_[ui];
    if (u.end <= from) continue;
    if (u.begin >= from) return u.begin;
    const size_t hi = std::min(to, u.end);
    if (u.kind == UnitKind::kTable) {
      const size_t* rb = rows_.data() + u.rows_begin;
      const size_t* re = rows_.data() + u.rows_end;
      const size_t* it = std::lower_bound(rb, re, from);
      if (it != re && *it < hi) return *it;
      continue;
    }
    const bool code = u.kind == UnitKind::kCode;
    // p is a start when text[p] is not a space and text[p-1] is; `space_run`
    // is where the spaces before p began.
    size_t space_run = kNone;
    bool newline = false;
    if (IsSpace(s_[from - 1])) {  // from > u.begin here
      space_run = from - 1;
      while (space_run > u.begin && IsSpace(s_[space_run - 1])) --space_run;
      for (size_t k = space_run; k < from; ++k) newline |= s_[k] == '\n';
    }
    for (size_t p = from; p < hi; ++p) {
      unsigned char c = s_[p];
      if (IsSpace(c)) {
        if (space_run == kNone) {
          space_run = p;
          newline = false;
        }
        newline |= c == '\n';
        continue;
      }
      if (space_run != kNone) {
        bool strong =
            code ? newline : (IsSentenceEnd(space_run, u) || IsCjkStop(space_run, u.begin));
        if (strong) return p;
        if (weak == kNone && !strong_only) weak = p;
        space_run = kNone;
      } else if (!code && !IsCont(c) && IsCjkStop(p, u.begin)) {
        return p;
      }
    }
  }
  return weak;
}

void Splitter::Emit(size_t begin, size_t end, const std::vector<std::string>& path) {
  while (begin < end && IsSpace(s_[begin])) ++begin;
  while (end > begin && IsSpace(s_[end - 1])) --end;
  if (begin >= end) return;
  Chunk chunk;
  chunk.index = static_cast<int>(out_->size());
  chunk.doc_id = std::string(doc_id_);
  chunk.id = chunk.doc_id;
  chunk.id += '-';
  chunk.id += std::to_string(chunk.index);
  chunk.text.assign(text_.data() + begin, end - begin);
  chunk.heading_path = path;
  chunk.char_start = begin;
  chunk.char_end = end;
  chunk.token_count = CountTokens(chunk.text);
  int lo = 0, hi = 0;
  auto first = SectionBegin();
  auto last = SectionEnd();
  auto it = std::upper_bound(first, last, begin, [](size_t p, const Unit& u) { return p < u.end; });
  for (; it != last && it->begin < end; ++it) {
    if (it->page <= 0) continue;
    lo = lo == 0 ? it->page : std::min(lo, it->page);
    hi = std::max(hi, it->page);
  }
  chunk.page_start = lo;
  chunk.page_end = hi;
  out_->push_back(std::move(chunk));
}

void Splitter::ChunkSection(size_t u0, size_t u1, const std::vector<std::string>& path) {
  if (u0 >= u1) return;
  su0_ = u0;
  su1_ = u1;
  const size_t sec_end = units_[u1 - 1].end;
  size_t e = units_[u0].begin;  // where this chunk's new text starts
  size_t prev_start = kNone, prev_end = kNone;
  // After a chunk that ended between blocks, the overlap starts at a block
  // or sentence start or not at all: a clean cut needs no half sentence
  // carried over. After a cut inside a block, a word start will do.
  bool strong_only = false;
  while (e < sec_end) {
    size_t o = e;  // where this chunk starts, overlap included
    if (prev_start != kNone && overlap_ > 0) {
      size_t floor = prev_start + 1;
      while (floor < prev_end && IsCont(s_[floor])) ++floor;
      size_t w = Retreat(prev_end, overlap_, floor);
      size_t start = OverlapStart(w, prev_end, strong_only);
      if (start != kNone) o = start;
    }
    size_t limit = Advance(o, max_, sec_end);
    if (limit <= e) {  // the overlap plus the gap before e already fill the budget
      o = e;
      limit = Advance(o, max_, sec_end);
    }
    End end;
    if (o == e) {
      end = FindEnd(e, limit);
    } else {
      // Where would the chunk end without the overlap? When that end also
      // fits with it (the usual case), it is the end; one search, not two.
      // In chars mode sizes add up, so the limit without the overlap is the
      // limit with it plus the overlap's size: no second scan of the chunk.
      const size_t limit0 = tokens_ || limit == sec_end ? Advance(e, max_, sec_end)
                                                        : Advance(limit, CodePoints(o, e), sec_end);
      const End alone = FindEnd(e, limit0);
      if (alone.level == kOversized) {
        o = e;
        end = alone;
      } else if (alone.pos <= limit) {
        end = alone;
      } else {
        end = FindEnd(e, limit);
        if (end.level < alone.level) {
          // The overlap costs a better end: shorten it until that end fits.
          const size_t first = FindFirst(e, limit0, alone.level);
          const size_t w2 = Retreat(first, max_, o);
          const size_t start = OverlapStart(std::max(o, w2), prev_end, strong_only);
          o = start != kNone ? start : e;
          limit = Advance(o, max_, sec_end);
          if (limit <= e) {  // cannot happen for valid UTF-8; stay safe anyway
            o = e;
            limit = limit0;
          }
          end = FindEnd(e, limit);
        }
      }
    }
    Emit(o, end.pos, path);
    strong_only = end.level >= kBlock;
    prev_start = o;
    prev_end = end.pos;
    while (prev_end > o && IsSpace(s_[prev_end - 1])) --prev_end;
    e = end.pos;
    while (e < sec_end && IsSpace(s_[e])) ++e;
  }
}

// ---------------------------------------------------------------------------
// Building units.

// Trims [*b, *e) of whitespace; false when nothing is left.
bool Trim(std::string_view text, size_t* b, size_t* e) {
  while (*b < *e && IsSpace(static_cast<unsigned char>(text[*b]))) ++*b;
  while (*e > *b && IsSpace(static_cast<unsigned char>(text[*e - 1]))) --*e;
  return *b < *e;
}

// Plain text: paragraphs are separated by blank lines.
std::vector<Unit> ParagraphUnits(std::string_view text) {
  std::vector<Unit> units;
  const char* s = text.data();
  const size_t n = text.size();
  size_t para = 0;
  size_t i = 0;
  while (i < n) {
    const void* nl = std::memchr(s + i, '\n', n - i);
    if (nl == nullptr) break;
    size_t p = static_cast<size_t>(static_cast<const char*>(nl) - s);
    size_t j = p + 1;
    while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) ++j;
    if (j < n && s[j] == '\n') {
      size_t b = para, e = p;
      if (Trim(text, &b, &e)) units.push_back(Unit{b, e});
      para = j + 1;
      i = j + 1;
    } else {
      i = p + 1;
    }
  }
  size_t b = para, e = n;
  if (Trim(text, &b, &e)) units.push_back(Unit{b, e});
  return units;
}

// Row starts of a table unit: the renderer's, when valid, else every line
// after the header and its |---| delimiter line.
void TableRows(std::string_view text, const Block& block, Unit* unit, std::vector<size_t>* rows) {
  unit->rows_begin = static_cast<uint32_t>(rows->size());
  auto add = [&](size_t r) {
    while (r < unit->end && IsSpace(static_cast<unsigned char>(text[r]))) ++r;
    if (r <= unit->begin || r >= unit->end) return;
    if (rows->size() > unit->rows_begin && rows->back() >= r) return;
    rows->push_back(r);
  };
  if (!block.row_starts.empty()) {
    for (size_t r : block.row_starts) add(r);
  } else {
    int line = 0;
    for (size_t i = unit->begin; i < unit->end; ++i) {
      if (text[i] != '\n') continue;
      ++line;
      if (line >= 2) add(i + 1);  // line 1 is the delimiter row
    }
  }
  unit->rows_end = static_cast<uint32_t>(rows->size());
}

UnitKind KindOf(ElementType type) {
  switch (type) {
    case ElementType::kTitle:
    case ElementType::kHeading:
      return UnitKind::kHeading;
    case ElementType::kCode:
      return UnitKind::kCode;
    case ElementType::kTable:
      return UnitKind::kTable;
    default:
      return UnitKind::kProse;
  }
}

// "## Scope ##" -> "Scope"; newlines folded to spaces.
std::string HeadingText(std::string_view text, const Unit& u) {
  std::string_view h = text.substr(u.begin, u.end - u.begin);
  size_t i = 0;
  while (i < h.size() && h[i] == '#') ++i;
  h.remove_prefix(i);
  size_t e = h.size();
  size_t k = e;
  while (k > 0 && h[k - 1] == '#') --k;
  if (k < e && (k == 0 || h[k - 1] == ' ' || h[k - 1] == '\t')) h = h.substr(0, k);
  std::string out;
  out.reserve(h.size());
  bool space = false;
  for (char c : h) {
    if (IsSpace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// A guess at the chunk count, to size the output once (about 4 bytes a token).
size_t EstimateChunks(size_t bytes, const ChunkOptions& options) {
  const int64_t step =
      std::max<int64_t>(1, int64_t{options.max_size} - std::max(0, options.overlap));
  const int64_t bytes_per_step = options.unit == SizeUnit::kTokens ? step * 4 : step;
  return static_cast<size_t>(
      std::min<int64_t>(int64_t{1} << 20, static_cast<int64_t>(bytes) / bytes_per_step + 1));
}

int HeadingLevel(std::string_view text, const Unit& u) {
  if (u.heading_level >= 1) return u.heading_level;
  int hashes = 0;
  for (size_t i = u.begin; i < u.end && text[i] == '#'; ++i) ++hashes;
  return hashes >= 1 ? hashes : 1;
}

}  // namespace

std::vector<Chunk> ChunkText(std::string_view doc_id, std::string_view text,
                             const ChunkOptions& options) {
  std::vector<Chunk> chunks;
  std::vector<Unit> units = ParagraphUnits(text);
  if (units.empty()) return chunks;
  chunks.reserve(EstimateChunks(text.size(), options));
  Splitter splitter(doc_id, text, options, std::move(units), {}, &chunks);
  splitter.ChunkSection(0, splitter.units().size(), {});
  return chunks;
}

std::vector<Chunk> ChunkDocument(std::string_view doc_id, const RenderedMarkdown& doc,
                                 const ChunkOptions& options) {
  const std::string_view text = doc.text;
  if (doc.blocks.empty()) return ChunkText(doc_id, text, options);

  // Units from the blocks, defensively: clamped to the text, in order,
  // non-overlapping, with any stray text between blocks kept as prose.
  std::vector<Unit> units;
  std::vector<size_t> rows;
  size_t covered = 0;
  int page = 0;
  auto add_gap = [&](size_t b, size_t e) {
    if (b < e && Trim(text, &b, &e)) {
      Unit gap{b, e};
      gap.page = page;
      units.push_back(gap);
    }
  };
  for (const Block& block : doc.blocks) {
    size_t b = std::min(block.begin, text.size());
    size_t e = std::min(block.end, text.size());
    b = std::max(b, covered);
    if (b >= e) continue;
    add_gap(covered, b);
    covered = e;
    if (!Trim(text, &b, &e)) continue;
    Unit u{b, e};
    u.kind = KindOf(block.type);
    u.page = block.page;
    page = block.page;
    u.heading_level = block.heading_level;
    if (u.kind == UnitKind::kTable) TableRows(text, block, &u, &rows);
    units.push_back(u);
  }
  add_gap(covered, text.size());

  std::vector<Chunk> chunks;
  if (units.empty()) return chunks;
  chunks.reserve(EstimateChunks(text.size(), options));
  Splitter splitter(doc_id, text, options, std::move(units), std::move(rows), &chunks);
  const std::vector<Unit>& us = splitter.units();

  // Sections: a run of headings opens a section; its path is the heading
  // stack after the run's last heading.
  std::vector<std::pair<int, std::string>> stack;  // (level, text), outermost first
  std::vector<std::string> path;
  size_t start = 0;
  size_t i = 0;
  while (i < us.size()) {
    if (us[i].kind != UnitKind::kHeading) {
      ++i;
      continue;
    }
    splitter.ChunkSection(start, i, path);
    start = i;
    for (; i < us.size() && us[i].kind == UnitKind::kHeading; ++i) {
      int level = HeadingLevel(text, us[i]);
      while (!stack.empty() && stack.back().first >= level) stack.pop_back();
      stack.emplace_back(level, HeadingText(text, us[i]));
    }
    path.clear();
    for (const auto& entry : stack) path.push_back(entry.second);
  }
  splitter.ChunkSection(start, us.size(), path);
  return chunks;
}

}  // namespace smelter
