#include "pipeline/extraction_codec.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(ExtractionCodec, DocumentRoundTrips) {
  ExtractionReply reply;
  reply.type = {DocKind::kEml, "message/rfc822"};
  ExtractedDocument& d = reply.document;
  d.title = "Quarterly numbers";
  d.page_count = 2;
  d.metadata = {{"from", "a sender"}, {"date", "2024-01-02"}};
  d.source_encoding = "UTF-8";
  Element heading;
  heading.type = ElementType::kHeading;
  heading.level = 2;
  heading.text = "Results";
  heading.page = 1;
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"a", "b"}, {"1", "2"}};
  table.has_header = false;
  d.elements = {heading, table};
  d.children.push_back({"report.pdf", std::string("%PDF\0binary\xff", 12), {{"attachment", "true"}}});

  Result<ExtractionReply> back = DecodeExtractionReply(EncodeExtractionReply(reply));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->status.ok());
  EXPECT_EQ(back->type.kind, DocKind::kEml);
  EXPECT_EQ(back->type.mime, "message/rfc822");
  const ExtractedDocument& b = back->document;
  EXPECT_EQ(b.title, d.title);
  EXPECT_EQ(b.page_count, 2);
  EXPECT_EQ(b.metadata, d.metadata);
  ASSERT_EQ(b.elements.size(), 2u);
  EXPECT_EQ(b.elements[0].type, ElementType::kHeading);
  EXPECT_EQ(b.elements[0].level, 2);
  EXPECT_EQ(b.elements[0].page, 1);
  EXPECT_EQ(b.elements[1].rows, table.rows);
  EXPECT_FALSE(b.elements[1].has_header);
  ASSERT_EQ(b.children.size(), 1u);
  EXPECT_EQ(b.children[0].bytes, d.children[0].bytes);
  EXPECT_EQ(b.children[0].metadata.at("attachment"), "true");
}

TEST(ExtractionCodec, EveryStatusCodeRoundTrips) {
  for (int c = 1; c <= static_cast<int>(Status::kLastCode); ++c) {
    ExtractionReply reply;
    reply.status = Status::FromCode(static_cast<Status::Code>(c), "why " + std::to_string(c));
    Result<ExtractionReply> back = DecodeExtractionReply(EncodeExtractionReply(reply));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(static_cast<int>(back->status.code()), c);
    EXPECT_EQ(back->status.message(), "why " + std::to_string(c));
  }
}

TEST(ExtractionCodec, GarbageIsCorrupt) {
  EXPECT_EQ(DecodeExtractionReply("not cbor at all").status().code(), Status::Code::kCorrupt);
  std::string name, bytes;
  EXPECT_FALSE(DecodeExtractionRequest("ab", &name, &bytes).ok());
  ASSERT_TRUE(DecodeExtractionRequest(EncodeExtractionRequest("a.txt", "hello"), &name, &bytes).ok());
  EXPECT_EQ(name, "a.txt");
  EXPECT_EQ(bytes, "hello");
}

}  // namespace
}  // namespace smelter
