#include "embed/model_hub.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/hash.h"
#include "store/file_util.h"

namespace smelter {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifestName = ".smelter-model.json";
constexpr const char* kLockName = ".smelter-pull.lock";

// What the hub's listing says about one file.
struct RemoteFile {
  std::string path;
  int64_t size = -1;
  std::string sha256;   // LFS files
  std::string blob_id;  // git blob sha1 of small (non-LFS) files
};

bool IsHex(const std::string& s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string LowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// An ETag as a sha256, when it is one: `"abc..."` or `W/"abc..."`.
std::string EtagSha256(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  etag = LowerAscii(etag);
  return IsHex(etag, 64) ? etag : "";
}

std::string FormatSize(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) bytes /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(n);
}

// The git blob id of a file: sha1("blob <size>\0" + bytes), which the hub
// reports for files not stored in LFS.
Result<std::string> GitBlobSha1(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IOError("cannot open " + path);
  int64_t size = FileSize(path);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  std::string header = "blob " + std::to_string(size);
  EVP_DigestUpdate(ctx, header.data(), header.size() + 1);  // with the NUL
  std::vector<char> buf(1 << 16);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx, buf.data(), n);
  bool failed = std::ferror(f);
  std::fclose(f);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  if (failed) return Status::IOError("read error on " + path);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 15]);
  }
  return hex;
}

Status FsyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::OK() : Status::IOError("cannot sync " + path);
}

// One pull at a time per model folder: two would append to the same .part.
class PullLock {
 public:
  ~PullLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }
  Status Acquire(const std::string& dir, const std::string& repo) {
    std::string path = dir + "/" + kLockName;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IOError("cannot create " + path);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::IOError("another `smelter model pull " + repo + "` is running");
    }
    return Status::OK();
  }

 private:
  int fd_ = -1;
};

// The default progress report: a line rewritten in place on a terminal,
// one line per finished file otherwise (logs stay readable).
std::function<void(const PullProgress&)> StderrProgress() {
  struct State {
    std::chrono::steady_clock::time_point last{};
    bool tty = ::isatty(STDERR_FILENO) == 1;
  };
  auto state = std::make_shared<State>();
  return [state](const PullProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (!p.finished) {
      if (!state->tty || now - state->last < std::chrono::milliseconds(200)) return;
      state->last = now;
      std::string line = "  " + p.file + "  " + FormatSize(static_cast<double>(p.done));
      if (p.total > 0) {
        line += " / " + FormatSize(static_cast<double>(p.total)) + "  " +
                std::to_string(static_cast<int>(100.0 * static_cast<double>(p.done) / static_cast<double>(p.total))) +
                "%";
      }
      std::fprintf(stderr, "\r%-72s", line.c_str());
      return;
    }
    std::string line = "  " + p.file + "  " + FormatSize(static_cast<double>(p.done)) +
                       (p.cached ? "  already here" : "  ok");
    std::fprintf(stderr, state->tty ? "\r%-72s\n" : "%s\n", line.c_str());
  };
}

struct Hub {
  std::string base;
  std::string repo;
  std::string revision;
  std::string token;
  const PullOptions* options = nullptr;

  std::vector<std::string> Secrets() const { return {token}; }

  HttpRequest Get(const std::string& url) const {
    HttpRequest req;
    req.method = "GET";
    req.url = url;
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    return req;
  }

  std::string Where() const { return repo + " at " + base; }

  Status HttpFailure(const HttpResponse& r, const std::string& what) const {
    std::string text = ServiceErrorText(r.body, Secrets(), 200);
    std::string msg = what + ": HTTP " + std::to_string(r.status) + (text.empty() ? "" : " " + text);
    if (r.status == 401 || r.status == 404) {
      return Status::NotFound(msg + " (check the name and revision; a gated or private model needs HF_TOKEN" +
                              std::string(token.empty() ? "" : ", and yours was refused") + ")");
    }
    if (r.status == 403) {
      return Status::InvalidArgument(msg + " (accept the model's terms on the hub, or use a token allowed to read it)");
    }
    return Status::IOError(msg);
  }
};

Result<std::vector<RemoteFile>> ListRemote(const Hub& hub, std::string* commit) {
  std::string url = hub.base + "/api/models/" + hub.repo;
  if (hub.revision != "main") url += "/revision/" + UriEncode(hub.revision, false);
  url += "?blobs=true";
  Result<HttpResponse> r = SendHttpWithRetries([&] { return hub.Get(url); }, hub.options->retry, hub.Secrets());
  if (!r.ok()) return r.status();
  if (r->status != 200) return hub.HttpFailure(*r, "cannot list " + hub.Where());
  json j = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("siblings") || !j["siblings"].is_array()) {
    return Status::IOError("the hub's listing of " + hub.Where() + " has no \"siblings\"");
  }
  if (auto s = j.find("sha"); s != j.end() && s->is_string()) *commit = s->get<std::string>();
  std::vector<RemoteFile> files;
  for (const json& s : j["siblings"]) {
    if (!s.is_object()) continue;
    auto name = s.find("rfilename");
    if (name == s.end() || !name->is_string()) continue;
    RemoteFile f;
    f.path = name->get<std::string>();
    if (auto size = s.find("size"); size != s.end() && size->is_number_integer()) f.size = size->get<int64_t>();
    if (auto blob = s.find("blobId"); blob != s.end() && blob->is_string()) f.blob_id = LowerAscii(blob->get<std::string>());
    if (auto lfs = s.find("lfs"); lfs != s.end() && lfs->is_object()) {
      if (auto sha = lfs->find("sha256"); sha != lfs->end() && sha->is_string())
        f.sha256 = LowerAscii(sha->get<std::string>());
      if (auto size = lfs->find("size"); size != lfs->end() && size->is_number_integer())
        f.size = size->get<int64_t>();
      f.blob_id.clear();  // the blob is the LFS pointer, not these bytes
    }
    if (!f.sha256.empty() && !IsHex(f.sha256, 64)) f.sha256.clear();
    if (!f.blob_id.empty() && !IsHex(f.blob_id, 40)) f.blob_id.clear();
    files.push_back(std::move(f));
  }
  return files;
}

// Checks a complete local file against what the hub said; returns its
// sha256 when it matches.
Result<std::string> Verify(const std::string& local, const RemoteFile& f, const std::string& label) {
  int64_t size = FileSize(local);
  if (f.size >= 0 && size != f.size) {
    return Status::Corrupt(label + ": size " + std::to_string(size) + " bytes, expected " + std::to_string(f.size));
  }
  Result<std::string> sha = Sha256File(local);
  if (!sha.ok()) return sha.status();
  if (!f.sha256.empty() && *sha != f.sha256) {
    return Status::Corrupt(label + ": sha256 " + *sha + ", expected " + f.sha256);
  }
  if (f.sha256.empty() && !f.blob_id.empty()) {
    Result<std::string> blob = GitBlobSha1(local);
    if (!blob.ok()) return blob.status();
    if (*blob != f.blob_id) return Status::Corrupt(label + ": git blob id " + *blob + ", expected " + f.blob_id);
  }
  return sha;
}

// One download into `part`, continuing what is there. On return the .part
// holds every byte received (for a later resume) unless it was refused.
struct Download {
  Download(const Hub* h, std::string u, std::string p, RemoteFile* r, std::function<void(const PullProgress&)> pr)
      : hub(h), url(std::move(u)), part(std::move(p)), remote(r), progress(std::move(pr)) {}
  Download(const Download&) = delete;
  Download& operator=(const Download&) = delete;

  const Hub* hub;
  std::string url;
  std::string part;
  RemoteFile* remote;  // size and sha256 are filled in from headers when unknown
  std::function<void(const PullProgress&)> progress;

  std::FILE* file = nullptr;
  int64_t offset = 0;       // where this attempt's bytes start
  int64_t written = 0;      // bytes in the .part
  int64_t received = 0;     // bytes that came over the network, all attempts
  bool started = false;     // this attempt opened the file
  Status sink_error;        // why the sink stopped a transfer
  bool bad_resume = false;  // the server continued somewhere else than asked

  ~Download() { Close(); }
  void Close() {
    if (file) std::fclose(file);
    file = nullptr;
  }

  HttpRequest MakeRequest() {
    Close();
    started = false;
    sink_error = Status::OK();
    bad_resume = false;
    offset = std::max<int64_t>(0, FileSize(part));
    if (remote->size >= 0 && offset > remote->size) {
      std::remove(part.c_str());  // longer than the file: not a prefix of it
      offset = 0;
    }
    written = offset;
    HttpRequest req = hub->Get(url);
    req.follow_redirects = true;
    req.timeout_s = 0;  // large files: the stall limit guards instead
    req.stall_timeout_s = hub->options->stall_timeout_s;
    if (offset > 0) {
      req.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
    }
    req.body_sink = [this](const HttpResponse& head, std::string_view chunk) { return Sink(head, chunk); };
    return req;
  }

  bool Sink(const HttpResponse& head, std::string_view chunk) {
    if (!started) {
      started = true;
      const char* mode = "ab";
      if (head.status == 206) {
        // "bytes 1000-1999/2000": must continue exactly where the .part ends.
        std::string range = head.Header("content-range");
        long long start = -1;
        if (std::sscanf(range.c_str(), "bytes %lld-", &start) != 1 || start != offset) {
          sink_error = Status::IOError("the hub resumed " + remote->path + " at the wrong offset (" + range + ")");
          bad_resume = true;
          return false;
        }
      } else {
        mode = "wb";  // a full answer: the server ignored the Range
        offset = written = 0;
      }
      // Fill in what the listing did not say, from the hub's headers.
      if (remote->sha256.empty()) {
        std::string sha = EtagSha256(head.Header("x-linked-etag"));
        if (sha.empty() && head.Header("x-linked-etag").empty()) sha = EtagSha256(head.Header("etag"));
        remote->sha256 = sha;
      }
      if (remote->size < 0) {
        std::string linked = head.Header("x-linked-size");
        if (!linked.empty()) remote->size = std::atoll(linked.c_str());
      }
      file = std::fopen(part.c_str(), mode);
      if (!file) {
        sink_error = Status::IOError("cannot write " + part);
        return false;
      }
    }
    if (std::fwrite(chunk.data(), 1, chunk.size(), file) != chunk.size()) {
      sink_error = Status::IOError("cannot write " + part + " (disk full?)");
      return false;
    }
    written += static_cast<int64_t>(chunk.size());
    received += static_cast<int64_t>(chunk.size());
    if (progress) progress({remote->path, written, remote->size, false, false});
    return true;
  }
};

}  // namespace

bool IsValidRepoName(const std::string& repo) {
  size_t slash = repo.find('/');
  if (slash == std::string::npos || repo.find('/', slash + 1) != std::string::npos) return false;
  auto part_ok = [](std::string_view p) {
    if (p.empty() || p.size() > 96 || p == "." || p == ".." || p.find("..") != std::string_view::npos) return false;
    if (p.front() == '.' || p.front() == '-') return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
             c == '.';
    });
  };
  return part_ok(std::string_view(repo).substr(0, slash)) && part_ok(std::string_view(repo).substr(slash + 1));
}

std::vector<std::string> ModelFilesToFetch(const std::vector<std::string>& repo_files) {
  static const char* kWanted[] = {"config.json",          "tokenizer.json",
                                  "vocab.txt",            "tokenizer_config.json",
                                  "special_tokens_map.json", "modules.json",
                                  "sentence_bert_config.json", "1_Pooling/config.json",
                                  "model.safetensors"};
  std::set<std::string> have(repo_files.begin(), repo_files.end());
  std::vector<std::string> out;
  for (const char* w : kWanted)
    if (have.count(w)) out.push_back(w);
  return out;
}

Result<PullResult> PullModel(const std::string& repo, const PullOptions& options) {
  if (!IsValidRepoName(repo)) {
    return Status::InvalidArgument("\"" + repo + "\" is not a model name of the form ORG/NAME "
                                   "(e.g. sentence-transformers/all-MiniLM-L6-v2)");
  }
  if (options.cache_dir.empty()) return Status::InvalidArgument("no model cache folder given");
  if (options.revision.empty()) return Status::InvalidArgument("empty revision");

  Hub hub;
  hub.repo = repo;
  hub.revision = options.revision;
  hub.options = &options;
  hub.base = options.base_url;
  if (hub.base.empty()) {
    const char* env = std::getenv("SMELTER_HF_ENDPOINT");
    hub.base = env && *env ? env : "https://huggingface.co";
  }
  while (!hub.base.empty() && hub.base.back() == '/') hub.base.pop_back();
  hub.token = options.token;
  if (hub.token.empty()) {
    if (const char* env = std::getenv("HF_TOKEN"); env) hub.token = env;
  }
  auto progress = options.progress ? options.progress : StderrProgress();

  PullResult result;
  result.repo = repo;
  result.revision = options.revision;
  result.dir = options.cache_dir + "/" + repo;

  std::vector<RemoteFile> listing;
  {
    Result<std::vector<RemoteFile>> l = ListRemote(hub, &result.commit);
    if (!l.ok()) return l.status();
    listing = std::move(*l);
  }
  std::map<std::string, RemoteFile> by_path;
  std::vector<std::string> names;
  for (const RemoteFile& f : listing) {
    by_path[f.path] = f;
    names.push_back(f.path);
  }
  if (!by_path.count("model.safetensors")) {
    if (by_path.count("pytorch_model.bin")) {
      return Status::Unsupported(repo + " has only PyTorch (.bin) weights; Smelter reads model.safetensors");
    }
    return Status::Unsupported(repo + " has no model.safetensors; is it a sentence-transformer model?");
  }
  if (!by_path.count("config.json")) return Status::Unsupported(repo + " has no config.json");
  if (!by_path.count("tokenizer.json") && !by_path.count("vocab.txt")) {
    return Status::Unsupported(repo + " has neither tokenizer.json nor vocab.txt");
  }

  std::error_code ec;
  fs::create_directories(result.dir, ec);
  if (ec) return Status::IOError("cannot create " + result.dir + ": " + ec.message());
  PullLock lock;
  SMELTER_RETURN_IF_ERROR(lock.Acquire(result.dir, repo));

  // What an earlier pull verified: files whose checksum still matches the
  // hub's are not downloaded (nor re-hashed) again.
  std::map<std::string, std::pair<std::string, int64_t>> verified;  // path -> sha256, size
  if (Result<std::string> text = ReadFile(result.dir + "/" + kManifestName); text.ok()) {
    json m = json::parse(*text, nullptr, false);
    if (m.is_object() && m.contains("files") && m["files"].is_array()) {
      for (const json& f : m["files"]) {
        if (f.is_object() && f.value("path", "") != "" && f.contains("size") && f["size"].is_number_integer())
          verified[f.value("path", "")] = {f.value("sha256", ""), f["size"].get<int64_t>()};
      }
    }
  }

  for (const std::string& rel : ModelFilesToFetch(names)) {
    RemoteFile remote = by_path[rel];
    const std::string local = result.dir + "/" + rel;
    const std::string label = repo + "/" + rel;
    PulledFile pulled;
    pulled.path = rel;

    // Already here?
    int64_t have = FileSize(local);
    if (have >= 0) {
      auto v = verified.find(rel);
      if (v != verified.end() && !remote.sha256.empty() && v->second.first == remote.sha256 &&
          v->second.second == have) {
        pulled.size = have;
        pulled.sha256 = remote.sha256;
        result.files.push_back(pulled);
        progress({rel, have, have, true, true});
        continue;
      }
      if (!remote.sha256.empty() || !remote.blob_id.empty()) {
        if (Result<std::string> sha = Verify(local, remote, label); sha.ok()) {
          pulled.size = have;
          pulled.sha256 = *sha;
          result.files.push_back(pulled);
          progress({rel, have, have, true, true});
          continue;
        }
      }
    }

    fs::create_directories(fs::path(local).parent_path(), ec);
    if (ec) return Status::IOError("cannot create folder for " + local + ": " + ec.message());
    const std::string url = hub.base + "/" + repo + "/resolve/" + UriEncode(hub.revision, false) + "/" +
                            UriEncode(rel, /*keep_slash=*/true);
    const std::string part = local + ".part";

    // A resumed .part may hold bad bytes from an earlier, broken transfer;
    // when it fails verification the file is fetched once more from zero.
    for (int round = 0;; ++round) {
      Download d{&hub, url, part, &remote, progress};
      const int64_t resumed_from = std::max<int64_t>(0, FileSize(part));
      Result<HttpResponse> r =
          SendHttpWithRetries([&] { return d.MakeRequest(); }, options.retry, hub.Secrets());
      d.Close();
      if (!d.sink_error.ok()) {
        if (!d.bad_resume) return d.sink_error;
        std::remove(part.c_str());  // the server cannot continue it: start over
        if (round == 0) continue;
        return d.sink_error;
      }
      if (!r.ok()) {
        const std::string msg = r.status().message() + " (run the pull again to resume)";
        if (r.status().code() == Status::Code::kTimeout) return Status::Timeout(msg);
        if (r.status().code() == Status::Code::kIOError) return Status::IOError(msg);
        return r.status();
      }
      if (r->status == 416) {
        // Nothing after the .part's end: it is complete, or it is junk.
        if (remote.size < 0 || FileSize(part) != remote.size) {
          std::remove(part.c_str());
          if (round == 0) continue;
          return Status::IOError("the hub refused to resume " + label);
        }
      } else if (r->status != 200 && r->status != 206) {
        return hub.HttpFailure(*r, "cannot download " + label);
      } else if (!d.started) {
        // An empty file: nothing reached the sink, so create it here.
        if (std::FILE* f = std::fopen(part.c_str(), r->status == 206 ? "ab" : "wb"); f) std::fclose(f);
      }
      if (remote.size < 0) {
        // The size from the transfer itself: "bytes a-b/TOTAL", else the length.
        std::string range = r->Header("content-range");
        size_t slash = range.rfind('/');
        if (slash != std::string::npos && range.substr(slash + 1) != "*") {
          remote.size = std::atoll(range.c_str() + slash + 1);
        } else if (r->status == 200 && !r->Header("content-length").empty()) {
          remote.size = std::atoll(r->Header("content-length").c_str());
        }
      }
      Result<std::string> sha = Verify(part, remote, label);
      if (!sha.ok()) {
        std::remove(part.c_str());
        if (sha.status().code() != Status::Code::kCorrupt) return sha.status();
        if (round == 0 && resumed_from > 0) continue;
        return Status::Corrupt(sha.status().message() + "; the download was discarded");
      }
      SMELTER_RETURN_IF_ERROR(FsyncPath(part));
      if (std::rename(part.c_str(), local.c_str()) != 0) return Status::IOError("cannot rename " + part + " to " + local);
      pulled.size = FileSize(local);
      pulled.sha256 = *sha;
      pulled.downloaded = true;
      result.bytes_downloaded += d.received;
      result.files.push_back(pulled);
      progress({rel, pulled.size, pulled.size, true, false});
      break;
    }
  }

  json manifest = {{"repo", repo},
                   {"revision", options.revision},
                   {"commit", result.commit},
                   {"source", hub.base},
                   {"pulled_at", NowIso8601()},
                   {"files", json::array()}};
  for (const PulledFile& f : result.files)
    manifest["files"].push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
  SMELTER_RETURN_IF_ERROR(WriteFileAtomic(result.dir + "/" + kManifestName, manifest.dump(2) + "\n"));
  return result;
}

Result<std::vector<CachedModel>> ListCachedModels(const std::string& cache_dir) {
  std::vector<CachedModel> out;
  std::error_code ec;
  if (!fs::is_directory(cache_dir, ec)) return out;
  auto subdirs = [](const fs::path& dir, std::vector<fs::path>* found) -> Status {
    std::error_code e;
    for (fs::directory_iterator it(dir, e), end; !e && it != end; it.increment(e)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code e2;
      if (it->is_directory(e2)) found->push_back(it->path());
    }
    if (e) return Status::IOError("cannot read " + dir.string() + ": " + e.message());
    return Status::OK();
  };
  std::vector<fs::path> orgs;
  SMELTER_RETURN_IF_ERROR(subdirs(cache_dir, &orgs));
  for (const fs::path& org : orgs) {
    std::vector<fs::path> models;
    SMELTER_RETURN_IF_ERROR(subdirs(org, &models));
    for (const fs::path& dir : models) {
      CachedModel m;
      m.repo = org.filename().string() + "/" + dir.filename().string();
      m.dir = dir.string();
      bool pulled = false;
      if (Result<std::string> text = ReadFile(m.dir + "/" + kManifestName); text.ok()) {
        json j = json::parse(*text, nullptr, false);
        if (j.is_object()) {
          pulled = true;
          m.revision = j.value("revision", "");
          m.pulled_at = j.value("pulled_at", "");
        }
      }
      if (!pulled && !(fs::exists(dir / "config.json", ec) && fs::exists(dir / "model.safetensors", ec))) continue;
      std::error_code e;
      for (fs::recursive_directory_iterator it(dir, e), end; !e && it != end; it.increment(e)) {
        std::string name = it->path().filename().string();
        std::error_code e2;
        if (name.empty() || name[0] == '.' || !it->is_regular_file(e2)) continue;
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0) continue;
        int64_t size = static_cast<int64_t>(it->file_size(e2));
        if (e2) continue;
        m.files.emplace_back(fs::relative(it->path(), dir, e2).string(), size);
        m.total_bytes += size;
      }
      std::sort(m.files.begin(), m.files.end());
      out.push_back(std::move(m));
    }
  }
  std::sort(out.begin(), out.end(), [](const CachedModel& a, const CachedModel& b) { return a.repo < b.repo; });
  return out;
}

}  // namespace smelter
