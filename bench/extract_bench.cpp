// Extraction throughput: DetectType + extractor + RenderMarkdown, the part
// of `smelter run` that turns a file into Markdown, without the lake, the
// catalog, chunking or embedding. Files are converted one after another on
// one thread, as the single-file converters it is compared with run
// (bench/convert-bench.sh). OCR is off; the files compared are born-digital.
//
//   extract_bench [--out DIR] FILE...
//
// Prints "key=value" lines (files, bytes, seconds, mbps, failed; MB = 10^6
// bytes of input) for the script to read. With --out, each file's Markdown
// is also written to DIR/<file name>.md so the script can check it for
// garbage; a file that fails to extract gets no output file and a line on
// stderr. The timing covers reading, extracting and rendering, not writing.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/element.h"
#include "extract/extractor.h"

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--out DIR] FILE...\n", argv[0]);
    return 2;
  }
  smelter::ExtractOptions options;
  options.ocr = "off";

  size_t bytes = 0;
  size_t failed = 0;
  double seconds = 0;
  for (const std::string& path : files) {
    const auto start = std::chrono::steady_clock::now();
    std::string data;
    if (!ReadFile(path, &data)) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      ++failed;
      continue;
    }
    smelter::DetectedType detected;
    smelter::Result<smelter::ExtractedDocument> doc =
        smelter::ExtractDocument(data, BaseName(path), options, &detected);
    std::string markdown;
    if (doc.ok()) markdown = smelter::RenderMarkdown(*doc).text;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bytes += data.size();
    if (!doc.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), doc.status().ToString().c_str());
      ++failed;
      continue;
    }
    if (!out_dir.empty()) {
      std::ofstream out(out_dir + "/" + BaseName(path) + ".md", std::ios::binary);
      out << markdown;
    }
  }
  std::printf("files=%zu\nbytes=%zu\nseconds=%.4f\nmbps=%.2f\nfailed=%zu\n", files.size(), bytes, seconds,
              seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0, failed);
  return 0;
}
