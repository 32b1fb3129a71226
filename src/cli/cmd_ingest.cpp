#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "store/lake_lock.h"
#include "pipeline/ingest.h"
#include "pipeline/progress.h"

namespace smelter::cli {

const CommandSpec kIngestSpec = {
    "ingest",
    "smelter ingest PATH... [options]",
    "copy files and folders into the bronze zone",
    "Copies each file (folders recursively; names starting with '.' skipped) into\n"
    "bronze, named by the SHA-256 of its bytes, with a sidecar of source facts.\n"
    "The same bytes are stored once however often, and from wherever, they come.\n"
    "Nothing is parsed here: `smelter run` does that.",
    {{"json", 0, "", "print the summary as JSON"}, {"quiet", 'q', "", "no progress output"}},
    1,
    -1,
    "  smelter ingest ~/Documents/handbook.pdf reports/\n",
};

int RunIngest(const Context& ctx, const ParsedArgs& args) {
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Result<std::unique_ptr<LakeLock>> lock = LakeLock::Acquire(opened->lake->root());
  if (!lock.ok()) return Fail(lock.status().message());
  bool json = args.Flag("json");
  bool progress = !json && !args.Flag("quiet");
  Result<IngestSummary> summary =
      IngestPaths(*opened->lake, *opened->catalog, args.positionals, progress);
  if (!summary.ok()) return Fail(summary.status().message());
  const IngestSummary& s = *summary;
  if (json) {
    nlohmann::json j = {{"files", s.files},
                        {"new_objects", s.new_objects},
                        {"known_objects", s.known_objects},
                        {"bytes_copied", s.bytes_copied},
                        {"slack_exports", s.slack_exports},
                        {"errors", s.errors}};
    PrintJson(j.dump(2));
  } else {
    std::printf("Ingested %lld files: %lld new, %lld already in bronze (%s copied)\n",
                (long long)s.files, (long long)s.new_objects, (long long)s.known_objects,
                FormatBytes(static_cast<double>(s.bytes_copied)).c_str());
    if (s.slack_exports > 0)
      std::printf("%lld Slack export folder(s) stored as one archive each\n", (long long)s.slack_exports);
    for (const auto& e : s.errors) std::fprintf(stderr, "smelter: warning: %s\n", e.c_str());
    if (s.files > 0) std::printf("Next: smelter run\n");
  }
  // A missing input path is a usage problem when nothing at all was ingested.
  if (s.files == 0 && !s.errors.empty()) return kExitUsage;
  return kExitOk;
}

}  // namespace smelter::cli
