#include <cstdio>

#include "cli/commands.h"

namespace smelter::cli {

Result<OpenedLake> OpenLake(const Context& ctx) {
  Result<std::unique_ptr<Lake>> lake = Lake::Open(ctx.lake_dir);
  if (!lake.ok()) return lake.status();
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open((*lake)->catalog_path());
  if (!catalog.ok()) return catalog.status();
  return OpenedLake{std::move(*lake), std::move(*catalog)};
}

void PrintJson(const std::string& json_text) { std::printf("%s\n", json_text.c_str()); }

}  // namespace smelter::cli
