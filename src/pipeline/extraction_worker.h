// Extraction in worker processes: a crash, hang or memory blowup inside a
// parser library costs one document, not the run.
//
// Parser libraries (poppler, libxml2, GMime, Tesseract, ...) are large C
// code bases fed hostile input; a segfault or an allocation spiral inside
// one of them cannot be caught in-process. So each pipeline worker thread
// owns one long-lived child process (`smelter __extract-worker`) that does
// nothing but type detection and extraction. The parent sends a file,
// waits for the reply with a wall-clock deadline while watching the child's
// resident memory, and turns every way the child can fail into a status:
//
//   child killed by a signal or exits    -> kParserCrashed (with the last
//                                            line it wrote to stderr)
//   no reply before the deadline         -> kTimeout     (child killed)
//   resident memory above the limit      -> kMemoryLimit (child killed)
//
// A dead child is replaced on the next document. A child is reused across
// documents (starting one costs ~10 ms), and recycled when a document left
// it holding much memory.
//
// Protocol on the child's stdin/stdout: frames of an 8-byte little-endian
// length then the payload (extraction_codec.h). The child keeps its real
// stdout for frames and points fd 1 at /dev/null, so a library that prints
// cannot corrupt the stream.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.h"
#include "core/status.h"
#include "extract/extractor.h"

namespace smelter {

struct SandboxLimits {
  int timeout_seconds = 120;                // per document, wall clock
  int64_t memory_limit_bytes = 2ll << 30;   // resident memory of the worker
};

// The worker's main loop: answers requests on stdin until it closes.
// Returns the process exit code.
int RunExtractionWorker(const ExtractOptions& options, const SandboxLimits& limits);

// The command that starts a worker: this executable with `__extract-worker`
// and, when the lake has one, its config file (so the worker extracts with
// the same settings as the parent).
std::vector<std::string> DefaultWorkerCommand(const std::string& config_path);

// The environment a worker is started with: this process's, plus
// OMP_THREAD_LIMIT=1 (Tesseract's OpenMP threads would oversubscribe the
// cores while pages already run side by side) and glibc tunables for a
// huge-page heap without fastbins, each only when the user has not set it.
std::vector<std::string> WorkerEnvironment();

// One worker process, used by one thread at a time.
class ExtractionSandbox {
 public:
  ExtractionSandbox(std::vector<std::string> worker_command, SandboxLimits limits);
  ~ExtractionSandbox();
  ExtractionSandbox(const ExtractionSandbox&) = delete;
  ExtractionSandbox& operator=(const ExtractionSandbox&) = delete;

  // Same contract as ExtractDocument (extract/extractor.h); `detected` is
  // filled whenever the worker got as far as detecting the type.
  Result<ExtractedDocument> Extract(std::string_view bytes, const std::string& filename,
                                    DetectedType* detected);

 private:
  Status Start();
  // Kills (if asked) and reaps the worker. Returns how it ended, as a
  // status for the document it was working on.
  Status Reap(bool kill_first);
  Status ReadReply(std::string* payload);
  int64_t ResidentBytes() const;
  void DrainStderr();

  std::vector<std::string> command_;
  std::vector<std::string> environment_;  // for the worker: ours plus OMP/glibc settings
  SandboxLimits limits_;
  pid_t pid_ = -1;
  int to_worker_ = -1;
  int from_worker_ = -1;
  int worker_stderr_ = -1;
  std::string stderr_tail_;
};

}  // namespace smelter
