// Local file helpers with crash-safe writes.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace smelter {

// Writes `data` to "<path>.tmp.<pid>.<n>", fsyncs it, then renames it over
// `path`, so that readers (and a rerun after a crash) see either the old
// file or the complete new one, never a half-written one. Creates parent
// folders as needed.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// Copies a file the same way (temporary name, fsync, rename).
Status CopyFileAtomic(const std::string& from, const std::string& to);

Result<std::string> ReadFile(const std::string& path);

// A unique temporary name beside `path` for the write-then-rename pattern.
std::string TempPathFor(const std::string& path);

// Current time as "2026-11-26T05:17:02Z".
std::string NowIso8601();
// A file time (seconds since the epoch) in the same form.
std::string TimeToIso8601(int64_t seconds_since_epoch);

}  // namespace smelter
