// Local folder implementation of ObjectStore.
#include <algorithm>
#include <filesystem>

#include "store/file_util.h"
#include "store/object_store.h"

namespace smelter {

namespace fs = std::filesystem;

namespace {

class LocalObjectStore final : public ObjectStore {
 public:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {}

  std::string Locate(const std::string& key) const override { return (fs::path(root_) / key).string(); }

  Status Put(const std::string& key, std::string_view data) override {
    return WriteFileAtomic(Locate(key), data);
  }

  Status PutFile(const std::string& key, const std::string& local_path) override {
    return CopyFileAtomic(local_path, Locate(key));
  }

  Result<std::string> Get(const std::string& key) const override { return ReadFile(Locate(key)); }

  bool Exists(const std::string& key) const override {
    std::error_code ec;
    return fs::exists(Locate(key), ec);
  }

  Status Delete(const std::string& key) override {
    std::error_code ec;
    fs::remove(Locate(key), ec);
    if (ec) return Status::IOError("cannot delete " + Locate(key) + ": " + ec.message());
    return Status::OK();
  }

  Result<std::vector<std::string>> List(const std::string& prefix) const override {
    std::vector<std::string> keys;
    std::error_code ec;
    fs::path base = fs::path(root_) / prefix;
    if (!fs::exists(base, ec)) return keys;
    for (auto it = fs::recursive_directory_iterator(base, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string name = it->path().filename().string();
      if (name.find(".tmp.") != std::string::npos) continue;  // an interrupted write
      keys.push_back(fs::relative(it->path(), root_, ec).generic_string());
    }
    if (ec) return Status::IOError("cannot list " + base.string() + ": " + ec.message());
    std::sort(keys.begin(), keys.end());
    return keys;
  }

 private:
  std::string root_;
};

}  // namespace

std::unique_ptr<ObjectStore> NewLocalObjectStore(const std::string& root) {
  return std::make_unique<LocalObjectStore>(root);
}

}  // namespace smelter
