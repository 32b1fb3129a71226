#include "dedup/minhash.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>


namespace smelter::dedup {
namespace {

// Invertible 32-bit mixer (xor-shift-multiply, constants from the
// "lowbias32" search by C. Wellons): cheap, and all its operations exist as
// 8-lane AVX2 instructions.
inline uint32_t Mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The hot loop: for every shingle, every permutation. Built twice so that
// machines with AVX2 (AVX-512) get 8 (16) lanes even though the project targets baseline
// x86-64; the loader picks the clone.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void UpdateMins(const uint64_t* hashes, size_t count, const uint32_t* seeds, uint32_t* mins, int perms) {
  for (size_t s = 0; s < count; ++s) {
    const uint32_t x = static_cast<uint32_t>(hashes[s] ^ (hashes[s] >> 32));
    for (int i = 0; i < perms; ++i) {
      const uint32_t v = Mix32(x ^ seeds[i]);
      mins[i] = v < mins[i] ? v : mins[i];
    }
  }
}

// A word's 64-bit hash, 8 bytes at a time (words are short: this beats a
// general-purpose hash call per word, and needs no quality beyond spreading
// distinct words apart; the shingle combination below mixes again).
inline uint64_t WordHash(const char* p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    h = Rotl((h ^ chunk) * 0xc4ceb9fe1a85ec53ULL, 31);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

}  // namespace

MinHasher::MinHasher(const MinHashOptions& options) : options_(options) {
  options_.shingle = std::max(1, options_.shingle);
  options_.permutations = std::max(1, options_.permutations);
  uint64_t state = options_.seed;
  seeds_.resize(static_cast<size_t>(options_.permutations));
  for (uint32_t& seed : seeds_) seed = static_cast<uint32_t>(SplitMix64(&state) >> 32);
}

Signature MinHasher::FromShingleHashes(const std::vector<uint64_t>& hashes) const {
  Signature mins(seeds_.size(), 0xFFFFFFFFU);
  UpdateMins(hashes.data(), hashes.size(), seeds_.data(), mins.data(), options_.permutations);
  return mins;
}

Signature MinHasher::Compute(std::string_view normalized) const {
  return FromShingleHashes(ShingleHashes(normalized, options_.shingle));
}

std::vector<uint64_t> ShingleHashes(std::string_view normalized, int shingle) {
  const size_t k = static_cast<size_t>(std::max(1, shingle));
  // One pass over the text: words end at single spaces (text_normalize.h).
  std::vector<uint64_t> words;
  words.reserve(normalized.size() / 5 + 1);
  size_t start = 0;
  for (size_t i = 0; i <= normalized.size(); ++i) {
    if (i == normalized.size() || normalized[i] == ' ') {
      if (i > start) words.push_back(WordHash(normalized.data() + start, i - start));
      start = i + 1;
    }
  }
  std::vector<uint64_t> out;
  if (words.empty()) return out;
  const size_t n = words.size() >= k ? words.size() - k + 1 : 1;
  const size_t width = std::min(k, words.size());
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    // Order-sensitive combination: "a b c" and "c b a" differ.
    uint64_t h = 0x243f6a8885a308d3ULL ^ width;
    for (size_t j = 0; j < width; ++j) h = Rotl((h ^ words[i + j]) * 0x9e3779b97f4a7c15ULL, 29);
    out[i] = h;
  }
  return out;
}

double EstimateJaccard(const Signature& a, const Signature& b) {
  if (a.size() != b.size() || a.empty()) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

double SimilarityFromJaccard(double jaccard, int shingle) {
  if (jaccard <= 0.0) return 0.0;
  if (jaccard >= 1.0) return 1.0;
  const double shared = 2.0 * jaccard / (1.0 + jaccard);
  return std::pow(shared, 1.0 / std::max(1, shingle));
}

double JaccardForSimilarity(double similarity, int shingle) {
  if (similarity <= 0.0) return 0.0;
  if (similarity >= 1.0) return 1.0;
  const double shared = std::pow(similarity, std::max(1, shingle));
  return shared / (2.0 - shared);
}

double ExactJaccard(std::vector<uint64_t> a, std::vector<uint64_t> b) {
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  if (a.empty() && b.empty()) return 1.0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace smelter::dedup
