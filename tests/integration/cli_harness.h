// Runs the real `smelter` binary for integration tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace smelter::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `smelter ARGS...` with stdout and stderr captured.
inline CommandResult RunSmelter(const std::vector<std::string>& args) {
  static int counter = 0;
  std::string err_path = (std::filesystem::temp_directory_path() /
                          ("smelter-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".err"))
                             .string();
  std::string cmd = ShellQuote(SMELTER_BINARY);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += ShellQuote(a);
  }
  cmd += " 2>";
  cmd += ShellQuote(err_path);
  CommandResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = Slurp(err_path);
  std::filesystem::remove(err_path);
  return r;
}

inline nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// A fresh, empty folder under the system temp folder, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::string tmpl = (std::filesystem::temp_directory_path() / ("smelter-" + tag + "-XXXXXX")).string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = ::mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    if (!std::getenv("SMELTER_KEEP_TEST_DIRS")) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string CorpusDir() {
  if (const char* env = std::getenv("SMELTER_CORPUS_DIR"); env && *env) return env;
  return SMELTER_CORPUS_DIR;
}

inline bool HaveCorpus() { return std::filesystem::exists(CorpusDir() + "/README.md"); }

}  // namespace smelter::testing
