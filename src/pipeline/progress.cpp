#include "pipeline/progress.h"

#include <unistd.h>

#include <cmath>

namespace smelter {

std::string FormatBytes(double bytes) {
  char buf[32];
  if (bytes >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
  else if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else if (bytes >= 1e3) std::snprintf(buf, sizeof buf, "%.0f KB", bytes / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  return buf;
}

std::string FormatDuration(double seconds) {
  char buf[32];
  if (seconds < 10) std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else if (seconds < 3600) std::snprintf(buf, sizeof buf, "%d:%02d", int(seconds) / 60, int(seconds) % 60);
  else std::snprintf(buf, sizeof buf, "%d:%02d:%02d", int(seconds) / 3600, int(seconds) / 60 % 60, int(seconds) % 60);
  return buf;
}

Progress::Progress(std::string label, int64_t total_items, int64_t total_bytes, bool enabled,
                   std::FILE* out)
    : label_(std::move(label)), total_items_(total_items), total_bytes_(total_bytes),
      enabled_(enabled && total_items > 0), tty_(::isatty(::fileno(out)) != 0), out_(out),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::AddWork(int64_t items, int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  total_items_ += items;
  total_bytes_ += bytes;
}

void Progress::Advance(int64_t items, int64_t bytes, bool quarantined) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  done_items_ += items;
  done_bytes_ += bytes;
  if (quarantined) quarantined_ += items;
  DrawLocked(false);
}

void Progress::DrawLocked(bool force) {
  auto now = std::chrono::steady_clock::now();
  double since_draw = std::chrono::duration<double>(now - last_draw_).count();
  // Plain lines every 5 s keep logs short; a terminal redraws 10x a second.
  if (!force && since_draw < (tty_ ? 0.1 : 5.0) && done_items_ < total_items_) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? done_bytes_ / elapsed : 0;
  double fraction = total_items_ ? double(done_items_) / total_items_ : 1.0;
  std::string eta;
  if (fraction > 0 && fraction < 1 && elapsed > 1) eta = "  ETA " + FormatDuration(elapsed / fraction - elapsed);
  std::string quarantine = quarantined_ ? "  " + std::to_string(quarantined_) + " quarantined" : "";
  if (tty_) {
    constexpr int kWidth = 24;
    int filled = static_cast<int>(std::lround(fraction * kWidth));
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '-');
    std::fprintf(out_, "\r\033[K%s [%s] %lld/%lld docs  %s  %s/s%s%s", label_.c_str(), bar.c_str(),
                 (long long)done_items_, (long long)total_items_, FormatBytes(done_bytes_).c_str(),
                 FormatBytes(rate).c_str(), quarantine.c_str(), eta.c_str());
  } else {
    std::fprintf(out_, "%s: %lld/%lld docs  %s  %s/s%s%s\n", label_.c_str(), (long long)done_items_,
                 (long long)total_items_, FormatBytes(done_bytes_).c_str(), FormatBytes(rate).c_str(),
                 quarantine.c_str(), eta.c_str());
  }
  std::fflush(out_);
}

void Progress::Finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (tty_) std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
}

}  // namespace smelter
