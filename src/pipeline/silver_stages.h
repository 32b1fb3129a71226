// The silver stages between extraction and Markdown: clean, redact PII,
// measure and judge quality, enrich metadata.
//
// Built once per run from the lake's config (the PII pattern database is
// compiled once) and shared read-only by every worker thread. Order matters:
// cleaning first (so PII patterns see normalized text and quality measures
// see what will be stored), redaction before anything is written or
// measured, enrichment last (it needs the language and the PII counts).
// Deduplication is not here: it needs the whole lake and runs in the
// committer (runner.cpp).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "core/config.h"
#include "core/element.h"
#include "core/status.h"
#include "quality/quality_measures.h"
#include "quality/quality_rules.h"

namespace smelter {

struct SilverOutcome {
  std::map<std::string, int> pii_counts;  // per type; values are never kept
  nlohmann::json clean_stats = nlohmann::json::object();
  QualityMeasures measures;
  QualityVerdict verdict;
  nlohmann::json attributes = nlohmann::json::object();  // flows into every chunk
};

class SilverStages {
 public:
  static Result<std::unique_ptr<SilverStages>> Create(const SilverConfig& config);

  // Applies every stage to `doc` in place. A document that fails a
  // "reject" quality rule comes back as kRejected naming every failed rule
  // and its measured value; the outcome is filled either way.
  Status Apply(ExtractedDocument& doc, const DocumentRecord& record, const std::string& kind,
               const std::string& mime, SilverOutcome* out) const;

 private:
  explicit SilverStages(const SilverConfig& config) : config_(config) {}
  SilverConfig config_;
  std::unique_ptr<PiiRedactor> redactor_;  // null when pii.enabled = false
};

// Quality measures as stored in the catalog, and back (for `smelter quality`,
// which judges recorded measures against the current rules).
nlohmann::json MeasuresToJson(const QualityMeasures& m);
QualityMeasures MeasuresFromJson(const nlohmann::json& j);

}  // namespace smelter
