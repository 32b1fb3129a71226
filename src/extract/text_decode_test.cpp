#include "extract/text_decode.h"

#include <gtest/gtest.h>

#include <string>

#include "extract/corpus_test_util.h"

namespace smelter {
namespace {

using testing::ReadCorpusFile;

DecodedText Decode(std::string_view bytes) {
  Result<DecodedText> r = DecodeToUtf8(bytes);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : DecodedText{};
}

TEST(IsValidUtf8Test, AcceptsAndRejects) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA6\x86"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));                 // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));            // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));        // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));             // truncated
  EXPECT_FALSE(IsValidUtf8("\x80 continuation first"));
}

TEST(DetectBomTest, AllBoms) {
  size_t n = 0;
  EXPECT_EQ(DetectBom("\xEF\xBB\xBFx", &n), "UTF-8");
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(DetectBom(std::string_view("\xFF\xFE\x00\x00", 4), &n), "UTF-32LE");
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(DetectBom(std::string_view("\x00\x00\xFE\xFF", 4), &n), "UTF-32BE");
  EXPECT_EQ(DetectBom("\xFF\xFEx\x00", &n), "UTF-16LE");
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(DetectBom("\xFE\xFF\x00x", &n), "UTF-16BE");
  EXPECT_EQ(DetectBom("plain", &n), "");
  EXPECT_EQ(n, 0u);
}

TEST(DecodeToUtf8Test, Utf8StaysAndIsNormalized) {
  const DecodedText d = Decode(std::string_view("a\r\nb\rc\0d\n", 9));
  EXPECT_EQ(d.utf8, "a\nb\ncd\n");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(Decode("\xEF\xBB\xBFhello").utf8, "hello");  // BOM stripped
}

TEST(DecodeToUtf8Test, Utf16And32WithBoms) {
  const DecodedText le = Decode(std::string("\xFF\xFEH\0\xFC\0\r\0\n\0", 10));
  EXPECT_EQ(le.utf8, "H\xC3\xBC\n");
  EXPECT_EQ(le.encoding, "UTF-16LE");
  const DecodedText be = Decode(std::string("\xFE\xFF\0H\0i", 6));
  EXPECT_EQ(be.utf8, "Hi");
  EXPECT_EQ(be.encoding, "UTF-16BE");
  const DecodedText le32 = Decode(std::string("\xFF\xFE\0\0" "A\0\0\0\xAC\x20\0\0", 12));
  EXPECT_EQ(le32.utf8, "A\xE2\x82\xAC");
  EXPECT_EQ(le32.encoding, "UTF-32LE");
}

TEST(DecodeToUtf8Test, Utf16WithoutBom) {
  const std::string bytes("T\0h\0i\0s\0 \0i\0s\0 \0t\0e\0x\0t\0", 24);
  EXPECT_EQ(DetectUtf16WithoutBom(bytes), "UTF-16LE");
  const DecodedText d = Decode(bytes);
  EXPECT_EQ(d.utf8, "This is text");
  EXPECT_EQ(d.encoding, "UTF-16LE");
  EXPECT_EQ(DetectUtf16WithoutBom("ordinary ascii text"), "");
}

TEST(DecodeToUtf8Test, Windows1252AndLatin1) {
  // Curly quotes and the euro sign exist only in Windows-1252.
  const DecodedText quotes = Decode("\x93Sch\xF6n\x94 kostet 5 \x80");
  EXPECT_EQ(quotes.utf8, "\xE2\x80\x9CSch\xC3\xB6n\xE2\x80\x9D kostet 5 \xE2\x82\xAC");
  EXPECT_EQ(quotes.encoding, "WINDOWS-1252");
  // Short Latin-1: uchardet alone may pick a Central European code page.
  EXPECT_EQ(Decode("caf\xE9").utf8, "caf\xC3\xA9");
  EXPECT_EQ(Decode("Gr\xFC\xDF" "e aus M\xFCnchen").utf8, "Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen");
  EXPECT_EQ(Decode("\xE4\xF6\xFC\xDF").utf8, "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F");
}

TEST(DecodeWithCharsetTest, DeclaredCharsets) {
  Result<DecodedText> latin1 = DecodeWithCharset("\x93hi\x94 \xE9", "ISO-8859-1");
  ASSERT_TRUE(latin1.ok());
  EXPECT_EQ(latin1->utf8, "\xE2\x80\x9Chi\xE2\x80\x9D \xC3\xA9");  // read as Windows-1252
  EXPECT_EQ(latin1->encoding, "WINDOWS-1252");
  Result<DecodedText> koi8 = DecodeWithCharset("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r");
  ASSERT_TRUE(koi8.ok());
  EXPECT_EQ(koi8->utf8, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // Привет
  // Valid UTF-8 wins over a wrong label; unknown labels fall back to detection.
  EXPECT_EQ(DecodeWithCharset("caf\xC3\xA9", "windows-1252")->utf8, "caf\xC3\xA9");
  EXPECT_EQ(DecodeWithCharset("caf\xE9", "no-such-charset")->utf8, "caf\xC3\xA9");
}

TEST(DecodeCorpusTest, Windows1252Files) {
  SMELTER_REQUIRE_CORPUS();
  const DecodedText win = Decode(ReadCorpusFile("testTXT_win-1252.txt"));
  EXPECT_NE(win.utf8.find("this is a \xE2\x80\x9Cwindows\xE2\x80\x9D encoding"), std::string::npos) << win.utf8;
  const DecodedText multi = Decode(ReadCorpusFile("multi-language.txt"));
  EXPECT_NE(multi.utf8.find("Port ABC doa\xC3\xA7\xC3\xA3o uno neg\xC3\xB3""cios"), std::string::npos);
  EXPECT_NE(multi.utf8.find("espa\xC3\xB1ol ABC adhoc pr\xC3\xA1""cticas"), std::string::npos);
  EXPECT_EQ(multi.encoding, "WINDOWS-1252");
  const DecodedText umlauts = Decode(ReadCorpusFile("umlauts-non-utf8.md"));
  EXPECT_EQ(umlauts.utf8, "## k\xC3\xB6nnen\n\nk\xC3\xB6nnen\n\n\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F\n");
  const DecodedText html = Decode(ReadCorpusFile("fake-html-cp1252.html"));
  EXPECT_NE(html.utf8.find("Der Preis betrug 15,50 \xE2\x82\xAC."), std::string::npos);
  EXPECT_NE(html.utf8.find("L'\xC3\xA9t\xC3\xA9 \xC3\xA9tait tr\xC3\xA8s chaud"), std::string::npos);
}

TEST(DecodeCorpusTest, WideFiles) {
  SMELTER_REQUIRE_CORPUS();
  const DecodedText le = Decode(ReadCorpusFile("fake-text-utf-16-le.txt"));
  EXPECT_EQ(le.encoding, "UTF-16LE");
  EXPECT_NE(le.utf8.find("Doylestown, PA 18901"), std::string::npos);
  const DecodedText u32 = Decode(ReadCorpusFile("fake-text-utf-32.txt"));
  EXPECT_EQ(u32.encoding, "UTF-32LE");
  EXPECT_NE(u32.utf8.find("Hamburgers are delicious"), std::string::npos);
  EXPECT_EQ(u32.utf8.find('\0'), std::string::npos);
  EXPECT_EQ(u32.utf8.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace smelter
