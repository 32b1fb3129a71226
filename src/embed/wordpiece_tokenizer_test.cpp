#include "embed/wordpiece_tokenizer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace smelter {
namespace {

std::vector<std::string> SmallVocab() {
  return {"[PAD]", "[UNK]",  "[CLS]", "[SEP]", "[MASK]", "hello", "world", "!",  "?",   ".",   ",",
          "'",     "un",     "##aff", "##able", "aff",   "##a",   "a",     "b",  "##b", "cafe", "中",
          "文",    "naive",  "σ",     "##σ",    "ς",     "##ς",   "ο",     "##δ", "##ο", "i",   "##̇",
          "é",     "##stanbul", "don", "t",     "¿",     "test",  "##ing", "(",  ")",  "-",   "1",
          "##0",   "Hello"};
}

std::unique_ptr<WordPieceTokenizer> Make(WordPieceOptions options = {}) {
  auto t = WordPieceTokenizer::Create(SmallVocab(), std::move(options));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

std::string Pieces(const WordPieceTokenizer& t, std::string_view text) {
  std::string out;
  for (int32_t id : t.Tokenize(text)) {
    if (!out.empty()) out += ' ';
    out += t.IdToToken(id);
  }
  return out;
}

std::string Words(const WordPieceTokenizer& t, std::string_view text) {
  std::string out;
  for (const std::string& w : t.BasicTokenize(text)) {
    if (!out.empty()) out += '|';
    out += w;
  }
  return out;
}

TEST(WordPieceTokenizerTest, BasicTokenizationSplitsPunctuationAndWhitespace) {
  auto t = Make();
  EXPECT_EQ(Words(*t, "Hello, World!"), "hello|,|world|!");
  EXPECT_EQ(Words(*t, "wait!!! what?!... (yes) -- no"), "wait|!|!|!|what|?|!|.|.|.|(|yes|)|-|-|no");
  EXPECT_EQ(Words(*t, "don't e-mail $100.00"), "don|'|t|e|-|mail|$|100|.|00");
  // Unicode punctuation (P*) splits too; symbols outside ASCII (So) do not.
  EXPECT_EQ(Words(*t, "¿qué?«x»—y"), "¿|que|?|«|x|»|—|y");
  EXPECT_EQ(Words(*t, "a©b"), "a©b");
  // Tabs, newlines, no-break and ideographic spaces, U+2028 all separate.
  EXPECT_EQ(Words(*t, "a\tb\nc\r\nd\u00a0e\u3000f\u2028g"), "a|b|c|d|e|f|g");
  EXPECT_EQ(Words(*t, "   "), "");
  EXPECT_EQ(Words(*t, ""), "");
}

TEST(WordPieceTokenizerTest, CleaningDropsControlAndFormatCharacters) {
  auto t = Make();
  EXPECT_EQ(Words(*t, std::string("nul\0byte", 8)), "nulbyte");
  EXPECT_EQ(Words(*t, "zero\u200bwidth soft\u00adhyphen bell\x07!"), "zerowidth|softhyphen|bell|!");
  EXPECT_EQ(Words(*t, "rep\xef\xbf\xbdlacement"), "replacement");
  // Invalid UTF-8 reads as U+FFFD and is dropped with it.
  EXPECT_EQ(Words(*t, "in\xffvalid \xc3"), "invalid");
}

TEST(WordPieceTokenizerTest, AccentsAndCase) {
  auto t = Make();
  EXPECT_EQ(Words(*t, "Café Müller NAÏVE"), "cafe|muller|naive");
  // Decomposed input is the same as precomposed.
  EXPECT_EQ(Words(*t, "Cafe\u0301"), "cafe");
  // Code point by code point: no final sigma, and İ loses its dot with the
  // accents.
  EXPECT_EQ(Words(*t, "ΟΔΟΣ İstanbul"), "οδοσ|istanbul");
  EXPECT_EQ(Words(*t, "Straße ǅ"), "straße|ǆ");

  WordPieceOptions keep_accents;
  keep_accents.strip_accents = false;
  auto k = Make(keep_accents);
  EXPECT_EQ(Words(*k, "Café"), "café");
  EXPECT_EQ(Words(*k, "İ"), "i\u0307");  // the full lower-case mapping

  WordPieceOptions cased;
  cased.lowercase = false;  // strip_accents follows: off
  auto c = Make(cased);
  EXPECT_EQ(Words(*c, "Hello Café"), "Hello|Café");
  cased.strip_accents = true;
  auto cs = Make(cased);
  EXPECT_EQ(Words(*cs, "Hello Café"), "Hello|Cafe");
}

TEST(WordPieceTokenizerTest, CjkIdeographsStandAlone) {
  auto t = Make();
  EXPECT_EQ(Words(*t, "中文字符混合English"), "中|文|字|符|混|合|english");
  // Kana and Hangul are not in BERT's CJK ranges; Hangul decomposes to jamo.
  EXPECT_EQ(Words(*t, "ひらがな"), "ひらかな");  // and the dakuten is an accent
  EXPECT_EQ(Words(*t, "한"), "\u1112\u1161\u11ab");
  WordPieceOptions no_cjk;
  no_cjk.split_cjk = false;
  EXPECT_EQ(Words(*Make(no_cjk), "中文x"), "中文x");
}

TEST(WordPieceTokenizerTest, GreedyLongestMatchWithContinuations) {
  auto t = Make();
  EXPECT_EQ(Pieces(*t, "unaffable"), "un ##aff ##able");
  EXPECT_EQ(Pieces(*t, "affable"), "aff ##able");
  EXPECT_EQ(Pieces(*t, "ab"), "a ##b");
  EXPECT_EQ(Pieces(*t, "testing hello"), "test ##ing hello");
  // One unmatched piece makes the whole word [UNK], not just its tail.
  EXPECT_EQ(Pieces(*t, "unaffablex world"), "[UNK] world");
  EXPECT_EQ(Pieces(*t, "Hello"), "hello");  // lower-cased before the look-up
  EXPECT_EQ(Pieces(*t, "ΟΔΟΣ"), "ο ##δ ##ο ##σ");
  EXPECT_EQ(Pieces(*t, "中文"), "中 文");
  EXPECT_EQ(Pieces(*t, "100"), "1 ##0 ##0");
  // Longer than max_chars_per_word code points: [UNK] without a search.
  EXPECT_EQ(t->Tokenize(std::string(100, 'a')).size(), 100u);  // "a ##a ##a ..."
  EXPECT_EQ(Pieces(*t, std::string(101, 'a')), "[UNK]");
  WordPieceOptions short_words;
  short_words.max_chars_per_word = 3;
  EXPECT_EQ(Pieces(*Make(short_words), "ab abab"), "a ##b [UNK]");
}

TEST(WordPieceTokenizerTest, EncodeAddsSpecialsAndTruncates) {
  auto t = Make();
  std::vector<int32_t> ids;
  EXPECT_FALSE(t->Encode("hello world", 16, &ids));
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids.front(), t->cls_id());
  EXPECT_EQ(ids.back(), t->sep_id());
  EXPECT_FALSE(t->Encode("", 16, &ids));
  EXPECT_EQ(ids, (std::vector<int32_t>{t->cls_id(), t->sep_id()}));
  // Exactly full: not truncated.
  EXPECT_FALSE(t->Encode("hello world", 4, &ids));
  EXPECT_EQ(ids.size(), 4u);
  // One piece too many.
  EXPECT_TRUE(t->Encode("hello world!", 4, &ids));
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(t->IdToToken(ids[2]), "world");
  EXPECT_EQ(ids.back(), t->sep_id());
  // Cut inside a word's pieces.
  EXPECT_TRUE(t->Encode("unaffable", 4, &ids));
  EXPECT_EQ(t->IdToToken(ids[1]) + " " + t->IdToToken(ids[2]), "un ##aff");
  // A long text stops being read at the limit.
  std::string long_text;
  for (int i = 0; i < 100000; ++i) long_text += "hello ";
  EXPECT_TRUE(t->Encode(long_text, 512, &ids));
  EXPECT_EQ(ids.size(), 512u);
}

TEST(WordPieceTokenizerTest, CreateNeedsTheSpecialTokens) {
  auto t = WordPieceTokenizer::Create({"[UNK]", "[CLS]", "a"}, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(t.status().message().find("[SEP]"), std::string::npos);
}

TEST(WordPieceTokenizerTest, RepeatedTokensTakeTheLastId) {
  auto t = WordPieceTokenizer::Create({"[UNK]", "[CLS]", "[SEP]", "a", "##b", "a", "##b"}, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->TokenToId("a"), 5);
  EXPECT_EQ((*t)->Tokenize("ab"), (std::vector<int32_t>{5, 6}));
}

// ---------------------------------------------------------------------------
// Loading from a folder.

class TokenizerFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/smelter-wordpiece-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
  }
  std::string dir_;
};

TEST_F(TokenizerFolderTest, VocabTxtAndTokenizerConfig) {
  Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nHello\nCafé\ncafe\n");
  auto t = WordPieceTokenizer::Load(dir_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->vocab_size(), 8u);
  EXPECT_EQ(Pieces(**t, "Hello Café"), "hello cafe");
  // A cased model: no lower-casing, no accent stripping.
  Write("tokenizer_config.json", R"({"do_lower_case": false, "unk_token": {"content": "[UNK]"}})");
  t = WordPieceTokenizer::Load(dir_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(Pieces(**t, "Hello Café"), "Hello Café");
}

TEST_F(TokenizerFolderTest, TokenizerJsonNormalizerWins) {
  Write("tokenizer_config.json", R"({"do_lower_case": false})");
  Write("vocab.txt", "this file is not read\n");
  Write("tokenizer.json", R"({"normalizer": {"type": "BertNormalizer", "clean_text": true,
    "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100,
              "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "hello": 3, "##s": 5}}})");
  auto t = WordPieceTokenizer::Load(dir_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->vocab_size(), 6u);  // id 4 is a hole
  EXPECT_EQ((*t)->IdToToken(4), "");
  EXPECT_EQ(Pieces(**t, "Hellos"), "hello ##s");
}

TEST_F(TokenizerFolderTest, Errors) {
  auto t = WordPieceTokenizer::Load(dir_);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kNotFound);
  EXPECT_NE(t.status().message().find("vocab.txt"), std::string::npos) << t.status().message();

  Write("tokenizer.json", "{\"model\": {\"type\": \"WordPiece\", \"vocab\": ");
  t = WordPieceTokenizer::Load(dir_);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(t.status().message().find("tokenizer.json"), std::string::npos) << t.status().message();

  Write("tokenizer.json", R"({"model": {"type": "BPE", "vocab": {}, "merges": []}})");
  t = WordPieceTokenizer::Load(dir_);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kUnsupported);

  Write("tokenizer.json", R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})");
  t = WordPieceTokenizer::Load(dir_);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kCorrupt);  // no [UNK], [CLS], [SEP]
}

}  // namespace
}  // namespace smelter
