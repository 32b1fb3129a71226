// Metadata sidecars (see sidecar.h).

#include "enrich/sidecar.h"

namespace smelter {

namespace {

constexpr std::string_view kSuffix = ".metadata.json";

bool IsStringList(const nlohmann::json& v) {
  if (!v.is_array()) return false;
  for (const auto& item : v) {
    if (!item.is_string()) return false;
  }
  return true;
}

// The plain value of a typed attribute, or null when its shape is wrong.
nlohmann::json Unwrap(const nlohmann::json& typed) {
  const auto value = typed.find("value");
  if (value == typed.end() || !value->is_object()) return nullptr;
  const auto type = value->find("type");
  if (type == value->end() || !type->is_string()) return nullptr;
  const std::string t = type->get<std::string>();
  auto field = [&](const char* name) -> nlohmann::json {
    const auto f = value->find(name);
    return f == value->end() ? nlohmann::json(nullptr) : *f;
  };
  nlohmann::json v;
  if (t == "STRING") {
    v = field("stringValue");
    return v.is_string() ? v : nullptr;
  }
  if (t == "NUMBER") {
    v = field("numberValue");
    return v.is_number() ? v : nullptr;
  }
  if (t == "BOOLEAN") {
    v = field("booleanValue");
    return v.is_boolean() ? v : nullptr;
  }
  if (t == "STRING_LIST") {
    v = field("stringListValue");
    return IsStringList(v) ? v : nullptr;
  }
  return nullptr;
}

}  // namespace

std::string SidecarPathFor(std::string_view source_path) { return std::string(source_path) + std::string(kSuffix); }

bool IsSidecarPath(std::string_view path) { return path.size() > kSuffix.size() && path.ends_with(kSuffix); }

Result<nlohmann::json> ParseSidecar(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Corrupt("sidecar is not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("sidecar: expected a JSON object");
  const auto attrs = doc.find("metadataAttributes");
  if (attrs == doc.end() || !attrs->is_object()) {
    return Status::InvalidArgument("sidecar: \"metadataAttributes\" object missing");
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : attrs->items()) {
    if (key.empty()) return Status::InvalidArgument("sidecar: empty attribute name");
    if (value.is_string() || value.is_number() || value.is_boolean() || IsStringList(value)) {
      out[key] = value;
      continue;
    }
    if (value.is_object()) {
      nlohmann::json plain = Unwrap(value);
      if (!plain.is_null()) {
        out[key] = std::move(plain);
        continue;
      }
    }
    return Status::InvalidArgument("sidecar attribute \"" + key +
                                   "\": expected a string, number, boolean, list of strings or typed value");
  }
  return out;
}

}  // namespace smelter
