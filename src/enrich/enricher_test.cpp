#include "enrich/enricher.h"

#include <gtest/gtest.h>

#include "enrich/sidecar.h"
#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

ExtractedDocument Doc(std::string title, std::map<std::string, std::string> metadata, std::string text) {
  ExtractedDocument doc;
  doc.title = std::move(title);
  doc.metadata = std::move(metadata);
  Element e;
  e.text = std::move(text);
  doc.elements.push_back(e);
  return doc;
}

TEST(EnricherTest, DerivesAttributesFromFormatMetadataAndSource) {
  const ExtractedDocument doc = Doc("", {{"author", "Ann"}, {"created", "2021-01-02T03:04:05Z"}}, "Plain text.");
  EnrichInput in;
  in.source_uri = "file:///data/finance/q3-report.final.pdf";
  in.relative_path = "finance/q3-report.final.pdf";
  in.kind = "pdf";
  in.mime = "application/pdf";
  in.mtime = 1714557600;  // 2024-05-01T10:00:00Z
  in.language = "en";
  EnrichOptions options;
  options.tag_rules = {{"finance/**", {"finance"}}, {"*.pdf", {"pdf", "finance"}}, {"hr/**", {"hr"}}};
  const EnrichedMetadata m = EnrichDocument(doc, in, options);
  const nlohmann::json& a = m.attributes;
  EXPECT_EQ(a["title"], "q3-report.final");  // no title anywhere: the file name
  EXPECT_EQ(a["author"], "Ann");
  EXPECT_EQ(a["created"], "2021-01-02T03:04:05Z");
  EXPECT_EQ(a["modified"], "2024-05-01T10:00:00Z");  // from mtime
  EXPECT_EQ(a["language"], "en");
  EXPECT_EQ(a["content_type"], "pdf");
  EXPECT_EQ(a["mime"], "application/pdf");
  EXPECT_EQ(a["source_uri"], "file:///data/finance/q3-report.final.pdf");
  EXPECT_EQ(a["tags"], nlohmann::json({"finance", "pdf"}));
  EXPECT_EQ(a["security_level"], "public");
  EXPECT_EQ(a["security_reason"], "default");
  EXPECT_TRUE(m.warnings.empty());
}

TEST(EnricherTest, MailFallbacksAndUnknownLanguage) {
  const ExtractedDocument doc =
      Doc("", {{"subject", "Re: budget"}, {"from", "Bob <bob@example.com>"}, {"date", "2022-12-16T17:04:16-05:00"},
               {"modified", "2023-01-01T00:00:00Z"}},
          "Hi");
  EnrichInput in;
  in.mtime = 0;
  in.language = "un";
  const EnrichedMetadata m = EnrichDocument(doc, in, {});
  EXPECT_EQ(m.attributes["title"], "Re: budget");
  EXPECT_EQ(m.attributes["author"], "Bob <bob@example.com>");
  EXPECT_EQ(m.attributes["created"], "2022-12-16T17:04:16-05:00");
  EXPECT_EQ(m.attributes["modified"], "2023-01-01T00:00:00Z");  // format metadata beats mtime
  EXPECT_FALSE(m.attributes.contains("language"));
  EXPECT_FALSE(m.attributes.contains("source_uri"));
}

TEST(EnricherTest, SidecarMergesAndCanRaiseSecurity) {
  const ExtractedDocument doc = Doc("Format title", {{"author", "Ann"}}, "Text");
  auto sidecar = ParseSidecar(R"({"metadataAttributes": {"title": "Board pack", "year": 2024,
      "tags": ["board"], "security_level": "restricted", "source_uri": "evil"}})");
  ASSERT_TRUE(sidecar.ok());
  EnrichInput in;
  in.relative_path = "finance/board.pdf";
  in.source_uri = "s3://bucket/finance/board.pdf";
  in.sidecar = &*sidecar;
  EnrichOptions options;
  options.tag_rules = {{"finance/**", {"finance"}}};
  const EnrichedMetadata m = EnrichDocument(doc, in, options);
  EXPECT_EQ(m.attributes["title"], "Board pack");
  EXPECT_EQ(m.attributes["author"], "Ann");
  EXPECT_EQ(m.attributes["year"], 2024);
  EXPECT_EQ(m.attributes["tags"], nlohmann::json({"board", "finance"}));
  EXPECT_EQ(m.attributes["security_level"], "restricted");
  EXPECT_EQ(m.attributes["security_reason"], "sidecar security_level");
  EXPECT_EQ(m.attributes["source_uri"], "s3://bucket/finance/board.pdf");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].find("source_uri"), std::string::npos);

  auto bad_level = ParseSidecar(R"({"metadataAttributes": {"security_level": "top secret"}})");
  ASSERT_TRUE(bad_level.ok());
  in.sidecar = &*bad_level;
  const EnrichedMetadata m2 = EnrichDocument(doc, in, options);
  EXPECT_EQ(m2.attributes["security_level"], "public");
  ASSERT_EQ(m2.warnings.size(), 1u);
  EXPECT_NE(m2.warnings[0].find("top secret"), std::string::npos);
}

TEST(EnricherTest, SecurityFromMarkersInHeadersAndPii) {
  ExtractedDocument doc = Doc("Plan", {}, "Numbers follow.");
  Element footer;
  footer.type = ElementType::kHeaderFooter;
  footer.text = "ACME - INTERNAL USE ONLY";
  doc.elements.push_back(footer);
  EnrichInput in;
  EnrichedMetadata m = EnrichDocument(doc, in, {});
  EXPECT_EQ(m.attributes["security_level"], "internal");
  EXPECT_EQ(m.attributes["security_reason"], "content marker \"internal use only\" (1x)");

  const std::map<std::string, int> pii = {{"card", 1}};
  in.pii_counts = &pii;
  m = EnrichDocument(doc, in, {});
  EXPECT_EQ(m.attributes["security_level"], "confidential");
  EXPECT_EQ(m.security.reason, "pii card: 1 >= 1");
  EXPECT_EQ(m.security.proposals.size(), 2u);
}

TEST(EnricherTest, CorpusDocxAndEmail) {
  SMELTER_REQUIRE_CORPUS();
  DetectedType type;
  auto docx = testing::ExtractCorpusFile("testWORD_various.docx", &type);
  ASSERT_TRUE(docx.ok()) << docx.status().ToString();
  EnrichInput in;
  in.relative_path = "word/testWORD_various.docx";
  in.kind = std::string(DocKindName(type.kind));
  in.mime = type.mime;
  in.mtime = 1700000000;
  EnrichedMetadata m = EnrichDocument(*docx, in, {});
  EXPECT_EQ(m.attributes["author"], "Michael McCandless");
  EXPECT_EQ(m.attributes["created"], "2011-09-05T11:00:00Z");
  EXPECT_EQ(m.attributes["modified"], "2017-11-24T00:00:52Z");
  EXPECT_EQ(m.attributes["content_type"], "docx");
  EXPECT_FALSE(m.attributes["title"].get<std::string>().empty());

  auto eml = testing::ExtractCorpusFile("fake-email.eml", &type);
  ASSERT_TRUE(eml.ok()) << eml.status().ToString();
  in.relative_path = "mail/fake-email.eml";
  in.kind = std::string(DocKindName(type.kind));
  m = EnrichDocument(*eml, in, {});
  EXPECT_EQ(m.attributes["title"], "Test Email");
  EXPECT_EQ(m.attributes["author"], "Matthew Robinson <mrobinson@unstructured.io>");
  EXPECT_EQ(m.attributes["created"], "2022-12-16T17:04:16-05:00");
  EXPECT_EQ(m.attributes["modified"], "2023-11-14T22:13:20Z");  // mtime: the message has no modified date
  EXPECT_EQ(m.attributes["content_type"], "eml");
}

TEST(EnricherTest, IsoUtc) {
  EXPECT_EQ(IsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(IsoUtc(1714557600), "2024-05-01T10:00:00Z");
}

}  // namespace
}  // namespace smelter
