// A persistent cache of embeddings keyed by (model id, hash of the text).
//
// Re-running the pipeline, or re-chunking text that did not change, never
// embeds the same text with the same model twice; a different model id
// misses the cache and embeds anew. Backed by one SQLite file (WAL) in the
// lake's gold zone. The text hash is XXH3-128: a collision would need two
// different chunk texts with the same 128-bit hash.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/sqlite.h"
#include "embed/embedder.h"

namespace smelter {

class CachingEmbedder final : public Embedder {
 public:
  // Opens (creating) the cache at `path` around `inner`.
  static Result<std::unique_ptr<CachingEmbedder>> Open(const std::string& path,
                                                       std::unique_ptr<Embedder> inner);

  std::string model_id() const override { return inner_->model_id(); }
  int dimension() const override { return inner_->dimension(); }
  // Looks every text up, embeds only the misses (in one call to the inner
  // embedder), stores them, and returns all vectors in order. Thread-safe:
  // the database is guarded; the inner embedder runs outside the lock.
  Status Embed(const std::vector<std::string_view>& texts,
               std::vector<std::vector<float>>* out) const override;

  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

 private:
  CachingEmbedder(std::unique_ptr<SqliteDb> db, std::unique_ptr<Embedder> inner)
      : db_(std::move(db)), inner_(std::move(inner)) {}
  mutable std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // GUARDED_BY(mu_)
  std::unique_ptr<Embedder> inner_;
  mutable std::atomic<int64_t> hits_{0}, misses_{0};
};

}  // namespace smelter
