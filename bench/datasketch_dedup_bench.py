"""Near-duplicate detection with the datasketch library, for comparison
with Smelter's DedupIndex (bench/dedup-bench.sh).

Reads the documents that `dedup_bench write` produced ("id<TAB>family<TAB>
text" lines) and does what DedupIndex does, in memory: lowercase word
tokens, word shingles, MinHash with 128 permutations (update_batch),
MinHashLSH at the given Jaccard threshold, candidates verified on the full
MinHash, clusters by union-find. Timed from the first document to the last,
median of REPEATS runs. Prints key=value lines.

    python3 datasketch_dedup_bench.py DOCS JACCARD_THRESHOLD SHINGLE REPEATS
"""
import collections
import re
import statistics
import sys
import time

import datasketch
from datasketch import MinHash, MinHashLSH


def load(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc_id, family, text = line.rstrip("\n").split("\t", 2)
            docs.append((doc_id, int(family), text))
    return docs


WORD = re.compile(r"\w+")


def run(docs, threshold, shingle):
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    sketches = {}
    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, _, text in docs:
        words = WORD.findall(text.lower())
        n = max(1, len(words) - shingle + 1)
        shingles = {" ".join(words[i:i + shingle]).encode("utf-8") for i in range(n)}
        m = MinHash(num_perm=128)
        m.update_batch(list(shingles))
        parent[doc_id] = doc_id
        for other in lsh.query(m):
            if m.jaccard(sketches[other]) >= threshold:
                parent[find(other)] = find(doc_id)
        lsh.insert(doc_id, m)
        sketches[doc_id] = m
    return {doc_id: find(doc_id) for doc_id in parent}


def main():
    path, threshold, shingle, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    docs = load(path)
    times, cpu_times = [], []
    clusters = None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        clusters = run(docs, threshold, shingle)
        cpu_times.append(time.process_time() - cpu_start)
        times.append(time.perf_counter() - start)
    median, cpu = statistics.median(times), statistics.median(cpu_times)

    # Pairs: n(n-1)/2 per family, per cluster, per (family, cluster).
    def pairs(groups):
        return sum(n * (n - 1) // 2 for n in collections.Counter(groups).values())

    true_pairs = pairs(family for _, family, _ in docs)
    found_pairs = pairs(clusters[doc_id] for doc_id, _, _ in docs)
    correct = pairs((family, clusters[doc_id]) for doc_id, family, _ in docs)
    print(f"documents={len(docs)}")
    print(f"seconds={median:.4f}")
    print(f"docs_per_s={len(docs) / median:.1f}")
    print(f"cpu_seconds={cpu:.4f}")
    print(f"docs_per_cpu_s={len(docs) / cpu:.1f}")
    print(f"recall={correct / true_pairs if true_pairs else 1.0:.4f}")
    print(f"precision={correct / found_pairs if found_pairs else 1.0:.4f}")
    print(f"version={getattr(datasketch, '__version__', 'unknown')}")


if __name__ == "__main__":
    main()
