// The in-process BERT embedder against a PyTorch reference.
//
// tests/embed/make_reference.py builds a small random BERT with PyTorch and
// writes it as a model folder with reference.json (inputs, token ids,
// embeddings). When /usr/bin/python3 can import torch the script is run into
// a temporary folder and Smelter is compared with that fresh output;
// otherwise with the committed copy in tests/embed/reference/.
#include "embed/transformer_embedder.h"
#include "core/hash.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "embed/bert_embedder.h"
#include "embed/safetensors.h"

// The Python with PyTorch (Debian's python3-torch); overridable to test the
// committed-reference path.
#ifndef SMELTER_TORCH_PYTHON
#define SMELTER_TORCH_PYTHON "/usr/bin/python3"
#endif

namespace smelter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string MakeTempDir(const char* tag) {
  std::string tmpl = std::string("/tmp/smelter-") + tag + "-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return "";
  return tmpl;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
  return m;
}

// Rewrites a safetensors file tensor by tensor: rename(name) gives the new
// name, and F32 tensors are stored as `dtype` (F32, F16 or BF16).
void RewriteSafeTensors(const std::string& from, const std::string& to,
                        const std::function<std::string(const std::string&)>& rename, const std::string& dtype) {
  auto file = SafeTensorsFile::Open(from);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  json header = json::object();
  std::string data;
  std::vector<std::string> names = (*file)->Names();
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const SafeTensorsFile::Entry& e = *(*file)->Find(name);
    std::string bytes((*file)->Bytes(e));
    std::string stored = e.dtype;
    if (e.dtype == "F32" && dtype != "F32") {
      std::string half;
      for (size_t i = 0; i < bytes.size(); i += 4) {
        uint32_t bits;
        std::memcpy(&bits, bytes.data() + i, 4);
        uint16_t h;
        if (dtype == "BF16") {
          h = static_cast<uint16_t>((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);  // round to nearest even
        } else {
          float f;
          std::memcpy(&f, &bits, 4);
          // Normal range only (the test weights are): round to nearest.
          const uint32_t sign = (bits >> 16) & 0x8000;
          const int exponent = static_cast<int>((bits >> 23) & 0xFF) - 127 + 15;
          if (f == 0 || exponent <= 0) {
            h = static_cast<uint16_t>(sign);
          } else {
            uint32_t m = (bits & 0x7FFFFF) + 0x1000;  // round
            int ex = exponent;
            if (m & 0x800000) m = 0, ++ex;
            h = static_cast<uint16_t>(sign | static_cast<uint32_t>(std::min(ex, 30)) << 10 | (m >> 13));
          }
        }
        half.push_back(static_cast<char>(h & 0xFF));
        half.push_back(static_cast<char>(h >> 8));
      }
      bytes = half;
      stored = dtype;
    }
    header[rename(name)] = {{"dtype", stored}, {"shape", e.shape}, {"data_offsets", {data.size(), data.size() + bytes.size()}}};
    data += bytes;
  }
  std::string text = header.dump();
  while ((8 + text.size()) % 8 != 0) text += ' ';
  std::string out(8, '\0');
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  WriteText(to, out + text + data);
}

class TransformerEmbedderTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    const std::string committed = std::string(SMELTER_SOURCE_DIR) + "/tests/embed/reference";
    dir_ = committed;
    const std::string python = SMELTER_TORCH_PYTHON;
    if (std::system((python + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0) {
      // Every test runs in its own process (CTest), and running PyTorch takes
      // seconds, so the fresh reference is made once per version of the
      // script and shared: generated into a private folder, then renamed into
      // place (a concurrent process that loses the race uses the winner's).
      const std::string script = std::string(SMELTER_SOURCE_DIR) + "/tests/embed/make_reference.py";
      const std::string shared =
          (fs::temp_directory_path() / ("smelter-bert-reference-" + FastHashHex(ReadText(script) + python))).string();
      if (!fs::exists(shared + "/reference.json")) {
        fresh_ = MakeTempDir("bert-reference");
        const std::string cmd = python + " '" + script + "' --out '" + fresh_ + "'";
        if (fresh_.empty() || std::system(cmd.c_str()) != 0) {
          setup_error_ = "PyTorch is there but `" + cmd + "` failed";
          return;
        }
        std::error_code ec;
        fs::rename(fresh_, shared, ec);
        if (!ec) fresh_.clear();  // now shared; kept for the other test processes
      }
      dir_ = fs::exists(shared + "/reference.json") ? shared : fresh_;
      std::cout << "[ reference] fresh, made with PyTorch by tests/embed/make_reference.py in " << dir_ << "\n";
    } else {
      std::cout << "[ reference] PyTorch is absent (" << python
                << " cannot import torch): using the committed reference vectors in " << committed << "\n";
    }
    try {
      reference_ = json::parse(ReadText(dir_ + "/reference.json"));
    } catch (const json::exception& e) {
      setup_error_ = dir_ + "/reference.json: " + e.what();
    }
  }
  static void TearDownTestSuite() {
    if (!fresh_.empty()) fs::remove_all(fresh_);
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    scratch_ = MakeTempDir("bert-test");
    ASSERT_FALSE(scratch_.empty());
    for (const auto& s : reference_["inputs"]) inputs_.push_back(s.get<std::string>());
    for (const std::string& s : inputs_) views_.push_back(s);
  }
  void TearDown() override {
    if (!scratch_.empty()) fs::remove_all(scratch_);
  }

  // A copy of the reference model folder to modify.
  std::string Copy(const std::string& name = "model") {
    const std::string to = scratch_ + "/" + name;
    fs::copy(dir_, to, fs::copy_options::recursive);
    return to;
  }

  static std::unique_ptr<BertEmbedder> Load(const std::string& dir, EmbedderConfig config = {}) {
    auto e = BertEmbedder::Load(dir, config);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(e).value() : nullptr;
  }

  std::vector<std::vector<float>> EmbedAll(const Embedder& e) const {
    std::vector<std::vector<float>> out;
    Status st = e.Embed(views_, &out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<float> Expected(const char* key, size_t i) const {
    return reference_[key][i].get<std::vector<float>>();
  }

  // Every vector against the reference set `key`.
  void ExpectMatches(const std::vector<std::vector<float>>& got, const char* key, double min_cosine,
                     double max_abs, const char* label) const {
    ASSERT_EQ(got.size(), inputs_.size());
    double worst_gap = 0, worst_abs = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      const std::vector<float> want = Expected(key, i);
      ASSERT_EQ(got[i].size(), want.size());
      const double cosine = Cosine(got[i], want);
      const double diff = MaxAbsDiff(got[i], want);
      EXPECT_GT(cosine, min_cosine) << "input " << i << ": " << inputs_[i];
      EXPECT_LT(diff, max_abs) << "input " << i << ": " << inputs_[i];
      worst_gap = std::max(worst_gap, 1 - cosine);
      worst_abs = std::max(worst_abs, diff);
    }
    std::cout << "[   parity] " << label << ": " << got.size() << " inputs, max 1 - cosine " << worst_gap
              << ", max abs diff " << worst_abs << "\n";
  }

  static std::string dir_, fresh_, setup_error_;
  static json reference_;
  std::string scratch_;
  std::vector<std::string> inputs_;
  std::vector<std::string_view> views_;
};

std::string TransformerEmbedderTest::dir_, TransformerEmbedderTest::fresh_, TransformerEmbedderTest::setup_error_;
json TransformerEmbedderTest::reference_;

TEST_F(TransformerEmbedderTest, TokenIdsMatchReferenceExactly) {
  auto e = Load(dir_);  // tokenizer.json
  ASSERT_NE(e, nullptr);
  const std::string no_json = Copy();
  fs::remove(no_json + "/tokenizer.json");  // vocab.txt and tokenizer_config.json
  auto e2 = Load(no_json);
  ASSERT_NE(e2, nullptr);
  const int max_length = reference_["max_length"].get<int>();
  EXPECT_EQ(e->max_length(), max_length);
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const auto want = reference_["token_ids"][i].get<std::vector<int32_t>>();
    std::vector<int32_t> ids;
    EXPECT_EQ(e->tokenizer().Encode(inputs_[i], max_length, &ids), reference_["truncated"][i].get<bool>());
    EXPECT_EQ(ids, want) << "input " << i << ": " << inputs_[i];
    e2->tokenizer().Encode(inputs_[i], max_length, &ids);
    EXPECT_EQ(ids, want) << "vocab.txt, input " << i << ": " << inputs_[i];
  }
}

TEST_F(TransformerEmbedderTest, EmbeddingsMatchReference) {
  EmbedderConfig config;
  config.batch_size = 4;  // several batches, each of mixed lengths
  auto e = NewTransformerEmbedder(dir_, config);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->dimension(), 32);
  ExpectMatches(EmbedAll(**e), "embeddings", 0.99999, 1e-4, "mean pooling");
  size_t truncated = 0;
  for (const auto& t : reference_["truncated"]) truncated += t.get<bool>();
  ASSERT_GT(truncated, 0u);
  EXPECT_EQ(dynamic_cast<const BertEmbedder&>(**e).truncated_inputs(), truncated);
  for (const auto& v : EmbedAll(**e)) {
    double norm = 0;
    for (float x : v) norm += static_cast<double>(x) * x;
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }
  EXPECT_EQ(dynamic_cast<const BertEmbedder&>(**e).truncated_inputs(), 2 * truncated);
}

TEST_F(TransformerEmbedderTest, ClsPooling) {
  const std::string dir = Copy();
  WriteText(dir + "/1_Pooling/config.json",
            R"({"word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false})");
  auto e = Load(dir);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->pooling(), Pooling::kCls);
  ExpectMatches(EmbedAll(*e), "cls_embeddings", 0.99999, 1e-4, "[CLS] pooling");
}

TEST_F(TransformerEmbedderTest, BertPrefixGammaBetaAndHalfPrecisionWeights) {
  const std::string dir = Copy();
  const std::string weights = dir + "/model.safetensors";
  const std::string original = scratch_ + "/original.safetensors";
  fs::copy_file(weights, original);
  // "bert." prefix and the old LayerNorm names: the same numbers.
  RewriteSafeTensors(original, weights, [](const std::string& name) {
    std::string n = "bert." + name;
    if (n.ends_with("LayerNorm.weight")) n.replace(n.size() - 6, 6, "gamma");
    if (n.ends_with("LayerNorm.bias")) n.replace(n.size() - 4, 4, "beta");
    return n;
  }, "F32");
  auto e = Load(dir);
  ASSERT_NE(e, nullptr);
  ExpectMatches(EmbedAll(*e), "embeddings", 0.99999, 1e-4, "bert. prefix, gamma/beta");
  // F16 and BF16: converted on load; close, not equal.
  RewriteSafeTensors(original, weights, [](const std::string& name) { return name; }, "F16");
  e = Load(dir);
  ASSERT_NE(e, nullptr);
  ExpectMatches(EmbedAll(*e), "embeddings", 0.9999, 1e-2, "F16 weights");
  RewriteSafeTensors(original, weights, [](const std::string& name) { return name; }, "BF16");
  e = Load(dir);
  ASSERT_NE(e, nullptr);
  ExpectMatches(EmbedAll(*e), "embeddings", 0.999, 5e-2, "BF16 weights");
}

TEST_F(TransformerEmbedderTest, BatchingAndThreadsDoNotChangeVectors) {
  EmbedderConfig one;
  one.batch_size = 1;
  one.threads = 1;
  auto a = Load(dir_, one);
  EmbedderConfig many;
  many.batch_size = 64;
  many.threads = 3;
  auto b = Load(dir_, many);
  ASSERT_TRUE(a && b);
  const auto va = EmbedAll(*a);
  const auto vb = EmbedAll(*b);
  ASSERT_EQ(va.size(), vb.size());
  for (size_t i = 0; i < va.size(); ++i) EXPECT_LT(MaxAbsDiff(va[i], vb[i]), 1e-5) << i;
  // One text at a time, in a different order, appended after what is there.
  std::vector<std::vector<float>> out = {{1.0f}};
  for (size_t i = inputs_.size(); i-- > 0;) ASSERT_TRUE(b->Embed({views_[i]}, &out).ok());
  ASSERT_EQ(out.size(), inputs_.size() + 1);
  EXPECT_EQ(out[0], std::vector<float>{1.0f});
  for (size_t i = 0; i < va.size(); ++i) EXPECT_LT(MaxAbsDiff(va[i], out[inputs_.size() - i]), 1e-5) << i;
  // Nothing in, nothing out.
  ASSERT_TRUE(b->Embed({}, &out).ok());
  EXPECT_EQ(out.size(), inputs_.size() + 1);
}

TEST_F(TransformerEmbedderTest, ConcurrentEmbedCalls) {
  auto e = Load(dir_);
  ASSERT_NE(e, nullptr);
  const auto want = EmbedAll(*e);
  std::vector<std::vector<std::vector<float>>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        got[t].clear();
        if (!e->Embed(views_, &got[t]).ok()) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) {
    ASSERT_EQ(g.size(), want.size());
    for (size_t i = 0; i < g.size(); ++i) EXPECT_LT(MaxAbsDiff(g[i], want[i]), 1e-6);
  }
}

TEST_F(TransformerEmbedderTest, ModelIdAndMaxTokens) {
  auto e = Load(dir_);
  ASSERT_NE(e, nullptr);
  const std::string folder = fs::path(dir_).filename().string();
  const std::string prefix = "hf-bert:" + folder + ":";
  const std::string id = e->model_id();
  ASSERT_EQ(id.size(), prefix.size() + 8) << id;
  EXPECT_EQ(id.substr(0, prefix.size()), prefix);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", prefix.size()), std::string::npos) << id;
  EXPECT_EQ(Load(dir_)->model_id(), e->model_id());

  EmbedderConfig short_inputs;
  short_inputs.max_tokens = 8;
  auto s = Load(dir_, short_inputs);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->max_length(), 8);
  EXPECT_NE(s->model_id(), e->model_id());  // different vectors, different id
  EmbedAll(*s);
  size_t expected = 0;
  for (const auto& ids : reference_["token_ids"]) expected += ids.size() > 8;
  EXPECT_EQ(s->truncated_inputs(), expected);
  // Never past the position table.
  EmbedderConfig too_long;
  too_long.max_tokens = 100000;
  EXPECT_EQ(Load(dir_, too_long)->max_length(), reference_["max_length"].get<int>());
}

TEST_F(TransformerEmbedderTest, MakeEmbedderFindsLocalAndCachedModels) {
  EmbedderConfig config;
  config.model = "local:" + dir_;
  auto local = MakeEmbedder(config);
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ((*local)->dimension(), 32);

  fs::create_directories(scratch_ + "/cache/test-org");
  fs::copy(dir_, scratch_ + "/cache/test-org/tiny-bert", fs::copy_options::recursive);
  config.model = "hf:test-org/tiny-bert";
  config.model_cache_dir = scratch_ + "/cache";
  auto cached = MakeEmbedder(config);
  ASSERT_TRUE(cached.ok()) << cached.status().ToString();
  EXPECT_EQ((*cached)->model_id().rfind("hf-bert:tiny-bert:", 0), 0u) << (*cached)->model_id();

  config.model = "hf:test-org/absent";
  auto absent = MakeEmbedder(config);
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), Status::Code::kNotFound);
}

// ---------------------------------------------------------------------------
// Error paths.

void ExpectError(const Result<std::unique_ptr<Embedder>>& r, Status::Code code, const std::string& mention) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(mention), std::string::npos) << r.status().ToString();
}

TEST_F(TransformerEmbedderTest, MissingFilesAreNotFoundAndNamed) {
  ExpectError(NewTransformerEmbedder(scratch_ + "/nowhere", {}), Status::Code::kNotFound, "nowhere");
  for (const char* file : {"config.json", "model.safetensors", "1_Pooling/config.json"}) {
    const std::string dir = Copy(std::string("missing-") + (std::strchr(file, '/') ? "pooling" : file));
    fs::remove(dir + "/" + file);
    ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kNotFound, file);
  }
  const std::string dir = Copy("no-vocab");
  fs::remove(dir + "/tokenizer.json");
  fs::remove(dir + "/vocab.txt");
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kNotFound, "vocab.txt");
}

TEST_F(TransformerEmbedderTest, DamagedWeightsAreCorrupt) {
  const std::string dir = Copy();
  const std::string weights = dir + "/model.safetensors";
  const std::string bytes = ReadText(weights);
  // Cut in the data, in the header, before the header's length.
  for (size_t keep : {bytes.size() - 100, bytes.size() / 2, size_t{200}, size_t{5}}) {
    WriteText(weights, bytes.substr(0, keep));
    ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kCorrupt, "model.safetensors");
  }
  // A header that is not JSON.
  std::string bad = bytes;
  bad[8] = '!';
  WriteText(weights, bad);
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kCorrupt, "model.safetensors");
  // Weights that do not fit the config.
  WriteText(weights, bytes);
  json config = json::parse(ReadText(dir + "/config.json"));
  config["intermediate_size"] = 65;
  WriteText(dir + "/config.json", config.dump());
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kCorrupt, "intermediate.dense.weight");
}

TEST_F(TransformerEmbedderTest, UnsupportedModelsAreSaidSo) {
  const std::string dir = Copy();
  const std::string config_text = ReadText(dir + "/config.json");
  json config = json::parse(config_text);
  config["hidden_act"] = "relu";
  WriteText(dir + "/config.json", config.dump());
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kUnsupported, "hidden_act");
  WriteText(dir + "/config.json", "{not json");
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kCorrupt, "config.json");
  WriteText(dir + "/config.json", config_text);
  WriteText(dir + "/modules.json", R"([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}])");
  ExpectError(NewTransformerEmbedder(dir, {}), Status::Code::kUnsupported, "Dense");
}

// The safetensors reader on its own.
TEST(SafeTensorsTest, ReadsAndChecksTensors) {
  const std::string dir = MakeTempDir("safetensors");
  const std::string path = dir + "/t.safetensors";
  const float values[6] = {1, 2, 3, 4, 5, 6};
  std::string header = R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
                       R"("h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},)"
                       R"("__metadata__":{"format":"pt"}})";
  while ((8 + header.size()) % 8 != 0) header += ' ';
  std::string file(8, '\0');
  file[0] = static_cast<char>(header.size());
  file += header;
  file.append(reinterpret_cast<const char*>(values), sizeof values);
  file += std::string("\x00\x3c\x00\xc0", 4);  // F16 1.0, -2.0
  WriteText(path, file);
  auto st = SafeTensorsFile::Open(path);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto a = (*st)->ReadFloat("a", {2, 3});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->data[5], 6.0f);
  EXPECT_TRUE(a->owned.empty());  // used in place
  auto h = (*st)->ReadFloat("h", {2});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->data[0], 1.0f);
  EXPECT_EQ(h->data[1], -2.0f);
  EXPECT_EQ((*st)->ReadFloat("a", {3, 2}).status().code(), Status::Code::kCorrupt);
  EXPECT_EQ((*st)->ReadFloat("b", {1}).status().code(), Status::Code::kCorrupt);
  // A tensor whose byte range does not match its shape.
  std::string wrong = file;
  wrong.replace(wrong.find("[0,24]"), 6, "[0,20]");
  WriteText(path, wrong);
  EXPECT_EQ(SafeTensorsFile::Open(path).status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(SafeTensorsFile::Open(dir + "/absent").status().code(), Status::Code::kNotFound);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace smelter
