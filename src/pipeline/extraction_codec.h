// The bytes an extraction worker sends back: a Status, the detected type and,
// on success, the whole ExtractedDocument (children's bytes included).
//
// CBOR (through nlohmann::json) rather than a hand-rolled layout: compact,
// binary-safe for child documents, and self-describing, so a worker and a
// parent from different builds fail loudly instead of misreading each other.
#pragma once

#include <string>
#include <string_view>

#include "core/element.h"
#include "core/status.h"
#include "extract/type_detect.h"

namespace smelter {

struct ExtractionReply {
  Status status;             // the extractor's own verdict
  DetectedType type;
  ExtractedDocument document;  // meaningful when status is OK
};

std::string EncodeExtractionReply(const ExtractionReply& reply);

// kCorrupt when `bytes` is not a reply (a worker that wrote garbage).
Result<ExtractionReply> DecodeExtractionReply(std::string_view bytes);

// Requests: the file's name (a hint for type detection) and its bytes.
std::string EncodeExtractionRequest(const std::string& filename, std::string_view bytes);
Status DecodeExtractionRequest(std::string_view frame, std::string* filename, std::string* bytes);

}  // namespace smelter
