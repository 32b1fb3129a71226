// Content markers: phrases in a document's text that state its
// classification ("CONFIDENTIAL", "internal use only").
//
// Matching rules:
//   - whole words: the characters around a match are not letters, digits or
//     '_' (any non-ASCII character counts as a letter), so "CONFIDENTIALITY"
//     and "unrestricted" do not match;
//   - case: a phrase written with any upper-case letter matches exactly as
//     written ("CONFIDENTIAL" matches the stamp, not "confidential" in
//     prose, where the word describes rather than classifies); a phrase in
//     lower case matches in any case ("internal use only" matches
//     "Internal Use Only");
//   - white space: a space in a phrase matches any run of white space,
//     line ends included.
//
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "enrich/security_level.h"

namespace smelter {

struct ContentMarker {
  std::string phrase;
  SecurityLevel level = SecurityLevel::kConfidential;
};

// CONFIDENTIAL -> confidential, RESTRICTED -> restricted,
// "strictly confidential" -> confidential, "internal use only" -> internal,
// "do not distribute" -> confidential, "not for distribution" -> confidential.
const std::vector<ContentMarker>& DefaultContentMarkers();

struct MarkerHit {
  const ContentMarker* marker;  // points into the markers passed in
  int count = 0;
};

// The markers found in `text`, in the order of `markers`, with their counts.
std::vector<MarkerHit> FindContentMarkers(std::string_view text, const std::vector<ContentMarker>& markers);

}  // namespace smelter
