#!/usr/bin/env bash
# Chunking throughput: Smelter's ChunkText against LangChain's
# RecursiveCharacterTextSplitter on the same ~20 MB of text, both in
# characters with chunk size 1000 and overlap 200, median of REPEATS runs in
# one process each. Prints both and the ratio, and rewrites the "Chunking"
# section of docs/benchmarks.md.
#
# Usage: bench/chunk-bench.sh CHUNK_BENCH|BUILD_DIR [CORPUS_DIR]
#   CHUNK_BENCH  the compiled bench/chunk_bench.cpp (this script builds
#                nothing); given a build folder, its chunk_bench is used.
#   CORPUS_DIR   its *.txt and *.md files make the input (default
#                ../shared/corpus next to the repository).
# Needs Node.js >= 18 and npm; @langchain/textsplitters is installed with
# npm into BUILD_DIR/bench/langchain-node on first use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/lib.sh"

target="${1:?usage: bench/chunk-bench.sh CHUNK_BENCH|BUILD_DIR [CORPUS_DIR]}"
if [[ -d "$target" ]]; then
  build="$(cd "$target" && pwd)"
  bin=""
  for candidate in "$build/chunk_bench" "$build/bench/chunk_bench"; do
    if [[ -x "$candidate" ]]; then bin="$candidate"; break; fi
  done
  [[ -n "$bin" ]] || { echo "chunk-bench: no chunk_bench in $build (build the chunk_bench target)" >&2; exit 1; }
else
  [[ -x "$target" ]] || { echo "chunk-bench: $target is not an executable" >&2; exit 1; }
  bin="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
  build="$(dirname "$bin")"
fi
corpus="$(cd "${2:-${SMELTER_CORPUS_DIR:-$repo/../shared/corpus}}" && pwd)"
work="$build/bench/chunk"
mkdir -p "$work"

command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "chunk-bench: node and npm are needed for the LangChain side" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= 18 )) || { echo "chunk-bench: Node.js >= 18 needed, found $(node --version)" >&2; exit 1; }

# LangChain, installed once under the build folder.
modules="$build/bench/langchain-node"
if [[ ! -f "$modules/node_modules/@langchain/textsplitters/package.json" ]]; then
  echo "chunk-bench: installing @langchain/textsplitters into $modules"
  mkdir -p "$modules"
  [[ -f "$modules/package.json" ]] || echo '{ "private": true, "type": "module" }' > "$modules/package.json"
  npm install --prefix "$modules" --no-audit --no-fund --loglevel=error \
    @langchain/textsplitters @langchain/core >/dev/null
fi
# ES modules resolve packages from the script's own folder: run a copy there.
cp "$here/langchain_chunk_bench.mjs" "$modules/langchain_chunk_bench.mjs"
lc_version=$(node -p "require('$modules/node_modules/@langchain/textsplitters/package.json').version")

# The input: every valid UTF-8 text and Markdown file of the corpus,
# concatenated (a blank line between files) and repeated to ~20 MB.
input="$work/input.txt"
one="$work/corpus-once.txt"
: > "$one"
files=0
while IFS= read -r -d '' f; do
  [[ -s "$f" ]] || continue
  iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || continue  # both sides must read the same text
  cat "$f" >> "$one"
  printf '\n\n' >> "$one"
  files=$((files + 1))
done < <(find "$corpus" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) -print0 | sort -z)
once=$(stat -c %s "$one")
(( once > 0 )) || { echo "chunk-bench: no text or Markdown files in $corpus" >&2; exit 1; }
target_bytes=$((20 * 1000 * 1000))
: > "$input"
while (( $(stat -c %s "$input") < target_bytes )); do cat "$one" >> "$input"; done
bytes=$(stat -c %s "$input")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
non_ascii=$(LC_ALL=C tr -d '\000-\177' < "$one" | wc -c)
non_ascii_pct=$(awk -v n="$non_ascii" -v t="$once" 'BEGIN { printf "%.0f", 100 * n / t }')

field() { grep "^$1=" | cut -d= -f2; }
echo "== Chunking: $mb MB from $files text/Markdown files, chunk 1000 chars, overlap 200, median of $REPEATS"
ours=$("$bin" "$input" "$REPEATS" 1000 200 chars)
theirs=$(cd "$modules" && node langchain_chunk_bench.mjs "$input" "$REPEATS")
ours_mbps=$(echo "$ours" | field mbps); ours_chunks=$(echo "$ours" | field chunks)
ours_mean=$(echo "$ours" | field mean_chunk_bytes)
theirs_mbps=$(echo "$theirs" | field mbps); theirs_chunks=$(echo "$theirs" | field chunks)
theirs_mean=$(echo "$theirs" | field mean_chunk_chars)
speedup=$(ratio "$ours_mbps" "$theirs_mbps")
printf '  %-48s %8s MB/s %7s chunks\n' "smelter ChunkText" "$ours_mbps" "$ours_chunks"
printf '  %-48s %8s MB/s %7s chunks\n' "LangChain RecursiveCharacterTextSplitter $lc_version" "$theirs_mbps" "$theirs_chunks"
echo "  ratio: ${speedup}x"

body="$work/section.md"
cat > "$body" <<EOT
$(machine_line)
Input: $mb MB, the corpus's $files valid UTF-8 text and Markdown files concatenated
and repeated ($non_ascii_pct% of the bytes are non-ASCII: the corpus has a text in
hundreds of languages). Both split by characters, chunk size 1000, overlap 200,
in one process, timed around the split call only; median of $REPEATS runs, MB = 10^6
bytes of input. Run \`bench/chunk-bench.sh BUILD_DIR\` to reproduce.

| splitter | MB/s | chunks | mean chunk |
| --- | ---: | ---: | ---: |
| Smelter \`ChunkText\`, chars mode (C++) | $ours_mbps | $ours_chunks | $ours_mean bytes |
| LangChain \`RecursiveCharacterTextSplitter\` $lc_version (Node $(node --version)) | $theirs_mbps | $theirs_chunks | $theirs_mean chars |

Smelter is **${speedup}x** as fast. The work is not identical: Smelter ends chunks
at sentence ends where it can (LangChain at paragraph, line or word breaks),
counts code points (LangChain UTF-16 units), copies each chunk's text and also
fills in its offsets and token count.
EOT
update_section "$repo/docs/benchmarks.md" "Chunking" "$body"
