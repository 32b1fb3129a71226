#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::ReadCorpusFile;

struct Member {
  Member(std::string n, std::string b = "", mode_t t = AE_IFREG, std::string sym = "", std::string hard = "")
      : name(std::move(n)), bytes(std::move(b)), type(t), symlink(std::move(sym)), hardlink(std::move(hard)) {}
  std::string name;
  std::string bytes;
  mode_t type;
  std::string symlink;   // target, for AE_IFLNK
  std::string hardlink;  // target, for a hard link
};

enum class Format { kZip, kZipStored, kZipEncrypted, kTar, kTarGz, kRawGz };

la_ssize_t AppendToString(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// Builds an archive in memory with libarchive's writers.
std::string Build(const std::vector<Member>& members, Format format) {
  std::string out;
  struct archive* a = archive_write_new();
  switch (format) {
    case Format::kZip: archive_write_set_format_zip(a); break;
    case Format::kZipStored:
      archive_write_set_format_zip(a);
      archive_write_set_options(a, "zip:compression=store");
      break;
    case Format::kZipEncrypted:
      archive_write_set_format_zip(a);
      archive_write_set_options(a, "zip:encryption=zipcrypt");
      archive_write_set_passphrase(a, "secret");
      break;
    case Format::kTar: archive_write_set_format_pax_restricted(a); break;
    case Format::kTarGz:
      archive_write_set_format_pax_restricted(a);
      archive_write_add_filter_gzip(a);
      break;
    case Format::kRawGz:
      archive_write_set_format_raw(a);
      archive_write_add_filter_gzip(a);
      break;
  }
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, &AppendToString, nullptr), ARCHIVE_OK) << archive_error_string(a);
  for (const Member& m : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, 0644);
    if (!m.symlink.empty()) archive_entry_set_symlink(e, m.symlink.c_str());
    if (!m.hardlink.empty()) archive_entry_set_hardlink(e, m.hardlink.c_str());
    if (m.type == AE_IFREG && m.hardlink.empty()) archive_entry_set_size(e, static_cast<la_int64_t>(m.bytes.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << m.name << ": " << archive_error_string(a);
    if (m.type == AE_IFREG && !m.bytes.empty()) {
      EXPECT_EQ(archive_write_data(a, m.bytes.data(), m.bytes.size()), static_cast<la_ssize_t>(m.bytes.size()));
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

Result<ExtractedDocument> Extract(const std::string& bytes, const std::string& name, DetectedType* type = nullptr,
                                  const ExtractOptions& options = ExtractOptions()) {
  return ExtractDocument(bytes, name, options, type);
}

const ChildDocument* FindChild(const ExtractedDocument& doc, const std::string& name) {
  for (const ChildDocument& c : doc.children) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> ChildNames(const ExtractedDocument& doc) {
  std::vector<std::string> names;
  for (const ChildDocument& c : doc.children) names.push_back(c.name);
  return names;
}

TEST(ArchiveExtractorTest, ZipMembersBecomeChildren) {
  SMELTER_REQUIRE_CORPUS();
  const std::string pdf = ReadCorpusFile("fake-memo.pdf");
  ASSERT_FALSE(pdf.empty());
  const std::string inner = Build({{"a.txt", "inside the inner archive"}}, Format::kZip);
  const std::string zip = Build({{"docs/", "", AE_IFDIR},
                                 {"docs/fake-memo.pdf", pdf},
                                 {"notes/readme.txt", "Read me first.\n"},
                                 {"inner.zip", inner},
                                 {"__MACOSX/docs/._fake-memo.pdf", "junk"},
                                 {"notes/.DS_Store", "junk"}},
                                Format::kZip);
  DetectedType type;
  auto r = Extract(zip, "bundle.zip", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kZip);
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"docs/fake-memo.pdf", "notes/readme.txt", "inner.zip"}));
  const ChildDocument* memo = FindChild(*r, "docs/fake-memo.pdf");
  ASSERT_NE(memo, nullptr);
  EXPECT_EQ(memo->bytes, pdf);
  EXPECT_TRUE(memo->bytes.starts_with("%PDF-"));
  EXPECT_EQ(FindChild(*r, "notes/readme.txt")->bytes, "Read me first.\n");
  // A nested archive is just a child that is an archive; its own members
  // are the pipeline's next step.
  const ChildDocument* nested = FindChild(*r, "inner.zip");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->bytes, inner);
  EXPECT_EQ(DetectType(nested->bytes, nested->name).kind, DocKind::kZip);
  auto inner_doc = Extract(nested->bytes, nested->name);
  ASSERT_TRUE(inner_doc.ok());
  ASSERT_EQ(inner_doc->children.size(), 1u);
  EXPECT_EQ(inner_doc->children[0].bytes, "inside the inner archive");

  EXPECT_EQ(r->metadata["members"], "3");
  EXPECT_EQ(r->metadata["archive_format"], "ZIP 2.0 (deflation)");
  EXPECT_EQ(r->metadata.count("skipped_members"), 0u);
  ASSERT_EQ(r->elements.size(), 4u);
  EXPECT_EQ(r->elements[0].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[0].text, "Archive contents");
  EXPECT_EQ(r->elements[1].type, ElementType::kListItem);
  EXPECT_EQ(r->elements[2].text, "notes/readme.txt (15 bytes)");
}

TEST(ArchiveExtractorTest, OfficeZipIsNotAnArchive) {
  SMELTER_REQUIRE_CORPUS();
  EXPECT_EQ(DetectType(ReadCorpusFile("fake.odt"), "fake.odt").kind, DocKind::kOdt);
  EXPECT_EQ(DetectType(ReadCorpusFile("Transitional.docx"), "Transitional.docx").kind, DocKind::kDocx);
}

TEST(ArchiveExtractorTest, ZipStoringADocxIsStillAZip) {
  SMELTER_REQUIRE_CORPUS();
  // Stored uncompressed, the DOCX's own [Content_Types].xml and word/
  // entries sit in the bundle's bytes; only the bundle's central directory
  // may decide what it is.
  const std::string docx = ReadCorpusFile("Transitional.docx");
  const std::string zip = Build({{"report.docx", docx}, {"notes.txt", "hello"}}, Format::kZipStored);
  DetectedType type;
  auto r = Extract(zip, "bundle.zip", &type);
  EXPECT_EQ(type.kind, DocKind::kZip);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"report.docx", "notes.txt"}));
  EXPECT_EQ(r->children[0].bytes, docx);
  EXPECT_EQ(DetectType(r->children[0].bytes, r->children[0].name).kind, DocKind::kDocx);
  // And a stored ODT, whose "mimetype" member is read from the directory's
  // local header, keeps its kind.
  EXPECT_EQ(DetectType(Build({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<x/>"}},
                             Format::kZipStored),
                       "a.odt")
                .kind,
            DocKind::kOdt);
}

TEST(ArchiveExtractorTest, ZipBombIsRefused) {
  // 16 MiB of zeros deflate to about 16 KB: far past 100:1.
  const std::string zip = Build({{"small.txt", "fine"}, {"zeros.bin", std::string(16u << 20, '\0')}}, Format::kZip);
  ASSERT_LT(zip.size(), 1u << 20);
  auto r = Extract(zip, "bomb.zip");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
  EXPECT_NE(r.status().message().find("archive bomb: expands"), std::string::npos) << r.status().message();
}

TEST(ArchiveExtractorTest, TotalAndMemberLimits) {
  const std::string zip = Build({{"a.txt", std::string(5000, 'a')}, {"b.txt", "short"}, {"c.txt", "also short"}},
                                Format::kZip);
  ExtractOptions options;
  options.archive_max_member_bytes = 1000;
  auto r = Extract(zip, "x.zip", nullptr, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"b.txt", "c.txt"}));
  EXPECT_EQ(r->metadata["skipped_members"], "a.txt: larger than 1000 bytes");

  options = ExtractOptions();
  options.archive_max_members = 2;
  r = Extract(zip, "x.zip", nullptr, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);

  options = ExtractOptions();
  options.archive_max_total_bytes = 4096;
  r = Extract(zip, "x.zip", nullptr, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
  EXPECT_NE(r.status().message().find("uncompressed"), std::string::npos);
}

TEST(ArchiveExtractorTest, EscapingNamesAndLinksAreSkipped) {
  const std::string zip = Build({{"../evil.txt", "evil"},
                                 {"/etc/passwd", "root"},
                                 {"C:/Windows/win.ini", "ini"},
                                 {"a/../../up.txt", "up"},
                                 {"./ok/good.txt", "good"},
                                 {"link", "", AE_IFLNK, "/etc/shadow"}},
                                Format::kZip);
  auto r = Extract(zip, "evil.zip");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"ok/good.txt"}));
  const std::string skipped = r->metadata["skipped_members"];
  EXPECT_NE(skipped.find("../evil.txt: path climbs out with .."), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("/etc/passwd: absolute path"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("C:/Windows/win.ini: drive letter"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("a/../../up.txt: path climbs out"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("link: symbolic link"), std::string::npos) << skipped;
  EXPECT_EQ(r->metadata["members"], "1");
}

TEST(ArchiveExtractorTest, TarWithHardLinkAndDevice) {
  const std::string tar = Build({{"docs/a.md", "# A\n\nText."},
                                 {"docs/b.md", "", AE_IFREG, "", "docs/a.md"},
                                 {"dev/null", "", AE_IFCHR}},
                                Format::kTar);
  DetectedType type;
  auto r = Extract(tar, "docs.tar", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kTar);
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"docs/a.md"}));
  EXPECT_EQ(r->children[0].bytes, "# A\n\nText.");
  EXPECT_NE(r->metadata["skipped_members"].find("docs/b.md: hard link"), std::string::npos);
  EXPECT_NE(r->metadata["skipped_members"].find("dev/null: not a regular file"), std::string::npos);
}

TEST(ArchiveExtractorTest, TarGz) {
  SMELTER_REQUIRE_CORPUS();
  const std::string csv = ReadCorpusFile("stanley-cups.csv");
  const std::string tgz = Build({{"data/stanley-cups.csv", csv}, {"README", "Cup winners."}}, Format::kTarGz);
  DetectedType type;
  auto r = Extract(tgz, "cups.tar.gz", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kGzip);
  EXPECT_EQ(ChildNames(*r), (std::vector<std::string>{"data/stanley-cups.csv", "README"}));
  EXPECT_EQ(r->children[0].bytes, csv);
}

TEST(ArchiveExtractorTest, SingleGzipFile) {
  const std::string text = "One compressed file, not a tar.\n";
  const std::string gz = Build({{"ignored", text}}, Format::kRawGz);
  DetectedType type;
  auto r = Extract(gz, "incoming/report.txt.gz", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kGzip);
  ASSERT_EQ(r->children.size(), 1u);
  EXPECT_EQ(r->children[0].name, "report.txt");
  EXPECT_EQ(r->children[0].bytes, text);
}

TEST(ArchiveExtractorTest, EncryptedZipIsEncrypted) {
  const std::string zip = Build({{"secret.txt", "the plans"}, {"more.txt", "more plans"}}, Format::kZipEncrypted);
  ASSERT_EQ(zip.find("the plans"), std::string::npos);
  auto r = Extract(zip, "secret.zip");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted) << r.status().ToString();
}

TEST(ArchiveExtractorTest, DamagedZipIsCorrupt) {
  std::string zip = Build({{"a.txt", std::string(4000, 'x')}}, Format::kZip);
  auto r = Extract(std::string("PK\x03\x04", 4) + std::string(200, '\x7f'), "bad.zip");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  // Cut in half: the central directory is gone.
  r = Extract(zip.substr(0, zip.size() / 2), "cut.zip");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt) << r.status().ToString();
}

TEST(ArchiveExtractorTest, CutAndFlippedArchivesFailCleanly) {
  const std::string inner = Build({{"x.txt", "nested"}}, Format::kZipStored);
  for (Format format : {Format::kZip, Format::kZipStored, Format::kTarGz}) {
    const std::string good =
        Build({{"a.txt", std::string(3000, 'a')}, {"inner.zip", inner}, {"b/c.txt", "see"}}, format);
    uint32_t seed = 12345;
    for (size_t cut = 0; cut < good.size(); cut += 7) {
      std::string bytes = good.substr(0, cut);
      auto r = Extract(bytes, "t.zip");  // any status; never a crash
      if (r.ok()) {
        EXPECT_FALSE(r->elements.empty());
      }
      bytes = good;
      for (int k = 0; k < 4; ++k) {
        seed = seed * 1103515245u + 12345u;
        bytes[seed % bytes.size()] = static_cast<char>(seed >> 24);
      }
      r = Extract(bytes, "t.zip");
      if (r.ok()) {
        EXPECT_FALSE(r->elements.empty());
      }
    }
  }
}

}  // namespace
}  // namespace smelter
