// Content hashing.
//
// SHA-256 names bronze objects (content addressing must not collide, even
// for adversarial inputs); xxHash's XXH3 is used where speed matters and a
// collision costs nothing worse than a cache miss.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace smelter {

// Incremental SHA-256; Finish() returns 64 lowercase hex digits.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);

// SHA-256 of a file's bytes, streamed.
Result<std::string> Sha256File(const std::string& path);

// 16 hex digits of XXH3-64.
std::string FastHashHex(std::string_view data);

}  // namespace smelter
