#include "enrich/security_policy.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

TEST(SecurityLevelTest, NamesAndOrder) {
  EXPECT_EQ(ParseSecurityLevel(" Confidential "), SecurityLevel::kConfidential);
  EXPECT_EQ(ParseSecurityLevel("RESTRICTED"), SecurityLevel::kRestricted);
  EXPECT_FALSE(ParseSecurityLevel("secret").has_value());
  EXPECT_EQ(SecurityLevelName(SecurityLevel::kInternal), "internal");
  EXPECT_LT(SecurityLevel::kPublic, SecurityLevel::kInternal);
  EXPECT_LT(SecurityLevel::kConfidential, SecurityLevel::kRestricted);
}

TEST(SecurityPolicyTest, DefaultWhenNothingApplies) {
  const SecurityDecision d = DecideSecurityLevel({"docs/readme.md", std::nullopt, "Hello world", nullptr}, {});
  EXPECT_EQ(d.level, SecurityLevel::kPublic);
  EXPECT_EQ(d.reason, "default");
  EXPECT_TRUE(d.proposals.empty());
  SecurityPolicy internal_default;
  internal_default.default_level = SecurityLevel::kInternal;
  EXPECT_EQ(DecideSecurityLevel({"a", std::nullopt, "", nullptr}, internal_default).level, SecurityLevel::kInternal);
}

TEST(SecurityPolicyTest, HighestSourceWinsAndIsNamed) {
  SecurityPolicy policy;
  policy.path_rules = {{"hr/**", SecurityLevel::kInternal}, {"hr/payroll/**", SecurityLevel::kConfidential}};
  const std::map<std::string, int> pii = {{"email", 4}, {"ssn", 0}};

  SecurityDecision d = DecideSecurityLevel({"hr/payroll/2024.xlsx", std::nullopt, "", &pii}, policy);
  EXPECT_EQ(d.level, SecurityLevel::kConfidential);
  EXPECT_EQ(d.reason, "path rule \"hr/payroll/**\"");
  ASSERT_EQ(d.proposals.size(), 3u);
  EXPECT_EQ(d.proposals[2], "pii email: 4 >= 1 -> internal");

  d = DecideSecurityLevel({"hr/a.txt", SecurityLevel::kRestricted, "CONFIDENTIAL", &pii}, policy);
  EXPECT_EQ(d.level, SecurityLevel::kRestricted);
  EXPECT_EQ(d.reason, "sidecar security_level");

  d = DecideSecurityLevel({"hr/a.txt", std::nullopt, "x CONFIDENTIAL y CONFIDENTIAL", &pii}, policy);
  EXPECT_EQ(d.level, SecurityLevel::kConfidential);
  EXPECT_EQ(d.reason, "content marker \"CONFIDENTIAL\" (2x)");

  // A tie keeps the earlier source: path rule, not the PII count.
  d = DecideSecurityLevel({"hr/a.txt", std::nullopt, "", &pii}, policy);
  EXPECT_EQ(d.level, SecurityLevel::kInternal);
  EXPECT_EQ(d.reason, "path rule \"hr/**\"");
}

TEST(SecurityPolicyTest, PiiRules) {
  const std::map<std::string, int> ssn = {{"ssn", 1}, {"phone", 2}};
  SecurityDecision d = DecideSecurityLevel({"x", std::nullopt, "", &ssn}, {});
  EXPECT_EQ(d.level, SecurityLevel::kConfidential);
  EXPECT_EQ(d.reason, "pii ssn: 1 >= 1");
  SecurityPolicy strict;
  strict.pii_rules = {{"email", 3, SecurityLevel::kConfidential}};
  const std::map<std::string, int> two = {{"email", 2}};
  EXPECT_EQ(DecideSecurityLevel({"x", std::nullopt, "", &two}, strict).level, SecurityLevel::kPublic);
  const std::map<std::string, int> three = {{"email", 3}};
  EXPECT_EQ(DecideSecurityLevel({"x", std::nullopt, "", &three}, strict).level, SecurityLevel::kConfidential);
  // A sidecar cannot lower a level.
  EXPECT_EQ(DecideSecurityLevel({"x", SecurityLevel::kPublic, "", &ssn}, {}).level, SecurityLevel::kConfidential);
}

}  // namespace
}  // namespace smelter
