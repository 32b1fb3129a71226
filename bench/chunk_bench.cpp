// Chunking throughput: ChunkText over one text file, in chars mode with the
// same settings as the LangChain side (bench/langchain_chunk_bench.mjs):
// max_size 1000, overlap 200. Prints the median MB/s over the repeats (MB =
// 10^6 bytes of input) and the chunk count, one "key=value" per line so that
// bench/chunk-bench.sh can read them.
//
//   chunk_bench FILE [REPEATS] [MAX_SIZE] [OVERLAP] [chars|tokens]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "chunk/chunker.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [REPEATS] [MAX_SIZE] [OVERLAP] [chars|tokens]\n", argv[0]);
    return 2;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  smelter::ChunkOptions options;
  options.max_size = argc > 3 ? std::atoi(argv[3]) : 1000;
  options.overlap = argc > 4 ? std::atoi(argv[4]) : 200;
  options.unit = argc > 5 && std::string(argv[5]) == "tokens" ? smelter::SizeUnit::kTokens
                                                              : smelter::SizeUnit::kChars;
  if (options.max_size <= 0 || options.overlap < 0 || options.overlap >= options.max_size) {
    std::fprintf(stderr, "need 0 <= OVERLAP < MAX_SIZE\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  std::vector<double> mbps;
  size_t chunks = 0;
  size_t chunk_bytes = 0;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    std::vector<smelter::Chunk> out = smelter::ChunkText("bench", text, options);
    auto stop = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(stop - start).count();
    mbps.push_back(static_cast<double>(text.size()) / 1e6 / seconds);
    chunks = out.size();
    chunk_bytes = 0;
    for (const smelter::Chunk& c : out) chunk_bytes += c.text.size();
  }
  std::sort(mbps.begin(), mbps.end());
  const double median =
      repeats % 2
          ? mbps[static_cast<size_t>(repeats / 2)]
          : (mbps[static_cast<size_t>(repeats / 2 - 1)] + mbps[static_cast<size_t>(repeats / 2)]) /
                2;
  std::printf("input_bytes=%zu\n", text.size());
  std::printf("repeats=%d\n", repeats);
  std::printf("mbps=%.1f\n", median);
  std::printf("chunks=%zu\n", chunks);
  std::printf("mean_chunk_bytes=%.0f\n",
              chunks ? static_cast<double>(chunk_bytes) / static_cast<double>(chunks) : 0.0);
  return 0;
}
