#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace smelter {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("catalog-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto c = Catalog::Open((dir_ / "catalog.db").string());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Catalog> catalog_;
};

const std::string kHashA = std::string(64, 'a');
const std::string kHashB = std::string(64, 'b');

TEST_F(CatalogTest, MigratesToCurrentVersionAndReopens) {
  EXPECT_EQ(catalog_->schema_version(), Catalog::kSchemaVersion);
  catalog_.reset();
  auto again = Catalog::Open((dir_ / "catalog.db").string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->schema_version(), Catalog::kSchemaVersion);
}

TEST_F(CatalogTest, RefusesANewerSchema) {
  catalog_.reset();
  auto db = SqliteDb::Open((dir_ / "catalog.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 99").ok());
  db->reset();
  auto c = Catalog::Open((dir_ / "catalog.db").string());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("newer"), std::string::npos);
}

TEST_F(CatalogTest, SameBytesFromTwoPathsAreOneObjectAndOneDocument) {
  bool is_new = false;
  ASSERT_TRUE(catalog_->RecordIngest({"/a/x.txt", 10, 1, "t"}, kHashA, 10, &is_new).ok());
  EXPECT_TRUE(is_new);
  ASSERT_TRUE(catalog_->RecordIngest({"/b/y.txt", 10, 1, "t"}, kHashA, 10, &is_new).ok());
  EXPECT_FALSE(is_new);
  ASSERT_TRUE(catalog_->RecordIngest({"/c/z.txt", 5, 1, "t"}, kHashB, 5, &is_new).ok());
  auto stats = catalog_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->objects, 2);
  EXPECT_EQ(stats->sources, 3);
  EXPECT_EQ(stats->documents_by_stage["bronze"], 2);
  auto sources = catalog_->SourcesOf(kHashA);
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ(sources->size(), 2u);
}

TEST_F(CatalogTest, CommitGoldReplacesChunksAndTracksIndexing) {
  bool is_new;
  ASSERT_TRUE(catalog_->RecordIngest({"/a/x.txt", 10, 1, "t"}, kHashA, 10, &is_new).ok());
  auto pending = catalog_->PendingDocuments();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  DocumentRecord doc = (*pending)[0];
  EXPECT_EQ(doc.id, kHashA.substr(0, 16));
  EXPECT_EQ(doc.file_name, "x.txt");

  std::vector<Chunk> chunks(2);
  chunks[0].id = doc.id + "-0";
  chunks[0].text = "first";
  chunks[0].heading_path = {"Intro", "Scope"};
  chunks[0].page_start = 1;
  chunks[0].page_end = 2;
  chunks[1].id = doc.id + "-1";
  chunks[1].text = "second";
  std::vector<uint64_t> labels, replaced;
  ASSERT_TRUE(catalog_->CommitGold(doc, chunks, &labels, &replaced).ok());
  EXPECT_EQ(labels.size(), 2u);
  EXPECT_TRUE(replaced.empty());
  EXPECT_TRUE(catalog_->PendingDocuments()->empty());

  auto unindexed = catalog_->UnindexedChunks();
  ASSERT_TRUE(unindexed.ok());
  EXPECT_EQ(unindexed->size(), 2u);
  ASSERT_TRUE(catalog_->MarkIndexed(labels).ok());
  EXPECT_TRUE(catalog_->UnindexedChunks()->empty());

  auto got = catalog_->ChunksByLabel({labels[0]});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].chunk.heading_path, (std::vector<std::string>{"Intro", "Scope"}));
  EXPECT_EQ((*got)[0].chunk.page_end, 2);

  // Re-processing replaces the old chunks and reports their labels.
  std::vector<uint64_t> labels2, replaced2;
  ASSERT_TRUE(catalog_->CommitGold(doc, {chunks[0]}, &labels2, &replaced2).ok());
  EXPECT_EQ(replaced2, labels);
  EXPECT_EQ(catalog_->ChunksOf(doc.id)->size(), 1u);

  // Quarantine drops them.
  std::vector<uint64_t> replaced3;
  doc.reason = "corrupt";
  ASSERT_TRUE(catalog_->CommitQuarantined(doc, &replaced3).ok());
  EXPECT_EQ(replaced3, labels2);
  auto stats = catalog_->Stats();
  EXPECT_EQ(stats->quarantined_by_reason["corrupt"], 1);
}

TEST_F(CatalogTest, FindDocumentByIdPrefixPathAndName) {
  bool is_new;
  ASSERT_TRUE(catalog_->RecordIngest({"/a/report.pdf", 10, 1, "t"}, kHashA, 10, &is_new).ok());
  ASSERT_TRUE(catalog_->RecordIngest({"/a/notes.txt", 10, 1, "t"}, kHashB, 10, &is_new).ok());
  EXPECT_EQ(catalog_->FindDocument("aaaa")->id, kHashA.substr(0, 16));
  EXPECT_EQ(catalog_->FindDocument("/a/notes.txt")->id, kHashB.substr(0, 16));
  EXPECT_EQ(catalog_->FindDocument("report.pdf")->id, kHashA.substr(0, 16));
  EXPECT_EQ(catalog_->FindDocument("nothing").status().code(), Status::Code::kNotFound);
}

TEST_F(CatalogTest, RunsAreRecorded) {
  auto id = catalog_->BeginRun("run");
  ASSERT_TRUE(id.ok());
  RunRecord r;
  r.id = *id;
  r.duration_ms = 1234;
  r.docs_processed = 3;
  r.status = "ok";
  ASSERT_TRUE(catalog_->FinishRun(r).ok());
  auto runs = catalog_->RecentRuns(5);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].duration_ms, 1234);
  EXPECT_EQ((*runs)[0].status, "ok");
}

}  // namespace
}  // namespace smelter
