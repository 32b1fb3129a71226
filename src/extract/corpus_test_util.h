// Test helpers for the extractor tests: finding and reading files of the
// shared test corpus, and summarizing extracted documents. Test-only.
//
// The corpus folder comes from the environment variable SMELTER_CORPUS_DIR,
// else from the compile definition of the same name. Tests that need it
// call SMELTER_REQUIRE_CORPUS(), which skips them when it is absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/element.h"
#include "extract/extractor.h"

namespace smelter::testing {

inline std::string CorpusDir() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SMELTER_CORPUS_DIR"); env && *env) candidates.emplace_back(env);
#ifdef SMELTER_CORPUS_DIR
  candidates.emplace_back(SMELTER_CORPUS_DIR);
#endif
  for (const std::string& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return "";
}

// The bytes of a corpus file, or "" (with a test failure) when unreadable.
inline std::string ReadCorpusFile(const std::string& name) {
  const std::string path = CorpusDir() + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read corpus file " << path;
    return "";
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs the whole extraction entry point on a corpus file.
inline Result<ExtractedDocument> ExtractCorpusFile(const std::string& name, DetectedType* detected = nullptr) {
  static const ExtractOptions options;
  const std::string bytes = ReadCorpusFile(name);
  return ExtractDocument(bytes, name, options, detected);
}

inline Result<ExtractedDocument> ExtractString(std::string_view bytes, const std::string& name) {
  static const ExtractOptions options;
  return ExtractDocument(bytes, name, options, nullptr);
}

// Every element's text and every table cell, one per line.
inline std::string AllText(const ExtractedDocument& doc) {
  std::string out;
  for (const Element& e : doc.elements) {
    if (!e.text.empty()) {
      out += e.text;
      out += '\n';
    }
    for (const auto& row : e.rows) {
      for (const auto& cell : row) {
        out += cell;
        out += '\n';
      }
    }
  }
  return out;
}

inline std::vector<const Element*> ElementsOfType(const ExtractedDocument& doc, ElementType type) {
  std::vector<const Element*> out;
  for (const Element& e : doc.elements) {
    if (e.type == type) out.push_back(&e);
  }
  return out;
}

}  // namespace smelter::testing

#define SMELTER_REQUIRE_CORPUS()                                                   \
  do {                                                                             \
    if (::smelter::testing::CorpusDir().empty()) GTEST_SKIP() << "no test corpus"; \
  } while (0)
