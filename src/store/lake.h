// The medallion lake: zones, their object keys, and the lake's local files.
//
//   bronze/objects/<h2>/<sha256>            raw bytes, content-addressed
//   bronze/objects/<h2>/<sha256>.source.json  source facts (paths, sizes, times)
//   silver/<doc_id>.md, silver/<doc_id>.json  clean Markdown + metadata
//   gold/chunks/<doc_id>.jsonl              chunks with metadata and vectors
//   gold/index/                             vector (HNSW) and keyword (BM25) indexes
//   quarantine/<doc_id>.json                why a document was refused
//   catalog.db                              the SQLite catalog
//   smelter.toml                            the pipeline configuration
#pragma once

#include <memory>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "store/object_store.h"

namespace smelter {

class Lake {
 public:
  // Creates the zones and a commented default smelter.toml (kept if one
  // exists). Idempotent.
  static Status Init(const std::string& root);

  // Opens an existing lake and loads its config. NotFound, with a hint to
  // run `smelter init`, when `root` is not a lake.
  static Result<std::unique_ptr<Lake>> Open(const std::string& root);

  const std::string& root() const { return root_; }
  const Config& config() const { return config_; }
  Config& mutable_config() { return config_; }
  ObjectStore& store() { return *store_; }

  // Local paths (the catalog and indexes are local files even when zones
  // live in an object store elsewhere).
  std::string catalog_path() const { return root_ + "/catalog.db"; }
  std::string config_path() const { return root_ + "/smelter.toml"; }
  std::string vector_index_path() const { return root_ + "/gold/index/vectors.hnsw"; }
  std::string keyword_index_path() const { return root_ + "/gold/index/keywords.bm25"; }
  std::string index_manifest_path() const { return root_ + "/gold/index/manifest.json"; }
  std::string embedding_cache_path() const { return root_ + "/gold/embeddings.db"; }
  std::string dedup_index_path() const { return root_ + "/silver/dedup.db"; }

  static std::string BronzeKey(const std::string& sha256);
  static std::string BronzeSourceKey(const std::string& sha256);
  static std::string SilverMarkdownKey(const std::string& doc_id);
  static std::string SilverMetadataKey(const std::string& doc_id);
  static std::string GoldChunksKey(const std::string& doc_id);
  static std::string QuarantineKey(const std::string& doc_id);

 private:
  Lake(std::string root, Config config);
  std::string root_;
  Config config_;
  std::unique_ptr<ObjectStore> store_;
};

}  // namespace smelter
