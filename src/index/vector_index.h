// Approximate nearest-neighbour index over chunk vectors (HNSW via hnswlib).
//
// Labels are the catalog's integer chunk labels. Cosine similarity: vectors
// are expected L2-normalized and compared by inner product. Not thread-safe
// for writes; Search may run concurrently with other Searches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smelter {

struct VectorIndexOptions {
  int dimension = 0;
  int m = 16;                // HNSW graph degree
  int ef_construction = 200;
  int ef_search = 64;
};

class VectorIndex {
 public:
  ~VectorIndex();
  // A new, empty index.
  static std::unique_ptr<VectorIndex> Create(const VectorIndexOptions& options);
  // Loads an index saved by Save(); NotFound when `path` does not exist.
  static Result<std::unique_ptr<VectorIndex>> Load(const std::string& path,
                                                   const VectorIndexOptions& options);
  // Writes to a temporary file, then renames over `path`.
  Status Save(const std::string& path) const;

  // Adds or replaces the vector for `label`. Grows capacity as needed.
  Status Add(uint64_t label, const std::vector<float>& vector);
  // Removes `label` from search results (no-op when absent).
  void Remove(uint64_t label);
  size_t size() const;  // live (not removed) vectors
  int dimension() const;

  // Up to k (label, cosine similarity) pairs, best first.
  std::vector<std::pair<uint64_t, float>> Search(const std::vector<float>& query, int k) const;

 private:
  VectorIndex();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smelter
