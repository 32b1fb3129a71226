#include "index/searcher.h"

#include <nlohmann/json.hpp>

#include "enrich/metadata_filter.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "index/fusion.h"

namespace smelter {

Result<std::unique_ptr<Searcher>> Searcher::Open(Lake& lake, Catalog& catalog) {
  Result<std::unique_ptr<Embedder>> embedder = MakeEmbedder(lake.config().embed);
  if (!embedder.ok()) return embedder.status();
  Result<IndexSet> indexes = IndexSet::Open(lake, (*embedder)->model_id(), (*embedder)->dimension());
  if (!indexes.ok()) return indexes.status();
  if (indexes->fresh) {
    return Status::NotFound("the lake has no search index yet; run `smelter run` first");
  }
  return std::unique_ptr<Searcher>(
      new Searcher(lake, catalog, std::move(*embedder), std::move(*indexes)));
}

Result<std::vector<SearchHit>> Searcher::Search(const std::string& query, int k, SearchMode mode,
                                                const MetadataFilter* filter) {
  const SearchConfig& config = lake_.config().search;
  const int candidates = std::max(config.candidates, k) * (filter ? 10 : 1);
  std::vector<RankedList> lists;
  if (mode != SearchMode::kVector) {
    lists.push_back({indexes_.keywords->Search(query, candidates), config.keyword_weight});
  }
  if (mode != SearchMode::kKeyword) {
    std::vector<std::vector<float>> qv;
    SMELTER_RETURN_IF_ERROR(embedder_->Embed({query}, &qv));
    lists.push_back({indexes_.vectors->Search(qv.at(0), candidates), config.vector_weight});
  }
  // Ask for more than k: labels of chunks deleted since the index was saved
  // are dropped below.
  const size_t limit = filter ? static_cast<size_t>(candidates) * 2 : static_cast<size_t>(k) * 2 + 8;
  std::vector<std::pair<uint64_t, float>> fused;
  if (lists.size() == 1) {
    fused = lists[0].hits;
  } else if (config.fusion == "rrf") {
    fused = ReciprocalRankFusion(lists, config.rrf_k, limit);
  } else {
    fused = WeightedScoreFusion({{lists[0].hits, lists[0].weight, /*bounded=*/false},
                                 {lists[1].hits, lists[1].weight, /*bounded=*/true}},
                                limit);
  }

  std::vector<uint64_t> labels;
  for (const auto& [label, score] : fused) labels.push_back(label);
  std::unordered_map<std::string, bool> doc_matches;  // filter verdict per document
  Result<std::vector<ChunkRecord>> chunks = catalog_.ChunksByLabel(labels);
  if (!chunks.ok()) return chunks.status();
  std::unordered_map<uint64_t, ChunkRecord*> by_label;
  for (ChunkRecord& c : *chunks) by_label[c.label] = &c;

  std::vector<SearchHit> hits;
  std::unordered_map<std::string, DocumentRecord> docs;
  for (const auto& [label, score] : fused) {
    if (static_cast<int>(hits.size()) >= k) break;
    auto it = by_label.find(label);
    if (it == by_label.end()) continue;
    SearchHit hit;
    hit.rank = static_cast<int>(hits.size()) + 1;
    hit.score = score;
    hit.chunk = *it->second;
    auto doc = docs.find(hit.chunk.chunk.doc_id);
    if (doc == docs.end()) {
      Result<DocumentRecord> d = catalog_.GetDocument(hit.chunk.chunk.doc_id);
      if (!d.ok()) continue;
      doc = docs.emplace(hit.chunk.chunk.doc_id, *d).first;
    }
    if (filter) {
      auto verdict = doc_matches.find(doc->first);
      if (verdict == doc_matches.end()) {
        nlohmann::json attributes = nlohmann::json::parse(doc->second.attributes, nullptr, false);
        bool ok = attributes.is_object() && filter->Matches(attributes);
        verdict = doc_matches.emplace(doc->first, ok).first;
      }
      if (!verdict->second) continue;
    }
    hit.rank = static_cast<int>(hits.size()) + 1;
    hit.document = doc->second;
    hit.snippet = MakeSnippet(hit.chunk.chunk.text, query, 240);
    hits.push_back(std::move(hit));
  }
  return hits;
}

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

std::string MakeSnippet(const std::string& text, const std::string& query, size_t max_chars) {
  std::string lower = Lower(text);
  size_t best = std::string::npos;
  size_t word_start = 0;
  std::string q = Lower(query);
  for (size_t i = 0; i <= q.size(); ++i) {
    if (i == q.size() || !std::isalnum(static_cast<unsigned char>(q[i]))) {
      if (i - word_start >= 3) {
        size_t pos = lower.find(q.substr(word_start, i - word_start));
        if (pos < best) best = pos;
      }
      word_start = i + 1;
    }
  }
  size_t begin = 0;
  if (best != std::string::npos && best > max_chars / 3) begin = best - max_chars / 3;
  size_t end = std::min(text.size(), begin + max_chars);
  if (end - begin < max_chars && begin > 0) begin = end > max_chars ? end - max_chars : 0;
  while (begin > 0 && begin < text.size() && IsContinuation(static_cast<unsigned char>(text[begin]))) --begin;
  while (end < text.size() && IsContinuation(static_cast<unsigned char>(text[end]))) --end;
  // Cut at word boundaries.
  if (begin > 0) {
    size_t space = text.find(' ', begin);
    if (space != std::string::npos && space < begin + 30) begin = space + 1;
  }
  if (end < text.size()) {
    size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space > begin + max_chars / 2) end = space;
  }
  std::string out = text.substr(begin, end - begin);
  for (char& c : out)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  // Collapse runs of spaces left by folded newlines.
  std::string collapsed;
  collapsed.reserve(out.size() + 6);
  if (begin > 0) collapsed += "...";
  for (char c : out)
    if (!(c == ' ' && !collapsed.empty() && collapsed.back() == ' ')) collapsed += c;
  if (end < text.size()) collapsed += "...";
  return collapsed;
}

}  // namespace smelter
