#include <cstdio>

#include "cli/commands.h"
#include "core/config.h"

namespace smelter::cli {

const CommandSpec kConfigSpec = {
    "config",
    "smelter config [options]",
    "check the lake's smelter.toml, or print the settings reference",
    "Without options, parses the lake's smelter.toml and reports errors.",
    {{"reference", 0, "", "print every setting as a Markdown reference"},
     {"default", 0, "", "print the commented default smelter.toml"}},
    0,
    0,
    "  smelter config --reference > docs/config.md\n",
};

int RunConfig(const Context& ctx, const ParsedArgs& args) {
  if (args.Flag("reference")) {
    std::fputs(ConfigReferenceMarkdown().c_str(), stdout);
    return kExitOk;
  }
  if (args.Flag("default")) {
    std::fputs(DefaultConfigText().c_str(), stdout);
    return kExitOk;
  }
  Result<OpenedLake> opened = OpenLake(ctx);
  if (!opened.ok()) return Fail(opened.status().message());
  std::printf("%s: OK\n", opened->lake->config_path().c_str());
  return kExitOk;
}

}  // namespace smelter::cli
