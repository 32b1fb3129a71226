// Metadata sidecars: NAME.metadata.json next to a source file NAME, in the
// managed-knowledge-base convention:
//
//   {"metadataAttributes": {
//      "department": "finance",                       plain values
//      "year": 2024,
//      "reviewed": true,
//      "tags": ["q3", "board"],
//      "owner": {"value": {"type": "STRING", "stringValue": "ann"},
//                "includeForEmbedding": true}}}      typed values
//
// Typed values are unwrapped by their "type": STRING (stringValue), NUMBER
// (numberValue), BOOLEAN (booleanValue), STRING_LIST (stringListValue).
// The result is one flat JSON object of attribute -> string, number,
// boolean or list of strings, which enrichment merges into the document's
// metadata. The caller finds and reads the file (ingest time); this module
// only parses.
//
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace smelter {

// "reports/q3.pdf" -> "reports/q3.pdf.metadata.json".
std::string SidecarPathFor(std::string_view source_path);

// True for a path that is itself a sidecar (ingest must not ingest it as a
// document).
bool IsSidecarPath(std::string_view path);

// Corrupt for text that is not JSON; InvalidArgument (naming the attribute)
// for a missing or non-object "metadataAttributes", or a value of another
// shape (null, nested objects, lists of non-strings, unknown typed "type").
Result<nlohmann::json> ParseSidecar(std::string_view json_text);

}  // namespace smelter
