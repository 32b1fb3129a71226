#!/usr/bin/env bash
# Bronze-to-gold on text PDFs against bare `pdftotext` and PyMuPDF on the
# same files.
#
# Smelter's figure is the whole `smelter run` (extract with layout analysis,
# Markdown, silver files, chunking, embedding, gold JSONL, HNSW and BM25
# indexes, catalog) with its default parallelism; pdftotext and PyMuPDF
# (`page.get_text()` on every page, the system python3-fitz) are timed both
# one file after another (as they are usually run) and with one process per
# core (xargs -P), the fair comparison for a parallel engine. PyMuPDF's
# per-core run hands each process an equal share of the files, so Python's
# start-up is paid once per core, not once per file.
#
# Smelter's extraction alone (bench/extract_bench: detect, extract with
# layout analysis, Markdown; one thread, one process) is timed too: against
# pdftotext run one file after another, that is the per-core comparison.
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
pages=$(copy_pdfs "$work/pdfs" "$COPIES" "$corpus" "${PDFS[@]}")
nfiles=$(ls "$work/pdfs" | wc -l)

pdftotext_serial() { for f in "$work"/pdfs/*.pdf; do pdftotext "$f" /dev/null; done; }
pdftotext_parallel() { ls "$work"/pdfs/*.pdf | xargs -P "$(nproc)" -I{} pdftotext {} /dev/null; }

# PyMuPDF, from the system Python only (python3-fitz); skipped when absent.
python=/usr/bin/python3
cat > "$work/pymupdf_text.py" <<'EOP'
import sys
import fitz
for path in sys.argv[1:]:
    with fitz.open(path) as doc:
        for page in doc:
            page.get_text()
EOP
# python3-fitz is bench-only: installed here when absent, like the converters.
if [[ -x "$python" ]] && ! "$python" -c 'import fitz' 2>/dev/null; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "pdf-bench: installing python3-fitz"
  $sudo apt-get install -y -qq --no-install-recommends python3-fitz >/dev/null 2>&1 || true
fi
have_pymupdf=0
if [[ -x "$python" ]] && "$python" -c 'import fitz' 2>/dev/null; then have_pymupdf=1; fi
per_core=$(( (nfiles + $(nproc) - 1) / $(nproc) ))
pymupdf_serial() { "$python" "$work/pymupdf_text.py" "$work"/pdfs/*.pdf; }
pymupdf_parallel() { ls "$work"/pdfs/*.pdf | xargs -P "$(nproc)" -n "$per_core" "$python" "$work/pymupdf_text.py"; }
fresh_lake() {
  rm -rf "$work/lake"
  "$smelter" --lake "$work/lake" init
  # Text layers only, as pdftotext and PyMuPDF read them: OCR of the few
  # image-only pages (single_table.pdf) would time Tesseract instead.
  sed -i 's/^# ocr = "auto"/ocr = "off"/' "$work/lake/smelter.toml"
  "$smelter" --lake "$work/lake" ingest -q "$work/pdfs"
}
smelter_run() { "$smelter" --lake "$work/lake" run -q; }
extract_bench="$build/extract_bench"
# The allocator settings smelter gives its extraction workers (pipeline/extraction_worker.cpp).
extract_all() { GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.mxfast=0}" "$extract_bench" "$work"/pdfs/*.pdf >/dev/null; }

t_serial=$(median_seconds pdftotext_serial)
t_parallel=$(median_seconds pdftotext_parallel)
t_smelter=$(BENCH_SETUP=fresh_lake median_seconds smelter_run)
have_extract=0
if [[ -x "$extract_bench" ]]; then have_extract=1; t_extract=$(median_seconds extract_all); fi
if ((have_pymupdf)); then
  t_mu_serial=$(median_seconds pymupdf_serial)
  t_mu_parallel=$(median_seconds pymupdf_parallel)
fi

ps_serial=$(per_second "$pages" "$t_serial")
ps_parallel=$(per_second "$pages" "$t_parallel")
ps_smelter=$(per_second "$pages" "$t_smelter")
r_serial=$(ratio "$ps_smelter" "$ps_serial")
r_parallel=$(ratio "$ps_smelter" "$ps_parallel")
extract_row="| Smelter extraction only (\`extract_bench\` not built: skipped) | | | |"
if ((have_extract)); then
  ps_extract=$(per_second "$pages" "$t_extract")
  r_extract=$(ratio "$ps_extract" "$ps_serial")
  extract_row="| Smelter extraction only (\`extract_bench\`: layout, Markdown; 1 thread) | $t_extract | $ps_extract | ${r_extract}x vs pdftotext one after another |"
fi
mu_rows=""
if ((have_pymupdf)); then
  ps_mu_serial=$(per_second "$pages" "$t_mu_serial")
  ps_mu_parallel=$(per_second "$pages" "$t_mu_parallel")
  r_mu_serial=$(ratio "$ps_smelter" "$ps_mu_serial")
  r_mu_parallel=$(ratio "$ps_smelter" "$ps_mu_parallel")
  mu_rows="| PyMuPDF \`get_text()\`, one file after another | $t_mu_serial | $ps_mu_serial | ${r_mu_serial}x |
| PyMuPDF \`get_text()\`, one process per core | $t_mu_parallel | $ps_mu_parallel | ${r_mu_parallel}x |"
else
  mu_rows="| PyMuPDF (python3-fitz not installed: skipped) | | | |"
fi

body="$work/section.md"
cat > "$body" <<EOT
$(machine_line) $nfiles text PDFs ($pages pages), median of $REPEATS runs.

| command | seconds | pages/s | Smelter / it |
| --- | ---: | ---: | ---: |
| \`smelter run\` (bronze to gold, all stages) | $t_smelter | $ps_smelter | |
$extract_row
| \`pdftotext\`, one file after another | $t_serial | $ps_serial | ${r_serial}x |
| \`pdftotext\`, one process per core | $t_parallel | $ps_parallel | ${r_parallel}x |
$mu_rows

Ratios in the pdftotext and PyMuPDF rows are \`smelter run\`'s pages/s over
theirs. Targets: Smelter's extraction at least pdftotext's speed on one core,
and its whole bronze-to-gold path at least 0.8x bare \`pdftotext\` on all
cores (and at least 1x pdftotext run one file after another).
EOT
echo "== PDF: bronze to gold vs pdftotext and PyMuPDF ($nfiles files, $pages pages)"
printf '  %-44s %8ss %8s pages/s\n' "smelter run (all stages)" "$t_smelter" "$ps_smelter"
if ((have_extract)); then
  printf '  %-44s %8ss %8s pages/s   vs pdftotext serial %sx\n' "smelter extraction only, 1 thread" "$t_extract" "$ps_extract" "$r_extract"
fi
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "pdftotext serial" "$t_serial" "$ps_serial" "$r_serial"
printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "pdftotext, one process per core" "$t_parallel" "$ps_parallel" "$r_parallel"
if ((have_pymupdf)); then
  printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "PyMuPDF get_text(), serial" "$t_mu_serial" "$ps_mu_serial" "$r_mu_serial"
  printf '  %-44s %8ss %8s pages/s   ratio %sx\n' "PyMuPDF get_text(), one process per core" "$t_mu_parallel" "$ps_mu_parallel" "$r_mu_parallel"
else
  echo "  PyMuPDF: /usr/bin/python3 cannot import fitz (apt-get install python3-fitz); skipped"
fi
update_section "$here/../docs/benchmarks.md" "PDF: bronze to gold against pdftotext" "$body"
