// An exclusive lock on a lake for commands that write to it (ingest, run).
//
// flock(2) on <lake>/.lock: released by the kernel when the process exits,
// however it exits, so a killed run never leaves a stale lock behind.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace smelter {

class LakeLock {
 public:
  ~LakeLock();
  // Fails at once (no waiting) when another process holds the lock.
  static Result<std::unique_ptr<LakeLock>> Acquire(const std::string& lake_root);

 private:
  explicit LakeLock(int fd) : fd_(fd) {}
  int fd_;
};

// Removes temporary files ("*.tmp.<pid>.<n>") left in the lake by a process
// that was killed mid-write. REQUIRES: the caller holds the LakeLock.
void RemoveStaleTemporaryFiles(const std::string& lake_root);

}  // namespace smelter
