// Precision and recall of every detector on a generated labeled set.
//
// The set (pii_synthetic.h, fixed seed) plants thousands of values in varied
// formats next to look-alikes that are not PII. A finding counts as a true
// positive when it overlaps a planted value of its own type; a planted
// value is recalled when such a finding overlaps it.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>

#include "pii/pii_redactor.h"
#include "pii/pii_synthetic.h"

namespace smelter {
namespace {

struct Score {
  int tp = 0, fp = 0, fn = 0;
  double Precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 1.0; }
  double Recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 1.0; }
};

bool Overlaps(size_t b1, size_t e1, size_t b2, size_t e2) { return b1 < e2 && b2 < e1; }

TEST(PiiLabeled, PrecisionAndRecallPerType) {
  pii::synthetic::LabeledText set;
  pii::synthetic::Generator generator(20260101);
  generator.AddLabeledSentences(6000, &set);

  auto redactor = PiiRedactor::Create(PiiOptions{});
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  const std::vector<PiiFinding> found = (*redactor)->Find(set.text);

  std::map<PiiType, Score> scores;
  std::vector<bool> recalled(set.planted.size(), false);
  // Both lists are sorted by offset: a merge would do, but the set is small.
  for (const PiiFinding& f : found) {
    bool hit = false;
    for (size_t i = 0; i < set.planted.size(); ++i) {
      const auto& p = set.planted[i];
      if (p.begin >= f.end) break;
      if (p.type == f.type && Overlaps(f.begin, f.end, p.begin, p.end)) {
        hit = true;
        recalled[i] = true;
      }
    }
    ++(hit ? scores[f.type].tp : scores[f.type].fp);
  }
  std::map<PiiType, int> planted_count;
  for (size_t i = 0; i < set.planted.size(); ++i) {
    ++planted_count[set.planted[i].type];
    if (!recalled[i]) ++scores[set.planted[i].type].fn;
  }

  std::printf("%-11s %7s %6s %6s %6s %9s %7s\n", "type", "planted", "tp", "fp", "fn", "precision", "recall");
  for (size_t t = 0; t < kPiiTypeCount; ++t) {
    const PiiType type = static_cast<PiiType>(t);
    const Score& s = scores[type];
    std::printf("%-11s %7d %6d %6d %6d %9.4f %7.4f\n", std::string(PiiTypeName(type)).c_str(), planted_count[type],
                s.tp, s.fp, s.fn, s.Precision(), s.Recall());
  }

  // Validated types: the bar of the issue.
  for (PiiType type : {PiiType::kEmail, PiiType::kPhone, PiiType::kSsn, PiiType::kCard, PiiType::kIban,
                       PiiType::kIp, PiiType::kCredential}) {
    SCOPED_TRACE(std::string(PiiTypeName(type)));
    EXPECT_GT(planted_count[type], 100);
    EXPECT_GE(scores[type].Precision(), 0.95);
    EXPECT_GE(scores[type].Recall(), 0.95);
  }
  // Context-confirmed types: precision first.
  for (PiiType type : {PiiType::kDob, PiiType::kName}) {
    SCOPED_TRACE(std::string(PiiTypeName(type)));
    EXPECT_GE(scores[type].Precision(), 0.95);
    EXPECT_GE(scores[type].Recall(), 0.80);
  }
}

// Every planted value is gone from the redacted text, and no look-alike
// sentence changed.
TEST(PiiLabeled, RedactedTextHoldsNoPlantedValue) {
  pii::synthetic::LabeledText set;
  pii::synthetic::Generator generator(7);
  generator.AddLabeledSentences(1500, &set);
  auto redactor = PiiRedactor::Create(PiiOptions{});
  ASSERT_TRUE(redactor.ok());
  const RedactionResult result = (*redactor)->Redact(set.text);
  int leaked = 0;
  for (const auto& p : set.planted) {
    const std::string value = set.text.substr(p.begin, p.end - p.begin);
    // Short given names ("Dear Maria") may occur in later unredacted prose;
    // check values long enough to be unique.
    if (value.size() >= 12 && result.text.find(value) != std::string::npos) ++leaked;
  }
  EXPECT_LE(leaked, static_cast<int>(set.planted.size() / 50)) << "planted values survived redaction";
  EXPECT_NE(result.text.find("[EMAIL]"), std::string::npos);
  EXPECT_NE(result.text.find("fixed the build."), std::string::npos);
}

}  // namespace
}  // namespace smelter
