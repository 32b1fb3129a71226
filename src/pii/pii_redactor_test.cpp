#include "pii/pii_redactor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "extract/corpus_test_util.h"
#include "pii/pii_options.h"
#include "pii/pii_synthetic.h"
#include "pii/pii_validators.h"

namespace smelter {
namespace {

// Compiling the database takes a moment: one redactor per configuration.
const PiiRedactor& DefaultRedactor() {
  static const std::unique_ptr<PiiRedactor> redactor = [] {
    auto r = PiiRedactor::Create(PiiOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }();
  return *redactor;
}

std::string Redacted(std::string_view text) { return DefaultRedactor().Redact(text).text; }

TEST(PiiRedactor, TagsEveryType) {
  const RedactionResult r = DefaultRedactor().Redact(
      "Mail ann.lee+news@mail.example.co.uk, call (650) 253-0000 or +44 20 7946 0958. "
      "SSN 123-45-6789, card 4111-1111-1111-1111, IBAN GB82 WEST 1234 5698 7654 32, "
      "from 192.168.10.20 and 2001:db8::7. Key AKIAIOSFODNN7EXAMPLE. DOB: 1990-03-14. Dear Maria,");
  EXPECT_EQ(r.text,
            "Mail [EMAIL], call [PHONE] or [PHONE]. SSN [SSN], card [CARD], IBAN [IBAN], from [IP] and [IP]. "
            "Key [CREDENTIAL]. DOB: [DOB]. Dear [NAME],");
  EXPECT_EQ(r.counts.at("phone"), 2);
  EXPECT_EQ(r.counts.at("ip"), 2);
  EXPECT_EQ(r.counts.at("email"), 1);
}

TEST(PiiRedactor, LookAlikesStay) {
  for (const char* text : {
           "Order 4111 1111 1111 1112 shipped.",          // Luhn fails
           "Ticket 666-12-3456 and 900-45-6789 closed.",  // SSA never issues these
           "Plain 123456789 without a label.",            // 9 digits need SSN context
           "Account GB82 WEST 1234 5698 7654 33.",        // mod-97 fails
           "Upgraded to 1.2.3.4.5 and version 10.0.0.1.", // versions
           "Meeting on 03/14/2024 at 10:30:00.",          // no birth context
           "You were born before January 2, 1946.",       // a cut-off, not a birthday
           "Commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b fixed it.",
           "Call (123) 456-7890.",                        // area codes never start with 1
           "Use std::string and a::b, at 12:30:45.",
           "Hi All, the Bearer of bad news. Dear Customer.",
           "password: required",
       }) {
    EXPECT_EQ(Redacted(text), text);
  }
}

TEST(PiiRedactor, SsnNeedsContextWithoutDashes) {
  EXPECT_EQ(Redacted("SSN: 123456789."), "SSN: [SSN].");
  EXPECT_EQ(Redacted("Social security no. 123 45 6789"), "Social security no. [SSN]");
  EXPECT_EQ(Redacted("id 123 45 6789"), "id 123 45 6789");
}

TEST(PiiRedactor, Credentials) {
  EXPECT_EQ(Redacted("DATABASE_URL=postgres://app:s3cr3t-Pw@db.example.com:5432/x"),
            "DATABASE_URL=postgres://app:[CREDENTIAL]@db.example.com:5432/x");
  EXPECT_EQ(Redacted("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nnext"),
            "aws_secret_access_key = [CREDENTIAL]\nnext");
  EXPECT_EQ(Redacted("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"),
            "Authorization: Bearer [CREDENTIAL]");
  EXPECT_EQ(Redacted("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\nb"),
            "a\n[CREDENTIAL]\nb");
  // Unterminated: everything after BEGIN is treated as key material.
  EXPECT_EQ(Redacted("x -----BEGIN PRIVATE KEY-----\nMIIEow truncated"), "x [CREDENTIAL]");
  EXPECT_EQ(Redacted("login: admin password=Hunter2!x."), "login: admin password=[CREDENTIAL].");
}

TEST(PiiRedactor, NamesFromContext) {
  EXPECT_EQ(Redacted("Dear Maria, welcome."), "Dear [NAME], welcome.");
  EXPECT_EQ(Redacted("Ask Dr. O'Neil or Mrs. Smith-Jones."), "Ask Dr. [NAME] or Mrs. [NAME].");
  EXPECT_EQ(Redacted("Full name: Zed Quorra"), "Full name: [NAME]");
  EXPECT_EQ(Redacted("Name: Project Phoenix"), "Name: Project Phoenix");  // not a given name
  EXPECT_EQ(Redacted("From: Mallori Harrell <m@unstructured.io>"), "From: [NAME] <[EMAIL]>");
  EXPECT_EQ(Redacted("Thanks,\nDavid Keller\nAcme Corp"), "Thanks,\n[NAME]\nAcme Corp");
  EXPECT_EQ(Redacted("Thanks,\nAcme Corp"), "Thanks,\nAcme Corp");
}

TEST(PiiRedactor, FindReportsSortedDisjointOffsets) {
  const std::string text = "x 212-734-5678 y john@example.com z 4111111111111111";
  const std::vector<PiiFinding> found = DefaultRedactor().Find(text);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].type, PiiType::kPhone);
  EXPECT_EQ(text.substr(found[0].begin, found[0].end - found[0].begin), "212-734-5678");
  EXPECT_EQ(found[1].type, PiiType::kEmail);
  EXPECT_EQ(found[2].type, PiiType::kCard);
  for (size_t i = 1; i < found.size(); ++i) EXPECT_LE(found[i - 1].end, found[i].begin);
  EXPECT_TRUE(DefaultRedactor().Find("").empty());
}

TEST(PiiRedactor, MaskKeepsShape) {
  PiiOptions options;
  options.default_policy = PiiPolicy::kMask;
  auto r = PiiRedactor::Create(options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->Redact("call (650) 253-0000 now").text, "call (***) ***-**** now");
  EXPECT_EQ((*r)->Redact("to jo@ex.com.").text, "to **@**.***.");
}

TEST(PiiRedactor, HashIsConsistentSaltedAndNormalized) {
  PiiOptions options;
  options.default_policy = PiiPolicy::kHash;
  options.salt = "pepper";
  auto a = PiiRedactor::Create(options);
  auto b = PiiRedactor::Create(options);
  options.salt = "other";
  auto c = PiiRedactor::Create(options);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::string t1 = (*a)->Redact("Mail John.Doe@Example.com").text;
  const std::string t2 = (*b)->Redact("Mail john.doe@example.com").text;
  EXPECT_EQ(t1, t2);  // same value, case-normalized, other instance: same token
  EXPECT_TRUE(std::regex_match(t1, std::regex(R"(Mail \[EMAIL:[0-9a-f]{8}\])"))) << t1;
  EXPECT_NE((*c)->Redact("Mail john.doe@example.com").text, t1);  // salt matters
  // Phone formats normalize to E.164.
  EXPECT_EQ((*a)->Redact("(650) 253-0000").text, (*a)->Redact("+1 650 253 0000").text);
  EXPECT_NE((*a)->Redact("(650) 253-0000").text, (*a)->Redact("(650) 253-0001").text);
}

TEST(PiiRedactor, KeepCountsButChangesNothing) {
  PiiOptions options;
  options.policy[static_cast<size_t>(PiiType::kEmail)] = PiiPolicy::kKeep;
  auto r = PiiRedactor::Create(options);
  ASSERT_TRUE(r.ok());
  const RedactionResult result = (*r)->Redact("a@example.com and 212-734-5678");
  EXPECT_EQ(result.text, "a@example.com and [PHONE]");
  EXPECT_EQ(result.counts.at("email"), 1);
}

TEST(PiiRedactor, DisabledTypesAreIgnored) {
  PiiOptions options;
  ASSERT_TRUE(ApplyPiiSetting("types", "email, ssn", &options).ok());
  auto r = PiiRedactor::Create(options);
  ASSERT_TRUE(r.ok());
  const RedactionResult result = (*r)->Redact("a@example.com 212-734-5678 123-45-6789");
  EXPECT_EQ(result.text, "[EMAIL] 212-734-5678 [SSN]");
  EXPECT_EQ(result.counts.count("phone"), 0u);
  // Only digit-anchored types: no Hyperscan anchor is compiled at all.
  ASSERT_TRUE(ApplyPiiSetting("types", "phone", &options).ok());
  auto phones = PiiRedactor::Create(options);
  ASSERT_TRUE(phones.ok());
  EXPECT_EQ((*phones)->Redact("a@example.com 212-734-5678").text, "a@example.com [PHONE]");
}

TEST(PiiRedactor, CreateRejectsBadOptionsWithoutEchoingSecrets) {
  PiiOptions options;
  options.default_policy = PiiPolicy::kHash;
  auto r = PiiRedactor::Create(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("salt"), std::string::npos);
  options = PiiOptions{};
  options.default_region = "QQ";
  EXPECT_EQ(PiiRedactor::Create(options).status().code(), Status::Code::kInvalidArgument);
}

TEST(PiiOptions, ParsesSettings) {
  PiiOptions options;
  EXPECT_TRUE(ApplyPiiSetting("policy", "mask", &options).ok());
  EXPECT_TRUE(ApplyPiiSetting("policy_email", "hash", &options).ok());
  EXPECT_TRUE(ApplyPiiSetting("phone_region", "DE", &options).ok());
  EXPECT_EQ(options.PolicyFor(PiiType::kEmail), PiiPolicy::kHash);
  EXPECT_EQ(options.PolicyFor(PiiType::kPhone), PiiPolicy::kMask);
  EXPECT_EQ(options.default_region, "DE");
  EXPECT_FALSE(ApplyPiiSetting("policy", "shred", &options).ok());
  EXPECT_FALSE(ApplyPiiSetting("policy_zip", "tag", &options).ok());
  EXPECT_FALSE(ApplyPiiSetting("types", "email,zip", &options).ok());
  EXPECT_FALSE(ApplyPiiSetting("colour", "red", &options).ok());
  ::setenv("SMELTER_PII_TEST_SALT", "s3cret-salt", 1);
  EXPECT_TRUE(ApplyPiiSetting("salt_env", "SMELTER_PII_TEST_SALT", &options).ok());
  EXPECT_EQ(options.salt, "s3cret-salt");
  ::unsetenv("SMELTER_PII_TEST_SALT");
  const Status missing = ApplyPiiSetting("salt_env", "SMELTER_PII_TEST_SALT", &options);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.message().find("s3cret"), std::string::npos);
}

TEST(PiiRedactor, ThreadSafe) {
  pii::synthetic::LabeledText set;
  pii::synthetic::Generator generator(99);
  generator.AddLabeledSentences(400, &set);
  // Lines as separate inputs; the single-threaded result is the reference.
  std::vector<std::string> lines;
  for (size_t at = 0; at < set.text.size();) {
    const size_t nl = set.text.find('\n', at);
    lines.push_back(set.text.substr(at, nl - at));
    at = nl + 1;
  }
  std::vector<std::string> expected;
  for (const std::string& line : lines) expected.push_back(Redacted(line));
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = t; i < lines.size(); i += 3) {
          if (Redacted(lines[i]) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

// Anchors at the very edges of the text and random bytes drawn from the
// characters the scanners care about: no finding may leave the text.
TEST(PiiRedactor, SurvivesEdgesAndRandomBytes) {
  for (const char* text : {"@", "1", "://", ":", "::", "-----BEGIN ", "Dear A", "born 1", "secret=",
                           "password:", "\n-- \n", "AKIA", "DE89", "(", "+1", "x@y.zz"}) {
    const RedactionResult r = DefaultRedactor().Redact(text);
    EXPECT_FALSE(r.text.empty());
  }
  std::mt19937_64 rng(5);
  constexpr std::string_view kAlphabet = "0123456789 .-()+:@/=\n\tABCDEFabcdef<>'\"\xc3\xa9";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t n = rng() % 400;
    for (size_t i = 0; i < n; ++i) text += kAlphabet[rng() % kAlphabet.size()];
    for (const PiiFinding& f : DefaultRedactor().Find(text)) {
      ASSERT_LT(f.begin, f.end);
      ASSERT_LE(f.end, text.size());
    }
    DefaultRedactor().Redact(text);
  }
}

TEST(PiiRedactor, RedactDocumentCoversEveryText) {
  ExtractedDocument doc;
  doc.title = "Notes for Dear Maria";
  doc.metadata["from"] = "Zed Quorra <zed@example.org>";
  doc.metadata["pages"] = "3";
  Element p;
  p.text = "Call 212-734-5678.\n\nZed Quorra";  // the bare name: known from the From header
  doc.elements.push_back(p);
  Element table;
  table.type = ElementType::kTable;
  table.rows = {{"name", "email"}, {"Zed Quorra", "zed@example.org"}};
  doc.elements.push_back(table);
  ChildDocument child;
  child.name = "a.pdf";
  child.metadata["sender"] = "zed@example.org";
  doc.children.push_back(child);

  std::map<std::string, int> counts;
  RedactDocument(doc, DefaultRedactor(), &counts);
  EXPECT_EQ(doc.title, "Notes for Dear [NAME]");
  EXPECT_EQ(doc.metadata["from"], "[NAME] <[EMAIL]>");
  EXPECT_EQ(doc.metadata["pages"], "3");
  EXPECT_EQ(doc.elements[0].text, "Call [PHONE].\n\n[NAME]");
  EXPECT_EQ(doc.elements[1].rows[1][0], "[NAME]");
  EXPECT_EQ(doc.elements[1].rows[1][1], "[EMAIL]");
  EXPECT_EQ(doc.elements[1].rows[0][0], "name");
  EXPECT_EQ(doc.children[0].metadata["sender"], "[EMAIL]");
  EXPECT_EQ(counts["email"], 3);
  EXPECT_EQ(counts["name"], 4);
  EXPECT_EQ(counts["phone"], 1);
}

// --- the real corpus ---------------------------------------------------

std::string DocumentText(const ExtractedDocument& doc) {
  std::string all = doc.title + "\n" + smelter::testing::AllText(doc);
  for (const auto& [key, value] : doc.metadata) all += value + "\n";
  return all;
}

std::vector<std::string> AllMatches(const std::string& text, const std::regex& re) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back(it->str());
  return out;
}

TEST(PiiCorpus, EmailSenderIsGone) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = smelter::testing::ExtractCorpusFile("family-day.eml");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::string raw = DocumentText(*doc);
  ASSERT_NE(raw.find("mallori@unstructured.io"), std::string::npos);
  ASSERT_NE(raw.find("Mallori Harrell"), std::string::npos);
  std::map<std::string, int> counts;
  RedactDocument(*doc, DefaultRedactor(), &counts);
  const std::string redacted = DocumentText(*doc);
  EXPECT_EQ(redacted.find("mallori@"), std::string::npos);
  EXPECT_EQ(redacted.find("Mallori"), std::string::npos);  // also the signature line
  EXPECT_NE(redacted.find("Get excited for our first annual family day!"), std::string::npos);
  EXPECT_NE(redacted.find("Family Day"), std::string::npos);
  EXPECT_GE(counts["email"], 2);
  EXPECT_GE(counts["name"], 3);
}

TEST(PiiCorpus, CsvPeopleRecords) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = smelter::testing::ExtractCorpusFile("csv-comma.csv");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::string raw = DocumentText(*doc);
  const std::vector<std::string> emails = AllMatches(raw, std::regex(R"([\w.+-]+@[\w-]+\.[\w.]+)"));
  ASSERT_EQ(emails.size(), 5u);
  // The file's phone numbers are synthetic: keep those libphonenumber calls
  // valid (the others are not dialable numbers, so not PII).
  std::vector<std::string> phones;
  for (const std::string& p : AllMatches(raw, std::regex(R"(\+?[\d(][\d().-]{8,}\d)"))) {
    std::string number = p;
    if (number.rfind("00", 0) == 0) number = "+" + number.substr(2);
    if (pii::PhoneValid(number, "US", nullptr)) phones.push_back(p);
  }
  ASSERT_GE(phones.size(), 3u);
  std::map<std::string, int> counts;
  RedactDocument(*doc, DefaultRedactor(), &counts);
  const std::string redacted = DocumentText(*doc);
  for (const std::string& e : emails) EXPECT_EQ(redacted.find(e), std::string::npos) << "an email survived";
  for (const std::string& p : phones) EXPECT_EQ(redacted.find(p), std::string::npos) << "a phone survived";
  EXPECT_EQ(counts["email"], 5);
  EXPECT_EQ(counts["phone"], static_cast<int>(phones.size()));
  EXPECT_NE(redacted.find("Rasmussen Group"), std::string::npos);
  EXPECT_NE(redacted.find("2020-08-24"), std::string::npos);  // a subscription date, not a DOB
}

TEST(PiiCorpus, TaxFormKeepsItsLabels) {
  SMELTER_REQUIRE_CORPUS();
  auto doc = smelter::testing::ExtractCorpusFile("prefilled_f1040.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::string raw = DocumentText(*doc);
  // The text layer holds the labels, not the filled-in form values: no
  // SSN-shaped number is there, so nothing may be found as one.
  EXPECT_TRUE(AllMatches(raw, std::regex(R"(\b\d{3}-?\d{2}-?\d{4}\b)")).empty());
  ASSERT_NE(raw.find("Your social security number"), std::string::npos);
  std::map<std::string, int> counts;
  RedactDocument(*doc, DefaultRedactor(), &counts);
  const std::string redacted = DocumentText(*doc);
  EXPECT_EQ(counts["ssn"], 0);
  EXPECT_EQ(counts["dob"], 0);  // "born before January 2, 1946" is a cut-off date
  EXPECT_EQ(counts["phone"], 0);
  EXPECT_NE(redacted.find("Your social security number"), std::string::npos);
  EXPECT_NE(redacted.find("OMB No. 1545-0074"), std::string::npos);
}

}  // namespace
}  // namespace smelter
