// PII detection throughput: PiiRedactor::Redact with every detector on,
// over one text file cut into ~64 KB pieces (documents), on one thread. Prints the median MB/s over the
// repeats (MB = 10^6 bytes of input) and the finding counts, one
// "key=value" per line so that bench/pii-bench.sh can read them.
//
//   pii_bench --generate FILE [MB] [EVERY]
//                                   write synthetic text: prose with a
//                                   sentence of planted PII or a look-alike
//                                   every EVERY sentences (default 50 MB,
//                                   every 10)
//   pii_bench FILE [REPEATS]        measure
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "pii/pii_redactor.h"
#include "pii/pii_synthetic.h"

namespace {

int Generate(const char* path, double mb, int every) {
  smelter::pii::synthetic::LabeledText text;
  smelter::pii::synthetic::Generator generator(42);
  generator.AddMixedText(static_cast<size_t>(mb * 1e6), std::max(1, every), &text);
  std::ofstream out(path, std::ios::binary);
  out << text.text;
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path);
    return 1;
  }
  std::printf("bytes=%zu\nplanted=%zu\n", text.text.size(), text.planted.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s --generate FILE [MB] [EVERY] | FILE [REPEATS]\n", argv[0]);
    return 2;
  }
  const std::string first = argv[1];
  if (first == "--generate" && argc > 2) {
    return Generate(argv[2], argc > 3 ? std::atof(argv[3]) : 50.0, argc > 4 ? std::atoi(argv[4]) : 10);
  }

  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  auto start = std::chrono::steady_clock::now();
  auto redactor = smelter::PiiRedactor::Create(smelter::PiiOptions{});
  const double create_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!redactor.ok()) {
    std::fprintf(stderr, "%s\n", redactor.status().ToString().c_str());
    return 1;
  }
  // The pipeline redacts one document (one element) at a time: cut the
  // text into pieces of about 64 KB at line ends and redact each.
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < text.size();) {
    size_t end = std::min(text.size(), at + (size_t{64} << 10));
    if (const size_t nl = text.find('\n', end); end < text.size() && nl != std::string::npos) end = nl + 1;
    pieces.push_back(std::string_view(text).substr(at, end - at));
    at = end;
  }
  std::vector<double> mbps;
  std::map<std::string, int> counts;
  for (int r = 0; r < repeats; ++r) {
    counts.clear();
    start = std::chrono::steady_clock::now();
    for (std::string_view piece : pieces) {
      smelter::RedactionResult result = (*redactor)->Redact(piece);
      for (const auto& [type, count] : result.counts) counts[type] += count;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    mbps.push_back(static_cast<double>(text.size()) / 1e6 / seconds);
  }
  std::sort(mbps.begin(), mbps.end());
  const size_t n = mbps.size();
  const double median = n % 2 ? mbps[n / 2] : (mbps[n / 2 - 1] + mbps[n / 2]) / 2;
  int findings = 0;
  for (const auto& [type, count] : counts) {
    std::printf("found_%s=%d\n", type.c_str(), count);
    findings += count;
  }
  std::printf("create_seconds=%.2f\nbytes=%zu\nfindings=%d\nmbps=%.1f\n", create_seconds, text.size(), findings,
              median);
  return 0;
}
