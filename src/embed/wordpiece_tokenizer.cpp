#include "embed/wordpiece_tokenizer.h"

#include "core/utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/file_util.h"

namespace smelter {
namespace {

// ---------------------------------------------------------------------------
// Character classes.

enum AsciiClass : uint8_t { kDrop, kSpace, kPunct, kWordChar };

bool IsAsciiPunct(uint32_t c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

// General category C* except tab, LF, CR (which are whitespace).
bool IsControl(uint32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_UNASSIGNED:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
      return true;
    default:
      return false;
  }
}

bool IsWhitespace(uint32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || u_isUWhiteSpace(static_cast<UChar32>(cp));
}

bool IsPunct(uint32_t cp) { return IsAsciiPunct(cp) || u_ispunct(static_cast<UChar32>(cp)); }

// The CJK Unified Ideographs blocks of the original BERT (not Hangul, kana).
bool IsCjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}



bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !IsUtf8Continuation(c);
  return n;
}

// ---------------------------------------------------------------------------
// Loading helpers.

using nlohmann::json;

// A special token in tokenizer_config.json: "[CLS]" or {"content": "[CLS]", ...}.
std::optional<std::string> TokenName(const json& config, const char* key) {
  auto it = config.find(key);
  if (it == config.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto content = it->find("content");
    if (content != it->end() && content->is_string()) return content->get<std::string>();
  }
  return std::nullopt;
}

std::optional<bool> OptionalBool(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction.

Result<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::Create(const std::vector<std::string>& vocab,
                                                                       WordPieceOptions options) {
  std::unique_ptr<WordPieceTokenizer> t(new WordPieceTokenizer());
  t->options_ = std::move(options);
  t->vocab_ = vocab;
  const std::string& prefix = t->options_.continuing_prefix;
  for (size_t id = 0; id < vocab.size(); ++id) {
    const std::string& token = vocab[id];
    if (token.empty()) continue;  // a hole in a tokenizer.json vocabulary
    const auto i = static_cast<int32_t>(id);
    // The last id wins when a token repeats, as in `tokenizers` and BertTokenizer.
    if (!prefix.empty() && token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
      std::string rest = token.substr(prefix.size());
      t->max_continuation_bytes_ = std::max(t->max_continuation_bytes_, rest.size());
      t->continuations_.insert_or_assign(std::move(rest), i);
    }
    // A "##x" entry is also a whole-word entry (matching "##x" typed in text).
    t->max_start_bytes_ = std::max(t->max_start_bytes_, token.size());
    t->starts_.insert_or_assign(token, i);
  }
  t->unk_id_ = t->TokenToId(t->options_.unk_token);
  t->cls_id_ = t->TokenToId(t->options_.cls_token);
  t->sep_id_ = t->TokenToId(t->options_.sep_token);
  for (auto [name, id] : {std::pair{&t->options_.unk_token, t->unk_id_}, std::pair{&t->options_.cls_token, t->cls_id_},
                          std::pair{&t->options_.sep_token, t->sep_id_}}) {
    if (id < 0) return Status::InvalidArgument("vocabulary lacks the special token " + *name);
  }
  if (t->options_.max_chars_per_word < 1) t->options_.max_chars_per_word = 100;
  // The ASCII classes under these options.
  for (int c = 0; c < 128; ++c) {
    AsciiClass cls = kWordChar;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      cls = kSpace;
    } else if (c < 0x20 || c == 0x7F) {
      // Control characters: removed by cleaning; otherwise \v and \f are
      // still White_Space to the pre-tokenizer and the rest word characters.
      cls = t->options_.clean_text ? kDrop : (c == 0x0B || c == 0x0C) ? kSpace : kWordChar;
    } else if (IsAsciiPunct(static_cast<uint32_t>(c))) {
      cls = kPunct;
    }
    t->ascii_class_[c] = cls;
  }
  return t;
}

Result<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::Load(const std::string& model_dir) {
  WordPieceOptions options;
  std::vector<std::string> vocab;

  // tokenizer_config.json: optional; read first so that tokenizer.json's
  // normalizer can override it.
  const std::string config_path = model_dir + "/tokenizer_config.json";
  if (auto text = ReadFile(config_path); text.ok()) {
    try {
      const json config = json::parse(*text);
      if (!config.is_object()) return Status::Corrupt(config_path + ": not a JSON object");
      if (auto v = OptionalBool(config, "do_lower_case")) options.lowercase = *v;
      if (auto v = OptionalBool(config, "strip_accents")) options.strip_accents = *v;
      if (auto v = OptionalBool(config, "tokenize_chinese_chars")) options.split_cjk = *v;
      if (auto v = TokenName(config, "unk_token")) options.unk_token = *v;
      if (auto v = TokenName(config, "cls_token")) options.cls_token = *v;
      if (auto v = TokenName(config, "sep_token")) options.sep_token = *v;
    } catch (const json::exception& e) {
      return Status::Corrupt(config_path + ": " + e.what());
    }
  } else if (text.status().code() != Status::Code::kNotFound) {
    return text.status();
  }

  const std::string tokenizer_path = model_dir + "/tokenizer.json";
  if (auto text = ReadFile(tokenizer_path); text.ok()) {
    try {
      const json tok = json::parse(*text);
      const json& model = tok.at("model");
      if (auto type = model.find("type"); type != model.end() && *type != "WordPiece") {
        return Status::Unsupported(tokenizer_path + ": tokenizer model " + type->dump() +
                                   " (only WordPiece is supported)");
      }
      if (auto it = model.find("unk_token"); it != model.end() && it->is_string()) options.unk_token = *it;
      if (auto it = model.find("continuing_subword_prefix"); it != model.end() && it->is_string()) {
        options.continuing_prefix = *it;
      }
      if (auto it = model.find("max_input_chars_per_word"); it != model.end() && it->is_number_integer()) {
        options.max_chars_per_word = it->get<int>();
      }
      const json& entries = model.at("vocab");
      if (!entries.is_object()) return Status::Corrupt(tokenizer_path + ": model.vocab is not an object");
      for (const auto& [token, id_json] : entries.items()) {
        const int64_t id = id_json.get<int64_t>();
        if (id < 0 || id >= (int64_t{1} << 24)) {
          return Status::Corrupt(tokenizer_path + ": token id " + std::to_string(id) + " out of range");
        }
        if (static_cast<size_t>(id) >= vocab.size()) vocab.resize(static_cast<size_t>(id) + 1);
        vocab[static_cast<size_t>(id)] = token;
      }
      if (auto it = tok.find("normalizer"); it != tok.end() && !it->is_null()) {
        if (it->value("type", "") != "BertNormalizer") {
          return Status::Unsupported(tokenizer_path + ": normalizer " + it->value("type", "?") +
                                     " (only BertNormalizer is supported)");
        }
        options.clean_text = it->value("clean_text", true);
        options.split_cjk = it->value("handle_chinese_chars", true);
        options.lowercase = it->value("lowercase", true);
        options.strip_accents = OptionalBool(*it, "strip_accents");
      }
      if (auto it = tok.find("pre_tokenizer"); it != tok.end() && !it->is_null()) {
        if (it->value("type", "") != "BertPreTokenizer") {
          return Status::Unsupported(tokenizer_path + ": pre-tokenizer " + it->value("type", "?") +
                                     " (only BertPreTokenizer is supported)");
        }
      }
    } catch (const json::exception& e) {
      return Status::Corrupt(tokenizer_path + ": " + e.what());
    }
  } else if (text.status().code() == Status::Code::kNotFound) {
    const std::string vocab_path = model_dir + "/vocab.txt";
    auto vocab_text = ReadFile(vocab_path);
    if (!vocab_text.ok()) {
      if (vocab_text.status().code() == Status::Code::kNotFound) {
        return Status::NotFound("no tokenizer in " + model_dir + ": neither tokenizer.json nor " + vocab_path);
      }
      return vocab_text.status();
    }
    std::string_view rest = *vocab_text;
    while (!rest.empty()) {
      size_t eol = rest.find('\n');
      std::string_view line = rest.substr(0, eol);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      vocab.emplace_back(line);
      if (eol == std::string_view::npos) break;
      rest.remove_prefix(eol + 1);
    }
  } else {
    return text.status();
  }
  if (vocab.empty()) return Status::Corrupt("empty vocabulary in " + model_dir);
  auto tokenizer = Create(vocab, std::move(options));
  if (!tokenizer.ok()) return Status::Corrupt(model_dir + ": " + tokenizer.status().message());
  return tokenizer;
}

// ---------------------------------------------------------------------------
// Look-ups.

const std::string& WordPieceTokenizer::IdToToken(int32_t id) const {
  static const std::string kNone;
  return id >= 0 && static_cast<size_t>(id) < vocab_.size() ? vocab_[static_cast<size_t>(id)] : kNone;
}

int32_t WordPieceTokenizer::TokenToId(std::string_view token) const {
  auto it = starts_.find(token);
  return it == starts_.end() ? -1 : it->second;
}

// ---------------------------------------------------------------------------
// Steps 1-5.

template <typename OnWord>
void WordPieceTokenizer::Split(std::string_view text, OnWord&& on_word) const {
  const bool lowercase = options_.lowercase;
  const bool strip = options_.StripsAccents();
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = strip ? icu::Normalizer2::getNFDInstance(error) : nullptr;
  if (U_FAILURE(error)) nfd = nullptr;  // ICU data missing: accents are kept

  std::string word;  // the current word, cleaned (ASCII already lower-cased)
  bool word_ascii = true;
  std::string piece;  // scratch of the non-ASCII path
  icu::UnicodeString u;

  // Steps 3-5 for a non-ASCII word.
  auto emit_unicode = [&]() -> bool {
    u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    if (nfd != nullptr) {
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString decomposed = nfd->normalize(u, e);
      if (U_SUCCESS(e)) u = std::move(decomposed);
    }
    piece.clear();
    for (int32_t k = 0; k < u.length();) {
      const UChar32 c = u.char32At(k);
      k += U16_LENGTH(c);
      if (strip && u_charType(c) == U_NON_SPACING_MARK) continue;
      // Code point by code point, without context; U+0130 is the one code
      // point whose full lower-case mapping is two code points.
      uint32_t lowered[2] = {static_cast<uint32_t>(c), 0};
      int count = 1;
      if (lowercase) {
        if (c == 0x130) {
          lowered[0] = 'i', lowered[1] = 0x307, count = 2;
        } else {
          lowered[0] = static_cast<uint32_t>(u_tolower(c));
        }
      }
      for (int m = 0; m < count; ++m) {
        if (IsPunct(lowered[m])) {
          if (!piece.empty() && !on_word(piece)) return false;
          piece.clear();
          AppendUtf8(lowered[m], &piece);
          if (!on_word(piece)) return false;
          piece.clear();
        } else {
          AppendUtf8(lowered[m], &piece);
        }
      }
    }
    return piece.empty() || on_word(piece);
  };
  auto flush = [&]() -> bool {
    if (word.empty()) return true;
    const bool go_on = word_ascii ? on_word(word) : emit_unicode();
    word.clear();
    word_ascii = true;
    return go_on;
  };

  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      switch (static_cast<AsciiClass>(ascii_class_[c])) {
        case kDrop:
          break;
        case kSpace:
          if (!flush()) return;
          break;
        case kPunct: {
          if (!flush()) return;
          const char p = static_cast<char>(c);
          if (!on_word(std::string_view(&p, 1))) return;
          break;
        }
        case kWordChar:
          word.push_back(lowercase && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
          break;
      }
      continue;
    }
    uint32_t cp = 0xFFFD;
    int len = DecodeUtf8(s, i, n, &cp);
    if (len == 0) len = 1;  // an invalid byte reads as U+FFFD
    i += static_cast<size_t>(len);
    if (options_.clean_text && (cp == 0xFFFD || IsControl(cp))) continue;
    if (IsWhitespace(cp)) {
      if (!flush()) return;
      continue;
    }
    if (options_.split_cjk && IsCjk(cp)) {
      if (!flush()) return;
      AppendUtf8(cp, &word);
      word_ascii = false;
      if (!flush()) return;
      continue;
    }
    AppendUtf8(cp, &word);
    word_ascii = false;
  }
  flush();
}

// ---------------------------------------------------------------------------
// Step 6.

void WordPieceTokenizer::WordPiece(std::string_view word, std::vector<int32_t>* ids) const {
  if (CountCodePoints(word) > static_cast<size_t>(options_.max_chars_per_word)) {
    ids->push_back(unk_id_);
    return;
  }
  const size_t mark = ids->size();
  const size_t n = word.size();
  size_t start = 0;
  while (start < n) {
    const Map& map = start == 0 ? starts_ : continuations_;
    // No entry is longer than the longest one: start the search there.
    size_t end = std::min(n, start + (start == 0 ? max_start_bytes_ : max_continuation_bytes_));
    while (end > start && end < n && IsUtf8Continuation(word[end])) --end;
    int32_t found = -1;
    while (end > start) {
      auto it = map.find(word.substr(start, end - start));
      if (it != map.end()) {
        found = it->second;
        break;
      }
      --end;
      while (end > start && IsUtf8Continuation(word[end])) --end;
    }
    if (found < 0) {
      ids->resize(mark);
      ids->push_back(unk_id_);
      return;
    }
    ids->push_back(found);
    start = end;
  }
}

// ---------------------------------------------------------------------------
// Entry points.

bool WordPieceTokenizer::Encode(std::string_view text, int max_length, std::vector<int32_t>* ids) const {
  const size_t budget = static_cast<size_t>(std::max(max_length, 2) - 2);
  ids->clear();
  ids->push_back(cls_id_);
  bool truncated = false;
  // Stops as soon as one piece past the budget exists: a long document costs
  // no more to tokenize than its first max_length pieces.
  auto on_word = [&](std::string_view word) {
    WordPiece(word, ids);
    if (ids->size() - 1 > budget) {
      truncated = true;
      return false;
    }
    return true;
  };
  Split(text, on_word);
  if (truncated) ids->resize(1 + budget);
  ids->push_back(sep_id_);
  return truncated;
}

std::vector<int32_t> WordPieceTokenizer::Tokenize(std::string_view text) const {
  std::vector<int32_t> ids;
  auto on_word = [&](std::string_view word) {
    WordPiece(word, &ids);
    return true;
  };
  Split(text, on_word);
  return ids;
}

std::vector<std::string> WordPieceTokenizer::BasicTokenize(std::string_view text) const {
  std::vector<std::string> words;
  Split(text, [&](std::string_view word) {
    words.emplace_back(word);
    return true;
  });
  return words;
}

}  // namespace smelter
