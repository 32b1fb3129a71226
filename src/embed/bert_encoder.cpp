#include "embed/bert_encoder.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>

// The kernels below are compiled three times -- AVX-512, AVX2+FMA, baseline
// x86-64 -- and the best one for the CPU is picked when the program starts,
// so that one binary is both portable and fast.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SMELTER_KERNEL __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SMELTER_KERNEL
#endif
#define SMELTER_INLINE inline __attribute__((always_inline))

// Vector arguments of helpers that are always inlined: no ABI is involved.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace smelter {
namespace {

// GCC vector extensions: 16 floats, lowered to whatever the clone's target
// has (one zmm, two ymm, four xmm).
typedef float V16 __attribute__((vector_size(64)));
typedef int32_t I16 __attribute__((vector_size(64)));

SMELTER_INLINE V16 Load16(const float* p) {
  V16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
SMELTER_INLINE void Store16(float* p, const V16& v) { std::memcpy(p, &v, sizeof v); }
SMELTER_INLINE V16 Splat16(float x) { return V16{} + x; }

SMELTER_INLINE float HorizontalSum(const V16& v) {
  float s = 0;
  for (int i = 0; i < 16; ++i) s += v[i];
  return s;
}
SMELTER_INLINE float HorizontalMax(const V16& v) {
  float m = v[0];
  for (int i = 1; i < 16; ++i) m = std::max(m, v[i]);
  return m;
}

// e^x, relative error below 2e-7 (Cephes' expf polynomial); inputs below
// -87 give about 1e-38 rather than 0, inputs above 88 are clamped.
SMELTER_INLINE V16 Exp16(const V16& in) {
  V16 x = in < -87.3f ? Splat16(-87.3f) : in;
  x = x > 88.3f ? Splat16(88.3f) : x;
  // n = round(x / ln 2) by the 1.5 * 2^23 trick (|x / ln 2| < 2^22 here).
  const V16 magic = Splat16(12582912.0f);
  const V16 n = (x * 1.44269504088896341f + magic) - magic;
  const V16 r = x - n * 0.693359375f + n * 2.12194440e-4f;
  V16 p = Splat16(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const I16 bits = (__builtin_convertvector(n, I16) + 127) << 23;
  return p * (V16)bits;  // a vector cast reinterprets the bits
}

// erf(x), absolute error about 1e-7: the rational approximation of Eigen
// and XLA, on [-4, 4] (outside, erf is +-1 in single precision).
SMELTER_INLINE V16 Erf16(const V16& in) {
  V16 x = in < -4.0f ? Splat16(-4.0f) : in;
  x = x > 4.0f ? Splat16(4.0f) : x;
  const V16 x2 = x * x;
  V16 p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
  p = x2 * p + -2.10102402082508e-06f;
  p = x2 * p + -5.69250639462346e-05f;
  p = x2 * p + -7.34990630326855e-04f;
  p = x2 * p + -2.95459980854025e-03f;
  p = x2 * p + -1.60960333262415e-02f;
  p = x * p;
  V16 q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
  q = x2 * q + -1.68282697438203e-03f;
  q = x2 * q + -7.37332916720468e-03f;
  q = x2 * q + -1.42647390514189e-02f;
  return p / q;
}

// ---------------------------------------------------------------------------
// Element-wise kernels.

// x[i] = GELU(x[i] + bias[i % n]) over `rows` rows of n.
SMELTER_KERNEL void BiasGeluRows(float* x, const float* bias, size_t rows, size_t n) {
  for (size_t r = 0; r < rows; ++r) {
    float* row = x + r * n;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const V16 v = Load16(row + i) + Load16(bias + i);
      Store16(row + i, 0.5f * v * (1.0f + Erf16(v * 0.70710678118654752f)));
    }
    for (; i < n; ++i) {
      const float v = row[i] + bias[i];
      row[i] = 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f));
    }
  }
}

// x[r] = LayerNorm(x[r] + bias) * gamma + beta, for `rows` rows of n; the
// products have already added the residual into x. `bias` may be null.
SMELTER_KERNEL void AddLayerNormRows(float* x, const float* bias, const float* gamma, const float* beta,
                                     size_t rows, size_t n, float eps) {
  for (size_t r = 0; r < rows; ++r) {
    float* row = x + r * n;
    V16 acc{};
    float tail = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      V16 v = Load16(row + i);
      if (bias) v += Load16(bias + i);
      Store16(row + i, v);
      acc += v;
    }
    for (; i < n; ++i) {
      float v = row[i];
      if (bias) v += bias[i];
      row[i] = v;
      tail += v;
    }
    const float mean = (HorizontalSum(acc) + tail) / static_cast<float>(n);
    V16 acc2{};
    float tail2 = 0;
    for (i = 0; i + 16 <= n; i += 16) {
      const V16 d = Load16(row + i) - mean;
      acc2 += d * d;
    }
    for (; i < n; ++i) tail2 += (row[i] - mean) * (row[i] - mean);
    const float var = (HorizontalSum(acc2) + tail2) / static_cast<float>(n);
    const float inv = 1.0f / std::sqrt(var + eps);
    for (i = 0; i + 16 <= n; i += 16) {
      Store16(row + i, (Load16(row + i) - mean) * inv * Load16(gamma + i) + Load16(beta + i));
    }
    for (; i < n; ++i) row[i] = (row[i] - mean) * inv * gamma[i] + beta[i];
  }
}

// ---------------------------------------------------------------------------
// Attention for one sequence and one head.

struct AttentionScratch {
  std::vector<float> kt;      // K^T, [head_dim][padded length]
  std::vector<float> v;       // V, [length][padded head dim]
  std::vector<float> q;       // 4 query rows, [4][head_dim]
  std::vector<float> scores;  // 4 rows of scores, [4][padded length]
};

size_t RoundUp(size_t n, size_t m) { return (n + m - 1) / m * m; }

// ctx[i, :] = softmax(q_i . K^T / sqrt(d)) V for the L tokens of one
// sequence, one head. q, k, v point at the head's first column in the fused
// [L, 3H] QKV rows (row stride `stride`), before their biases; ctx at the
// head's first column of [L, H] rows (stride ctx_stride).
SMELTER_KERNEL void AttendOneHead(const float* q, const float* k, const float* v, const float* bq,
                                  const float* bk, const float* bv, size_t stride, size_t length, size_t d,
                                  float scale, float* ctx, size_t ctx_stride, AttentionScratch* s) {
  const size_t lp = RoundUp(length, 16);  // padded key count: whole vectors of scores
  const size_t dp = RoundUp(d, 16);       // padded head dim: whole vectors of outputs
  s->kt.resize(d * lp);
  s->v.resize(length * dp);
  s->q.resize(4 * d);
  s->scores.resize(4 * lp);
  float* kt = s->kt.data();
  float* vv = s->v.data();
  float* qq = s->q.data();
  float* sc = s->scores.data();

  // K^T and V with their biases; padding columns are zero.
  for (size_t j = 0; j < length; ++j) {
    const float* kr = k + j * stride;
    const float* vr = v + j * stride;
    float* vo = vv + j * dp;
    for (size_t c = 0; c < d; ++c) {
      kt[c * lp + j] = kr[c] + bk[c];
      vo[c] = vr[c] + bv[c];
    }
    for (size_t c = d; c < dp; ++c) vo[c] = 0;
  }
  for (size_t c = 0; c < d; ++c) {
    for (size_t j = length; j < lp; ++j) kt[c * lp + j] = 0;
  }

  for (size_t i0 = 0; i0 < length; i0 += 4) {
    const size_t rows = std::min<size_t>(4, length - i0);
    for (size_t r = 0; r < 4; ++r) {
      for (size_t c = 0; c < d; ++c) qq[r * d + c] = r < rows ? (q[(i0 + r) * stride + c] + bq[c]) * scale : 0.0f;
    }
    // Scores, four query rows at a time: each K^T vector loaded feeds four
    // multiply-adds.
    const float* q0 = qq;
    const float* q1 = qq + d;
    const float* q2 = qq + 2 * d;
    const float* q3 = qq + 3 * d;
    for (size_t jb = 0; jb < lp; jb += 16) {
      V16 a0{}, a1{}, a2{}, a3{};
      const float* kc = kt + jb;
      for (size_t c = 0; c < d; ++c, kc += lp) {
        const V16 kv = Load16(kc);
        a0 += q0[c] * kv;
        a1 += q1[c] * kv;
        a2 += q2[c] * kv;
        a3 += q3[c] * kv;
      }
      Store16(sc + jb, a0);
      Store16(sc + lp + jb, a1);
      Store16(sc + 2 * lp + jb, a2);
      Store16(sc + 3 * lp + jb, a3);
    }
    // Softmax of each row over the real keys.
    float inv_sum[4];
    for (size_t r = 0; r < rows; ++r) {
      float* row = sc + r * lp;
      for (size_t j = length; j < lp; ++j) row[j] = -1e30f;
      V16 m = Load16(row);
      for (size_t jb = 16; jb < lp; jb += 16) {
        const V16 x = Load16(row + jb);
        m = x > m ? x : m;
      }
      const float max = HorizontalMax(m);
      V16 sum{};
      for (size_t jb = 0; jb < lp; jb += 16) {
        const V16 e = Exp16(Load16(row + jb) - max);
        Store16(row + jb, e);
        sum += e;
      }
      for (size_t j = length; j < lp; ++j) row[j] = 0;  // no weight on the padding's (zero) V rows
      // The padding's exp(-1e30 - max), about 1e-38 each, is in `sum`:
      // negligible against the maximum's 1.
      inv_sum[r] = 1.0f / HorizontalSum(sum);
    }
    // The weighted sum of V, sixteen output columns at a time.
    for (size_t cb = 0; cb < dp; cb += 16) {
      V16 a0{}, a1{}, a2{}, a3{};
      const float* s0 = sc;
      const float* s1 = sc + lp;
      const float* s2 = sc + 2 * lp;
      const float* s3 = sc + 3 * lp;
      const float* vc = vv + cb;
      for (size_t j = 0; j < length; ++j, vc += dp) {
        const V16 x = Load16(vc);
        a0 += s0[j] * x;
        a1 += s1[j] * x;
        a2 += s2[j] * x;
        a3 += s3[j] * x;
      }
      const V16 acc[4] = {a0, a1, a2, a3};
      for (size_t r = 0; r < rows; ++r) {
        float* out = ctx + (i0 + r) * ctx_stride;
        const V16 o = acc[r] * inv_sum[r];
        if (cb + 16 <= d) {
          Store16(out + cb, o);
        } else {
          for (size_t c = cb; c < d; ++c) out[c] = o[c - cb];
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Threads.

// Runs fn(item) for item in [0, count) on up to `threads` threads (the
// caller's included), handing items out one at a time.
template <typename F>
void ParallelFor(size_t count, int threads, const F& fn) {
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), count);
  if (workers <= 1) {
    for (size_t i = 0; i < count; ++i) fn(i, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) fn(i, worker);
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t w = 1; w < workers; ++w) {
    try {
      pool.emplace_back(work, w);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running share the items
    }
  }
  work(0);
  for (std::thread& t : pool) t.join();
}

// Splits `rows` into about `threads` blocks of at least `min_rows`.
template <typename F>
void ParallelRows(size_t rows, int threads, size_t min_rows, const F& fn) {
  const size_t blocks = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)),
                                                             rows / std::max<size_t>(min_rows, 1)));
  const size_t per = (rows + blocks - 1) / blocks;
  ParallelFor(blocks, static_cast<int>(blocks), [&](size_t b, size_t) {
    const size_t begin = b * per;
    const size_t end = std::min(rows, begin + per);
    if (begin < end) fn(begin, end);
  });
}

// C[m, n] = A[m, k] W[n, k]^T (+ C when accumulate): a Linear layer's
// product, row-major. Accumulating into the residual stream saves both a
// zeroing pass and the residual add.
void Gemm(const float* a, const float* w, float* c, size_t m, size_t n, size_t k, bool accumulate = false) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(m), static_cast<blasint>(n),
              static_cast<blasint>(k), 1.0f, a, static_cast<blasint>(k), w, static_cast<blasint>(k),
              accumulate ? 1.0f : 0.0f, c, static_cast<blasint>(n));
}

}  // namespace

// ---------------------------------------------------------------------------
// Configuration.

Result<BertConfig> ParseBertConfig(std::string_view json_text, const std::string& path) {
  BertConfig config;
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text);
    if (!j.is_object()) return Status::Corrupt(path + ": not a JSON object");
    if (auto type = j.value("model_type", std::string("bert")); type != "bert") {
      return Status::Unsupported(path + ": model_type \"" + type + "\" (only \"bert\" is supported)");
    }
    if (auto act = j.value("hidden_act", std::string("gelu")); act != "gelu") {
      return Status::Unsupported(path + ": hidden_act \"" + act + "\" (only \"gelu\" is supported)");
    }
    if (auto pos = j.value("position_embedding_type", std::string("absolute")); pos != "absolute") {
      return Status::Unsupported(path + ": position_embedding_type \"" + pos + "\" (only \"absolute\")");
    }
    for (auto [key, field] : {std::pair{"vocab_size", &config.vocab_size}, std::pair{"hidden_size", &config.hidden_size},
                              std::pair{"num_hidden_layers", &config.num_layers},
                              std::pair{"num_attention_heads", &config.num_heads},
                              std::pair{"intermediate_size", &config.intermediate_size}}) {
      if (!j.contains(key)) return Status::Corrupt(path + ": no " + key);
      *field = j.at(key).get<int>();
    }
    config.max_position_embeddings = j.value("max_position_embeddings", 512);
    config.type_vocab_size = j.value("type_vocab_size", 2);
    config.layer_norm_eps = j.value("layer_norm_eps", 1e-12f);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corrupt(path + ": " + e.what());
  }
  const auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  if (!in(config.vocab_size, 1, 1 << 24) || !in(config.hidden_size, 1, 1 << 16) ||
      !in(config.num_layers, 1, 1024) || !in(config.num_heads, 1, 1024) ||
      !in(config.intermediate_size, 1, 1 << 18) || !in(config.max_position_embeddings, 2, 1 << 20) ||
      !in(config.type_vocab_size, 1, 1 << 16) || config.hidden_size % config.num_heads != 0 ||
      !(config.layer_norm_eps > 0)) {
    return Status::Corrupt(path + ": inconsistent sizes");
  }
  return config;
}

// ---------------------------------------------------------------------------
// Weights.

struct BertEncoder::Layer {
  FloatTensor qkv_weight, qkv_bias;  // fused: [3H, H] and [3H] (Q rows, then K, then V)
  FloatTensor out_weight, out_bias, norm1_gamma, norm1_beta;
  FloatTensor up_weight, up_bias, down_weight, down_bias, norm2_gamma, norm2_beta;
};

struct BertEncoder::Scratch {
  std::vector<float> x, qkv, ctx, up;
  std::vector<AttentionScratch> attention;  // one per thread
  std::vector<size_t> offsets;              // first token of each sequence in the pass
};

BertEncoder::~BertEncoder() = default;

Result<std::unique_ptr<BertEncoder>> BertEncoder::Create(const BertConfig& config,
                                                         std::unique_ptr<SafeTensorsFile> weights, int threads) {
  std::unique_ptr<BertEncoder> e(new BertEncoder());
  e->config_ = config;
  e->threads_ = std::max(threads, 1);
  const SafeTensorsFile& file = *weights;
  const int64_t h = config.hidden_size;
  const int64_t inter = config.intermediate_size;

  std::string prefix;
  if (file.Find("embeddings.word_embeddings.weight") == nullptr) {
    if (file.Find("bert.embeddings.word_embeddings.weight") == nullptr) {
      return Status::Corrupt(file.path() + ": no tensor embeddings.word_embeddings.weight (not a BERT model?)");
    }
    prefix = "bert.";
  }
  // Reads prefix + name; a LayerNorm's "weight"/"bias" may be called
  // "gamma"/"beta" in older checkpoints.
  auto read = [&](const std::string& name, std::vector<int64_t> shape) -> Result<FloatTensor> {
    std::string full = prefix + name;
    if (file.Find(full) == nullptr && full.find("LayerNorm.") != std::string::npos) {
      std::string old = full;
      if (old.ends_with(".weight")) old.replace(old.size() - 6, 6, "gamma");
      if (old.ends_with(".bias")) old.replace(old.size() - 4, 4, "beta");
      if (file.Find(old) != nullptr) full = old;
    }
    return file.ReadFloat(full, shape);
  };
#define SMELTER_READ(dst, name, ...)            \
  do {                                          \
    auto t_ = read(name, {__VA_ARGS__});        \
    if (!t_.ok()) return t_.status();           \
    dst = std::move(t_).value();                \
  } while (0)

  SMELTER_READ(e->word_, "embeddings.word_embeddings.weight", config.vocab_size, h);
  SMELTER_READ(e->position_, "embeddings.position_embeddings.weight", config.max_position_embeddings, h);
  SMELTER_READ(e->type_, "embeddings.token_type_embeddings.weight", config.type_vocab_size, h);
  SMELTER_READ(e->embed_gamma_, "embeddings.LayerNorm.weight", h);
  SMELTER_READ(e->embed_beta_, "embeddings.LayerNorm.bias", h);
  e->layers_.resize(static_cast<size_t>(config.num_layers));
  for (int i = 0; i < config.num_layers; ++i) {
    Layer& layer = e->layers_[static_cast<size_t>(i)];
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    // Q, K and V fused into one [3H, H] matrix: one product instead of three.
    layer.qkv_weight.shape = {3 * h, h};
    layer.qkv_weight.owned.resize(static_cast<size_t>(3 * h * h));
    layer.qkv_bias.shape = {3 * h};
    layer.qkv_bias.owned.resize(static_cast<size_t>(3 * h));
    const char* parts[] = {"query", "key", "value"};
    for (int part = 0; part < 3; ++part) {
      FloatTensor w, b;
      SMELTER_READ(w, p + "attention.self." + parts[part] + ".weight", h, h);
      SMELTER_READ(b, p + "attention.self." + parts[part] + ".bias", h);
      std::memcpy(layer.qkv_weight.owned.data() + part * h * h, w.data, static_cast<size_t>(h * h) * sizeof(float));
      std::memcpy(layer.qkv_bias.owned.data() + part * h, b.data, static_cast<size_t>(h) * sizeof(float));
    }
    layer.qkv_weight.data = layer.qkv_weight.owned.data();
    layer.qkv_bias.data = layer.qkv_bias.owned.data();
    SMELTER_READ(layer.out_weight, p + "attention.output.dense.weight", h, h);
    SMELTER_READ(layer.out_bias, p + "attention.output.dense.bias", h);
    SMELTER_READ(layer.norm1_gamma, p + "attention.output.LayerNorm.weight", h);
    SMELTER_READ(layer.norm1_beta, p + "attention.output.LayerNorm.bias", h);
    SMELTER_READ(layer.up_weight, p + "intermediate.dense.weight", inter, h);
    SMELTER_READ(layer.up_bias, p + "intermediate.dense.bias", inter);
    SMELTER_READ(layer.down_weight, p + "output.dense.weight", h, inter);
    SMELTER_READ(layer.down_bias, p + "output.dense.bias", h);
    SMELTER_READ(layer.norm2_gamma, p + "output.LayerNorm.weight", h);
    SMELTER_READ(layer.norm2_beta, p + "output.LayerNorm.bias", h);
  }
#undef SMELTER_READ
  e->weights_ = std::move(weights);
  e->scratch_ = std::make_unique<Scratch>();
  e->scratch_->attention.resize(static_cast<size_t>(e->threads_));
  return e;
}

// ---------------------------------------------------------------------------
// The forward pass.

void BertEncoder::Forward(std::span<const std::vector<int32_t>* const> seqs, size_t tokens) const {
  Scratch& s = *scratch_;
  const auto h = static_cast<size_t>(config_.hidden_size);
  const auto inter = static_cast<size_t>(config_.intermediate_size);
  const auto heads = static_cast<size_t>(config_.num_heads);
  const size_t d = h / heads;
  const float eps = config_.layer_norm_eps;
  s.x.resize(tokens * h);
  s.qkv.resize(tokens * 3 * h);
  s.ctx.resize(tokens * h);
  s.up.resize(tokens * inter);
  s.offsets.resize(seqs.size() + 1);
  s.offsets[0] = 0;
  for (size_t i = 0; i < seqs.size(); ++i) s.offsets[i + 1] = s.offsets[i] + seqs[i]->size();

  // Embeddings: word + position + token type 0, then LayerNorm.
  ParallelFor(seqs.size(), threads_, [&](size_t i, size_t) {
    const std::vector<int32_t>& ids = *seqs[i];
    for (size_t p = 0; p < ids.size(); ++p) {
      float* row = s.x.data() + (s.offsets[i] + p) * h;
      const float* word = word_.data + static_cast<size_t>(ids[p]) * h;
      const float* pos = position_.data + p * h;
      for (size_t c = 0; c < h; ++c) row[c] = word[c] + pos[c] + type_.data[c];
    }
    AddLayerNormRows(s.x.data() + s.offsets[i] * h, nullptr, embed_gamma_.data, embed_beta_.data,
                     ids.size(), h, eps);
  });

  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (const Layer& layer : layers_) {
    // Self-attention: one product for Q, K and V of every token, then each
    // (sequence, head) pair on its own.
    Gemm(s.x.data(), layer.qkv_weight.data, s.qkv.data(), tokens, 3 * h, h);
    ParallelFor(seqs.size() * heads, threads_, [&](size_t item, size_t worker) {
      const size_t i = item / heads;
      const size_t head = item % heads;
      const float* base = s.qkv.data() + s.offsets[i] * 3 * h + head * d;
      const float* bias = layer.qkv_bias.data + head * d;
      AttendOneHead(base, base + h, base + 2 * h, bias, bias + h, bias + 2 * h, 3 * h, seqs[i]->size(), d, scale,
                    s.ctx.data() + s.offsets[i] * h + head * d, h, &s.attention[worker]);
    });
    Gemm(s.ctx.data(), layer.out_weight.data, s.x.data(), tokens, h, h, /*accumulate=*/true);
    ParallelRows(tokens, threads_, 64, [&](size_t begin, size_t end) {
      AddLayerNormRows(s.x.data() + begin * h, layer.out_bias.data, layer.norm1_gamma.data,
                       layer.norm1_beta.data, end - begin, h, eps);
    });
    // Feed-forward.
    Gemm(s.x.data(), layer.up_weight.data, s.up.data(), tokens, inter, h);
    ParallelRows(tokens, threads_, 64, [&](size_t begin, size_t end) {
      BiasGeluRows(s.up.data() + begin * inter, layer.up_bias.data, end - begin, inter);
    });
    Gemm(s.up.data(), layer.down_weight.data, s.x.data(), tokens, h, inter, /*accumulate=*/true);
    ParallelRows(tokens, threads_, 64, [&](size_t begin, size_t end) {
      AddLayerNormRows(s.x.data() + begin * h, layer.down_bias.data, layer.norm2_gamma.data,
                       layer.norm2_beta.data, end - begin, h, eps);
    });
  }
}

void BertEncoder::Encode(std::span<const std::vector<int32_t>* const> seqs, Pooling pooling, float* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto h = static_cast<size_t>(config_.hidden_size);
  for (size_t first = 0; first < seqs.size();) {
    // As many sequences as fit in one pass (at least one).
    size_t last = first;
    size_t tokens = 0;
    while (last < seqs.size() &&
           (last == first || tokens + seqs[last]->size() <= static_cast<size_t>(kMaxTokensPerPass))) {
      tokens += seqs[last]->size();
      ++last;
    }
    Forward(seqs.subspan(first, last - first), tokens);
    const Scratch& s = *scratch_;
    for (size_t i = first; i < last; ++i) {
      const size_t length = seqs[i]->size();
      const float* rows = s.x.data() + s.offsets[i - first] * h;
      float* v = out + i * h;
      switch (pooling) {
        case Pooling::kCls:
          std::memcpy(v, rows, h * sizeof(float));
          break;
        case Pooling::kMax:
          std::memcpy(v, rows, h * sizeof(float));
          for (size_t t = 1; t < length; ++t) {
            for (size_t c = 0; c < h; ++c) v[c] = std::max(v[c], rows[t * h + c]);
          }
          break;
        case Pooling::kMean:
        case Pooling::kMeanSqrtLen: {
          std::fill(v, v + h, 0.0f);
          for (size_t t = 0; t < length; ++t) {
            for (size_t c = 0; c < h; ++c) v[c] += rows[t * h + c];
          }
          const float div = pooling == Pooling::kMean ? static_cast<float>(length)
                                                      : std::sqrt(static_cast<float>(length));
          for (size_t c = 0; c < h; ++c) v[c] /= div;
          break;
        }
      }
      double norm = 0;
      for (size_t c = 0; c < h; ++c) norm += static_cast<double>(v[c]) * v[c];
      if (norm > 0) {
        const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
        for (size_t c = 0; c < h; ++c) v[c] *= inv;
      }
    }
    first = last;
  }
}

}  // namespace smelter
