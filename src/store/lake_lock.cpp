#include "store/lake_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

namespace smelter {

LakeLock::~LakeLock() { ::close(fd_); }

Result<std::unique_ptr<LakeLock>> LakeLock::Acquire(const std::string& lake_root) {
  std::string path = lake_root + "/.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::InvalidArgument("another smelter process is writing to " + lake_root +
                                   "; wait for it to finish");
  }
  return std::unique_ptr<LakeLock>(new LakeLock(fd));
}

void RemoveStaleTemporaryFiles(const std::string& lake_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* zone : {"bronze", "silver", "gold", "quarantine"}) {
    fs::path dir = fs::path(lake_root) / zone;
    std::vector<fs::path> stale;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->path().filename().string().find(".tmp.") != std::string::npos) stale.push_back(it->path());
    }
    for (const auto& p : stale) fs::remove(p, ec);
  }
}

}  // namespace smelter
