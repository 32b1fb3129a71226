#include "embed/embedder.h"

#include <cstdlib>

#include "embed/hashing_embedder.h"
#include "embed/http_embedder.h"
#include "embed/transformer_embedder.h"

namespace smelter {

std::string ModelCacheDir(const EmbedderConfig& config) {
  if (!config.model_cache_dir.empty()) return config.model_cache_dir;
  if (const char* env = std::getenv("SMELTER_MODEL_CACHE"); env && *env) return env;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/smelter/models";
  return ".smelter-models";
}

namespace {
bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

Result<std::unique_ptr<Embedder>> MakeEmbedder(const EmbedderConfig& config) {
  const std::string& model = config.model;
  if (model == "builtin") {
    if (config.dimension < 1 || config.dimension > HashingEmbedder::kMaxDimension) {
      return Status::InvalidArgument("embed.dimension must be between 1 and " +
                                     std::to_string(HashingEmbedder::kMaxDimension) +
                                     " for the builtin embedder, got " +
                                     std::to_string(config.dimension));
    }
    return std::unique_ptr<Embedder>(std::make_unique<HashingEmbedder>(config.dimension));
  }
  if (StartsWith(model, "hf:")) {
    std::string repo = model.substr(3);
    std::string dir = ModelCacheDir(config) + "/" + repo;
    auto embedder = NewTransformerEmbedder(dir, config);
    if (!embedder.ok() && embedder.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(embedder.status().message() + " (run `smelter model pull " + repo + "`)");
    }
    return embedder;
  }
  if (StartsWith(model, "local:")) return NewTransformerEmbedder(model.substr(6), config);
  if (StartsWith(model, "openai:")) return NewOpenAiEmbedder(config, model.substr(7));
  if (StartsWith(model, "bedrock:")) return NewBedrockEmbedder(config, model.substr(8));
  return Status::InvalidArgument("unknown embed.model \"" + model +
                                 "\"; supported: \"builtin\", \"hf:ORG/NAME\", \"local:DIR\", "
                                 "\"openai:MODEL\", \"bedrock:MODEL_ID\"");
}

}  // namespace smelter
