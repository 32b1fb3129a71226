#include "embed/embedding_cache.h"

#include <xxhash.h>

#include <cstring>

namespace smelter {

namespace {

std::string TextKey(std::string_view text) {
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(buf, 32);
}

}  // namespace

Result<std::unique_ptr<CachingEmbedder>> CachingEmbedder::Open(const std::string& path,
                                                               std::unique_ptr<Embedder> inner) {
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  SMELTER_RETURN_IF_ERROR((*db)->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS embeddings ("
      "  model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
      "  PRIMARY KEY (model, text_hash)) WITHOUT ROWID;"));
  return std::unique_ptr<CachingEmbedder>(new CachingEmbedder(std::move(*db), std::move(inner)));
}

Status CachingEmbedder::Embed(const std::vector<std::string_view>& texts,
                              std::vector<std::vector<float>>* out) const {
  const std::string model = inner_->model_id();
  const size_t dim = static_cast<size_t>(inner_->dimension());
  std::vector<std::string> keys;
  keys.reserve(texts.size());
  for (std::string_view t : texts) keys.push_back(TextKey(t));

  std::vector<std::vector<float>> vectors(texts.size());
  std::vector<size_t> missing;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto q = db_->Prepare("SELECT vector FROM embeddings WHERE model = ? AND text_hash = ?");
    if (!q.ok()) return q.status();
    for (size_t i = 0; i < texts.size(); ++i) {
      (*q)->Bind(1, model).Bind(2, keys[i]);
      bool found = false;
      if ((*q)->Step()) {
        std::string blob = (*q)->Text(0);
        if (blob.size() == dim * sizeof(float)) {
          vectors[i].resize(dim);
          std::memcpy(vectors[i].data(), blob.data(), blob.size());
          found = true;
        }
      }
      SMELTER_RETURN_IF_ERROR((*q)->status());
      (*q)->Reset();
      if (!found) missing.push_back(i);
    }
  }
  hits_ += static_cast<int64_t>(texts.size() - missing.size());
  misses_ += static_cast<int64_t>(missing.size());

  if (!missing.empty()) {
    std::vector<std::string_view> todo;
    todo.reserve(missing.size());
    for (size_t i : missing) todo.push_back(texts[i]);
    std::vector<std::vector<float>> fresh;
    SMELTER_RETURN_IF_ERROR(inner_->Embed(todo, &fresh));
    if (fresh.size() != missing.size()) return Status::Internal("embedder returned a wrong count");
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction tx(*db_);
    SMELTER_RETURN_IF_ERROR(tx.begin_status());
    auto ins = db_->Prepare("INSERT OR REPLACE INTO embeddings(model, text_hash, vector) VALUES(?,?,?)");
    if (!ins.ok()) return ins.status();
    for (size_t j = 0; j < missing.size(); ++j) {
      const std::vector<float>& v = fresh[j];
      (*ins)->Bind(1, model).Bind(2, keys[missing[j]])
          .BindBlob(3, std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
      SMELTER_RETURN_IF_ERROR((*ins)->Run());
      vectors[missing[j]] = std::move(fresh[j]);
    }
    SMELTER_RETURN_IF_ERROR(tx.Commit());
  }
  for (auto& v : vectors) out->push_back(std::move(v));
  return Status::OK();
}

}  // namespace smelter
