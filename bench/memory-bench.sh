#!/usr/bin/env bash
# Peak memory of extraction on the corpus's largest DOCX and HTML files,
# beside the converters the speed benchmarks compare with.
#
# Each figure is the peak resident set (ru_maxrss, via /usr/bin/time) of
# one whole process, median of REPEATS runs. Smelter's is extract_bench
# (detect, extract, Markdown; the code an extraction worker runs) with the
# workers' allocator settings; its start-up alone (no file) is measured too,
# so the extraction's own share is the difference. The worker limit that
# bounds it in `smelter run` is extract.memory_limit_mb (default 2048).
# Usage: bench/memory-bench.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build="$(cd "$1" && pwd)"; corpus="$(cd "${2:-$here/../../shared/corpus}" && pwd)"
extract_bench="$build/extract_bench"
[[ -x "$extract_bench" ]] || { echo "memory-bench: $extract_bench missing (build the extract_bench target)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "memory-bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
work="$build/bench/memory"; rm -rf "$work"; mkdir -p "$work"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.mxfast=0}"

# median_peak_mib CMD...: the median over REPEATS runs of CMD's peak RSS, MiB.
median_peak_mib() {
  local i peaks=()
  for ((i = 0; i < REPEATS; i++)); do
    /usr/bin/time -f '%M' -o "$work/peak" "$@" >/dev/null 2>&1 || true
    peaks+=("$(tail -1 "$work/peak")")
  done
  printf '%s\n' "${peaks[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] / 1024}'
}

base=$(median_peak_mib "$extract_bench")
rows=""
for f in handbook-872p.docx example-10k.html; do
  size=$(awk -v b="$(stat -c %s "$corpus/$f")" 'BEGIN { printf "%.1f", b / 1048576 }')
  ours=$(median_peak_mib "$extract_bench" "$corpus/$f")
  own=$(awk -v a="$ours" -v b="$base" 'BEGIN { printf "%.1f", a - b }')
  peer="" peer_name=""
  case "$f" in
    *.docx) if command -v pandoc >/dev/null; then peer_name="pandoc -f docx -t markdown"; peer=$(median_peak_mib pandoc -f docx -t markdown -o /dev/null "$corpus/$f"); fi ;;
    *.html) if command -v html2text >/dev/null; then peer_name="html2text -utf8 -nobs"; peer=$(median_peak_mib html2text -utf8 -nobs -o /dev/null "$corpus/$f"); fi ;;
  esac
  rows+="| $f ($size MiB) | $ours | $own | ${peer_name:+\`$peer_name\`: }${peer:-not installed} |"$'\n'
  printf '  %-32s smelter %7s MiB (extraction %6s MiB)   %s %s MiB\n' "$f" "$ours" "$own" "${peer_name:-peer}" "${peer:--}"
done

body="$work/section.md"
{
  echo "$(machine_line) Peak resident set of one process, median of $REPEATS runs; Smelter's"
  echo "start-up alone (loading its libraries, no file) peaks at $base MiB."
  echo
  echo "| file | Smelter peak MiB | of it, extraction | converter peak MiB |"
  echo "| --- | ---: | ---: | ---: |"
  printf '%s' "$rows"
  echo
  echo "In \`smelter run\` each document is extracted in a worker process whose"
  echo "resident set is bounded by \`extract.memory_limit_mb\` (default 2048): a document"
  echo "that needs more is quarantined as \"memory limit\". \`PeakMemoryTest\` in the unit"
  echo "tests bounds both figures (256 and 96 MiB over the start-up)."
} > "$body"
update_section "$here/../docs/benchmarks.md" "Peak memory of extraction" "$body"
