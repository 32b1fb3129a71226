// VectorIndex over hnswlib 0.6.2 (Debian's libhnswlib-dev).
//
// hnswlib reports errors by throwing std::runtime_error, and its loader
// trusts the file: a truncated or corrupted index can make it allocate
// absurd amounts or read out of bounds. So every call into it is wrapped in
// a try/catch that turns exceptions into a Status, and Load() first checks
// the whole file against the layout saveIndex() writes (header, link
// counts, neighbour ids, labels) before hnswlib sees it.
#include "index/vector_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <unordered_set>

// hnswlib 0.6.2 computes prefetch addresses from the slot just past a full
// upper-level link list, reading up to 3 bytes beyond its allocation. The
// read is harmless in practice (it only feeds a prefetch hint) but
// AddressSanitizer rightly reports it, so sanitized builds compile the hints
// out; normal builds keep them, as they speed up searches on large indexes.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMELTER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SMELTER_ASAN 1
#endif
#if defined(SMELTER_ASAN) && defined(__SSE__)
#include <xmmintrin.h>
#undef _mm_prefetch
#define _mm_prefetch(address, hint) ((void)0)
#define SMELTER_NO_HNSW_PREFETCH 1
#endif

// hnswlib is a third-party header library that does not build cleanly with
// -Wall -Wextra (unsigned comparisons with 0, unused parameters).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <hnswlib/hnswlib.h>
#pragma GCC diagnostic pop
#if defined(SMELTER_NO_HNSW_PREFETCH)
#undef _mm_prefetch
#endif

namespace smelter {
namespace {

using Hnsw = hnswlib::HierarchicalNSW<float>;

constexpr size_t kInitialCapacity = 1024;
constexpr int kMaxLevel = 64;  // far above what 2^64 elements could reach

// The fixed header hnswlib's saveIndex() writes, field by field.
struct HnswHeader {
  size_t offset_level0;
  size_t max_elements;
  size_t element_count;
  size_t size_data_per_element;
  size_t label_offset;
  size_t offset_data;
  int max_level;
  unsigned int entry_point;
  size_t max_m;
  size_t max_m0;
  size_t m;
  double mult;
  size_t ef_construction;
};

// Reads a file in order, failing softly at the end.
class Reader {
 public:
  explicit Reader(const std::string& path) : in_(path, std::ios::binary) {}
  bool is_open() const { return in_.is_open(); }
  template <typename T>
  bool Pod(T* value) {
    return Bytes(reinterpret_cast<char*>(value), sizeof(T));
  }
  bool Bytes(char* out, size_t n) {
    in_.read(out, static_cast<std::streamsize>(n));
    return static_cast<size_t>(in_.gcount()) == n;
  }
  bool AtEnd() { return in_.peek() == std::char_traits<char>::eof(); }

 private:
  std::ifstream in_;
};

bool ReadHeader(Reader* r, HnswHeader* h) {
  return r->Pod(&h->offset_level0) && r->Pod(&h->max_elements) && r->Pod(&h->element_count) &&
         r->Pod(&h->size_data_per_element) && r->Pod(&h->label_offset) && r->Pod(&h->offset_data) &&
         r->Pod(&h->max_level) && r->Pod(&h->entry_point) && r->Pod(&h->max_m) &&
         r->Pod(&h->max_m0) && r->Pod(&h->m) && r->Pod(&h->mult) && r->Pod(&h->ef_construction);
}

constexpr size_t kHeaderBytes = 6 * sizeof(size_t) + sizeof(int) + sizeof(unsigned int) +
                                3 * sizeof(size_t) + sizeof(double) + sizeof(size_t);

// Checks a saved index completely; on success sets *dimension and *count.
Status ValidateIndexFile(const std::string& path, int* dimension, size_t* count) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::IOError("cannot stat " + path);
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  Reader r(path);
  if (!r.is_open()) return Status::IOError("cannot open " + path);
  auto corrupt = [&](const std::string& why) {
    return Status::Corrupt("vector index " + path + ": " + why);
  };
  HnswHeader h;
  if (!ReadHeader(&r, &h)) return corrupt("truncated header");
  if (h.offset_level0 != 0 || h.max_m0 == 0 || h.max_m == 0 || h.max_m0 > 0xFFFF ||
      h.max_m > 0xFFFF) {
    return corrupt("bad graph parameters");
  }
  const size_t links0_bytes = h.max_m0 * sizeof(unsigned int) + sizeof(unsigned int);
  const size_t links_bytes = h.max_m * sizeof(unsigned int) + sizeof(unsigned int);
  if (h.offset_data != links0_bytes || h.label_offset <= h.offset_data ||
      (h.label_offset - h.offset_data) % sizeof(float) != 0 ||
      h.size_data_per_element != h.label_offset + sizeof(hnswlib::labeltype)) {
    return corrupt("bad element layout");
  }
  const size_t dim = (h.label_offset - h.offset_data) / sizeof(float);
  if (dim > static_cast<size_t>(std::numeric_limits<int>::max())) return corrupt("bad dimension");
  if (h.element_count >
      (file_size - std::min<uint64_t>(file_size, kHeaderBytes)) / h.size_data_per_element) {
    return corrupt("element count larger than the file");
  }
  if (h.max_elements < h.element_count) return corrupt("element count above capacity");
  *dimension = static_cast<int>(dim);
  *count = h.element_count;
  if (h.element_count == 0) return r.AtEnd() ? Status::OK() : corrupt("trailing bytes");
  if (h.max_level < 0 || h.max_level > kMaxLevel || h.entry_point >= h.element_count ||
      !std::isfinite(h.mult) || h.mult <= 0) {
    return corrupt("bad entry point");
  }
  // Level 0: every element's neighbour count and ids, and unique labels.
  std::vector<char> element(h.size_data_per_element);
  std::unordered_set<hnswlib::labeltype> labels;
  labels.reserve(h.element_count);
  for (size_t i = 0; i < h.element_count; ++i) {
    if (!r.Bytes(element.data(), element.size())) return corrupt("truncated elements");
    unsigned short count;
    std::memcpy(&count, element.data(), sizeof(count));
    if (count > h.max_m0) return corrupt("bad neighbour count");
    for (size_t j = 0; j < count; ++j) {
      unsigned int id;
      std::memcpy(&id, element.data() + sizeof(unsigned int) * (1 + j), sizeof(id));
      if (id >= h.element_count) return corrupt("bad neighbour id");
    }
    hnswlib::labeltype label;
    std::memcpy(&label, element.data() + h.label_offset, sizeof(label));
    if (!labels.insert(label).second) return corrupt("duplicate label");
  }
  // Upper levels.
  std::vector<char> links;
  for (size_t i = 0; i < h.element_count; ++i) {
    unsigned int bytes;
    if (!r.Pod(&bytes)) return corrupt("truncated link lists");
    if (bytes % links_bytes != 0) return corrupt("bad link list size");
    const size_t levels = bytes / links_bytes;
    if (levels > static_cast<size_t>(h.max_level) ||
        (i == h.entry_point && levels != static_cast<size_t>(h.max_level))) {
      return corrupt("bad element level");
    }
    links.resize(bytes);
    if (bytes > 0 && !r.Bytes(links.data(), bytes)) return corrupt("truncated link lists");
    for (size_t level = 0; level < levels; ++level) {
      const char* list = links.data() + level * links_bytes;
      unsigned short count;
      std::memcpy(&count, list, sizeof(count));
      if (count > h.max_m) return corrupt("bad neighbour count");
      for (size_t j = 0; j < count; ++j) {
        unsigned int id;
        std::memcpy(&id, list + sizeof(unsigned int) * (1 + j), sizeof(id));
        if (id >= h.element_count) return corrupt("bad neighbour id");
      }
    }
  }
  if (!r.AtEnd()) return corrupt("trailing bytes");
  return Status::OK();
}

// The size saveIndex() writes for `hnsw`, to detect a short write (it
// checks nothing itself).
uint64_t ExpectedFileSize(const Hnsw& hnsw) {
  uint64_t size = kHeaderBytes + hnsw.cur_element_count * hnsw.size_data_per_element_;
  for (size_t i = 0; i < hnsw.cur_element_count; ++i) {
    size += sizeof(unsigned int);
    if (hnsw.element_levels_[i] > 0) {
      size += hnsw.size_links_per_element_ * static_cast<uint64_t>(hnsw.element_levels_[i]);
    }
  }
  return size;
}

Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("fsync " + path + ": " + std::strerror(err));
  return Status::OK();
}

}  // namespace

struct VectorIndex::Impl {
  VectorIndexOptions options;
  int dimension = 0;
  // The space outlives the graph, which points into it (declared first,
  // destroyed last).
  std::unique_ptr<hnswlib::InnerProductSpace> space;
  std::unique_ptr<Hnsw> hnsw;

  // Creates the empty graph once the dimension is known.
  Status EnsureGraph() {
    if (hnsw) return Status::OK();
    if (dimension <= 0) return Status::InvalidArgument("vector index has no dimension yet");
    try {
      space = std::make_unique<hnswlib::InnerProductSpace>(static_cast<size_t>(dimension));
      hnsw = std::make_unique<Hnsw>(space.get(), kInitialCapacity,
                                    static_cast<size_t>(std::max(2, options.m)),
                                    static_cast<size_t>(std::max(1, options.ef_construction)));
      hnsw->setEf(static_cast<size_t>(std::max(1, options.ef_search)));
    } catch (const std::exception& e) {
      hnsw.reset();
      return Status::Internal(std::string("hnswlib: ") + e.what());
    }
    return Status::OK();
  }
};

VectorIndex::VectorIndex() : impl_(std::make_unique<Impl>()) {}
VectorIndex::~VectorIndex() = default;

std::unique_ptr<VectorIndex> VectorIndex::Create(const VectorIndexOptions& options) {
  std::unique_ptr<VectorIndex> index(new VectorIndex());
  index->impl_->options = options;
  // With no dimension yet, the first Add() sets it.
  index->impl_->dimension = std::max(0, options.dimension);
  return index;
}

Result<std::unique_ptr<VectorIndex>> VectorIndex::Load(const std::string& path,
                                                       const VectorIndexOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("no vector index at " + path);
    return Status::IOError("cannot stat " + path + ": " + std::strerror(errno));
  }
  int dimension = 0;
  size_t count = 0;
  SMELTER_RETURN_IF_ERROR(ValidateIndexFile(path, &dimension, &count));
  if (options.dimension > 0 && options.dimension != dimension) {
    return Status::InvalidArgument("vector index " + path + " has dimension " +
                                   std::to_string(dimension) + ", expected " +
                                   std::to_string(options.dimension));
  }
  std::unique_ptr<VectorIndex> index(new VectorIndex());
  Impl& impl = *index->impl_;
  impl.options = options;
  impl.dimension = dimension;
  impl.space = std::make_unique<hnswlib::InnerProductSpace>(static_cast<size_t>(dimension));
  // The constructor that takes a path leaves num_deleted_ uninitialized
  // before counting into it (hnswlib 0.6.2), so start from the empty
  // constructor and set what the destructor and loader rely on.
  auto hnsw = std::make_unique<Hnsw>(impl.space.get());
  hnsw->num_deleted_ = 0;
  hnsw->cur_element_count = 0;
  hnsw->data_level0_memory_ = nullptr;
  hnsw->linkLists_ = nullptr;
  hnsw->visited_list_pool_ = nullptr;
  try {
    // Capacity: what is there, at least the initial one (Add doubles it
    // later); never the capacity recorded in the file.
    hnsw->loadIndex(path, impl.space.get(), std::max(count, kInitialCapacity));
    hnsw->setEf(static_cast<size_t>(std::max(1, options.ef_search)));
  } catch (const std::exception& e) {
    // Validated files fail here only when out of memory; the graph may be
    // half built, so leak it rather than run its destructor on it.
    hnsw->cur_element_count = 0;
    (void)hnsw.release();
    return Status::Internal("cannot load vector index " + path + ": " + e.what());
  }
  impl.hnsw = std::move(hnsw);
  return index;
}

Status VectorIndex::Save(const std::string& path) const {
  Impl& impl = *impl_;
  SMELTER_RETURN_IF_ERROR(impl.EnsureGraph());
  const std::string tmp = path + ".tmp";
  try {
    impl.hnsw->saveIndex(tmp);
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    return Status::IOError("cannot write " + tmp + ": " + e.what());
  }
  struct stat st;
  if (::stat(tmp.c_str(), &st) != 0 ||
      static_cast<uint64_t>(st.st_size) != ExpectedFileSize(*impl.hnsw)) {
    std::remove(tmp.c_str());
    return Status::IOError("short write to " + tmp + " (disk full or not writable?)");
  }
  Status synced = SyncFile(tmp);
  if (!synced.ok()) {
    std::remove(tmp.c_str());
    return synced;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status status =
        Status::IOError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
    std::remove(tmp.c_str());
    return status;
  }
  return Status::OK();
}

Status VectorIndex::Add(uint64_t label, const std::vector<float>& vector) {
  Impl& impl = *impl_;
  if (impl.dimension <= 0) {
    if (vector.empty()) return Status::InvalidArgument("empty vector");
    impl.dimension = static_cast<int>(vector.size());
  }
  if (vector.size() != static_cast<size_t>(impl.dimension)) {
    return Status::InvalidArgument("vector has dimension " + std::to_string(vector.size()) +
                                   ", index has " + std::to_string(impl.dimension));
  }
  for (float x : vector) {
    if (!std::isfinite(x)) return Status::InvalidArgument("vector has a NaN or infinite value");
  }
  SMELTER_RETURN_IF_ERROR(impl.EnsureGraph());
  Hnsw& hnsw = *impl.hnsw;
  try {
    const bool exists = hnsw.label_lookup_.count(label) != 0;
    if (!exists && hnsw.cur_element_count >= hnsw.max_elements_) {
      hnsw.resizeIndex(std::max<size_t>(2 * hnsw.max_elements_, kInitialCapacity));
    }
    // An existing label (live or removed) is updated in place and revived.
    hnsw.addPoint(vector.data(), label);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("hnswlib: ") + e.what());
  }
  return Status::OK();
}

void VectorIndex::Remove(uint64_t label) {
  if (!impl_->hnsw) return;
  Hnsw& hnsw = *impl_->hnsw;
  auto it = hnsw.label_lookup_.find(label);
  if (it == hnsw.label_lookup_.end() || hnsw.isMarkedDeleted(it->second)) return;
  try {
    hnsw.markDelete(label);
  } catch (const std::exception&) {
    // Only thrown for an absent or already removed label, checked above.
  }
}

size_t VectorIndex::size() const {
  if (!impl_->hnsw) return 0;
  return impl_->hnsw->cur_element_count - impl_->hnsw->num_deleted_;
}

int VectorIndex::dimension() const { return impl_->dimension; }

std::vector<std::pair<uint64_t, float>> VectorIndex::Search(const std::vector<float>& query,
                                                            int k) const {
  std::vector<std::pair<uint64_t, float>> hits;
  const Impl& impl = *impl_;
  if (!impl.hnsw || k <= 0 || query.size() != static_cast<size_t>(impl.dimension)) return hits;
  const size_t wanted = std::min(static_cast<size_t>(k), size());
  if (wanted == 0) return hits;
  try {
    auto queue = impl.hnsw->searchKnn(query.data(), wanted);  // worst on top
    hits.reserve(queue.size());
    while (!queue.empty()) {
      hits.emplace_back(static_cast<uint64_t>(queue.top().second), 1.0f - queue.top().first);
      queue.pop();
    }
  } catch (const std::exception&) {
    return {};
  }
  std::reverse(hits.begin(), hits.end());
  return hits;
}

}  // namespace smelter
