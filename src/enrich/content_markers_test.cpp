#include "enrich/content_markers.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

int Count(std::string_view text, std::string_view phrase) {
  for (const MarkerHit& hit : FindContentMarkers(text, DefaultContentMarkers())) {
    if (hit.marker->phrase == phrase) return hit.count;
  }
  return 0;
}

TEST(ContentMarkersTest, UpperCaseMarkersMatchExactly) {
  EXPECT_EQ(Count("ACME CONFIDENTIAL\nPage 1", "CONFIDENTIAL"), 1);
  EXPECT_EQ(Count("Keep this confidential, please.", "CONFIDENTIAL"), 0);  // prose
  EXPECT_EQ(Count("CONFIDENTIALITY AGREEMENT", "CONFIDENTIAL"), 0);        // whole words
  EXPECT_EQ(Count("[CONFIDENTIAL] x (CONFIDENTIAL)", "CONFIDENTIAL"), 2);
  EXPECT_EQ(Count("Access is restricted to staff.", "RESTRICTED"), 0);
  EXPECT_EQ(Count("RESTRICTED - HR", "RESTRICTED"), 1);
  EXPECT_EQ(Count("UNRESTRICTED", "RESTRICTED"), 0);
  EXPECT_EQ(Count("\xC3\x9C" "CONFIDENTIAL", "CONFIDENTIAL"), 0);  // a non-ASCII letter is a letter
}

TEST(ContentMarkersTest, LowerCaseMarkersIgnoreCaseAndSpacing) {
  EXPECT_EQ(Count("For Internal Use Only", "internal use only"), 1);
  EXPECT_EQ(Count("INTERNAL USE\n  ONLY", "internal use only"), 1);
  EXPECT_EQ(Count("internal use only-ish", "internal use only"), 1);  // '-' is a boundary
  EXPECT_EQ(Count("internal user only", "internal use only"), 0);
  EXPECT_EQ(Count("Please do not distribute. DO NOT DISTRIBUTE", "do not distribute"), 2);
}

TEST(ContentMarkersTest, CustomMarkersAndOrder) {
  const std::vector<ContentMarker> markers = {{"Secret", SecurityLevel::kRestricted}, {"draft", SecurityLevel::kInternal}};
  const std::vector<MarkerHit> hits = FindContentMarkers("DRAFT - Secret - secret", markers);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].marker->phrase, "Secret");
  EXPECT_EQ(hits[0].count, 1);
  EXPECT_EQ(hits[1].count, 1);
  EXPECT_TRUE(FindContentMarkers("", markers).empty());
}

}  // namespace
}  // namespace smelter
