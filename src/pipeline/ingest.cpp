#include "pipeline/ingest.h"

#include "enrich/sidecar.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "extract/slack_export.h"
#include "pipeline/progress.h"
#include "store/file_util.h"

namespace smelter {

namespace fs = std::filesystem;

namespace {

struct FileToIngest {
  std::string path;  // absolute, normalized
  int64_t size = 0;
  int64_t mtime = 0;
  // A Slack export folder: `path` is the folder, these are its files
  // (relative paths, sorted), stored together as one ZIP; size and mtime
  // are their total and newest.
  std::vector<std::string> export_members;
};

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.' && name != "." && name != "..";
}

// The files of a Slack export: its top-level JSON (users.json,
// channels.json, ...) and the day files <channel>/YYYY-MM-DD.json.
// Anything else under the folder (files a tool downloaded beside the
// messages) stays an ordinary document.
bool IsSlackExportMember(std::string_view relative) {
  const size_t slashes = std::count(relative.begin(), relative.end(), '/');
  if (!relative.ends_with(".json")) return false;
  if (slashes == 0) return true;
  return slashes == 1 && LooksLikeSlackExport({"channels.json", std::string(relative)});
}

// Takes the Slack exports out of `found` (the files of one walked folder)
// and appends each as one entry to `files`. An export unpacked into a
// folder is one conversation archive, exactly like its ZIP: its day files
// only make sense together (a thread's replies land in later days' files,
// authors are named in users.json, the channel by the folder), so the
// folder is stored in bronze as the ZIP Slack would have sent, and the
// archive extractor renders it into one child document per thread. Taken
// one by one, each day file would be a document of its own, a reply on the
// next day a new thread, and users.json and channels.json records.
void TakeSlackExports(std::vector<FileToIngest>* found, std::vector<FileToIngest>* files) {
  std::vector<std::string> roots;
  for (const FileToIngest& f : *found) {
    const fs::path p(f.path);
    if (p.filename() == "channels.json") roots.push_back(p.parent_path().string());
  }
  std::sort(roots.begin(), roots.end());  // a folder before the folders inside it
  std::vector<bool> taken(found->size(), false);
  for (const std::string& root : roots) {
    const std::string prefix = root + "/";
    std::vector<size_t> members;
    std::vector<std::string> relative;
    for (size_t i = 0; i < found->size(); ++i) {
      const std::string& path = (*found)[i].path;
      if (taken[i] || !path.starts_with(prefix)) continue;
      std::string rel = path.substr(prefix.size());
      if (!IsSlackExportMember(rel)) continue;
      members.push_back(i);
      relative.push_back(std::move(rel));
    }
    if (!LooksLikeSlackExport(relative)) continue;
    FileToIngest bundle;
    bundle.path = root;
    for (size_t k = 0; k < members.size(); ++k) {
      const FileToIngest& f = (*found)[members[k]];
      taken[members[k]] = true;
      bundle.size += f.size;
      bundle.mtime = std::max(bundle.mtime, f.mtime);
      bundle.export_members.push_back(relative[k]);
    }
    std::sort(bundle.export_members.begin(), bundle.export_members.end());
    files->push_back(std::move(bundle));
  }
  for (size_t i = 0; i < found->size(); ++i) {
    if (!taken[i]) files->push_back(std::move((*found)[i]));
  }
  found->clear();
}

void Collect(const std::string& input, std::vector<FileToIngest>* files, std::vector<std::string>* errors) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(input, ec), ec);
  auto add = [&](const fs::path& p, std::vector<FileToIngest>* to) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      errors->push_back(p.string() + ": cannot stat");
      return;
    }
    to->push_back({p.string(), static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtime), {}});
  };
  if (fs::is_regular_file(root, ec)) {
    add(root, files);
    return;
  }
  if (!fs::is_directory(root, ec)) {
    errors->push_back(input + ": no such file or folder");
    return;
  }
  std::vector<FileToIngest> found;
  auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (IsHidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // NAME.metadata.json beside NAME holds NAME's metadata (merged by the
    // enrich stage), not a document of its own.
    if (it->is_regular_file(ec) && !IsSidecarPath(it->path().string())) add(it->path(), &found);
  }
  if (ec) errors->push_back(input + ": " + ec.message());
  // The walk's order is the file system's; sorted, exports and their
  // members come out the same on every machine.
  std::sort(found.begin(), found.end(),
            [](const FileToIngest& a, const FileToIngest& b) { return a.path < b.path; });
  TakeSlackExports(&found, files);
}

la_ssize_t WriteToStream(struct archive*, void* client, const void* buffer, size_t length) {
  auto* out = static_cast<std::ofstream*>(client);
  out->write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
  return *out ? static_cast<la_ssize_t>(length) : -1;
}

struct ArchiveWriteFree {
  void operator()(struct archive* a) const { archive_write_free(a); }
};

// Writes the export's members into a ZIP at `zip_path`, streamed (an export
// can be large). Same folder, same bytes: members are sorted and carry no
// times, owners or permissions of their own, so ingesting an unchanged
// export again finds its object already in bronze.
Status WriteExportZip(const FileToIngest& bundle, const std::string& zip_path) {
  std::ofstream out(zip_path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot create " + zip_path);
  std::unique_ptr<struct archive, ArchiveWriteFree> writer(archive_write_new());
  struct archive* a = writer.get();
  if (!a || archive_write_set_format_zip(a) != ARCHIVE_OK ||
      archive_write_open(a, &out, nullptr, &WriteToStream, nullptr) != ARCHIVE_OK) {
    return Status::IOError("cannot write " + zip_path);
  }
  std::string buffer(1 << 16, '\0');
  for (const std::string& member : bundle.export_members) {
    const std::string path = bundle.path + "/" + member;
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (!in || ec) return Status::IOError("cannot read " + path);
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                                &archive_entry_free);
    archive_entry_set_pathname(entry.get(), member.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK) {
      return Status::IOError(zip_path + ": " + (archive_error_string(a) ? archive_error_string(a) : "write failed"));
    }
    uintmax_t left = size;
    while (left > 0 && in) {
      in.read(buffer.data(), static_cast<std::streamsize>(std::min<uintmax_t>(left, buffer.size())));
      const std::streamsize n = in.gcount();
      if (n <= 0) break;
      if (archive_write_data(a, buffer.data(), static_cast<size_t>(n)) != n) {
        return Status::IOError(zip_path + ": " + (archive_error_string(a) ? archive_error_string(a) : "write failed"));
      }
      left -= static_cast<uintmax_t>(n);
    }
    // The header promised `size` bytes: a file that shrank meanwhile
    // would make a broken member.
    if (left > 0) return Status::IOError("cannot read " + path + " (changed while being read)");
  }
  if (archive_write_close(a) != ARCHIVE_OK) return Status::IOError("cannot finish " + zip_path);
  out.close();
  if (!out) return Status::IOError("cannot write " + zip_path);
  return Status::OK();
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
    const bool slack_export = !file.export_members.empty();
    summary.files += slack_export ? static_cast<int64_t>(file.export_members.size()) : 1;
    // An export folder is stored as the ZIP of its files (see
    // TakeSlackExports), built in a hidden file of the lake and removed
    // once in bronze.
    std::string bytes_path = file.path;
    struct RemoveOnExit {
      std::string path;
      ~RemoveOnExit() {
        std::error_code ec;
        if (!path.empty()) fs::remove(path, ec);
      }
    } temp;
    int64_t stored_size = file.size;
    if (slack_export) {
      ++summary.slack_exports;
      temp.path = TempPathFor(lake.root() + "/.ingest-slack-export.zip");
      bytes_path = temp.path;
      if (Status st = WriteExportZip(file, temp.path); !st.ok()) {
        // A member that cannot be read is the user's to know about; the
        // lake's folder not taking the ZIP is the lake failing.
        if (st.message().starts_with("cannot read")) {
          summary.errors.push_back(file.path + ": Slack export: " + st.message());
          progress.Advance(1, file.size, true);
          continue;
        }
        return st;
      }
      std::error_code ec;
      stored_size = static_cast<int64_t>(fs::file_size(temp.path, ec));
      if (ec) return Status::IOError("cannot read " + temp.path);
    }
    Result<std::string> sha = Sha256File(bytes_path);
    if (!sha.ok()) {
      summary.errors.push_back(sha.status().message());
      progress.Advance(1, file.size, true);
      continue;
    }
    std::string key = Lake::BronzeKey(*sha);
    if (!lake.store().Exists(key)) {
      Status st = lake.store().PutFile(key, bytes_path);
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
      summary.bytes_copied += stored_size;
    }
    SourceFacts source{file.path, stored_size, file.mtime, NowIso8601()};
    SMELTER_RETURN_IF_ERROR(UpdateSourceSidecar(lake, *sha, stored_size, source));
    bool new_object = false;
    SMELTER_RETURN_IF_ERROR(catalog.RecordIngest(source, *sha, stored_size, &new_object));
    ++(new_object ? summary.new_objects : summary.known_objects);
    progress.Advance(1, file.size, false);
  }
  progress.Finish();
  return summary;
}

}  // namespace smelter
