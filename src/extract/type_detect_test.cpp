#include "extract/type_detect.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

using testing::ReadCorpusFile;

DocKind KindOf(std::string_view bytes, std::string_view name) { return DetectType(bytes, name).kind; }

DocKind CorpusKind(const std::string& name) { return KindOf(ReadCorpusFile(name), name); }

// A minimal stored ZIP member header followed by `content`.
std::string ZipMember(std::string_view name, std::string_view content) {
  std::string out("PK\x03\x04", 4);
  auto le16 = [&](unsigned v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
  };
  auto le32 = [&](unsigned v) {
    le16(v & 0xFFFF);
    le16(v >> 16);
  };
  le16(20);  // version
  le16(0);   // flags
  le16(0);   // method: stored
  le16(0);   // time
  le16(0);   // date
  le32(0);   // crc (unchecked here)
  le32(static_cast<unsigned>(content.size()));
  le32(static_cast<unsigned>(content.size()));
  le16(static_cast<unsigned>(name.size()));
  le16(0);
  out.append(name);
  out.append(content);
  return out;
}

TEST(DocKindNameTest, Names) {
  EXPECT_EQ(DocKindName(DocKind::kPdf), "pdf");
  EXPECT_EQ(DocKindName(DocKind::kHtml), "html");
  EXPECT_EQ(DocKindName(DocKind::kMarkdown), "markdown");
  EXPECT_EQ(DocKindName(DocKind::kEmpty), "empty");
  EXPECT_EQ(DocKindName(DocKind::kUnknown), "unknown");
  EXPECT_EQ(DocKindName(DocKind::kDocx), "docx");
  EXPECT_EQ(DocKindName(DocKind::kJsonl), "jsonl");
}

TEST(DetectTypeTest, ZeroBytesIsEmpty) {
  const DetectedType t = DetectType("", "anything.pdf");
  EXPECT_EQ(t.kind, DocKind::kEmpty);
}

TEST(DetectTypeTest, ContentWinsOverExtension) {
  EXPECT_EQ(KindOf("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n", "notes.txt"), DocKind::kPdf);
  EXPECT_EQ(DetectType("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "x.txt").mime, "application/pdf");
  EXPECT_EQ(KindOf("just some words\n", "report.pdf"), DocKind::kText);
}

TEST(DetectTypeTest, HtmlByMarkupEvenWithoutDoctype) {
  EXPECT_EQ(KindOf("<!DOCTYPE html><title>x</title><p>hi", "page"), DocKind::kHtml);
  EXPECT_EQ(KindOf("\n\n<html><body><p>hello</p></body></html>", "page.txt"), DocKind::kHtml);
  EXPECT_EQ(KindOf("<div class=\"a\">fragment</div>\n", "frag"), DocKind::kHtml);
  EXPECT_EQ(KindOf("<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
                   "x.xhtml"),
            DocKind::kHtml);
  // Text that merely mentions markup stays text; XML with <title> stays XML.
  EXPECT_EQ(KindOf("Use <div> to group things.\n", "notes.txt"), DocKind::kText);
  EXPECT_EQ(KindOf("<feed><title>t</title><entry/></feed>\n", "feed.xml"), DocKind::kXml);
}

TEST(DetectTypeTest, MarkdownByNameWhenText) {
  EXPECT_EQ(KindOf("# Title\n\nSome *text*.\n", "README.md"), DocKind::kMarkdown);
  EXPECT_EQ(KindOf("# Title\n", "notes.markdown"), DocKind::kMarkdown);
  EXPECT_EQ(KindOf("# Title\n", "notes.txt"), DocKind::kText);
  // Markdown may contain HTML blocks and is still Markdown.
  EXPECT_EQ(KindOf("<ul>\n<li>a</li>\n</ul>\n", "list.md"), DocKind::kMarkdown);
}

TEST(DetectTypeTest, TextKindsByMagicOrExtension) {
  EXPECT_EQ(KindOf("a,b,c\n1,2,3\n4,5,6\n", "data.csv"), DocKind::kCsv);
  EXPECT_EQ(KindOf("a\tb\n1\t2\n", "data.tsv"), DocKind::kTsv);
  EXPECT_EQ(KindOf("{\"a\": 1, \"b\": [1, 2]}\n", "data.json"), DocKind::kJson);
  EXPECT_EQ(KindOf("{\"a\": 1}\n{\"a\": 2}\n", "rows.jsonl"), DocKind::kJsonl);
  EXPECT_EQ(KindOf("<?xml version=\"1.0\"?><root><a/></root>\n", "data"), DocKind::kXml);
}

TEST(DetectTypeTest, EmailHeaders) {
  const std::string mail =
      "From: Alice <alice@example.com>\nTo: bob@example.com\nSubject: Hi\n"
      "Date: Fri, 16 Dec 2022 17:04:16 -0500\n\nBody text\n";
  EXPECT_EQ(KindOf(mail, "message.eml"), DocKind::kEml);
  EXPECT_EQ(KindOf("From alice@example.com Mon Mar 17 11:15:17 2014\n" + mail, "box"), DocKind::kMbox);
}

TEST(DetectTypeTest, Utf16AndUtf32TextIsText) {
  const std::string bom_le("\xFF\xFEH\0i\0 \0t\0h\0e\0r\0e\0\n\0", 20);
  EXPECT_EQ(KindOf(bom_le, "x"), DocKind::kText);
  const std::string no_bom("H\0e\0l\0l\0o\0,\0 \0w\0o\0r\0l\0d\0\n\0", 26);
  EXPECT_EQ(KindOf(no_bom, "x.txt"), DocKind::kText);
  const std::string html16("\xFF\xFE<\0h\0t\0m\0l\0>\0<\0b\0o\0d\0y\0>\0x\0", 28);
  EXPECT_EQ(KindOf(html16, "page"), DocKind::kHtml);
}

TEST(DetectTypeTest, ZipContainersByMembers) {
  const std::string docx = ZipMember("[Content_Types].xml", "<Types/>") + ZipMember("word/document.xml", "<w/>");
  EXPECT_EQ(KindOf(docx, "file.zip"), DocKind::kDocx);
  const std::string pptx = ZipMember("[Content_Types].xml", "<Types/>") + ZipMember("ppt/presentation.xml", "<p/>");
  EXPECT_EQ(KindOf(pptx, "file"), DocKind::kPptx);
  const std::string xlsx = ZipMember("[Content_Types].xml", "<Types/>") + ZipMember("xl/workbook.xml", "<x/>");
  EXPECT_EQ(KindOf(xlsx, "file"), DocKind::kXlsx);
  const std::string odt = ZipMember("mimetype", "application/vnd.oasis.opendocument.text") +
                          ZipMember("content.xml", "<c/>");
  EXPECT_EQ(KindOf(odt, "file"), DocKind::kOdt);
  const std::string epub = ZipMember("mimetype", "application/epub+zip") + ZipMember("META-INF/container.xml", "<c/>");
  EXPECT_EQ(KindOf(epub, "book"), DocKind::kEpub);
  EXPECT_EQ(KindOf(ZipMember("readme.txt", "hello"), "a.zip"), DocKind::kZip);
}

TEST(DetectTypeTest, BinaryGarbageIsUnknown) {
  std::string junk;
  for (int i = 0; i < 512; ++i) junk.push_back(static_cast<char>((i * 73 + 11) & 0xFF));
  EXPECT_EQ(KindOf(junk, "blob.bin"), DocKind::kUnknown);
}

TEST(DetectTypeTest, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<DocKind> kinds(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&kinds, t] {
      for (int i = 0; i < 50; ++i) {
        kinds[t] = t % 2 ? KindOf("<!doctype html><p>x", "a") : KindOf("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "b");
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(kinds[t], t % 2 ? DocKind::kHtml : DocKind::kPdf);
}

TEST(DetectTypeCorpusTest, RealFiles) {
  SMELTER_REQUIRE_CORPUS();
  EXPECT_EQ(CorpusKind("tracemonkey.pdf"), DocKind::kPdf);
  EXPECT_EQ(CorpusKind("empty.txt"), DocKind::kEmpty);
  EXPECT_EQ(CorpusKind("fake-text-utf-16-le.txt"), DocKind::kText);  // no BOM; libmagic says "data"
  EXPECT_EQ(CorpusKind("fake-text-utf-32.txt"), DocKind::kText);
  EXPECT_EQ(CorpusKind("testTXT_win-1252.txt"), DocKind::kText);
  EXPECT_EQ(CorpusKind("pftaps057006474.txt"), DocKind::kText);  // libmagic says HP-GL
  EXPECT_EQ(CorpusKind("example-10k.html"), DocKind::kHtml);      // libmagic says text/xml
  EXPECT_EQ(CorpusKind("example-steelJIS-datasheet-utf-16.html"), DocKind::kHtml);
  EXPECT_EQ(CorpusKind("fake-html-cp1252.html"), DocKind::kHtml);
  EXPECT_EQ(CorpusKind("umlauts-non-utf8.md"), DocKind::kMarkdown);
  EXPECT_EQ(CorpusKind("nested.md"), DocKind::kMarkdown);  // libmagic says text/html
  EXPECT_EQ(CorpusKind("dump.xml"), DocKind::kXml);        // libmagic says text/html
  EXPECT_EQ(CorpusKind("Strict.docx"), DocKind::kDocx);
  EXPECT_EQ(CorpusKind("testWORD_truncated.docx"), DocKind::kDocx);  // truncated OOXML
  EXPECT_EQ(CorpusKind("fake-power-point.pptx"), DocKind::kPptx);
  EXPECT_EQ(CorpusKind("stanley-cups.xlsx"), DocKind::kXlsx);
  EXPECT_EQ(CorpusKind("fake.odt"), DocKind::kOdt);
  EXPECT_EQ(CorpusKind("winter-sports.epub"), DocKind::kEpub);
  EXPECT_EQ(CorpusKind("fake.doc"), DocKind::kDoc);
  EXPECT_EQ(CorpusKind("fake-power-point.ppt"), DocKind::kPpt);
  EXPECT_EQ(CorpusKind("tests-example.xls"), DocKind::kXls);
  EXPECT_EQ(CorpusKind("fake-email.msg"), DocKind::kMsg);
  EXPECT_EQ(CorpusKind("fake-email.eml"), DocKind::kEml);
  EXPECT_EQ(CorpusKind("email-no-utf8-2014-03-17.111517.eml"), DocKind::kEml);  // has an HTML body
  EXPECT_EQ(CorpusKind("fake-email-utf-16-le.eml"), DocKind::kEml);
  EXPECT_EQ(CorpusKind("fake-doc.rtf"), DocKind::kRtf);
  EXPECT_EQ(CorpusKind("stanley-cups.csv"), DocKind::kCsv);
  EXPECT_EQ(CorpusKind("semicolon-delimited.csv"), DocKind::kCsv);
  EXPECT_EQ(CorpusKind("simple.json"), DocKind::kJson);
  EXPECT_EQ(CorpusKind("dots_simple.json"), DocKind::kJson);
  EXPECT_EQ(CorpusKind("testODTnotaZipFile.odt"), DocKind::kText);  // content, not name
  const DetectedType encrypted = DetectType(ReadCorpusFile("password_protected.xlsx"), "password_protected.xlsx");
  EXPECT_EQ(encrypted.mime, "application/encrypted");
}

// OLE2 files are told apart by their streams, not by their names: each
// corpus file keeps its kind under a misleading or missing extension.
TEST(DetectTypeCorpusTest, OleKindFromStreamsNotNames) {
  SMELTER_REQUIRE_CORPUS();
  EXPECT_EQ(KindOf(ReadCorpusFile("fake.doc"), "report.xls"), DocKind::kDoc);
  EXPECT_EQ(KindOf(ReadCorpusFile("tests-example.xls"), "upload.bin"), DocKind::kXls);
  EXPECT_EQ(KindOf(ReadCorpusFile("fake-power-point.ppt"), "slides"), DocKind::kPpt);  // libmagic: x-ole-storage
  for (const char* msg : {"fake-email.msg", "fake-email-attachment.msg", "fake-encrypted.msg", "test-outlook2003.msg",
                          "testMSG_chinese.msg"}) {
    EXPECT_EQ(KindOf(ReadCorpusFile(msg), "attachment.doc"), DocKind::kMsg) << msg;
  }
  for (const char* rtf : {"testRTFVarious.rtf", "testRTFWindowsCodepage1250.rtf", "testRTFCorruptListOverride.rtf"}) {
    EXPECT_EQ(KindOf(ReadCorpusFile(rtf), "notes.txt"), DocKind::kRtf) << rtf;
  }
  // A truncated compound file is still named by libmagic/extension, never crashes.
  const std::string cut = ReadCorpusFile("fake.doc").substr(0, 1024);
  EXPECT_EQ(KindOf(cut, "fake.doc"), DocKind::kDoc);
}

}  // namespace
}  // namespace smelter
