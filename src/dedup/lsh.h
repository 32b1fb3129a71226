// LSH banding for MinHash signatures: which (bands, rows) to use for a
// Jaccard threshold, and the bucket keys of one signature.
//
// Two signatures become candidates when all `rows` entries of at least one
// band agree, which happens with probability 1 - (1 - J^rows)^bands for
// Jaccard J. OptimalLshParams picks bands x rows <= permutations minimizing
// the weighted area of false positives (the candidate curve below the
// threshold) plus false negatives (its complement above it), integrated
// numerically -- the usual optimal-parameter method. Candidates are then
// verified on the full signature, so false positives cost time only, and
// the default weights favour recall (fn_weight 0.7).
#pragma once

#include <cstdint>
#include <vector>

#include "dedup/minhash.h"

namespace smelter::dedup {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// REQUIRES: 0 < threshold < 1, permutations >= 1.
LshParams OptimalLshParams(double threshold, int permutations, double fp_weight = 0.3, double fn_weight = 0.7);

// Probability that two signatures of Jaccard `jaccard` share a bucket.
double CandidateProbability(double jaccard, const LshParams& params);

// One 64-bit key per band: a hash of the band number and its rows' values,
// so keys of different bands never meet in one table column.
// REQUIRES: signature.size() >= bands * rows.
std::vector<uint64_t> BandKeys(const Signature& signature, const LshParams& params);

}  // namespace smelter::dedup
