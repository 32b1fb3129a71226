// Holders, drops and orphans of ParagraphCounter (the counting itself is in
// dedup_index_test.cpp's ParagraphCountsFindRepeatedBoilerplate).
#include "dedup/paragraph_counts.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace smelter::dedup {
namespace {

class ParagraphCounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("paragraph-counts-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    auto db = SqliteDb::Open(path_);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    auto counter = ParagraphCounter::Attach(*db_);
    ASSERT_TRUE(counter.ok()) << counter.status().ToString();
    counter_ = std::move(*counter);
  }
  void TearDown() override {
    counter_.reset();
    db_.reset();
    std::filesystem::remove(path_);
  }
  std::string path_;
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<ParagraphCounter> counter_;
};

TEST(CountableParagraphHash, ShortParagraphsAreNotCounted) {
  EXPECT_EQ(CountableParagraphHash("Thanks,"), 0u);
  EXPECT_EQ(CountableParagraphHash("Kind regards, Jane"), 0u);
  const std::string disclaimer = "This message and its attachments are confidential and intended only for you.";
  EXPECT_NE(CountableParagraphHash(disclaimer), 0u);
  EXPECT_EQ(CountableParagraphHash(disclaimer), CountableParagraphHash("THIS message and its attachments are\n"
                                                                       "confidential, and intended only for you!"));
  EXPECT_EQ(CountableParagraphHash(disclaimer, 20), 0u);  // the minimum is the caller's
  EXPECT_NE(CountableParagraphHash("Thanks", 1), 0u);
}

TEST_F(ParagraphCounterTest, HoldersLeavingOrphanTheirDrops) {
  const uint64_t h = 42, other = 7;
  ASSERT_TRUE(counter_->Record("first", {h, other}).ok());
  ASSERT_TRUE(counter_->RecordDropped("second", {h}).ok());
  ASSERT_TRUE(counter_->RecordDropped("third", {h, 0}).ok());
  EXPECT_TRUE(*counter_->SeenElsewhere(h, "second", 1));
  EXPECT_EQ(*counter_->OtherDocuments(h, "second"), 1) << "droppers are not holders";
  EXPECT_TRUE(counter_->Orphaned(1)->empty());
  EXPECT_EQ(*counter_->DocumentsWithDrops(), (std::vector<std::string>{"second", "third"}));
  // A stricter limit orphans the drops that fewer holders back.
  EXPECT_EQ(*counter_->Orphaned(2), (std::vector<std::string>{"second", "third"}));

  std::vector<uint64_t> held;
  ASSERT_TRUE(counter_->Forget("first", &held).ok());
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, (std::vector<uint64_t>{other, h}));
  EXPECT_EQ(*counter_->Orphaned(1, &held), (std::vector<std::string>{"second", "third"}));
  EXPECT_EQ(*counter_->Orphaned(1), (std::vector<std::string>{"second", "third"}));
  // Another holder takes over: nothing is orphaned any more.
  ASSERT_TRUE(counter_->Record("newer", {h}).ok());
  EXPECT_TRUE(counter_->Orphaned(1, &held)->empty());
  // Forgetting a dropper removes its drops too.
  ASSERT_TRUE(counter_->Forget("second").ok());
  EXPECT_EQ(*counter_->DocumentsWithDrops(), (std::vector<std::string>{"third"}));
  EXPECT_FALSE(*counter_->IsEmpty());
  ASSERT_TRUE(counter_->Clear().ok());
  EXPECT_TRUE(*counter_->IsEmpty());
  EXPECT_TRUE(counter_->DocumentsWithDrops()->empty());
  EXPECT_EQ(*counter_->OtherDocuments(h, "x"), 0);
}

TEST_F(ParagraphCounterTest, JoinsTheCallersTransaction) {
  {
    SqliteTransaction txn(*db_);
    ASSERT_TRUE(txn.begin_status().ok());
    ASSERT_TRUE(counter_->Record("a", {1, 2}).ok());
    ASSERT_TRUE(counter_->RecordDropped("b", {1}).ok());
    // Rolled back with the caller's transaction.
  }
  EXPECT_EQ(*counter_->OtherDocuments(1, "x"), 0);
  EXPECT_TRUE(counter_->DocumentsWithDrops()->empty());
}

}  // namespace
}  // namespace smelter::dedup
