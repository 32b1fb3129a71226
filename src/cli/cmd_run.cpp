#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "store/lake_lock.h"
#include "pipeline/progress.h"
#include "pipeline/runner.h"

namespace smelter::cli {

const CommandSpec kRunSpec = {
    "run",
    "smelter run [options]",
    "process everything in bronze through silver and gold",
    "Extracts, renders Markdown (silver), chunks, embeds and indexes (gold) every\n"
    "document not processed yet, in parallel. A file that cannot be processed is\n"
    "quarantined with its reason and the run goes on. Safe to interrupt: the next\n"
    "run finishes the work without redoing what was committed.",
    {{"workers", 'j', "N", "documents in parallel (default: pipeline.workers, else one per core)"},
     {"strict", 0, "", "exit with status 3 when any document is quarantined"},
     {"json", 0, "", "print the summary as JSON"},
     {"quiet", 'q', "", "no progress output"}},
    0,
    0,
    "  smelter run\n  smelter run --workers 4 --strict\n",
};

int RunRun(const Context& ctx, const ParsedArgs& args) {
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Result<std::unique_ptr<LakeLock>> lock = LakeLock::Acquire(opened->lake->root());
  if (!lock.ok()) return Fail(lock.status().message());
  RemoveStaleTemporaryFiles(opened->lake->root());
  RunOptions options;
  if (args.values.count("workers")) {
    Result<int> n = ParsePositiveInt("workers", args.Value("workers"));
    if (!n.ok()) return Fail(n.status().message(), kExitUsage);
    options.workers = *n;
  }
  bool json = args.Flag("json");
  options.show_progress = !json && !args.Flag("quiet");
  bool strict = args.Flag("strict") || opened->lake->config().pipeline.strict;

  Result<RunSummary> result = RunPipeline(*opened->lake, *opened->catalog, options);
  if (!result.ok()) return Fail(result.status().ToString());
  const RunSummary& s = *result;

  if (json) {
    nlohmann::json j = {{"run_id", s.run_id},
                        {"documents", s.documents},
                        {"children", s.children},
                        {"gold", s.gold},
                        {"quarantined", s.quarantined},
                        {"duplicates", s.duplicates},
                        {"demoted", s.demoted},
                        {"paragraphs_dropped", s.paragraphs_dropped},
                        {"quarantined_by_reason", s.quarantined_by_reason},
                        {"pages", s.pages},
                        {"chunks", s.chunks},
                        {"reindexed_chunks", s.reindexed_chunks},
                        {"model_changed_from", s.model_changed_from},
                        {"bytes_in", s.bytes_in},
                        {"seconds", s.seconds}};
    PrintJson(j.dump(2));
  } else if (s.documents == 0 && s.reindexed_chunks == 0) {
    std::printf("Nothing to do: 0 documents waiting in bronze.\n");
  } else {
    double mbps = s.seconds > 0 ? s.bytes_in / 1e6 / s.seconds : 0;
    std::printf("Run %lld: %lld documents in %s (%.1f docs/s, %.2f MB/s)\n", (long long)s.run_id,
                (long long)s.documents, FormatDuration(s.seconds).c_str(),
                s.seconds > 0 ? s.documents / s.seconds : 0.0, mbps);
    if (s.children)
      std::printf("  found inside other documents (attachments, archive members): %lld\n",
                  (long long)s.children);
    std::printf("  gold:        %lld documents, %lld pages, %lld chunks\n", (long long)s.gold,
                (long long)s.pages, (long long)s.chunks);
    if (s.duplicates)
      std::printf("  duplicates:  %lld (kept out of gold; see `smelter dedup`)\n", (long long)s.duplicates);
    if (s.demoted)
      std::printf("  demoted:     %lld earlier gold documents, now duplicates of newer copies\n",
                  (long long)s.demoted);
    if (s.paragraphs_dropped)
      std::printf("  repeated paragraphs left out of chunks: %lld\n", (long long)s.paragraphs_dropped);
    std::printf("  quarantined: %lld\n", (long long)s.quarantined);
    for (const auto& [reason, n] : s.quarantined_by_reason)
      std::printf("    %-16s %lld\n", reason.c_str(), (long long)n);
    if (!s.model_changed_from.empty())
      std::printf("  embedding model changed (was %s): everything was re-embedded\n",
                  s.model_changed_from.c_str());
    if (s.reindexed_chunks)
      std::printf("  re-indexed %lld chunks left by an interrupted run\n", (long long)s.reindexed_chunks);
    if (s.quarantined)
      std::printf("%lld warnings: see `smelter status` and %s/quarantine/\n", (long long)s.quarantined,
                  opened->lake->root().c_str());
  }
  if (strict && s.quarantined > 0) return kExitQuarantined;
  return kExitOk;
}

}  // namespace smelter::cli
