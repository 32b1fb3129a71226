// `smelter model`: fetch embedding models into the local model cache and
// list what is there. The cache is the one the "hf:ORG/NAME" embedder
// reads, so `--cache` here and embed.model_cache_dir there must agree.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/config.h"
#include "embed/embedder.h"
#include "embed/model_hub.h"

namespace smelter::cli {

const CommandSpec kModelSpec = {
    "model",
    "smelter model pull ORG/NAME [options] | smelter model list [options]",
    "download embedding models from the Hugging Face hub, list cached ones",
    "  pull ORG/NAME   download a sentence-transformer (config, tokenizer,\n"
    "                  model.safetensors) into the model cache; resumes an\n"
    "                  interrupted download and verifies every file\n"
    "  list            the models in the cache, with their sizes\n\n"
    "The cache is --cache, else the lake's embed.model_cache_dir, else\n"
    "$SMELTER_MODEL_CACHE, else ~/.cache/smelter/models. Then set\n"
    "embed.model = \"hf:ORG/NAME\" in smelter.toml to use a pulled model.\n"
    "$HF_TOKEN is sent for gated or private models; $SMELTER_HF_ENDPOINT\n"
    "replaces https://huggingface.co (a mirror).",
    {{"revision", 0, "REV", "branch, tag or commit to pull (default main)"},
     {"cache", 0, "DIR", "the model cache folder"},
     {"json", 0, "", "list: print as JSON"}},
    1,
    2,
    "  smelter model pull sentence-transformers/all-MiniLM-L6-v2\n"
    "  smelter model pull BAAI/bge-small-en-v1.5 --revision v1.0\n"
    "  smelter model list --json\n",
};

namespace {

std::string HumanSize(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

// --cache, else the lake's embed settings when there is a lake, else the
// environment's default.
Result<std::string> CacheDir(const Context& ctx, const ParsedArgs& args) {
  if (args.values.count("cache")) {
    std::string dir = args.Value("cache");
    if (dir.empty()) return Status::InvalidArgument("--cache needs a folder");
    return dir;
  }
  EmbedderConfig embed;
  std::string toml = ctx.lake_dir + "/smelter.toml";
  std::error_code ec;
  if (std::filesystem::exists(toml, ec)) {
    Result<Config> config = LoadConfigFile(toml);
    // A broken config is worth stopping for only when the lake was named.
    if (!config.ok() && ctx.lake_given) return config.status();
    if (config.ok()) embed = config->embed;
  }
  return ModelCacheDir(embed);
}

int Pull(const Context& ctx, const ParsedArgs& args) {
  if (args.positionals.size() != 2) return Fail("usage: smelter model pull ORG/NAME [options]", kExitUsage);
  if (args.Flag("json")) return Fail("--json is for `smelter model list`", kExitUsage);
  const std::string& repo = args.positionals[1];
  if (!IsValidRepoName(repo)) {
    return Fail("\"" + repo + "\" is not a model name of the form ORG/NAME "
                "(e.g. sentence-transformers/all-MiniLM-L6-v2)", kExitUsage);
  }
  Result<std::string> cache = CacheDir(ctx, args);
  if (!cache.ok()) return Fail(cache.status().message());
  PullOptions options;
  options.cache_dir = *cache;
  if (args.values.count("revision")) {
    options.revision = args.Value("revision");
    if (options.revision.empty()) return Fail("--revision needs a branch, tag or commit", kExitUsage);
  }
  std::fprintf(stderr, "Pulling %s (%s) into %s\n", repo.c_str(), options.revision.c_str(), options.cache_dir.c_str());
  Result<PullResult> pulled = PullModel(repo, options);
  if (!pulled.ok()) {
    int code = pulled.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
    return Fail(pulled.status().message(), code);
  }
  int64_t total = 0;
  for (const PulledFile& f : pulled->files) total += f.size;
  std::printf("%s: %zu files, %s in %s (%s downloaded)\n", repo.c_str(), pulled->files.size(),
              HumanSize(total).c_str(), pulled->dir.c_str(), HumanSize(pulled->bytes_downloaded).c_str());
  std::printf("Use it with:  embed.model = \"hf:%s\"\n", repo.c_str());
  return kExitOk;
}

int List(const Context& ctx, const ParsedArgs& args) {
  if (args.positionals.size() != 1) return Fail("usage: smelter model list [--json] [--cache DIR]", kExitUsage);
  if (args.values.count("revision")) return Fail("--revision is for `smelter model pull`", kExitUsage);
  Result<std::string> cache = CacheDir(ctx, args);
  if (!cache.ok()) return Fail(cache.status().message());
  Result<std::vector<CachedModel>> models = ListCachedModels(*cache);
  if (!models.ok()) return Fail(models.status().message());

  if (args.Flag("json")) {
    nlohmann::json j = {{"cache", *cache}, {"models", nlohmann::json::array()}};
    for (const CachedModel& m : *models) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& [path, size] : m.files) files.push_back({{"path", path}, {"size", size}});
      j["models"].push_back({{"repo", m.repo},
                             {"dir", m.dir},
                             {"revision", m.revision},
                             {"pulled_at", m.pulled_at},
                             {"bytes", m.total_bytes},
                             {"files", files}});
    }
    PrintJson(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  if (models->empty()) {
    std::printf("No models in %s\n(pull one with `smelter model pull ORG/NAME`)\n", cache->c_str());
    return kExitOk;
  }
  std::printf("Models in %s\n\n", cache->c_str());
  for (const CachedModel& m : *models) {
    std::string note = m.revision.empty() ? "placed by hand" : m.revision + ", pulled " + m.pulled_at;
    std::printf("  %-48s %10s  %zu files  (%s)\n", m.repo.c_str(), HumanSize(m.total_bytes).c_str(), m.files.size(),
                note.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunModel(const Context& ctx, const ParsedArgs& args) {
  const std::string& action = args.positionals[0];
  if (action == "pull") return Pull(ctx, args);
  if (action == "list") return List(ctx, args);
  return Fail("unknown `smelter model` action \"" + action + "\"; use `pull ORG/NAME` or `list`", kExitUsage);
}

}  // namespace smelter::cli
