// DedupIndex: incremental, persistent exact and near-duplicate detection
// over whole documents, stored in SQLite.
//
// Add() normalizes a document's text (text_normalize.h), computes its exact
// key and MinHash signature (minhash.h) once, and checks it against every
// document already stored -- exact key first, then LSH band buckets
// (lsh.h) whose candidates are verified on their full stored signatures.
// Old documents' signatures are read, never recomputed, so adding to a
// lake of N documents costs one signature plus a few indexed look-ups.
//
// Clusters. Every document row carries canonical_key, the document that
// represents its cluster (a canonical points to itself; members point
// straight at the canonical, never along a chain). A new document that
// matches (exact, or similarity >= threshold) members of several clusters
// merges them into one (single link). The canonical of a cluster is chosen
// by the policy among the old canonicals and the new document:
//   newest   -- latest source modified time (then longest, then smallest id)
//   longest  -- most words (then newest, then smallest id)
//   priority -- highest source priority number (then newest, ...)
// so a newer copy arriving later takes over, and the decision lists the
// former canonicals it demoted. Remove() keeps the remaining members
// together and promotes a new canonical when the canonical goes.
//
// Tables (created when missing; the db may be the lake's catalog or its
// own file): dedup_meta (parameters), dedup_docs (doc_key, doc_id,
// exact_key, signature, length, modified, priority, canonical_key, match
// columns), dedup_bands (bucket, doc_key, band; primary key on bucket).
// Reopening with another shingle size, permutation count or seed is an
// InvalidArgument (signatures would not compare); another threshold
// rebuilds the band table from the stored signatures, another policy
// re-picks every cluster's canonical.
//
// Not thread-safe: one DedupIndex per connection, one thread at a time.
// When the connection is already inside a transaction, Add/Remove join it;
// otherwise each call (and each AddAll) is one transaction of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/sqlite.h"
#include "core/status.h"
#include "dedup/lsh.h"
#include "dedup/minhash.h"

namespace smelter::dedup {

enum class CanonicalPolicy { kNewest, kLongest, kPriority };
Result<CanonicalPolicy> ParseCanonicalPolicy(std::string_view name);  // "newest", "longest", "priority"
std::string_view PolicyName(CanonicalPolicy policy);

struct DedupOptions {
  // Minimum similarity (minhash.h: estimated share of words in common) for
  // a near duplicate; 0 < threshold < 1.
  double threshold = 0.8;
  MinHashOptions minhash;
  CanonicalPolicy policy = CanonicalPolicy::kNewest;
};

struct DedupDocument {
  std::string id;          // the caller's document id (the catalog's)
  std::string_view text;   // extracted text (e.g. rendered Markdown); normalized here
  int64_t modified = 0;    // source modified time, any consistent unit
  int64_t priority = 0;    // source priority, higher wins under kPriority
};

enum class DedupKind { kUnique, kExactDuplicate, kNearDuplicate };
std::string_view KindName(DedupKind kind);  // "unique", "exact", "near"

struct DedupDecision {
  DedupKind kind = DedupKind::kUnique;
  std::string duplicate_of;  // the stored document it matched best ("" when unique)
  double similarity = 0.0;   // to duplicate_of; 1 for exact duplicates
  std::string canonical_id;  // the cluster's canonical after the call (may be this document)
  // Documents that were canonical before this call and now are duplicates
  // of canonical_id (the caller hides them). Non-empty only when clusters
  // merged or this document took over as canonical.
  std::vector<std::string> demoted;
  // Documents that became canonical because this id was stored before with
  // other text, which left their cluster (the caller un-hides them).
  std::vector<std::string> promoted;
};

struct RemoveOutcome {
  std::string promoted;  // the new canonical of the removed canonical's cluster, or ""
};

struct ClusterMember {
  std::string id;
  double similarity = 1.0;  // estimated, to the canonical (1 for the canonical itself)
  bool exact = false;       // same exact key as the canonical
  int64_t length = 0;       // words
  int64_t modified = 0;
  int64_t priority = 0;
};

struct DedupCluster {
  std::string canonical_id;
  std::vector<ClusterMember> members;  // canonical first, then by similarity, descending
};

class DedupIndex {
 public:
  ~DedupIndex();
  DedupIndex(const DedupIndex&) = delete;
  DedupIndex& operator=(const DedupIndex&) = delete;

  // Opens (creating when missing) an index in its own SQLite file.
  static Result<std::unique_ptr<DedupIndex>> Open(const std::string& path, const DedupOptions& options);
  // Uses tables in a database the caller owns (e.g. the catalog), which
  // must outlive the index.
  static Result<std::unique_ptr<DedupIndex>> Attach(SqliteDb& db, const DedupOptions& options);

  // Adds (or, when the id exists with other text, replaces) one document.
  // Adding an id again with the same text changes nothing and returns its
  // stored decision, without demotions.
  Result<DedupDecision> Add(const DedupDocument& doc);
  // Adds documents in order, in one transaction: much faster in bulk.
  Result<std::vector<DedupDecision>> AddAll(const std::vector<DedupDocument>& docs);
  // NotFound when the id is not stored.
  Result<RemoveOutcome> Remove(const std::string& doc_id);

  // The canonical document of doc_id's cluster (doc_id itself when unique).
  Result<std::string> CanonicalOf(const std::string& doc_id);
  // Clusters with at least two members (all clusters with singletons=true),
  // largest first.
  Result<std::vector<DedupCluster>> ListClusters(bool singletons = false);
  Result<int64_t> DocumentCount();

  SqliteDb& db() { return *db_; }
  const LshParams& lsh() const { return lsh_; }
  const DedupOptions& options() const { return options_; }
  // Signatures this object has computed (only for new texts): what the
  // incremental-add test counts.
  int64_t signatures_computed() const { return signatures_computed_; }

 private:
  struct Statements;
  struct Row;
  DedupIndex(std::unique_ptr<SqliteDb> owned, SqliteDb* db, const DedupOptions& options);
  Status Init();
  Status Prepare();
  Status RebuildBands();
  Status RepickAllCanonicals();
  Result<DedupDecision> AddOne(const DedupDocument& doc);
  Result<RemoveOutcome> RemoveOne(const std::string& doc_id);
  Result<Row> LoadRow(int64_t doc_key);
  void QueueBands(int64_t doc_key, const std::vector<uint64_t>& keys);
  Status FlushBands();
  Status DeleteBands(int64_t doc_key, const Signature& signature);
  bool Better(const Row& a, const Row& b) const;
  double Similarity(const Signature& a, const Signature& b) const;

  std::unique_ptr<SqliteDb> owned_;
  SqliteDb* db_;
  DedupOptions options_;
  MinHasher hasher_;
  LshParams lsh_;
  double jaccard_threshold_ = 0.0;
  std::unique_ptr<Statements> stmts_;
  // Band rows of the current call, written sorted by bucket when it ends
  // (one pass over the index pages instead of a random insert per row),
  // and looked up here meanwhile.
  struct PendingBand {
    uint64_t bucket;
    int64_t doc_key;
    int band;
  };
  std::vector<PendingBand> pending_bands_;
  std::unordered_multimap<uint64_t, int64_t> pending_lookup_;
  int64_t signatures_computed_ = 0;
};

}  // namespace smelter::dedup
