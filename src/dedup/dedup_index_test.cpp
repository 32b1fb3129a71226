#include "dedup/dedup_index.h"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <sstream>

#include "dedup/dedup_report.h"
#include "dedup/paragraph_counts.h"
#include "dedup/synthetic_docs.h"
#include "dedup/text_normalize.h"

namespace smelter::dedup {
namespace {

class DedupIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dedup-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "dedup.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<DedupIndex> OpenIndex(DedupOptions options = {}) {
    auto index = DedupIndex::Open(path_, options);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? std::move(index).value() : nullptr;
  }

  // A random 600-word text, and a copy with `fraction` of its words edited.
  std::string Text(int words = 600) {
    std::vector<std::string> v;
    for (int i = 0; i < words; ++i) v.push_back(corpus_.Word());
    last_ = v;
    return Join(v);
  }
  std::string EditedLast(double fraction) { return Join(corpus_.Edit(last_, fraction)); }
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
    return s;
  }

  DedupDecision Add(DedupIndex& index, const std::string& id, const std::string& text, int64_t modified = 0,
                    int64_t priority = 0) {
    texts_.push_back(text);  // the index keeps no pointer, but keep it simple to read
    auto d = index.Add(DedupDocument{id, texts_.back(), modified, priority});
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : DedupDecision{};
  }

  std::filesystem::path dir_;
  std::string path_;
  testing::SyntheticCorpus corpus_{testing::SyntheticOptions{}};
  std::vector<std::string> last_;
  std::deque<std::string> texts_;
};

TEST_F(DedupIndexTest, IdenticalTextIsAnExactDuplicate) {
  auto index = OpenIndex();
  const std::string text = Text();
  EXPECT_EQ(Add(*index, "a", text, 100).kind, DedupKind::kUnique);
  // Reformatted: case, punctuation and line breaks differ, words do not.
  std::string reformatted = text;
  for (size_t i = 0; i < reformatted.size(); i += 50) {
    if (reformatted[i] == ' ') reformatted[i] = '\n';
  }
  reformatted[0] = static_cast<char>(reformatted[0] - 32);
  const DedupDecision d = Add(*index, "b", reformatted + "!", 50);
  EXPECT_EQ(d.kind, DedupKind::kExactDuplicate);
  EXPECT_EQ(d.duplicate_of, "a");
  EXPECT_DOUBLE_EQ(d.similarity, 1.0);
  EXPECT_EQ(d.canonical_id, "a");  // older: stays a duplicate under "newest"
  EXPECT_TRUE(d.demoted.empty());
  auto clusters = index->ListClusters();
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 1u);
  EXPECT_EQ((*clusters)[0].members.size(), 2u);
  EXPECT_TRUE((*clusters)[0].members[1].exact);
}

TEST_F(DedupIndexTest, NearDuplicateAndUnrelated) {
  auto index = OpenIndex();
  Add(*index, "base", Text(), 100);
  const DedupDecision near = Add(*index, "edit", EditedLast(0.08), 50);
  EXPECT_EQ(near.kind, DedupKind::kNearDuplicate);
  EXPECT_EQ(near.duplicate_of, "base");
  EXPECT_GT(near.similarity, 0.85);
  EXPECT_LT(near.similarity, 1.0);
  const DedupDecision other = Add(*index, "other", Text(), 300);
  EXPECT_EQ(other.kind, DedupKind::kUnique);
  EXPECT_EQ(other.canonical_id, "other");
  // Half of the words replaced: not a near duplicate.
  const DedupDecision far = Add(*index, "far", EditedLast(0.6), 10);
  EXPECT_EQ(far.kind, DedupKind::kUnique);
}

TEST_F(DedupIndexTest, PersistsAcrossReopenAndAddsIncrementally) {
  {
    auto index = OpenIndex();
    for (int i = 0; i < 20; ++i) Add(*index, "doc" + std::to_string(i), Text(), i);
    EXPECT_EQ(index->signatures_computed(), 20);
  }
  auto index = OpenIndex();
  auto count = index->DocumentCount();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 20);
  const DedupDecision d = Add(*index, "late", EditedLast(0.05), 1000);
  EXPECT_EQ(d.kind, DedupKind::kNearDuplicate);
  EXPECT_EQ(d.duplicate_of, "doc19");
  // One new signature; the twenty stored ones were read, not recomputed.
  EXPECT_EQ(index->signatures_computed(), 1);
  auto canonical = index->CanonicalOf("doc19");
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(*canonical, "late");  // newer
}

TEST_F(DedupIndexTest, ReaddingTheSameTextIsANoOp) {
  auto index = OpenIndex();
  const std::string text = Text();
  Add(*index, "a", text, 1);
  Add(*index, "b", text, 2);
  const DedupDecision again = Add(*index, "b", text, 2);
  EXPECT_EQ(index->signatures_computed(), 2);
  EXPECT_EQ(again.kind, DedupKind::kExactDuplicate);
  EXPECT_EQ(again.duplicate_of, "a");
  EXPECT_EQ(again.canonical_id, "b");
  EXPECT_TRUE(again.demoted.empty());
}

TEST_F(DedupIndexTest, NewestPolicyRepointsTheClusterToANewerDocument) {
  auto index = OpenIndex();
  Add(*index, "v1", Text(), 100);
  const std::string v1 = Join(last_);
  Add(*index, "v2", EditedLast(0.03), 50);  // older copy: a duplicate of v1
  EXPECT_EQ(*index->CanonicalOf("v2"), "v1");
  last_ = corpus_.Edit(last_, 0.0);
  const DedupDecision d = Add(*index, "v3", EditedLast(0.04), 200);
  EXPECT_EQ(d.kind, DedupKind::kNearDuplicate);
  EXPECT_EQ(d.canonical_id, "v3");
  EXPECT_EQ(d.demoted, std::vector<std::string>{"v1"});
  EXPECT_EQ(*index->CanonicalOf("v1"), "v3");
  EXPECT_EQ(*index->CanonicalOf("v2"), "v3");  // re-pointed, no chain
  auto clusters = index->ListClusters();
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 1u);
  EXPECT_EQ((*clusters)[0].canonical_id, "v3");
  EXPECT_EQ((*clusters)[0].members.front().id, "v3");
  EXPECT_EQ((*clusters)[0].members.size(), 3u);
}

TEST_F(DedupIndexTest, LongestPolicyPicksTheLongerText) {
  DedupOptions options;
  options.policy = CanonicalPolicy::kLongest;
  auto index = OpenIndex(options);
  Add(*index, "short", Text(500), 300);
  std::vector<std::string> longer = last_;
  for (int i = 0; i < 20; ++i) longer.push_back(corpus_.Word());
  const DedupDecision d = Add(*index, "long", Join(longer), 100);  // older but longer
  EXPECT_EQ(d.kind, DedupKind::kNearDuplicate);
  EXPECT_EQ(d.canonical_id, "long");
  EXPECT_EQ(d.demoted, std::vector<std::string>{"short"});
  const DedupDecision shorter = Add(*index, "shorter", Join(std::vector<std::string>(last_.begin(), last_.end() - 10)), 900);
  EXPECT_EQ(shorter.canonical_id, "long");
  EXPECT_TRUE(shorter.demoted.empty());
}

TEST_F(DedupIndexTest, PriorityPolicyThenNewest) {
  DedupOptions options;
  options.policy = CanonicalPolicy::kPriority;
  auto index = OpenIndex(options);
  Add(*index, "wiki", Text(), 500, 1);
  const DedupDecision official = Add(*index, "official", EditedLast(0.02), 100, 5);  // older, higher priority
  EXPECT_EQ(official.canonical_id, "official");
  EXPECT_EQ(official.demoted, std::vector<std::string>{"wiki"});
  const DedupDecision newer_same = Add(*index, "official-new", EditedLast(0.02), 200, 5);
  EXPECT_EQ(newer_same.canonical_id, "official-new");  // same priority, newer
  const DedupDecision low = Add(*index, "mirror", EditedLast(0.02), 900, 0);
  EXPECT_EQ(low.canonical_id, "official-new");
}

TEST_F(DedupIndexTest, BridgingDocumentMergesClusters) {
  auto index = OpenIndex();
  // a and c differ in 25% of their words (similarity ~0.75), b takes half
  // of each one's changes (12.5% from either, ~0.87).
  std::vector<std::string> words;
  for (int i = 0; i < 800; ++i) words.push_back(corpus_.Word());
  std::vector<std::string> a = words, c = words;
  for (size_t i = 0; i < 100; ++i) a[i * 8] = corpus_.Word() + "x";
  for (size_t i = 0; i < 100; ++i) c[i * 8 + 4] = corpus_.Word() + "y";
  std::vector<std::string> b = words;
  for (size_t i = 0; i < 50; ++i) b[i * 8] = a[i * 8], b[i * 8 + 4] = c[i * 8 + 4];
  const DedupDecision da = Add(*index, "a", Join(a), 1);
  const DedupDecision dc = Add(*index, "c", Join(c), 2);
  ASSERT_EQ(da.kind, DedupKind::kUnique);
  ASSERT_EQ(dc.kind, DedupKind::kUnique) << dc.similarity;
  const DedupDecision db = Add(*index, "b", Join(b), 0);
  EXPECT_EQ(db.kind, DedupKind::kNearDuplicate);
  EXPECT_EQ(db.canonical_id, "c");
  EXPECT_EQ(db.demoted, std::vector<std::string>{"a"});
  EXPECT_EQ(*index->CanonicalOf("a"), "c");
}

TEST_F(DedupIndexTest, RemovePromotesANewCanonical) {
  auto index = OpenIndex();
  Add(*index, "old", Text(), 1);
  Add(*index, "mid", EditedLast(0.02), 2);
  Add(*index, "new", EditedLast(0.02), 3);
  EXPECT_EQ(*index->CanonicalOf("old"), "new");
  auto removed = index->Remove("new");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->promoted, "mid");
  EXPECT_EQ(*index->CanonicalOf("old"), "mid");
  auto again = index->Remove("new");
  EXPECT_EQ(again.status().code(), Status::Code::kNotFound);
  auto member = index->Remove("old");
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->promoted, "");
  // Its bands are gone too: the same text comes back as unique.
  EXPECT_EQ(index->Remove("mid").ok(), true);
  EXPECT_EQ(Add(*index, "back", Join(last_), 4).kind, DedupKind::kUnique);
}

TEST_F(DedupIndexTest, ChangedTextReplacesTheDocument) {
  auto index = OpenIndex();
  Add(*index, "a", Text(), 1);
  Add(*index, "b", EditedLast(0.02), 2);
  // b's text changes to something unrelated: it leaves a's cluster.
  EXPECT_EQ(*index->CanonicalOf("a"), "b");  // newer
  const DedupDecision d = Add(*index, "b", Text(), 3);
  EXPECT_EQ(d.kind, DedupKind::kUnique);
  EXPECT_EQ(d.promoted, std::vector<std::string>{"a"});  // a is its own canonical again
  EXPECT_EQ(*index->CanonicalOf("a"), "a");
  EXPECT_EQ(*index->DocumentCount(), 2);
}

TEST_F(DedupIndexTest, ReopenWithOtherThresholdRebuildsBandsAndRejectsOtherShingles) {
  {
    auto index = OpenIndex();
    Add(*index, "a", Text(), 1);
  }
  DedupOptions looser;
  looser.threshold = 0.6;
  {
    auto index = OpenIndex(looser);
    ASSERT_NE(index, nullptr);
    EXPECT_NE(index->lsh().rows, DedupIndex::Open(path_ + ".other", DedupOptions{}).value()->lsh().rows);
    // 35% edited: similarity ~0.7, found only through the rebuilt bands.
    const DedupDecision d = Add(*index, "b", EditedLast(0.3), 2);
    EXPECT_EQ(d.kind, DedupKind::kNearDuplicate);
    EXPECT_EQ(index->signatures_computed(), 1);
  }
  DedupOptions other_shingle;
  other_shingle.minhash.shingle = 5;
  auto bad = DedupIndex::Open(path_, other_shingle);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(DedupIndexTest, PolicyChangeOnReopenRepicksCanonicals) {
  {
    auto index = OpenIndex();
    Add(*index, "long-old", Text(700), 1);
    Add(*index, "short-new", Join(std::vector<std::string>(last_.begin(), last_.end() - 30)), 2);
    EXPECT_EQ(*index->CanonicalOf("long-old"), "short-new");
  }
  DedupOptions longest;
  longest.policy = CanonicalPolicy::kLongest;
  auto index = OpenIndex(longest);
  EXPECT_EQ(*index->CanonicalOf("short-new"), "long-old");
}

TEST_F(DedupIndexTest, AttachJoinsTheCallersTransaction) {
  auto db = SqliteDb::Open(path_);
  ASSERT_TRUE(db.ok());
  auto index = DedupIndex::Attach(**db, DedupOptions{});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  const std::string text = Text();
  {
    SqliteTransaction txn(**db);
    ASSERT_TRUE(txn.begin_status().ok());
    ASSERT_TRUE((*index)->Add(DedupDocument{"a", text, 1, 0}).ok());
    // No commit: rolled back with the caller's transaction.
  }
  EXPECT_EQ(*(*index)->DocumentCount(), 0);
  auto all = (*index)->AddAll({DedupDocument{"a", text, 1, 0}, DedupDocument{"b", text, 2, 0}});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[1].kind, DedupKind::kExactDuplicate);
  EXPECT_EQ((*all)[1].demoted, std::vector<std::string>{"a"});
}

TEST_F(DedupIndexTest, RejectsBadInput) {
  DedupOptions bad;
  bad.threshold = 1.5;
  EXPECT_EQ(DedupIndex::Open(path_, bad).status().code(), Status::Code::kInvalidArgument);
  auto index = OpenIndex();
  EXPECT_FALSE(index->Add(DedupDocument{"", "text", 0, 0}).ok());
  // Empty and punctuation-only texts are exact duplicates of each other only.
  EXPECT_EQ(Add(*index, "e1", "", 1).kind, DedupKind::kUnique);
  EXPECT_EQ(Add(*index, "e2", " ... ", 1).kind, DedupKind::kExactDuplicate);
  EXPECT_EQ(ParseCanonicalPolicy("oldest").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(*ParseCanonicalPolicy("priority"), CanonicalPolicy::kPriority);
}

TEST_F(DedupIndexTest, ReportListsClustersCanonicalFirst) {
  auto index = OpenIndex();
  Add(*index, "first", Text(), 1764000000);
  Add(*index, "second", EditedLast(0.05), 1764100000);
  Add(*index, "alone", Text(), 1);
  auto clusters = index->ListClusters();
  ASSERT_TRUE(clusters.ok());
  std::ostringstream out;
  PrintClusters(*clusters, *index->DocumentCount(), CanonicalPolicy::kNewest, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("cluster 1: 2 documents, canonical second"), std::string::npos) << text;
  EXPECT_NE(text.find("* second"), std::string::npos) << text;
  EXPECT_NE(text.find("near 0.9"), std::string::npos) << text;
  EXPECT_NE(text.find("2025-11-"), std::string::npos) << text;
  EXPECT_NE(text.find("3 documents, 1 duplicate clusters, 1 duplicates (2 kept)"), std::string::npos) << text;
  EXPECT_EQ(text.find("alone"), std::string::npos);
}

TEST_F(DedupIndexTest, ParagraphCountsFindRepeatedBoilerplate) {
  auto db = SqliteDb::Open(path_);
  ASSERT_TRUE(db.ok());
  auto counter = ParagraphCounter::Attach(**db);
  ASSERT_TRUE(counter.ok()) << counter.status().ToString();
  const std::string disclaimer =
      "This e-mail and any attachments are confidential and may be privileged. If you are not the intended "
      "recipient, please delete it.";
  auto doc = [&](int i) {
    return "# Report " + std::to_string(i) + "\n\nBody text number " + std::to_string(i) +
           " with enough words to count as a paragraph here.\n\n" + disclaimer + "\n";
  };
  std::vector<uint64_t> disclaimer_hashes;
  for (int i = 0; i < 3; ++i) {
    const std::string text = doc(i);
    const auto paragraphs = SplitParagraphs(text);
    ASSERT_EQ(paragraphs.size(), 3u);
    EXPECT_EQ(paragraphs[0].hash, 0u);  // "# Report 0": too short to count
    EXPECT_EQ(text.substr(paragraphs[2].begin, paragraphs[2].end - paragraphs[2].begin), disclaimer);
    std::vector<uint64_t> hashes;
    for (const auto& p : paragraphs) hashes.push_back(p.hash);
    // The disclaimer is seen elsewhere once one earlier document had it.
    auto seen = (*counter)->SeenElsewhere(paragraphs[2].hash, "d" + std::to_string(i), 1);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(*seen, i >= 1);
    EXPECT_FALSE(*(*counter)->SeenElsewhere(paragraphs[1].hash, "d" + std::to_string(i), 1));
    ASSERT_TRUE((*counter)->Record("d" + std::to_string(i), hashes).ok());
    ASSERT_TRUE((*counter)->Record("d" + std::to_string(i), hashes).ok());  // idempotent
    disclaimer_hashes.push_back(paragraphs[2].hash);
  }
  EXPECT_EQ(disclaimer_hashes[0], disclaimer_hashes[2]);
  // Rewrapped and recased, still the same paragraph.
  EXPECT_EQ(SplitParagraphs("THIS e-mail and any attachments are confidential\nand may be privileged. If you are not "
                            "the intended recipient, please delete it!")[0]
                .hash,
            disclaimer_hashes[0]);
  EXPECT_EQ(*(*counter)->OtherDocuments(disclaimer_hashes[0], "d0"), 2);
  EXPECT_EQ(*(*counter)->OtherDocuments(disclaimer_hashes[0], "new"), 3);
  ASSERT_TRUE((*counter)->Forget("d1").ok());
  EXPECT_EQ(*(*counter)->OtherDocuments(disclaimer_hashes[0], "new"), 2);
}

}  // namespace
}  // namespace smelter::dedup
