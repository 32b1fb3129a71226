// Downloads sentence-transformer models from the Hugging Face hub (or a
// mirror speaking the same URLs) into the local model cache, where the
// "hf:ORG/NAME" embedder finds them:
//
//   <cache>/ORG/NAME/config.json, tokenizer.json, model.safetensors, ...
//   <cache>/ORG/NAME/.smelter-model.json   what was pulled, from where, checksums
//
// Downloads are resumable (a "<file>.part" is continued with a Range
// request), verified (size, and SHA-256 for the large LFS files: from the
// hub's listing, else its X-Linked-Etag/ETag; the git blob id for small
// files) and atomic (the .part is renamed into place only once verified),
// so an interrupted or corrupted pull never leaves a file a reader could
// mistake for a good one. A rerun skips files already verified.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "embed/http_client.h"

namespace smelter {

struct PullProgress {
  std::string file;       // "model.safetensors"
  int64_t done = 0;       // bytes on disk so far (resumed bytes included)
  int64_t total = -1;     // -1 when unknown
  bool finished = false;  // the file is complete and verified
  bool cached = false;    // ... and was already in the cache
};

struct PullOptions {
  std::string cache_dir;  // required: the model cache (see ModelCacheDir)
  // "" = $SMELTER_HF_ENDPOINT, else https://huggingface.co.
  std::string base_url;
  std::string revision = "main";
  // "" = $HF_TOKEN (for gated and private models). Sent only to the hub
  // itself, never to the CDN it redirects downloads to.
  std::string token;
  int stall_timeout_s = 60;  // abort a download that receives nothing this long
  RetryPolicy retry;         // 429, 5xx and broken connections
  // Called as files download; unset = a progress line on stderr.
  std::function<void(const PullProgress&)> progress;
};

struct PulledFile {
  std::string path;  // relative to the model folder: "1_Pooling/config.json"
  int64_t size = 0;
  std::string sha256;
  bool downloaded = false;  // false: already in the cache and verified
};

struct PullResult {
  std::string repo;  // "ORG/NAME"
  std::string dir;   // <cache>/ORG/NAME
  std::string revision;
  std::string commit;  // the hub's commit sha for the revision, when it said
  std::vector<PulledFile> files;
  int64_t bytes_downloaded = 0;
};

// Downloads what a sentence-transformer needs from `repo` ("ORG/NAME"):
// config.json, model.safetensors, the tokenizer (tokenizer.json and/or
// vocab.txt, with tokenizer_config.json and special_tokens_map.json), and
// modules.json, sentence_bert_config.json and 1_Pooling/config.json when
// the repo has them. NotFound for an unknown repo; Unsupported for a repo
// without safetensors weights; Corrupt when a download fails verification
// (nothing is left in place, and the partial file is removed).
Result<PullResult> PullModel(const std::string& repo, const PullOptions& options);

// The file list PullModel fetches out of a repo's full listing.
std::vector<std::string> ModelFilesToFetch(const std::vector<std::string>& repo_files);

struct CachedModel {
  std::string repo;  // "ORG/NAME"
  std::string dir;
  std::string revision;  // "" when the folder was not made by PullModel
  std::string pulled_at;
  std::vector<std::pair<std::string, int64_t>> files;  // path, size
  int64_t total_bytes = 0;
};

// The models in `cache_dir`: folders ORG/NAME pulled by PullModel, and any
// holding config.json and model.safetensors put there by hand. Sorted by
// repo; an empty list when the cache does not exist.
Result<std::vector<CachedModel>> ListCachedModels(const std::string& cache_dir);

// Whether `repo` looks like "ORG/NAME" (no "..", no extra slashes, no
// characters a hub name cannot hold).
bool IsValidRepoName(const std::string& repo);

}  // namespace smelter
