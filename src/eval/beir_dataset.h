// A retrieval test set in the BEIR layout:
//   corpus.jsonl     {"_id": "...", "title": "...", "text": "..."} per line
//   queries.jsonl    {"_id": "...", "text": "..."} per line
//   qrels/test.tsv   query-id <TAB> corpus-id <TAB> score, after a header line
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace smelter {

struct BeirDocument {
  std::string id, title, text;
};

struct BeirQuery {
  std::string id, text;
};

struct BeirDataset {
  std::vector<BeirDocument> corpus;
  std::vector<BeirQuery> queries;  // only queries that have judgements
  // query id -> (document id -> graded relevance > 0)
  std::map<std::string, std::map<std::string, int>> qrels;
};

// Errors name the file and line.
Result<BeirDataset> LoadBeirDataset(const std::string& dir);

}  // namespace smelter
