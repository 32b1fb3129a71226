#!/usr/bin/env bash
# Runs every benchmark; each prints its figures and rewrites its own section
# of docs/benchmarks.md. Usage: bench/run-all.sh BUILD_DIR [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
corpus="${2:-${SMELTER_CORPUS_DIR:-$here/../../shared/corpus}}"
if [[ ! -f "$corpus/README.md" ]]; then
  echo "bench: the document corpus was not found at $corpus (set SMELTER_CORPUS_DIR)" >&2
  exit 1
fi
"$here/pdf-bench.sh" "$build" "$corpus"
"$here/ocr-bench.sh" "$build" "$corpus"
"$here/convert-bench.sh" "$build" "$corpus"
"$here/memory-bench.sh" "$build" "$corpus"
"$here/corpus-bench.sh" "$build" "$corpus"
"$here/chunk-bench.sh" "$build" "$corpus"
"$here/dedup-bench.sh" "$build"
"$here/pii-bench.sh" "$build"
"$here/encoder-bench.sh" "$build"
echo
echo "Results written to docs/benchmarks.md"
