// Encoder throughput: Smelter's in-process BERT embedder over a file of
// texts (one per line), the counterpart of bench/encoder_bench_torch.py.
// Times Embed over all the texts -- tokenization, forward passes, pooling,
// normalization -- after one untimed warm-up call, and prints the median
// over the repeats as "key=value" lines for bench/encoder-bench.sh:
//   texts, tokens ([CLS] and [SEP] included, after truncation), seconds,
//   tokens_per_s, peak_rss_mb (getrusage's ru_maxrss: the whole process).
//
//   encoder_bench MODEL_DIR THREADS TEXTS_FILE [REPEATS] [VECTORS_OUT]
// VECTORS_OUT, if given, receives the vectors as raw little-endian float32,
// row after row, to compare with the PyTorch side.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "embed/bert_embedder.h"
#include "embed/transformer_embedder.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s MODEL_DIR THREADS TEXTS_FILE [REPEATS] [VECTORS_OUT]\n", argv[0]);
    return 2;
  }
  smelter::EmbedderConfig config;
  config.threads = std::max(0, std::atoi(argv[2]));
  const int repeats = argc > 4 ? std::max(1, std::atoi(argv[4])) : 5;
  auto loaded = smelter::NewTransformerEmbedder(argv[1], config);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  const auto& embedder = dynamic_cast<const smelter::BertEmbedder&>(**loaded);

  std::ifstream in(argv[3]);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[3]);
    return 1;
  }
  std::vector<std::string> texts;
  for (std::string line; std::getline(in, line);) texts.push_back(line);
  std::vector<std::string_view> views(texts.begin(), texts.end());
  size_t tokens = 0;
  std::vector<int32_t> ids;
  for (std::string_view t : views) {
    embedder.tokenizer().Encode(t, embedder.max_length(), &ids);
    tokens += ids.size();
  }

  std::vector<std::vector<float>> vectors;
  smelter::Status st = embedder.Embed(views, &vectors);  // warm-up: page in the weights, size the scratch
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    vectors.clear();
    const auto start = std::chrono::steady_clock::now();
    st = embedder.Embed(views, &vectors);
    const auto stop = std::chrono::steady_clock::now();
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      return 1;
    }
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const size_t mid = seconds.size() / 2;
  const double median = seconds.size() % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;

  if (argc > 5) {
    std::ofstream out(argv[5], std::ios::binary);
    for (const auto& v : vectors) out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("texts=%zu\ntokens=%zu\nseconds=%.4f\ntokens_per_s=%.1f\npeak_rss_mb=%.1f\ntruncated=%llu\n",
              texts.size(), tokens, median, static_cast<double>(tokens) / median,
              static_cast<double>(usage.ru_maxrss) / 1024.0,
              static_cast<unsigned long long>(embedder.truncated_inputs()));
  return 0;
}
