// Ingest: files from the local file system into the bronze zone.
//
// Each file's bytes are stored once, named by their SHA-256, with a sidecar
// of source facts (every path they were seen at, size, modification time,
// ingest time). The bytes are copied before the sidecar and the catalog
// record are written, so an interrupted ingest leaves at worst an object
// that the next ingest of the same file recognises and keeps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"
#include "store/lake.h"

namespace smelter {

struct IngestSummary {
  int64_t files = 0;           // regular files seen
  int64_t new_objects = 0;     // bytes not in bronze before
  int64_t known_objects = 0;   // bytes already in bronze (stored once)
  int64_t bytes_copied = 0;
  int64_t slack_exports = 0;   // export folders stored as one ZIP each (their files count in `files`)
  std::vector<std::string> errors;  // one line per file that could not be read
};

// Ingests files and folders (recursively; hidden files and folders whose
// names start with '.' are skipped). A path that cannot be read is reported
// in `errors` and the rest go on. Fails only when the lake itself fails.
//
// A folder holding an unpacked Slack export (channels.json beside
// <channel>/YYYY-MM-DD.json day files) is one source: its JSON files are
// stored as one ZIP object whose source is the folder, and `run` renders
// it like the ZIP Slack exports (one child document per thread). Other
// files under that folder are ingested as usual.
Result<IngestSummary> IngestPaths(Lake& lake, Catalog& catalog, const std::vector<std::string>& paths,
                                  bool show_progress);

}  // namespace smelter
