#include "embed/bert_embedder.h"

#include <cblas.h>
#include <sched.h>
#include <sys/stat.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>

#include "core/hash.h"
#include "store/file_util.h"

namespace smelter {
namespace {

using nlohmann::json;

int CpuCount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

const char* PoolingName(Pooling pooling) {
  switch (pooling) {
    case Pooling::kMean: return "mean";
    case Pooling::kCls: return "cls";
    case Pooling::kMax: return "max";
    case Pooling::kMeanSqrtLen: return "mean_sqrt_len";
  }
  return "?";
}

// 1_Pooling/config.json: exactly one supported mode.
Result<Pooling> ParsePooling(const std::string& text, const std::string& path, int hidden) {
  try {
    const json j = json::parse(text);
    if (!j.is_object()) return Status::Corrupt(path + ": not a JSON object");
    if (auto dim = j.find("word_embedding_dimension"); dim != j.end() && dim->get<int>() != hidden) {
      return Status::Corrupt(path + ": word_embedding_dimension " + dim->dump() + " but hidden_size " +
                             std::to_string(hidden));
    }
    std::vector<Pooling> modes;
    const std::pair<const char*, Pooling> supported[] = {{"pooling_mode_mean_tokens", Pooling::kMean},
                                                         {"pooling_mode_cls_token", Pooling::kCls},
                                                         {"pooling_mode_max_tokens", Pooling::kMax},
                                                         {"pooling_mode_mean_sqrt_len_tokens", Pooling::kMeanSqrtLen}};
    for (const auto& [key, mode] : supported) {
      if (j.value(key, false)) modes.push_back(mode);
    }
    for (const char* key : {"pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
      if (j.value(key, false)) return Status::Unsupported(path + ": " + key + " is not supported");
    }
    if (modes.size() > 1) return Status::Unsupported(path + ": several pooling modes at once are not supported");
    return modes.empty() ? Pooling::kMean : modes[0];
  } catch (const json::exception& e) {
    return Status::Corrupt(path + ": " + e.what());
  }
}

std::string FolderName(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const size_t slash = dir.rfind('/');
  return slash == std::string::npos ? dir : dir.substr(slash + 1);
}

}  // namespace

Result<std::unique_ptr<BertEmbedder>> BertEmbedder::Load(const std::string& model_dir, const EmbedderConfig& config) {
  struct stat st;
  if (::stat(model_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::NotFound("no model folder " + model_dir);
  }
  std::unique_ptr<BertEmbedder> e(new BertEmbedder());

  const std::string config_path = model_dir + "/config.json";
  auto config_text = ReadFile(config_path);
  if (!config_text.ok()) return config_text.status();
  auto bert = ParseBertConfig(*config_text, config_path);
  if (!bert.ok()) return bert.status();

  auto tokenizer = WordPieceTokenizer::Load(model_dir);
  if (!tokenizer.ok()) return tokenizer.status();
  e->tokenizer_ = std::move(tokenizer).value();
  if (e->tokenizer_->vocab_size() > static_cast<size_t>(bert->vocab_size)) {
    return Status::Corrupt(model_dir + ": the tokenizer has " + std::to_string(e->tokenizer_->vocab_size()) +
                           " tokens, the model's vocab_size is " + std::to_string(bert->vocab_size));
  }

  // modules.json: which sentence-transformers modules follow the encoder.
  std::string pooling_path = model_dir + "/1_Pooling/config.json";
  bool pooling_required = false;
  const std::string modules_path = model_dir + "/modules.json";
  if (auto modules = ReadFile(modules_path); modules.ok()) {
    try {
      const json list = json::parse(*modules);
      if (!list.is_array()) return Status::Corrupt(modules_path + ": not a JSON array");
      for (const json& module : list) {
        const std::string type = module.value("type", "");
        const std::string path = module.value("path", "");
        if (type.ends_with(".Pooling")) {
          pooling_path = model_dir + "/" + path + "/config.json";
          pooling_required = true;
        } else if (!type.ends_with(".Transformer") && !type.ends_with(".Normalize")) {
          return Status::Unsupported(modules_path + ": module " + type + " is not supported");
        }
      }
    } catch (const json::exception& ex) {
      return Status::Corrupt(modules_path + ": " + ex.what());
    }
  } else if (modules.status().code() != Status::Code::kNotFound) {
    return modules.status();
  }
  if (auto text = ReadFile(pooling_path); text.ok()) {
    auto pooling = ParsePooling(*text, pooling_path, bert->hidden_size);
    if (!pooling.ok()) return pooling.status();
    e->pooling_ = *pooling;
  } else if (pooling_required || text.status().code() != Status::Code::kNotFound) {
    return text.status();
  }

  // The input limit.
  e->max_length_ = bert->max_position_embeddings;
  const std::string st_path = model_dir + "/sentence_bert_config.json";
  if (auto text = ReadFile(st_path); text.ok()) {
    try {
      const json j = json::parse(*text);
      if (auto it = j.find("max_seq_length"); it != j.end() && it->is_number_integer()) {
        e->max_length_ = std::min(e->max_length_, it->get<int>());
      }
    } catch (const json::exception& ex) {
      return Status::Corrupt(st_path + ": " + ex.what());
    }
  }
  if (config.max_tokens > 0) e->max_length_ = std::min(config.max_tokens, bert->max_position_embeddings);
  e->max_length_ = std::max(e->max_length_, 2);  // room for [CLS] and [SEP]
  e->batch_size_ = std::max(config.batch_size, 1);

  // Weights.
  const std::string weights_path = model_dir + "/model.safetensors";
  auto weights = SafeTensorsFile::Open(weights_path);
  if (!weights.ok()) {
    struct stat bin;
    if (weights.status().code() == Status::Code::kNotFound &&
        ::stat((model_dir + "/pytorch_model.bin").c_str(), &bin) == 0) {
      return Status::NotFound(weights.status().message() +
                              " (only pytorch_model.bin is there: safetensors weights are needed)");
    }
    return weights.status();
  }
  Sha256 digest;
  digest.Update(*config_text);
  digest.Update((*weights)->header());
  const WordPieceOptions& tok = e->tokenizer_->options();
  digest.Update(std::string("\npooling=") + PoolingName(e->pooling_) + " max_length=" +
                std::to_string(e->max_length_) + " lowercase=" + std::to_string(tok.lowercase) +
                " strip_accents=" + std::to_string(tok.StripsAccents()) + " cjk=" + std::to_string(tok.split_cjk) +
                " vocab=" + std::to_string(e->tokenizer_->vocab_size()));
  e->model_id_ = "hf-bert:" + FolderName(model_dir) + ":" + digest.FinishHex().substr(0, 8);

  const int threads = config.threads > 0 ? config.threads : CpuCount();
  // OpenBLAS's thread count is process-wide, and changing it while another
  // thread is inside a product is unsafe: it is set once, by the first
  // embedder loaded.
  static std::once_flag blas_threads;
  std::call_once(blas_threads, [threads] { openblas_set_num_threads(threads); });

  auto encoder = BertEncoder::Create(*bert, std::move(weights).value(), threads);
  if (!encoder.ok()) return encoder.status();
  e->encoder_ = std::move(encoder).value();
  return e;
}

Status BertEmbedder::Embed(const std::vector<std::string_view>& texts, std::vector<std::vector<float>>* out) const {
  if (texts.empty()) return Status::OK();
  try {
    const size_t n = texts.size();
    std::vector<std::vector<int32_t>> ids(n);
    uint64_t truncated = 0;
    for (size_t i = 0; i < n; ++i) truncated += tokenizer_->Encode(texts[i], max_length_, &ids[i]);
    if (truncated) truncated_.fetch_add(truncated, std::memory_order_relaxed);

    // Longest first: batches of similar lengths, and within a pass the
    // biggest attention items are handed out first.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a].size() > ids[b].size(); });
    std::vector<const std::vector<int32_t>*> sorted(n);
    for (size_t i = 0; i < n; ++i) sorted[i] = &ids[order[i]];

    const auto h = static_cast<size_t>(dimension());
    std::vector<float> vectors(n * h);
    const auto batch = static_cast<size_t>(batch_size_);
    for (size_t first = 0; first < n; first += batch) {
      const size_t count = std::min(batch, n - first);
      encoder_->Encode(std::span<const std::vector<int32_t>* const>(sorted.data() + first, count), pooling_,
                       vectors.data() + first * h);
    }
    const size_t base = out->size();
    out->resize(base + n);
    for (size_t i = 0; i < n; ++i) {
      const float* v = vectors.data() + i * h;
      (*out)[base + order[i]].assign(v, v + h);
    }
  } catch (const std::exception& ex) {
    // Out of memory, or no thread to be had: the pipeline goes on without
    // this batch's vectors rather than crashing.
    return Status::Internal(std::string("transformer embedder: ") + ex.what());
  }
  return Status::OK();
}

}  // namespace smelter
