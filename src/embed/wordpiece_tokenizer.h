// BERT's tokenizer: basic (normalizing, splitting) tokenization followed by
// greedy longest-match-first WordPiece.
//
// Follows the Hugging Face `tokenizers` pipeline that sentence-transformers
// runs for BERT-family models (BertNormalizer, BertPreTokenizer, WordPiece,
// [CLS] ... [SEP]), step by step:
//   1. clean: U+0000, U+FFFD and control/format/unassigned/private-use code
//      points (general category C*, except tab, CR, LF) are dropped; every
//      White_Space code point becomes a separator;
//   2. CJK ideographs (the original BERT's ranges) become words of their own;
//   3. accent stripping (NFD, then nonspacing marks, Mn, removed) when
//      strip_accents is on -- by default it follows lowercase;
//   4. lower-casing, code point by code point (no context: a final capital
//      sigma becomes "σ", as in `tokenizers`, not "ς");
//   5. punctuation -- ASCII symbols !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ and
//      every Unicode P* code point -- split off as one-character words;
//   6. WordPiece: each word becomes the longest vocabulary entry that starts
//      it, then the longest "##"-prefixed entry that continues it, and so
//      on; a word that cannot be covered this way, or that is longer than
//      max_chars_per_word code points, becomes [UNK] as a whole.
// Differences from `tokenizers`: special tokens written in the text
// ("[SEP]") are tokenized as text, not matched as special tokens; invalid
// UTF-8 bytes are read as U+FFFD and therefore dropped.
//
// ASCII takes a table-driven path; ICU is consulted for the other code
// points. Thread-safe: Encode keeps its scratch state on the stack.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace smelter {

struct WordPieceOptions {
  bool clean_text = true;
  bool split_cjk = true;                // "handle_chinese_chars" / "tokenize_chinese_chars"
  bool lowercase = true;                // "lowercase" / "do_lower_case"
  std::optional<bool> strip_accents;    // unset: same as lowercase
  std::string unk_token = "[UNK]";
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string continuing_prefix = "##";
  int max_chars_per_word = 100;

  bool StripsAccents() const { return strip_accents.value_or(lowercase); }
};

class WordPieceTokenizer {
 public:
  // `vocab[i]` is the token with id i. InvalidArgument when the vocabulary
  // lacks the unknown, [CLS] or [SEP] token.
  static Result<std::unique_ptr<WordPieceTokenizer>> Create(const std::vector<std::string>& vocab,
                                                            WordPieceOptions options);

  // Reads a model folder: tokenizer.json (its WordPiece vocabulary and, when
  // it is a BertNormalizer, its normalizer settings) if present, else
  // vocab.txt (one token per line, id = line number); tokenizer_config.json,
  // if present, supplies do_lower_case, strip_accents,
  // tokenize_chinese_chars and the special token names (a BertNormalizer in
  // tokenizer.json takes precedence). NotFound naming vocab.txt when neither
  // vocabulary file exists; Corrupt when a file does not parse; Unsupported
  // for a tokenizer.json whose model is not WordPiece.
  static Result<std::unique_ptr<WordPieceTokenizer>> Load(const std::string& model_dir);

  // Replaces *ids with [CLS], the word pieces of `text`, [SEP] -- at most
  // max_length ids (>= 2) in all: pieces past max_length - 2 are dropped.
  // Returns whether any were dropped.
  bool Encode(std::string_view text, int max_length, std::vector<int32_t>* ids) const;

  // The word pieces of `text`, without [CLS] and [SEP], as ids (for tests
  // and token counting).
  std::vector<int32_t> Tokenize(std::string_view text) const;

  // Steps 1-5 only: the words WordPiece would see, as UTF-8.
  std::vector<std::string> BasicTokenize(std::string_view text) const;

  const WordPieceOptions& options() const { return options_; }
  size_t vocab_size() const { return vocab_.size(); }
  // The token of an id, "" when out of range.
  const std::string& IdToToken(int32_t id) const;
  // The id of a vocabulary entry, -1 when absent.
  int32_t TokenToId(std::string_view token) const;
  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }

 private:
  // Transparent hashing: look-ups by string_view allocate nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, int32_t, Hash, std::equal_to<>>;

  WordPieceTokenizer() = default;
  // Runs steps 1-5, calling on_word(std::string_view) for each word; stops
  // early when it returns false. Defined (and instantiated) in the .cpp.
  template <typename OnWord>
  void Split(std::string_view text, OnWord&& on_word) const;
  // Step 6 for one normalized word; appends its pieces' ids.
  void WordPiece(std::string_view word, std::vector<int32_t>* ids) const;

  WordPieceOptions options_;
  std::vector<std::string> vocab_;
  Map starts_;         // entries without the continuing prefix
  Map continuations_;  // "##ing" stored as "ing"
  size_t max_start_bytes_ = 0;
  size_t max_continuation_bytes_ = 0;
  int32_t unk_id_ = -1;
  int32_t cls_id_ = -1;
  int32_t sep_id_ = -1;
  uint8_t ascii_class_[128] = {};  // what each ASCII byte is under options_
};

}  // namespace smelter
