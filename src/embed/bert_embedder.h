// The in-process transformer embedder: a sentence-transformers model folder
// of a BERT-family encoder (all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2,
// ...) run on the CPU. NewTransformerEmbedder (transformer_embedder.h)
// returns one of these; code that needs more than the Embedder interface
// (the benchmark, tests) may downcast.
//
// Files read from the folder:
//   config.json                 required: sizes, layer_norm_eps, gelu
//   tokenizer.json | vocab.txt  required: see WordPieceTokenizer::Load
//   tokenizer_config.json       optional
//   model.safetensors           required: F32, F16 or BF16 weights
//   modules.json                optional: Transformer, Pooling and Normalize
//                               modules are supported (others, e.g. Dense,
//                               are Unsupported); without it, mean pooling
//   <pooling path>/config.json  required when modules.json names a Pooling
//                               module (1_Pooling/config.json)
//   sentence_bert_config.json   optional: its max_seq_length is the default
//                               input limit
// Vectors are always L2-normalized (the index ranks by inner product), with
// or without a Normalize module.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "embed/bert_encoder.h"
#include "embed/embedder.h"
#include "embed/wordpiece_tokenizer.h"

namespace smelter {

class BertEmbedder final : public Embedder {
 public:
  // See NewTransformerEmbedder. Uses config.batch_size, max_tokens and
  // threads; sets OpenBLAS's (process-wide) thread count the first time an
  // embedder is loaded in the process.
  static Result<std::unique_ptr<BertEmbedder>> Load(const std::string& model_dir, const EmbedderConfig& config);

  // "hf-bert:<folder name>:<8 hex digits>": a digest of config.json, the
  // weights' header, the pooling mode, the tokenizer's normalization and
  // the input limit -- whatever changes the vectors changes the id.
  std::string model_id() const override { return model_id_; }
  int dimension() const override { return encoder_->config().hidden_size; }
  // Texts run in batches of batch_size, longest first; each becomes [CLS],
  // its word pieces and [SEP], cut to max_length() tokens. Fails only when
  // memory runs out (Internal); thread-safe.
  Status Embed(const std::vector<std::string_view>& texts, std::vector<std::vector<float>>* out) const override;

  // Inputs cut to max_length() tokens, over every Embed call since loading.
  // The cut is silent in the vectors (they describe the start of the
  // text); this counter lets callers report it.
  uint64_t truncated_inputs() const { return truncated_.load(std::memory_order_relaxed); }
  // Tokens per input at most, [CLS] and [SEP] included: config.max_tokens
  // if positive, else sentence_bert_config.json's max_seq_length, else the
  // model's max_position_embeddings -- never more than the latter.
  int max_length() const { return max_length_; }
  Pooling pooling() const { return pooling_; }
  const WordPieceTokenizer& tokenizer() const { return *tokenizer_; }
  const BertEncoder& encoder() const { return *encoder_; }

 private:
  BertEmbedder() = default;

  std::string model_id_;
  int max_length_ = 512;
  int batch_size_ = 32;
  Pooling pooling_ = Pooling::kMean;
  std::unique_ptr<WordPieceTokenizer> tokenizer_;
  std::unique_ptr<BertEncoder> encoder_;
  mutable std::atomic<uint64_t> truncated_{0};
};

}  // namespace smelter
