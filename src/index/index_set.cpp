#include "index/index_set.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/file_util.h"

namespace smelter {

Result<IndexSet> IndexSet::Open(const Lake& lake, const std::string& model_id, int dimension,
                                bool discard_other_model) {
  IndexSet set;
  set.model_id = model_id;
  set.dimension = dimension;
  VectorIndexOptions options = lake.config().hnsw;
  options.dimension = dimension;

  Result<std::string> manifest_text = ReadFile(lake.index_manifest_path());
  bool have_manifest = manifest_text.ok();
  set.fresh = !have_manifest;
  if (have_manifest) {
    nlohmann::json manifest = nlohmann::json::parse(*manifest_text, nullptr, false);
    if (!manifest.is_object()) return Status::Corrupt(lake.index_manifest_path() + " is not valid JSON");
    std::string built_with = manifest.value("model_id", "");
    if (built_with != model_id) {
      if (!discard_other_model) {
        return Status::InvalidArgument("the index was built with embedding model \"" + built_with +
                                       "\" but the config now asks for \"" + model_id +
                                       "\"; run `smelter run` to re-embed everything");
      }
      set.previous_model = built_with;
      set.fresh = true;
      have_manifest = false;
    }
  }
  if (have_manifest && std::filesystem::exists(lake.vector_index_path())) {
    auto v = VectorIndex::Load(lake.vector_index_path(), options);
    if (!v.ok()) return v.status();
    set.vectors = std::move(*v);
  } else {
    set.vectors = VectorIndex::Create(options);
  }
  if (have_manifest && std::filesystem::exists(lake.keyword_index_path())) {
    auto k = KeywordIndex::Load(lake.keyword_index_path());
    if (!k.ok()) return k.status();
    set.keywords = std::move(*k);
  } else {
    set.keywords = std::make_unique<KeywordIndex>();
  }
  return set;
}

Status IndexSet::Save(const Lake& lake) const {
  SMELTER_RETURN_IF_ERROR(vectors->Save(lake.vector_index_path()));
  SMELTER_RETURN_IF_ERROR(keywords->Save(lake.keyword_index_path()));
  nlohmann::json manifest = {{"model_id", model_id},
                             {"dimension", dimension},
                             {"vectors", vectors->size()},
                             {"keyword_docs", keywords->size()},
                             {"saved_at", NowIso8601()}};
  return WriteFileAtomic(lake.index_manifest_path(), manifest.dump(2) + "\n");
}

}  // namespace smelter
