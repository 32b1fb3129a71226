#include "embed/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace smelter {
namespace {

size_t DTypeSize(std::string_view dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" || dtype == "F8_E5M2") return 1;
  return 0;
}

uint32_t LoadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

float BitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// IEEE half to single, subnormals, infinities and NaN included.
float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1F;
  uint32_t mantissa = h & 0x3FF;
  if (exponent == 0) {
    if (mantissa == 0) return BitsToFloat(sign);
    // Subnormal: normalize it.
    int e = -1;
    do {
      ++e;
      mantissa <<= 1;
    } while ((mantissa & 0x400) == 0);
    return BitsToFloat(sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mantissa & 0x3FF) << 13);
  }
  if (exponent == 0x1F) return BitsToFloat(sign | 0x7F800000 | mantissa << 13);
  return BitsToFloat(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
}

bool HostIsLittleEndian() {
  const uint16_t one = 1;
  uint8_t first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

}  // namespace

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

Result<std::unique_ptr<SafeTensorsFile>> SafeTensorsFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no such file: " + path);
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::IOError("cannot stat " + path + ": " + std::strerror(err));
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    return Status::Corrupt(path + ": truncated (" + std::to_string(size) + " bytes, no header)");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) return Status::IOError("cannot map " + path + ": " + std::strerror(map_errno));

  std::unique_ptr<SafeTensorsFile> file(new SafeTensorsFile());
  file->path_ = path;
  file->map_ = static_cast<const uint8_t*>(map);
  file->map_size_ = size;
  const uint64_t header_len = static_cast<uint64_t>(LoadU32(file->map_)) |
                              static_cast<uint64_t>(LoadU32(file->map_ + 4)) << 32;
  if (header_len > size - 8) {
    return Status::Corrupt(path + ": truncated (header of " + std::to_string(header_len) + " bytes, file of " +
                           std::to_string(size) + ")");
  }
  file->header_.assign(reinterpret_cast<const char*>(file->map_ + 8), static_cast<size_t>(header_len));
  file->data_ = file->map_ + 8 + header_len;
  const size_t data_size = size - 8 - static_cast<size_t>(header_len);

  try {
    const nlohmann::json header = nlohmann::json::parse(file->header_);
    if (!header.is_object()) return Status::Corrupt(path + ": header is not a JSON object");
    for (const auto& [name, info] : header.items()) {
      if (name == "__metadata__") continue;
      Entry entry;
      entry.dtype = info.at("dtype").get<std::string>();
      entry.shape = info.at("shape").get<std::vector<int64_t>>();
      const auto offsets = info.at("data_offsets").get<std::vector<uint64_t>>();
      if (offsets.size() != 2 || offsets[0] > offsets[1]) {
        return Status::Corrupt(path + ": bad data_offsets for tensor " + name);
      }
      if (offsets[1] > data_size) {
        return Status::Corrupt(path + ": truncated (tensor " + name + " ends at byte " + std::to_string(offsets[1]) +
                               " of " + std::to_string(data_size) + ")");
      }
      uint64_t count = 1;
      for (int64_t d : entry.shape) {
        if (d < 0 || (d > 0 && count > (uint64_t{1} << 48) / static_cast<uint64_t>(d))) {
          return Status::Corrupt(path + ": bad shape " + ShapeString(entry.shape) + " for tensor " + name);
        }
        count *= static_cast<uint64_t>(d);
      }
      const size_t element = DTypeSize(entry.dtype);
      if (element != 0 && count * element != offsets[1] - offsets[0]) {
        return Status::Corrupt(path + ": tensor " + name + " has " + std::to_string(offsets[1] - offsets[0]) +
                               " bytes for " + entry.dtype + " " + ShapeString(entry.shape));
      }
      entry.offset = static_cast<size_t>(offsets[0]);
      entry.bytes = static_cast<size_t>(offsets[1] - offsets[0]);
      file->entries_.emplace(name, std::move(entry));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corrupt(path + ": bad header: " + e.what());
  }
  return file;
}

SafeTensorsFile::~SafeTensorsFile() {
  if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), map_size_);
}

const SafeTensorsFile::Entry* SafeTensorsFile::Find(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> SafeTensorsFile::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) names.push_back(name);
  return names;
}

Result<FloatTensor> SafeTensorsFile::ReadFloat(std::string_view name,
                                               const std::vector<int64_t>& expected_shape) const {
  const Entry* entry = Find(name);
  if (entry == nullptr) return Status::Corrupt(path_ + ": no tensor " + std::string(name));
  if (entry->shape != expected_shape) {
    return Status::Corrupt(path_ + ": tensor " + std::string(name) + " has shape " + ShapeString(entry->shape) +
                           ", expected " + ShapeString(expected_shape));
  }
  FloatTensor t;
  t.shape = entry->shape;
  const uint8_t* src = data_ + entry->offset;
  const size_t count = static_cast<size_t>(t.size());
  static const bool little_endian = HostIsLittleEndian();
  if (entry->dtype == "F32") {
    // Used in place when aligned (writers pad the header so that it is).
    if (little_endian && reinterpret_cast<uintptr_t>(src) % alignof(float) == 0) {
      t.data = reinterpret_cast<const float*>(src);
      return t;
    }
    t.owned.resize(count);
    for (size_t i = 0; i < count; ++i) t.owned[i] = BitsToFloat(LoadU32(src + 4 * i));
  } else if (entry->dtype == "F16" || entry->dtype == "BF16") {
    const bool bf16 = entry->dtype == "BF16";
    t.owned.resize(count);
    for (size_t i = 0; i < count; ++i) {
      const auto h = static_cast<uint16_t>(src[2 * i] | src[2 * i + 1] << 8);
      t.owned[i] = bf16 ? BitsToFloat(static_cast<uint32_t>(h) << 16) : HalfToFloat(h);
    }
  } else {
    return Status::Corrupt(path_ + ": tensor " + std::string(name) + " is " + entry->dtype +
                           " (F32, F16 or BF16 expected)");
  }
  t.data = t.owned.data();
  return t;
}

}  // namespace smelter
