// A generated near-duplicate corpus with known ground truth, for the dedup
// tests and bench/dedup_bench.cpp. Header-only, test support.
//
// Words come from a vocabulary of pronounceable made-up words drawn with a
// Zipf distribution (exponent 1, as in natural text: the most common word
// is ~10% of all words, half the vocabulary appears once in a million).
// Each base document (300-1500 words) gets 1-3 variants in which a fraction
// of the words, uniform in [min_edit, max_edit], is edited at random
// places (replace, insert or delete, equally likely); unrelated documents
// are drawn the same way with no variants. A document's family is its base
// index; unrelated documents have families of their own. Deterministic for
// a given seed (own generator arithmetic, no std:: distributions).
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace smelter::dedup::testing {

struct SyntheticOptions {
  uint64_t seed = 42;
  int base_documents = 300;
  int unrelated_documents = 300;
  int vocabulary = 5000;
  int min_words = 300;
  int max_words = 1500;
  int min_variants = 1;
  int max_variants = 3;
  double min_edit = 0.01;
  double max_edit = 0.10;
};

struct SyntheticDocument {
  std::string id;
  std::string text;
  int family = 0;  // documents of one family are near duplicates of each other
  bool variant = false;
  double edit_fraction = 0.0;
};

class SyntheticCorpus {
 public:
  explicit SyntheticCorpus(const SyntheticOptions& options) : options_(options), rng_(options.seed) {
    static const char* kOnsets[] = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t",
                                    "v", "w", "z", "br", "ch", "cl", "dr", "gr", "pl", "sh", "st", "th", "tr"};
    static const char* kVowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
    static const char* kCodas[] = {"", "", "n", "r", "s", "t", "l", "m", "nd", "st"};
    while (static_cast<int>(vocab_.size()) < options_.vocabulary) {
      std::string w;
      const int syllables = 1 + static_cast<int>(Below(3));
      for (int s = 0; s < syllables; ++s) {
        w += kOnsets[Below(std::size(kOnsets))];
        w += kVowels[Below(std::size(kVowels))];
      }
      w += kCodas[Below(std::size(kCodas))];
      vocab_.push_back(w);  // repeats are harmless: they only merge two ranks
    }
    double total = 0.0;
    for (int rank = 1; rank <= options_.vocabulary; ++rank) {
      total += 1.0 / rank;
      cumulative_.push_back(total);
    }
  }

  std::vector<SyntheticDocument> Generate() {
    std::vector<SyntheticDocument> docs;
    int family = 0;
    for (int b = 0; b < options_.base_documents; ++b, ++family) {
      const std::vector<std::string> base = Words();
      docs.push_back({"base-" + std::to_string(b), Join(base), family, false, 0.0});
      const int variants = options_.min_variants + static_cast<int>(Below(options_.max_variants - options_.min_variants + 1));
      for (int v = 0; v < variants; ++v) {
        const double fraction = options_.min_edit + Uniform() * (options_.max_edit - options_.min_edit);
        docs.push_back({"base-" + std::to_string(b) + "-v" + std::to_string(v), Join(Edit(base, fraction)), family, true,
                        fraction});
      }
    }
    for (int u = 0; u < options_.unrelated_documents; ++u, ++family) {
      docs.push_back({"other-" + std::to_string(u), Join(Words()), family, false, 0.0});
    }
    // Arrival order is random: a variant often comes before its base.
    for (size_t i = docs.size(); i > 1; --i) std::swap(docs[i - 1], docs[Below(i)]);
    return docs;
  }

  std::string Word() {
    const double x = Uniform() * cumulative_.back();
    const size_t rank = static_cast<size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
    return vocab_[std::min(rank, vocab_.size() - 1)];
  }

  std::vector<std::string> Edit(std::vector<std::string> words, double fraction) {
    const size_t edits = static_cast<size_t>(fraction * static_cast<double>(words.size()) + 0.5);
    for (size_t e = 0; e < edits && !words.empty(); ++e) {
      const size_t at = Below(words.size());
      switch (Below(3)) {
        case 0: words[at] = Word(); break;
        case 1: words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), Word()); break;
        default: words.erase(words.begin() + static_cast<std::ptrdiff_t>(at)); break;
      }
    }
    return words;
  }

 private:
  uint64_t Next() { return rng_(); }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  std::vector<std::string> Words() {
    const int n = options_.min_words + static_cast<int>(Below(options_.max_words - options_.min_words + 1));
    std::vector<std::string> words;
    words.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) words.push_back(Word());
    return words;
  }

  // Sentences of 8-20 words with a capital and a full stop, so that the
  // normalizer has something to do.
  std::string Join(const std::vector<std::string>& words) {
    std::string text;
    size_t until_stop = 8 + Below(13);
    bool capital = true;
    for (const std::string& w : words) {
      if (!text.empty()) text += ' ';
      text += w;
      if (capital) text[text.size() - w.size()] = static_cast<char>(text[text.size() - w.size()] - ('a' - 'A'));
      capital = false;
      if (--until_stop == 0) {
        text += '.';
        capital = true;
        until_stop = 8 + Below(13);
      }
    }
    return text;
  }

  SyntheticOptions options_;
  std::mt19937_64 rng_;
  std::vector<std::string> vocab_;
  std::vector<double> cumulative_;
};

}  // namespace smelter::dedup::testing
