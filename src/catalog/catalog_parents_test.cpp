// Children with several parents (lineage) and the paragraph counts of
// schema version 4.
#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/catalog.h"

namespace smelter {
namespace {

class CatalogParentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("catalog-parents-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    auto c = Catalog::Open((dir_ / "catalog.db").string());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }
  DocumentRecord Ingest(const std::string& path, char fill) {
    bool is_new = false;
    const std::string hash(64, fill);
    EXPECT_TRUE(catalog_->RecordIngest({path, 10, 1, "t"}, hash, 10, &is_new).ok());
    auto doc = catalog_->GetDocument(hash.substr(0, 16));
    EXPECT_TRUE(doc.ok());
    return *doc;
  }
  static std::vector<std::string> Ids(const std::vector<DocumentRecord>& docs) {
    std::vector<std::string> ids;
    for (const auto& d : docs) ids.push_back(d.id);
    return ids;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Catalog> catalog_;
};

const std::string kChildHash = std::string(64, 'c');
const std::string kChildId = kChildHash.substr(0, 16);

TEST_F(CatalogParentsTest, SharedChildIsLinkedToEveryParent) {
  DocumentRecord eml = Ingest("/in/mail.eml", 'a');
  DocumentRecord msg = Ingest("/in/mail.msg", 'b');
  const std::vector<ChildObject> children = {{kChildHash, 10, "report.txt", ""}};
  std::vector<uint64_t> labels, replaced;
  std::vector<DocumentRecord> new_children;
  ASSERT_TRUE(catalog_->CommitGold(msg, {}, &labels, &replaced, children, 5, &new_children).ok());
  ASSERT_EQ(new_children.size(), 1u);
  EXPECT_EQ(new_children[0].parent_id, msg.id);
  // The second parent meets the same bytes: no new document, but a link.
  new_children.clear();
  ASSERT_TRUE(catalog_->CommitGold(eml, {}, &labels, &replaced, children, 5, &new_children).ok());
  EXPECT_TRUE(new_children.empty());
  EXPECT_EQ(Ids(*catalog_->ChildrenOf(eml.id)), std::vector<std::string>{kChildId});
  EXPECT_EQ(Ids(*catalog_->ChildrenOf(msg.id)), std::vector<std::string>{kChildId});
  auto parents = catalog_->ParentsOf(kChildId);
  ASSERT_TRUE(parents.ok());
  ASSERT_EQ(parents->size(), 2u);
  EXPECT_EQ((*parents)[0].parent_id, eml.id);  // by source URI
  EXPECT_EQ((*parents)[0].name, "report.txt");
  EXPECT_EQ((*parents)[1].parent_id, msg.id);
  // Committing a parent again links nothing twice.
  ASSERT_TRUE(catalog_->CommitGold(eml, {}, &labels, &replaced, children, 5, &new_children).ok());
  EXPECT_EQ(catalog_->ParentsOf(kChildId)->size(), 2u);
  // The child's own record keeps its first parent.
  EXPECT_EQ(catalog_->GetDocument(kChildId)->parent_id, msg.id);
}

TEST_F(CatalogParentsTest, DuplicateParentLinksKnownChildrenOnly) {
  DocumentRecord canonical = Ingest("/in/a.eml", 'a');
  DocumentRecord copy = Ingest("/in/b.msg", 'b');
  std::vector<uint64_t> labels, replaced;
  std::vector<DocumentRecord> new_children;
  ASSERT_TRUE(catalog_->CommitGold(canonical, {}, &labels, &replaced, {{kChildHash, 10, "x.txt", ""}}, 5,
                                   &new_children).ok());
  copy.duplicate_of = canonical.id;
  copy.similarity = 0.9;
  const std::string unknown(64, 'd');
  ASSERT_TRUE(catalog_->CommitDuplicate(copy, &replaced, {{kChildHash, 10, "x.txt", ""}, {unknown, 3, "y.txt", ""}}).ok());
  EXPECT_EQ(Ids(*catalog_->ChildrenOf(copy.id)), std::vector<std::string>{kChildId});
  EXPECT_FALSE(catalog_->GetDocument(unknown.substr(0, 16)).ok()) << "a duplicate registers no new documents";
  EXPECT_EQ(catalog_->ParentsOf(kChildId)->size(), 2u);
}

TEST_F(CatalogParentsTest, MigrationFromVersion3CarriesParentsOver) {
  DocumentRecord parent = Ingest("/in/bundle.zip", 'a');
  std::vector<uint64_t> labels, replaced;
  std::vector<DocumentRecord> new_children;
  ASSERT_TRUE(catalog_->CommitGold(parent, {}, &labels, &replaced, {{kChildHash, 10, "docs/x.txt", ""}}, 5,
                                   &new_children).ok());
  catalog_.reset();
  {
    // Back to the version 3 schema, as a lake written before this one.
    auto db = SqliteDb::Open((dir_ / "catalog.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE document_parents; ALTER TABLE documents DROP COLUMN paragraphs_dropped; "
                            "PRAGMA user_version = 3;")
                    .ok());
  }
  Open();
  EXPECT_EQ(catalog_->schema_version(), 4);
  auto parents = catalog_->ParentsOf(kChildId);
  ASSERT_TRUE(parents.ok()) << parents.status().ToString();
  ASSERT_EQ(parents->size(), 1u);
  EXPECT_EQ((*parents)[0].parent_id, parent.id);
  EXPECT_EQ((*parents)[0].name, "docs/x.txt");
  EXPECT_EQ(Ids(*catalog_->ChildrenOf(parent.id)), std::vector<std::string>{kChildId});
}

TEST_F(CatalogParentsTest, ParagraphsDroppedAreStoredAndCounted) {
  DocumentRecord a = Ingest("/in/a.txt", 'a');
  DocumentRecord b = Ingest("/in/b.txt", 'b');
  a.paragraphs_dropped = 2;
  b.paragraphs_dropped = 3;
  std::vector<uint64_t> labels, replaced;
  ASSERT_TRUE(catalog_->CommitGold(a, {}, &labels, &replaced).ok());
  ASSERT_TRUE(catalog_->CommitGold(b, {}, &labels, &replaced).ok());
  EXPECT_EQ(catalog_->GetDocument(a.id)->paragraphs_dropped, 2);
  auto stats = catalog_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->paragraphs_dropped, 5);
  EXPECT_EQ(stats->documents_with_dropped_paragraphs, 2);
  // Out of gold, nothing is dropped from anything.
  ASSERT_TRUE(catalog_->DemoteToDuplicate(b.id, a.id, 0.9, &replaced).ok());
  EXPECT_EQ(catalog_->GetDocument(b.id)->paragraphs_dropped, 0);
  EXPECT_EQ(catalog_->Stats()->paragraphs_dropped, 2);
}

}  // namespace
}  // namespace smelter
