// The built-in embedder: signed feature hashing, no model files.
//
// A text becomes a bag of features -- lower-cased, accent-folded word
// unigrams, word bigrams, and character 3- to 5-grams of each word with
// boundary markers ("<ca", "cat", "at>") -- each hashed (XXH3) to one of
// `dimension` buckets with a sign taken from the hash, so that collisions
// cancel out on average instead of piling up. Weights are sublinear in the
// term frequency (1 + ln tf), common English function words are damped, and
// the vector is L2-normalized, so the inner product of two vectors is their
// cosine similarity. Texts that share words, word pairs or word pieces
// (inflections, compounds, typos) land close together; it knows nothing of
// synonyms. Deterministic across runs and machines (little-endian or not:
// hashes are taken over bytes).
//
// Thread-safe: Embed keeps all scratch state on the stack of the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "embed/embedder.h"

namespace smelter {

// Splits text into words -- maximal runs of letters, digits and combining
// marks -- lower-cased (Unicode case folding) and with diacritics removed
// from Latin, Greek and Cyrillic letters ("Élan" -> "elan"); compatibility
// forms are unfolded (full-width "ＡＢ" -> "ab", "ﬁ" -> "fi"). Other scripts
// keep their marks (Devanagari vowel signs, Japanese dakuten). ASCII takes a
// table-driven fast path; ICU is consulted for the rest, through a table
// built once for the code points below U+3000.
//
// Reusable: Split() overwrites the previous result, and the views point into
// this object, valid until the next Split() or its destruction. Not
// thread-safe; use one per thread.
class WordSplitter {
 public:
  const std::vector<std::string_view>& Split(std::string_view text);

 private:
  std::string folded_;
  std::vector<size_t> bounds_;  // begin, end pairs into folded_
  std::vector<std::string_view> words_;
};

class HashingEmbedder : public Embedder {
 public:
  static constexpr int kDefaultDimension = 1024;
  static constexpr int kMaxDimension = 1 << 16;

  // REQUIRES: 1 <= dimension <= kMaxDimension (MakeEmbedder checks).
  explicit HashingEmbedder(int dimension = kDefaultDimension);

  std::string model_id() const override;  // "builtin-hash-v1:<dimension>"
  int dimension() const override { return dimension_; }
  // Never fails. A text with no words (empty, only punctuation) gets the
  // zero vector: there is no direction to normalize.
  Status Embed(const std::vector<std::string_view>& texts,
               std::vector<std::vector<float>>* out) const override;

 private:
  int dimension_;
};

}  // namespace smelter
