#include "eval/beir_dataset.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace smelter {

namespace {

Status ReadLines(const std::string& path, std::vector<std::string>* lines) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines->push_back(line);
  }
  return Status::OK();
}

std::string JsonString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

}  // namespace

Result<BeirDataset> LoadBeirDataset(const std::string& dir) {
  BeirDataset ds;
  std::vector<std::string> lines;
  SMELTER_RETURN_IF_ERROR(ReadLines(dir + "/corpus.jsonl", &lines));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    if (!j.is_object() || JsonString(j, "_id").empty())
      return Status::Corrupt(dir + "/corpus.jsonl:" + std::to_string(i + 1) + ": expected {\"_id\", \"title\", \"text\"}");
    ds.corpus.push_back({JsonString(j, "_id"), JsonString(j, "title"), JsonString(j, "text")});
  }
  lines.clear();
  SMELTER_RETURN_IF_ERROR(ReadLines(dir + "/qrels/test.tsv", &lines));
  for (size_t i = 0; i < lines.size(); ++i) {
    std::istringstream fields(lines[i]);
    std::string qid, did, score;
    if (!std::getline(fields, qid, '\t') || !std::getline(fields, did, '\t') || !std::getline(fields, score, '\t')) {
      if (lines[i].empty()) continue;
      return Status::Corrupt(dir + "/qrels/test.tsv:" + std::to_string(i + 1) + ": expected 3 tab-separated fields");
    }
    if (i == 0 && qid == "query-id") continue;  // header
    int grade = std::atoi(score.c_str());
    if (grade > 0) ds.qrels[qid][did] = grade;
  }
  lines.clear();
  SMELTER_RETURN_IF_ERROR(ReadLines(dir + "/queries.jsonl", &lines));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    if (!j.is_object() || JsonString(j, "_id").empty())
      return Status::Corrupt(dir + "/queries.jsonl:" + std::to_string(i + 1) + ": expected {\"_id\", \"text\"}");
    std::string id = JsonString(j, "_id");
    if (ds.qrels.count(id)) ds.queries.push_back({id, JsonString(j, "text")});
  }
  if (ds.corpus.empty()) return Status::InvalidArgument(dir + "/corpus.jsonl has no documents");
  if (ds.queries.empty()) return Status::InvalidArgument(dir + ": no query has judgements in qrels/test.tsv");
  return ds;
}

}  // namespace smelter
