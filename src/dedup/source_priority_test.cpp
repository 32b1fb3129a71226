#include "dedup/source_priority.h"

#include <gtest/gtest.h>

namespace smelter::dedup {
namespace {

TEST(SourcePriority, HighestMatchingRuleOverAllSources) {
  const std::vector<PathPriorityRule> rules = {
      {"**/published/**", 10}, {"*.pdf", 5}, {"**/drafts/**", -10}};
  EXPECT_EQ(SourcePriority(rules, {"/lake/in/published/report.docx"}), 10);
  EXPECT_EQ(SourcePriority(rules, {"/lake/in/drafts/report.docx"}), -10);
  EXPECT_EQ(SourcePriority(rules, {"/lake/in/drafts/report.pdf"}), 5);  // highest of -10 and 5
  EXPECT_EQ(SourcePriority(rules, {"/lake/in/other/report.txt"}), 0);   // no rule: 0
  EXPECT_EQ(SourcePriority(rules, {"/a/drafts/x.txt", "/b/published/x.txt"}), 10);
  EXPECT_EQ(SourcePriority(rules, {}), 0);
  EXPECT_EQ(SourcePriority({}, {"/a/published/x.txt"}), 0);
  // A member of an archive: the parent's folder and the member's name both count.
  EXPECT_EQ(SourcePriority(rules, {"/in/published/mail.eml!/notes.txt"}), 10);
  EXPECT_EQ(SourcePriority(rules, {"/in/mail.eml!/scan.pdf"}), 5);
}

}  // namespace
}  // namespace smelter::dedup
