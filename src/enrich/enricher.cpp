// Metadata enrichment (see enricher.h).

#include "enrich/enricher.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "enrich/path_glob.h"

namespace smelter {

namespace {

std::string Trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The first non-blank metadata value among `keys`.
std::string FirstOf(const ExtractedDocument& doc, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (auto it = doc.metadata.find(key); it != doc.metadata.end()) {
      std::string v = Trimmed(it->second);
      if (!v.empty()) return v;
    }
  }
  return "";
}

// "a/b/report.final.pdf" -> "report.final".
std::string FileStem(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  const size_t dot = path.rfind('.');
  if (dot != std::string_view::npos && dot > 0) path = path.substr(0, dot);
  return std::string(path);
}

// The text content markers are looked for in: title, every element's text
// (running headers and footers included: that is where stamps stand) and
// every table cell.
std::string MarkerText(const ExtractedDocument& doc) {
  std::string text = doc.title;
  for (const Element& e : doc.elements) {
    text += '\n';
    text += e.text;
    for (const auto& row : e.rows) {
      for (const std::string& cell : row) {
        text += '\n';
        text += cell;
      }
    }
  }
  return text;
}

}  // namespace

std::string IsoUtc(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

EnrichedMetadata EnrichDocument(const ExtractedDocument& doc, const EnrichInput& input, const EnrichOptions& options) {
  EnrichedMetadata out;
  nlohmann::json& a = out.attributes;
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) a[key] = value;
  };

  std::string title = Trimmed(doc.title);
  if (title.empty()) title = FirstOf(doc, {"title", "subject"});
  if (title.empty()) title = FileStem(!input.relative_path.empty() ? input.relative_path : input.source_uri);
  put("title", title);
  put("author", FirstOf(doc, {"author", "from"}));
  put("created", FirstOf(doc, {"created", "date"}));
  std::string modified = FirstOf(doc, {"modified"});
  if (modified.empty() && input.mtime) modified = IsoUtc(*input.mtime);
  put("modified", modified);
  if (input.language != "un") put("language", input.language);

  // Sidecar: descriptive attributes win over what was derived.
  std::set<std::string> tags;
  std::optional<SecurityLevel> sidecar_level;
  if (input.sidecar != nullptr && input.sidecar->is_object()) {
    for (const auto& [key, value] : input.sidecar->items()) {
      if (key == "security_level") {
        if (value.is_string()) sidecar_level = ParseSecurityLevel(value.get<std::string>());
        if (!sidecar_level) out.warnings.push_back("sidecar security_level is not a known level: " + value.dump());
      } else if (key == "tags") {
        if (value.is_string()) tags.insert(value.get<std::string>());
        if (value.is_array()) {
          for (const auto& t : value) {
            if (t.is_string() && !t.get<std::string>().empty()) tags.insert(t.get<std::string>());
          }
        }
      } else if (key == "security_reason" || key == "source_uri" || key == "content_type" || key == "mime") {
        out.warnings.push_back("sidecar attribute \"" + key + "\" ignored: set by ingest");
      } else {
        a[key] = value;
      }
    }
  }
  put("content_type", input.kind);
  put("mime", input.mime);
  put("source_uri", input.source_uri);

  for (const PathTagRule& rule : options.tag_rules) {
    if (GlobMatch(rule.pattern, input.relative_path)) tags.insert(rule.tags.begin(), rule.tags.end());
  }
  out.tags.assign(tags.begin(), tags.end());
  a["tags"] = out.tags;

  const std::string marker_text = MarkerText(doc);
  SecurityInputs security_inputs;
  security_inputs.relative_path = input.relative_path;
  security_inputs.sidecar_level = sidecar_level;
  security_inputs.text = marker_text;
  security_inputs.pii_counts = input.pii_counts;
  out.security = DecideSecurityLevel(security_inputs, options.security);
  a["security_level"] = SecurityLevelName(out.security.level);
  a["security_reason"] = out.security.reason;
  return out;
}

}  // namespace smelter
