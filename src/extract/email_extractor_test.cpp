#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;
using testing::ReadCorpusFile;

bool HasParagraph(const ExtractedDocument& doc, const std::string& text) {
  for (const Element& e : doc.elements) {
    if (e.type == ElementType::kParagraph && e.text == text) return true;
  }
  return false;
}

// --- EML ---------------------------------------------------------------

TEST(EmlExtractorTest, FakeEmail) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("fake-email.eml", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kEml);
  EXPECT_EQ(r->title, "Test Email");
  EXPECT_EQ(r->metadata["subject"], "Test Email");
  EXPECT_EQ(r->metadata["from"], "Matthew Robinson <mrobinson@unstructured.io>");
  EXPECT_EQ(r->metadata["to"], "NotMatthew <NotMatthew@notunstructured.com>");
  EXPECT_EQ(r->metadata["date"], "2022-12-16T17:04:16-05:00");
  EXPECT_EQ(r->metadata.count("cc"), 0u);
  ASSERT_FALSE(r->elements.empty());
  EXPECT_EQ(r->elements[0].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[0].text, "Test Email");
  EXPECT_TRUE(HasParagraph(*r, "From: Matthew Robinson <mrobinson@unstructured.io>"));
  EXPECT_TRUE(HasParagraph(*r, "To: NotMatthew <NotMatthew@notunstructured.com>"));
  EXPECT_TRUE(HasParagraph(*r, "Date: 2022-12-16T17:04:16-05:00"));
  EXPECT_TRUE(HasParagraph(*r, "This is a test email to use for unit tests."));
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Violets are blue"), std::string::npos);
  // text/plain is preferred: the HTML alternative is not added as well.
  EXPECT_EQ(text.find("This is a test email"), text.rfind("This is a test email"));
  EXPECT_EQ(ElementsOfType(*r, ElementType::kListItem).size(), 0u);
}

TEST(EmlExtractorTest, FamilyDaySubjectAndSender) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("family-day.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Family Day");
  EXPECT_EQ(r->metadata["from"], "Mallori Harrell <mallori@unstructured.io>");
  EXPECT_EQ(r->metadata["date"], "2022-12-21T10:28:53-06:00");
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("There will be face painting, a petting zoo, funnel cake and more."), std::string::npos);
  EXPECT_NE(text.find("Data Scientist"), std::string::npos);
}

TEST(EmlExtractorTest, AttachmentListed) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-email-attachment.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Fake email with attachment");
  EXPECT_EQ(r->metadata["attachments"], "fake-attachment.txt");
  // "Hey this is a fake attachment!" is 30 bytes once base64 is undone.
  EXPECT_TRUE(HasParagraph(*r, "Attachment: fake-attachment.txt (text/plain, 30 bytes)"));
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Here's the attachments!"), std::string::npos);
  // The attachment's content is not part of the body.
  EXPECT_EQ(text.find("fake attachment!"), std::string::npos);
}

TEST(EmlExtractorTest, Utf16LittleEndianFile) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto r = ExtractCorpusFile("fake-email-utf-16-le.eml", &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kEml);
  EXPECT_EQ(r->source_encoding, "UTF-16LE");
  EXPECT_EQ(r->title, "Test Email");
  EXPECT_EQ(r->metadata["from"], "Matthew Robinson <mrobinson@unstructured.io>");
  EXPECT_NE(AllText(*r).find("Roses are red"), std::string::npos);
}

TEST(EmlExtractorTest, NonUtf8Body) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("email-no-utf8-2014-03-17.111517.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Google Account password changed");
  EXPECT_EQ(r->metadata["from"], "no-reply@accounts.google.com");
  EXPECT_EQ(r->metadata["date"], "2014-03-17T11:15:04+00:00");
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Hi Slava,"), std::string::npos);
  EXPECT_NE(text.find("If you made this change, you don't need to do anything more."), std::string::npos);
  EXPECT_NE(text.find("The Google Accounts team"), std::string::npos);
  // Inline images of the HTML part are listed, not decoded as text.
  EXPECT_EQ(r->metadata["attachments"], "google.png, profilephoto.png");
}

TEST(EmlExtractorTest, EmptyFileIsEmpty) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("empty.eml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
}

TEST(EmlExtractorTest, MalformedEncodingDoesNotCrash) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-email-malformed-encoding.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Test Email");
  EXPECT_NE(AllText(*r).find("This is a test email to use for unit tests."), std::string::npos);
}

TEST(EmlExtractorTest, HtmlOnlyBodyAndImage) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("email-with-image.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "email-with-image");
  EXPECT_NE(AllText(*r).find("The unstructured logo is attached to this email."), std::string::npos);
  EXPECT_EQ(r->metadata["attachments"], "unstructured_logo.png");
}

TEST(EmlExtractorTest, AttachmentBecomesChild) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-email-attachment.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 1u);
  const ChildDocument& child = r->children[0];
  EXPECT_EQ(child.name, "fake-attachment.txt");
  EXPECT_EQ(child.bytes, "Hey this is a fake attachment!");
  EXPECT_EQ(child.metadata.at("parent_subject"), "Fake email with attachment");
  EXPECT_EQ(child.metadata.at("from"), r->metadata["from"]);
  EXPECT_EQ(child.metadata.at("date"), r->metadata["date"]);
  EXPECT_FALSE(child.metadata.at("date").empty());
  EXPECT_EQ(child.metadata.at("attachment"), "true");
}

TEST(EmlExtractorTest, ImageAttachmentBecomesChild) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("email-with-image.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 1u);
  EXPECT_EQ(r->children[0].name, "unstructured_logo.png");
  EXPECT_TRUE(r->children[0].bytes.starts_with("\x89PNG\r\n\x1A\n"));
  EXPECT_GT(r->children[0].bytes.size(), 1000u);
  EXPECT_EQ(DetectType(r->children[0].bytes, r->children[0].name).kind, DocKind::kImage);
  EXPECT_EQ(r->children[0].metadata.at("parent_subject"), "email-with-image");
}

TEST(EmlExtractorTest, InlinePartsAttachedMessagesAndNames) {
  const std::string eml =
      "From: Ann <ann@example.com>\nTo: b@example.com\nSubject: Bundle\n"
      "Date: Tue, 1 Aug 2023 09:30:00 +0000\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
      "--outer\nContent-Type: multipart/related; boundary=\"rel\"\n\n"
      "--rel\nContent-Type: text/html; charset=utf-8\n\n<p>See the logo <img src=\"cid:logo\"></p>\n"
      "--rel\nContent-Type: image/png; name=\"logo.png\"\nContent-Disposition: inline; filename=\"logo.png\"\n"
      "Content-ID: <logo>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
      "--rel--\n"
      "--outer\nContent-Type: text/plain; name=\"a.txt\"\nContent-Disposition: attachment; filename=\"a.txt\"\n\nfirst a\n"
      "--outer\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../a.txt\"\n\nsecond a\n"
      "--outer\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
      "From: Cy <cy@example.com>\nSubject: Inner note\nDate: Mon, 31 Jul 2023 08:00:00 +0000\n\nThe inner body.\n"
      "--outer--\n";
  auto r = ExtractString(eml, "bundle.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Every attachment is listed, the inline logo included.
  EXPECT_TRUE(HasParagraph(*r, "Attachment: logo.png (image/png, 8 bytes)"));
  std::vector<std::string> names;
  for (const ChildDocument& c : r->children) names.push_back(c.name);
  // The inline logo is part of the body, not a document of its own.
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "a (2).txt", "Inner note.eml"}));
  ASSERT_EQ(r->children.size(), 3u);
  // The line break before a boundary belongs to the boundary (RFC 2046).
  EXPECT_EQ(r->children[0].bytes, "first a");
  EXPECT_EQ(r->children[1].bytes, "second a");
  EXPECT_EQ(r->children[2].metadata.at("from"), "Ann <ann@example.com>");
  auto inner = ExtractString(r->children[2].bytes, r->children[2].name);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  EXPECT_EQ(inner->title, "Inner note");
  EXPECT_NE(AllText(*inner).find("The inner body."), std::string::npos);
}

TEST(EmlExtractorTest, PicturesTheHtmlShowsAreNotChildren) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("email-no-utf8-2014-03-17.111517.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata["attachments"], "google.png, profilephoto.png");
  // Both are marked "attachment", but the HTML shows them as cid:google
  // and cid:profilephoto: page decoration, not documents. (The logo of
  // email-with-image.eml has a Content-ID nothing refers to, and is kept.)
  EXPECT_TRUE(r->children.empty());
}

TEST(EmlExtractorTest, OversizedAttachmentListedNotKept) {
  SMELTER_REQUIRE_CORPUS();
  ExtractOptions options;
  options.archive_max_member_bytes = 10;
  auto r = ExtractDocument(ReadCorpusFile("fake-email-attachment.eml"), "a.eml", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->children.empty());
  EXPECT_EQ(r->metadata["attachments"], "fake-attachment.txt");
}

TEST(EmlExtractorTest, EncodedWordsCharsetsAndHtmlFallback) {
  const std::string eml =
      "From: =?UTF-8?Q?Ren=C3=A9e_M=C3=BCller?= <renee@example.com>\r\n"
      "To: a@example.com, =?ISO-8859-1?Q?J=F6rg?= <joerg@example.com>\r\n"
      "Cc: c@example.com\r\n"
      "Subject: =?ISO-8859-1?B?Q2Fm6SBtZW51?=\r\n"
      "Date: Tue, 1 Aug 2023 09:30:00 +0200\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
      "\r\n"
      "--b1\r\n"
      "Content-Type: text/html; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n"
      "<html><body><h1>Men=FC</h1><p>Cr=E8me br=FBl=E9e for everyone.</p></body></html>\r\n"
      "--b1\r\n"
      "Content-Type: application/pdf; name=\"r=E9sum=E9.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      "JVBERi0xLjQK\r\n"
      "--b1--\r\n";
  auto r = ExtractString(eml, "message.eml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Caf\xC3\xA9 menu");
  EXPECT_EQ(r->metadata["from"], "Ren\xC3\xA9" "e M\xC3\xBCller <renee@example.com>");
  EXPECT_NE(r->metadata["to"].find("J\xC3\xB6rg <joerg@example.com>"), std::string::npos);
  EXPECT_EQ(r->metadata["cc"], "c@example.com");
  EXPECT_EQ(r->metadata["date"], "2023-08-01T09:30:00+02:00");
  EXPECT_TRUE(HasParagraph(*r, "Cc: c@example.com"));
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e for everyone."), std::string::npos);
  EXPECT_EQ(ElementsOfType(*r, ElementType::kHeading).size(), 1u);
  EXPECT_EQ(r->metadata["attachments"], "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_TRUE(HasParagraph(*r, "Attachment: r\xC3\xA9sum\xC3\xA9.pdf (application/pdf, 9 bytes)"));
}

TEST(EmlExtractorTest, BrokenInputsDoNotCrash) {
  const std::vector<std::string> inputs = {
      "From: a@b.c\nSubject: x\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n"
      "Content-Transfer-Encoding: base64\n\n!!!!not base64====\n",
      "From: a@b.c\nSubject: =?bogus-charset?Q?=FF=FE?=\nContent-Type: text/plain; charset=no-such-charset\n\n\xFF\xFE\xFD "
      "body\n",
      "From: a@b.c\nTo: b@c.d\nContent-Type: multipart/alternative; boundary=\"\"\n\n",
      std::string("From: a@b.c\nTo: b@c.d\n\n\0\0\0body", 24),
  };
  for (const std::string& input : inputs) {
    auto r = ExtractString(input, "broken.eml");
    if (!r.ok()) {
      EXPECT_NE(r.status().code(), Status::Code::kParserCrashed) << r.status().ToString();
    }
  }
}

TEST(EmlExtractorTest, EncryptedBodyIsEncrypted) {
  const std::string eml =
      "From: a@example.com\nTo: b@example.com\nSubject: secret\nMIME-Version: 1.0\n"
      "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"foo\"\n\n"
      "--foo\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n"
      "--foo\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nabc\n-----END PGP MESSAGE-----\n"
      "--foo--\n";
  auto r = ExtractString(eml, "secret.eml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted);
}

TEST(EmlExtractorTest, ThreadSafe) {
  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = ReadCorpusFile("fake-email-attachment.eml");
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = ExtractString(bytes, "a.eml");
        if (r.ok() && r->metadata.count("attachments") && r->title == "Fake email with attachment") ++good[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 25);
}

// --- MBOX --------------------------------------------------------------

TEST(MboxExtractorTest, TwoMessagesInOrder) {
  const std::string mbox =
      "From alice@example.com Mon Jan  2 10:00:00 2023\n"
      "From: Alice <alice@example.com>\n"
      "To: Bob <bob@example.com>\n"
      "Subject: First message\n"
      "Date: Mon, 2 Jan 2023 10:00:00 +0000\n"
      "\n"
      "Hello Bob, this is the first body.\n"
      ">From the archives: an escaped line.\n"
      "\n"
      "From bob@example.com Tue Jan  3 11:00:00 2023\n"
      "From: Bob <bob@example.com>\n"
      "To: Alice <alice@example.com>\n"
      "Subject: =?UTF-8?Q?Second_message_=E2=9C=93?=\n"
      "Date: Tue, 3 Jan 2023 11:00:00 +0000\n"
      "Content-Type: text/plain; charset=windows-1252\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "Reply from Bob =96 second body.\n";
  DetectedType type;
  static const ExtractOptions options;
  auto r = ExtractDocument(mbox, "mail.mbox", options, &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kMbox);
  EXPECT_EQ(r->metadata["message_count"], "2");
  auto headings = ElementsOfType(*r, ElementType::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->level, 2);
  EXPECT_EQ(headings[0]->text, "First message");
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[1]->text, "Second message \xE2\x9C\x93");
  EXPECT_TRUE(HasParagraph(*r, "From: Alice <alice@example.com>"));
  EXPECT_TRUE(HasParagraph(*r, "Date: 2023-01-03T11:00:00+00:00"));
  const std::string text = AllText(*r);
  const size_t first = text.find("First message");
  const size_t first_body = text.find("Hello Bob, this is the first body.");
  const size_t second = text.find("Second message");
  const size_t second_body = text.find("Reply from Bob \xE2\x80\x93 second body.");
  ASSERT_NE(first_body, std::string::npos);
  ASSERT_NE(second_body, std::string::npos);
  EXPECT_LT(first, first_body);
  EXPECT_LT(first_body, second);
  EXPECT_LT(second, second_body);
}

TEST(MboxExtractorTest, AttachmentsCarryTheirOwnMessage) {
  const std::string mbox =
      "From a@example.com Mon Jan  2 10:00:00 2023\n"
      "From: Alice <alice@example.com>\nSubject: Report\nDate: Mon, 2 Jan 2023 10:00:00 +0000\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
      "--b1\nContent-Type: text/plain\n\nReport attached.\n"
      "--b1\nContent-Type: text/csv; name=\"q1.csv\"\nContent-Disposition: attachment; filename=\"q1.csv\"\n\n"
      "a,b\n1,2\n"
      "--b1--\n\n"
      "From b@example.com Tue Jan  3 11:00:00 2023\n"
      "From: Bob <bob@example.com>\nSubject: No attachment\nDate: Tue, 3 Jan 2023 11:00:00 +0000\n\n"
      "Just text.\n";
  static const ExtractOptions options;
  auto r = ExtractDocument(mbox, "mail.mbox", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 1u);
  EXPECT_EQ(r->children[0].name, "q1.csv");
  EXPECT_EQ(r->children[0].bytes, "a,b\n1,2");
  EXPECT_EQ(r->children[0].metadata.at("parent_subject"), "Report");
  EXPECT_EQ(r->children[0].metadata.at("from"), "Alice <alice@example.com>");
  EXPECT_EQ(r->children[0].metadata.at("date"), "2023-01-02T10:00:00+00:00");
}

TEST(MboxExtractorTest, GarbageIsNotACrash) {
  const Extractor* mbox = FindExtractor(DocKind::kMbox);
  ASSERT_NE(mbox, nullptr);
  ExtractInput input;
  input.bytes = "no messages here at all\n";
  auto r = mbox->Extract(input);
  EXPECT_FALSE(r.ok());
}

// --- MSG ---------------------------------------------------------------

TEST(MsgExtractorTest, FakeEmailMatchesEml) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto msg = ExtractCorpusFile("fake-email.msg", &type);
  ASSERT_TRUE(msg.ok()) << msg.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kMsg);
  auto eml = ExtractCorpusFile("fake-email.eml");
  ASSERT_TRUE(eml.ok()) << eml.status().ToString();
  EXPECT_EQ(msg->title, "Test Email");
  EXPECT_EQ(msg->title, eml->title);
  EXPECT_EQ(msg->metadata["from"], "Matthew Robinson <mrobinson@unstructured.io>");
  EXPECT_EQ(msg->metadata["from"], eml->metadata["from"]);
  EXPECT_EQ(msg->metadata["date"], eml->metadata["date"]);  // from the transport headers
  EXPECT_EQ(msg->metadata["to"], "Matthew Robinson");
  ASSERT_FALSE(msg->elements.empty());
  EXPECT_EQ(msg->elements[0].type, ElementType::kTitle);
  EXPECT_TRUE(HasParagraph(*msg, "This is a test email to use for unit tests."));
  EXPECT_TRUE(HasParagraph(*eml, "This is a test email to use for unit tests."));
  EXPECT_NE(AllText(*msg).find("Violets are blue"), std::string::npos);
}

TEST(MsgExtractorTest, AttachmentListed) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-email-attachment.msg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Fake email with attachment");
  EXPECT_EQ(r->metadata["attachments"], "fake-attachment.txt");
  EXPECT_TRUE(HasParagraph(*r, "Attachment: fake-attachment.txt (text/plain, 30 bytes)"));
  EXPECT_NE(AllText(*r).find("Here's the attachments!"), std::string::npos);
}

TEST(MsgExtractorTest, AttachmentBecomesChild) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-email-attachment.msg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 1u);
  const ChildDocument& child = r->children[0];
  EXPECT_EQ(child.name, "fake-attachment.txt");
  EXPECT_EQ(child.bytes, "Hey this is a fake attachment!");
  EXPECT_EQ(child.metadata.at("parent_subject"), "Fake email with attachment");
  EXPECT_EQ(child.metadata.at("from"), r->metadata["from"]);
  EXPECT_EQ(child.metadata.at("date"), r->metadata["date"]);
  EXPECT_EQ(child.metadata.at("attachment"), "true");
}

TEST(MsgExtractorTest, ChineseBig5Message) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testMSG_chinese.msg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 8-bit (001E) properties in code page 950.
  EXPECT_EQ(r->source_encoding, "big5");
  EXPECT_EQ(r->title, "Alfresco MSG format testing ( MSG \xE6\xA0\xBC\xE5\xBC\x8F\xE6\xB8\xAC\xE8\xA9\xA6 )");
  EXPECT_EQ(r->metadata["from"], "Tests Chang@FT (\xE5\xBC\xB5\xE6\xAF\x93\xE5\x80\xAB)");  // 張毓倫
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("\xE4\xB8\xAD\xE6\x96\x87\xE6\xB8\xAC\xE8\xA9\xA6"), std::string::npos);  // 中文測試
  EXPECT_NE(text.find("Search word testing by Lydia"), std::string::npos);
  EXPECT_EQ(r->metadata["date"], "2011-03-29T08:52:48Z");
}

TEST(MsgExtractorTest, Outlook2003) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("test-outlook2003.msg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Welcome to Microsoft Office Outlook 2003");
  EXPECT_EQ(r->metadata["from"], "Microsoft Outlook 2003 Team <olteam@microsoft.com>");
  EXPECT_EQ(r->metadata["to"], "New Outlook User");
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("Thank you for using Microsoft\xC2\xAE Office Outlook\xC2\xAE 2003!"), std::string::npos);
  EXPECT_NE(text.find("Junk E-mail Filter"), std::string::npos);
  EXPECT_NE(r->metadata["attachments"].find("1.jpg"), std::string::npos);
  // Its pictures are flagged as the HTML body's (ATT_MHTML_REF): listed,
  // not documents of their own.
  EXPECT_TRUE(r->children.empty());
}

TEST(MsgExtractorTest, EncryptedMessage) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-encrypted.msg");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted);
}

TEST(MsgExtractorTest, NonOleAndTruncatedInput) {
  const Extractor* msg = FindExtractor(DocKind::kMsg);
  ASSERT_NE(msg, nullptr);
  ExtractInput input;
  input.bytes = "From: a@b.c\nSubject: not an Outlook file\n\nhello\n";
  auto r = msg->Extract(input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);

  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = ReadCorpusFile("test-outlook2003.msg");
  for (size_t cut : {size_t{512}, size_t{2048}, bytes.size() / 2, bytes.size() - 100}) {
    input.bytes = std::string_view(bytes).substr(0, cut);
    auto t = msg->Extract(input);  // must not crash; any status will do
    if (t.ok()) {
      EXPECT_FALSE(t->elements.empty());
    }
  }
}

}  // namespace
}  // namespace smelter
