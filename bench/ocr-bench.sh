#!/usr/bin/env bash
# Scanned PDFs: bronze to gold with OCR against the `tesseract` command.
#
# Smelter's figure is the whole `smelter run` (extract with OCR of the pages
# that lack a text layer, Markdown, chunking, embedding, indexes, catalog)
# with its default settings (300 dpi, pages of all documents in parallel,
# one Tesseract thread each). The baseline is what a user without Smelter
# does: render every page with `pdftoppm -r 300` and run `tesseract page.png -`
# on each page, one after another (Tesseract then uses its own OpenMP
# threads). A second baseline runs one page per core (xargs -P, with
# OMP_THREAD_LIMIT=1), the fair comparison for a parallel engine.
#
# The set includes pdf-with-ocr-text.pdf, a scan that already carries a text
# layer: Smelter reads that layer and OCRs nothing, the naive baseline OCRs
# the page anyway. Pages/s counts every page of every file on both sides.
# Usage: bench/ocr-bench.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build="$(cd "$1" && pwd)"; corpus="$(cd "${2:-$here/../../shared/corpus}" && pwd)"
smelter="$build/smelter"
work="$build/bench/ocr"; rm -rf "$work"; mkdir -p "$work/pdfs" "$work/pages"
for tool in pdftoppm pdfinfo tesseract; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

# Scanned PDFs of the corpus (README: no usable text layer), plus one scan
# with an OCR text layer; copies so that a run lasts long enough to measure.
PDFS=(nemotron_multipage.pdf loremipsum-flat.pdf scan-bad.pdf pdf-with-ocr-text.pdf)
COPIES="${OCR_COPIES:-2}"
pages=$(copy_pdfs "$work/pdfs" "$COPIES" "$corpus" "${PDFS[@]}")
nfiles=$(ls "$work/pdfs" | wc -l)

# One page: render, recognise, throw the text away (as `tesseract ... -`
# printing to a terminal would).
ocr_page() {
  local pdf="$1" page="$2" out
  out="$work/pages/$(basename "$pdf" .pdf)-$page"
  pdftoppm -r 300 -f "$page" -l "$page" -singlefile -png "$pdf" "$out"
  tesseract "$out.png" - >/dev/null 2>&1
  rm -f "$out.png"
}
export -f ocr_page; export work
page_list() {
  for f in "$work"/pdfs/*.pdf; do
    n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
    for ((k = 1; k <= n; k++)); do echo "$f $k"; done
  done
}
page_list > "$work/page-list"
tesseract_serial() { while read -r f k; do ocr_page "$f" "$k"; done < "$work/page-list"; }
tesseract_parallel() { OMP_THREAD_LIMIT=1 xargs -P "$(nproc)" -n 2 bash -c 'ocr_page "$0" "$1"' < "$work/page-list"; }
fresh_lake() {
  rm -rf "$work/lake"
  "$smelter" --lake "$work/lake" init
  "$smelter" --lake "$work/lake" ingest -q "$work/pdfs"
}
smelter_run() { "$smelter" --lake "$work/lake" run -q; }

t_smelter=$(BENCH_SETUP=fresh_lake median_seconds smelter_run)
# The lake of the last run must hold the recognised text: without OCR the
# scans are quarantined as empty in no time, and the figure would be a lie.
for words in "Docling bundles" "Lorem ipsum"; do
  if ! grep -rqs --include='*.md' "$words" "$work/lake"; then
    echo "bench: smelter did not OCR the scanned PDFs (no \"$words\" in $work/lake); is OCR wired into the PDF extractor?" >&2
    exit 1
  fi
done
t_serial=$(median_seconds tesseract_serial)
t_parallel=$(median_seconds tesseract_parallel)

# OCR is slow: pages/s with two decimals.
pps() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }
ps_smelter=$(pps "$pages" "$t_smelter")
ps_serial=$(pps "$pages" "$t_serial")
ps_parallel=$(pps "$pages" "$t_parallel")
r_serial=$(ratio "$t_serial" "$t_smelter")
r_parallel=$(ratio "$t_parallel" "$t_smelter")
version=$(tesseract --version 2>&1 | head -1)

body="$work/section.md"
cat > "$body" <<EOT
$(machine_line) $nfiles scanned PDFs ($pages pages: ${PDFS[*]}, $COPIES copies each), 300 dpi, $version, median of $REPEATS runs.

| command | seconds | pages/s | Smelter / it |
| --- | ---: | ---: | ---: |
| \`smelter run\` (bronze to gold with OCR, all stages) | $t_smelter | $ps_smelter | |
| \`pdftoppm -r 300\` + \`tesseract page.png -\`, page after page | $t_serial | $ps_serial | ${r_serial}x |
| the same, one page per core (\`OMP_THREAD_LIMIT=1\`, \`xargs -P\`) | $t_parallel | $ps_parallel | ${r_parallel}x |

Target: Smelter at least 1.5x the page-after-page \`tesseract\` command. The work is
not identical: Smelter skips OCR on the page that has a text layer
(pdf-with-ocr-text.pdf), turns upside-down pages (two of nemotron_multipage.pdf's
four) upright and recognises them again, and runs every later stage too.
EOT
echo "== OCR: scanned PDFs, bronze to gold vs tesseract ($nfiles files, $pages pages)"
printf '  %-44s %8ss %8s pages/s\n' "smelter run (all stages)" "$t_smelter" "$ps_smelter"
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "tesseract page after page" "$t_serial" "$ps_serial" "$r_serial"
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "tesseract, one page per core" "$t_parallel" "$ps_parallel" "$r_parallel"
update_section "$here/../docs/benchmarks.md" "OCR: scanned PDFs against tesseract" "$body"
