#include "pipeline/ingest.h"

#include "enrich/sidecar.h"

#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "pipeline/progress.h"
#include "store/file_util.h"

namespace smelter {

namespace fs = std::filesystem;

namespace {

struct FileToIngest {
  std::string path;  // absolute, normalized
  int64_t size = 0;
  int64_t mtime = 0;
};

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.' && name != "." && name != "..";
}

void Collect(const std::string& input, std::vector<FileToIngest>* files, std::vector<std::string>* errors) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(input, ec), ec);
  auto add = [&](const fs::path& p) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      errors->push_back(p.string() + ": cannot stat");
      return;
    }
    files->push_back({p.string(), static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtime)});
  };
  if (fs::is_regular_file(root, ec)) {
    add(root);
    return;
  }
  if (!fs::is_directory(root, ec)) {
    errors->push_back(input + ": no such file or folder");
    return;
  }
  auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (IsHidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // NAME.metadata.json beside NAME holds NAME's metadata (merged by the
    // enrich stage), not a document of its own.
    if (it->is_regular_file(ec) && !IsSidecarPath(it->path().string())) add(it->path());
  }
  if (ec) errors->push_back(input + ": " + ec.message());
}

// Adds `source` to the object's sidecar (a JSON list of every place these
// bytes were seen), rewriting it atomically.
Status UpdateSourceSidecar(Lake& lake, const std::string& sha256, int64_t size,
                           const SourceFacts& source) {
  std::string key = Lake::BronzeSourceKey(sha256);
  nlohmann::json sidecar;
  if (Result<std::string> old = lake.store().Get(key); old.ok()) {
    sidecar = nlohmann::json::parse(*old, nullptr, false);
  }
  if (!sidecar.is_object()) sidecar = nlohmann::json::object();
  sidecar["sha256"] = sha256;
  sidecar["size"] = size;
  if (!sidecar["sources"].is_array()) sidecar["sources"] = nlohmann::json::array();
  nlohmann::json entry = {{"path", source.uri},
                          {"size", source.size},
                          {"modified", TimeToIso8601(source.mtime)},
                          {"ingested", source.ingested_at}};
  bool replaced = false;
  for (auto& s : sidecar["sources"]) {
    if (s.is_object() && s.value("path", "") == source.uri) {
      s = entry;
      replaced = true;
    }
  }
  if (!replaced) sidecar["sources"].push_back(entry);
  return lake.store().Put(key, sidecar.dump(2) + "\n");
}

}  // namespace

Result<IngestSummary> IngestPaths(Lake& lake, Catalog& catalog, const std::vector<std::string>& paths,
                                  bool show_progress) {
  IngestSummary summary;
  std::vector<FileToIngest> files;
  for (const std::string& p : paths) Collect(p, &files, &summary.errors);
  int64_t total_bytes = 0;
  for (const auto& f : files) total_bytes += f.size;
  Progress progress("ingest", static_cast<int64_t>(files.size()), total_bytes, show_progress);

  for (const FileToIngest& file : files) {
    ++summary.files;
    Result<std::string> sha = Sha256File(file.path);
    if (!sha.ok()) {
      summary.errors.push_back(sha.status().message());
      progress.Advance(1, file.size, true);
      continue;
    }
    std::string key = Lake::BronzeKey(*sha);
    if (!lake.store().Exists(key)) {
      Status st = lake.store().PutFile(key, file.path);
      if (!st.ok()) {
        // A source that vanished or cannot be read is the user's problem to
        // know about, not a reason to stop; a lake that cannot be written is.
        if (st.message().find("cannot open") != std::string::npos ||
            st.message().find("cannot read") != std::string::npos) {
          summary.errors.push_back(st.message());
          progress.Advance(1, file.size, true);
          continue;
        }
        return st;
      }
      summary.bytes_copied += file.size;
    }
    SourceFacts source{file.path, file.size, file.mtime, NowIso8601()};
    SMELTER_RETURN_IF_ERROR(UpdateSourceSidecar(lake, *sha, file.size, source));
    bool new_object = false;
    SMELTER_RETURN_IF_ERROR(catalog.RecordIngest(source, *sha, file.size, &new_object));
    ++(new_object ? summary.new_objects : summary.known_objects);
    progress.Advance(1, file.size, false);
  }
  progress.Finish();
  return summary;
}

}  // namespace smelter
