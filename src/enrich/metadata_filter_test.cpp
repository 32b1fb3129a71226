#include "enrich/metadata_filter.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

MetadataFilter F(std::vector<std::string> expressions) {
  auto f = ParseFilters(expressions);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : MetadataFilter();
}

const nlohmann::json kChunk = {{"security_level", "internal"},
                               {"language", "en"},
                               {"tags", {"finance", "q3"}},
                               {"created", "2023-05-15T19:28:00Z"},
                               {"year", 2023},
                               {"pages", "12"},
                               {"author", "Ann Lee"},
                               {"reviewed", true}};

TEST(MetadataFilterTest, ParsesExpressions) {
  auto f = ParseFilter("  security_level <= internal ");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->conditions().size(), 1u);
  EXPECT_EQ(f->conditions()[0].key, "security_level");
  EXPECT_EQ(f->conditions()[0].op, FilterOp::kLe);
  EXPECT_EQ(f->conditions()[0].value, "internal");
  EXPECT_EQ(F({"author='Ann Lee'"}).conditions()[0].value, "Ann Lee");
  EXPECT_EQ(F({"a==1", "b!=2", "c>3", "d>=4", "e<5"}).ToString(), "a=1 AND b!=2 AND c>3 AND d>=4 AND e<5");
  EXPECT_EQ(F({"created>=2024-05"}).conditions()[0].value, "2024-05");  // '-' in a value is fine

  EXPECT_FALSE(ParseFilter("").ok());
  EXPECT_FALSE(ParseFilter("=en").ok());
  EXPECT_FALSE(ParseFilter("language").ok());
  EXPECT_FALSE(ParseFilter("language=").ok());
  EXPECT_FALSE(ParseFilter("lang uage=en").ok());
  EXPECT_FALSE(ParseFilter("language~en").ok());
  auto bad_level = ParseFilter("security_level<=secret");
  ASSERT_FALSE(bad_level.ok());
  EXPECT_NE(bad_level.status().message().find("public, internal"), std::string::npos);
}

TEST(MetadataFilterTest, SecurityLevelsAreOrdered) {
  EXPECT_TRUE(F({"security_level<=internal"}).Matches(kChunk));
  EXPECT_TRUE(F({"security_level<=confidential"}).Matches(kChunk));
  EXPECT_FALSE(F({"security_level<=public"}).Matches(kChunk));
  EXPECT_FALSE(F({"security_level<internal"}).Matches(kChunk));
  EXPECT_TRUE(F({"security_level>public"}).Matches(kChunk));
  EXPECT_TRUE(F({"security_level=INTERNAL"}).Matches(kChunk));
  EXPECT_TRUE(F({"security_level!=restricted"}).Matches(kChunk));
  // Ordered as levels, not as text ("confidential" < "internal" alphabetically).
  EXPECT_TRUE(F({"security_level>=confidential"}).Matches({{"security_level", "restricted"}}));
  EXPECT_FALSE(F({"security_level<=internal"}).Matches({{"security_level", "confidential"}}));
  EXPECT_FALSE(F({"security_level<=restricted"}).Matches({{"security_level", "bogus"}}));
}

TEST(MetadataFilterTest, ListsStringsNumbersBooleans) {
  EXPECT_TRUE(F({"tags=finance"}).Matches(kChunk));
  EXPECT_TRUE(F({"tags=Q3"}).Matches(kChunk));
  EXPECT_FALSE(F({"tags=hr"}).Matches(kChunk));
  EXPECT_TRUE(F({"tags!=hr"}).Matches(kChunk));
  EXPECT_FALSE(F({"tags!=finance"}).Matches(kChunk));
  EXPECT_TRUE(F({"language=EN"}).Matches(kChunk));
  EXPECT_FALSE(F({"language=de"}).Matches(kChunk));
  EXPECT_TRUE(F({"year>=2023"}).Matches(kChunk));
  EXPECT_FALSE(F({"year>2023"}).Matches(kChunk));
  EXPECT_TRUE(F({"year=2023.0"}).Matches(kChunk));
  EXPECT_TRUE(F({"pages>9"}).Matches(kChunk));  // numerically: "12" > "9"
  EXPECT_FALSE(F({"year>abc"}).Matches(kChunk));
  EXPECT_TRUE(F({"reviewed=true"}).Matches(kChunk));
  EXPECT_FALSE(F({"reviewed=false"}).Matches(kChunk));
  EXPECT_TRUE(F({"author>Al"}).Matches(kChunk));
}

TEST(MetadataFilterTest, DatesAtTheFiltersPrecision) {
  EXPECT_TRUE(F({"created>=2023-05-15"}).Matches(kChunk));
  EXPECT_TRUE(F({"created<=2023-05-15"}).Matches(kChunk));
  EXPECT_FALSE(F({"created>2023-05-15"}).Matches(kChunk));
  EXPECT_TRUE(F({"created<2023-06"}).Matches(kChunk));
  EXPECT_TRUE(F({"created>2023-05-15T10:00"}).Matches(kChunk));
  EXPECT_TRUE(F({"created<=2023"}).Matches(kChunk));
  EXPECT_FALSE(F({"created<2023"}).Matches(kChunk));
  EXPECT_TRUE(F({"created=2023-05"}).Matches(kChunk));
}

TEST(MetadataFilterTest, AndAndMissingKeys) {
  EXPECT_TRUE(F({"security_level<=internal", "language=en", "tags=finance"}).Matches(kChunk));
  EXPECT_FALSE(F({"security_level<=internal", "language=en", "tags=hr"}).Matches(kChunk));
  EXPECT_FALSE(F({"department=hr"}).Matches(kChunk));
  EXPECT_TRUE(F({"department!=hr"}).Matches(kChunk));
  EXPECT_FALSE(F({"department<z"}).Matches(kChunk));
  EXPECT_TRUE(MetadataFilter().Matches(kChunk));
  EXPECT_TRUE(MetadataFilter().Matches(nlohmann::json()));
  EXPECT_FALSE(F({"language=en"}).Matches(nlohmann::json::array()));
  EXPECT_FALSE(F({"language=en"}).Matches({{"language", nullptr}}));
}

}  // namespace
}  // namespace smelter
