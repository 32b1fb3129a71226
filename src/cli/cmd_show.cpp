#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "pipeline/progress.h"

namespace smelter::cli {

const CommandSpec kShowSpec = {
    "show",
    "smelter show DOC [options]",
    "one document's lineage: source -> bronze -> silver -> chunks",
    "DOC is a document id (or a prefix of it), a source path, or a file name.",
    {{"json", 0, "", "print as JSON"}},
    1,
    1,
    "  smelter show handbook.pdf\n  smelter show 3fa2c1\n",
};

int RunShow(const Context& ctx, const ParsedArgs& args) {
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Catalog& catalog = *opened->catalog;
  Lake& lake = *opened->lake;
  // A path on disk is matched by its canonical form, as ingest recorded it.
  std::string query = args.positionals[0];
  std::error_code ec;
  if (query.find('/') != std::string::npos && std::filesystem::exists(query, ec))
    query = std::filesystem::weakly_canonical(std::filesystem::absolute(query), ec).string();
  Result<DocumentRecord> found = catalog.FindDocument(query);
  if (!found.ok()) {
    return Fail(found.status().message(),
                found.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure);
  }
  const DocumentRecord& d = *found;
  Result<std::vector<SourceFacts>> sources = catalog.SourcesOf(d.object_hash);
  if (!sources.ok()) return Fail(sources.status().message());
  Result<std::vector<ChunkRecord>> chunks = catalog.ChunksOf(d.id);
  if (!chunks.ok()) return Fail(chunks.status().message());
  Result<std::vector<DocumentRecord>> children = catalog.ChildrenOf(d.id);
  if (!children.ok()) return Fail(children.status().message());
  Result<std::vector<ParentLink>> parents = catalog.ParentsOf(d.id);
  if (!parents.ok()) return Fail(parents.status().message());
  std::string stage(StageName(d.stage));
  bool has_silver = d.stage == Stage::kGold || d.stage == Stage::kSilver || d.stage == Stage::kDuplicate;

  if (args.Flag("json")) {
    nlohmann::json j = {
        {"id", d.id}, {"title", d.title}, {"type", d.kind}, {"mime", d.mime}, {"pages", d.pages},
        {"stage", stage}, {"reason", d.reason}, {"error", d.error},
        {"sources", nlohmann::json::array()},
        {"bronze", {{"key", Lake::BronzeKey(d.object_hash)}, {"sha256", d.object_hash}, {"bytes", d.bytes},
                    {"path", lake.store().Locate(Lake::BronzeKey(d.object_hash))}}},
        {"silver", has_silver ? nlohmann::json{{"markdown", lake.store().Locate(Lake::SilverMarkdownKey(d.id))},
                                               {"metadata", lake.store().Locate(Lake::SilverMetadataKey(d.id))},
                                               {"bytes", d.text_bytes}}
                              : nlohmann::json(nullptr)},
        {"gold", d.stage == Stage::kGold ? nlohmann::json{{"chunks_file", lake.store().Locate(Lake::GoldChunksKey(d.id))}}
                                         : nlohmann::json(nullptr)},
        {"chunks", nlohmann::json::array()},
        {"source_uri", d.source_uri},
        {"parent_id", d.parent_id},
        {"parents", nlohmann::json::array()},
        {"paragraphs_dropped", d.paragraphs_dropped},
        {"duplicate_of", d.duplicate_of},
        {"similarity", d.similarity},
        {"attributes", nlohmann::json::parse(d.attributes.empty() ? "{}" : d.attributes, nullptr, false)},
        {"quality", nlohmann::json::parse(d.quality.empty() ? "{}" : d.quality, nullptr, false)},
        {"children", nlohmann::json::array()}};
    for (const auto& c : *children)
      j["children"].push_back({{"id", c.id}, {"name", c.file_name}, {"source_uri", c.source_uri},
                               {"type", c.kind}, {"stage", std::string(StageName(c.stage))},
                               {"reason", c.reason}});
    for (const auto& p : *parents)
      j["parents"].push_back({{"id", p.parent_id}, {"name", p.name}, {"source_uri", p.parent_uri},
                              {"stage", std::string(StageName(p.parent_stage))}});
    for (const auto& s : *sources)
      j["sources"].push_back({{"uri", s.uri}, {"size", s.size}, {"mtime", s.mtime}, {"ingested_at", s.ingested_at}});
    for (const auto& c : *chunks)
      j["chunks"].push_back({{"id", c.chunk.id}, {"label", c.label}, {"tokens", c.chunk.token_count},
                             {"page_start", c.chunk.page_start}, {"page_end", c.chunk.page_end},
                             {"char_start", c.chunk.char_start}, {"char_end", c.chunk.char_end},
                             {"heading_path", c.chunk.heading_path}});
    PrintJson(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  std::printf("Document %s  \"%s\"\n", d.id.c_str(), d.title.c_str());
  std::printf("  type %s (%s), %d pages, stage %s\n", d.kind.empty() ? "?" : d.kind.c_str(), d.mime.c_str(),
              d.pages, stage.c_str());
  if (d.stage == Stage::kQuarantined) std::printf("  quarantined: %s: %s\n", d.reason.c_str(), d.error.c_str());
  if (d.stage == Stage::kDuplicate)
    std::printf("  duplicate of %s (similarity %.3f): kept out of gold\n", d.duplicate_of.c_str(), d.similarity);
  if (!d.attributes.empty()) {
    nlohmann::json a = nlohmann::json::parse(d.attributes, nullptr, false);
    if (a.is_object()) {
      std::string line;
      for (const char* key : {"security_level", "language", "author", "created", "tags"})
        if (a.contains(key)) line += std::string(line.empty() ? "" : ", ") + key + " " + a[key].dump();
      if (!line.empty()) std::printf("  %s\n", line.c_str());
    }
  }
  std::printf("\nsource\n");
  for (const auto& p : *parents)
    std::printf("  %s!/%s  (inside document %s, %s)\n", p.parent_uri.c_str(), p.name.c_str(), p.parent_id.c_str(),
                std::string(StageName(p.parent_stage)).c_str());
  if (parents->empty() && !d.parent_id.empty())
    std::printf("  %s  (inside document %s)\n", d.source_uri.c_str(), d.parent_id.c_str());
  for (const auto& s : *sources)
    std::printf("  %s  (%s, ingested %s)\n", s.uri.c_str(), FormatBytes(static_cast<double>(s.size)).c_str(),
                s.ingested_at.c_str());
  std::printf("  -> bronze   %s  sha256 %s\n", lake.store().Locate(Lake::BronzeKey(d.object_hash)).c_str(),
              d.object_hash.c_str());
  if (has_silver) {
    std::printf("  -> silver   %s  (%s of Markdown)\n", lake.store().Locate(Lake::SilverMarkdownKey(d.id)).c_str(),
                FormatBytes(static_cast<double>(d.text_bytes)).c_str());
    std::printf("              %s\n", lake.store().Locate(Lake::SilverMetadataKey(d.id)).c_str());
  }
  if (d.stage == Stage::kGold) {
    std::printf("  -> gold     %s  (%zu chunks)\n", lake.store().Locate(Lake::GoldChunksKey(d.id)).c_str(),
                chunks->size());
    if (d.paragraphs_dropped > 0)
      std::printf("              %d repeated paragraphs left out (other gold documents keep them)\n",
                  d.paragraphs_dropped);
    for (const auto& c : *chunks) {
      std::string pages = c.chunk.page_start > 0
                              ? (c.chunk.page_start == c.chunk.page_end
                                     ? "p. " + std::to_string(c.chunk.page_start)
                                     : "pp. " + std::to_string(c.chunk.page_start) + "-" +
                                           std::to_string(c.chunk.page_end))
                              : "";
      std::string heading = c.chunk.heading_path.empty() ? "" : c.chunk.heading_path.back();
      if (heading.size() > 50) heading = heading.substr(0, 47) + "...";
      std::printf("       %-22s %4d tokens  %-10s %s\n", c.chunk.id.c_str(), c.chunk.token_count, pages.c_str(),
                  heading.c_str());
    }
  }
  if (!children->empty()) {
    std::printf("\ncontains %zu documents\n", children->size());
    for (const auto& c : *children) {
      std::string state(StageName(c.stage));
      if (c.stage == Stage::kQuarantined) state += " (" + c.reason + ")";
      std::printf("  %s  %-40s %-8s %s\n", c.id.c_str(), c.file_name.c_str(),
                  c.kind.empty() ? "?" : c.kind.c_str(), state.c_str());
    }
  }
  return kExitOk;
}

}  // namespace smelter::cli
