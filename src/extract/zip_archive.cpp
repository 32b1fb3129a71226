#include "extract/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <utility>

namespace smelter {
namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// One-line, bounded copy of a member name for messages: names come from
// the file and may hold anything.
std::string Printable(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 120)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? '?' : c);
  }
  if (name.size() > 120) out += "...";
  return out;
}

// Names that would escape an extraction folder, or that mean different
// files to different tools: "../x", "a/../../x", "/etc/x", "C:x", "\\x".
bool IsUnsafeName(std::string_view name) {
  if (name.empty()) return true;
  if (name.front() == '/' || name.front() == '\\') return true;
  if (name.size() >= 2 && name[1] == ':') return true;  // drive letter
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string ZipErrorText(zip_error_t* error) {
  const char* text = zip_error_strerror(error);
  return text ? text : "unknown libzip error";
}

std::string MiB(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

}  // namespace

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(std::string_view bytes, const ZipLimits& limits) {
  if (bytes.size() < 22) return Status::Corrupt("not a ZIP archive (" + std::to_string(bytes.size()) + " bytes)");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    std::string msg = ZipErrorText(&error);
    zip_error_fini(&error);
    return Status::Internal("libzip: " + msg);
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!archive) {
    const int code = zip_error_code_zip(&error);
    std::string msg = ZipErrorText(&error);
    zip_error_fini(&error);
    zip_source_free(source);  // still ours when the open failed
    if (code == ZIP_ER_NOZIP) return Status::Corrupt("not a ZIP archive (no central directory; truncated?)");
    return Status::Corrupt("unreadable ZIP archive: " + msg);
  }
  zip_error_fini(&error);
  std::unique_ptr<ZipArchive> out(new ZipArchive(archive, limits));

  const zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0) return Status::Corrupt("unreadable ZIP directory");
  if (static_cast<uint64_t>(count) > limits.max_members) {
    return Status::TooLarge("ZIP has " + std::to_string(count) + " members, limit " +
                            std::to_string(limits.max_members));
  }
  out->names_.reserve(static_cast<size_t>(count));
  out->sizes_.reserve(static_cast<size_t>(count));
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !st.name) {
      return Status::Corrupt("unreadable ZIP directory entry " + std::to_string(i));
    }
    const std::string name = st.name;
    if (IsUnsafeName(name)) return Status::Corrupt("unsafe ZIP member name \"" + Printable(name) + "\"");
    if (!out->by_name_.emplace(name, i).second) {
      return Status::Corrupt("ZIP names member \"" + Printable(name) + "\" twice");
    }
    out->by_lower_name_.emplace(AsciiLower(name), i);  // first one wins
    const uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    const uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (size > limits.max_member_bytes) {
      return Status::TooLarge("ZIP member \"" + Printable(name) + "\" declares " + MiB(size) + ", limit " +
                              MiB(limits.max_member_bytes));
    }
    total += size;
    if (total > limits.max_total_bytes) {
      return Status::TooLarge("ZIP members declare more than " + MiB(limits.max_total_bytes) + " in total");
    }
    if (size > limits.ratio_min_bytes) {
      const double ratio = static_cast<double>(size) / static_cast<double>(std::max<uint64_t>(comp, 1));
      if (ratio > limits.max_ratio) {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%.0f:1", ratio);
        return Status::TooLarge("ZIP member \"" + Printable(name) + "\" has compression ratio " + buf + " (" +
                                MiB(size) + "), limit " + std::to_string(static_cast<int>(limits.max_ratio)) +
                                ":1: likely an archive bomb");
      }
    }
    const bool encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    out->names_.push_back(name);
    out->sizes_.push_back(size);
    out->encrypted_.push_back(encrypted);
  }
  return out;
}

ZipArchive::~ZipArchive() {
  if (archive_) zip_discard(archive_);  // read-only: never writes back
}

int64_t ZipArchive::Find(std::string_view name) const {
  if (auto it = by_name_.find(std::string(name)); it != by_name_.end()) return it->second;
  if (auto it = by_lower_name_.find(AsciiLower(name)); it != by_lower_name_.end()) return it->second;
  return -1;
}

bool ZipArchive::Contains(std::string_view name) const { return Find(name) >= 0; }

Result<std::string> ZipArchive::Read(std::string_view name) {
  const int64_t index = Find(name);
  if (index < 0) return Status::NotFound("no ZIP member \"" + Printable(name) + "\"");
  const auto i = static_cast<size_t>(index);
  if (encrypted_[i]) return Status::Encrypted("ZIP member \"" + Printable(name) + "\" is encrypted");
  const uint64_t declared = sizes_[i];
  if (bytes_read_ + declared > limits_.max_total_bytes) {
    return Status::TooLarge("reading \"" + Printable(name) + "\" would pass " + MiB(limits_.max_total_bytes) +
                            " uncompressed in total");
  }

  zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
  if (!file) {
    zip_error_t* error = zip_get_error(archive_);
    const int code = zip_error_code_zip(error);
    std::string msg = ZipErrorText(error);
    zip_error_clear(archive_);
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP) {
      return Status::Encrypted("ZIP member \"" + Printable(name) + "\" is encrypted");
    }
    if (code == ZIP_ER_COMPNOTSUPP) {
      return Status::Unsupported("ZIP member \"" + Printable(name) + "\" uses an unsupported compression method");
    }
    return Status::Corrupt("cannot open ZIP member \"" + Printable(name) + "\": " + msg);
  }

  // The declared size bounds what we accept: a stream that produces more
  // than its header said is lying, and is cut off at once rather than
  // after it has filled memory.
  std::string out;
  out.reserve(static_cast<size_t>(declared));
  char buf[64 * 1024];
  Status status;
  for (;;) {
    const zip_int64_t n = zip_fread(file, buf, sizeof(buf));
    if (n < 0) {
      zip_error_t* error = zip_file_get_error(file);
      status = Status::Corrupt("ZIP member \"" + Printable(name) + "\" is damaged: " + ZipErrorText(error));
      break;
    }
    if (n == 0) break;
    const auto got = static_cast<uint64_t>(n);
    if (out.size() + got > declared) {
      status = Status::Corrupt("ZIP member \"" + Printable(name) + "\" holds more data than its declared " +
                               std::to_string(declared) + " bytes");
      break;
    }
    if (bytes_read_ + out.size() + got > limits_.max_total_bytes) {
      status = Status::TooLarge("ZIP members pass " + MiB(limits_.max_total_bytes) + " uncompressed in total");
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  const int close_code = zip_fclose(file);  // reports CRC mismatches
  if (!status.ok()) return status;
  if (close_code != 0) {
    return Status::Corrupt("ZIP member \"" + Printable(name) + "\" is damaged (libzip error " +
                           std::to_string(close_code) + ")");
  }
  if (out.size() != declared) {
    return Status::Corrupt("ZIP member \"" + Printable(name) + "\" is truncated");
  }
  bytes_read_ += out.size();
  return out;
}

Result<std::string> CreateZipArchive(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) {
    std::string msg = ZipErrorText(&error);
    zip_error_fini(&error);
    return Status::Internal("libzip: " + msg);
  }
  zip_source_keep(buffer);  // we read the result out of it after zip_close
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    std::string msg = ZipErrorText(&error);
    zip_error_fini(&error);
    zip_source_free(buffer);
    zip_source_free(buffer);
    return Status::Internal("libzip: " + msg);
  }
  zip_error_fini(&error);
  auto fail = [&](const std::string& what) {
    std::string msg = what + ": " + zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    return Status::Internal("libzip: " + msg);
  };
  for (const ZipEntry& entry : entries) {
    zip_source_t* data = zip_source_buffer(archive, entry.data.data(), entry.data.size(), 0);
    if (!data) return fail("source for " + entry.name);
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      return fail("adding " + entry.name);
    }
    const auto idx = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, idx, entry.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0) {
      return fail("compression for " + entry.name);
    }
    if (!entry.password.empty() &&
        zip_file_set_encryption(archive, idx, ZIP_EM_AES_256, entry.password.c_str()) != 0) {
      return fail("encryption for " + entry.name);
    }
  }
  if (zip_close(archive) != 0) return fail("writing");

  std::string out;
  if (zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    return Status::Internal("libzip: cannot reopen the written archive");
  }
  char buf[64 * 1024];
  for (;;) {
    const zip_int64_t n = zip_source_read(buffer, buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

}  // namespace smelter
