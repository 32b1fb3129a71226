// The `smelter` subcommands: thin front ends over the library.
//
// Exit codes: 0 success (quarantined documents are warnings), 1 the engine
// failed (the lake or catalog could not be read or written), 2 a usage
// error, 3 `--strict` and some documents were quarantined.
#pragma once

#include <string>
#include <vector>

#include "cli/args.h"

namespace smelter::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitQuarantined = 3;

struct Context {
  std::string lake_dir;    // from --lake, $SMELTER_LAKE, or ./lake
  bool lake_given = false; // --lake or $SMELTER_LAKE was set
};

struct Command {
  const CommandSpec* spec;
  int (*run)(const Context&, const ParsedArgs&);
};

// Every subcommand, in the order --help lists them.
const std::vector<Command>& Commands();

// Declared by each cmd_*.cpp.
extern const CommandSpec kInitSpec, kIngestSpec, kRunSpec, kSearchSpec, kStatusSpec, kShowSpec,
    kConfigSpec, kEvalSpec, kQualitySpec, kDedupSpec;
int RunQuality(const Context&, const ParsedArgs&);
int RunDedup(const Context&, const ParsedArgs&);
int RunEval(const Context&, const ParsedArgs&);
int RunInit(const Context&, const ParsedArgs&);
int RunIngest(const Context&, const ParsedArgs&);
int RunRun(const Context&, const ParsedArgs&);
int RunSearch(const Context&, const ParsedArgs&);
int RunStatus(const Context&, const ParsedArgs&);
int RunShow(const Context&, const ParsedArgs&);
int RunConfig(const Context&, const ParsedArgs&);

// "smelter: error: ..." on stderr; returns `code`.
int Fail(const std::string& message, int code = kExitFailure);

}  // namespace smelter::cli

#include <memory>

#include "catalog/catalog.h"
#include "store/lake.h"

namespace smelter::cli {

struct OpenedLake {
  std::unique_ptr<Lake> lake;
  std::unique_ptr<Catalog> catalog;
};

// Opens the context's lake and its catalog; the error says how to create one.
Result<OpenedLake> OpenLake(const Context& ctx);

// JSON-safe printing helpers live with each command; this one prints a
// value as pretty JSON on stdout.
void PrintJson(const std::string& json_text);

}  // namespace smelter::cli

namespace smelter::cli {

// `smelter model pull|list` (cmd_model.cpp).
extern const CommandSpec kModelSpec;
int RunModel(const Context&, const ParsedArgs&);

}  // namespace smelter::cli
