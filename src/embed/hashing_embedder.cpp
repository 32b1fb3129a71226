#include "embed/hashing_embedder.h"

#include "core/utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace smelter {
namespace {

// ---------------------------------------------------------------------------
// Folding.

// ASCII letters and digits lower-cased; 0 for separators.
struct AsciiFold {
  char lower[128];
  constexpr AsciiFold() : lower() {
    for (int c = 0; c < 128; ++c) {
      if (c >= 'A' && c <= 'Z') {
        lower[c] = static_cast<char>(c - 'A' + 'a');
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        lower[c] = static_cast<char>(c);
      }
    }
  }
};
constexpr AsciiFold kAsciiFold;



bool IsMark(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Where diacritics are removed and compatibility forms unfolded: Latin,
// Greek, Cyrillic (and their extensions), letter-like symbols, ligatures and
// full-width forms. Elsewhere marks carry meaning and are kept.
bool Unfolds(UChar32 cp) {
  return cp < 0x530 || (cp >= 0x1D00 && cp < 0x3000) || (cp >= 0xA640 && cp < 0xA800) ||
         (cp >= 0xFB00 && cp <= 0xFB4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

struct Folded {
  std::string text;   // UTF-8, possibly empty (a dropped diacritic)
  bool word = false;  // part of a word, or a separator
};

Folded FoldSlow(UChar32 cp) {
  Folded out;
  if (cp >= 0x300 && cp <= 0x36F) {  // combining diacritics: dropped, inside words
    out.word = true;
    return out;
  }
  const bool wordy = u_isalnum(cp) || IsMark(cp);
  const UChar32 folded = u_foldCase(cp, U_FOLD_CASE_DEFAULT);
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(error);
  icu::UnicodeString decomposition;
  bool all_alnum = true;
  if (Unfolds(cp) && U_SUCCESS(error) && nfkd->getDecomposition(folded, decomposition)) {
    for (int32_t k = 0; k < decomposition.length();) {
      UChar32 d = decomposition.char32At(k);
      k += U16_LENGTH(d);
      if (u_charType(d) == U_NON_SPACING_MARK) continue;
      d = u_foldCase(d, U_FOLD_CASE_DEFAULT);
      all_alnum = all_alnum && u_isalnum(d);
      AppendUtf8(static_cast<uint32_t>(d), &out.text);
    }
  } else {
    all_alnum = u_isalnum(folded) || IsMark(folded);
    AppendUtf8(static_cast<uint32_t>(folded), &out.text);
  }
  out.word = wordy || (!out.text.empty() && all_alnum);
  return out;
}

// FoldSlow for U+0080..U+2FFF, computed once.
class FoldTable {
 public:
  static constexpr uint32_t kEnd = 0x3000;

  static const FoldTable& Get() {
    static const FoldTable table;  // thread-safe initialization
    return table;
  }
  std::string_view Text(uint32_t cp) const {
    return std::string_view(data_).substr(offset_[cp], offset_[cp + 1] - offset_[cp]);
  }
  bool Word(uint32_t cp) const { return word_[cp] != 0; }

 private:
  FoldTable() : offset_(kEnd + 1, 0), word_(kEnd, 0) {
    for (uint32_t cp = 0x80; cp < kEnd; ++cp) {
      offset_[cp] = static_cast<uint32_t>(data_.size());
      Folded f = FoldSlow(static_cast<UChar32>(cp));
      data_ += f.text;
      word_[cp] = f.word;
    }
    offset_[kEnd] = static_cast<uint32_t>(data_.size());
  }
  std::vector<uint32_t> offset_;
  std::vector<uint8_t> word_;
  std::string data_;
};

}  // namespace

const std::vector<std::string_view>& WordSplitter::Split(std::string_view text) {
  const FoldTable& table = FoldTable::Get();
  folded_.clear();
  bounds_.clear();
  words_.clear();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  bool in_word = false;
  auto word_char = [&](std::string_view piece) {
    if (!in_word) {
      bounds_.push_back(folded_.size());
      in_word = true;
    }
    folded_ += piece;
  };
  auto separator = [&] {
    if (in_word) {
      bounds_.push_back(folded_.size());
      in_word = false;
    }
  };
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      const char lower = kAsciiFold.lower[c];
      if (lower != 0) {
        if (!in_word) {
          bounds_.push_back(folded_.size());
          in_word = true;
        }
        folded_.push_back(lower);
      } else {
        separator();
      }
      ++i;
      continue;
    }
    uint32_t cp;
    const int len = DecodeUtf8(s, i, n, &cp);
    if (len == 0) {  // invalid bytes separate words
      separator();
      ++i;
      continue;
    }
    i += static_cast<size_t>(len);
    if (cp < FoldTable::kEnd) {
      if (table.Word(cp)) {
        word_char(table.Text(cp));
      } else {
        separator();
      }
    } else if (Unfolds(static_cast<UChar32>(cp))) {
      Folded f = FoldSlow(static_cast<UChar32>(cp));
      if (f.word) {
        word_char(f.text);
      } else {
        separator();
      }
    } else if (u_isalnum(static_cast<UChar32>(cp)) || IsMark(static_cast<UChar32>(cp))) {
      const size_t before = folded_.size();
      AppendUtf8(static_cast<uint32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT)),
                 &folded_);
      if (!in_word) {
        bounds_.push_back(before);
        in_word = true;
      }
    } else {
      separator();
    }
  }
  separator();
  for (size_t k = 0; k + 1 < bounds_.size(); k += 2) {
    if (bounds_[k + 1] > bounds_[k]) {
      words_.emplace_back(folded_.data() + bounds_[k], bounds_[k + 1] - bounds_[k]);
    }
  }
  return words_;
}

namespace {

// ---------------------------------------------------------------------------
// Features.

// Seeds keep the feature families apart: the word "cat" and the trigram
// "cat" hash differently.
constexpr uint64_t kWordSeed = 0x736d656c74657201ULL;
constexpr uint64_t kBigramSeed = 0x736d656c74657202ULL;
constexpr uint64_t kGramSeed = 0x736d656c74657203ULL;

// Weights balance the families: a word has one unigram but about three
// character n-grams per letter, so n-grams weigh less each.
constexpr float kWordWeight = 1.0f;
constexpr float kStopWordWeight = 0.15f;
constexpr float kBigramWeight = 0.6f;
constexpr float kGramWeight = 0.25f;
constexpr size_t kMaxGramChars = 48;  // n-grams of a long word's first chars only

// English function words: damped, since with no corpus statistics (IDF) they
// would otherwise make any two English texts look alike.
constexpr std::array<std::string_view, 44> kStopWords = {
    "a",    "an",  "and",   "are",  "as",    "at",    "be",   "been", "but", "by",  "for",
    "from", "had", "has",   "have", "he",    "her",   "his",  "i",    "if",  "in",  "into",
    "is",   "it",  "its",   "no",   "not",   "of",    "on",   "or",   "she", "so",  "such",
    "that", "the", "their", "then", "there", "these", "they", "this", "to",  "was", "with"};

static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

bool IsStopWord(std::string_view word) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

bool AllDigits(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

uint64_t HashPair(uint64_t a, uint64_t b) {
  unsigned char bytes[16];
  for (int k = 0; k < 8; ++k) {  // explicit byte order: same hash on any machine
    bytes[k] = static_cast<unsigned char>(a >> (8 * k));
    bytes[8 + k] = static_cast<unsigned char>(b >> (8 * k));
  }
  return XXH3_64bits_withSeed(bytes, sizeof(bytes), kBigramSeed);
}

// Counts of distinct 64-bit keys (open addressing, linear probing), sized
// for a known number of insertions.
class KeyCounter {
 public:
  void Reset(size_t expected) {
    size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    keys_.assign(capacity, 0);
    counts_.assign(capacity, 0);
    first_.assign(capacity, 0);
    mask_ = capacity - 1;
  }
  void Add(uint64_t key, uint32_t position) {
    size_t slot = static_cast<size_t>(key ^ (key >> 29)) & mask_;
    while (counts_[slot] != 0 && keys_[slot] != key) slot = (slot + 1) & mask_;
    if (counts_[slot]++ == 0) {
      keys_[slot] = key;
      first_[slot] = position;
    }
  }
  // Calls fn(key, count, first position) for each distinct key.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (size_t slot = 0; slot < counts_.size(); ++slot) {
      if (counts_[slot] != 0) fn(keys_[slot], counts_[slot], first_[slot]);
    }
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> first_;
  size_t mask_ = 0;
};

struct Scratch {
  WordSplitter splitter;
  std::vector<uint64_t> word_hashes;
  KeyCounter words;
  KeyCounter bigrams;
  std::string gram_buffer;
  std::vector<size_t> gram_offsets;
};

class Accumulator {
 public:
  Accumulator(float* v, int dimension) : v_(v), dimension_(static_cast<uint64_t>(dimension)) {}
  void Add(uint64_t hash, float weight) {
    // Bucket from the high half (multiply-shift: no modulo bias for any
    // dimension), sign from the lowest bit.
    const size_t bucket = static_cast<size_t>(((hash >> 32) * dimension_) >> 32);
    v_[bucket] += (hash & 1) ? weight : -weight;
  }

 private:
  float* v_;
  uint64_t dimension_;
};

void AddGrams(std::string_view word, float weight, Scratch* scratch, Accumulator* acc) {
  std::string& buffer = scratch->gram_buffer;
  std::vector<size_t>& offsets = scratch->gram_offsets;
  buffer.assign(1, '<');
  offsets.assign(1, 0);
  for (size_t k = 0; k < word.size() && offsets.size() <= kMaxGramChars; ++k) {
    if ((static_cast<unsigned char>(word[k]) & 0xC0) != 0x80) offsets.push_back(buffer.size());
    buffer.push_back(word[k]);
  }
  if (offsets.size() > kMaxGramChars) {
    buffer.resize(offsets.back());  // cut at a code point start
    offsets.pop_back();
  }
  offsets.push_back(buffer.size());
  buffer.push_back('>');
  offsets.push_back(buffer.size());
  const size_t chars = offsets.size() - 1;
  for (size_t n = 3; n <= 5; ++n) {
    for (size_t k = 0; k + n <= chars; ++k) {
      const size_t begin = offsets[k];
      acc->Add(XXH3_64bits_withSeed(buffer.data() + begin, offsets[k + n] - begin, kGramSeed),
               weight);
    }
  }
}

void EmbedOne(std::string_view text, int dimension, Scratch* scratch, std::vector<float>* out) {
  out->assign(static_cast<size_t>(dimension), 0.0f);
  const std::vector<std::string_view>& words = scratch->splitter.Split(text);
  if (words.empty()) return;
  Accumulator acc(out->data(), dimension);

  scratch->word_hashes.resize(words.size());
  scratch->words.Reset(words.size());
  scratch->bigrams.Reset(words.size());
  for (size_t k = 0; k < words.size(); ++k) {
    const uint64_t h = XXH3_64bits_withSeed(words[k].data(), words[k].size(), kWordSeed);
    scratch->word_hashes[k] = h;
    scratch->words.Add(h, static_cast<uint32_t>(k));
    if (k > 0)
      scratch->bigrams.Add(HashPair(scratch->word_hashes[k - 1], h), static_cast<uint32_t>(k));
  }
  // Sublinear term frequency: the tenth "index" in a text adds far less than
  // the first. Character n-grams share their word's weight, computed once
  // per distinct word.
  scratch->words.ForEach([&](uint64_t h, uint32_t count, uint32_t first) {
    const std::string_view word = words[first];
    const float tf = 1.0f + std::log(static_cast<float>(count));
    if (IsStopWord(word)) {
      acc.Add(h, kStopWordWeight * tf);
      return;
    }
    acc.Add(h, kWordWeight * tf);
    if (!AllDigits(word)) AddGrams(word, kGramWeight * tf, scratch, &acc);
  });
  scratch->bigrams.ForEach([&](uint64_t h, uint32_t count, uint32_t second) {
    if (IsStopWord(words[second - 1]) && IsStopWord(words[second])) return;
    acc.Add(h, kBigramWeight * (1.0f + std::log(static_cast<float>(count))));
  });

  double norm = 0;
  for (float x : *out) norm += static_cast<double>(x) * x;
  if (norm <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : *out) x *= scale;
}

}  // namespace

HashingEmbedder::HashingEmbedder(int dimension)
    : dimension_(std::clamp(dimension, 1, kMaxDimension)) {}

std::string HashingEmbedder::model_id() const {
  return "builtin-hash-v1:" + std::to_string(dimension_);
}

Status HashingEmbedder::Embed(const std::vector<std::string_view>& texts,
                              std::vector<std::vector<float>>* out) const {
  Scratch scratch;  // per call, so concurrent calls share nothing
  out->reserve(out->size() + texts.size());
  for (std::string_view text : texts) {
    out->emplace_back();
    EmbedOne(text, dimension_, &scratch, &out->back());
  }
  return Status::OK();
}

}  // namespace smelter
