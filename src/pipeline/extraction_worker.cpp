#include "pipeline/extraction_worker.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <thread>

#include "pipeline/extraction_codec.h"

extern char** environ;

namespace smelter {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Frames never exceed this: a reply is the document's text and children,
// which the extract.max_file_mb limit and archive limits already bound.
constexpr uint64_t kMaxFrame = 8ull << 30;

bool ReadAll(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t got = read(fd, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t put = write(fd, p, n);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put;
    n -= static_cast<size_t>(put);
  }
  return true;
}

std::string LengthPrefix(uint64_t n) {
  std::string h(8, '\0');
  for (int i = 0; i < 8; ++i) h[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return h;
}

uint64_t ParseLength(const char* h) {
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<uint8_t>(h[i])) << (8 * i);
  return n;
}

// Test hooks ("failpoints"): SMELTER_FAILPOINT="abort:NAME,hang:NAME,balloon:NAME"
// makes the worker abort, hang, or allocate without bound when it is given a
// file whose name contains NAME. They let the tests prove that the run
// survives each way a parser can fail; nothing else sets them.
void MaybeFail(const std::string& filename) {
  const char* spec = std::getenv("SMELTER_FAILPOINT");
  if (!spec || !*spec) return;
  std::string s(spec);
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(start, end - start);
    size_t colon = item.find(':');
    if (colon != std::string::npos && filename.find(item.substr(colon + 1)) != std::string::npos) {
      std::string what = item.substr(0, colon);
      if (what == "abort") {
        std::fprintf(stderr, "failpoint: aborting on %s\n", filename.c_str());
        std::abort();
      }
      if (what == "hang") {
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      if (what == "balloon") {
        std::vector<char*> blocks;
        for (;;) {
          char* b = static_cast<char*>(std::malloc(64 << 20));
          if (!b) std::abort();
          std::memset(b, 1, 64 << 20);
          blocks.push_back(b);
        }
      }
    }
    start = end + 1;
  }
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

}  // namespace

int RunExtractionWorker(const ExtractOptions& options, const SandboxLimits& limits) {
  // Frames go to the real stdout; anything a library prints goes nowhere.
  int replies = dup(STDOUT_FILENO);
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (replies < 0 || devnull < 0 || dup2(devnull, STDOUT_FILENO) < 0) return 2;
  close(devnull);
  signal(SIGPIPE, SIG_IGN);
#if !defined(__SANITIZE_ADDRESS__)
  // A backstop for allocations faster than the parent's memory watch: the
  // address space is capped well above the resident limit (libraries map a
  // lot they never touch), so a balloon fails inside the worker.
  if (limits.memory_limit_bytes > 0) {
    rlimit rl{};
    rlim_t cap = static_cast<rlim_t>(limits.memory_limit_bytes) * 2 + (2ull << 30);
    rl.rlim_cur = rl.rlim_max = cap;
    setrlimit(RLIMIT_AS, &rl);
  }
#endif
  for (;;) {
    char header[8];
    if (!ReadAll(STDIN_FILENO, header, 8)) return 0;  // parent closed: done
    uint64_t n = ParseLength(header);
    if (n > kMaxFrame) return 3;
    std::string frame(n, '\0');
    if (!ReadAll(STDIN_FILENO, frame.data(), n)) return 0;
    std::string filename, bytes;
    ExtractionReply reply;
    reply.status = DecodeExtractionRequest(frame, &filename, &bytes);
    frame = std::string();
    if (reply.status.ok()) {
      MaybeFail(filename);
      try {
        Result<ExtractedDocument> r = ExtractDocument(bytes, filename, options, &reply.type);
        if (r.ok()) reply.document = std::move(*r);
        else reply.status = r.status();
      } catch (const std::bad_alloc&) {
        reply.status = Status::MemoryLimit("out of memory while extracting");
      } catch (const std::exception& e) {
        reply.status = Status::ParserCrashed(std::string("exception: ") + e.what());
      } catch (...) {
        reply.status = Status::ParserCrashed("unknown exception");
      }
    }
    bytes = std::string();
    std::string payload = EncodeExtractionReply(reply);
    reply = ExtractionReply();
    std::string prefix = LengthPrefix(payload.size());
    if (!WriteAll(replies, prefix.data(), prefix.size()) ||
        !WriteAll(replies, payload.data(), payload.size()))
      return 0;  // parent gone
    payload = std::string();
    malloc_trim(0);  // give a big document's memory back before the next
  }
}

std::vector<std::string> DefaultWorkerCommand(const std::string& config_path) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::vector<std::string> cmd = {n > 0 ? std::string(self, static_cast<size_t>(n)) : "smelter",
                                  "__extract-worker"};
  if (!config_path.empty()) {
    cmd.push_back("--config");
    cmd.push_back(config_path);
  }
  return cmd;
}

// This process's environment plus what only the workers need. Both are
// read once at process start (by libgomp and glibc), so they can only be
// given at spawn time; a value the user set wins.
std::vector<std::string> WorkerEnvironment() {
  std::vector<std::string> env;
  bool omp = false, tunables = false;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    omp = omp || kv.starts_with("OMP_THREAD_LIMIT=");
    tunables = tunables || kv.starts_with("GLIBC_TUNABLES=");
    env.emplace_back(kv);
  }
  // Tesseract's OpenMP threads oversubscribe the cores when pages already
  // run side by side.
  if (!omp) env.emplace_back("OMP_THREAD_LIMIT=1");
  // Parsers build large DOM trees out of small allocations. Backing the
  // heap with transparent huge pages cuts the page faults that dominate
  // (DOCX extraction measured 2x faster); without fastbins, freeing a tree
  // coalesces as it goes instead of leaving millions of chunks for
  // malloc_consolidate to sweep at the next large request (DOCX a further
  // 24% faster, HTML and PDF unchanged).
  if (!tunables) env.emplace_back("GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mxfast=0");
  return env;
}

ExtractionSandbox::ExtractionSandbox(std::vector<std::string> worker_command, SandboxLimits limits)
    : command_(std::move(worker_command)), environment_(WorkerEnvironment()), limits_(limits) {
  // Writing to a worker that just died must be an error, not our death.
  static std::once_flag once;
  std::call_once(once, [] { signal(SIGPIPE, SIG_IGN); });
}

ExtractionSandbox::~ExtractionSandbox() {
  if (pid_ > 0) {
    // Closing stdin ends the worker's loop; kill in case it is stuck.
    (void)Reap(/*kill_first=*/true);
  }
}

Status ExtractionSandbox::Start() {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Status::IOError(std::string("pipe: ") + strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return Status::IOError(std::string("pipe: ") + strerror(errno));
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return Status::IOError(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<char*> argv;
  for (std::string& a : command_) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : environment_) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]), close(out[0]), close(err[0]);
    return Status::IOError("cannot start the extraction worker " + command_[0] + ": " + strerror(rc));
  }
  pid_ = pid;
  to_worker_ = in[1];
  from_worker_ = out[0];
  worker_stderr_ = err[0];
  for (int fd : {to_worker_, from_worker_, worker_stderr_})
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  stderr_tail_.clear();
  return Status::OK();
}

int64_t ExtractionSandbox::ResidentBytes() const {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/statm", static_cast<int>(pid_));
  FILE* f = std::fopen(path, "r");
  if (!f) return 0;
  long size = 0, resident = 0;
  int got = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  return got == 2 ? static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE) : 0;
}

void ExtractionSandbox::DrainStderr() {
  char buf[4096];
  for (;;) {
    ssize_t got = read(worker_stderr_, buf, sizeof(buf));
    if (got <= 0) break;
    stderr_tail_.append(buf, static_cast<size_t>(got));
    if (stderr_tail_.size() > 8192) stderr_tail_.erase(0, stderr_tail_.size() - 4096);
  }
}

Status ExtractionSandbox::Reap(bool kill_first) {
  if (pid_ <= 0) return Status::OK();
  if (kill_first) kill(pid_, SIGKILL);
  DrainStderr();
  close(to_worker_);
  close(from_worker_);
  int status = 0;
  rusage usage{};
  pid_t got;
  do {
    got = wait4(pid_, &status, 0, &usage);
  } while (got < 0 && errno == EINTR);
  DrainStderr();
  close(worker_stderr_);
  pid_ = -1;
  to_worker_ = from_worker_ = worker_stderr_ = -1;

  // The last line the worker wrote (an abort message, a library's complaint).
  std::string last;
  std::string tail = stderr_tail_;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  size_t nl = tail.rfind('\n');
  last = nl == std::string::npos ? tail : tail.substr(nl + 1);
  if (last.size() > 300) last = last.substr(0, 300);
  std::string detail = last.empty() ? "" : " (last message: " + last + ")";

  int64_t peak = static_cast<int64_t>(usage.ru_maxrss) * 1024;
  if (limits_.memory_limit_bytes > 0 && peak >= limits_.memory_limit_bytes * 9 / 10)
    return Status::MemoryLimit("the extraction worker used " + std::to_string(peak >> 20) +
                               " MiB, over the limit of " +
                               std::to_string(limits_.memory_limit_bytes >> 20) +
                               " MiB (extract.memory_limit_mb)");
  if (WIFSIGNALED(status))
    return Status::ParserCrashed("the extraction worker died of " + SignalName(WTERMSIG(status)) + detail);
  if (WIFEXITED(status))
    return Status::ParserCrashed("the extraction worker exited with status " +
                                 std::to_string(WEXITSTATUS(status)) + detail);
  return Status::ParserCrashed("the extraction worker ended unexpectedly" + detail);
}

namespace {
enum class Wait { kReady, kTimeout, kMemory };
}  // namespace

Result<ExtractedDocument> ExtractionSandbox::Extract(std::string_view bytes, const std::string& filename,
                                                     DetectedType* detected) {
  if (pid_ <= 0) SMELTER_RETURN_IF_ERROR(Start());
  const int64_t deadline_ms = NowMs() + static_cast<int64_t>(limits_.timeout_seconds) * 1000;
  stderr_tail_.clear();

  // Waits until `fd` is ready for `events`, draining the worker's stderr
  // and checking the deadline and its memory every 100 ms.
  auto wait_for = [&](int fd, short events) -> Wait {
    for (;;) {
      int64_t left = deadline_ms - NowMs();
      if (left <= 0) return Wait::kTimeout;
      if (limits_.memory_limit_bytes > 0 && ResidentBytes() > limits_.memory_limit_bytes)
        return Wait::kMemory;
      pollfd fds[2] = {{fd, events, 0}, {worker_stderr_, POLLIN, 0}};
      int rc = poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 100)));
      if (rc < 0 && errno != EINTR) return Wait::kReady;  // let the I/O call report it
      if (rc > 0 && fds[1].revents) DrainStderr();
      if (rc > 0 && fds[0].revents) return Wait::kReady;
    }
  };
  auto fail = [&](Wait why) -> Status {
    if (why == Wait::kTimeout) {
      (void)Reap(true);
      return Status::Timeout("no result after " + std::to_string(limits_.timeout_seconds) +
                             " s (extract.timeout_seconds); the extraction worker was stopped");
    }
    (void)Reap(true);
    return Status::MemoryLimit("the extraction worker went over " +
                               std::to_string(limits_.memory_limit_bytes >> 20) +
                               " MiB (extract.memory_limit_mb) and was stopped");
  };

  // Send: length prefix, then the request.
  std::string frame = EncodeExtractionRequest(filename, bytes);
  std::string prefix = LengthPrefix(frame.size());
  for (const std::string* part : {&prefix, &frame}) {
    size_t sent = 0;
    while (sent < part->size()) {
      Wait w = wait_for(to_worker_, POLLOUT);
      if (w != Wait::kReady) return fail(w);
      ssize_t put = write(to_worker_, part->data() + sent, part->size() - sent);
      if (put < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (put <= 0) return Reap(false);  // the worker died while reading
      sent += static_cast<size_t>(put);
    }
  }
  frame = std::string();

  // Receive: length prefix, then the reply.
  auto receive = [&](char* p, size_t n) -> std::optional<Status> {
    while (n > 0) {
      Wait w = wait_for(from_worker_, POLLIN);
      if (w != Wait::kReady) return fail(w);
      ssize_t got = read(from_worker_, p, n);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) return Reap(false);  // the worker died while working
      p += got;
      n -= static_cast<size_t>(got);
    }
    return std::nullopt;
  };
  char header[8];
  if (auto failed = receive(header, 8)) return *failed;
  uint64_t n = ParseLength(header);
  if (n > kMaxFrame) {
    (void)Reap(true);
    return Status::ParserCrashed("the extraction worker sent an oversized reply");
  }
  std::string payload(n, '\0');
  if (auto failed = receive(payload.data(), n)) return *failed;

  Result<ExtractionReply> reply = DecodeExtractionReply(payload);
  payload = std::string();
  if (!reply.ok()) {
    (void)Reap(true);
    return Status::ParserCrashed(reply.status().message());
  }
  // A worker left holding much memory (allocator fragmentation after a huge
  // document) is replaced rather than carried into the next document.
  if (limits_.memory_limit_bytes > 0 && ResidentBytes() > limits_.memory_limit_bytes / 2) (void)Reap(true);
  if (detected) *detected = reply->type;
  if (!reply->status.ok()) return reply->status;
  return std::move(reply->document);
}

}  // namespace smelter
