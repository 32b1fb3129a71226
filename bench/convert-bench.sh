#!/usr/bin/env bash
# HTML and DOCX to text: MB/s of Smelter's extraction against `html2text`
# and `pandoc` on the same corpus files.
#
# Smelter is measured two ways: extraction only (bench/extract_bench:
# detect, extract, render Markdown; one thread, files one after another,
# like the converters) and the whole `smelter run` (bronze to gold,
# chunking and embedding included, default parallelism). pandoc and
# html2text run once per file, one file after another, as they are used.
#
# Every tool's output for every file is checked first; a file on which any
# tool fails or produces garbage (NUL or C1 control characters, a UTF-16
# byte-order mark read as Latin-1 "ÿþ", many U+FFFD or invalid UTF-8 bytes
# (over 3 and over 0.1% of the characters), or the file's known
# phrase missing) is reported as "garbage on FILE" and left out of every
# tool's timing, so all tools are timed on the same bytes.
#
# The corpus files are small (2.9 MB of HTML), so each tool is timed on
# COPIES copies of them (default 5): extract_bench then pays its start-up
# (~20 ms of loading its 99 shared libraries, printed below) once per
# batch, as `smelter run` does, while the converters still start once per
# file as they are used. `smelter run` is timed on one copy (copies of the
# same bytes are stored once in bronze).
# Usage: bench/convert-bench.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
build="$(cd "$1" && pwd)"; corpus="$(cd "${2:-$here/../../shared/corpus}" && pwd)"
smelter="$build/smelter"
extract_bench="${EXTRACT_BENCH:-$build/extract_bench}"
work="$build/bench/convert"; rm -rf "$work"; mkdir -p "$work"
COPIES="${COPIES:-5}"

# The tools compared with are bench-only; install them when absent.
need=()
command -v pandoc >/dev/null || need+=(pandoc)
command -v html2text >/dev/null || need+=(html2text)
if [[ ${#need[@]} -gt 0 ]]; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "convert-bench: installing ${need[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ ! -x "$smelter" ]]; then
  echo "convert-bench: $smelter missing; \`smelter run\` figures skipped" >&2
fi
if [[ ! -x "$extract_bench" ]]; then
  echo "convert-bench: $extract_bench missing; extraction-only figures skipped" >&2
  extract_bench=""
fi

HTML=(example-10k.html example-10k-1p.html wiki_duck.html example-with-scripts.html resume.html
      ideas-page.html example-steelJIS-datasheet.html example-steelJIS-datasheet-utf-16.html
      fake-html-cp1252.html)
DOCX=(handbook-872p.docx handbook-1p.docx handbook-1p-no-rendered-page-breaks.docx
      contains-pictures.docx docx-tables.docx duplicate-paragraphs.docx Strict.docx
      Transitional.docx testWORD_various.docx word_tables.docx)
# A phrase each tool's text must contain (compared on letters and digits
# only, ignoring case, so that line wrapping and table borders do not matter).
declare -A PHRASE=(
  [example-10k.html]="Cheryl A. Kondra" [example-10k-1p.html]="Galaxy Gaming"
  [wiki_duck.html]="common name for numerous species of waterfowl"
  [example-with-scripts.html]="Russian Offensive Campaign Assessment"
  [resume.html]="Здравствуйте" [ideas-page.html]="January 2023"
  [example-steelJIS-datasheet.html]="Chromium molybdenum steel"
  [example-steelJIS-datasheet-utf-16.html]="Chromium molybdenum steel"
  [fake-html-cp1252.html]="Die schöne Frau"
  [handbook-872p.docx]="Uniform Depository Agreement" [handbook-1p.docx]="United States Trustee appoints"
  [handbook-1p-no-rendered-page-breaks.docx]="United States Trustee appoints"
  [contains-pictures.docx]="Lorem ipsum dolor sit amet" [docx-tables.docx]="Simple uniform table"
  [duplicate-paragraphs.docx]="This document contains duplicates" [Strict.docx]="Some text"
  [Transitional.docx]="Some text" [testWORD_various.docx]="Number bullet"
  [word_tables.docx]="Test with tables"
)

# mb_per_second MB SECONDS: like per_second, with the precision small inputs need.
mb_per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }

# check_output FILE PHRASE: prints "ok" or why the text is garbage.
check_output() {
  python3 - "$1" "$2" <<'PY'
import re, sys, unicodedata
path, phrase = sys.argv[1], sys.argv[2]
try:
    raw = open(path, 'rb').read()
except OSError:
    print("no output"); sys.exit()
text = raw.decode('utf-8', errors='replace')  # invalid bytes count as U+FFFD
nul = text.count('\0')
c1 = sum(1 for ch in text if 0x80 <= ord(ch) <= 0x9f)
fffd = text.count('\ufffd')
norm = lambda s: ''.join(ch for ch in unicodedata.normalize('NFC', s).casefold() if ch.isalnum())
if nul: print(f"{nul} NUL characters")
elif 'ÿþ' in text or 'þÿ' in text: print("UTF-16 byte-order mark read as Latin-1")
elif c1: print(f"{c1} C1 control characters")
elif fffd > max(3, len(text) // 1000): print(f"{fffd} U+FFFD characters")
elif norm(phrase) not in norm(text): print(f"phrase \"{phrase}\" missing")
else: print("ok")
PY
}

# convert TOOL FILE OUT: one file with one tool (Smelter is batched below).
convert() {
  case "$1" in
    html2text) html2text -utf8 -nobs -o "$3" "$2" ;;
    pandoc-html) pandoc -f html -t plain -o "$3" "$2" ;;
    pandoc-docx) pandoc -f docx -t markdown -o "$3" "$2" ;;
  esac
}

# bench_format NAME TOOL... -- FILE...: checks, times and prints one format;
# the last tool listed is the one the target ratio is against.
bench_format() {
  local format="$1"; shift
  local tools=() files=() good=() tool f verdict
  while [[ "$1" != -- ]]; do tools+=("$1"); shift; done; shift
  files=("$@")
  local dir="$work/$format"; mkdir -p "$dir/in"
  for f in "${files[@]}"; do cp "$corpus/$f" "$dir/in/"; done

  # 1. Quality: every tool once on every file.
  declare -A bad=()
  for tool in smelter "${tools[@]}"; do
    mkdir -p "$dir/out/$tool"
    if [[ $tool == smelter ]]; then
      [[ -n "$extract_bench" ]] || continue
      "$extract_bench" --out "$dir/out/smelter" "${files[@]/#/$dir/in/}" >/dev/null 2>"$dir/out/smelter.err" || true
    fi
    for f in "${files[@]}"; do
      if [[ $tool != smelter ]]; then
        convert "$tool" "$dir/in/$f" "$dir/out/$tool/$f.md" >/dev/null 2>&1 || rm -f "$dir/out/$tool/$f.md"
      fi
      verdict=$(check_output "$dir/out/$tool/$f.md" "${PHRASE[$f]}")
      if [[ "$verdict" != ok ]]; then
        echo "  garbage on $f ($tool: $verdict)"
        bad[$f]+="${bad[$f]:+; }$tool: $verdict"
      fi
    done
  done
  for f in "${files[@]}"; do [[ -n "${bad[$f]:-}" ]] || good+=("$f"); done
  local bytes=0
  for f in "${good[@]}"; do bytes=$((bytes + $(stat -c %s "$dir/in/$f"))); done
  local mb1 mb; mb1=$(awk -v b="$bytes" 'BEGIN { printf "%.3f", b / 1e6 }')
  mb=$(awk -v b="$bytes" -v c="$COPIES" 'BEGIN { printf "%.3f", b * c / 1e6 }')

  # 2. Speed, on the files every tool handles, COPIES times over.
  mkdir -p "$dir/good" "$dir/once"
  local timed=() c
  for f in "${good[@]}"; do cp "$dir/in/$f" "$dir/once/$f"; done
  for ((c = 1; c <= COPIES; c++)); do
    for f in "${good[@]}"; do cp "$dir/in/$f" "$dir/good/$c-$f"; timed+=("$c-$f"); done
  done
  local rows=() t mbs
  per_file() { local g; for g in "${timed[@]}"; do convert "$1" "$dir/good/$g" /dev/null; done; }
  fresh_lake() {
    rm -rf "$dir/lake"
    "$smelter" --lake "$dir/lake" init
    "$smelter" --lake "$dir/lake" ingest -q "$dir/once"
  }
  smelter_run() { "$smelter" --lake "$dir/lake" run -q; }
  # The allocator settings smelter gives its extraction workers (see
  # pipeline/runner.cpp), so this measures extraction as the pipeline runs it.
  extract_all() { GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.mxfast=0}" "$extract_bench" "${timed[@]/#/$dir/good/}"; }
  extract_nothing() { "$extract_bench" || true; }  # no file: start-up only (it exits 2: usage)
  declare -A secs=()
  [[ -z "$extract_bench" ]] || secs[extract]=$(median_seconds extract_all)
  [[ -z "$extract_bench" ]] || secs[startup]=$(median_seconds extract_nothing)
  [[ ! -x "$smelter" ]] || secs[run]=$(BENCH_SETUP=fresh_lake median_seconds smelter_run)
  for tool in "${tools[@]}"; do secs[$tool]=$(median_seconds per_file "$tool"); done

  local base="${secs[extract]:-${secs[run]:-0}}" target_tool="${tools[-1]}"
  local base_mbs; base_mbs=$(mb_per_second "$mb" "$base")
  local section="$dir/section.md"
  {
    echo "$(machine_line) ${#good[@]} $format files ($mb1 MB) $COPIES times over: $mb MB, median of $REPEATS runs."
    echo
    echo "| command | seconds | MB/s | Smelter / it |"
    echo "| --- | ---: | ---: | ---: |"
    [[ -z "$extract_bench" ]] || echo "| Smelter extraction only (\`extract_bench\`: detect, extract, Markdown; 1 thread; start-up ${secs[startup]} s included) | ${secs[extract]} | $base_mbs | |"
    [[ -z "${secs[run]:-}" ]] || echo "| \`smelter run\` on one copy (bronze to gold, embedding included, all cores) | ${secs[run]} | $(mb_per_second "$mb1" "${secs[run]}") | |"
    for tool in "${tools[@]}"; do
      mbs=$(mb_per_second "$mb" "${secs[$tool]}")
      echo "| \`$(tool_command "$tool")\`, one file after another | ${secs[$tool]} | $mbs | $(ratio "${secs[$tool]}" "$base")x |"
    done
    if [[ ${#bad[@]} -gt 0 ]]; then
      echo
      echo "Left out of the timing (a tool failed or produced garbage):"
      for f in "${files[@]}"; do [[ -z "${bad[$f]:-}" ]] || echo "- $f: ${bad[$f]}"; done
    fi
  } > "$section"

  echo "== $format to text (${#good[@]} files x $COPIES, $mb MB)"
  [[ -z "$extract_bench" ]] || printf '  %-40s %8ss %8s MB/s (start-up %ss)\n' "smelter extraction only" "${secs[extract]}" "$base_mbs" "${secs[startup]}"
  [[ -z "${secs[run]:-}" ]] || printf '  %-40s %8ss %8s MB/s\n' "smelter run, one copy (all stages)" "${secs[run]}" "$(mb_per_second "$mb1" "${secs[run]}")"
  for tool in "${tools[@]}"; do
    printf '  %-40s %8ss %8s MB/s   ratio %sx\n' "$(tool_command "$tool")" "${secs[$tool]}" \
      "$(mb_per_second "$mb" "${secs[$tool]}")" "$(ratio "${secs[$tool]}" "$base")"
  done
  RESULT_RATIO=$(ratio "${secs[$target_tool]}" "$base")
}

tool_command() {
  case "$1" in
    html2text) echo "html2text -utf8 -nobs" ;;
    pandoc-html) echo "pandoc -f html -t plain" ;;
    pandoc-docx) echo "pandoc -f docx -t markdown" ;;
  esac
}

bench_format HTML pandoc-html html2text -- "${HTML[@]}"
html_ratio=$RESULT_RATIO; html_section="$work/HTML/section.md"
bench_format DOCX pandoc-docx -- "${DOCX[@]}"
docx_ratio=$RESULT_RATIO; docx_section="$work/DOCX/section.md"

body="$work/section.md"
{
  echo "Smelter's ratio is against its extraction-only figure (\`smelter run\` when"
  echo "extract_bench is not built). Targets: HTML at least 5x \`html2text\` (now ${html_ratio}x),"
  echo "DOCX at least 20x \`pandoc\` (now ${docx_ratio}x)."
  echo
  echo "### HTML"
  echo
  cat "$html_section"
  echo
  echo "### DOCX"
  echo
  cat "$docx_section"
} > "$body"
echo "  targets: HTML >= 5x html2text: ${html_ratio}x; DOCX >= 20x pandoc: ${docx_ratio}x"
update_section "$here/../docs/benchmarks.md" "HTML and DOCX to text against pandoc and html2text" "$body"
