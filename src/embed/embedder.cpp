#include "embed/embedder.h"

#include "embed/hashing_embedder.h"

namespace smelter {

Result<std::unique_ptr<Embedder>> MakeEmbedder(const EmbedderConfig& config) {
  if (config.model == "builtin") {
    if (config.dimension < 1 || config.dimension > HashingEmbedder::kMaxDimension) {
      return Status::InvalidArgument("embed.dimension must be between 1 and " +
                                     std::to_string(HashingEmbedder::kMaxDimension) +
                                     " for the builtin embedder, got " +
                                     std::to_string(config.dimension));
    }
    return std::unique_ptr<Embedder>(std::make_unique<HashingEmbedder>(config.dimension));
  }
  return Status::InvalidArgument("unknown embed.model \"" + config.model +
                                 "\"; supported: \"builtin\" (feature hashing, no model files)");
}

}  // namespace smelter
