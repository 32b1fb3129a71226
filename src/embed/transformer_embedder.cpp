#include "embed/transformer_embedder.h"

#include "embed/bert_embedder.h"

namespace smelter {

// The loading, tokenizer and forward pass live in bert_embedder.h and the
// files it includes; this is the entry point MakeEmbedder calls.
Result<std::unique_ptr<Embedder>> NewTransformerEmbedder(const std::string& model_dir, const EmbedderConfig& config) {
  try {
    auto embedder = BertEmbedder::Load(model_dir, config);
    if (!embedder.ok()) return embedder.status();
    return std::unique_ptr<Embedder>(std::move(embedder).value());
  } catch (const std::exception& e) {
    // Out of memory while reading the weights, most likely.
    return Status::Internal("loading " + model_dir + ": " + e.what());
  }
}

}  // namespace smelter
