#include "chunk/chunker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace smelter {
namespace {

bool IsSpaceByte(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
bool IsContByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += !IsContByte(c);
  return n;
}

// Builds RenderedMarkdown by hand, as the renderer would: blocks separated by
// one blank line.
class DocBuilder {
 public:
  DocBuilder& Add(ElementType type, const std::string& text, int level = 0, int page = 0) {
    if (!doc_.text.empty()) doc_.text += "\n\n";
    Block block;
    block.type = type;
    block.heading_level = level;
    block.page = page;
    block.begin = doc_.text.size();
    doc_.text += text;
    block.end = doc_.text.size();
    doc_.blocks.push_back(block);
    return *this;
  }
  DocBuilder& Heading(int level, const std::string& title, int page = 0) {
    return Add(level == 0 ? ElementType::kTitle : ElementType::kHeading,
               std::string(static_cast<size_t>(std::max(level, 1)), '#') + " " + title,
               std::max(level, 1), page);
  }
  DocBuilder& Para(const std::string& text, int page = 0) {
    return Add(ElementType::kParagraph, text, 0, page);
  }
  DocBuilder& Code(const std::string& body, int page = 0) {
    return Add(ElementType::kCode, "```\n" + body + "\n```", 0, page);
  }
  // A GFM table; row 0 is the header plus the delimiter line.
  DocBuilder& Table(const std::vector<std::string>& data_rows, int page = 0) {
    if (!doc_.text.empty()) doc_.text += "\n\n";
    Block block;
    block.type = ElementType::kTable;
    block.page = page;
    block.begin = doc_.text.size();
    block.row_starts.push_back(doc_.text.size());
    doc_.text += "| key | value |\n| --- | --- |";
    for (const std::string& row : data_rows) {
      doc_.text += "\n";
      block.row_starts.push_back(doc_.text.size());
      doc_.text += row;
    }
    block.end = doc_.text.size();
    doc_.blocks.push_back(block);
    return *this;
  }
  const RenderedMarkdown& doc() const { return doc_; }

 private:
  RenderedMarkdown doc_;
};

// Sentences of varying length, deterministic.
std::string Sentences(int count, int seed = 1) {
  static const char* kWords[] = {"lake",  "bronze",  "silver", "gold",   "chunk",   "vector",
                                 "index", "search",  "record", "stage",  "parser",  "table",
                                 "page",  "heading", "token",  "budget", "overlap", "engine"};
  std::mt19937 rng(static_cast<unsigned>(seed));
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (!out.empty()) out += ' ';
    int words = 5 + static_cast<int>(rng() % 12);
    for (int w = 0; w < words; ++w) {
      std::string word = kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
      if (w == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      if (w > 0) out += ' ';
      out += word;
    }
    out += '.';
  }
  return out;
}

int64_t Measure(const Chunk& c, const ChunkOptions& options) {
  return options.unit == SizeUnit::kTokens ? c.token_count
                                           : static_cast<int64_t>(CodePoints(c.text));
}

// Checks what every chunking must satisfy. `may_exceed` lists chunks allowed
// over budget (a table row larger than the budget).
void CheckInvariants(const std::string& text, const std::vector<Chunk>& chunks,
                     const ChunkOptions& options, std::string_view doc_id = "doc",
                     bool allow_oversize = false) {
  std::vector<bool> covered(text.size(), false);
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    SCOPED_TRACE("chunk " + std::to_string(i) + ": [" + c.text + "]");
    ASSERT_EQ(c.index, static_cast<int>(i));
    ASSERT_EQ(c.id, std::string(doc_id) + "-" + std::to_string(i));
    ASSERT_EQ(c.doc_id, doc_id);
    ASSERT_LT(c.char_start, c.char_end);
    ASSERT_LE(c.char_end, text.size());
    ASSERT_EQ(c.text, text.substr(c.char_start, c.char_end - c.char_start));
    ASSERT_FALSE(IsSpaceByte(c.text.front()));
    ASSERT_FALSE(IsSpaceByte(c.text.back()));
    // Never inside a code point.
    ASSERT_FALSE(IsContByte(text[c.char_start]));
    if (c.char_end < text.size()) {
      ASSERT_FALSE(IsContByte(text[c.char_end]));
    }
    ASSERT_EQ(c.token_count, CountTokens(c.text));
    if (!allow_oversize) {
      ASSERT_LE(Measure(c, options), options.max_size);
    }
    if (i > 0) {
      // Strictly moving forward, never swallowing the previous chunk.
      ASSERT_GT(c.char_start, chunks[i - 1].char_start);
      ASSERT_GT(c.char_end, chunks[i - 1].char_end);
    }
    for (size_t k = c.char_start; k < c.char_end; ++k) covered[k] = true;
  }
  for (size_t k = 0; k < text.size(); ++k) {
    if (!IsSpaceByte(text[k])) {
      ASSERT_TRUE(covered[k]) << "byte " << k << " not in any chunk";
    }
  }
}

TEST(CountTokensTest, CountsWordsPunctuationAndLongWords) {
  EXPECT_EQ(CountTokens(""), 0);
  EXPECT_EQ(CountTokens("   \n\t "), 0);
  EXPECT_EQ(CountTokens("the cat"), 2);
  EXPECT_EQ(CountTokens("cat, dog."), 4);
  EXPECT_EQ(CountTokens("abcd"), 1);
  EXPECT_EQ(CountTokens("abcde"), 2);  // long words: one per ~4 characters
  EXPECT_EQ(CountTokens("internationalization"), 5);
  EXPECT_EQ(CountTokens("----"), 1);  // a run of one character
  EXPECT_EQ(CountTokens("| a | b |"), 5);
  EXPECT_EQ(CountTokens("日本語"), 3);  // one per ideograph
  EXPECT_EQ(CountTokens("été"), 1);     // accents are letters
  EXPECT_EQ(CountTokens("a\xa0"
                        "b"),
            3);  // an invalid byte is one symbol
}

// A plain reference for ASCII text: runs of [A-Za-z0-9_] and runs of one
// repeated punctuation character cost one token per 4 characters.
int ReferenceTokens(const std::string& text) {
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  int tokens = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (IsSpaceByte(text[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (is_word(text[i])) {
      while (j < text.size() && is_word(text[j])) ++j;
    } else {
      while (j < text.size() && text[j] == text[i]) ++j;
    }
    tokens += static_cast<int>((j - i + 3) / 4);
    i = j;
  }
  return tokens;
}

TEST(CountTokensTest, MatchesReferenceOnAsciiAcrossBlockEdges) {
  // Long inputs exercise the 64-byte mask path, runs crossing block edges
  // and the switch between that path and the per-character one.
  std::mt19937 rng(7);
  const std::string alphabet = "aZ9_ \n\t.-,||==!?()xyzxyzxyz";
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text;
    const size_t len = rng() % 400;
    while (text.size() < len) {
      const char c = alphabet[rng() % alphabet.size()];
      text.append(1 + rng() % (rng() % 8 == 0 ? 90 : 3), c);  // sometimes very long runs
    }
    ASSERT_EQ(CountTokens(text), ReferenceTokens(text)) << text;
  }
}

TEST(CountTokensTest, AddsUpAcrossWhitespace) {
  std::mt19937 rng(11);
  const char* pieces[] = {"word", "état", "日本", "----", "Привет", "😀😀", "a_b", "ℕ", "…", "x"};
  for (int iter = 0; iter < 500; ++iter) {
    std::string a, b;
    for (int k = 0; k < 30; ++k) a += pieces[rng() % 10];
    for (int k = 0; k < 30; ++k) b += pieces[rng() % 10];
    a += std::string(static_cast<size_t>(rng() % 70), 'q');
    ASSERT_EQ(CountTokens(a + " " + b), CountTokens(a) + CountTokens(b)) << a << " | " << b;
    ASSERT_EQ(CountTokens(a + "\n" + a), 2 * CountTokens(a));
  }
}

TEST(CountTokensTest, PrefixNeverCountsMore) {
  std::string text = Sentences(40) + " naïve 日本語 ---- x";
  int prev = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsContByte(text[i])) continue;
    int n = CountTokens(std::string_view(text).substr(0, i));
    ASSERT_GE(n, prev);
    prev = n;
  }
}

TEST(ChunkerTest, EmptyInputGivesNoChunks) {
  ChunkOptions options;
  EXPECT_TRUE(ChunkText("d", "", options).empty());
  EXPECT_TRUE(ChunkText("d", " \n\n \t\n", options).empty());
  RenderedMarkdown empty;
  EXPECT_TRUE(ChunkDocument("d", empty, options).empty());
  RenderedMarkdown blank;
  blank.text = "   \n\n   ";
  blank.blocks.push_back(Block{ElementType::kParagraph, 0, 0, 0, 3, {}});
  EXPECT_TRUE(ChunkDocument("d", blank, options).empty());
}

TEST(ChunkerTest, SmallTextIsOneTrimmedChunk) {
  ChunkOptions options;
  std::string text = "\n\n  Hello world.  \n";
  auto chunks = ChunkText("x", text, options);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].text, "Hello world.");
  EXPECT_EQ(chunks[0].char_start, 4u);
  EXPECT_EQ(chunks[0].char_end, 16u);
  EXPECT_EQ(chunks[0].id, "x-0");
  EXPECT_EQ(chunks[0].page_start, 0);
  EXPECT_TRUE(chunks[0].heading_path.empty());
  EXPECT_TRUE(chunks[0].vector.empty());
}

TEST(ChunkerTest, HeadingPathsFollowLevels) {
  DocBuilder b;
  b.Heading(1, "Guide")
      .Para("Intro text.")
      .Heading(2, "Install")
      .Para("Run the installer.")
      .Heading(3, "Linux")
      .Para("Use apt.")
      .Heading(2, "Usage ##")  // closing #'s are not part of the text
      .Para("Call it.")
      .Heading(1, "Appendix")
      .Para("More.");
  ChunkOptions options{200, 20, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  ASSERT_EQ(chunks.size(), 5u);
  using Path = std::vector<std::string>;
  EXPECT_EQ(chunks[0].heading_path, (Path{"Guide"}));
  EXPECT_EQ(chunks[0].text, "# Guide\n\nIntro text.");
  EXPECT_EQ(chunks[1].heading_path, (Path{"Guide", "Install"}));
  EXPECT_EQ(chunks[2].heading_path, (Path{"Guide", "Install", "Linux"}));
  EXPECT_EQ(chunks[2].text, "### Linux\n\nUse apt.");
  EXPECT_EQ(chunks[3].heading_path, (Path{"Guide", "Usage"}));
  EXPECT_EQ(chunks[4].heading_path, (Path{"Appendix"}));
}

TEST(ChunkerTest, TextBeforeFirstHeadingHasEmptyPath) {
  DocBuilder b;
  b.Para("Preamble.").Heading(1, "A").Para("Body.");
  auto chunks = ChunkDocument("doc", b.doc(), ChunkOptions{100, 10, SizeUnit::kChars});
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_TRUE(chunks[0].heading_path.empty());
  EXPECT_EQ(chunks[0].text, "Preamble.");
  EXPECT_EQ(chunks[1].heading_path, std::vector<std::string>{"A"});
}

TEST(ChunkerTest, ConsecutiveHeadingsStayWithTheirContent) {
  // No chunk may consist of headings only when content follows.
  DocBuilder b;
  b.Heading(0, "Report").Heading(2, "Summary").Para(Sentences(30));
  ChunkOptions options{300, 50, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text.rfind("# Report\n\n## Summary\n\n", 0), 0u);
  EXPECT_GT(chunks[0].text.size(), std::string("# Report\n\n## Summary").size());
  for (const Chunk& c : chunks) {
    EXPECT_EQ(c.heading_path, (std::vector<std::string>{"Report", "Summary"}));
  }
}

TEST(ChunkerTest, OverlapNeverCrossesAHeading) {
  DocBuilder b;
  b.Heading(1, "One").Para(Sentences(40, 1)).Heading(1, "Two").Para(Sentences(40, 2));
  ChunkOptions options{60, 20, SizeUnit::kTokens};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  const size_t two = b.doc().blocks[2].begin;
  bool seen_two = false;
  for (const Chunk& c : chunks) {
    if (c.heading_path == std::vector<std::string>{"Two"}) {
      EXPECT_GE(c.char_start, two);
      if (!seen_two) {
        EXPECT_EQ(c.char_start, two);
      }
      seen_two = true;
    } else {
      EXPECT_LE(c.char_end, two);
    }
  }
  EXPECT_TRUE(seen_two);
}

TEST(ChunkerTest, PageRangesComeFromCoveredBlocks) {
  DocBuilder b;
  b.Para(Sentences(3, 1), 1).Para(Sentences(3, 2), 2).Para(Sentences(3, 3), 3);
  // One chunk for everything: pages 1-3.
  auto all = ChunkDocument("doc", b.doc(), ChunkOptions{100000, 0, SizeUnit::kChars});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].page_start, 1);
  EXPECT_EQ(all[0].page_end, 3);
  // Small chunks: each within its page, in order.
  ChunkOptions small{40, 10, SizeUnit::kTokens};
  auto chunks = ChunkDocument("doc", b.doc(), small);
  CheckInvariants(b.doc().text, chunks, small);
  int last_start = 0;
  for (const Chunk& c : chunks) {
    EXPECT_GE(c.page_start, 1);
    EXPECT_LE(c.page_start, c.page_end);
    EXPECT_GE(c.page_start, last_start);
    last_start = c.page_start;
    int expected_lo = 0, expected_hi = 0;
    for (const Block& block : b.doc().blocks) {
      if (block.begin < c.char_end && block.end > c.char_start) {
        if (expected_lo == 0) expected_lo = block.page;
        expected_hi = block.page;
      }
    }
    EXPECT_EQ(c.page_start, expected_lo);
    EXPECT_EQ(c.page_end, expected_hi);
  }
  EXPECT_EQ(chunks.back().page_end, 3);
}

TEST(ChunkerTest, BlocksArePackedGreedilyAndKeptWhole) {
  // Paragraphs of ~250 chars, budget 1000: chunks end at paragraph ends.
  DocBuilder b;
  std::vector<std::string> paras;
  for (int i = 0; i < 12; ++i) {
    std::string p = Sentences(3, i + 10);
    p.resize(std::min<size_t>(p.size(), 250));
    while (IsSpaceByte(p.back())) p.pop_back();
    paras.push_back(p);
    b.Para(p);
  }
  ChunkOptions options{1000, 0, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  ASSERT_GE(chunks.size(), 3u);
  size_t next_para = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    bool ends_at_block = false;
    for (size_t k = 0; k < paras.size(); ++k) {
      if (b.doc().blocks[k].end == c.char_end) {
        ends_at_block = true;
        next_para = k + 1;
      }
    }
    EXPECT_TRUE(ends_at_block) << c.text;
    // Greedy: the next paragraph would not have fitted.
    if (i + 1 < chunks.size()) {
      EXPECT_GT(c.text.size() + 2 + paras[next_para].size(), 1000u);
    }
  }
}

TEST(ChunkerTest, LargeParagraphSplitsAtSentencesWithOverlap) {
  std::string text = Sentences(60, 7);
  ChunkOptions options{300, 80, SizeUnit::kChars};
  auto chunks = ChunkText("t", text, options);
  CheckInvariants(text, chunks, options, "t");
  ASSERT_GE(chunks.size(), 4u);
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    EXPECT_GT(CodePoints(c.text), 150u);
    EXPECT_EQ(c.text.back(), '.') << c.text;  // ends at a sentence end
    if (i + 1 < chunks.size()) {
      const Chunk& next = chunks[i + 1];
      // Overlap is present, no larger than asked, and starts at a word.
      ASSERT_LT(next.char_start, c.char_end);
      const std::string overlap = text.substr(next.char_start, c.char_end - next.char_start);
      EXPECT_LE(CodePoints(overlap), 80u);
      EXPECT_EQ(text[next.char_start - 1], ' ');
      // At a sentence start whenever the overlap window holds one.
      size_t window = c.char_end - 80;
      size_t sentence = text.find(". ", window - 2);
      if (sentence != std::string::npos && sentence + 2 < c.char_end) {
        EXPECT_EQ(next.char_start, sentence + 2) << overlap;
      }
    }
  }
}

TEST(ChunkerTest, OverlapAfterACleanCutStartsAtASentence) {
  // Chunks that end between paragraphs carry over whole sentences (or
  // nothing), never the tail of one.
  DocBuilder b;
  for (int i = 0; i < 10; ++i) b.Para(Sentences(4, 100 + i));
  ChunkOptions options{500, 120, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  const std::string& text = b.doc().text;
  int overlapping = 0;
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    const Chunk& next = chunks[i + 1];
    if (next.char_start >= chunks[i].char_end) continue;
    ++overlapping;
    bool at_block = false;
    for (const Block& block : b.doc().blocks) at_block |= block.begin == next.char_start;
    bool after_sentence = text.compare(next.char_start - 2, 2, ". ") == 0;
    EXPECT_TRUE(at_block || after_sentence) << next.text;
  }
  EXPECT_GT(overlapping, 0);
}

TEST(ChunkerTest, OverlapFallsBackToWordBoundaries) {
  // No sentence ends at all: split and overlap at words.
  std::string text;
  for (int i = 0; i < 400; ++i) text += "word" + std::to_string(i) + " ";
  ChunkOptions options{100, 30, SizeUnit::kChars};
  auto chunks = ChunkText("t", text, options);
  CheckInvariants(text, chunks, options, "t");
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    const Chunk& next = chunks[i + 1];
    EXPECT_LT(next.char_start, c.char_end);
    EXPECT_TRUE(IsSpaceByte(text[next.char_start - 1]));                      // a word start
    EXPECT_TRUE(c.char_end == text.size() || IsSpaceByte(text[c.char_end]));  // a word end
  }
}

TEST(ChunkerTest, ZeroOverlapMeansDisjointChunks) {
  std::string text = Sentences(80, 3);
  ChunkOptions options{50, 0, SizeUnit::kTokens};
  auto chunks = ChunkText("t", text, options);
  CheckInvariants(text, chunks, options, "t");
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    EXPECT_GE(chunks[i + 1].char_start, chunks[i].char_end);
  }
}

TEST(ChunkerTest, TokenBudgetIsRespected) {
  std::string text = Sentences(200, 5);
  for (int max : {8, 17, 64, 128, 512}) {
    ChunkOptions options{max, max / 4, SizeUnit::kTokens};
    auto chunks = ChunkText("t", text, options);
    CheckInvariants(text, chunks, options, "t");
    if (max <= 128) {
      int biggest = 0;
      for (const Chunk& c : chunks) biggest = std::max(biggest, c.token_count);
      EXPECT_GT(biggest, max / 2);  // and the budget is actually used
    }
  }
}

TEST(ChunkerTest, TablesSplitOnlyBetweenRows) {
  std::vector<std::string> rows;
  for (int i = 0; i < 40; ++i) {
    rows.push_back("| row " + std::to_string(i) + " | value number " + std::to_string(i * 7) +
                   " |");
  }
  DocBuilder b;
  b.Heading(1, "Data").Para("The table below lists values.").Table(rows).Para("After the table.");
  ChunkOptions options{120, 30, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  const Block& table = b.doc().blocks[2];
  std::vector<size_t> cuts(table.row_starts.begin(), table.row_starts.end());
  cuts.push_back(table.end);
  auto is_cut = [&](size_t pos) { return std::find(cuts.begin(), cuts.end(), pos) != cuts.end(); };
  int table_chunks = 0;
  for (const Chunk& c : chunks) {
    bool starts_inside = c.char_start > table.begin && c.char_start < table.end;
    bool ends_inside = c.char_end > table.begin && c.char_end < table.end;
    if (starts_inside) {
      EXPECT_TRUE(is_cut(c.char_start)) << c.text;
    }
    // A chunk ending inside the table ends just before a row's newline.
    if (ends_inside) {
      EXPECT_TRUE(is_cut(c.char_end + 1)) << c.text;
    }
    if (c.char_start < table.end && c.char_end > table.begin) ++table_chunks;
  }
  EXPECT_GE(table_chunks, 10);
}

TEST(ChunkerTest, OversizedTableRowStaysWhole) {
  std::string huge = "| big |";
  for (int i = 0; i < 60; ++i) huge += " cell" + std::to_string(i);
  huge += " |";
  DocBuilder b;
  b.Table({"| a | 1 |", huge, "| b | 2 |"});
  ChunkOptions options{40, 10, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options, "doc", /*allow_oversize=*/true);
  bool found = false;
  for (const Chunk& c : chunks) {
    if (c.text.find("cell0") != std::string::npos) {
      EXPECT_NE(c.text.find(huge), std::string::npos) << "row was cut: " << c.text;
      found = true;
    } else {
      EXPECT_LE(CodePoints(c.text), 40u);
    }
  }
  EXPECT_TRUE(found);
}

TEST(ChunkerTest, TableWithoutRowStartsSplitsAtLines) {
  RenderedMarkdown doc;
  doc.text = "| h | v |\n| - | - |";
  for (int i = 0; i < 20; ++i) doc.text += "\n| r" + std::to_string(i) + " | x |";
  doc.blocks.push_back(Block{ElementType::kTable, 0, 0, 0, doc.text.size(), {}});
  ChunkOptions options{40, 0, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", doc, options);
  CheckInvariants(doc.text, chunks, options);
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text.rfind("| h | v |\n| - | - |\n| r0 | x |", 0), 0u);
  for (const Chunk& c : chunks) {
    EXPECT_EQ(c.text.front(), '|');
    EXPECT_EQ(c.text.back(), '|');
  }
}

TEST(ChunkerTest, CodeBlockThatFitsIsKeptWholeDespiteOverlap) {
  std::string code;
  for (int i = 0; i < 12; ++i)
    code += "int v" + std::to_string(i) + " = f(" + std::to_string(i) + ");\n";
  code.pop_back();
  DocBuilder b;
  b.Para(Sentences(12, 4)).Code(code).Para(Sentences(12, 5));
  ChunkOptions options{300, 100, SizeUnit::kChars};
  ASSERT_LT(CodePoints(code) + 8, 300u);
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  // One chunk holds the whole block (the next may carry some of it as
  // overlap), and no chunk ends inside it.
  const Block& block = b.doc().blocks[1];
  int whole = 0;
  for (const Chunk& c : chunks) {
    if (c.char_start <= block.begin && c.char_end >= block.end) ++whole;
    EXPECT_FALSE(c.char_end > block.begin && c.char_end < block.end) << c.text;
  }
  EXPECT_EQ(whole, 1);
}

TEST(ChunkerTest, LargeCodeBlockSplitsAtLines) {
  std::string code;
  for (int i = 0; i < 80; ++i) code += "  call(" + std::to_string(i) + ", x. y);\n";
  code.pop_back();
  DocBuilder b;
  b.Code(code);
  ChunkOptions options{150, 40, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", b.doc(), options);
  CheckInvariants(b.doc().text, chunks, options);
  ASSERT_GE(chunks.size(), 10u);
  const std::string& text = b.doc().text;
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    EXPECT_EQ(text[chunks[i].char_end], '\n') << chunks[i].text;
    // Overlap starts at a line start, not in the middle of a line.
    size_t s = chunks[i + 1].char_start;
    size_t line = text.rfind('\n', s - 1);
    for (size_t k = line + 1; k < s; ++k) EXPECT_TRUE(IsSpaceByte(text[k]));
  }
}

TEST(ChunkerTest, Utf8IsNeverCut) {
  // Long runs without spaces force cuts inside words.
  std::string text;
  for (int i = 0; i < 700; ++i) text += "é";
  text += " ";
  for (int i = 0; i < 500; ++i) text += "日本";
  text += " ";
  for (int i = 0; i < 300; ++i) text += "😀a";
  for (SizeUnit unit : {SizeUnit::kChars, SizeUnit::kTokens}) {
    ChunkOptions options{97, 13, unit};
    auto chunks = ChunkText("u", text, options);
    CheckInvariants(text, chunks, options, "u");
    ASSERT_GE(chunks.size(), 10u);
  }
}

TEST(ChunkerTest, AbbreviationsAndListMarkersAreNotSentenceEnds) {
  std::string text =
      "Results were reported by J. Smith and e.g. others in the survey of many "
      "things. The next sentence is here and goes on for a while longer.";
  ChunkOptions options{90, 0, SizeUnit::kChars};
  auto chunks = ChunkText("t", text, options);
  CheckInvariants(text, chunks, options, "t");
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text.back(), '.');
  EXPECT_EQ(chunks[1].text.rfind("The next", 0), 0u);
}

TEST(ChunkerTest, StrayTextBetweenBlocksIsCovered) {
  RenderedMarkdown doc;
  doc.text = "First block.\n\nstray words\n\nSecond block.";
  doc.blocks.push_back(Block{ElementType::kParagraph, 0, 1, 0, 12, {}});
  doc.blocks.push_back(Block{ElementType::kParagraph, 0, 2, 27, doc.text.size(), {}});
  ChunkOptions options{15, 0, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", doc, options);
  CheckInvariants(doc.text, chunks, options);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[1].text, "stray words");
  EXPECT_EQ(chunks[1].page_start, 1);
}

TEST(ChunkerTest, BadBlockOffsetsAreTolerated) {
  RenderedMarkdown doc;
  doc.text = "Alpha beta gamma. Delta epsilon.";
  doc.blocks.push_back(Block{ElementType::kParagraph, 0, 0, 0, 20, {}});
  doc.blocks.push_back(Block{ElementType::kParagraph, 0, 0, 10, 500, {}});   // overlaps, too long
  doc.blocks.push_back(Block{ElementType::kParagraph, 0, 0, 900, 950, {}});  // past the end
  ChunkOptions options{10, 3, SizeUnit::kChars};
  auto chunks = ChunkDocument("doc", doc, options);
  CheckInvariants(doc.text, chunks, options);
}

// Random documents of every block kind: the invariants must always hold.
TEST(ChunkerTest, RandomDocumentsKeepInvariants) {
  std::mt19937 rng(12345);
  static const char* kPieces[] = {"alpha",
                                  "beta",
                                  "Gamma",
                                  "delta.",
                                  "epsilon!",
                                  "zeta?",
                                  "état",
                                  "naïve",
                                  "日本語",
                                  "😀",
                                  "(x)",
                                  "\"q.\"",
                                  "--",
                                  "1.",
                                  "e.g.",
                                  "J.",
                                  "a_b",
                                  "x",
                                  "longerwordthatgoesonandon",
                                  "。",
                                  "\n",
                                  "\n\n",
                                  "\t"};
  const size_t kNumPieces = sizeof(kPieces) / sizeof(kPieces[0]);
  auto random_text = [&](int words) {
    std::string out;
    for (int i = 0; i < words; ++i) {
      if (!out.empty() && rng() % 5 != 0) out += ' ';
      out += kPieces[rng() % kNumPieces];
    }
    return out;
  };
  for (int iter = 0; iter < 300; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    DocBuilder b;
    int blocks = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < blocks; ++k) {
      int page = 1 + k / 3;
      switch (rng() % 6) {
        case 0:
          b.Heading(static_cast<int>(rng() % 4), random_text(1 + static_cast<int>(rng() % 4)),
                    page);
          break;
        case 1: {
          std::vector<std::string> rows;
          int n = 1 + static_cast<int>(rng() % 8);
          for (int r = 0; r < n; ++r)
            rows.push_back("| " + random_text(1 + static_cast<int>(rng() % 6)) + " |");
          for (std::string& row : rows) std::replace(row.begin(), row.end(), '\n', ' ');
          b.Table(rows, page);
          break;
        }
        case 2:
          b.Code(random_text(static_cast<int>(rng() % 40)), page);
          break;
        default:
          b.Para(random_text(1 + static_cast<int>(rng() % 120)), page);
      }
    }
    int max = 1 + static_cast<int>(rng() % 60);
    int overlap = static_cast<int>(rng() % static_cast<unsigned>(max));
    ChunkOptions options{max, overlap, rng() % 2 ? SizeUnit::kChars : SizeUnit::kTokens};
    auto chunks = ChunkDocument("r", b.doc(), options);
    // Tables may exceed the budget (rows stay whole); check them apart.
    std::vector<bool> in_table(b.doc().text.size(), false);
    for (const Block& block : b.doc().blocks) {
      if (block.type == ElementType::kTable) {
        for (size_t k = block.begin; k < block.end; ++k) in_table[k] = true;
      }
    }
    CheckInvariants(b.doc().text, chunks, options, "r", /*allow_oversize=*/true);
    for (const Chunk& c : chunks) {
      bool table = false;
      for (size_t k = c.char_start; k < c.char_end; ++k) table |= in_table[k];
      if (!table) {
        ASSERT_LE(Measure(c, options), options.max_size) << c.text;
      }
    }
    auto plain = ChunkText("r", b.doc().text, options);
    CheckInvariants(b.doc().text, plain, options, "r", /*allow_oversize=*/false);
  }
}

}  // namespace
}  // namespace smelter
