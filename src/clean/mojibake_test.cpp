#include "clean/mojibake.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

std::string Repaired(std::string text, int* count = nullptr) {
  const int n = RepairMojibake(&text);
  if (count) *count = n;
  return text;
}

TEST(MojibakeTest, RepairsUtf8ReadAsCp1252) {
  int n = 0;
  EXPECT_EQ(Repaired("caf\xC3\x83\xC2\xA9", &n), "caf\xC3\xA9");  // "cafÃ©" -> "café"
  EXPECT_EQ(n, 1);
  // "itâ€™s" -> "it’s": three cp1252 characters back to one.
  EXPECT_EQ(Repaired("it\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s", &n), "it\xE2\x80\x99s");
  EXPECT_EQ(n, 1);
  // "â€œquotedâ€\x9d" with the Latin-1 C1 control U+009D standing for the
  // byte cp1252 leaves undefined.
  EXPECT_EQ(Repaired("\xC3\xA2\xE2\x82\xAC\xC5\x93quoted\xC3\xA2\xE2\x82\xAC\xC2\x9D"),
            "\xE2\x80\x9Cquoted\xE2\x80\x9D");
  // German: "GrÃ¶ÃŸe" -> "Größe".
  EXPECT_EQ(Repaired("Gr\xC3\x83\xC2\xB6\xC3\x83\xC5\xB8" "e", &n), "Gr\xC3\xB6\xC3\x9F" "e");
  EXPECT_EQ(n, 2);
}

TEST(MojibakeTest, RepairsDoubleEncoding) {
  // "é" encoded twice: C3 A9 -> "Ã©" -> "ÃƒÂ©".
  EXPECT_EQ(Repaired("caf\xC3\x83\xC6\x92\xC3\x82\xC2\xA9"), "caf\xC3\xA9");
}

TEST(MojibakeTest, LeavesRealLatinTextAlone) {
  const std::string portuguese = "N\xC3\x83O S\xC3\x83O IRM\xC3\x83 ma\xC3\xA7\xC3\xA3";  // NÃO SÃO IRMÃ maçã
  EXPECT_EQ(Repaired(portuguese), portuguese);
  const std::string german = "\xE2\x80\x9E" "Fu\xC3\x9F\xE2\x80\x9C und Stra\xC3\x9F" "e\xE2\x80\xA6";  // „Fuß“ ...
  EXPECT_EQ(Repaired(german), german);
  const std::string french = "\xC2\xAB" "L'\xC3\x89T\xC3\x89\xC2\xBB \xC3\xA0 la plage";  // «L'ÉTÉ» à la plage
  EXPECT_EQ(Repaired(french), french);
  // Portuguese word-final Ã before a closing quote: ambiguous, alone.
  const std::string quoted = "a \xE2\x80\x9CIRM\xC3\x83\xE2\x80\x9D chegou";  // “IRMÃ”
  EXPECT_EQ(Repaired(quoted), quoted);
  EXPECT_EQ(Repaired("plain ASCII"), "plain ASCII");
}

TEST(MojibakeTest, AmbiguousRepairNeedsCompanyOfAClearOne) {
  // "CAFÃ‰ Ã©tÃ©": the word-final "Ã‰" alone is ambiguous, but "Ã©" in the
  // same string proves the text is mojibake.
  EXPECT_EQ(Repaired("CAF\xC3\x83\xE2\x80\xB0 \xC3\x83\xC2\xA9t\xC3\x83\xC2\xA9"),
            "CAF\xC3\x89 \xC3\xA9t\xC3\xA9");
}

TEST(MojibakeTest, CountsPatterns) {
  EXPECT_EQ(CountMojibakePatterns("caf\xC3\x83\xC2\xA9 \xC3\x83\xC2\xA8"), 2);
  EXPECT_EQ(CountMojibakePatterns("caf\xC3\xA9"), 0);
  EXPECT_EQ(CountMojibakePatterns("N\xC3\x83O"), 0);
}

TEST(MojibakeTest, KeepsInvalidBytes) {
  std::string text = "caf\xC3\x83\xC2\xA9 \xFF";
  EXPECT_EQ(RepairMojibake(&text), 1);
  EXPECT_EQ(text, "caf\xC3\xA9 \xFF");
}

}  // namespace
}  // namespace smelter
