// `smelter quality`: the data-quality report over what the last runs
// measured, judged against the rules in smelter.toml now.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "pipeline/silver_stages.h"
#include "quality/quality_report.h"
#include "quality/quality_rules.h"

namespace smelter::cli {

const CommandSpec kQualitySpec = {
    "quality",
    "smelter quality [options]",
    "data-quality report: pass/fail counts per rule, worst documents",
    "Every processed document's measured values (characters, words, non-letter\n"
    "ratio, repeated lines, language, OCR confidence, metadata keys) are recorded\n"
    "in the catalog. This judges them against the [quality] rules of smelter.toml\n"
    "as they are now, so a new rule can be tried before a run applies it.\n"
    "Documents rejected by a rule are in quarantine with reason \"quality rules\".",
    {{"worst", 0, "N", "how many of the worst documents to list (default 10)"},
     {"json", 0, "", "print the report as JSON"}},
    0,
    0,
    "  smelter quality\n  smelter quality --worst 25 --json\n",
};

int RunQuality(const Context& ctx, const ParsedArgs& args) {
  size_t worst = 10;
  if (args.values.count("worst")) {
    Result<int> n = ParsePositiveInt("worst", args.Value("worst"));
    if (!n.ok()) return Fail(n.status().message(), kExitUsage);
    worst = static_cast<size_t>(*n);
  }
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Result<std::vector<DocumentRecord>> docs =
      opened->catalog->DocumentsInStages({"gold", "duplicate", "quarantined"});
  if (!docs.ok()) return Fail(docs.status().message());
  const std::vector<QualityRule>& rules = opened->lake->config().silver.quality;
  QualityReport report;
  for (const DocumentRecord& d : *docs) {
    if (d.quality.empty()) continue;  // never measured (failed before the silver stages)
    nlohmann::json q = nlohmann::json::parse(d.quality, nullptr, false);
    if (!q.is_object()) continue;
    DocumentQuality dq;
    dq.doc_id = d.id;
    dq.title = d.title.empty() ? d.file_name : d.title;
    dq.measures = MeasuresFromJson(q["measures"]);
    dq.outcomes = Evaluate(dq.measures, rules);
    report.Add(std::move(dq));
  }
  if (args.Flag("json")) {
    PrintJson(report.ToJson(worst).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  if (rules.empty())
    std::printf("No [quality] rules in %s: every document passes. Measured values are still recorded.\n\n",
                opened->lake->config_path().c_str());
  std::fputs(report.RenderText(worst).c_str(), stdout);
  return kExitOk;
}

}  // namespace smelter::cli
