#!/usr/bin/env bash
# Near-duplicate detection: Smelter's DedupIndex against the datasketch
# Python library (MinHash, 128 permutations, MinHashLSH) on the same
# generated documents with known near duplicates, at the same recall.
# Prints documents/s for both (median of REPEATS runs in one process each,
# wall clock and CPU time), both recalls and precisions and the ratio, and
# rewrites the "Near-duplicate detection" section of docs/benchmarks.md.
#
# Usage: bench/dedup-bench.sh DEDUP_BENCH|BUILD_DIR
#   DEDUP_BENCH  the compiled bench/dedup_bench.cpp (this script builds
#                nothing); given a build folder, its dedup_bench is used.
# datasketch is pure Python: it is fetched from its public repository into a
# temporary folder for the run (git clone --depth 1, else a tarball with
# curl; DATASKETCH_SRC may name a local checkout instead) and removed
# afterwards. It runs under /usr/bin/python3 with Debian's numpy and scipy
# (installed with apt-get when missing and running as root). When it cannot
# be obtained, its row is skipped and the script says so.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/lib.sh"

target="${1:?usage: bench/dedup-bench.sh DEDUP_BENCH|BUILD_DIR}"
if [[ -d "$target" ]]; then
  build="$(cd "$target" && pwd)"
  bin=""
  for candidate in "$build/dedup_bench" "$build/bench/dedup_bench"; do
    if [[ -x "$candidate" ]]; then bin="$candidate"; break; fi
  done
  [[ -n "$bin" ]] || { echo "dedup-bench: no dedup_bench in $build (build the dedup_bench target)" >&2; exit 1; }
else
  [[ -x "$target" ]] || { echo "dedup-bench: $target is not an executable" >&2; exit 1; }
  bin="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
  build="$(dirname "$bin")"
fi
work="$build/bench/dedup"
mkdir -p "$work"
BASES="${BASES:-500}"
UNRELATED="${UNRELATED:-500}"

field() { grep "^$1=" | cut -d= -f2; }

# The documents: BASES base texts with 1-3 variants each (1-10% of words
# edited), UNRELATED others, Zipf-distributed words, fixed seed.
docs="$work/docs.tsv"
generated=$("$bin" write "$docs" "$BASES" "$UNRELATED")
ndocs=$(echo "$generated" | field documents)
nwords=$(echo "$generated" | field words)
mean_words=$(awk -v w="$nwords" -v d="$ndocs" 'BEGIN { printf "%.0f", w / d }')

echo "== Near-duplicate detection: $ndocs generated documents (mean $mean_words words), median of $REPEATS"
ours=$("$bin" run "$docs" "$REPEATS")
ours_dps=$(echo "$ours" | field docs_per_s); ours_cpu_dps=$(echo "$ours" | field docs_per_cpu_s)
ours_recall=$(echo "$ours" | field recall); ours_precision=$(echo "$ours" | field precision)
threshold=$(echo "$ours" | field threshold); shingle=$(echo "$ours" | field shingle)
jaccard=$(echo "$ours" | field jaccard_threshold)
bands=$(echo "$ours" | field bands); rows=$(echo "$ours" | field rows)
printf '  %-52s %9s docs/s %9s docs/CPU-s  recall %s  precision %s\n' "smelter DedupIndex (SQLite)" \
  "$ours_dps" "$ours_cpu_dps" "$ours_recall" "$ours_precision"

# datasketch, fetched for this run only.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ds_dir="$tmp/datasketch"
ds_note=""
if [[ -n "${DATASKETCH_SRC:-}" && -f "${DATASKETCH_SRC}/datasketch/minhash.py" ]]; then
  cp -r "$DATASKETCH_SRC" "$ds_dir"
elif command -v git >/dev/null && git clone --quiet --depth 1 https://github.com/ekzhu/datasketch "$ds_dir" 2>/dev/null; then
  :
elif command -v curl >/dev/null &&
  mkdir -p "$ds_dir" &&
  curl -fsL https://github.com/ekzhu/datasketch/archive/refs/heads/master.tar.gz |
  tar -xz -C "$ds_dir" --strip-components=1 2>/dev/null; then
  :
else
  ds_note="datasketch could not be fetched from GitHub"
fi
python=/usr/bin/python3
if [[ -z "$ds_note" ]] && ! "$python" -c 'import numpy, scipy' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q python3-numpy python3-scipy >/dev/null 2>&1 || true
  fi
  "$python" -c 'import numpy, scipy' 2>/dev/null || ds_note="numpy and scipy are missing for $python (apt install python3-numpy python3-scipy)"
fi

ds_row="" ds_raw_row="" speedup="" cpu_speedup=""
if [[ -z "$ds_note" ]]; then
  ds_version=$(grep -m1 '^version *=' "$ds_dir/pyproject.toml" 2>/dev/null | sed 's/.*"\(.*\)".*/\1/' || true)
  ds_version="${ds_version:-unknown}"
  theirs=$(PYTHONPATH="$ds_dir" "$python" "$here/datasketch_dedup_bench.py" "$docs" "$jaccard" "$shingle" "$REPEATS")
  ds_dps=$(echo "$theirs" | field docs_per_s); ds_cpu_dps=$(echo "$theirs" | field docs_per_cpu_s)
  ds_recall=$(echo "$theirs" | field recall); ds_precision=$(echo "$theirs" | field precision)
  speedup=$(ratio "$ours_dps" "$ds_dps"); cpu_speedup=$(ratio "$ours_cpu_dps" "$ds_cpu_dps")
  printf '  %-52s %9s docs/s %9s docs/CPU-s  recall %s  precision %s\n' "datasketch $ds_version, LSH threshold $jaccard" \
    "$ds_dps" "$ds_cpu_dps" "$ds_recall" "$ds_precision"
  # The same library at a raw Jaccard threshold of 0.8 (one run: its recall
  # is the point, not its speed).
  raw=$(PYTHONPATH="$ds_dir" "$python" "$here/datasketch_dedup_bench.py" "$docs" 0.8 "$shingle" 1)
  raw_recall=$(echo "$raw" | field recall); raw_precision=$(echo "$raw" | field precision)
  printf '  %-52s %33s  recall %s  precision %s\n' "datasketch $ds_version, LSH threshold 0.8 (1 run)" "" \
    "$raw_recall" "$raw_precision"
  echo "  ratio: ${speedup}x wall clock, ${cpu_speedup}x CPU time (target 20x)"
  ds_row="| datasketch $ds_version (Python $("$python" -c 'import platform; print(platform.python_version())'), numpy $("$python" -c 'import numpy; print(numpy.__version__)')), MinHashLSH threshold $jaccard | $ds_dps | $ds_cpu_dps | $ds_recall | $ds_precision |"
  ds_raw_row="| datasketch, MinHashLSH threshold 0.8 on raw Jaccard (1 run) | | | $raw_recall | $raw_precision |"
else
  echo "  datasketch: skipped ($ds_note)"
fi

body="$work/section.md"
{
  echo "$(machine_line)"
  echo "Input: $ndocs generated documents (mean $mean_words words, Zipf-distributed over a"
  echo "5000-word vocabulary): $BASES base texts with 1-3 variants each in which 1-10% of the"
  echo "words were replaced, inserted or deleted, and $UNRELATED unrelated texts, in random order"
  echo "(\`dedup_bench write\`, fixed seed). Both sides: lowercase word 3-shingles, MinHash"
  echo "with 128 permutations, LSH candidates verified on the full signature, clusters of"
  echo "everything linked; timed from the first document to the last, median of $REPEATS runs"
  echo "in one process each. Smelter's time includes normalizing, the exact key and"
  echo "writing every signature and band row to its SQLite file (one transaction);"
  echo "datasketch keeps everything in memory. Recall and precision count document pairs"
  echo "(same base vs same cluster). Run \`bench/dedup-bench.sh BUILD_DIR\` to reproduce."
  echo
  echo "| implementation | docs/s | docs per CPU-s | recall | precision |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| Smelter \`DedupIndex\` (C++, SQLite), similarity $threshold = Jaccard $jaccard, $bands bands x $rows rows | $ours_dps | $ours_cpu_dps | $ours_recall | $ours_precision |"
  if [[ -n "$ds_row" ]]; then
    echo "$ds_row"
    echo "$ds_raw_row"
    echo
    echo "Smelter is **${speedup}x** as fast by the wall clock and **${cpu_speedup}x** by CPU time"
    echo "(target: 20x), at the same recall. Smelter's threshold 0.8 is on the estimated share of"
    echo "words two texts have in common (see \`src/dedup/minhash.h\`), which for 3-shingles is a"
    echo "Jaccard of $jaccard: datasketch is run at that Jaccard. At a raw Jaccard threshold of 0.8"
    echo "its recall shows why the threshold is not applied to raw shingle Jaccard."
  else
    echo
    echo "datasketch row skipped: $ds_note."
  fi
} > "$body"
update_section "$repo/docs/benchmarks.md" "Near-duplicate detection" "$body"
