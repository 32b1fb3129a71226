#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "pipeline/progress.h"

namespace smelter::cli {

const CommandSpec kStatusSpec = {
    "status",
    "smelter status [options]",
    "what the lake holds: zones, stages, quarantine reasons, recent runs",
    "",
    {{"json", 0, "", "print as JSON"}, {"runs", 0, "N", "recent runs to list (default 5)"}},
    0,
    0,
    "  smelter status\n  smelter status --json | jq .quarantined_by_reason\n",
};

int RunStatus(const Context& ctx, const ParsedArgs& args) {
  int run_count = 5;
  if (args.values.count("runs")) {
    Result<int> n = ParsePositiveInt("runs", args.Value("runs"));
    if (!n.ok()) return Fail(n.status().message(), kExitUsage);
    run_count = *n;
  }
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Result<CatalogStats> stats = opened->catalog->Stats();
  if (!stats.ok()) return Fail(stats.status().message());
  Result<std::vector<RunRecord>> runs = opened->catalog->RecentRuns(run_count);
  if (!runs.ok()) return Fail(runs.status().message());
  const CatalogStats& s = *stats;
  auto stage = [&](const char* name) -> int64_t {
    auto it = s.documents_by_stage.find(name);
    return it == s.documents_by_stage.end() ? 0 : it->second;
  };

  if (args.Flag("json")) {
    nlohmann::json j = {{"lake", opened->lake->root()},
                        {"bronze", {{"objects", s.objects}, {"bytes", s.object_bytes}, {"sources", s.sources}}},
                        {"documents", s.documents_by_stage},
                        {"chunks", s.chunks},
                        {"chunks_unindexed", s.chunks_unindexed},
                        {"paragraphs_dropped", s.paragraphs_dropped},
                        {"quarantined_by_reason", s.quarantined_by_reason},
                        {"runs", nlohmann::json::array()}};
    for (const RunRecord& r : *runs) {
      j["runs"].push_back({{"id", r.id},
                           {"command", r.command},
                           {"started_at", r.started_at},
                           {"finished_at", r.finished_at},
                           {"duration_ms", r.duration_ms},
                           {"documents", r.docs_processed},
                           {"gold", r.docs_gold},
                           {"quarantined", r.docs_quarantined},
                           {"bytes_in", r.bytes_in},
                           {"status", r.status}});
    }
    PrintJson(j.dump(2));
    return kExitOk;
  }
  std::printf("Lake %s\n\n", opened->lake->root().c_str());
  std::printf("  bronze      %6lld objects (%s) from %lld sources\n", (long long)s.objects,
              FormatBytes(static_cast<double>(s.object_bytes)).c_str(), (long long)s.sources);
  std::printf("  pending     %6lld documents waiting for `smelter run`\n", (long long)stage("bronze"));
  std::printf("  silver      %6lld documents\n",
              (long long)(stage("silver") + stage("gold") + stage("duplicate")));
  std::printf("  gold        %6lld documents, %lld chunks%s\n", (long long)stage("gold"),
              (long long)s.chunks,
              s.chunks_unindexed ? (" (" + std::to_string(s.chunks_unindexed) + " not yet indexed)").c_str() : "");
  if (s.paragraphs_dropped)
    std::printf("              %lld repeated paragraphs left out of the chunks of %lld documents\n",
                (long long)s.paragraphs_dropped, (long long)s.documents_with_dropped_paragraphs);
  if (stage("duplicate"))
    std::printf("  duplicates  %6lld documents kept out of gold (`smelter dedup` lists them)\n",
                (long long)stage("duplicate"));
  std::printf("  quarantine  %6lld documents\n", (long long)stage("quarantined"));
  for (const auto& [reason, n] : s.quarantined_by_reason)
    std::printf("      %-18s %lld\n", reason.c_str(), (long long)n);
  if (!runs->empty()) {
    std::printf("\nRecent runs:\n");
    for (const RunRecord& r : *runs) {
      std::printf("  #%-4lld %s  %-7s %8s  %lld docs (%lld gold, %lld quarantined)\n", (long long)r.id,
                  r.started_at.c_str(), r.status.c_str(), FormatDuration(r.duration_ms / 1000.0).c_str(),
                  (long long)r.docs_processed, (long long)r.docs_gold, (long long)r.docs_quarantined);
    }
  }
  return kExitOk;
}

}  // namespace smelter::cli
