#include "pipeline/silver_stages.h"

#include <sys/stat.h>


#include "enrich/enricher.h"
#include "enrich/sidecar.h"
#include "store/file_util.h"

namespace smelter {

Result<std::unique_ptr<SilverStages>> SilverStages::Create(const SilverConfig& config) {
  std::unique_ptr<SilverStages> stages(new SilverStages(config));
  if (config.pii_enabled) {
    Result<std::unique_ptr<PiiRedactor>> redactor = PiiRedactor::Create(config.pii);
    if (!redactor.ok()) return redactor.status();
    stages->redactor_ = std::move(*redactor);
  }
  return stages;
}

namespace {

nlohmann::json CleanStatsJson(const CleanStats& s) {
  nlohmann::json j = nlohmann::json::object();
  auto put = [&](const char* k, int v) {
    if (v) j[k] = v;
  };
  put("mojibake_repairs", s.mojibake_repairs);
  put("control_chars_removed", s.control_chars_removed);
  put("nfkc_changed", s.nfkc_changed);
  put("whitespace_fixes", s.whitespace_fixes);
  put("hyphenations_joined", s.hyphenations_joined);
  put("repeated_lines_removed", s.repeated_lines_removed);
  put("known_lines_removed", s.known_lines_removed);
  put("elements_dropped", s.elements_dropped);
  return j;
}

// Where the source file is on this machine: its URI is a local path, or a
// member of one ("/x/a.zip!/b.txt" -> no sidecar for members).
std::string LocalSourcePath(const DocumentRecord& record) {
  if (!record.parent_id.empty()) return "";
  std::string uri = record.source_uri;
  if (uri.rfind("file://", 0) == 0) uri = uri.substr(7);
  return uri.empty() || uri[0] != '/' ? "" : uri;
}

}  // namespace

Status SilverStages::Apply(ExtractedDocument& doc, const DocumentRecord& record, const std::string& kind,
                           const std::string& mime, SilverOutcome* out) const {
  CleanStats clean_stats;
  CleanDocument(&doc, config_.clean, &clean_stats);
  out->clean_stats = CleanStatsJson(clean_stats);

  if (redactor_) RedactDocument(doc, *redactor_, &out->pii_counts);

  out->measures = Measure(doc);
  out->verdict = Judge(out->measures, config_.quality);

  EnrichInput input;
  input.source_uri = record.source_uri;
  const std::string local = LocalSourcePath(record);
  input.relative_path = local.empty() ? record.file_name : local;
  input.kind = kind;
  input.mime = mime;
  input.language = out->measures.language;
  input.pii_counts = &out->pii_counts;
  nlohmann::json sidecar;
  if (!local.empty()) {
    struct stat st {};
    if (stat(local.c_str(), &st) == 0) input.mtime = static_cast<int64_t>(st.st_mtime);
    // Most files have no sidecar: a failed open is the whole cost.
    Result<std::string> text = ReadFile(SidecarPathFor(local));
    Result<nlohmann::json> parsed = text.ok() ? ParseSidecar(*text) : Result<nlohmann::json>(text.status());
    if (parsed.ok()) {
      sidecar = std::move(*parsed);
      input.sidecar = &sidecar;
    }
  }
  EnrichedMetadata enriched = EnrichDocument(doc, input, config_.enrich);
  out->attributes = std::move(enriched.attributes);
  if (!out->pii_counts.empty()) out->attributes["pii"] = out->pii_counts;
  if (!record.parent_id.empty()) out->attributes["parent_id"] = record.parent_id;

  if (out->verdict.rejected) return Status::Rejected(out->verdict.reason);
  return Status::OK();
}

nlohmann::json MeasuresToJson(const QualityMeasures& m) {
  nlohmann::json j = {{"chars", m.chars},
                      {"words", m.words},
                      {"lines", m.lines},
                      {"non_alpha_ratio", m.non_alpha_ratio},
                      {"repeated_line_ratio", m.repeated_line_ratio},
                      {"language", m.language},
                      {"language_reliable", m.language_reliable},
                      {"language_percent", m.language_percent},
                      {"metadata_keys", m.metadata_keys}};
  if (m.ocr_confidence) j["ocr_confidence"] = *m.ocr_confidence;
  return j;
}

QualityMeasures MeasuresFromJson(const nlohmann::json& j) {
  QualityMeasures m;
  if (!j.is_object()) return m;
  m.chars = j.value("chars", int64_t{0});
  m.words = j.value("words", int64_t{0});
  m.lines = j.value("lines", int64_t{0});
  m.non_alpha_ratio = j.value("non_alpha_ratio", 0.0);
  m.repeated_line_ratio = j.value("repeated_line_ratio", 0.0);
  m.language = j.value("language", std::string("un"));
  m.language_reliable = j.value("language_reliable", false);
  m.language_percent = j.value("language_percent", 0);
  if (j.contains("ocr_confidence") && j["ocr_confidence"].is_number()) m.ocr_confidence = j["ocr_confidence"].get<double>();
  if (j.contains("metadata_keys") && j["metadata_keys"].is_array())
    for (const auto& k : j["metadata_keys"])
      if (k.is_string()) m.metadata_keys.insert(k.get<std::string>());
  return m;
}

}  // namespace smelter
