// smelter: the command-line front end.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/config.h"
#include "pipeline/extraction_worker.h"

namespace smelter::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {&kInitSpec, RunInit},     {&kIngestSpec, RunIngest}, {&kRunSpec, RunRun},
      {&kSearchSpec, RunSearch}, {&kStatusSpec, RunStatus}, {&kShowSpec, RunShow},
      {&kQualitySpec, RunQuality}, {&kDedupSpec, RunDedup},
      {&kModelSpec, RunModel},   {&kEvalSpec, RunEval},     {&kConfigSpec, RunConfig},
  };
  return kCommands;
}

int Fail(const std::string& message, int code) {
  std::fprintf(stderr, "smelter: error: %s\n", message.c_str());
  return code;
}

namespace {

void PrintMainHelp() {
  std::printf(
      "smelter %s: turns documents into AI-ready, searchable knowledge.\n\n"
      "Usage: smelter [--lake DIR] COMMAND [options]\n\n"
      "Commands:\n",
      SMELTER_VERSION);
  for (const Command& c : Commands()) std::printf("  %-9s %s\n", c.spec->name.c_str(), c.spec->summary.c_str());
  std::printf(
      "\nGlobal options:\n"
      "  --lake DIR   the lake to use (default: $SMELTER_LAKE, else ./lake)\n"
      "  --version    print the version\n"
      "  -h, --help   show this help; `smelter COMMAND --help` for a command's own\n\n"
      "A first run:\n"
      "  smelter init && smelter ingest ~/Documents && smelter run && smelter search \"what\"\n");
}

}  // namespace

// `smelter __extract-worker [--config FILE]`: the extraction worker process
// the runner starts (pipeline/extraction_worker.h); not for people.
int RunWorker(const std::vector<std::string>& args) {
  Config config;
  if (args.size() >= 3 && args[1] == "--config") {
    Result<Config> loaded = LoadConfigFile(args[2]);
    if (loaded.ok()) config = std::move(*loaded);
    else if (loaded.status().code() != Status::Code::kNotFound) return Fail(loaded.status().ToString(), kExitFailure);
  }
  SandboxLimits limits;
  limits.timeout_seconds = config.sandbox.timeout_seconds;
  limits.memory_limit_bytes = static_cast<int64_t>(config.sandbox.memory_limit_mb) << 20;
  return RunExtractionWorker(config.extract, limits);
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "__extract-worker") return RunWorker(args);
  Context ctx;
  if (const char* env = std::getenv("SMELTER_LAKE"); env && *env) {
    ctx.lake_dir = env;
    ctx.lake_given = true;
  }
  // --lake may come before or after the command name.
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lake") {
      if (i + 1 >= args.size()) return Fail("--lake needs a folder", kExitUsage);
      ctx.lake_dir = args[++i];
      ctx.lake_given = true;
    } else if (args[i].rfind("--lake=", 0) == 0) {
      ctx.lake_dir = args[i].substr(7);
      ctx.lake_given = true;
    } else {
      rest.push_back(args[i]);
    }
  }
  if (ctx.lake_dir.empty()) ctx.lake_dir = "lake";
  if (rest.empty() || rest[0] == "--help" || rest[0] == "-h" || rest[0] == "help") {
    if (rest.size() >= 2) rest = {rest[1], "--help"};
    else {
      PrintMainHelp();
      return rest.empty() ? kExitUsage : kExitOk;
    }
  }
  if (rest[0] == "--version" || rest[0] == "version") {
    std::printf("smelter %s\n", SMELTER_VERSION);
    return kExitOk;
  }
  for (const Command& c : Commands()) {
    if (c.spec->name != rest[0]) continue;
    Result<ParsedArgs> parsed = ParseArgs(*c.spec, {rest.begin() + 1, rest.end()});
    if (!parsed.ok()) return Fail(parsed.status().message(), kExitUsage);
    if (parsed->help) {
      std::fputs(HelpText(*c.spec).c_str(), stdout);
      return kExitOk;
    }
    return c.run(ctx, *parsed);
  }
  return Fail("unknown command \"" + rest[0] + "\" (see `smelter --help`)", kExitUsage);
}

}  // namespace smelter::cli

int main(int argc, char** argv) {
  try {
    return smelter::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Only a bug gets here: stages turn expected failures into values.
    std::fprintf(stderr, "smelter: internal error: %s\n", e.what());
    return smelter::cli::kExitFailure;
  }
}
