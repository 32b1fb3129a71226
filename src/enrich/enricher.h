// EnrichDocument: the metadata that flows into every chunk of a document.
//
// Attributes (keys of EnrichedMetadata::attributes), each set only when
// known:
//   title          document title, else metadata "title"/"subject" (mail),
//                  else the file name without its extension
//   author         metadata "author", else "from" (mail)
//   created        metadata "created", else "date" (mail, EPUB, front matter)
//   modified       metadata "modified", else the file's mtime (ISO 8601 UTC)
//   language       from the quality measures; unknown ("un") is left out
//   content_type   the detected kind ("pdf", "docx", ...)
//   mime           the detected MIME type
//   source_uri     where the document came from
//   tags           list: path tag rules, plus the sidecar's "tags"
//   security_level "public" | "internal" | "confidential" | "restricted"
//   security_reason the rule that set it (security_policy.h)
// Sidecar attributes (sidecar.h) are merged last and win over the derived
// title/author/created/modified/language and any other key, except
// security_level (which the sidecar can raise but not lower), tags (merged)
// and source_uri/content_type/mime (facts of the ingest).
//
// Pure: no file access (the caller passes mtime and sidecar). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/element.h"
#include "enrich/security_policy.h"

namespace smelter {

struct PathTagRule {
  std::string pattern;            // glob (path_glob.h) over the relative path
  std::vector<std::string> tags;  // all added when it matches (every matching rule adds)
};

struct EnrichOptions {
  std::vector<PathTagRule> tag_rules;
  SecurityPolicy security;
};

struct EnrichInput {
  std::string source_uri;                       // "file:///data/finance/q3.pdf", "s3://bucket/key"
  std::string relative_path;                    // under the source root, for path rules: "finance/q3.pdf"
  std::string kind;                             // DocKindName(): "pdf"
  std::string mime;                             // "application/pdf"
  std::optional<int64_t> mtime;                 // seconds since the epoch
  std::string language;                         // QualityMeasures::language; "" or "un" = unknown
  const nlohmann::json* sidecar = nullptr;      // ParseSidecar()'s object, or null
  const std::map<std::string, int>* pii_counts = nullptr;  // per PII type, from redaction
};

struct EnrichedMetadata {
  nlohmann::json attributes = nlohmann::json::object();
  SecurityDecision security;
  std::vector<std::string> tags;      // sorted, distinct
  std::vector<std::string> warnings;  // e.g. an unknown security_level in the sidecar
};

EnrichedMetadata EnrichDocument(const ExtractedDocument& doc, const EnrichInput& input, const EnrichOptions& options);

// "2024-05-01T10:00:00Z" for a time in seconds since the epoch.
std::string IsoUtc(int64_t seconds);

}  // namespace smelter
