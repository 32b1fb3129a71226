#include "dedup/lsh.h"

#include <xxhash.h>

#include <cmath>
#include <limits>

namespace smelter::dedup {
namespace {

// Simpson's rule over [lo, hi] with an even number of steps.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 200;
  if (hi <= lo) return 0.0;
  const double h = (hi - lo) / kSteps;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kSteps; ++i) sum += f(lo + i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3.0;
}

}  // namespace

double CandidateProbability(double jaccard, const LshParams& params) {
  return 1.0 - std::pow(1.0 - std::pow(jaccard, params.rows), params.bands);
}

LshParams OptimalLshParams(double threshold, int permutations, double fp_weight, double fn_weight) {
  LshParams best{1, 1};
  double best_error = std::numeric_limits<double>::infinity();
  for (int bands = 1; bands <= permutations; ++bands) {
    for (int rows = 1; bands * rows <= permutations; ++rows) {
      const LshParams p{bands, rows};
      const double fp = Integrate([&](double s) { return CandidateProbability(s, p); }, 0.0, threshold);
      const double fn = Integrate([&](double s) { return 1.0 - CandidateProbability(s, p); }, threshold, 1.0);
      const double error = fp_weight * fp + fn_weight * fn;
      if (error < best_error) {
        best_error = error;
        best = p;
      }
    }
  }
  return best;
}

std::vector<uint64_t> BandKeys(const Signature& signature, const LshParams& params) {
  std::vector<uint64_t> keys;
  keys.reserve(static_cast<size_t>(params.bands));
  for (int band = 0; band < params.bands; ++band) {
    const uint32_t* rows = signature.data() + static_cast<size_t>(band) * static_cast<size_t>(params.rows);
    keys.push_back(XXH3_64bits_withSeed(rows, sizeof(uint32_t) * static_cast<size_t>(params.rows),
                                        static_cast<uint64_t>(band) + 1));
  }
  return keys;
}

}  // namespace smelter::dedup
