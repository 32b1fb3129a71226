#include "enrich/enrich_config.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

Result<EnrichOptions> Parse(std::string_view text) {
  toml::table table = toml::parse(text);
  return ParseEnrichOptions(*table["enrich"].as_table());
}

TEST(EnrichConfigTest, ParsesAllSections) {
  auto options = Parse(R"(
[enrich]
default_security_level = "internal"
[enrich.path_tags]
"finance/**" = ["finance"]
"*.pdf" = "pdf"
[enrich.path_security]
"hr/**" = "confidential"
[enrich.markers]
"TOP SECRET" = "restricted"
[enrich.pii_security]
ssn = "restricted"
email = { level = "confidential", min_count = 3 }
)");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->security.default_level, SecurityLevel::kInternal);
  ASSERT_EQ(options->tag_rules.size(), 2u);
  EXPECT_EQ(options->tag_rules[0].pattern, "*.pdf");  // the tables of toml++ are sorted by key
  EXPECT_EQ(options->tag_rules[0].tags, std::vector<std::string>{"pdf"});
  EXPECT_EQ(options->tag_rules[1].tags, std::vector<std::string>{"finance"});
  ASSERT_EQ(options->security.path_rules.size(), 1u);
  EXPECT_EQ(options->security.path_rules[0].level, SecurityLevel::kConfidential);
  ASSERT_EQ(options->security.markers.size(), 1u);  // replaces the defaults
  EXPECT_EQ(options->security.markers[0].phrase, "TOP SECRET");
  ASSERT_EQ(options->security.pii_rules.size(), 2u);
  EXPECT_EQ(options->security.pii_rules[0].pii_type, "email");
  EXPECT_EQ(options->security.pii_rules[0].min_count, 3);
  EXPECT_EQ(options->security.pii_rules[1].level, SecurityLevel::kRestricted);
}

TEST(EnrichConfigTest, DefaultsWhenEmpty) {
  auto options = Parse("[enrich]\n");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->security.default_level, SecurityLevel::kPublic);
  EXPECT_EQ(options->security.markers.size(), DefaultContentMarkers().size());
  EXPECT_EQ(options->security.pii_rules.size(), DefaultPiiLevelRules().size());
  EXPECT_TRUE(options->tag_rules.empty());
}

TEST(EnrichConfigTest, Errors) {
  auto message = [](std::string_view text) {
    auto r = Parse(text);
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_EQ(message("[enrich]\ndefault_security_level = \"secret\"\n"),
            "enrich.default_security_level: \"secret\" is not public, internal, confidential or restricted");
  EXPECT_EQ(message("[enrich]\ncolour = 1\n"), "enrich.colour: unknown setting");
  EXPECT_EQ(message("[enrich]\npath_tags = 3\n"), "enrich.path_tags: expected a table");
  EXPECT_EQ(message("[enrich.path_tags]\n\"a/**\" = [1]\n"), "enrich.path_tags.\"a/**\": expected a list of tag names");
  EXPECT_EQ(message("[enrich.pii_security]\nssn = { min_count = 0, level = \"internal\" }\n"),
            "enrich.pii_security.ssn.min_count: expected an integer >= 1");
  EXPECT_EQ(message("[enrich.pii_security]\nssn = { min_count = 2 }\n"), "enrich.pii_security.ssn: level is missing");
}

}  // namespace
}  // namespace smelter
