// Pipeline configuration: the lake's smelter.toml.
//
// Every setting is declared once, in the table in config.cpp (section, key,
// default, help). The commented default file written by `smelter init` and
// the reference page (`smelter config --reference`, docs/config.md) are both
// generated from that table, so they cannot drift from the code.
#pragma once

#include <string>

#include "chunk/chunker.h"
#include "clean/cleaner.h"
#include "dedup/dedup_index.h"
#include "dedup/paragraph_counts.h"
#include "dedup/source_priority.h"
#include "enrich/enricher.h"
#include "pii/pii_redactor.h"
#include "quality/quality_rules.h"
#include "core/status.h"
#include "embed/embedder.h"
#include "extract/extractor.h"
#include "index/vector_index.h"

namespace smelter {

struct SearchConfig {
  std::string fusion = "weighted";  // "weighted" (normalized scores) or "rrf" (ranks)
  int rrf_k = 60;                // reciprocal-rank-fusion constant
  float keyword_weight = 1.0f;   // weight of the BM25 list in the fusion
  float vector_weight = 1.0f;    // weight of the vector list in the fusion
  int candidates = 100;          // hits taken from each index before fusion
};

// How extraction is isolated from the rest of the run (see
// pipeline/extraction_worker.h).
struct SandboxConfig {
  std::string isolation = "process";  // "process" (worker processes) or "none" (in-process)
  int timeout_seconds = 120;          // per document
  int memory_limit_mb = 2048;         // per extraction worker, resident
  int max_depth = 5;                  // documents inside documents inside ...
};

struct PipelineConfig {
  int workers = 0;              // 0 = one per core
  bool strict = false;          // exit non-zero when any document is quarantined
};

// The silver stages between extraction and chunking. Their sections hold
// lists and tables ([quality] rules, [enrich.path_tags], ...), so each is
// parsed by its own module (clean_config.h, quality_config.h,
// enrich_config.h, pii_options.h) rather than the scalar settings table.
struct SilverConfig {
  CleanOptions clean;
  bool pii_enabled = true;
  PiiOptions pii;
  std::vector<QualityRule> quality;  // none: every document passes
  EnrichOptions enrich;
  bool dedup_enabled = true;
  dedup::DedupOptions dedup;
  // [dedup.path_priority]: source priority for dedup.policy = "priority".
  std::vector<dedup::PathPriorityRule> dedup_priorities;
  // dedup.paragraphs and its limits: repeated paragraphs left out of chunks.
  dedup::ParagraphOptions paragraphs;
};

struct Config {
  PipelineConfig pipeline;
  ExtractOptions extract;
  SandboxConfig sandbox;
  ChunkOptions chunk;
  EmbedderConfig embed;
  VectorIndexOptions hnsw;
  SearchConfig search;
  SilverConfig silver;
};

// Parses TOML text. Unknown sections or keys and values of the wrong type
// are errors that name the key, so a typo never silently falls back to a
// default.
Result<Config> ParseConfig(const std::string& toml_text, const std::string& origin);

// Reads a config file; NotFound when it does not exist.
Result<Config> LoadConfigFile(const std::string& path);

// The commented default smelter.toml, every setting with its help text.
std::string DefaultConfigText();

// The settings reference as Markdown.
std::string ConfigReferenceMarkdown();

}  // namespace smelter
