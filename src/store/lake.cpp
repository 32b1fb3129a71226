#include "store/lake.h"

#include <filesystem>

#include "store/file_util.h"

namespace smelter {

namespace fs = std::filesystem;

namespace {
constexpr const char* kZones[] = {"bronze", "silver", "gold", "quarantine"};
}

Status Lake::Init(const std::string& root) {
  std::error_code ec;
  for (const char* zone : kZones) {
    fs::create_directories(fs::path(root) / zone, ec);
    if (ec) return Status::IOError("cannot create " + (fs::path(root) / zone).string() + ": " + ec.message());
  }
  fs::create_directories(fs::path(root) / "gold" / "index", ec);
  std::string config = root + "/smelter.toml";
  if (!fs::exists(config, ec)) SMELTER_RETURN_IF_ERROR(WriteFileAtomic(config, DefaultConfigText()));
  return Status::OK();
}

Result<std::unique_ptr<Lake>> Lake::Open(const std::string& root) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(root) / "bronze", ec)) {
    return Status::NotFound("no lake at " + root + " (run `smelter init " + root +
                            "` to create one, or pass --lake DIR)");
  }
  Config config;
  Result<Config> loaded = LoadConfigFile(root + "/smelter.toml");
  if (loaded.ok()) {
    config = *loaded;
  } else if (loaded.status().code() != Status::Code::kNotFound) {
    return loaded.status();
  }
  return std::unique_ptr<Lake>(new Lake(root, config));
}

Lake::Lake(std::string root, Config config)
    : root_(std::move(root)), config_(std::move(config)), store_(NewLocalObjectStore(root_)) {}

std::string Lake::BronzeKey(const std::string& h) { return "bronze/objects/" + h.substr(0, 2) + "/" + h; }
std::string Lake::BronzeSourceKey(const std::string& h) { return BronzeKey(h) + ".source.json"; }
std::string Lake::SilverMarkdownKey(const std::string& id) { return "silver/" + id + ".md"; }
std::string Lake::SilverMetadataKey(const std::string& id) { return "silver/" + id + ".json"; }
std::string Lake::GoldChunksKey(const std::string& id) { return "gold/chunks/" + id + ".jsonl"; }
std::string Lake::QuarantineKey(const std::string& id) { return "quarantine/" + id + ".json"; }

}  // namespace smelter
