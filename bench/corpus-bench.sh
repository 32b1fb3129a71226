#!/usr/bin/env bash
# End to end over the whole corpus: documents/s and MB/s of `smelter run`
# (every file, including the ones that end in quarantine), and of ingest.
# Usage: bench/corpus-bench.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build="$(cd "$1" && pwd)"; corpus="$(cd "${2:-$here/../../shared/corpus}" && pwd)"
smelter="$build/smelter"
work="$build/bench/corpus"; rm -rf "$work"; mkdir -p "$work"

files=$(find "$corpus" -type f ! -name '.*' | wc -l)
bytes=$(find "$corpus" -type f ! -name '.*' -printf '%s\n' | awk '{s += $1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }')

init_lake() { rm -rf "$work/lake"; "$smelter" --lake "$work/lake" init; }
ingest() { "$smelter" --lake "$work/lake" ingest -q "$corpus"; }
fresh_lake() { init_lake; ingest; }
run() { "$smelter" --lake "$work/lake" run -q; }

t_ingest=$(BENCH_SETUP=init_lake median_seconds ingest)
t_run=$(BENCH_SETUP=fresh_lake median_seconds run)
fresh_lake >/dev/null 2>&1
summary=$("$smelter" --lake "$work/lake" run --json)
gold=$(echo "$summary" | grep -o '"gold": [0-9]*' | grep -o '[0-9]*')
quarantined=$(echo "$summary" | grep -o '"quarantined": [0-9]*' | grep -o '[0-9]*')

body="$work/section.md"
cat > "$body" <<EOT
$(machine_line) The corpus: $files files, $mb MB (every file, including
those that end in quarantine: $gold gold, $quarantined quarantined). Median of $REPEATS runs.

| stage | seconds | documents/s | MB/s |
| --- | ---: | ---: | ---: |
| \`smelter ingest\` (hash + copy to bronze) | $t_ingest | $(per_second "$files" "$t_ingest") | $(per_second "$mb" "$t_ingest") |
| \`smelter run\` (bronze to gold) | $t_run | $(per_second "$files" "$t_run") | $(per_second "$mb" "$t_run") |
EOT
echo "== Corpus end to end ($files files, $mb MB; $gold gold, $quarantined quarantined)"
printf '  %-12s %8ss %8s docs/s %8s MB/s\n' ingest "$t_ingest" "$(per_second "$files" "$t_ingest")" "$(per_second "$mb" "$t_ingest")"
printf '  %-12s %8ss %8s docs/s %8s MB/s\n' run "$t_run" "$(per_second "$files" "$t_run")" "$(per_second "$mb" "$t_run")"
update_section "$here/../docs/benchmarks.md" "Corpus end to end" "$body"
