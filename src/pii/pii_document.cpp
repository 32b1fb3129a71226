// RedactDocument: a PiiRedactor applied to every text of an extracted
// document (see pii_redactor.h for the contract).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "pii/pii_redactor.h"

namespace smelter {
namespace {

void AddNames(const PiiRedactor& redactor, const std::string& text, std::vector<std::string>* names) {
  for (std::string& name : redactor.FindNames(text)) names->push_back(std::move(name));
}

void RedactInPlace(const PiiRedactor& redactor, const std::vector<std::string>& names, std::string* text,
                   std::map<std::string, int>* counts) {
  if (text->empty()) return;
  RedactionResult result = redactor.Redact(*text, names);
  if (counts) {
    for (const auto& [type, n] : result.counts) (*counts)[type] += n;
  }
  *text = std::move(result.text);
}

}  // namespace

void RedactDocument(ExtractedDocument& doc, const PiiRedactor& redactor, std::map<std::string, int>* counts) {
  // Pass 1: names confirmed anywhere (a From header's display name, a
  // "Dear ..." line) so that their bare repetitions elsewhere -- a signature
  // block in its own paragraph -- go too. Longest first, so "Ann Lee" is
  // replaced before "Ann" could split it.
  std::vector<std::string> names;
  AddNames(redactor, doc.title, &names);
  for (const Element& e : doc.elements) {
    AddNames(redactor, e.text, &names);
    for (const auto& row : e.rows) {
      for (const std::string& cell : row) AddNames(redactor, cell, &names);
    }
  }
  for (const auto& [key, value] : doc.metadata) AddNames(redactor, value, &names);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  names.erase(std::unique(names.begin(), names.end()), names.end());

  // Pass 2: replace.
  RedactInPlace(redactor, names, &doc.title, counts);
  for (Element& e : doc.elements) {
    RedactInPlace(redactor, names, &e.text, counts);
    for (auto& row : e.rows) {
      for (std::string& cell : row) RedactInPlace(redactor, names, &cell, counts);
    }
  }
  for (auto& [key, value] : doc.metadata) RedactInPlace(redactor, names, &value, counts);
  for (ChildDocument& child : doc.children) {
    for (auto& [key, value] : child.metadata) RedactInPlace(redactor, names, &value, counts);
  }
}

}  // namespace smelter
