// BM25 keyword index: an in-memory inverted index (term -> postings of
// (document slot, term frequency)), saved as one checksummed binary file.
//
// Removal leaves a tombstone: the document's postings stay in their lists,
// skipped at search time, and document frequencies are counted over live
// postings only, so scores match an index built without the removed
// documents. When tombstones outnumber live documents the lists are
// compacted; Save() always writes the compacted form.
//
// File format (version 1, little-endian):
//   "SMKWIDX\0"  u32 version  u32 flags(0)
//   u64 doc_count  u64 term_count  u64 total_length
//   doc_count  x { u64 label, u32 length }
//   term_count x { u32 bytes, term bytes, u32 postings, postings x { u32 doc, u32 tf } }
//   u64 XXH3-64 of everything before it
#include "index/keyword_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <queue>
#include <unordered_map>
#include <unordered_set>

// The word splitting and Unicode folding are shared with the built-in
// embedder, so that both see the same words.
#include "embed/hashing_embedder.h"

namespace smelter {
namespace {

constexpr size_t kMaxTermBytes = 64;  // longer words are cut (on a code point)

// Lucene's English stop set: too common to tell documents apart.
constexpr std::array<std::string_view, 33> kStopWords = {
    "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
    "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
    "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()));

bool IsStopWord(std::string_view word) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

// Steps 1 and 5a of Porter's stemmer (plurals, -ed, -ing, -y, a final -e):
// light enough to keep words recognizable, enough to match "indexes",
// "indexed" and "indexing" with "index", "files" and "filing" with "file".
// Applied to lower-case ASCII words only.
class LightStemmer {
 public:
  explicit LightStemmer(std::string* word) : b_(*word), k_(static_cast<int>(word->size()) - 1) {}

  void Run() {
    if (k_ <= 1) return;  // words of one or two letters stay as they are
    Step1ab();
    Step1c();
    Step5a();
    b_.resize(static_cast<size_t>(k_ + 1));
  }

 private:
  bool Cons(int i) const {
    switch (b_[static_cast<size_t>(i)]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return false;
      case 'y':
        return i == 0 ? true : !Cons(i - 1);
      default:
        return true;
    }
  }
  // The number of vowel-consonant sequences in b[0..j].
  int M() const {
    int n = 0, i = 0;
    for (;;) {
      if (i > j_) return n;
      if (!Cons(i)) break;
      ++i;
    }
    ++i;
    for (;;) {
      for (;;) {
        if (i > j_) return n;
        if (Cons(i)) break;
        ++i;
      }
      ++i;
      ++n;
      for (;;) {
        if (i > j_) return n;
        if (!Cons(i)) break;
        ++i;
      }
      ++i;
    }
  }
  bool VowelInStem() const {
    for (int i = 0; i <= j_; ++i) {
      if (!Cons(i)) return true;
    }
    return false;
  }
  bool DoubleCons(int j) const {
    return j >= 1 && b_[static_cast<size_t>(j)] == b_[static_cast<size_t>(j - 1)] && Cons(j);
  }
  // consonant-vowel-consonant, the last not w, x or y: "hop" -> "hope".
  bool Cvc(int i) const {
    if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2)) return false;
    const char c = b_[static_cast<size_t>(i)];
    return c != 'w' && c != 'x' && c != 'y';
  }
  bool Ends(std::string_view s) {
    const int len = static_cast<int>(s.size());
    if (len > k_ + 1) return false;
    if (std::string_view(b_).substr(static_cast<size_t>(k_ - len + 1), s.size()) != s) return false;
    j_ = k_ - len;
    return true;
  }
  void SetTo(std::string_view s) {
    b_.replace(static_cast<size_t>(j_ + 1), static_cast<size_t>(k_ - j_), s);
    k_ = j_ + static_cast<int>(s.size());
  }
  void Step1ab() {
    if (b_[static_cast<size_t>(k_)] == 's') {
      if (Ends("sses")) {
        k_ -= 2;
      } else if (Ends("ies")) {
        SetTo("i");
      } else if (b_[static_cast<size_t>(k_ - 1)] != 's') {
        --k_;
      }
    }
    b_.resize(static_cast<size_t>(k_ + 1));
    if (Ends("eed")) {
      if (M() > 0) --k_;
    } else if ((Ends("ed") || Ends("ing")) && VowelInStem()) {
      k_ = j_;
      b_.resize(static_cast<size_t>(k_ + 1));
      if (Ends("at")) {
        SetTo("ate");
      } else if (Ends("bl")) {
        SetTo("ble");
      } else if (Ends("iz")) {
        SetTo("ize");
      } else if (DoubleCons(k_)) {
        const char c = b_[static_cast<size_t>(k_)];
        if (c != 'l' && c != 's' && c != 'z') --k_;
      } else {
        j_ = k_;
        if (M() == 1 && Cvc(k_)) {
          b_.resize(static_cast<size_t>(k_ + 1));
          b_ += 'e';
          ++k_;
        }
      }
    }
    b_.resize(static_cast<size_t>(k_ + 1));
  }
  void Step1c() {
    if (Ends("y") && VowelInStem()) b_[static_cast<size_t>(k_)] = 'i';
  }
  void Step5a() {
    if (k_ < 1 || b_[static_cast<size_t>(k_)] != 'e') return;
    j_ = k_ - 1;
    const int m = M();
    if (m > 1 || (m == 1 && !Cvc(k_ - 1))) --k_;
  }

  std::string& b_;
  int k_;      // last index of the word
  int j_ = 0;  // last index of the stem, set by Ends()
};

bool IsAsciiLetters(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Appends the analyzed terms of `text` to *out.
void Analyze(WordSplitter* splitter, std::string_view text, std::vector<std::string>* out) {
  for (std::string_view word : splitter->Split(text)) {
    if (IsStopWord(word)) continue;
    std::string term(word);
    if (term.size() > kMaxTermBytes) {
      size_t cut = kMaxTermBytes;
      while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
      term.resize(cut);
    } else if (IsAsciiLetters(term)) {
      LightStemmer(&term).Run();
    }
    out->push_back(std::move(term));
  }
}

// ---------------------------------------------------------------------------
// Little-endian encoding.

void PutU32(std::string* out, uint32_t v) {
  for (int k = 0; k < 4; ++k) out->push_back(static_cast<char>(v >> (8 * k)));
}
void PutU64(std::string* out, uint64_t v) {
  for (int k = 0; k < 8; ++k) out->push_back(static_cast<char>(v >> (8 * k)));
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}
  bool U32(uint32_t* v) {
    if (data_.size() - pos_ < 4) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k)
      *v |= uint32_t{static_cast<unsigned char>(data_[pos_ + k])} << (8 * k);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t* v) {
    if (data_.size() - pos_ < 8) return false;
    *v = 0;
    for (int k = 0; k < 8; ++k)
      *v |= uint64_t{static_cast<unsigned char>(data_[pos_ + k])} << (8 * k);
    pos_ += 8;
    return true;
  }
  bool Bytes(size_t n, std::string_view* v) {
    if (data_.size() - pos_ < n) return false;
    *v = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

constexpr char kMagic[8] = {'S', 'M', 'K', 'W', 'I', 'D', 'X', '\0'};
constexpr uint32_t kVersion = 1;

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status status = Status::IOError("cannot write " + tmp + ": " + std::strerror(errno));
      ::close(fd);
      ::unlink(tmp.c_str());
      return status;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Status status = Status::IOError("cannot flush " + tmp + ": " + std::strerror(errno));
    ::unlink(tmp.c_str());
    return status;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status status =
        Status::IOError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
    ::unlink(tmp.c_str());
    return status;
  }
  return Status::OK();
}

struct Posting {
  uint32_t doc;  // document slot
  uint32_t tf;
};

}  // namespace

std::vector<std::string> AnalyzeTerms(std::string_view text) {
  WordSplitter splitter;
  std::vector<std::string> terms;
  Analyze(&splitter, text, &terms);
  return terms;
}

struct KeywordIndex::Impl {
  Bm25Options options;
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<std::string> terms;                // by term id
  std::vector<std::vector<Posting>> postings;    // by term id, by ascending slot
  std::vector<uint64_t> labels;                  // by document slot
  std::vector<uint32_t> lengths;                 // by slot: terms in the document
  std::vector<uint8_t> alive;                    // by slot
  std::unordered_map<uint64_t, uint32_t> slots;  // live label -> slot
  uint64_t total_length = 0;                     // over live documents
  size_t dead = 0;
  WordSplitter splitter;  // reused by Add (writes are single-threaded)

  void Remove(uint64_t label) {
    auto it = slots.find(label);
    if (it == slots.end()) return;
    const uint32_t slot = it->second;
    alive[slot] = 0;
    total_length -= lengths[slot];
    slots.erase(it);
    ++dead;
    if (dead > 4096 && dead > slots.size()) Compact();
  }

  // Drops removed documents and terms left with no postings.
  void Compact() {
    std::vector<uint32_t> new_slot(labels.size(), UINT32_MAX);
    std::vector<uint64_t> new_labels;
    std::vector<uint32_t> new_lengths;
    for (uint32_t slot = 0; slot < labels.size(); ++slot) {
      if (!alive[slot]) continue;
      new_slot[slot] = static_cast<uint32_t>(new_labels.size());
      new_labels.push_back(labels[slot]);
      new_lengths.push_back(lengths[slot]);
    }
    std::vector<std::string> new_terms;
    std::vector<std::vector<Posting>> new_postings;
    term_ids.clear();
    for (size_t id = 0; id < terms.size(); ++id) {
      std::vector<Posting> kept;
      for (const Posting& p : postings[id]) {
        if (alive[p.doc]) kept.push_back({new_slot[p.doc], p.tf});
      }
      if (kept.empty()) continue;
      term_ids.emplace(terms[id], static_cast<uint32_t>(new_terms.size()));
      new_terms.push_back(std::move(terms[id]));
      new_postings.push_back(std::move(kept));
    }
    labels = std::move(new_labels);
    lengths = std::move(new_lengths);
    alive.assign(labels.size(), 1);
    terms = std::move(new_terms);
    postings = std::move(new_postings);
    slots.clear();
    for (uint32_t slot = 0; slot < labels.size(); ++slot) slots.emplace(labels[slot], slot);
    dead = 0;
  }
};

KeywordIndex::KeywordIndex(Bm25Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
KeywordIndex::~KeywordIndex() = default;

void KeywordIndex::Add(uint64_t label, std::string_view text) {
  Impl& impl = *impl_;
  impl.Remove(label);
  std::vector<std::string> terms;
  Analyze(&impl.splitter, text, &terms);
  std::sort(terms.begin(), terms.end());
  const uint32_t slot = static_cast<uint32_t>(impl.labels.size());
  impl.labels.push_back(label);
  impl.lengths.push_back(static_cast<uint32_t>(terms.size()));
  impl.alive.push_back(1);
  impl.slots[label] = slot;
  impl.total_length += terms.size();
  for (size_t i = 0; i < terms.size();) {
    size_t j = i + 1;
    while (j < terms.size() && terms[j] == terms[i]) ++j;
    auto [it, inserted] = impl.term_ids.emplace(terms[i], static_cast<uint32_t>(impl.terms.size()));
    if (inserted) {
      impl.terms.push_back(terms[i]);
      impl.postings.emplace_back();
    }
    impl.postings[it->second].push_back({slot, static_cast<uint32_t>(j - i)});
    i = j;
  }
}

void KeywordIndex::Remove(uint64_t label) { impl_->Remove(label); }

size_t KeywordIndex::size() const { return impl_->slots.size(); }

std::vector<std::pair<uint64_t, float>> KeywordIndex::Search(std::string_view query, int k) const {
  const Impl& impl = *impl_;
  std::vector<std::pair<uint64_t, float>> hits;
  const size_t n = impl.slots.size();
  if (k <= 0 || n == 0) return hits;
  std::vector<std::string> terms = AnalyzeTerms(query);
  std::sort(terms.begin(), terms.end());

  const double k1 = impl.options.k1;
  const double b = impl.options.b;
  const double avgdl = static_cast<double>(impl.total_length) / static_cast<double>(n);
  std::vector<float> scores(impl.labels.size(), 0.0f);  // local: Search may run concurrently
  std::vector<uint32_t> touched;
  for (size_t i = 0; i < terms.size();) {
    size_t j = i + 1;
    while (j < terms.size() && terms[j] == terms[i]) ++j;
    const double query_tf = static_cast<double>(j - i);
    auto it = impl.term_ids.find(terms[i]);
    i = j;
    if (it == impl.term_ids.end()) continue;
    const std::vector<Posting>& list = impl.postings[it->second];
    size_t df = list.size();
    if (impl.dead > 0) {
      df = 0;
      for (const Posting& p : list) df += impl.alive[p.doc];
    }
    if (df == 0) continue;
    // Lucene's BM25 idf: never negative, even for terms in most documents.
    const double idf =
        std::log(1.0 + (static_cast<double>(n - df) + 0.5) / (static_cast<double>(df) + 0.5));
    for (const Posting& p : list) {
      if (!impl.alive[p.doc]) continue;
      const double tf = p.tf;
      const double norm = avgdl > 0 ? k1 * (1.0 - b + b * impl.lengths[p.doc] / avgdl) : k1;
      const float score = static_cast<float>(query_tf * idf * tf * (k1 + 1.0) / (tf + norm));
      if (scores[p.doc] == 0.0f) touched.push_back(p.doc);
      scores[p.doc] += score;
    }
  }

  // Top k by (score desc, label asc): a min-heap of the best so far.
  auto better = [&](uint32_t a, uint32_t c) {
    if (scores[a] != scores[c]) return scores[a] > scores[c];
    return impl.labels[a] < impl.labels[c];
  };
  std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(better)> heap(better);
  for (uint32_t doc : touched) {
    if (heap.size() < static_cast<size_t>(k)) {
      heap.push(doc);
    } else if (better(doc, heap.top())) {
      heap.pop();
      heap.push(doc);
    }
  }
  hits.resize(heap.size());
  for (size_t r = hits.size(); r-- > 0;) {
    hits[r] = {impl.labels[heap.top()], scores[heap.top()]};
    heap.pop();
  }
  return hits;
}

Status KeywordIndex::Save(const std::string& path) const {
  const Impl& impl = *impl_;
  // Compacted on the way out: live documents renumbered in slot order.
  std::vector<uint32_t> new_slot(impl.labels.size(), UINT32_MAX);
  uint32_t docs = 0;
  for (uint32_t slot = 0; slot < impl.labels.size(); ++slot) {
    if (impl.alive[slot]) new_slot[slot] = docs++;
  }
  std::string out;
  out.append(kMagic, sizeof(kMagic));
  PutU32(&out, kVersion);
  PutU32(&out, 0);
  PutU64(&out, docs);
  const size_t term_count_at = out.size();
  PutU64(&out, 0);  // term count, filled in below
  PutU64(&out, impl.total_length);
  for (uint32_t slot = 0; slot < impl.labels.size(); ++slot) {
    if (!impl.alive[slot]) continue;
    PutU64(&out, impl.labels[slot]);
    PutU32(&out, impl.lengths[slot]);
  }
  uint64_t term_count = 0;
  std::string postings;
  for (size_t id = 0; id < impl.terms.size(); ++id) {
    postings.clear();
    uint32_t count = 0;
    for (const Posting& p : impl.postings[id]) {
      if (!impl.alive[p.doc]) continue;
      PutU32(&postings, new_slot[p.doc]);
      PutU32(&postings, p.tf);
      ++count;
    }
    if (count == 0) continue;
    PutU32(&out, static_cast<uint32_t>(impl.terms[id].size()));
    out += impl.terms[id];
    PutU32(&out, count);
    out += postings;
    ++term_count;
  }
  for (int k = 0; k < 8; ++k)
    out[term_count_at + static_cast<size_t>(k)] = static_cast<char>(term_count >> (8 * k));
  PutU64(&out, XXH3_64bits(out.data(), out.size()));
  return WriteFileAtomically(path, out);
}

Result<std::unique_ptr<KeywordIndex>> KeywordIndex::Load(const std::string& path,
                                                         Bm25Options options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
      return Status::NotFound("no keyword index at " + path);
    }
    return Status::IOError("cannot open " + path);
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError("cannot read " + path);
  auto corrupt = [&](const std::string& why) {
    return Status::Corrupt("keyword index " + path + ": " + why);
  };
  if (data.size() < sizeof(kMagic) + 8 + 24 + 8) return corrupt("too short");
  if (std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) return corrupt("not a keyword index");
  const std::string_view body(data.data(), data.size() - 8);
  Decoder tail(std::string_view(data).substr(body.size()));
  uint64_t checksum;
  tail.U64(&checksum);
  if (checksum != XXH3_64bits(body.data(), body.size())) return corrupt("checksum mismatch");

  Decoder d(body.substr(sizeof(kMagic)));
  uint32_t version, flags;
  uint64_t doc_count, term_count, total_length;
  if (!d.U32(&version) || !d.U32(&flags)) return corrupt("truncated header");
  if (version != kVersion) return corrupt("unsupported version " + std::to_string(version));
  if (flags != 0) return corrupt("unsupported flags");
  if (!d.U64(&doc_count) || !d.U64(&term_count) || !d.U64(&total_length)) {
    return corrupt("truncated header");
  }
  if (doc_count > d.remaining() / 12 || doc_count >= UINT32_MAX)
    return corrupt("bad document count");
  if (term_count > d.remaining() / 8) return corrupt("bad term count");

  auto index = std::make_unique<KeywordIndex>(options);
  Impl& impl = *index->impl_;
  impl.labels.resize(doc_count);
  impl.lengths.resize(doc_count);
  impl.alive.assign(doc_count, 1);
  uint64_t sum = 0;
  for (uint32_t slot = 0; slot < doc_count; ++slot) {
    if (!d.U64(&impl.labels[slot]) || !d.U32(&impl.lengths[slot]))
      return corrupt("truncated documents");
    if (!impl.slots.emplace(impl.labels[slot], slot).second) return corrupt("duplicate label");
    sum += impl.lengths[slot];
  }
  if (sum != total_length) return corrupt("document lengths do not add up");
  impl.total_length = total_length;
  impl.terms.reserve(term_count);
  impl.postings.reserve(term_count);
  for (uint64_t t = 0; t < term_count; ++t) {
    uint32_t bytes, count;
    std::string_view term;
    if (!d.U32(&bytes) || bytes == 0 || bytes > 4 * kMaxTermBytes || !d.Bytes(bytes, &term) ||
        !d.U32(&count)) {
      return corrupt("bad term");
    }
    if (count == 0 || count > doc_count || count > d.remaining() / 8)
      return corrupt("bad postings");
    std::vector<Posting> list(count);
    for (uint32_t i = 0; i < count; ++i) {
      d.U32(&list[i].doc);
      d.U32(&list[i].tf);
      if (list[i].doc >= doc_count || list[i].tf == 0 ||
          (i > 0 && list[i].doc <= list[i - 1].doc)) {
        return corrupt("bad posting");
      }
    }
    if (!impl.term_ids.emplace(std::string(term), static_cast<uint32_t>(impl.terms.size()))
             .second) {
      return corrupt("duplicate term");
    }
    impl.terms.emplace_back(term);
    impl.postings.push_back(std::move(list));
  }
  if (d.remaining() != 0) return corrupt("trailing bytes");
  return index;
}

}  // namespace smelter
