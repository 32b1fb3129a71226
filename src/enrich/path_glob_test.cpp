#include "enrich/path_glob.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(PathGlobTest, DoubleStarSpansFolders) {
  EXPECT_TRUE(GlobMatch("finance/**", "finance/q3.pdf"));
  EXPECT_TRUE(GlobMatch("finance/**", "finance/2024/q3/report.pdf"));
  EXPECT_FALSE(GlobMatch("finance/**", "hr/finance/q3.pdf"));
  EXPECT_FALSE(GlobMatch("finance/**", "financials/q3.pdf"));
  EXPECT_TRUE(GlobMatch("**/drafts/*", "drafts/a.md"));
  EXPECT_TRUE(GlobMatch("**/drafts/*", "x/y/drafts/a.md"));
  EXPECT_FALSE(GlobMatch("**/drafts/*", "x/drafts/sub/a.md"));
  EXPECT_TRUE(GlobMatch("a/**/b/*.txt", "a/b/c.txt"));
  EXPECT_TRUE(GlobMatch("a/**/b/*.txt", "a/x/y/b/c.txt"));
}

TEST(PathGlobTest, SingleStarStaysInOneSegment) {
  EXPECT_TRUE(GlobMatch("finance/*.pdf", "finance/q3.pdf"));
  EXPECT_FALSE(GlobMatch("finance/*.pdf", "finance/2024/q3.pdf"));
  EXPECT_TRUE(GlobMatch("finance/q?.pdf", "finance/q3.pdf"));
  EXPECT_TRUE(GlobMatch("finance/q[0-9].pdf", "finance/q4.pdf"));
  EXPECT_FALSE(GlobMatch("finance/q[0-9].pdf", "finance/qa.pdf"));
  EXPECT_FALSE(GlobMatch("Finance/*", "finance/a"));  // case-sensitive
}

TEST(PathGlobTest, PatternWithoutSlashMatchesFileNameAnywhere) {
  EXPECT_TRUE(GlobMatch("*.pdf", "a/b/c.pdf"));
  EXPECT_TRUE(GlobMatch("*.pdf", "c.pdf"));
  EXPECT_FALSE(GlobMatch("*.pdf", "a/c.pdf/notes.txt"));
  EXPECT_TRUE(GlobMatch("**", "anything/at/all"));
}

TEST(PathGlobTest, PathSpellings) {
  EXPECT_TRUE(GlobMatch("finance/**", "./finance/a.pdf"));
  EXPECT_TRUE(GlobMatch("/finance/**", "/finance/a.pdf"));
  EXPECT_TRUE(GlobMatch("finance/**", "finance\\sub\\a.pdf"));
  EXPECT_TRUE(GlobMatch("finance/*", "finance//a.pdf"));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_FALSE(GlobMatch("a/*", ""));
}

}  // namespace
}  // namespace smelter
