// Read-only access to a ZIP archive held in memory (libzip), with limits.
//
// Office Open XML, ODF and EPUB files are ZIP packages, and a ZIP is the
// classic way to hand a parser far more data than the file's size suggests.
// So opening checks the whole central directory up front and refuses an
// archive that
//   - has more members than `max_members`                      (kTooLarge)
//   - declares a member larger than `max_member_bytes`, or members
//     totalling more than `max_total_bytes`                       (kTooLarge)
//   - has a member over `ratio_min_bytes` that expands more than
//     `max_ratio` times (an archive bomb)                         (kTooLarge)
//   - names a member with a ".." component, an absolute path or a
//     drive letter, or names one member twice                     (kCorrupt)
//   - is not a ZIP at all, or is truncated                        (kCorrupt)
// and reading stops as soon as the bytes actually produced exceed the
// declared size or the total budget, whatever the headers claimed.
// Encrypted members come back as kEncrypted. Every message is one line.
//
// A ZipArchive is not thread-safe (reads share one libzip handle); each
// extraction opens its own. The archive keeps a view of the caller's
// bytes, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"

struct zip;  // libzip's zip_t

namespace smelter {

struct ZipLimits {
  size_t max_members = 10000;
  uint64_t max_member_bytes = 256ull << 20;  // one member, uncompressed
  uint64_t max_total_bytes = 512ull << 20;   // all members read, uncompressed
  double max_ratio = 200.0;                  // uncompressed : compressed
  uint64_t ratio_min_bytes = 1ull << 20;     // small members may compress well
};

class ZipArchive {
 public:
  // Opens `bytes` (not copied; must outlive the archive) and validates its
  // directory against `limits`.
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes, const ZipLimits& limits = ZipLimits());

  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Member names in directory order (directories included, ending in '/').
  const std::vector<std::string>& names() const { return names_; }

  // Whether a member exists. Exact match first, then ASCII
  // case-insensitive (OOXML part names are case-insensitive).
  bool Contains(std::string_view name) const;

  // The whole uncompressed member. kNotFound when absent; kEncrypted,
  // kCorrupt (bad CRC, truncated data) or kTooLarge otherwise.
  Result<std::string> Read(std::string_view name);

  // Uncompressed bytes handed out so far, counted against max_total_bytes.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  ZipArchive(zip* archive, const ZipLimits& limits) : archive_(archive), limits_(limits) {}
  // Index of a member, or -1.
  int64_t Find(std::string_view name) const;

  zip* archive_;
  ZipLimits limits_;
  std::vector<std::string> names_;
  std::vector<uint64_t> sizes_;     // declared uncompressed size, by index
  std::vector<bool> encrypted_;     // by index
  std::unordered_map<std::string, int64_t> by_name_;
  std::unordered_map<std::string, int64_t> by_lower_name_;
  uint64_t bytes_read_ = 0;
};

// One member for CreateZipArchive.
struct ZipEntry {
  ZipEntry(std::string name_in, std::string data_in, bool compress_in = true, std::string password_in = "")
      : name(std::move(name_in)), data(std::move(data_in)), compress(compress_in), password(std::move(password_in)) {}
  std::string name;
  std::string data;
  bool compress = true;  // deflate; false stores
  std::string password;  // non-empty: AES-256 encrypted
};

// Writes a ZIP archive into memory. Names are written as given, unchecked,
// so tests can build hostile archives; this is the only place Smelter
// writes ZIPs.
Result<std::string> CreateZipArchive(const std::vector<ZipEntry>& entries);

}  // namespace smelter
