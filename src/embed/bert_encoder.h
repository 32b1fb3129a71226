// The forward pass of a BERT encoder on the CPU, with pooling.
//
// Math (that of Hugging Face's BertModel in eval mode, absolute positions,
// token type 0 everywhere): embeddings = LayerNorm(word + position + type);
// then per layer
//   a = LayerNorm(x + Dense(MultiHeadAttention(x)))
//   x = LayerNorm(a + Dense(GELU(Dense(a))))          GELU with erf, exact
// and finally pooling over the sequence and L2 normalization.
//
// Layout: the sequences of a batch are packed end to end, with no padding,
// into one [tokens, hidden] matrix. Every projection is then one
// cblas_sgemm over all the batch's tokens (Q, K and V fused into one), and
// attention runs per sequence and head over that sequence's own tokens --
// which is exactly what an attention mask does to padding, without
// computing the padding at all. Attention, GELU and LayerNorm are our own
// loops, vectorized for AVX-512 / AVX2 / SSE2 (chosen at run time) and
// spread over the configured threads; OpenBLAS threads the products.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "embed/safetensors.h"

namespace smelter {

struct BertConfig {
  int vocab_size = 0;
  int hidden_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 512;
  int type_vocab_size = 2;
  float layer_norm_eps = 1e-12f;
};

// Parses a Hugging Face config.json (`path` only names it in messages).
// Corrupt when it does not parse or lacks a size; Unsupported for an
// activation other than "gelu" or positions other than "absolute".
Result<BertConfig> ParseBertConfig(std::string_view json_text, const std::string& path);

enum class Pooling {
  kMean,         // mean of the token vectors ([CLS] and [SEP] included)
  kCls,          // the [CLS] token's vector
  kMax,          // element-wise maximum over the tokens
  kMeanSqrtLen,  // sum over the tokens divided by sqrt(length)
};

class BertEncoder {
 public:
  // Most tokens run through one forward pass: longer batches are split,
  // which bounds the scratch memory (15 KB per token for MiniLM-L6: 60 MB).
  static constexpr int kMaxTokensPerPass = 4096;

  // Reads the weights (names with or without a "bert." prefix; LayerNorm
  // weight/bias or gamma/beta). The file stays mapped for the encoder's
  // life. Corrupt when a tensor is missing or has the wrong shape.
  // `threads` (>= 1) bounds the threads of the non-BLAS work.
  static Result<std::unique_ptr<BertEncoder>> Create(const BertConfig& config,
                                                     std::unique_ptr<SafeTensorsFile> weights, int threads);
  ~BertEncoder();

  const BertConfig& config() const { return config_; }

  // Encodes each sequence of token ids, pools it and L2-normalizes the
  // result (a zero vector stays zero) into out[i * hidden_size, ...).
  // REQUIRES: each sequence has 1..max_position_embeddings ids, each in
  // [0, vocab_size); `out` has room for seqs.size() * hidden_size floats.
  // Thread-safe: calls take turns (a pass already uses every thread it is
  // given), and scratch memory is reused from call to call.
  void Encode(std::span<const std::vector<int32_t>* const> seqs, Pooling pooling, float* out) const;

 private:
  struct Layer;
  struct Scratch;

  BertEncoder() = default;
  // One pass over seqs (at most kMaxTokensPerPass tokens, or one sequence);
  // leaves the last hidden states in scratch_->x.
  void Forward(std::span<const std::vector<int32_t>* const> seqs, size_t tokens) const;

  BertConfig config_;
  int threads_ = 1;
  std::unique_ptr<SafeTensorsFile> weights_;
  FloatTensor word_, position_, type_, embed_gamma_, embed_beta_;
  std::vector<Layer> layers_;
  mutable std::mutex mu_;  // guards scratch_ (and serializes passes)
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace smelter
