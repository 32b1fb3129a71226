// `smelter dedup`: clusters of exact and near-duplicate documents, with the
// canonical one (the copy that reaches gold) and each member's similarity.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "dedup/dedup_index.h"
#include "dedup/dedup_report.h"

namespace smelter::cli {

const CommandSpec kDedupSpec = {
    "dedup",
    "smelter dedup [options]",
    "duplicate clusters: canonical document, copies and their similarity",
    "Exact duplicates share the hash of their normalized text; near duplicates\n"
    "have an estimated share of words in common of at least dedup.threshold\n"
    "(MinHash over word shingles, LSH to find candidates). One document per\n"
    "cluster is canonical (dedup.policy: newest, longest or priority) and reaches\n"
    "gold; the others are recorded as duplicates of it.",
    {{"json", 0, "", "print the clusters as JSON"}},
    0,
    0,
    "  smelter dedup\n  smelter dedup --json\n",
};

int RunDedup(const Context& ctx, const ParsedArgs& args) {
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  const SilverConfig& silver = opened->lake->config().silver;
  if (!silver.dedup_enabled) {
    std::printf("Deduplication is off (dedup.enabled = false in %s).\n", opened->lake->config_path().c_str());
    return kExitOk;
  }
  auto index = dedup::DedupIndex::Open(opened->lake->dedup_index_path(), silver.dedup);
  if (!index.ok()) return Fail(index.status().message());
  Result<std::vector<dedup::DedupCluster>> clusters = (*index)->ListClusters();
  if (!clusters.ok()) return Fail(clusters.status().message());
  Result<int64_t> total = (*index)->DocumentCount();
  if (!total.ok()) return Fail(total.status().message());
  // Names people recognize, not only ids.
  auto name_of = [&](const std::string& id) {
    Result<DocumentRecord> d = opened->catalog->GetDocument(id);
    return d.ok() ? d->source_uri : id;
  };
  if (args.Flag("json")) {
    nlohmann::json out = {{"documents", *total}, {"clusters", nlohmann::json::array()}};
    for (const auto& c : *clusters) {
      nlohmann::json members = nlohmann::json::array();
      for (const auto& m : c.members)
        members.push_back({{"id", m.id}, {"source", name_of(m.id)}, {"similarity", m.similarity},
                           {"exact", m.exact}, {"words", m.length}});
      out["clusters"].push_back({{"canonical", c.canonical_id}, {"members", members}});
    }
    PrintJson(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  std::cout << "threshold " << silver.dedup.threshold << " (estimated share of words in common)\n";
  dedup::PrintClusters(*clusters, *total, silver.dedup.policy, std::cout, name_of);
  return kExitOk;
}

}  // namespace smelter::cli
