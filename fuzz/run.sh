#!/usr/bin/env bash
# Builds the fuzz harnesses into build-fuzz/ and runs each for a while.
#
# Usage: fuzz/run.sh [NAME...]      (default: every line of fuzz/targets.txt)
# Environment:
#   FUZZ_SECONDS      seconds per harness (default 10: a smoke run; 3600 for a real hunt)
#   FUZZ_JOBS         libFuzzer processes per harness (default 1; e.g. $(nproc) when long)
#   FUZZ_BUILD        build folder (default build-fuzz)
#   FUZZ_MAX_SEED_KB  corpus files larger than this are not used as seeds (default 256:
#                     libFuzzer mutates up to the largest seed's size, and big seeds slow it)
#   SMELTER_CORPUS_DIR  the document corpus seeds are picked from (default ../shared/corpus)
#
# Seeds: fuzz/seeds/NAME/ (small hand-written files) plus the corpus files
# whose extension targets.txt lists for NAME, copied into the build folder
# at run time. New inputs libFuzzer finds accumulate in build-fuzz/corpus/NAME,
# so later runs start where earlier ones stopped. Crashes, timeouts and
# out-of-memory inputs are saved as build-fuzz/artifacts/NAME-crash-<sha1>
# (or -timeout-, -oom-, -leak-); the exit status is non-zero if any harness
# failed. Reproduce one with: build-fuzz/fuzz_NAME build-fuzz/artifacts/FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${FUZZ_BUILD:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-10}"
jobs="${FUZZ_JOBS:-1}"
max_seed_kb="${FUZZ_MAX_SEED_KB:-256}"
corpus="${SMELTER_CORPUS_DIR:-$root/../shared/corpus}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

# Build: the engine once, then one small harness per target.
start=$(date +%s)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" >/dev/null
fi
nice cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-$(nproc)}"
echo "fuzz: build took $(( $(date +%s) - start ))s"

# NAME -> extensions, from targets.txt.
declare -A exts
names=()
while read -r name rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  exts[$name]="$rest"
  names+=("$name")
done < "$here/targets.txt"
if [[ $# -gt 0 ]]; then names=("$@"); fi

# Copies the corpus files a target's extensions select into DIR.
pick_seeds() {
  local name="$1" dir="$2" f base ext
  rm -rf "$dir"; mkdir -p "$dir"
  [[ -d "$corpus" ]] || return 0
  for f in "$corpus"/*; do
    [[ -f "$f" ]] || continue
    base="$(basename "$f")"
    [[ "$base" == README.md || "$base" == SOURCES.tsv ]] && continue
    (( $(stat -c %s "$f") <= max_seed_kb * 1024 )) || continue
    ext="${base##*.}"; ext="${ext,,}"
    if [[ " ${exts[$name]} " == *" * "* || " ${exts[$name]} " == *" $ext "* ]]; then
      cp "$f" "$dir/"
    fi
  done
}

mkdir -p "$build/artifacts" "$build/logs"
[[ -d "$corpus" ]] || echo "fuzz: no corpus at $corpus; using fuzz/seeds only" >&2
failed=()
skipped=()
for name in "${names[@]}"; do
  bin="$build/fuzz_$name"
  if [[ ! -x "$bin" || -z "${exts[$name]+set}" ]]; then
    echo "fuzz: unknown target $name (see fuzz/targets.txt)" >&2; failed+=("$name"); continue
  fi
  pick_seeds "$name" "$build/seeds/$name"
  mkdir -p "$build/corpus/$name" "$build/logs/$name"
  seed_dirs=("$build/seeds/$name")
  [[ -d "$here/seeds/$name" ]] && seed_dirs+=("$here/seeds/$name")
  # -error_exitcode=1: libFuzzer's own default, 77, is the harness's "no
  # such extractor" code, and a bug must never read as a skip.
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -error_exitcode=1
        -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1)
  if (( jobs > 1 )); then args+=(-jobs="$jobs" -workers="$jobs"); fi
  t0=$(date +%s)
  rc=0
  # The first folder receives new inputs; the seed folders are only read.
  # Leaks inside libraries we cannot free for them are suppressed by name
  # (tests/lsan.supp); the libraries have no frame pointers, so the harnesses
  # that reach libgsf record allocation stacks with the slow unwinder, or
  # the suppression could not see the library's frames.
  asan_options="${ASAN_OPTIONS:-}"
  case "$name" in msg|legacy-office|detect) asan_options="${asan_options:+$asan_options:}fast_unwind_on_malloc=0" ;; esac
  (cd "$build/logs/$name" && ASAN_OPTIONS="$asan_options" LSAN_OPTIONS="suppressions=$root/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
     "$bin" "${args[@]}" "$build/corpus/$name" "${seed_dirs[@]}") \
    > "$build/logs/$name.log" 2>&1 || rc=$?
  took=$(( $(date +%s) - t0 ))
  runs=$(cat "$build/logs/$name.log" "$build/logs/$name"/fuzz-*.log 2>/dev/null |
    awk '/^stat::number_of_executed_units:/ {n += $2} END {print n + 0}') || true
  if [[ $rc -eq 77 ]]; then
    echo "fuzz: $name: skipped (no such extractor in this build)"; skipped+=("$name")
  elif [[ $rc -ne 0 ]]; then
    echo "fuzz: $name: FAILED (exit $rc) after ${took}s; log $build/logs/$name.log"
    grep -h -m3 -E 'ERROR: |SUMMARY: |Test unit written' "$build/logs/$name.log" \
      "$build/logs/$name"/fuzz-*.log 2>/dev/null | sed 's/^/    /' || true
    failed+=("$name")
  else
    echo "fuzz: $name: ok, $runs inputs in ${took}s"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]} (artifacts in $build/artifacts)" >&2
  exit 1
fi
echo "fuzz: all $(( ${#names[@]} - ${#skipped[@]} )) harnesses ran clean${skipped[*]:+ (skipped: ${skipped[*]})}"
