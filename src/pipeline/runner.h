// The batch runner: everything in bronze not yet processed, through silver
// and gold, in parallel.
//
// Worker threads take documents one at a time (so memory is bounded by
// workers x the largest document) and run ProcessDocument; the calling
// thread commits each outcome to the catalog and adds its chunks to the
// indexes. A bounded queue between them keeps finished-but-uncommitted work
// small. Indexes are saved every so often and at the end; chunks committed
// but not yet in a saved index are re-added from gold by the next run, so a
// run killed at any point loses nothing and repeats nothing but the
// documents that were in flight.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "catalog/catalog.h"
#include "core/status.h"
#include "store/lake.h"

namespace smelter {

struct RunOptions {
  int workers = 0;          // 0 = config, then one per core
  bool show_progress = true;
};

// Counts of documents are by where each one ended: gold + duplicates +
// quarantined = documents, and after a run over a fresh lake they equal
// `smelter status`.
struct RunSummary {
  int64_t run_id = 0;
  int64_t documents = 0;     // taken from bronze this run (each once, however often processed)
  int64_t children = 0;      // of those, found inside other documents this run
  int64_t gold = 0;
  int64_t quarantined = 0;
  int64_t duplicates = 0;    // kept out of gold as copies of another document
  int64_t demoted = 0;       // gold before this run, now duplicates of a newer copy (not in `documents`)
  int64_t paragraphs_dropped = 0;  // left out of gold chunks as repeated elsewhere (dedup.paragraphs)
  std::map<std::string, int64_t> quarantined_by_reason;
  int64_t pages = 0;
  int64_t chunks = 0;
  int64_t reindexed_chunks = 0;  // left unindexed by an interrupted run
  std::string model_changed_from;  // the embedding model of the old index, when it changed
  int64_t bytes_in = 0;
  double seconds = 0;
};

Result<RunSummary> RunPipeline(Lake& lake, Catalog& catalog, const RunOptions& options);

}  // namespace smelter
