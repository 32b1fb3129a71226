#!/usr/bin/env bash
# Bronze-to-gold on text PDFs against bare `pdftotext` on the same files.
#
# Smelter's figure is the whole `smelter run` (extract, Markdown, silver
# files, chunking, embedding, gold JSONL, HNSW and BM25 indexes, catalog)
# with its default parallelism; pdftotext is timed both one file after
# another (as it is usually run) and with one process per core (xargs -P),
# the fair comparison for a parallel engine.
# Usage: bench/pdf-bench.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build="$(cd "$1" && pwd)"; corpus="$(cd "${2:-$here/../../shared/corpus}" && pwd)"
smelter="$build/smelter"
work="$build/bench/pdf"; rm -rf "$work"; mkdir -p "$work/pdfs"

# Born-digital PDFs with a real text layer (corpus README), several copies
# so that a run lasts long enough to measure.
PDFS=(tracemonkey.pdf TAMReview.pdf GeoTopo-komprimiert.pdf redp5110_sampled.pdf reliance.pdf
      layout-parser-paper-fast.pdf 2305.03393v1-pg9.pdf korean-text-with-tables.pdf
      single_table.pdf multi-column-2p.pdf pdfjs_wikipedia.pdf)
COPIES="${PDF_COPIES:-3}"
pages=0
for ((c = 0; c < COPIES; c++)); do
  for f in "${PDFS[@]}"; do
    # A trailing comment makes each copy distinct bytes (bronze stores identical bytes once).
    { cat "$corpus/$f"; printf '\n%% copy %d\n' "$c"; } > "$work/pdfs/$c-$f"
    p=$(pdfinfo "$work/pdfs/$c-$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
    pages=$((pages + p))
  done
done
nfiles=$(ls "$work/pdfs" | wc -l)

pdftotext_serial() { for f in "$work"/pdfs/*.pdf; do pdftotext "$f" /dev/null; done; }
pdftotext_parallel() { ls "$work"/pdfs/*.pdf | xargs -P "$(nproc)" -I{} pdftotext {} /dev/null; }
fresh_lake() {
  rm -rf "$work/lake"
  "$smelter" --lake "$work/lake" init
  "$smelter" --lake "$work/lake" ingest -q "$work/pdfs"
}
smelter_run() { "$smelter" --lake "$work/lake" run -q; }

t_serial=$(median_seconds pdftotext_serial)
t_parallel=$(median_seconds pdftotext_parallel)
t_smelter=$(BENCH_SETUP=fresh_lake median_seconds smelter_run)

ps_serial=$(per_second "$pages" "$t_serial")
ps_parallel=$(per_second "$pages" "$t_parallel")
ps_smelter=$(per_second "$pages" "$t_smelter")
r_serial=$(ratio "$ps_smelter" "$ps_serial")
r_parallel=$(ratio "$ps_smelter" "$ps_parallel")

body="$work/section.md"
cat > "$body" <<EOT
$(machine_line) $nfiles text PDFs ($pages pages), median of $REPEATS runs.

| command | seconds | pages/s | Smelter / it |
| --- | ---: | ---: | ---: |
| \`smelter run\` (bronze to gold, all stages) | $t_smelter | $ps_smelter | |
| \`pdftotext\`, one file after another | $t_serial | $ps_serial | ${r_serial}x |
| \`pdftotext\`, one process per core | $t_parallel | $ps_parallel | ${r_parallel}x |

Target: Smelter's whole bronze-to-gold path at least 0.8x bare \`pdftotext\`.
EOT
echo "== PDF: bronze to gold vs pdftotext ($nfiles files, $pages pages)"
printf '  %-44s %8ss %8s pages/s\n' "smelter run (all stages)" "$t_smelter" "$ps_smelter"
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "pdftotext serial" "$t_serial" "$ps_serial" "$r_serial"
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "pdftotext, one process per core" "$t_parallel" "$ps_parallel" "$r_parallel"
update_section "$here/../docs/benchmarks.md" "PDF: bronze to gold against pdftotext" "$body"
