// Hybrid search over a lake: BM25 and vector rankings fused by weighted
// reciprocal rank, resolved to chunks and documents through the catalog.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"
#include "embed/embedder.h"
#include "index/index_set.h"
#include "store/lake.h"

namespace smelter {

class MetadataFilter;

enum class SearchMode { kHybrid, kKeyword, kVector };

struct SearchHit {
  int rank = 0;             // 1-based
  float score = 0;          // fused score (or the single index's score)
  ChunkRecord chunk;
  DocumentRecord document;
  std::string snippet;      // a window of the chunk around the query's terms
};

class Searcher {
 public:
  // REQUIRES: `lake` and `catalog` outlive the Searcher.
  static Result<std::unique_ptr<Searcher>> Open(Lake& lake, Catalog& catalog);
  // `filter`, when given, keeps only chunks whose document's enriched
  // metadata matches it; the candidate pool is widened to make up for it.
  Result<std::vector<SearchHit>> Search(const std::string& query, int k, SearchMode mode,
                                        const MetadataFilter* filter = nullptr);
  size_t indexed_chunks() const { return indexes_.vectors->size(); }
  std::string model_id() const { return embedder_->model_id(); }

 private:
  Searcher(Lake& lake, Catalog& catalog, std::unique_ptr<Embedder> embedder, IndexSet indexes)
      : lake_(lake), catalog_(catalog), embedder_(std::move(embedder)), indexes_(std::move(indexes)) {}
  Lake& lake_;
  Catalog& catalog_;
  std::unique_ptr<Embedder> embedder_;
  IndexSet indexes_;
};

// A snippet of at most `max_chars` bytes of `text`, centred on the first
// occurrence of a query term, cut at word boundaries and valid UTF-8.
std::string MakeSnippet(const std::string& text, const std::string& query, size_t max_chars);

}  // namespace smelter
