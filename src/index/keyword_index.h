// BM25 keyword index over chunk texts.
//
// Terms: Unicode-aware lower-cased words (letters and digits), accents
// folded, with light English suffix stemming; stop words are kept out.
// Persisted as one binary file, rewritten atomically by Save(). Not
// thread-safe for writes; Search may run concurrently with other Searches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smelter {

struct Bm25Options {
  float k1 = 1.2f;
  float b = 0.75f;
};

// The analyzer used for both documents and queries.
std::vector<std::string> AnalyzeTerms(std::string_view text);

class KeywordIndex {
 public:
  explicit KeywordIndex(Bm25Options options = {});
  ~KeywordIndex();
  static Result<std::unique_ptr<KeywordIndex>> Load(const std::string& path,
                                                    Bm25Options options = {});
  Status Save(const std::string& path) const;

  // Adds or replaces the text for `label`.
  void Add(uint64_t label, std::string_view text);
  void Remove(uint64_t label);
  size_t size() const;

  // Up to k (label, BM25 score) pairs, best first.
  std::vector<std::pair<uint64_t, float>> Search(std::string_view query, int k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smelter
