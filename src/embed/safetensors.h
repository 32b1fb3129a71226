// Reading the safetensors format: an 8-byte little-endian header length N,
// N bytes of JSON naming each tensor's dtype, shape and [begin, end) byte
// range (relative to the end of the header), then the raw little-endian data.
//
// The file is memory-mapped read-only: F32 tensors are used in place, so the
// weights cost page cache, not heap, and rows that are never read (most of a
// word-embedding table) are never loaded. F16 and BF16 tensors are converted
// to F32 copies on request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace smelter {

// A read-only F32 tensor, row-major. Points into the mapped file or into
// `owned` (moving a FloatTensor keeps `data` valid: a moved vector keeps its
// buffer).
struct FloatTensor {
  const float* data = nullptr;
  std::vector<int64_t> shape;
  std::vector<float> owned;

  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
};

class SafeTensorsFile {
 public:
  struct Entry {
    std::string dtype;  // "F32", "F16", "BF16", "I64", ...
    std::vector<int64_t> shape;
    size_t offset = 0;  // into the mapping, past the header
    size_t bytes = 0;
  };

  // NotFound naming the file when it is missing; Corrupt when it is shorter
  // than its header says, the header is not valid JSON, or a tensor's byte
  // range does not match its shape and dtype or lies outside the file.
  static Result<std::unique_ptr<SafeTensorsFile>> Open(const std::string& path);
  ~SafeTensorsFile();
  SafeTensorsFile(const SafeTensorsFile&) = delete;
  SafeTensorsFile& operator=(const SafeTensorsFile&) = delete;

  const std::string& path() const { return path_; }
  // The JSON header as stored (it names every tensor, shape and offset: a
  // cheap fingerprint of the weights' layout).
  std::string_view header() const { return header_; }
  // nullptr when absent.
  const Entry* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  // The stored bytes of a tensor, as they are in the file.
  std::string_view Bytes(const Entry& entry) const {
    return {reinterpret_cast<const char*>(data_ + entry.offset), entry.bytes};
  }

  // The tensor as F32 (F16 and BF16 converted). Corrupt when it is absent,
  // its shape differs from `expected_shape`, or its dtype is not a float.
  Result<FloatTensor> ReadFloat(std::string_view name, const std::vector<int64_t>& expected_shape) const;

 private:
  SafeTensorsFile() = default;

  std::string path_;
  const uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  const uint8_t* data_ = nullptr;  // the first byte past the header
  std::string header_;
  std::unordered_map<std::string, Entry> entries_;
};

// "[2, 3]"
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace smelter
