#include "pipeline/extraction_codec.h"

#include <nlohmann/json.hpp>

namespace smelter {

namespace {

using json = nlohmann::json;

json::binary_t Binary(std::string_view s) {
  return json::binary_t(std::vector<uint8_t>(s.begin(), s.end()));
}

std::string FromBinary(const json& j) {
  const auto& b = j.get_binary();
  return std::string(b.begin(), b.end());
}

json ElementJson(const Element& e) {
  json j = {{"t", static_cast<int>(e.type)}, {"x", e.text}};
  if (e.level) j["l"] = e.level;
  if (e.ordered) j["o"] = true;
  if (e.page) j["p"] = e.page;
  if (!e.rows.empty()) j["r"] = e.rows;
  if (!e.has_header) j["h"] = false;
  if (!e.language.empty()) j["g"] = e.language;
  return j;
}

Element ElementFrom(const json& j) {
  Element e;
  e.type = static_cast<ElementType>(j.at("t").get<int>());
  e.text = j.at("x").get<std::string>();
  e.level = j.value("l", 0);
  e.ordered = j.value("o", false);
  e.page = j.value("p", 0);
  if (j.contains("r")) e.rows = j["r"].get<std::vector<std::vector<std::string>>>();
  e.has_header = j.value("h", true);
  e.language = j.value("g", std::string());
  return e;
}

}  // namespace

std::string EncodeExtractionReply(const ExtractionReply& reply) {
  json j = {{"code", static_cast<int>(reply.status.code())},
            {"message", reply.status.message()},
            {"kind", static_cast<int>(reply.type.kind)},
            {"mime", reply.type.mime}};
  if (reply.status.ok()) {
    const ExtractedDocument& d = reply.document;
    json elements = json::array();
    for (const Element& e : d.elements) elements.push_back(ElementJson(e));
    json children = json::array();
    for (const ChildDocument& c : d.children)
      children.push_back({{"name", c.name}, {"bytes", Binary(c.bytes)}, {"metadata", c.metadata}});
    j["doc"] = {{"title", d.title},
                {"elements", std::move(elements)},
                {"pages", d.page_count},
                {"metadata", d.metadata},
                {"encoding", d.source_encoding},
                {"children", std::move(children)}};
  }
  std::vector<uint8_t> cbor = json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

Result<ExtractionReply> DecodeExtractionReply(std::string_view bytes) {
  json j = json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("extraction worker sent an unreadable reply");
  try {
    ExtractionReply reply;
    int code = j.at("code").get<int>();
    if (code < 0 || code > static_cast<int>(Status::kLastCode))
      return Status::Corrupt("extraction worker sent an unknown status code");
    reply.status = Status::FromCode(static_cast<Status::Code>(code), j.at("message").get<std::string>());
    reply.type.kind = static_cast<DocKind>(j.at("kind").get<int>());
    reply.type.mime = j.at("mime").get<std::string>();
    if (reply.status.ok()) {
      const json& d = j.at("doc");
      ExtractedDocument& doc = reply.document;
      doc.title = d.at("title").get<std::string>();
      for (const json& e : d.at("elements")) doc.elements.push_back(ElementFrom(e));
      doc.page_count = d.at("pages").get<int>();
      doc.metadata = d.at("metadata").get<std::map<std::string, std::string>>();
      doc.source_encoding = d.at("encoding").get<std::string>();
      for (const json& c : d.at("children")) {
        ChildDocument child;
        child.name = c.at("name").get<std::string>();
        child.bytes = FromBinary(c.at("bytes"));
        child.metadata = c.at("metadata").get<std::map<std::string, std::string>>();
        doc.children.push_back(std::move(child));
      }
    }
    return reply;
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("extraction worker sent a malformed reply: ") + e.what());
  }
}

// A request is the name's length (4 bytes, little-endian), the name, then
// the file's bytes: no encoding step, so a large file costs one copy.
std::string EncodeExtractionRequest(const std::string& filename, std::string_view bytes) {
  std::string frame;
  frame.reserve(4 + filename.size() + bytes.size());
  uint32_t n = static_cast<uint32_t>(filename.size());
  for (int i = 0; i < 4; ++i) frame.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  frame += filename;
  frame.append(bytes.data(), bytes.size());
  return frame;
}

Status DecodeExtractionRequest(std::string_view frame, std::string* filename, std::string* bytes) {
  if (frame.size() < 4) return Status::Corrupt("truncated extraction request");
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<uint8_t>(frame[i])) << (8 * i);
  if (frame.size() - 4 < n) return Status::Corrupt("truncated extraction request");
  filename->assign(frame.substr(4, n));
  bytes->assign(frame.substr(4 + n));
  return Status::OK();
}

}  // namespace smelter
