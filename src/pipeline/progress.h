// Progress reporting for long runs.
//
// On a terminal: one line redrawn in place (a bar, counts, throughput, ETA),
// at most ten times a second. Otherwise (a log file, CI): a plain line every
// few seconds, so logs stay readable. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace smelter {

class Progress {
 public:
  // `enabled` false makes every call a no-op (--quiet, --json).
  Progress(std::string label, int64_t total_items, int64_t total_bytes, bool enabled,
           std::FILE* out = stderr);
  ~Progress();

  void Advance(int64_t items, int64_t bytes, bool quarantined);
  // More work found on the way (documents inside documents).
  void AddWork(int64_t items, int64_t bytes);
  // Clears the in-place line; prints nothing else.
  void Finish();

 private:
  void DrawLocked(bool force);
  std::mutex mu_;
  std::string label_;
  int64_t total_items_, total_bytes_;
  int64_t done_items_ = 0, done_bytes_ = 0, quarantined_ = 0;
  bool enabled_, tty_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool finished_ = false;
};

// "1.5 MB", "320 KB"
std::string FormatBytes(double bytes);
// "1:05", "0.4 s"
std::string FormatDuration(double seconds);

}  // namespace smelter
