// PullModel against a real local HTTP server laid out like the Hugging Face
// hub: /api/models/ORG/NAME lists the files, /ORG/NAME/resolve/main/PATH
// serves them (LFS files through a redirect, as the hub does), with Range
// support.
#include "embed/model_hub.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "core/hash.h"
#include "embed/http_test_server.h"

namespace smelter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string GitBlobId(const std::string& bytes) {
  std::string blob = "blob " + std::to_string(bytes.size()) + std::string(1, '\0') + bytes;
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(blob.data(), blob.size(), d, &n, EVP_sha1(), nullptr);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) hex += {kDigits[d[i] >> 4], kDigits[d[i] & 15]};
  return hex;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A hub serving one repo from memory.
struct FakeHub {
  std::string repo = "acme/mini-embed";
  std::map<std::string, std::string> files;  // what the repo holds (and the listing describes)
  std::map<std::string, std::string> served;  // bytes actually served, when they differ (corruption)
  bool list_lfs = true;       // listing carries lfs.sha256 (else only X-Linked-Etag tells it)
  int cut_first_download_at = -1;  // break the first model.safetensors transfer after this many bytes
  std::string required_token;

  std::mutex mu;
  std::vector<std::string> ranges;  // Range headers seen on model.safetensors
  int resolves = 0;
  int api_calls = 0;

  http_test::LoopbackServer server;

  FakeHub() {
    std::mt19937 rng(42);
    std::string weights(300 * 1024 + 17, '\0');
    for (char& c : weights) c = static_cast<char>(rng());
    files = {{"config.json", R"({"model_type":"bert","hidden_size":32})"},
             {"tokenizer.json", R"({"model":{"type":"WordPiece"}})"},
             {"tokenizer_config.json", R"({"do_lower_case":true})"},
             {"modules.json", R"([{"idx":0,"type":"sentence_transformers.models.Transformer"}])"},
             {"1_Pooling/config.json", R"({"pooling_mode_mean_tokens":true})"},
             {"model.safetensors", weights},
             {"README.md", "# not needed"},
             {"pytorch_model.bin", "not needed either"}};

    httplib::Server& s = server.server();
    s.Get(R"(/api/models/([^/]+)/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      ++api_calls;
      if (!Authorized(req, res)) return;
      if (req.matches[1].str() + "/" + req.matches[2].str() != repo) {
        res.status = 404;
        res.set_content(R"({"error":"Repository not found"})", "application/json");
        return;
      }
      json siblings = json::array();
      for (const auto& [path, bytes] : files) {
        json s = {{"rfilename", path}, {"size", bytes.size()}};
        if (path == "model.safetensors") {
          if (list_lfs) s["lfs"] = {{"sha256", Sha256Hex(bytes)}, {"size", bytes.size()}, {"pointerSize", 134}};
          s["blobId"] = std::string(40, 'a');  // the pointer's id, not the bytes'
        } else {
          s["blobId"] = GitBlobId(bytes);
        }
        siblings.push_back(s);
      }
      res.set_content(json{{"id", repo}, {"sha", "0123abcd"}, {"siblings", siblings}}.dump(), "application/json");
    });
    s.Get(R"(/([^/]+)/([^/]+)/resolve/main/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      ++resolves;
      if (!Authorized(req, res)) return;
      std::string path = req.matches[3];
      auto it = files.find(path);
      if (req.matches[1].str() + "/" + req.matches[2].str() != repo || it == files.end()) {
        res.status = 404;
        res.set_content("Entry not found", "text/plain");
        return;
      }
      if (path == "model.safetensors") {
        // The hub answers LFS files with a redirect to its CDN, saying on
        // the redirect which bytes it points to.
        res.status = 302;
        res.set_header("Location", "/cdn/" + Sha256Hex(it->second));
        res.set_header("X-Linked-Etag", "\"" + Sha256Hex(it->second) + "\"");
        res.set_header("X-Linked-Size", std::to_string(it->second.size()));
        res.set_header("ETag", "\"" + GitBlobId(it->second) + "\"");
        return;
      }
      res.set_header("ETag", "\"" + GitBlobId(it->second) + "\"");
      res.set_content(Served(path), "application/octet-stream");
    });
    s.Get(R"(/cdn/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      ranges.push_back(req.get_header_value("Range"));
      std::string bytes = Served("model.safetensors");
      if (cut_first_download_at >= 0) {
        // Promise the whole file, send part of it, hang up.
        size_t cut = static_cast<size_t>(cut_first_download_at);
        cut_first_download_at = -1;
        res.set_content_provider(bytes.size(), "application/octet-stream",
                                 [bytes, cut](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset >= cut) return false;
                                   sink.write(bytes.data() + offset, cut - offset);
                                   return true;
                                 });
        return;
      }
      res.set_content(bytes, "application/octet-stream");  // httplib answers Range with 206
    });
  }
  ~FakeHub() { server.Stop(); }

  std::string Served(const std::string& path) {
    auto it = served.find(path);
    return it != served.end() ? it->second : files[path];
  }

  bool Authorized(const httplib::Request& req, httplib::Response& res) {
    if (required_token.empty() || req.get_header_value("Authorization") == "Bearer " + required_token) return true;
    res.status = 401;
    res.set_content(json{{"error", "Invalid credentials in Authorization header: " +
                                       req.get_header_value("Authorization")}}
                        .dump(),
                    "application/json");
    return false;
  }
};

class ModelHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = (fs::temp_directory_path() /
              ("smelter-hub-test-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                 .string();
    fs::remove_all(cache_);
  }
  void TearDown() override { fs::remove_all(cache_); }

  PullOptions Options(FakeHub& hub) {
    PullOptions o;
    o.cache_dir = cache_;
    o.base_url = hub.server.url();
    o.retry.base_delay = std::chrono::milliseconds(1);
    o.retry.max_delay = std::chrono::milliseconds(5);
    o.retry.max_retries = 2;
    o.stall_timeout_s = 5;
    o.progress = [this](const PullProgress& p) {
      if (p.finished) finished_.push_back(p.file);
    };
    return o;
  }

  std::string ModelDir(const FakeHub& hub) const { return cache_ + "/" + hub.repo; }

  void ExpectNoPartFiles() {
    std::error_code ec;
    if (!fs::exists(cache_)) return;
    for (auto& e : fs::recursive_directory_iterator(cache_))
      EXPECT_NE(e.path().extension(), ".part") << e.path();
  }

  std::string cache_;
  std::vector<std::string> finished_;
};

TEST_F(ModelHubTest, PullsTheFilesAModelNeedsAndVerifiesThem) {
  FakeHub hub;
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->dir, ModelDir(hub));
  EXPECT_EQ(r->commit, "0123abcd");
  const std::vector<std::string> wanted = {"config.json",  "tokenizer.json",        "tokenizer_config.json",
                                           "modules.json", "1_Pooling/config.json", "model.safetensors"};
  EXPECT_EQ(r->files.size(), wanted.size());
  int64_t total = 0;
  for (const std::string& f : wanted) {
    EXPECT_EQ(Slurp(ModelDir(hub) + "/" + f), hub.files[f]) << f;
    total += static_cast<int64_t>(hub.files[f].size());
  }
  EXPECT_EQ(r->bytes_downloaded, total);
  for (const PulledFile& f : r->files) {
    EXPECT_TRUE(f.downloaded) << f.path;
    EXPECT_EQ(f.sha256, Sha256Hex(hub.files[f.path])) << f.path;
  }
  EXPECT_FALSE(fs::exists(ModelDir(hub) + "/README.md"));
  EXPECT_FALSE(fs::exists(ModelDir(hub) + "/pytorch_model.bin"));
  EXPECT_EQ(finished_.size(), wanted.size());
  ExpectNoPartFiles();

  Result<std::vector<CachedModel>> cached = ListCachedModels(cache_);
  ASSERT_TRUE(cached.ok()) << cached.status().ToString();
  ASSERT_EQ(cached->size(), 1u);
  EXPECT_EQ((*cached)[0].repo, hub.repo);
  EXPECT_EQ((*cached)[0].revision, "main");
  EXPECT_EQ((*cached)[0].files.size(), wanted.size());
  EXPECT_EQ((*cached)[0].total_bytes, total);

  // Again: everything is verified in place, nothing is downloaded.
  int resolves_before = hub.resolves;
  Result<PullResult> again = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->bytes_downloaded, 0);
  for (const PulledFile& f : again->files) EXPECT_FALSE(f.downloaded) << f.path;
  EXPECT_EQ(hub.resolves, resolves_before);
}

TEST_F(ModelHubTest, CorruptedDownloadIsRejectedAndNothingLeftInPlace) {
  FakeHub hub;
  std::string bad = hub.files["model.safetensors"];
  bad[bad.size() / 2] ^= 0x5a;
  hub.served["model.safetensors"] = bad;
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt) << r.status().ToString();
  EXPECT_NE(r.status().message().find("sha256"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(Sha256Hex(hub.files["model.safetensors"])), std::string::npos);
  EXPECT_FALSE(fs::exists(ModelDir(hub) + "/model.safetensors"));
  ExpectNoPartFiles();
}

TEST_F(ModelHubTest, VerifiesAgainstTheLinkedEtagWhenTheListingHasNoChecksum) {
  FakeHub hub;
  hub.list_lfs = false;
  Result<PullResult> ok = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(Slurp(ModelDir(hub) + "/model.safetensors"), hub.files["model.safetensors"]);

  fs::remove_all(cache_);
  std::string bad = hub.files["model.safetensors"];
  bad[0] ^= 1;
  hub.served["model.safetensors"] = bad;
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt) << r.status().ToString();
  EXPECT_FALSE(fs::exists(ModelDir(hub) + "/model.safetensors"));
  ExpectNoPartFiles();
}

TEST_F(ModelHubTest, CorruptedSmallFileFailsItsGitBlobId) {
  FakeHub hub;
  hub.served["config.json"] = R"({"model_type":"gpt2"})";
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt) << r.status().ToString();
  EXPECT_FALSE(fs::exists(ModelDir(hub) + "/config.json"));
}

TEST_F(ModelHubTest, ResumesAPartialDownloadWithARangeRequest) {
  FakeHub hub;
  const std::string& weights = hub.files["model.safetensors"];
  const size_t half = weights.size() / 2;
  fs::create_directories(ModelDir(hub));
  {
    std::ofstream part(ModelDir(hub) + "/model.safetensors.part", std::ios::binary);
    part.write(weights.data(), static_cast<std::streamsize>(half));
  }
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Slurp(ModelDir(hub) + "/model.safetensors"), weights);
  std::lock_guard<std::mutex> lock(hub.mu);
  ASSERT_EQ(hub.ranges.size(), 1u);
  EXPECT_EQ(hub.ranges[0], "bytes=" + std::to_string(half) + "-");
  int64_t small = 0;
  for (const auto& [path, bytes] : hub.files)
    if (path != "model.safetensors" && path != "README.md" && path != "pytorch_model.bin")
      small += static_cast<int64_t>(bytes.size());
  EXPECT_EQ(r->bytes_downloaded, small + static_cast<int64_t>(weights.size() - half));
  ExpectNoPartFiles();
}

TEST_F(ModelHubTest, ResumesWithinOnePullWhenTheConnectionBreaks) {
  FakeHub hub;
  hub.cut_first_download_at = 100000;
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Slurp(ModelDir(hub) + "/model.safetensors"), hub.files["model.safetensors"]);
  std::lock_guard<std::mutex> lock(hub.mu);
  ASSERT_EQ(hub.ranges.size(), 2u);
  EXPECT_EQ(hub.ranges[0], "");
  EXPECT_EQ(hub.ranges[1], "bytes=100000-");
}

TEST_F(ModelHubTest, BadPartialIsFetchedAgainFromTheStart) {
  FakeHub hub;
  fs::create_directories(ModelDir(hub));
  {
    std::ofstream part(ModelDir(hub) + "/model.safetensors.part", std::ios::binary);
    part << std::string(1000, 'x');
  }
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Slurp(ModelDir(hub) + "/model.safetensors"), hub.files["model.safetensors"]);
  std::lock_guard<std::mutex> lock(hub.mu);
  EXPECT_EQ(hub.ranges, (std::vector<std::string>{"bytes=1000-", ""}));
}

TEST_F(ModelHubTest, UnknownRepoIsNotFound) {
  FakeHub hub;
  Result<PullResult> r = PullModel("acme/nope", Options(hub));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << r.status().ToString();
  EXPECT_NE(r.status().message().find("acme/nope"), std::string::npos);
}

TEST_F(ModelHubTest, RepoWithoutSafetensorsIsUnsupported) {
  FakeHub hub;
  hub.files.erase("model.safetensors");
  Result<PullResult> r = PullModel(hub.repo, Options(hub));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnsupported);
  EXPECT_NE(r.status().message().find("PyTorch (.bin) weights"), std::string::npos) << r.status().message();
}

TEST_F(ModelHubTest, BadRepoNamesAreRefused) {
  FakeHub hub;
  for (const char* bad : {"noslash", "a/b/c", "../etc", "acme/..", "acme/a b", "/x", "x/"}) {
    Result<PullResult> r = PullModel(bad, Options(hub));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(hub.api_calls, 0);
  EXPECT_TRUE(IsValidRepoName("sentence-transformers/all-MiniLM-L6-v2"));
  EXPECT_TRUE(IsValidRepoName("BAAI/bge-small-en-v1.5"));
}

TEST_F(ModelHubTest, SendsTheTokenAndNeverPrintsIt) {
  FakeHub hub;
  hub.required_token = "hf_SECRETTOKEN123";
  PullOptions o = Options(hub);
  o.token = "hf_SECRETTOKEN123";
  Result<PullResult> r = PullModel(hub.repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  fs::remove_all(cache_);
  o.token = "hf_WRONGSECRET999";
  r = PullModel(hub.repo, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message().find("SECRET"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("HF_TOKEN"), std::string::npos) << r.status().message();
}

TEST_F(ModelHubTest, ListsNothingForAMissingCache) {
  Result<std::vector<CachedModel>> cached = ListCachedModels(cache_ + "/does-not-exist");
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(cached->empty());
}

TEST_F(ModelHubTest, ListsHandPlacedModelFolders) {
  fs::create_directories(cache_ + "/me/manual");
  std::ofstream(cache_ + "/me/manual/config.json") << "{}";
  std::ofstream(cache_ + "/me/manual/model.safetensors") << "12345";
  fs::create_directories(cache_ + "/me/empty");  // not a model
  Result<std::vector<CachedModel>> cached = ListCachedModels(cache_);
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ(cached->size(), 1u);
  EXPECT_EQ((*cached)[0].repo, "me/manual");
  EXPECT_EQ((*cached)[0].total_bytes, 7);
  EXPECT_EQ((*cached)[0].revision, "");
}

}  // namespace
}  // namespace smelter
