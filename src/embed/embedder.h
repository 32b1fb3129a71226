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

// Which embedder, and its settings. `model` selects the implementation:
//   "builtin"                 feature hashing, no model files (the default)
//   "hf:ORG/NAME"             a BERT-family sentence-transformer from the
//                             local model cache (`smelter model pull ORG/NAME`)
//   "local:/path/to/folder"   the same, from a folder of model files
//   "openai:MODEL"            an OpenAI-compatible /v1/embeddings service at
//                             `endpoint` (OpenAI, Ollama, vLLM, TEI, llama.cpp)
//   "bedrock:MODEL_ID"        Amazon Bedrock (e.g. amazon.titan-embed-text-v2:0)
struct EmbedderConfig {
  std::string model = "builtin";
  int dimension = 1024;            // built-in embedder; 0 elsewhere = the model's own
  std::string model_cache_dir;     // "" = $SMELTER_MODEL_CACHE, else ~/.cache/smelter/models
  std::string endpoint;            // base URL of an HTTP service ("" = the service's default)
  std::string api_key_env = "OPENAI_API_KEY";  // environment variable holding the key
  std::string region = "us-east-1";            // Bedrock region
  int batch_size = 32;             // texts per request / per forward pass
  int timeout_s = 60;              // per HTTP request
  int max_retries = 5;             // on 429 and 5xx, with exponential backoff
  int max_tokens = 0;              // transformer input limit; 0 = the model's maximum
  int threads = 0;                 // transformer threads; 0 = one per core
  bool cache = true;               // cache vectors by (model id, text hash); see embedding_cache.h
};

// The model cache folder for `config` (see model_cache_dir).
std::string ModelCacheDir(const EmbedderConfig& config);

Result<std::unique_ptr<Embedder>> MakeEmbedder(const EmbedderConfig& config);

}  // namespace smelter
