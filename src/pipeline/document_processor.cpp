#include "pipeline/document_processor.h"

#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "chunk/chunker.h"
#include "core/element.h"
#include "core/hash.h"
#include "dedup/paragraph_counts.h"
#include "extract/extractor.h"
#include "store/file_util.h"

namespace smelter {

namespace {

// The title users see: the format's own, else the first heading, else the
// file name without its extension.
std::string ChooseTitle(const ExtractedDocument& extracted, const std::string& file_name) {
  auto clean = [](std::string s) {
    for (char& c : s)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    size_t start = s.find_first_not_of(' ');
    s = start == std::string::npos ? "" : s.substr(start);
    if (s.size() > 200) s = s.substr(0, 200);
    return s;
  };
  std::string title = clean(extracted.title);
  if (!title.empty()) return title;
  for (const Element& e : extracted.elements) {
    if (e.type == ElementType::kTitle || e.type == ElementType::kHeading) {
      title = clean(e.text);
      if (!title.empty()) return title;
    }
  }
  return std::filesystem::path(file_name).stem().string();
}

nlohmann::json ChunkJson(const Chunk& c, const DocumentRecord& doc, const nlohmann::json& attributes) {
  nlohmann::json metadata = attributes.is_object() ? attributes : nlohmann::json::object();
  metadata.update({{"source", doc.source_uri},
                   {"file_name", doc.file_name},
                   {"title", doc.title},
                   {"type", doc.kind},
                   {"heading_path", c.heading_path},
                   {"page_start", c.page_start},
                   {"page_end", c.page_end},
                   {"char_start", c.char_start},
                   {"char_end", c.char_end},
                   {"tokens", c.token_count}});
  return {{"id", c.id}, {"doc_id", c.doc_id}, {"index", c.index}, {"text", c.text}, {"metadata", metadata},
          {"vector", c.vector}};
}

std::string GoldJsonl(const std::vector<Chunk>& chunks, const DocumentRecord& doc, const nlohmann::json& attributes) {
  std::string jsonl;
  for (const Chunk& c : chunks) {
    jsonl += ChunkJson(c, doc, attributes).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    jsonl += '\n';
  }
  return jsonl;
}

Status EmbedChunks(const Embedder& embedder, std::vector<Chunk>& chunks) {
  std::vector<std::string_view> texts;
  texts.reserve(chunks.size());
  for (const Chunk& c : chunks) texts.push_back(c.text);
  std::vector<std::vector<float>> vectors;
  SMELTER_RETURN_IF_ERROR(embedder.Embed(texts, &vectors));
  if (vectors.size() != chunks.size()) return Status::Internal("embedder returned a wrong count");
  for (size_t i = 0; i < vectors.size(); ++i) chunks[i].vector = std::move(vectors[i]);
  return Status::OK();
}

// Per block, the hash under which paragraph deduplication counts it; 0 for
// headings (they give chunks their structure) and short blocks.
std::vector<uint64_t> BlockHashes(const RenderedMarkdown& markdown, int min_words) {
  std::vector<uint64_t> hashes;
  hashes.reserve(markdown.blocks.size());
  for (const Block& b : markdown.blocks) {
    const bool structural = b.type == ElementType::kTitle || b.type == ElementType::kHeading;
    hashes.push_back(structural ? 0
                                : dedup::CountableParagraphHash(
                                      std::string_view(markdown.text).substr(b.begin, b.end - b.begin), min_words));
  }
  return hashes;
}

// Stores each child's bytes in bronze (content-addressed, so a member seen
// before costs nothing) and describes it for the catalog.
Status StoreChildren(Lake& lake, std::vector<ChildDocument>& children, std::vector<ChildObject>* out) {
  for (ChildDocument& c : children) {
    ChildObject obj;
    obj.sha256 = Sha256Hex(c.bytes);
    obj.size = static_cast<int64_t>(c.bytes.size());
    obj.name = c.name;
    obj.metadata_json = c.metadata.empty() ? "" : nlohmann::json(c.metadata).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string key = Lake::BronzeKey(obj.sha256);
    if (!lake.store().Exists(key)) SMELTER_RETURN_IF_ERROR(lake.store().Put(key, c.bytes));
    c.bytes = std::string();
    out->push_back(std::move(obj));
  }
  return Status::OK();
}

Status Process(Lake& lake, const Embedder& embedder, ExtractionSandbox* sandbox, const SilverStages* silver,
               DocumentOutcome& out) {
  DocumentRecord& doc = out.doc;
  Result<std::string> bytes = lake.store().Get(Lake::BronzeKey(doc.object_hash));
  if (!bytes.ok()) return Status::IOError("bronze object missing: " + bytes.status().message());

  DetectedType detected;
  Result<ExtractedDocument> extracted =
      sandbox ? sandbox->Extract(*bytes, doc.file_name, &detected)
              : ExtractDocument(*bytes, doc.file_name, lake.config().extract, &detected);
  doc.kind = std::string(DocKindName(detected.kind));
  doc.mime = detected.mime;
  if (!extracted.ok()) return extracted.status();
  bytes = std::string();  // release the raw bytes before the next stages
  // What the parent knew of this document (an attachment's sender, ...),
  // without overriding the document's own metadata.
  if (!doc.inherited_metadata.empty()) {
    nlohmann::json inherited = nlohmann::json::parse(doc.inherited_metadata, nullptr, false);
    if (inherited.is_object())
      for (auto& [k, v] : inherited.items())
        if (v.is_string()) extracted->metadata.emplace(k, v.get<std::string>());
  }
  // Silver stages before anything is written: PII never reaches silver,
  // gold or the catalog (children's metadata included).
  SilverOutcome silver_out;
  if (silver) {
    Status st = silver->Apply(*extracted, doc, doc.kind, doc.mime, &silver_out);
    nlohmann::json quality = {{"measures", MeasuresToJson(silver_out.measures)},
                              {"rejected", silver_out.verdict.rejected},
                              {"failures", silver_out.verdict.reason}};
    doc.quality = quality.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    doc.attributes = silver_out.attributes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!st.ok()) return st;
  }
  SMELTER_RETURN_IF_ERROR(StoreChildren(lake, extracted->children, &out.children));
  extracted->children.clear();
  if (!out.children.empty()) extracted->metadata["children"] = std::to_string(out.children.size());

  doc.title = ChooseTitle(*extracted, doc.file_name);
  doc.pages = extracted->page_count;
  RenderedMarkdown markdown = RenderMarkdown(*extracted);
  if (markdown.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Empty("no text after extraction");
  }
  doc.text_bytes = static_cast<int64_t>(markdown.text.size());

  SMELTER_RETURN_IF_ERROR(lake.store().Put(Lake::SilverMarkdownKey(doc.id), markdown.text));

  out.chunks = ChunkDocument(doc.id, markdown, lake.config().chunk);
  SMELTER_RETURN_IF_ERROR(EmbedChunks(embedder, out.chunks));
  doc.chunk_count = static_cast<int>(out.chunks.size());
  doc.paragraphs_dropped = 0;

  nlohmann::json meta = {{"id", doc.id},
                         {"source", doc.source_uri},
                         {"file_name", doc.file_name},
                         {"title", doc.title},
                         {"type", doc.kind},
                         {"mime", doc.mime},
                         {"pages", doc.pages},
                         {"encoding", extracted->source_encoding},
                         {"content_hash", FastHashHex(markdown.text)},
                         {"object_sha256", doc.object_hash},
                         {"source_bytes", doc.bytes},
                         {"parent_id", doc.parent_id},
                         {"markdown_bytes", doc.text_bytes},
                         {"chunks", doc.chunk_count},
                         {"format_metadata", extracted->metadata},
                         {"attributes", silver_out.attributes},
                         {"pii_found", silver_out.pii_counts},
                         {"cleaning", silver_out.clean_stats},
                         {"quality", silver ? MeasuresToJson(silver_out.measures) : nlohmann::json(nullptr)},
                         {"processed_at", NowIso8601()}};
  SMELTER_RETURN_IF_ERROR(lake.store().Put(Lake::SilverMetadataKey(doc.id), meta.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));

  SMELTER_RETURN_IF_ERROR(lake.store().Put(Lake::GoldChunksKey(doc.id), GoldJsonl(out.chunks, doc, silver_out.attributes)));
  const dedup::ParagraphOptions& paragraphs = lake.config().silver.paragraphs;
  if (paragraphs.enabled) {
    // Hashed here, in parallel; which ones to drop is the committer's call,
    // since it depends on the documents committed before this one.
    out.block_hashes = BlockHashes(markdown, paragraphs.min_words);
    out.blocks = std::move(markdown.blocks);
  }
  out.silver_text = std::move(markdown.text);
  return Status::OK();
}

// A copy of a text with some byte ranges cut out, and the way back from its
// offsets to the original's.
class CutText {
 public:
  // `cuts`: sorted, non-overlapping [begin, end) ranges of `text`.
  CutText(std::string_view text, const std::vector<std::pair<size_t, size_t>>& cuts) {
    size_t pos = 0;
    for (const auto& [begin, end] : cuts) {
      Keep(text, pos, begin);
      pos = end;
    }
    Keep(text, pos, text.size());
  }
  const std::string& text() const { return text_; }
  // Original offset of a kept byte's offset: `is_end` for one past a range,
  // which maps to the end of the piece it closes, not the start of the next.
  size_t ToOriginal(size_t offset, bool is_end) const {
    const Piece* hit = pieces_.empty() ? nullptr : &pieces_.front();
    for (const Piece& p : pieces_) {
      if (is_end ? p.cut < offset : p.cut <= offset) hit = &p;
      else break;
    }
    return hit ? hit->original + (offset - hit->cut) : offset;
  }
  // Offset in the cut text of an original offset inside a kept piece.
  size_t ToCut(size_t original) const {
    for (const Piece& p : pieces_)
      if (original >= p.original && original <= p.original + p.length) return p.cut + (original - p.original);
    return text_.size();
  }

 private:
  struct Piece {
    size_t cut;       // where it starts in text_
    size_t original;  // where it starts in the original
    size_t length;
  };
  void Keep(std::string_view text, size_t begin, size_t end) {
    if (end <= begin) return;
    pieces_.push_back({text_.size(), begin, end - begin});
    text_.append(text.substr(begin, end - begin));
  }
  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace

Status RechunkWithoutBlocks(Lake& lake, const Embedder& embedder, DocumentOutcome& out,
                            const std::vector<bool>& drop) {
  DocumentRecord& doc = out.doc;
  const std::string& text = out.silver_text;
  if (drop.size() != out.blocks.size()) return Status::Internal("paragraph flags do not match the blocks");
  // Each dropped block goes with the blank line after it, up to the next
  // block (whose indentation, for a nested list item, is its own).
  std::vector<std::pair<size_t, size_t>> cuts;
  int dropped = 0;
  for (size_t i = 0; i < out.blocks.size(); ++i) {
    if (!drop[i]) continue;
    const Block& b = out.blocks[i];
    const size_t limit = i + 1 < out.blocks.size() ? out.blocks[i + 1].begin : text.size();
    size_t end = std::min(b.end, text.size());
    while (end < limit && (text[end] == '\n' || text[end] == '\r' || text[end] == ' ' || text[end] == '\t')) ++end;
    cuts.emplace_back(b.begin, end);
    ++dropped;
  }
  const CutText cut(text, cuts);
  RenderedMarkdown filtered;
  filtered.text = cut.text();
  for (size_t i = 0; i < out.blocks.size(); ++i) {
    if (drop[i]) continue;
    Block b = out.blocks[i];
    const size_t at = cut.ToCut(b.begin);
    const size_t shift = b.begin - at;  // a kept block lies inside one kept piece
    b.begin = at;
    b.end -= shift;
    for (size_t& r : b.row_starts) r -= shift;
    filtered.blocks.push_back(std::move(b));
  }
  std::vector<Chunk> chunks = ChunkDocument(doc.id, filtered, lake.config().chunk);
  for (Chunk& c : chunks) {
    c.char_start = cut.ToOriginal(c.char_start, /*is_end=*/false);
    c.char_end = cut.ToOriginal(c.char_end, /*is_end=*/true);
  }
  SMELTER_RETURN_IF_ERROR(EmbedChunks(embedder, chunks));
  doc.chunk_count = static_cast<int>(chunks.size());
  doc.paragraphs_dropped = dropped;
  nlohmann::json attributes = nlohmann::json::parse(doc.attributes.empty() ? "{}" : doc.attributes, nullptr, false);
  if (!attributes.is_object()) attributes = nlohmann::json::object();
  SMELTER_RETURN_IF_ERROR(lake.store().Put(Lake::GoldChunksKey(doc.id), GoldJsonl(chunks, doc, attributes)));
  // The silver metadata says how many chunks gold has and why fewer.
  Result<std::string> meta_text = lake.store().Get(Lake::SilverMetadataKey(doc.id));
  if (meta_text.ok()) {
    nlohmann::json meta = nlohmann::json::parse(*meta_text, nullptr, false);
    if (meta.is_object()) {
      meta["chunks"] = doc.chunk_count;
      meta["paragraphs_dropped"] = dropped;
      SMELTER_RETURN_IF_ERROR(lake.store().Put(
          Lake::SilverMetadataKey(doc.id), meta.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
    }
  }
  out.chunks = std::move(chunks);
  return Status::OK();
}

void WriteQuarantineRecord(Lake& lake, const DocumentRecord& doc, const Status& status) {
  nlohmann::json q = {{"doc_id", doc.id},
                      {"source", doc.source_uri},
                      {"bronze", Lake::BronzeKey(doc.object_hash)},
                      {"type", doc.kind},
                      {"mime", doc.mime},
                      {"reason", std::string(status.QuarantineReason())},
                      {"error", status.message()},
                      {"quarantined_at", NowIso8601()}};
  // Best effort: the catalog records the reason too.
  (void)lake.store().Put(Lake::QuarantineKey(doc.id), q.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

DocumentOutcome ProcessDocument(Lake& lake, const DocumentRecord& doc, const Embedder& embedder,
                                ExtractionSandbox* sandbox, const SilverStages* silver) {
  DocumentOutcome out;
  out.doc = doc;
  try {
    out.status = Process(lake, embedder, sandbox, silver, out);
  } catch (const std::exception& e) {
    out.status = Status::ParserCrashed(std::string("exception: ") + e.what());
  } catch (...) {
    out.status = Status::ParserCrashed("unknown exception");
  }
  if (!out.status.ok()) {
    out.chunks.clear();
    out.children.clear();  // bytes stay in bronze; a later run of the parent re-finds them
    out.doc.reason = std::string(out.status.QuarantineReason());
    out.doc.error = out.status.message();
    out.doc.chunk_count = 0;
    WriteQuarantineRecord(lake, out.doc, out.status);
  } else {
    out.doc.reason.clear();
    out.doc.error.clear();
  }
  return out;
}

}  // namespace smelter
