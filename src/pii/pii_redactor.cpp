#include "pii/pii_redactor.h"

#include <arpa/inet.h>
#include <hs/hs.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "pii/pii_patterns.h"
#include "pii/pii_validators.h"

namespace smelter {

using pii::Rule;

namespace {

constexpr std::string_view kTypeNames[kPiiTypeCount] = {
    "email", "phone", "ssn", "card", "iban", "ip", "credential", "dob", "name"};
// The type names in upper case, as tags and hash tokens write them.
constexpr std::string_view kTagNames[kPiiTypeCount] = {
    "EMAIL", "PHONE", "SSN", "CARD", "IBAN", "IP", "CREDENTIAL", "DOB", "NAME"};
constexpr std::string_view kPolicyNames[] = {"mask", "tag", "hash", "keep"};

// Higher wins an overlap: a secret inside a URL beats the "email" its
// "pass@host" looks like; an IBAN beats the card/phone its digits resemble.
int Priority(Rule rule) {
  switch (rule) {
    case Rule::kPrivateKey: return 100;
    case Rule::kUrlPassword: return 95;
    case Rule::kAwsKeyId:
    case Rule::kAwsSecret:
    case Rule::kBearer: return 90;
    case Rule::kPasswordField: return 85;
    case Rule::kEmail: return 80;
    case Rule::kIban: return 75;
    case Rule::kCard: return 70;
    case Rule::kSsn: return 65;
    case Rule::kDob: return 60;
    case Rule::kIpv6: return 55;
    case Rule::kIpv4: return 50;
    case Rule::kPhone: return 45;
    default: return 20;  // names
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsBase64(char c) { return IsAlnum(c) || c == '/' || c == '+' || c == '='; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

char At(std::string_view s, size_t i) { return i < s.size() ? s[i] : '\0'; }
char Before(std::string_view s, size_t i) { return i > 0 && i <= s.size() ? s[i - 1] : '\0'; }

// Whether one of `words` (lower case) occurs, starting at a word boundary,
// in the `window` bytes before `pos` on the same line.
bool ContextBefore(std::string_view text, size_t pos, size_t window,
                   std::initializer_list<std::string_view> words) {
  size_t from = pos > window ? pos - window : 0;
  // Context stays on the value's own line: a label belongs to its field.
  if (const size_t nl = text.substr(from, pos - from).rfind('\n'); nl != std::string_view::npos) from += nl + 1;
  std::string lower(text.substr(from, pos - from));
  for (char& c : lower) c = Lower(c);
  for (std::string_view w : words) {
    for (size_t at = lower.find(w); at != std::string::npos; at = lower.find(w, at + 1)) {
      if (at == 0 ? from == 0 || !IsAlnum(text[from - 1]) : !IsAlnum(lower[at - 1])) return true;
    }
  }
  return false;
}

// A capitalized word that ends a name early ("Dr. Smith Street").
bool IsStopWord(std::string_view w) {
  static constexpr std::string_view kStop[] = {
      "The", "And", "Of", "In", "On", "At", "To", "For", "From", "With", "Is", "Was", "This",
      "That", "Street", "Road", "Avenue", "Inc", "Ltd", "Corp", "Company", "University",
      "Hospital", "Office", "Department", "Team", "Thank", "Thanks", "Cc", "Bcc", "Re", "Fwd",
      "Sent", "Reply", "Date", "Subject", "All", "Everyone", "There", "Team", "Sir", "Madam",
      "Customer", "Hello", "Dear", "Regards", "Best", "Sincerely", "Yes", "No", "Please"};
  return std::find(std::begin(kStop), std::end(kStop), w) != std::end(kStop);
}

struct Word {
  size_t begin, end;
};

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }

// Name words from `pos` on, separated by spaces or tabs: "Ann", "O'Neil",
// "McDonald", "Smith-Jones", and initials "J.". Stops at anything else.
std::vector<Word> ScanNameWords(std::string_view text, size_t pos, size_t max_words) {
  std::vector<Word> words;
  while (words.size() < max_words && IsUpper(At(text, pos))) {
    const size_t begin = pos++;
    if (At(text, pos) == '.' && !IsAlnum(At(text, pos + 1))) {
      words.push_back({begin, pos + 1});  // an initial
      pos += 1;
    } else {
      if (At(text, pos) == '\'' && IsUpper(At(text, pos + 1))) pos += 2;
      if (!IsLowerAscii(At(text, pos))) break;
      while (IsLowerAscii(At(text, pos))) ++pos;
      if (IsUpper(At(text, pos)) && IsLowerAscii(At(text, pos + 1))) {
        ++pos;
        while (IsLowerAscii(At(text, pos))) ++pos;
      }
      if (At(text, pos) == '-' && IsUpper(At(text, pos + 1)) && IsLowerAscii(At(text, pos + 2))) {
        pos += 2;
        while (IsLowerAscii(At(text, pos))) ++pos;
      }
      if (IsAlnum(At(text, pos)) || static_cast<unsigned char>(At(text, pos)) >= 0x80) break;  // "Ann3", "Zoë"
      words.push_back({begin, pos});
    }
    size_t next = pos;
    while (At(text, next) == ' ' || At(text, next) == '\t') ++next;
    if (next == pos) break;
    pos = next;
  }
  return words;
}

std::string_view WordText(std::string_view text, const Word& w) {
  return text.substr(w.begin, w.end - w.begin);
}

struct Span {
  size_t begin, end;
};

// Trims stop words off both ends of a name; nullopt when fewer than
// `min_words` remain.
std::optional<Span> NameSpan(std::string_view text, std::vector<Word> words, size_t min_words,
                             bool first_must_be_given) {
  while (!words.empty() && IsStopWord(WordText(text, words.front()))) words.erase(words.begin());
  // A stop word ends the name: everything from it on is dropped.
  for (size_t k = 0; k < words.size(); ++k) {
    if (IsStopWord(WordText(text, words[k]))) {
      words.resize(k);
      break;
    }
  }
  while (!words.empty() && WordText(text, words.back()).size() == 2 &&
         WordText(text, words.back())[1] == '.') {
    words.pop_back();  // a trailing initial belongs to the next sentence
  }
  if (words.size() < min_words || words.empty()) return std::nullopt;
  if (first_must_be_given && !pii::IsCommonGivenName(WordText(text, words.front()))) return std::nullopt;
  return Span{words.front().begin, words.back().end};
}

// The display name before "<" at `lt` ("From: Ann Lee <ann@x.org>"): the
// run of name words that ends right before it, two or three of them.
std::optional<Span> DisplayName(std::string_view text, size_t lt) {
  size_t end = lt;
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  size_t from = end;
  while (from > 0 && end - from < 80 &&
         (IsAlpha(text[from - 1]) || std::strchr(" \t.'-", text[from - 1]))) {
    --from;
  }
  for (size_t p = from; p < end; ++p) {
    if (!IsUpper(text[p]) || (p > from && text[p - 1] != ' ' && text[p - 1] != '\t')) continue;
    std::vector<Word> words = ScanNameWords(text, p, 4);
    if (words.empty() || words.back().end != end) continue;
    if (words.size() > 3) words.erase(words.begin(), words.end() - 3);
    if (words.size() == 3 && !pii::IsCommonGivenName(WordText(text, words[0])) &&
        pii::IsCommonGivenName(WordText(text, words[1]))) {
      words.erase(words.begin());
    }
    return NameSpan(text, std::move(words), 2, false);
  }
  return std::nullopt;
}

// A date of birth after a birth word ending at `to`: the first date that
// starts within 48 bytes on the same line ("DOB: 1990-03-14", "born on
// March 3, 1990"), unless it is a cut-off ("born before January 2, 1946").
std::optional<Span> BirthDate(std::string_view text, size_t to) {
  const size_t limit = std::min({text.size(), to + 48, text.find('\n', to)});
  for (size_t p = to; p < limit; ++p) {
    if (!(IsDigit(text[p]) || IsUpper(text[p])) || IsAlnum(Before(text, p))) continue;
    // The date-shaped run from p: digits, month names, separators.
    size_t e = p;
    while (e < text.size() && e - p < 24 && (IsAlnum(text[e]) || std::strchr(" ,./-", text[e]))) ++e;
    for (size_t end = e; end > p; --end) {
      if (!IsDigit(text[end - 1]) || IsDigit(At(text, end))) continue;
      std::string_view v = text.substr(p, end - p);
      if (IsDigit(v[0]) && v.find_first_of("/.-") == std::string_view::npos && v.find_first_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos) {
        continue;  // "12 13 14": numbers, not a date
      }
      if (!pii::DatePlausible(v)) continue;
      if (ContextBefore(text, p, 14, {"before", "after", "between", "prior to", "since", "until"})) {
        return std::nullopt;
      }
      return Span{p, end};
    }
    if (IsDigit(text[p])) {
      while (p + 1 < limit && IsAlnum(text[p + 1])) ++p;  // skip the rest of this number
    }
  }
  return std::nullopt;
}

bool IsLocalChar(char c) { return IsAlnum(c) || std::strchr("._%+-", c) != nullptr; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Offsets inside one candidate (group ends, inner starts). The candidates
// that have them -- numbers, IBANs, IPv6 addresses -- span fewer than 64
// bytes, so a fixed array holds them all, and the hot path (a number every
// few sentences) allocates nothing.
class Offsets {
 public:
  Offsets() = default;
  Offsets(std::initializer_list<size_t> values) {
    for (size_t v : values) push_back(v);
  }
  void push_back(size_t v) {
    if (size_ < kCapacity) at_[size_++] = v;
  }
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  size_t* begin() { return at_.data(); }
  size_t* end() { return at_.data() + size_; }
  const size_t* begin() const { return at_.data(); }
  const size_t* end() const { return at_.data() + size_; }
  operator std::span<const size_t>() const { return {at_.data(), size_}; }

 private:
  static constexpr size_t kCapacity = 64;
  std::array<size_t, kCapacity> at_;
  size_t size_ = 0;
};

// Positions in [from, to) where a new digit group starts after `seps`:
// inner starting points for a number whose leftmost start failed.
Offsets GroupStarts(std::string_view text, size_t from, size_t to, std::string_view seps) {
  Offsets starts = {from};
  for (size_t i = from + 1; i < to; ++i) {
    if ((IsDigit(text[i]) || text[i] == '(' || text[i] == '+') && seps.find(text[i - 1]) != std::string_view::npos &&
        !IsDigit(text[i - 1]) && (i < 2 || text[i - 2] != '(')) {
      starts.push_back(i);
    }
  }
  return starts;
}

// The ends of the digit groups of the number text[b, e), longest first:
// where a candidate read from it may end.
Offsets NumberEnds(std::string_view text, size_t b, size_t e) {
  Offsets ends;
  for (size_t p = e; p > b; --p) {
    if (IsDigit(text[p - 1]) && (p == e || !IsDigit(text[p]))) ends.push_back(p);
  }
  return ends;
}

// A number that continues past the span: "1.2.3.4" inside "1.2.3.4.5".
bool ContinuesNumber(std::string_view text, size_t begin, size_t end) {
  const char prev = Before(text, begin), next = At(text, end);
  if ((prev == '.' || prev == '-' || prev == '/') && IsDigit(Before(text, begin - 1))) return true;
  if ((next == '.' || next == '-' || next == '/') && IsDigit(At(text, end + 1))) return true;
  return false;
}

size_t CountDigits(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), IsDigit));
}

// Three digit groups shaped like a date ("2020-08-24", "24.08.2020").
bool LooksLikeDate(std::string_view s) {
  size_t lengths[3];
  size_t groups = 0, run = 0;
  char sep = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      ++run;
      continue;
    }
    if ((sep && c != sep) || groups == 2) return false;
    sep = c;
    lengths[groups++] = run;
    run = 0;
  }
  if (groups != 2 || sep == ' ') return false;
  lengths[2] = run;
  return (lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2) ||
         (lengths[0] <= 2 && lengths[1] <= 2 && (lengths[2] == 4 || lengths[2] == 2));
}

// A dot-separated run with a one-digit group: version strings and section
// numbers, never how phone numbers are written.
bool DottedSingleDigit(std::string_view s) {
  if (s.find('.') == std::string_view::npos) return false;
  size_t run = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && IsDigit(s[i])) {
      ++run;
      continue;
    }
    if (run == 1 && (i == s.size() || s[i] == '.') && (i < 2 || s[i - 2] != '+')) return true;
    run = 0;
  }
  return false;
}

bool NanpRegion(const std::string& region) { return region == "US" || region == "CA"; }

// libphonenumber takes several microseconds a number (ICU regular
// expressions), so numbers that cannot be valid in the North American plan
// are rejected first, by the same rules IsValidNumber applies: with a NANP
// default region and no international prefix, 10 digits (11 with a leading
// 1), and area code and exchange starting with 2-9. Other forms go to
// libphonenumber as they are.
bool NanpShapeOk(std::string_view v, const std::string& region) {
  if (!NanpRegion(region)) return true;
  if (v.empty() || v[0] == '+' || (v.size() > 1 && v[0] == '0' && v[1] == '0')) return true;
  std::string d = pii::DigitsOf(v);
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  return d.size() == 10 && d[0] >= '2' && d[3] >= '2';
}

// The high bit of every byte of `x` that is an ASCII digit: the "has a byte
// between m and n" bit trick (exclusive bounds '0'-1 and '9'+1), computed
// in each byte without carries between them, exact for bytes >= 0x80.
inline uint64_t DigitBytes(uint64_t x) {
  constexpr uint64_t kOnes = ~uint64_t{0} / 255;
  constexpr uint64_t m = '0' - 1, n = '9' + 1;
  return (kOnes * (127 + n) - (x & kOnes * 127)) & ~x & ((x & kOnes * 127) + kOnes * (127 - m)) & kOnes * 128;
}

// The offset of the first ASCII digit in text[from, text.size()), or
// text.size(): 8 bytes at a time, as most of prose has none.
size_t NextDigit(std::string_view text, size_t from) {
  const size_t n = text.size();
  for (; from + 8 <= n; from += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + from, 8);
    if (const uint64_t digits = DigitBytes(word)) {
      // The first byte in memory is the low one on a little-endian machine.
      return from + static_cast<size_t>(std::endian::native == std::endian::little ? std::countr_zero(digits)
                                                                                  : std::countl_zero(digits)) / 8;
    }
  }
  while (from < n && !IsDigit(text[from])) ++from;
  return from;
}

// A span found by a rule. Rule kNumber (type kPhone) marks a number that
// is still to be tried as a phone: Resolve() asks libphonenumber only about
// those that could still be reported.
struct Candidate {
  Rule rule;
  PiiType type;
  size_t begin, end;
};

// Hyperscan scratch space, one per concurrent scan; clones of a prototype.
class ScratchPool {
 public:
  explicit ScratchPool(hs_scratch_t* prototype) : prototype_(prototype) {}
  ~ScratchPool() {
    for (hs_scratch_t* s : free_) hs_free_scratch(s);
    hs_free_scratch(prototype_);
  }
  hs_scratch_t* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        hs_scratch_t* s = free_.back();
        free_.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype_, &s) != HS_SUCCESS) return nullptr;
    return s;
  }
  void Release(hs_scratch_t* s) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(s);
  }

 private:
  hs_scratch_t* prototype_;
  std::mutex mu_;
  std::vector<hs_scratch_t*> free_;  // GUARDED_BY(mu_)
};

struct RawMatch {
  unsigned id;
  size_t from, to;
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/,
            void* context) {
  auto* out = static_cast<std::vector<RawMatch>*>(context);
  out->push_back({id, static_cast<size_t>(from), static_cast<size_t>(to)});
  return 0;
}

std::string HexPrefix(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

void AppendMasked(std::string_view value, std::string* out) {
  for (size_t i = 0; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) out->push_back('*');  // one star per code point
    } else if (IsAlnum(static_cast<char>(c))) {
      out->push_back('*');
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

}  // namespace

std::string_view PiiTypeName(PiiType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<PiiType> ParsePiiType(std::string_view name) {
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    if (kTypeNames[i] == name) return static_cast<PiiType>(i);
  }
  return std::nullopt;
}

std::string_view PiiPolicyName(PiiPolicy policy) { return kPolicyNames[static_cast<size_t>(policy)]; }

std::optional<PiiPolicy> ParsePiiPolicy(std::string_view name) {
  for (size_t i = 0; i < std::size(kPolicyNames); ++i) {
    if (kPolicyNames[i] == name) return static_cast<PiiPolicy>(i);
  }
  return std::nullopt;
}

namespace {

using Database = std::shared_ptr<hs_database_t>;

// Compiling the database takes a moment; a database depends only on
// the set of enabled types, so one compiled database per set is shared by
// every redactor of the process (Hyperscan databases are immutable and
// thread-safe; only scratch space is per scan).
Result<Database> CompiledDatabase(const PiiOptions& options) {
  static std::mutex mu;
  static std::map<unsigned, Database> cache;  // GUARDED_BY(mu)
  unsigned key = 0;
  for (size_t t = 0; t < kPiiTypeCount; ++t) key |= options.enabled[t] ? 1u << t : 0u;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  std::vector<std::string> storage;
  storage.reserve(pii::kAnchorCount);
  for (size_t i = 0; i < pii::kAnchorCount; ++i) {
    const pii::AnchorSpec& anchor = pii::kAnchors[i];
    if (std::none_of(anchor.types.begin(), anchor.types.end(), [&](PiiType t) { return options.Enabled(t); })) {
      continue;
    }
    storage.emplace_back(anchor.regex);
    expressions.push_back(storage.back().c_str());
    flags.push_back(0);  // only the end offset is needed: scanners read around it
    ids.push_back(static_cast<unsigned>(i));
  }
  Database db;
  if (!expressions.empty()) {
    hs_database_t* raw = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                         HS_MODE_BLOCK, nullptr, &raw, &error) != HS_SUCCESS) {
      std::string message = error && error->message ? error->message : "unknown error";
      const int expression = error ? error->expression : -1;
      hs_free_compile_error(error);
      return Status::Internal("pii: pattern " + std::to_string(expression) + " does not compile: " + message);
    }
    db = Database(raw, hs_free_database);
  }
  cache.emplace(key, db);
  return db;
}

}  // namespace

struct PiiRedactor::Impl {
  PiiOptions options;
  Database database;
  hs_database_t* db = nullptr;  // database.get()
  std::unique_ptr<ScratchPool> scratch;

  std::vector<RawMatch> Scan(std::string_view text) const;
  // Confirms a candidate starting at `from` and ending at one of `ends`
  // (longest first; candidates with inner starting points try those too):
  // the span to report, which may be narrower, or nullopt.
  std::optional<Span> Validate(Rule rule, std::string_view text, size_t from,
                               std::span<const size_t> ends) const;
  std::vector<Candidate> Detect(std::string_view text) const;
  // The findings to report among `found` (from Detect, plus known names),
  // sorted by begin, never overlapping; tries the numbers as phones.
  std::vector<Candidate> Resolve(std::string_view text, std::vector<Candidate> found) const;
  // Reads the candidate around one anchor match ending at `to`.
  void OnAnchor(Rule rule, std::string_view text, size_t to, size_t* number_end,
                std::vector<Candidate>* found) const;
  std::string Normalize(PiiType type, std::string_view value) const;
  void Replace(PiiType type, std::string_view value, std::string* out) const;
  RedactionResult Apply(std::string_view text, std::vector<Candidate> found) const;
};

std::vector<RawMatch> PiiRedactor::Impl::Scan(std::string_view text) const {
  std::vector<RawMatch> matches;
  if (!db) return matches;  // only digit-anchored types enabled
  hs_scratch_t* s = scratch->Acquire();
  if (!s) return matches;
  // hs_scan takes a 32-bit length: very long texts go in overlapping
  // windows (the overlap covers any single candidate).
  constexpr size_t kWindow = size_t{1} << 30, kOverlap = size_t{1} << 16;
  for (size_t offset = 0; offset < text.size() || offset == 0; offset += kWindow - kOverlap) {
    const size_t len = std::min(kWindow, text.size() - offset);
    std::vector<RawMatch> part;
    hs_scan(db, text.data() + offset, static_cast<unsigned>(len), 0, s, OnMatch, &part);
    for (RawMatch& m : part) matches.push_back({m.id, m.from + offset, m.to + offset});
    if (offset + len >= text.size()) break;
  }
  scratch->Release(s);
  return matches;
}

std::optional<Span> PiiRedactor::Impl::Validate(Rule rule, std::string_view text, size_t from,
                                                std::span<const size_t> ends) const {
  const size_t longest = ends.front();
  switch (rule) {
    case Rule::kEmail: {
      size_t b = from;
      while (b < longest && (text[b] == '.' || text[b] == '-' || text[b] == '+' || text[b] == '%')) ++b;
      const char prev = Before(text, b);
      if (IsAlnum(prev) || prev == '@') return std::nullopt;
      for (size_t e : ends) {
        if (IsAlnum(At(text, e)) || At(text, e) == '@') continue;
        std::string_view v = text.substr(b, e - b);
        const size_t at = v.find('@');
        std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
        if (local.empty() || local.size() > 64 || local.back() == '.' ||
            local.find("..") != std::string_view::npos || domain.find("..") != std::string_view::npos ||
            domain.front() == '-' || domain.find("-.") != std::string_view::npos ||
            domain.find(".-") != std::string_view::npos) {
          continue;
        }
        return Span{b, e};
      }
      return std::nullopt;
    }
    case Rule::kPhone: {
      int tries = 0;
      for (size_t s : GroupStarts(text, from, longest, " \t")) {
        const char prev = Before(text, s);
        if (s == from && (IsAlnum(prev) || prev == '.' || prev == '-' || prev == '/' || prev == '_' ||
                          prev == '@' || prev == '#' || prev == '$' || prev == ',')) {
          if (prev != ',' || IsDigit(Before(text, s - 1))) continue;
        }
        for (size_t e : ends) {
          if (e <= s) break;
          const char next = At(text, e);
          if (IsDigit(next) || (IsAlpha(next) && next != 'x') || ContinuesNumber(text, s, e)) continue;
          std::string_view v = text.substr(s, e - s);
          const size_t digits = CountDigits(v);
          if (digits < 7 || digits > 15 || LooksLikeDate(v)) continue;
          if (std::count(v.begin(), v.end(), '(') != std::count(v.begin(), v.end(), ')')) continue;
          if (DottedSingleDigit(v)) continue;  // "3.10.7.1.22" is a version, not a number to dial
          if (!NanpShapeOk(v, options.default_region)) continue;
          if (++tries > 8) return std::nullopt;
          // "001-808-..." / "0044 20 ...": the "00" international prefix,
          // which libphonenumber only reads as such in regions that use it.
          // North America dials out with 011 and its national numbers start
          // with 2-9, so there a "00" number is only valid read with "+".
          const bool double_zero = v.size() > 1 && v[0] == '0' && v[1] == '0';
          const bool idd = double_zero && v.size() > 3 && v[2] != '0';
          const bool as_written = !(double_zero && NanpRegion(options.default_region));
          if (!(as_written && pii::PhoneValid(v, options.default_region, nullptr)) &&
              !(idd && pii::PhoneValid("+" + std::string(v.substr(2)), options.default_region, nullptr))) {
            continue;
          }
          size_t end = e;
          if (next == 'x' && IsDigit(At(text, e + 1))) {  // extension: "x718"
            end = e + 1;
            while (IsDigit(At(text, end))) ++end;
          }
          return Span{s, end};
        }
      }
      return std::nullopt;
    }
    case Rule::kSsn: {
      for (size_t e : ends) {
        if (ContinuesNumber(text, from, e)) continue;
        std::string_view v = text.substr(from, e - from);
        std::string digits = pii::DigitsOf(v);
        if (!pii::SsnValid(digits)) continue;
        const bool dashed = v.size() == 11 && v[3] == '-' && v[6] == '-';
        const bool spaced = v.size() == 11 && v[3] == ' ' && v[6] == ' ';
        if (!dashed && !spaced && v.size() != 9) continue;  // mixed separators
        if (!dashed && !ContextBefore(text, from, 48, {"ssn", "social security", "ss#", "ss #",
                                                         "soc. sec", "soc sec", "taxpayer"})) {
          continue;
        }
        return Span{from, e};
      }
      return std::nullopt;
    }
    case Rule::kCard: {
      for (size_t s : GroupStarts(text, from, longest, " -")) {
        if (s == from && ContinuesNumber(text, s, s)) continue;
        for (size_t e : ends) {
          if (e <= s) break;
          if (ContinuesNumber(text, s, e)) continue;
          std::string_view v = text.substr(s, e - s);
          // One separator kind, groups of 4 (Amex/Diners: 4-6-5, 4-6-4).
          char sep = 0;
          bool mixed = false, fours = true;
          size_t groups = 1, run = 0, first = 0, second = 0;  // first, second: the first two group lengths
          for (char c : v) {
            if (IsDigit(c)) {
              ++run;
              continue;
            }
            if (sep && c != sep) mixed = true;
            sep = c;
            if (groups == 1) first = run;
            if (groups == 2) second = run;
            fours = fours && run == 4;  // every group but the last
            ++groups;
            run = 0;
          }
          if (mixed) continue;
          if (groups > 1 && !fours && !(groups == 3 && first == 4 && second == 6)) continue;
          if (pii::CardNumberValid(pii::DigitsOf(v))) return Span{s, e};
        }
      }
      return std::nullopt;
    }
    case Rule::kIban: {
      for (size_t e : ends) {
        std::string compact;
        for (size_t i = from; i < e; ++i) {
          if (text[i] != ' ') compact.push_back(text[i]);
        }
        if (pii::IbanValid(compact)) return Span{from, e};
      }
      return std::nullopt;
    }
    case Rule::kIpv4: {
      for (size_t e : ends) {
        if (ContinuesNumber(text, from, e)) continue;
        if (!pii::Ipv4Valid(text.substr(from, e - from))) continue;
        const char prev = Before(text, from);
        if (prev == 'v' || prev == 'V') continue;
        if (ContextBefore(text, from, 12, {"version", "ver.", "ver ", "release", "build"})) continue;
        return Span{from, e};
      }
      return std::nullopt;
    }
    case Rule::kIpv6: {
      size_t b = from;
      const char prev = Before(text, b);
      if (IsAlnum(prev) || prev == ':' || prev == '.' || prev == '_') return std::nullopt;
      for (size_t e : ends) {
        const char next = At(text, e);
        if (IsAlnum(next) || next == ':' || next == '_') continue;
        std::string_view v = text.substr(b, e - b);
        if (CountDigits(v) == 0 || std::count(v.begin(), v.end(), ':') < 2) continue;
        if (pii::Ipv6Valid(v)) return Span{b, e};
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

void PiiRedactor::Impl::OnAnchor(Rule rule, std::string_view text, size_t to, size_t* number_end,
                                 std::vector<Candidate>* found) const {
  auto add = [&](Rule r, PiiType type, std::optional<Span> span) {
    if (span && span->end > span->begin && options.Enabled(type)) found->push_back({r, type, span->begin, span->end});
  };
  switch (rule) {
    case Rule::kEmail: {
      const size_t at = to - 1;
      size_t b = at;
      while (b > 0 && at - b < 64 && IsLocalChar(text[b - 1])) --b;
      size_t e = to;
      while (e < text.size() && e - to < 255 && (IsAlnum(text[e]) || text[e] == '.' || text[e] == '-')) ++e;
      while (e > to && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
      // The last label is the top-level domain: 2-24 letters.
      const size_t dot = text.substr(to, e - to).rfind('.');
      if (b == at || dot == std::string_view::npos) return;
      const size_t tld = to + dot + 1;
      if (e - tld < 2 || e - tld > 24 || !std::all_of(text.begin() + tld, text.begin() + e, IsAlpha)) return;
      const std::optional<Span> email = Validate(Rule::kEmail, text, b, Offsets{e});
      add(Rule::kEmail, PiiType::kEmail, email);
      if (email && Before(text, email->begin) == '<') add(Rule::kNameDisplay, PiiType::kName, DisplayName(text, email->begin - 1));
      return;
    }
    case Rule::kNumber: {
      const size_t d = to - 1;
      if (d < *number_end) return;  // inside the previous number
      size_t b = d, open = 0;
      if (Before(text, b) == '(') --b, ++open;
      if (Before(text, b) == '+') --b;
      size_t e = d, digits = 0;
      while (e < text.size() && e - b < 64) {
        const char c = text[e], next = At(text, e + 1);
        if (IsDigit(c)) {
          ++digits;
        } else if ((c == '.' || c == '-' || c == '/') && IsDigit(next)) {
        } else if (c == ' ' && (IsDigit(next) || next == '(')) {
        } else if (c == '(' && IsDigit(next)) {
          ++open;
        } else if (c == ')' && open > 0) {
          --open;
        } else {
          break;
        }
        ++e;
      }
      *number_end = e;
      if (digits < 4) return;
      const Offsets ends = NumberEnds(text, b, e);
      Offsets starts = {b};
      for (size_t p = b + 1; p < e; ++p) {
        if ((text[p - 1] == ' ') && (IsDigit(text[p]) || text[p] == '(' || text[p] == '+')) starts.push_back(p);
      }
      if (digits >= 13) add(Rule::kCard, PiiType::kCard, Validate(Rule::kCard, text, b, ends));
      if (digits >= 7) add(Rule::kNumber, PiiType::kPhone, Span{b, e});
      Offsets later;
      for (size_t s : starts) {
        later.clear();
        for (size_t x : ends) {
          if (x > s) later.push_back(x);
        }
        if (later.empty()) continue;
        if (digits >= 9) add(Rule::kSsn, PiiType::kSsn, Validate(Rule::kSsn, text, s, later));
        add(Rule::kIpv4, PiiType::kIp, Validate(Rule::kIpv4, text, s, later));
      }
      return;
    }
    case Rule::kIban: {
      const size_t b = to - 4;
      Offsets ends;
      size_t e = to, chars = 4;
      while (e < text.size() && chars < 34) {
        const char c = text[e];
        if (IsDigit(c) || (c >= 'A' && c <= 'Z')) {
          ++chars, ++e;
        } else if (c == ' ' && (IsDigit(At(text, e + 1)) || (At(text, e + 1) >= 'A' && At(text, e + 1) <= 'Z'))) {
          ends.push_back(e);
          ++e;
        } else {
          break;
        }
      }
      if (!IsAlnum(At(text, e))) ends.push_back(e);
      if (ends.empty()) return;
      std::reverse(ends.begin(), ends.end());
      add(Rule::kIban, PiiType::kIban, Validate(Rule::kIban, text, b, ends));
      return;
    }
    case Rule::kIpv6: {
      const size_t center = to - 1;
      if (center < *number_end) return;  // same address as the previous anchor
      size_t b = center, e = center;
      while (b > 0 && center - b < 45 && (IsHex(text[b - 1]) || text[b - 1] == ':')) --b;
      while (e < text.size() && e - b < 64 && (IsHex(text[e]) || text[e] == ':' || text[e] == '.')) ++e;
      *number_end = e;
      Offsets ends = {e};
      while (e > center && (text[e - 1] == '.' || text[e - 1] == ':')) ends.push_back(--e);
      add(Rule::kIpv6, PiiType::kIp, Validate(Rule::kIpv6, text, b, ends));
      return;
    }
    case Rule::kAwsKeyId: {
      const size_t b = to - 4, e = to + 16;
      if (e > text.size() || IsAlnum(Before(text, b)) || IsAlnum(At(text, e))) return;
      for (size_t i = to; i < e; ++i) {
        if (!IsUpper(text[i]) && !IsDigit(text[i])) return;
      }
      add(rule, PiiType::kCredential, Span{b, e});
      return;
    }
    case Rule::kAwsSecret: {
      // secret[_access_key] ["']? [:=] ["']? <40 base64 characters>
      size_t p = to;
      while (p < text.size() && p - to < 24 && (IsAlpha(text[p]) || text[p] == '_' || text[p] == '-' || text[p] == ' ')) ++p;
      if (At(text, p) == '"' || At(text, p) == '\'') ++p;
      while (At(text, p) == ' ' || At(text, p) == '\t') ++p;
      if (At(text, p) != ':' && At(text, p) != '=') return;
      ++p;
      while (At(text, p) == ' ' || At(text, p) == '\t') ++p;
      if (At(text, p) == '"' || At(text, p) == '\'') ++p;
      size_t e = p;
      while (e < text.size() && e - p <= 40 && IsBase64(text[e])) ++e;
      if (e - p != 40) return;
      std::string_view key = text.substr(p, 40);
      const bool lower = std::any_of(key.begin(), key.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      const bool upper = std::any_of(key.begin(), key.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      const bool digit = std::any_of(key.begin(), key.end(), IsDigit);
      if (lower + upper + digit >= 2) add(rule, PiiType::kCredential, Span{p, e});
      return;
    }
    case Rule::kPrivateKey: {
      const size_t b = to - 11;
      const size_t line_end = std::min(text.find('\n', to), text.size());
      const size_t label = text.substr(to, line_end - to).find("PRIVATE KEY-----");
      if (label == std::string_view::npos || label > 40) return;
      const size_t end_marker = text.find("-----END ", to + label);
      size_t e = text.size();  // unterminated: everything after BEGIN is key material
      if (end_marker != std::string_view::npos) {
        const size_t tail = text.find("PRIVATE KEY-----", end_marker);
        if (tail != std::string_view::npos) e = tail + 16;
      }
      add(rule, PiiType::kCredential, Span{b, e});
      return;
    }
    case Rule::kBearer: {
      if (IsAlnum(Before(text, to - 7))) return;
      size_t tb = to;
      while (At(text, tb) == ' ' || At(text, tb) == '\t') ++tb;
      size_t e = tb;
      while (e < text.size() && e - tb < 4096 && (IsAlnum(text[e]) || std::strchr("-._~+/", text[e]))) ++e;
      while (At(text, e) == '=') ++e;
      std::string_view token = text.substr(tb, e - tb);
      const bool has_digit = CountDigits(token) > 0;
      const bool has_alpha = std::any_of(token.begin(), token.end(), IsAlpha);
      if (token.size() >= 16 || (token.size() >= 8 && has_digit && has_alpha)) add(rule, PiiType::kCredential, Span{tb, e});
      return;
    }
    case Rule::kUrlPassword: {
      const size_t scheme_end = to - 3;
      size_t sb = scheme_end;
      while (sb > 0 && scheme_end - sb < 16 && (IsAlnum(text[sb - 1]) || std::strchr("+.-", text[sb - 1]))) --sb;
      if (sb == scheme_end || !IsAlpha(text[sb])) return;
      size_t e = to, colon = std::string_view::npos;
      while (e < text.size() && e - to < 256 && !std::isspace(static_cast<unsigned char>(text[e])) &&
             !std::strchr("/@?#", text[e])) {
        if (text[e] == ':' && colon == std::string_view::npos) colon = e;
        ++e;
      }
      if (At(text, e) != '@' || colon == std::string_view::npos || colon == to || colon + 1 >= e) return;
      add(rule, PiiType::kCredential, Span{colon + 1, e});
      return;
    }
    case Rule::kPasswordField: {
      // The keyword must be a whole word: "password:", not "mypassword:".
      size_t k = to - 1;  // the ':' or '='
      while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
      size_t ks = k;
      while (ks > 0 && IsAlpha(text[ks - 1])) --ks;
      std::string word(text.substr(ks, k - ks));
      for (char& c : word) c = Lower(c);
      if (word != "password" && word != "passwd" && word != "pwd" && word != "passphrase") return;
      if (IsAlnum(Before(text, ks)) || Before(text, ks) == '_') return;
      size_t vb = to;
      while (At(text, vb) == ' ' || At(text, vb) == '\t') ++vb;
      size_t ve = vb;
      while (ve < text.size() && ve - vb < 128 && !std::isspace(static_cast<unsigned char>(text[ve])) &&
             text[ve] != '"' && text[ve] != '\'') {
        ++ve;
      }
      while (ve > vb && std::strchr(".,;:)]}", text[ve - 1])) --ve;
      std::string_view value = text.substr(vb, ve - vb);
      if (value.size() < 4 || value.front() == '[' || value.find_first_not_of('*') == std::string_view::npos) return;
      if (std::all_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        return;  // "password: required" is prose, not a secret
      }
      add(rule, PiiType::kCredential, Span{vb, ve});
      return;
    }
    case Rule::kDob: {
      // Whole words only: not "Adobe", "newborn", "Dobson".
      size_t start = to;
      while (start > 0 && (IsAlpha(text[start - 1]) || text[start - 1] == '.') && to - start < 5) --start;
      std::string word(text.substr(start, to - start));
      for (char& c : word) c = Lower(c);
      const size_t cut = word.size() >= 5 && (word.ends_with("birth") || word.ends_with("d.o.b")) ? 5
                         : word.ends_with("born")                                               ? 4
                                                                                                : 3;
      if (IsAlpha(Before(text, to - cut)) || (cut == 3 && IsAlpha(At(text, to)))) return;
      add(rule, PiiType::kDob, BirthDate(text, to));
      return;
    }
    case Rule::kNameTitle:
      add(rule, PiiType::kName, NameSpan(text, ScanNameWords(text, to - 1, 4), 1, false));
      return;
    case Rule::kNameSalutation:
      add(rule, PiiType::kName, NameSpan(text, ScanNameWords(text, to - 1, 2), 1, true));
      return;
    case Rule::kNameField: {
      // "name", possibly qualified: "Full name", "Patient name" need no list.
      size_t k = to - 1;
      while (k > 0 && text[k - 1] != ':') --k;
      if (k == 0) return;
      --k;
      while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
      if (k < 4) return;
      const size_t ks = k - 4;
      if (IsAlnum(Before(text, ks)) || Before(text, ks) == '_') return;
      bool qualified = false;
      if (Before(text, ks) == ' ') {
        size_t ws = ks - 1;
        while (ws > 0 && IsAlpha(text[ws - 1])) --ws;
        std::string prev(text.substr(ws, ks - 1 - ws));
        for (char& c : prev) c = Lower(c);
        static constexpr std::string_view kQualifiers[] = {"full", "first", "last", "patient", "employee", "customer",
                                                           "contact", "applicant", "your", "client"};
        qualified = std::find(std::begin(kQualifiers), std::end(kQualifiers), prev) != std::end(kQualifiers);
      }
      add(rule, PiiType::kName, NameSpan(text, ScanNameWords(text, to - 1, 3), 1, !qualified));
      return;
    }
    case Rule::kNameSignature:
    case Rule::kNameSigDelimiter: {
      size_t p = to;
      if (rule == Rule::kNameSignature) {
        size_t q = p;  // one blank line, then a "-- " line, may come between
        while (At(text, q) == ' ' || At(text, q) == '\t') ++q;
        if (At(text, q) == '\r') ++q;
        if (At(text, q) == '\n') p = q + 1;
        if (At(text, p) == '-' && At(text, p + 1) == '-') {
          q = p + 2;
          if (At(text, q) == ' ') ++q;
          if (At(text, q) == '\r') ++q;
          if (At(text, q) == '\n') p = q + 1;
        }
      }
      while (At(text, p) == ' ' || At(text, p) == '\t') ++p;
      std::vector<Word> words = ScanNameWords(text, p, 3);
      // The name is the whole line.
      if (words.empty()) return;
      size_t line_end = words.back().end;
      while (At(text, line_end) == ' ' || At(text, line_end) == '\t' || At(text, line_end) == '\r') ++line_end;
      if (line_end < text.size() && text[line_end] != '\n') return;
      add(rule, PiiType::kName,
          NameSpan(text, std::move(words), rule == Rule::kNameSigDelimiter ? 2 : 1, rule == Rule::kNameSignature));
      return;
    }
    default:
      return;
  }
}

std::vector<Candidate> PiiRedactor::Impl::Detect(std::string_view text) const {
  std::vector<RawMatch> raw = Scan(text);
  // Per rule, in text order (numbers and IPv6 skip anchors inside the
  // candidate they already read).
  std::sort(raw.begin(), raw.end(), [](const RawMatch& a, const RawMatch& b) {
    return a.id != b.id ? a.id < b.id : a.to < b.to;
  });
  std::vector<Candidate> found;
  size_t number_end = 0;
  unsigned last_id = ~0u;
  for (const RawMatch& m : raw) {
    if (m.id != last_id) number_end = 0, last_id = m.id;
    OnAnchor(pii::kAnchors[m.id].rule, text, m.to, &number_end, &found);
  }
  // The digit anchors: a number starting at a word boundary, and an IBAN's
  // "CC12" (two capitals, two digits).
  const bool numbers = options.Enabled(PiiType::kPhone) || options.Enabled(PiiType::kSsn) ||
                       options.Enabled(PiiType::kCard) || options.Enabled(PiiType::kIp);
  const bool ibans = options.Enabled(PiiType::kIban);
  if (!numbers && !ibans) return found;
  number_end = 0;
  const char* data = text.data();
  for (size_t i = NextDigit(text, 0), n = text.size(); i < n; i = NextDigit(text, i + 1)) {
    const char prev = i > 0 ? data[i - 1] : ' ';
    if (ibans && IsUpper(prev) && i >= 2 && IsUpper(data[i - 2]) && !IsAlnum(Before(text, i - 2)) &&
        IsDigit(At(text, i + 1))) {
      OnAnchor(Rule::kIban, text, i + 2, &number_end, &found);
    }
    if (numbers && !IsAlnum(prev) && prev != '_') OnAnchor(Rule::kNumber, text, i + 1, &number_end, &found);
    while (i + 1 < n && IsDigit(data[i + 1])) ++i;
  }
  return found;
}

namespace {

// Greedy by priority, then length: accepted spans never overlap. Whether a
// candidate is accepted depends only on the candidates it overlaps, so the
// greedy pass runs per cluster of overlapping candidates; most candidates
// overlap nothing and are accepted as they are. Sorted by begin.
std::vector<Candidate> Greedy(std::vector<Candidate> found) {
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
  std::vector<Candidate> out;
  std::vector<Candidate> cluster;
  for (size_t i = 0; i < found.size();) {
    size_t j = i + 1, end = found[i].end;
    while (j < found.size() && found[j].begin < end) end = std::max(end, found[j++].end);
    if (j == i + 1) {
      out.push_back(found[i]);
      i = j;
      continue;
    }
    cluster.assign(found.begin() + i, found.begin() + j);
    i = j;
    std::sort(cluster.begin(), cluster.end(), [](const Candidate& a, const Candidate& b) {
      const int pa = Priority(a.rule), pb = Priority(b.rule);
      if (pa != pb) return pa > pb;
      if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
      return a.begin < b.begin;
    });
    std::map<size_t, size_t> taken;  // begin -> end
    const size_t first = out.size();
    for (const Candidate& c : cluster) {
      auto next = taken.lower_bound(c.begin);
      if (next != taken.end() && next->first < c.end) continue;
      if (next != taken.begin() && std::prev(next)->second > c.begin) continue;
      taken.emplace(c.begin, c.end);
      out.push_back(c);
    }
    std::sort(out.begin() + first, out.end(), [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
  }
  return out;
}

// Whether one of the spans `taken` (sorted by begin, disjoint) holds all of
// [begin, end).
bool Within(const std::vector<Candidate>& taken, size_t begin, size_t end) {
  auto next = std::upper_bound(taken.begin(), taken.end(), begin,
                               [](size_t b, const Candidate& c) { return b < c.begin; });
  return next != taken.begin() && std::prev(next)->end >= end;
}

}  // namespace

std::vector<Candidate> PiiRedactor::Impl::Resolve(std::string_view text, std::vector<Candidate> found) const {
  // libphonenumber is by far the costliest validator, and every rule but
  // names outranks a phone: a number inside an accepted candidate of a
  // higher-ranked type (an IBAN, a card, an IP address) is dropped whatever
  // libphonenumber says of it. So the numbers are tried as phones only
  // after the higher-ranked candidates are resolved, and only those not
  // inside one of them; the final pass then resolves as if every number
  // had been tried.
  std::vector<Candidate> numbers, above;
  for (const Candidate& c : found) {
    if (c.rule == Rule::kNumber) {
      numbers.push_back(c);
    } else if (Priority(c.rule) > Priority(Rule::kPhone)) {
      above.push_back(c);
    }
  }
  if (numbers.empty()) return Greedy(std::move(found));
  std::erase_if(found, [](const Candidate& c) { return c.rule == Rule::kNumber; });
  const std::vector<Candidate> taken = Greedy(std::move(above));
  for (const Candidate& n : numbers) {
    if (Within(taken, n.begin, n.end)) continue;
    if (std::optional<Span> phone = Validate(Rule::kPhone, text, n.begin, NumberEnds(text, n.begin, n.end))) {
      found.push_back({Rule::kPhone, PiiType::kPhone, phone->begin, phone->end});
    }
  }
  return Greedy(std::move(found));
}

std::string PiiRedactor::Impl::Normalize(PiiType type, std::string_view value) const {
  std::string out;
  switch (type) {
    case PiiType::kPhone:
      if (pii::PhoneValid(value, options.default_region, &out)) return out;
      if (value.size() > 3 && value[0] == '0' && value[1] == '0' &&
          pii::PhoneValid("+" + std::string(value.substr(2)), options.default_region, &out)) {
        return out;
      }
      return pii::DigitsOf(value);
    case PiiType::kSsn:
    case PiiType::kCard:
      return pii::DigitsOf(value);
    case PiiType::kIban:
      for (char c : value) {
        if (c != ' ') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      }
      return out;
    case PiiType::kIp:
      if (value.find(':') != std::string_view::npos) {
        std::string addr(value.substr(0, value.find('%')));
        unsigned char buf[16];
        char text[INET6_ADDRSTRLEN];
        if (inet_pton(AF_INET6, addr.c_str(), buf) == 1 && inet_ntop(AF_INET6, buf, text, sizeof text)) {
          return text;
        }
      }
      return std::string(value);
    case PiiType::kEmail:
    case PiiType::kName: {
      bool space = false;
      for (char c : value) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          space = !out.empty();
          continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(Lower(c));
      }
      return out;
    }
    default:
      return std::string(value);
  }
}

void PiiRedactor::Impl::Replace(PiiType type, std::string_view value, std::string* out) const {
  const std::string_view tag = kTagNames[static_cast<size_t>(type)];
  switch (options.PolicyFor(type)) {
    case PiiPolicy::kKeep:
      out->append(value);
      return;
    case PiiPolicy::kMask:
      AppendMasked(value, out);
      return;
    case PiiPolicy::kTag:
      out->push_back('[');
      out->append(tag);
      out->push_back(']');
      return;
    case PiiPolicy::kHash: {
      const std::string message = std::string(PiiTypeName(type)) + ":" + Normalize(type, value);
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      HMAC(EVP_sha256(), options.salt.data(), static_cast<int>(options.salt.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &len);
      out->push_back('[');
      out->append(tag);
      out->push_back(':');
      out->append(HexPrefix(digest, 4));
      out->push_back(']');
      return;
    }
  }
}

RedactionResult PiiRedactor::Impl::Apply(std::string_view text, std::vector<Candidate> found) const {
  RedactionResult result;
  result.text.reserve(text.size());
  size_t pos = 0;
  std::array<int, kPiiTypeCount> counts{};
  for (const Candidate& c : Resolve(text, std::move(found))) {
    result.text.append(text.substr(pos, c.begin - pos));
    Replace(c.type, text.substr(c.begin, c.end - c.begin), &result.text);
    ++counts[static_cast<size_t>(c.type)];
    pos = c.end;
  }
  result.text.append(text.substr(pos));
  for (size_t t = 0; t < kPiiTypeCount; ++t) {
    if (counts[t] > 0) result.counts.emplace(kTypeNames[t], counts[t]);
  }
  return result;
}

PiiRedactor::PiiRedactor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PiiRedactor::~PiiRedactor() = default;

const PiiOptions& PiiRedactor::options() const { return impl_->options; }

Result<std::unique_ptr<PiiRedactor>> PiiRedactor::Create(const PiiOptions& options) {
  using i18n::phonenumbers::PhoneNumberUtil;
  if (PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(options.default_region) == 0) {
    return Status::InvalidArgument("pii: unknown phone region \"" + options.default_region + "\"");
  }
  for (size_t t = 0; t < kPiiTypeCount; ++t) {
    const PiiType type = static_cast<PiiType>(t);
    if (options.Enabled(type) && options.PolicyFor(type) == PiiPolicy::kHash && options.salt.empty()) {
      return Status::InvalidArgument("pii: the hash policy of " + std::string(PiiTypeName(type)) +
                                     " needs a salt");
    }
  }
  Result<Database> database = CompiledDatabase(options);
  if (!database.ok()) return database.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->database = *database;
  impl->db = impl->database.get();
  if (impl->db) {
    hs_scratch_t* prototype = nullptr;
    if (hs_alloc_scratch(impl->db, &prototype) != HS_SUCCESS) {
      return Status::Internal("pii: cannot allocate Hyperscan scratch space");
    }
    impl->scratch = std::make_unique<ScratchPool>(prototype);
  }
  return std::unique_ptr<PiiRedactor>(new PiiRedactor(std::move(impl)));
}

std::vector<PiiFinding> PiiRedactor::Find(std::string_view text) const {
  std::vector<PiiFinding> out;
  if (text.empty()) return out;
  for (const Candidate& c : impl_->Resolve(text, impl_->Detect(text))) out.push_back({c.type, c.begin, c.end});
  return out;
}

RedactionResult PiiRedactor::Redact(std::string_view text) const {
  return Redact(text, {});
}

RedactionResult PiiRedactor::Redact(std::string_view text, const std::vector<std::string>& known_names) const {
  std::vector<Candidate> found;
  if (!text.empty()) found = impl_->Detect(text);
  if (impl_->options.Enabled(PiiType::kName)) {
    for (const std::string& name : known_names) {
      if (name.size() < 3) continue;
      for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        const size_t end = at + name.size();
        if (IsAlnum(Before(text, at)) || IsAlnum(At(text, end))) continue;
        found.push_back({Rule::kKnownName, PiiType::kName, at, end});
      }
    }
  }
  return impl_->Apply(text, std::move(found));
}

std::vector<std::string> PiiRedactor::FindNames(std::string_view text) const {
  std::vector<std::string> names;
  for (const PiiFinding& f : Find(text)) {
    if (f.type == PiiType::kName) names.emplace_back(text.substr(f.begin, f.end - f.begin));
  }
  return names;
}

}  // namespace smelter
