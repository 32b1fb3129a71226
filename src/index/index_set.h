// The lake's search indexes, kept together: the HNSW vector index, the BM25
// keyword index and a manifest naming the embedding model the vectors came
// from. Saved together (each file atomically, the manifest last).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "index/keyword_index.h"
#include "index/vector_index.h"
#include "store/lake.h"

namespace smelter {

struct IndexSet {
  std::unique_ptr<VectorIndex> vectors;
  std::unique_ptr<KeywordIndex> keywords;
  std::string model_id;
  int dimension = 0;
  bool fresh = false;          // no saved indexes were found: everything must be (re)added
  std::string previous_model;  // set when the saved index came from another model

  // Loads the lake's indexes, or creates empty ones when there are none.
  // When the saved index was built with another embedding model: with
  // `discard_other_model` the old indexes are ignored (fresh, and
  // previous_model names the old model) so the caller can re-embed;
  // without it, an error that says to run `smelter run`.
  static Result<IndexSet> Open(const Lake& lake, const std::string& model_id, int dimension,
                               bool discard_other_model = false);
  Status Save(const Lake& lake) const;
};

}  // namespace smelter
