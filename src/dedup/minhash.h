// MinHash signatures over word shingles, and what their agreement means.
//
// A document's shingles are its runs of `shingle` consecutive words of the
// normalized text (text_normalize.h); a text shorter than that is one
// shingle. Each shingle is hashed once (XXH3-64 per word, combined in
// order), folded to 32 bits, and permutation i maps it to
// Mix(x ^ seed_i), where Mix is an invertible xor-shift-multiply mixer:
// every seed gives a true permutation of the 32-bit space, and the loop over
// permutations is a plain vectorizable array loop. The signature keeps the
// minimum per permutation, so the fraction of equal entries in two
// signatures estimates the Jaccard similarity J of the two shingle sets
// (standard error sqrt(J(1-J)/permutations), 0.04 at 128).
//
// What "near duplicate at 0.8" means. Editing a fraction p of the words at
// scattered places breaks about a fraction 1-(1-p)^k of the k-word
// shingles, so the shingle Jaccard falls fast: measured on Zipf-distributed
// synthetic text with 10% of the words replaced, inserted or deleted
// (minhash_test.cpp prints it), J is 0.44-0.47 for k=5, 0.61-0.63 for k=3
// and 0.73-0.75 for k=2; only bare word sets (k=1, 0.88-0.91, which ignore
// word order entirely) stay above 0.8. A threshold
// of 0.8 on raw shingle Jaccard would therefore miss documents that differ
// in one word out of ten. Instead the threshold applies to the estimated
// share of words the two texts have in common,
//     similarity = (2J / (1 + J)) ^ (1/k),
// which inverts the model above (2J/(1+J) is the share of shingles in
// common, (1-p)^k): scattered edits of 10% of the words give similarity
// ~0.9, 20% give ~0.8, unrelated texts < 0.3. The same number is reported
// everywhere ("similarity"). Edits in one contiguous block break fewer
// shingles, so similarity overrates such pairs: with k=3 a text half of
// which was replaced in one block scores 0.79, with k=5 it would score
// 0.87; that is why the default shingle is 3 words, not 5. k=3 also keeps
// the LSH threshold on J at 0.34, where 128 permutations estimate J well.
// Thread-safe after construction.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace smelter::dedup {

struct MinHashOptions {
  int shingle = 3;          // words per shingle, >= 1
  int permutations = 128;   // signature length, >= 1
  uint64_t seed = 0x5eed0f5e1ecd0001ULL;  // stored with the index: fixed per index
};

using Signature = std::vector<uint32_t>;

class MinHasher {
 public:
  explicit MinHasher(const MinHashOptions& options);

  // The signature of a normalized text. An empty text gives all entries
  // 0xFFFFFFFF (the signature of the empty set).
  Signature Compute(std::string_view normalized) const;
  // The same from precomputed 64-bit shingle hashes.
  Signature FromShingleHashes(const std::vector<uint64_t>& hashes) const;

  const MinHashOptions& options() const { return options_; }

 private:
  MinHashOptions options_;
  std::vector<uint32_t> seeds_;
};

// The 64-bit hashes of a normalized text's word shingles (k words each).
std::vector<uint64_t> ShingleHashes(std::string_view normalized, int shingle);

// Fraction of equal entries: the estimated Jaccard similarity. 0 when the
// lengths differ or are 0.
double EstimateJaccard(const Signature& a, const Signature& b);

// The word-level similarity above, from a (true or estimated) Jaccard J of
// k-word shingle sets, and its inverse.
double SimilarityFromJaccard(double jaccard, int shingle);
double JaccardForSimilarity(double similarity, int shingle);

// Exact Jaccard of two sets of shingle hashes (for tests and small texts).
double ExactJaccard(std::vector<uint64_t> a, std::vector<uint64_t> b);

}  // namespace smelter::dedup
