#include "pipeline/extraction_worker.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

namespace smelter {
namespace {

bool Has(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

size_t CountPrefix(const std::vector<std::string>& env, const std::string& prefix) {
  return static_cast<size_t>(
      std::count_if(env.begin(), env.end(), [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }));
}

// Restores one environment variable when the test ends.
class ScopedEnv {
 public:
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* v = getenv(name)) saved_ = v, had_ = true;
  }
  ~ScopedEnv() {
    if (had_) setenv(name_, saved_.c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::string saved_;
  bool had_ = false;
};

TEST(WorkerEnvironmentTest, TesseractRunsSingleThreadedInWorkers) {
  ScopedEnv omp("OMP_THREAD_LIMIT");
  unsetenv("OMP_THREAD_LIMIT");
  const std::vector<std::string> env = WorkerEnvironment();
  EXPECT_TRUE(Has(env, "OMP_THREAD_LIMIT=1"));
  EXPECT_EQ(CountPrefix(env, "OMP_THREAD_LIMIT="), 1u);
  EXPECT_EQ(CountPrefix(env, "GLIBC_TUNABLES="), 1u);
}

TEST(WorkerEnvironmentTest, UserSettingsWinAndTheRestIsPassedOn) {
  ScopedEnv omp("OMP_THREAD_LIMIT");
  ScopedEnv marker("SMELTER_TEST_MARKER");
  setenv("OMP_THREAD_LIMIT", "3", 1);
  setenv("SMELTER_TEST_MARKER", "kept", 1);
  const std::vector<std::string> env = WorkerEnvironment();
  EXPECT_TRUE(Has(env, "OMP_THREAD_LIMIT=3"));
  EXPECT_EQ(CountPrefix(env, "OMP_THREAD_LIMIT="), 1u);
  EXPECT_TRUE(Has(env, "SMELTER_TEST_MARKER=kept"));
}

}  // namespace
}  // namespace smelter
