// In-process sentence embeddings from a BERT-family encoder.
//
// Loads the standard files of a sentence-transformers model folder
// (config.json; tokenizer.json or vocab.txt; model.safetensors; modules.json
// and 1_Pooling/config.json) and runs the encoder on the CPU with OpenBLAS.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "embed/embedder.h"

namespace smelter {

// NotFound naming the missing file when `model_dir` lacks one; Corrupt when
// a file does not parse or a tensor has the wrong shape.
Result<std::unique_ptr<Embedder>> NewTransformerEmbedder(const std::string& model_dir,
                                                         const EmbedderConfig& config);

}  // namespace smelter
