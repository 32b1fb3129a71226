#include "extract/zip_archive.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

std::string Zip(const std::vector<ZipEntry>& entries) {
  auto zip = CreateZipArchive(entries);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  return zip.ok() ? *zip : std::string();
}

void ExpectOneLine(const Status& status) {
  EXPECT_FALSE(status.message().empty());
  EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
}

TEST(ZipArchiveTest, ReadsMembersByExactAndCaseInsensitiveName) {
  const std::string bytes = Zip({{"word/document.xml", "<doc>hello</doc>"}, {"Media/Pic.PNG", "png", false}});
  auto zip = ZipArchive::Open(bytes);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_EQ((*zip)->names(), (std::vector<std::string>{"word/document.xml", "Media/Pic.PNG"}));
  EXPECT_TRUE((*zip)->Contains("word/document.xml"));
  EXPECT_TRUE((*zip)->Contains("media/pic.png"));  // OOXML part names ignore case
  auto doc = (*zip)->Read("word/document.xml");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(*doc, "<doc>hello</doc>");
  auto pic = (*zip)->Read("MEDIA/pic.png");
  ASSERT_TRUE(pic.ok());
  EXPECT_EQ(*pic, "png");
  EXPECT_EQ((*zip)->bytes_read(), 19u);
  auto missing = (*zip)->Read("word/styles.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST(ZipArchiveTest, NotAZipIsCorrupt) {
  for (std::string bytes : {std::string("hello"), std::string(4096, 'x'), std::string("PK\x03\x04", 4) + std::string(100, '\0')}) {
    auto zip = ZipArchive::Open(bytes);
    ASSERT_FALSE(zip.ok());
    EXPECT_EQ(zip.status().code(), Status::Code::kCorrupt);
    ExpectOneLine(zip.status());
  }
}

TEST(ZipArchiveTest, TruncatedArchiveIsCorrupt) {
  const std::string bytes = Zip({{"a.txt", std::string(5000, 'a')}, {"b.txt", "bbbb"}});
  auto zip = ZipArchive::Open(std::string_view(bytes).substr(0, bytes.size() / 2));
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kCorrupt);
  ExpectOneLine(zip.status());
}

TEST(ZipArchiveTest, DamagedDataIsCorruptOnRead) {
  const std::string text(20000, 'q');
  std::string bytes = Zip({{"a.txt", text, false}});  // stored: the data sits in the file as is
  const size_t at = bytes.find(std::string(100, 'q'));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 50] = 'Z';  // breaks the CRC
  auto zip = ZipArchive::Open(bytes);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto read = (*zip)->Read("a.txt");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kCorrupt);
  ExpectOneLine(read.status());
}

TEST(ZipArchiveTest, ArchiveBombIsRefusedNamingTheRatio) {
  // 50 MB of zeros deflates to about 50 KB: a ratio near 1000:1.
  const std::string bytes = Zip({{"word/document.xml", std::string(50u << 20, '\0')}});
  ASSERT_LT(bytes.size(), 1u << 20);
  auto zip = ZipArchive::Open(bytes);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kTooLarge);
  EXPECT_NE(zip.status().message().find("compression ratio"), std::string::npos) << zip.status().message();
  EXPECT_NE(zip.status().message().find("limit 200:1"), std::string::npos) << zip.status().message();
  ExpectOneLine(zip.status());
}

TEST(ZipArchiveTest, SmallMembersMayCompressWell) {
  // Under 1 MiB the ratio is not held against a member.
  const std::string bytes = Zip({{"a.xml", std::string(512u << 10, ' ')}});
  auto zip = ZipArchive::Open(bytes);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto read = (*zip)->Read("a.xml");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 512u << 10);
}

TEST(ZipArchiveTest, SizeAndCountLimits) {
  const std::string bytes = Zip({{"a", std::string(1500, 'a'), false},
                                 {"b", std::string(1500, 'b'), false},
                                 {"c", std::string(1500, 'c'), false}});
  {
    ZipLimits limits;
    limits.max_members = 2;
    auto zip = ZipArchive::Open(bytes, limits);
    ASSERT_FALSE(zip.ok());
    EXPECT_EQ(zip.status().code(), Status::Code::kTooLarge);
    EXPECT_NE(zip.status().message().find("3 members"), std::string::npos) << zip.status().message();
  }
  {
    ZipLimits limits;
    limits.max_member_bytes = 1000;
    auto zip = ZipArchive::Open(bytes, limits);
    ASSERT_FALSE(zip.ok());
    EXPECT_EQ(zip.status().code(), Status::Code::kTooLarge);
  }
  {
    ZipLimits limits;
    limits.max_total_bytes = 4000;  // declared 4500 in all
    auto zip = ZipArchive::Open(bytes, limits);
    ASSERT_FALSE(zip.ok());
    EXPECT_EQ(zip.status().code(), Status::Code::kTooLarge);
    EXPECT_NE(zip.status().message().find("in total"), std::string::npos);
  }
  {
    ZipLimits limits;
    limits.max_total_bytes = 4500;
    auto zip = ZipArchive::Open(bytes, limits);
    ASSERT_TRUE(zip.ok());
    for (const char* name : {"a", "b", "c"}) EXPECT_TRUE((*zip)->Read(name).ok()) << name;
    // Reading a member again counts again: the budget is for bytes handed out.
    auto again = (*zip)->Read("a");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), Status::Code::kTooLarge);
  }
}

TEST(ZipArchiveTest, PathTraversalNamesAreRefused) {
  for (const char* name : {"../evil", "word/../../evil", "/etc/passwd", "..\\evil", "C:\\Windows\\evil", "a/..\\..\\b"}) {
    const std::string bytes = Zip({{"word/document.xml", "<x/>"}, {name, "gotcha"}});
    auto zip = ZipArchive::Open(bytes);
    ASSERT_FALSE(zip.ok()) << name;
    EXPECT_EQ(zip.status().code(), Status::Code::kCorrupt) << name;
    EXPECT_NE(zip.status().message().find("unsafe ZIP member name"), std::string::npos) << zip.status().message();
    ExpectOneLine(zip.status());
  }
  // Dots inside names are fine.
  const std::string bytes = Zip({{"a..b/c..d.xml", "ok"}, {"./x/.hidden", "ok"}});
  EXPECT_TRUE(ZipArchive::Open(bytes).ok());
}

TEST(ZipArchiveTest, DuplicateNamesAreRefused) {
  // libzip will not write two members of one name; rename one in place.
  std::string bytes = Zip({{"aaa.xml", "first"}, {"aab.xml", "second"}});
  for (size_t at = bytes.find("aab.xml"); at != std::string::npos; at = bytes.find("aab.xml", at)) bytes[at + 2] = 'a';
  auto zip = ZipArchive::Open(bytes);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(zip.status().message().find("twice"), std::string::npos) << zip.status().message();
}

TEST(ZipArchiveTest, EncryptedMemberIsEncrypted) {
  auto bytes = CreateZipArchive({{"plain.txt", "visible"}, {"secret.txt", "hidden words", true, "pw"}});
  if (!bytes.ok()) GTEST_SKIP() << "libzip built without encryption: " << bytes.status().ToString();
  auto zip = ZipArchive::Open(*bytes);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_TRUE((*zip)->Read("plain.txt").ok());
  auto secret = (*zip)->Read("secret.txt");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), Status::Code::kEncrypted);
}

TEST(ZipArchiveCorpusTest, TruncatedDocxIsCorrupt) {
  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = testing::ReadCorpusFile("testWORD_truncated.docx");
  ASSERT_EQ(bytes.size(), 763u);
  auto zip = ZipArchive::Open(bytes);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kCorrupt);
  ExpectOneLine(zip.status());
}

TEST(ZipArchiveCorpusTest, OpensEveryOfficePackage) {
  SMELTER_REQUIRE_CORPUS();
  for (const char* name : {"handbook-872p.docx", "Strict.docx", "powerpoint_sample.pptx",
                           "CVLKRA-KYC_Download_File_Structure_V3.1.xlsx", "fake-power-point-malformed.pptx"}) {
    const std::string bytes = testing::ReadCorpusFile(name);
    auto zip = ZipArchive::Open(bytes);
    ASSERT_TRUE(zip.ok()) << name << ": " << zip.status().ToString();
    EXPECT_TRUE((*zip)->Contains("[Content_Types].xml")) << name;
    for (const std::string& member : (*zip)->names()) {
      if (member.ends_with("/")) continue;
      auto read = (*zip)->Read(member);
      EXPECT_TRUE(read.ok()) << name << " " << member << ": " << read.status().ToString();
    }
  }
}

}  // namespace
}  // namespace smelter
