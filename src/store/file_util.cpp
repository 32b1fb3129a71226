#include "store/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <vector>

namespace smelter {

namespace fs = std::filesystem;

namespace {

std::string ErrnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Writes all of `data` to `fd`, retrying short writes.
bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Status EnsureParent(const std::string& path) {
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) return Status::IOError("cannot create folder " + parent.string() + ": " + ec.message());
  return Status::OK();
}

}  // namespace

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  SMELTER_RETURN_IF_ERROR(EnsureParent(path));
  std::string tmp = TempPathFor(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(ErrnoText("cannot create", tmp));
  bool ok = WriteAll(fd, data.data(), data.size()) && ::fdatasync(fd) == 0;
  std::string err = ok ? "" : ErrnoText("cannot write", tmp);
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Status::IOError(err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = ErrnoText("cannot rename to", path);
    ::unlink(tmp.c_str());
    return Status::IOError(err);
  }
  return Status::OK();
}

Status CopyFileAtomic(const std::string& from, const std::string& to) {
  SMELTER_RETURN_IF_ERROR(EnsureParent(to));
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::IOError(ErrnoText("cannot open", from));
  std::string tmp = TempPathFor(to);
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    ::close(in);
    return Status::IOError(ErrnoText("cannot create", tmp));
  }
  std::vector<char> buf(1 << 20);
  bool ok = true;
  std::string err;
  for (;;) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ok = false;
      err = ErrnoText("cannot read", from);
      break;
    }
    if (n == 0) break;
    if (!WriteAll(out, buf.data(), static_cast<size_t>(n))) {
      ok = false;
      err = ErrnoText("cannot write", tmp);
      break;
    }
  }
  if (ok && ::fdatasync(out) != 0) {
    ok = false;
    err = ErrnoText("cannot sync", tmp);
  }
  ::close(in);
  ::close(out);
  if (ok && ::rename(tmp.c_str(), to.c_str()) != 0) {
    ok = false;
    err = ErrnoText("cannot rename to", to);
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return Status::IOError(err);
  }
  return Status::OK();
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no such file: " + path);
    return Status::IOError(ErrnoText("cannot open", path));
  }
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::IOError(ErrnoText("cannot read", path));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string TimeToIso8601(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NowIso8601() { return TimeToIso8601(static_cast<int64_t>(std::time(nullptr))); }

}  // namespace smelter
