// JSON and JSON Lines -> elements (nlohmann/json, exceptions off).
//
// Three shapes are recognized:
//   - A document-element stream in the unstructured.io style: an array (or
//     {"elements": [...]}) of objects that mostly carry a string "text" and
//     a string "type" (or "category", as layout models write it). Each
//     becomes a typed element: Title -> heading (level from a leading
//     "#"-run, else metadata.category_depth + 1), NarrativeText / Text /
//     UncategorizedText / Address ... -> paragraph, ListItem -> list item,
//     Table -> paragraph (the text only), Header/Footer -> kHeaderFooter,
//     FigureCaption / Image -> image caption, CodeSnippet / Formula -> code,
//     PageBreak -> page break. metadata.page_number changes start pages.
//   - A Slack day file (an array of {"type": "message", "ts", ...}) reads
//     as a conversation, threads as sections (see slack_export.h).
//   - Anything else as records: the items of a top-level array, the lines
//     of a JSONL file, or one top-level object. Nested objects are
//     flattened with dotted keys ("address.city"); arrays of scalars are
//     joined with ", "; arrays of objects are indexed ("items.0.name").
//     Short scalars become "key: value" list items, and strings that read
//     as prose (at least 60 characters and 8 words) become paragraphs led
//     by a bold key. Several records each start with a level-2 heading.
//     ExtractOptions::json_metadata_fields and json_text_fields change
//     which fields are read how (see FieldRoles below): metadata fields
//     leave the text for the document's metadata, and when text fields are
//     named, only they are text (each a paragraph), the rest left out.
//
// Input nested deeper than 1000 levels is kTooLarge.
// Invalid or truncated JSON is Status::Corrupt, with one lenient case: a
// top-level array that is complete but for its closing "]" (a record dump
// cut at a record boundary) is read, and metadata "json_note" says so.
// JSONL lines that do not parse are skipped and counted in "json_note";
// when none parses the file is kCorrupt.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/slack_export.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using nlohmann::json;
using text_util::IsBlank;
using text_util::Trim;

constexpr int kMaxFlattenDepth = 32;
constexpr size_t kMaxNesting = 1000;
constexpr size_t kMaxFieldsPerRecord = 5000;
constexpr size_t kProseMinChars = 60;
constexpr size_t kProseMinWords = 8;

std::string ScalarText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "null";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  // Numbers: nlohmann prints them round-trippably and locale-free.
  return value.dump();
}

bool IsScalar(const json& value) { return !value.is_object() && !value.is_array(); }

bool LooksLikeProse(std::string_view s) {
  s = Trim(s);
  if (text_util::CodePoints(s) < kProseMinChars) return false;
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = text_util::IsAsciiSpace(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words >= kProseMinWords;
}

// ---- records ------------------------------------------------------------------

using Field = std::pair<std::string, std::string>;  // dotted key, text

void Flatten(const json& value, const std::string& key, int depth, std::vector<Field>* out) {
  if (out->size() >= kMaxFieldsPerRecord) return;
  if (IsScalar(value)) {
    out->emplace_back(key, ScalarText(value));
    return;
  }
  if (depth >= kMaxFlattenDepth) {
    out->emplace_back(key, value.dump());
    return;
  }
  if (value.is_object()) {
    if (value.empty()) return;
    for (auto it = value.begin(); it != value.end(); ++it) {
      Flatten(it.value(), key.empty() ? it.key() : key + "." + it.key(), depth + 1, out);
    }
    return;
  }
  // Array.
  if (value.empty()) return;
  const bool all_scalar = std::all_of(value.begin(), value.end(), [](const json& v) { return IsScalar(v); });
  if (all_scalar) {
    std::string joined;
    for (const json& item : value) {
      if (!joined.empty()) joined += ", ";
      joined += ScalarText(item);
    }
    out->emplace_back(key, std::move(joined));
    return;
  }
  size_t index = 0;
  for (const json& item : value) {
    Flatten(item, (key.empty() ? "" : key + ".") + std::to_string(index++), depth + 1, out);
  }
}

// Which fields are text and which metadata, from ExtractOptions.
//
// A name is a dotted path without array positions: "items.0.name" is
// named by "items.name", and by "items" (a name covers the fields under
// it). A field named as metadata is never text, even when a text name
// covers it too. Metadata values go to the document's metadata under the
// field's name: the value itself for one record, and for several records
// (a JSON Lines file of messages, say) each distinct value once, in order,
// joined with ", ", so "author" says who wrote in the file.
class FieldRoles {
 public:
  explicit FieldRoles(const ExtractOptions& options)
      : text_(options.json_text_fields), metadata_(options.json_metadata_fields) {}

  bool default_reading() const { return text_.empty() && metadata_.empty(); }
  bool only_named_text() const { return !text_.empty(); }

  static std::string PathOf(std::string_view key) {
    std::string path;
    size_t start = 0;
    while (start <= key.size()) {
      size_t dot = key.find('.', start);
      if (dot == std::string_view::npos) dot = key.size();
      const std::string_view part = key.substr(start, dot - start);
      const bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!index && !part.empty()) {
        if (!path.empty()) path += '.';
        path += part;
      }
      start = dot + 1;
    }
    return path;
  }
  bool IsMetadata(const std::string& path) const { return Covered(metadata_, path); }
  bool IsText(const std::string& path) const { return !only_named_text() || Covered(text_, path); }

 private:
  static bool Covered(const std::vector<std::string>& names, const std::string& path) {
    for (const std::string& name : names) {
      if (path == name || (path.size() > name.size() && path.starts_with(name) && path[name.size()] == '.')) return true;
    }
    return false;
  }
  const std::vector<std::string>& text_;
  const std::vector<std::string>& metadata_;
};

// Metadata values seen, per field name, in order.
using MetadataValues = std::vector<std::pair<std::string, std::vector<std::string>>>;
constexpr size_t kMaxMetadataValues = 50;

void AddMetadata(const std::string& path, const std::string& value, MetadataValues* out) {
  auto it = std::find_if(out->begin(), out->end(), [&](const auto& entry) { return entry.first == path; });
  if (it == out->end()) {
    out->emplace_back(path, std::vector<std::string>());
    it = out->end() - 1;
  }
  if (it->second.size() < kMaxMetadataValues && std::find(it->second.begin(), it->second.end(), value) == it->second.end()) {
    it->second.push_back(value);
  }
}

void EmitRecord(const json& record, const FieldRoles& roles, MetadataValues* metadata, ExtractedDocument* doc) {
  std::vector<Field> fields;
  Flatten(record, "", 0, &fields);
  if (!roles.default_reading()) {
    std::vector<Field> text;
    for (auto& field : fields) {
      const std::string path = FieldRoles::PathOf(field.first);
      if (roles.IsMetadata(path)) {
        if (!IsBlank(field.second)) AddMetadata(path, std::string(Trim(field.second)), metadata);
      } else if (roles.IsText(path)) {
        text.push_back(std::move(field));
      }
    }
    fields = std::move(text);
  }
  if (roles.only_named_text()) {
    // Named text fields are the record's prose: paragraphs, led by their
    // name only when there are several to tell apart.
    size_t shown = 0;
    for (const auto& field : fields) shown += IsBlank(field.second) ? 0 : 1;
    for (auto& [key, text] : fields) {
      if (IsBlank(text)) continue;
      Element e;
      e.type = ElementType::kParagraph;
      e.text = shown > 1 && !key.empty() ? "**" + key + ":** " + std::string(Trim(text)) : std::string(Trim(text));
      doc->elements.push_back(std::move(e));
    }
    return;
  }
  for (auto& [key, text] : fields) {
    if (IsBlank(text)) continue;
    Element e;
    if (LooksLikeProse(text)) {
      e.type = ElementType::kParagraph;
      e.text = key.empty() ? std::string(Trim(text)) : "**" + key + ":** " + std::string(Trim(text));
    } else {
      e.type = ElementType::kListItem;
      e.text = key.empty() ? text : key + ": " + text;
    }
    doc->elements.push_back(std::move(e));
  }
}

void EmitRecords(const std::vector<const json*>& records, const FieldRoles& roles, ExtractedDocument* doc) {
  const bool several = records.size() > 1;
  MetadataValues metadata;
  size_t n = 0;
  for (const json* record : records) {
    ++n;
    const size_t before = doc->elements.size();
    if (several) {
      Element heading;
      heading.type = ElementType::kHeading;
      heading.level = 2;
      heading.text = "Record " + std::to_string(n);
      doc->elements.push_back(std::move(heading));
    }
    EmitRecord(*record, roles, &metadata, doc);
    // A record with no text left (all metadata) needs no heading.
    if (several && doc->elements.size() == before + 1) doc->elements.pop_back();
  }
  for (const auto& [path, values] : metadata) {
    std::string joined;
    for (const std::string& v : values) joined += (joined.empty() ? "" : ", ") + v;
    doc->metadata[path] = joined;
  }
}

// ---- unstructured.io elements --------------------------------------------------

const json* StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &*it;
}

const json* TypeMember(const json& object) {
  if (const json* t = StringMember(object, "type")) return t;
  return StringMember(object, "category");
}

// The array of document elements, or nullptr when `root` is not one.
const json* ElementArray(const json& root) {
  const json* array = &root;
  if (root.is_object()) {
    auto it = root.find("elements");
    if (it == root.end() || !it->is_array()) return nullptr;
    array = &*it;
  }
  if (!array->is_array() || array->empty()) return nullptr;
  size_t typed = 0;
  for (const json& item : *array) {
    if (item.is_object() && TypeMember(item) && StringMember(item, "text")) ++typed;
  }
  return typed * 10 >= array->size() * 8 ? array : nullptr;  // at least 80%
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

void EmitElements(const json& array, ExtractedDocument* doc) {
  int current_page = 0;
  for (const json& item : array) {
    if (!item.is_object()) continue;
    const json* type_value = TypeMember(item);
    const json* text_value = StringMember(item, "text");
    if (!type_value) continue;
    const std::string type = Lower(type_value->get_ref<const std::string&>());
    std::string text = text_value ? text_value->get<std::string>() : std::string();

    int depth = 0;
    auto meta = item.find("metadata");
    if (meta != item.end() && meta->is_object()) {
      auto page = meta->find("page_number");
      if (page != meta->end() && page->is_number_integer()) {
        const int p = page->get<int>();
        if (p > 0 && p <= 1000000 && p != current_page) {
          Element br;
          br.type = ElementType::kPageBreak;
          br.page = p;
          doc->elements.push_back(std::move(br));
          current_page = p;
          doc->page_count = std::max(doc->page_count, p);
        }
      }
      auto d = meta->find("category_depth");
      if (d != meta->end() && d->is_number_integer()) depth = std::clamp(d->get<int>(), 0, 5);
    }
    if (type == "pagebreak" || type == "page-break") {
      continue;  // pages come from page_number
    }
    if (IsBlank(text)) continue;

    Element e;
    if (type == "title" || type == "section-header" || type == "heading" || type == "header_title") {
      e.type = ElementType::kHeading;
      std::string_view t = Trim(text);
      size_t hashes = 0;
      while (hashes < t.size() && t[hashes] == '#') ++hashes;
      if (hashes > 0 && hashes <= 6 && hashes < t.size() && t[hashes] == ' ') {
        e.level = static_cast<int>(hashes);
        t.remove_prefix(hashes + 1);
      } else {
        e.level = depth + 1;
      }
      e.text = std::string(Trim(t));
    } else if (type == "listitem" || type == "list-item" || type == "list_item") {
      e.type = ElementType::kListItem;
      e.level = depth;
      std::string_view t = Trim(text);
      if (t.substr(0, 2) == "- " || t.substr(0, 2) == "* ") t.remove_prefix(2);
      e.text = std::string(t);
    } else if (type == "header" || type == "footer" || type == "page-header" || type == "page-footer" ||
               type == "pageheader" || type == "pagefooter") {
      e.type = ElementType::kHeaderFooter;
      e.text = text;
    } else if (type == "figurecaption" || type == "caption" || type == "image" || type == "picture" ||
               type == "figure") {
      e.type = ElementType::kImageCaption;
      e.text = text;
    } else if (type == "codesnippet" || type == "code" || type == "formula") {
      e.type = ElementType::kCode;
      e.text = text;
    } else {
      // NarrativeText, Text, UncategorizedText, Address, EmailAddress,
      // Table (its text), and anything unknown.
      e.type = ElementType::kParagraph;
      e.text = std::string(Trim(text));
    }
    e.page = current_page;
    doc->elements.push_back(std::move(e));
  }
}

// ---- driver --------------------------------------------------------------------------

// The deepest nesting of [ and { outside strings: a guard against inputs
// built to exhaust the stack of recursive code (destruction, flattening).
size_t MaxNesting(std::string_view text) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

void EmitValue(const json& root, const ExtractOptions& options, ExtractedDocument* doc) {
  if (const json* elements = ElementArray(root)) {
    doc->metadata["json_shape"] = "elements";
    EmitElements(*elements, doc);
    for (const Element& e : doc->elements) {
      if (e.type == ElementType::kHeading) {
        doc->title = e.text;
        break;
      }
    }
    return;
  }
  std::vector<const json*> records;
  if (root.is_array()) {
    const bool all_scalar = std::all_of(root.begin(), root.end(), [](const json& v) { return IsScalar(v); });
    if (all_scalar) {
      doc->metadata["json_shape"] = "list";
      for (const json& item : root) {
        Element e;
        e.type = ElementType::kListItem;
        e.text = ScalarText(item);
        if (!IsBlank(e.text)) doc->elements.push_back(std::move(e));
      }
      return;
    }
    for (const json& item : root) records.push_back(&item);
  } else {
    records.push_back(&root);
  }
  EmitRecords(records, FieldRoles(options), doc);
  doc->metadata["json_shape"] = "records";
  doc->metadata["records"] = std::to_string(records.size());
}

class JsonExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "json"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    static const ExtractOptions kDefaults;
    const ExtractOptions& options = input.options ? *input.options : kDefaults;
    Result<DecodedText> decoded = DecodeToUtf8(input.bytes);
    if (!decoded.ok()) return decoded.status();
    std::string_view text = decoded->utf8;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    ExtractedDocument doc;
    doc.source_encoding = decoded->encoding;
    if (IsBlank(text)) return Status::Empty("no text");

    if (MaxNesting(text) > kMaxNesting) return Status::TooLarge("JSON nested deeper than " + std::to_string(kMaxNesting));

    if (input.type.kind == DocKind::kJsonl) {
      size_t bad = 0, good = 0;
      std::vector<json> lines;
      for (std::string_view line : text_util::SplitLines(text)) {
        line = Trim(line);
        if (line.empty()) continue;
        json value = json::parse(line, nullptr, false);
        if (value.is_discarded()) {
          ++bad;
          continue;
        }
        ++good;
        lines.push_back(std::move(value));
      }
      if (good == 0) return Status::Corrupt("no line of the JSON Lines file parses");
      if (bad > 0) doc.metadata["json_note"] = std::to_string(bad) + " line(s) skipped: invalid JSON";
      json array = json::array();
      for (json& value : lines) array.push_back(std::move(value));
      EmitValue(array, options, &doc);
      return doc;
    }

    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
      // A record array cut just before its closing bracket.
      std::string_view body = text_util::TrimRight(text);
      if (!body.empty() && body.front() == '[' && (body.back() == '}' || body.back() == ']')) {
        std::string repaired(body);
        repaired += ']';
        root = json::parse(repaired, nullptr, false);
      }
      if (root.is_discarded()) return Status::Corrupt("invalid or truncated JSON");
      doc.metadata["json_note"] = "truncated: the closing ] of the top-level array is missing";
    }
    if (IsSlackDayFile(root)) {
      AppendSlackDay(root, input.filename, &doc);
      return doc;
    }
    EmitValue(root, options, &doc);
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeJsonExtractor() { return std::make_unique<JsonExtractor>(); }

}  // namespace smelter
