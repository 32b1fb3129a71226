// Chunking throughput of LangChain's RecursiveCharacterTextSplitter, the
// baseline for bench/chunk_bench.cpp: same file, chunkSize 1000,
// chunkOverlap 200, same repeats. Prints the median MB/s (MB = 10^6 bytes of
// the file as read from disk, the same denominator as the C++ side) and the
// chunk count, one "key=value" per line.
//
//   node langchain_chunk_bench.mjs FILE [REPEATS]
//
// @langchain/textsplitters is resolved from this script's folder (or a
// node_modules above it); bench/chunk-bench.sh copies the script next to
// the node_modules it installs.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";

const [file, repeatsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node langchain_chunk_bench.mjs FILE [REPEATS]");
  process.exit(2);
}
const repeats = Math.max(1, Number.parseInt(repeatsArg ?? "5", 10) || 5);
const bytes = readFileSync(file);
const text = bytes.toString("utf8");

const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
const rates = [];
let chunks = 0;
let chunkChars = 0;
for (let r = 0; r < repeats; r++) {
  const start = performance.now();
  const out = await splitter.splitText(text);
  const seconds = (performance.now() - start) / 1000;
  rates.push(bytes.length / 1e6 / seconds);
  chunks = out.length;
  chunkChars = out.reduce((sum, c) => sum + c.length, 0);
}
rates.sort((a, b) => a - b);
const mid = Math.floor(repeats / 2);
const median = repeats % 2 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
console.log(`input_bytes=${bytes.length}`);
console.log(`repeats=${repeats}`);
console.log(`mbps=${median.toFixed(1)}`);
console.log(`chunks=${chunks}`);
console.log(`mean_chunk_chars=${chunks ? Math.round(chunkChars / chunks) : 0}`);
