#include "enrich/sidecar.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(SidecarTest, PlainAndTypedAttributes) {
  auto attrs = ParseSidecar(R"({"metadataAttributes": {
      "department": "finance", "year": 2024, "reviewed": true, "tags": ["q3", "board"],
      "owner": {"value": {"type": "STRING", "stringValue": "ann"}, "includeForEmbedding": true},
      "score": {"value": {"type": "NUMBER", "numberValue": 4.5}},
      "public": {"value": {"type": "BOOLEAN", "booleanValue": false}},
      "regions": {"value": {"type": "STRING_LIST", "stringListValue": ["eu", "us"]}}}})");
  ASSERT_TRUE(attrs.ok()) << attrs.status().ToString();
  EXPECT_EQ((*attrs)["department"], "finance");
  EXPECT_EQ((*attrs)["year"], 2024);
  EXPECT_EQ((*attrs)["reviewed"], true);
  EXPECT_EQ((*attrs)["tags"], nlohmann::json({"q3", "board"}));
  EXPECT_EQ((*attrs)["owner"], "ann");
  EXPECT_EQ((*attrs)["score"], 4.5);
  EXPECT_EQ((*attrs)["public"], false);
  EXPECT_EQ((*attrs)["regions"], nlohmann::json({"eu", "us"}));
  EXPECT_EQ(attrs->size(), 8u);
}

TEST(SidecarTest, Errors) {
  EXPECT_EQ(ParseSidecar("{not json").status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(ParseSidecar("[]").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseSidecar(R"({"attributes": {}})").status().code(), Status::Code::kInvalidArgument);
  auto bad = ParseSidecar(R"({"metadataAttributes": {"ok": "x", "nested": {"a": 1}}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("\"nested\""), std::string::npos);
  EXPECT_FALSE(ParseSidecar(R"({"metadataAttributes": {"n": null}})").ok());
  EXPECT_FALSE(ParseSidecar(R"({"metadataAttributes": {"l": [1, 2]}})").ok());
  EXPECT_FALSE(ParseSidecar(R"({"metadataAttributes": {"t": {"value": {"type": "DATE", "stringValue": "x"}}}})").ok());
  EXPECT_FALSE(ParseSidecar(R"({"metadataAttributes": {"t": {"value": {"type": "NUMBER", "numberValue": "7"}}}})").ok());
  auto empty = ParseSidecar(R"({"metadataAttributes": {}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(SidecarTest, Paths) {
  EXPECT_EQ(SidecarPathFor("reports/q3.pdf"), "reports/q3.pdf.metadata.json");
  EXPECT_TRUE(IsSidecarPath("reports/q3.pdf.metadata.json"));
  EXPECT_FALSE(IsSidecarPath("reports/q3.pdf"));
  EXPECT_FALSE(IsSidecarPath(".metadata.json"));
}

}  // namespace
}  // namespace smelter
