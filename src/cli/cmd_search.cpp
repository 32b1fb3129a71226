#include <cstdio>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "enrich/metadata_filter.h"
#include "index/searcher.h"

namespace smelter::cli {

const CommandSpec kSearchSpec = {
    "search",
    "smelter search QUERY [options]",
    "hybrid keyword + vector search over gold",
    "Ranks chunks by BM25 and by vector similarity and fuses the two rankings\n"
    "(weighted reciprocal rank; weights in smelter.toml [search]). Prints rank,\n"
    "score, source file and title, heading path, pages and a snippet.",
    {{"k", 'k', "N", "number of results (default 10)"},
     {"mode", 0, "MODE", "hybrid (default), keyword or vector"},
     {"filter", 0, "KEY<OP>VALUE", "only chunks whose metadata matches; repeatable (AND). "
      "OP is = != < <= > >=; security levels are ordered public < internal < confidential < restricted"},
     {"json", 0, "", "print results as JSON"}},
    1,
    -1,
    "  smelter search \"parental leave policy\" -k 5\n  smelter search --mode keyword \"ISO 9001\"\n"
    "  smelter search \"quarterly revenue\" --filter security_level<=internal --filter language=en\n",
};

int RunSearch(const Context& ctx, const ParsedArgs& args) {
  std::string query;
  for (const auto& p : args.positionals) query += (query.empty() ? "" : " ") + p;
  int k = 10;
  if (args.values.count("k")) {
    Result<int> n = ParsePositiveInt("k", args.Value("k"));
    if (!n.ok()) return Fail(n.status().message(), kExitUsage);
    k = *n;
  }
  SearchMode mode = SearchMode::kHybrid;
  std::string mode_name = args.Value("mode", "hybrid");
  if (mode_name == "keyword") mode = SearchMode::kKeyword;
  else if (mode_name == "vector") mode = SearchMode::kVector;
  else if (mode_name != "hybrid")
    return Fail("--mode must be hybrid, keyword or vector, not \"" + mode_name + "\"", kExitUsage);

  std::optional<MetadataFilter> filter;
  if (args.all_values.count("filter")) {
    Result<MetadataFilter> parsed = ParseFilters(args.all_values.at("filter"));
    if (!parsed.ok()) return Fail(parsed.status().message(), kExitUsage);
    filter = std::move(*parsed);
  }

  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(*opened->lake, *opened->catalog);
  if (!searcher.ok()) return Fail(searcher.status().message());
  Result<std::vector<SearchHit>> hits = (*searcher)->Search(query, k, mode, filter ? &*filter : nullptr);
  if (!hits.ok()) return Fail(hits.status().message());

  auto pages = [](const Chunk& c) -> std::string {
    if (c.page_start <= 0) return "";
    if (c.page_end <= c.page_start) return "p. " + std::to_string(c.page_start);
    return "pp. " + std::to_string(c.page_start) + "-" + std::to_string(c.page_end);
  };
  if (args.Flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const SearchHit& h : *hits) {
      const Chunk& c = h.chunk.chunk;
      out.push_back({{"rank", h.rank},
                     {"score", h.score},
                     {"chunk_id", c.id},
                     {"doc_id", c.doc_id},
                     {"source", h.document.source_uri},
                     {"file_name", h.document.file_name},
                     {"title", h.document.title},
                     {"heading_path", c.heading_path},
                     {"page_start", c.page_start},
                     {"page_end", c.page_end},
                     {"snippet", h.snippet},
                     {"text", c.text}});
    }
    PrintJson(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  if (hits->empty()) {
    std::printf("No results for \"%s\" (%zu chunks searched).\n", query.c_str(),
                (*searcher)->indexed_chunks());
    return kExitOk;
  }
  for (const SearchHit& h : *hits) {
    const Chunk& c = h.chunk.chunk;
    std::string where;
    for (const auto& heading : c.heading_path) where += (where.empty() ? "" : " > ") + heading;
    std::string p = pages(c);
    std::printf("%2d. [%.4f] %s — %s\n", h.rank, h.score, h.document.file_name.c_str(),
                h.document.title.c_str());
    if (!where.empty() || !p.empty())
      std::printf("    %s%s%s\n", where.c_str(), (!where.empty() && !p.empty()) ? "  " : "", p.c_str());
    std::printf("    %s\n", h.snippet.c_str());
  }
  return kExitOk;
}

}  // namespace smelter::cli
