// Near-duplicate detection throughput and quality: DedupIndex (exact key,
// MinHash, LSH, SQLite persistence) over a generated corpus with known
// near duplicates (src/dedup/synthetic_docs.h), the same documents that
// bench/datasketch_dedup_bench.py reads.
//
//   dedup_bench write FILE [BASES] [UNRELATED]   writes "id<TAB>family<TAB>text" lines
//   dedup_bench run FILE [REPEATS]               prints key=value lines
//
// `run` adds all documents, in file order, to a fresh index file per repeat
// (one AddAll transaction), timed from the first Add to the commit; opening
// the file is not timed. Recall and precision count pairs of documents
// (same family vs same cluster).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "dedup/dedup_index.h"
#include "dedup/synthetic_docs.h"

namespace {

struct Doc {
  std::string id;
  int family = 0;
  std::string text;
};

int Write(const std::string& path, int bases, int unrelated) {
  smelter::dedup::testing::SyntheticOptions options;
  options.base_documents = bases;
  options.unrelated_documents = unrelated;
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return 1;
  }
  size_t words = 0;
  const auto docs = smelter::dedup::testing::SyntheticCorpus(options).Generate();
  for (const auto& d : docs) {
    out << d.id << '\t' << d.family << '\t' << d.text << '\n';
    words += static_cast<size_t>(std::count(d.text.begin(), d.text.end(), ' ')) + 1;
  }
  std::printf("documents=%zu\nwords=%zu\n", docs.size(), words);
  return out.good() ? 0 : 1;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int Run(const std::string& path, int repeats) {
  std::vector<Doc> docs;
  {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      const size_t a = line.find('\t'), b = line.find('\t', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      docs.push_back(Doc{line.substr(0, a), std::atoi(line.c_str() + a + 1), line.substr(b + 1)});
    }
  }
  if (docs.empty()) {
    std::fprintf(stderr, "no documents in %s\n", path.c_str());
    return 1;
  }
  std::vector<smelter::dedup::DedupDocument> batch;
  for (size_t i = 0; i < docs.size(); ++i) batch.push_back({docs[i].id, docs[i].text, static_cast<int64_t>(i), 0});

  const std::string db_path = path + ".dedup.db";
  std::vector<double> seconds, cpu_seconds;
  std::vector<std::string> canonical(docs.size());
  smelter::dedup::DedupOptions options;
  smelter::dedup::LshParams lsh;
  for (int r = 0; r < repeats; ++r) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
    auto index = smelter::dedup::DedupIndex::Open(db_path, options);
    if (!index.ok()) {
      std::fprintf(stderr, "%s\n", index.status().ToString().c_str());
      return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    auto decisions = (*index)->AddAll(batch);
    cpu_seconds.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!decisions.ok()) {
      std::fprintf(stderr, "%s\n", decisions.status().ToString().c_str());
      return 1;
    }
    if (r == 0) {
      lsh = (*index)->lsh();
      for (size_t i = 0; i < docs.size(); ++i) canonical[i] = *(*index)->CanonicalOf(docs[i].id);
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);

  // Pairs: n(n-1)/2 per family, per cluster, per (family, cluster).
  std::map<int, long long> families;
  std::map<std::string, long long> clusters;
  std::map<std::pair<int, std::string>, long long> both;
  for (size_t i = 0; i < docs.size(); ++i) {
    ++families[docs[i].family];
    ++clusters[canonical[i]];
    ++both[{docs[i].family, canonical[i]}];
  }
  auto pairs = [](const auto& groups) {
    long long n = 0;
    for (const auto& [key, count] : groups) n += count * (count - 1) / 2;
    return n;
  };
  const long long true_pairs = pairs(families), found_pairs = pairs(clusters), correct = pairs(both);
  const double median = Median(seconds), cpu = Median(cpu_seconds);
  std::printf("documents=%zu\nseconds=%.4f\ndocs_per_s=%.1f\n", docs.size(), median, docs.size() / median);
  std::printf("cpu_seconds=%.4f\ndocs_per_cpu_s=%.1f\n", cpu, docs.size() / cpu);
  std::printf("recall=%.4f\nprecision=%.4f\n", true_pairs ? double(correct) / true_pairs : 1.0,
              found_pairs ? double(correct) / found_pairs : 1.0);
  std::printf("true_pairs=%lld\nfound_pairs=%lld\n", true_pairs, found_pairs);
  std::printf("threshold=%.2f\nshingle=%d\npermutations=%d\nbands=%d\nrows=%d\njaccard_threshold=%.4f\n",
              options.threshold, options.minhash.shingle, options.minhash.permutations, lsh.bands, lsh.rows,
              smelter::dedup::JaccardForSimilarity(options.threshold, options.minhash.shingle));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc < 3 || (mode != "write" && mode != "run")) {
    std::fprintf(stderr, "usage: %s write FILE [BASES] [UNRELATED] | run FILE [REPEATS]\n", argv[0]);
    return 2;
  }
  if (mode == "write") {
    return Write(argv[2], argc > 3 ? std::max(1, std::atoi(argv[3])) : 1000, argc > 4 ? std::max(0, std::atoi(argv[4])) : 1000);
  }
  return Run(argv[2], argc > 3 ? std::max(1, std::atoi(argv[3])) : 5);
}
