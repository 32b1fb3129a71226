#include <cstdio>
#include <filesystem>

#include "catalog/catalog.h"
#include "cli/commands.h"
#include "store/lake.h"

namespace smelter::cli {

const CommandSpec kInitSpec = {
    "init",
    "smelter init [DIR]",
    "create a lake (zones, catalog, commented smelter.toml)",
    "Creates the zones bronze/, silver/, gold/ and quarantine/, the catalog, and a\n"
    "smelter.toml that documents every setting at its default. DIR defaults to\n"
    "--lake, then $SMELTER_LAKE, then ./lake. Running it on an existing lake is safe:\n"
    "nothing is overwritten.",
    {},
    0,
    1,
    "  smelter init\n  smelter init /data/lake\n",
};

int RunInit(const Context& ctx, const ParsedArgs& args) {
  std::string dir = args.positionals.empty() ? ctx.lake_dir : args.positionals[0];
  Status st = Lake::Init(dir);
  if (!st.ok()) return Fail(st.message());
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(dir + "/catalog.db");
  if (!catalog.ok()) return Fail(catalog.status().message());
  std::printf("Initialized lake in %s\n", std::filesystem::absolute(dir).lexically_normal().c_str());
  std::printf("  config: %s/smelter.toml\n", dir.c_str());
  std::printf("Next: smelter%s ingest PATH...\n", dir == "lake" ? "" : (" --lake " + dir).c_str());
  return kExitOk;
}

}  // namespace smelter::cli
