# Shared helpers for the benchmark scripts (sourced, not run).
#
# Timing: every figure is the median of REPEATS runs of a whole command,
# measured with the monotonic clock; the machine is shared and noisy, so
# single runs are never quoted.

REPEATS="${REPEATS:-5}"

now_ns() { date +%s%N; }

# median_seconds CMD... : runs CMD REPEATS times (its output discarded) and
# prints the median wall time in seconds. A setup function named in
# BENCH_SETUP (if set) runs untimed before each repeat.
median_seconds() {
  local times=() i start end
  for ((i = 0; i < REPEATS; i++)); do
    if [[ -n "${BENCH_SETUP:-}" ]]; then "$BENCH_SETUP" >/dev/null 2>&1; fi
    start=$(now_ns)
    "$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; return 1; }
    end=$(now_ns)
    times+=("$(( end - start ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.4f\n", m / 1e9}'
}

# ratio A B: A / B with 2 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# per_second COUNT SECONDS
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }

# update_section FILE TITLE BODY_FILE: replaces the "## TITLE" section of a
# Markdown file (up to the next "## " heading) with the body, or appends it.
update_section() {
  local file="$1" title="$2" body="$3"
  [[ -f "$file" ]] || printf '# Benchmarks\n\nProduced by `make bench`; every figure is a median of repeated runs.\n' > "$file"
  awk -v title="## $title" -v body="$body" '
    BEGIN { while ((getline line < body) > 0) text = text line "\n" }
    $0 == title { print title; printf "\n%s", text; skip = 1; done = 1; next }
    skip && /^## / { skip = 0; print "" }
    !skip { print }
    END { if (!done) { print ""; print title; printf "\n%s", text } }
  ' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
}

machine_line() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -m); $(date -u +%Y-%m-%d)."
}

# copy_pdfs DEST COPIES CORPUS FILE...: COPIES copies of each corpus PDF into
# DEST, each with a trailing comment so that every copy is distinct bytes
# (bronze stores identical bytes once). Prints the total page count.
copy_pdfs() {
  local dest="$1" copies="$2" corpus="$3" c f p pages=0
  shift 3
  for ((c = 0; c < copies; c++)); do
    for f in "$@"; do
      { cat "$corpus/$f"; printf '\n%% copy %d\n' "$c"; } > "$dest/$c-$f"
      p=$(pdfinfo "$dest/$c-$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
      pages=$((pages + p))
    done
  done
  echo "$pages"
}
