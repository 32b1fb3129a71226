// ObjectStore: where the lake's zones keep their objects.
//
// Keys are '/'-separated relative paths ("bronze/objects/ab/abcd..."). Every
// Put is atomic: a reader sees the old object or the whole new one. The local
// store is the default; an S3 store implements the same interface.
// Implementations must be safe to use from several threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smelter {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Human-readable location of `key` ("/path/to/lake/silver/x.md", "s3://...").
  virtual std::string Locate(const std::string& key) const = 0;
  virtual Status Put(const std::string& key, std::string_view data) = 0;
  // Copies a local file in (streamed; large files are never held in memory).
  virtual Status PutFile(const std::string& key, const std::string& local_path) = 0;
  virtual Result<std::string> Get(const std::string& key) const = 0;
  virtual bool Exists(const std::string& key) const = 0;
  // OK when the key did not exist.
  virtual Status Delete(const std::string& key) = 0;
  // Keys under `prefix`, sorted.
  virtual Result<std::vector<std::string>> List(const std::string& prefix) const = 0;
};

// Objects as files under `root`.
std::unique_ptr<ObjectStore> NewLocalObjectStore(const std::string& root);

}  // namespace smelter
