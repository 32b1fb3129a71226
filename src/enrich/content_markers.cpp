// Content markers (see content_markers.h).

#include "enrich/content_markers.h"

#include <cctype>

namespace smelter {

namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// White space runs as one space; ASCII lower case when `fold`.
std::string Squeeze(std::string_view text, bool fold) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(fold ? static_cast<char>(std::tolower(c)) : ch);
  }
  return out;
}

int CountWholeWords(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return 0;
  int count = 0;
  size_t pos = haystack.find(needle);
  while (pos != std::string::npos) {
    const size_t end = pos + needle.size();
    const bool starts = pos == 0 || !IsWordByte(static_cast<unsigned char>(haystack[pos - 1])) ||
                        !IsWordByte(static_cast<unsigned char>(needle.front()));
    const bool ends = end == haystack.size() || !IsWordByte(static_cast<unsigned char>(haystack[end])) ||
                      !IsWordByte(static_cast<unsigned char>(needle.back()));
    if (starts && ends) ++count;
    pos = haystack.find(needle, pos + 1);
  }
  return count;
}

bool HasUpper(std::string_view s) {
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

}  // namespace

const std::vector<ContentMarker>& DefaultContentMarkers() {
  static const std::vector<ContentMarker> kMarkers = {
      {"CONFIDENTIAL", SecurityLevel::kConfidential},
      {"RESTRICTED", SecurityLevel::kRestricted},
      {"strictly confidential", SecurityLevel::kConfidential},
      {"internal use only", SecurityLevel::kInternal},
      {"do not distribute", SecurityLevel::kConfidential},
      {"not for distribution", SecurityLevel::kConfidential},
  };
  return kMarkers;
}

std::vector<MarkerHit> FindContentMarkers(std::string_view text, const std::vector<ContentMarker>& markers) {
  std::vector<MarkerHit> hits;
  std::string exact, folded;  // built on first need
  for (const ContentMarker& marker : markers) {
    const bool case_sensitive = HasUpper(marker.phrase);
    std::string& haystack = case_sensitive ? exact : folded;
    if (haystack.empty()) haystack = Squeeze(text, !case_sensitive);
    const int n = CountWholeWords(haystack, Squeeze(marker.phrase, !case_sensitive));
    if (n > 0) hits.push_back({&marker, n});
  }
  return hits;
}

}  // namespace smelter
