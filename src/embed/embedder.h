// Embedder: text -> dense vector.
//
// Pluggable: the built-in hashing embedder needs no model files and is the
// default; later ones (an in-process transformer, HTTP services) implement
// the same interface and are chosen by the config's `embed.model` string.
// Implementations must be safe to call from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smelter {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // Stable id of the model and its settings, e.g. "builtin-hash-v1:768".
  // Cached vectors are keyed by it: a different id means re-embedding.
  virtual std::string model_id() const = 0;
  virtual int dimension() const = 0;
  // Appends one L2-normalized vector per text to `out` (same order).
  virtual Status Embed(const std::vector<std::string_view>& texts,
                       std::vector<std::vector<float>>* out) const = 0;
};

struct EmbedderConfig {
  std::string model = "builtin";  // "builtin" (no model files needed)
  int dimension = 1024;           // for the built-in embedder
};

Result<std::unique_ptr<Embedder>> MakeEmbedder(const EmbedderConfig& config);

}  // namespace smelter
