// PII detection and redaction for the silver stage.
//
// A PiiRedactor finds personal data in UTF-8 text and replaces it according
// to a per-type policy. Detection is one pass of a Hyperscan database of
// anchors for every type ("@", "://", "born", "Dear X", ...; see
// pii_patterns.h), compiled once per process and set of enabled types, plus
// a byte loop for the first digits of numbers; a scanner reads each
// candidate around its anchor and a validator confirms it (Luhn and issuer
// prefix for cards, mod-97 for IBANs, SSA ranges for SSNs, libphonenumber
// for phones, inet_pton for IPv6, context words for dates of birth,
// secrets and names; see pii_validators.h). Overlapping findings are
// resolved by type priority (credentials, email, IBAN, card, SSN, DOB, IP,
// phone, name), then by length.
//
// Types and what confirms them:
//   email       local@domain.tld with sane labels
//   phone       7-15 digits with + ( ) space . - separators, valid for
//               libphonenumber with `default_region` (+CC forms any region)
//   ssn         ddd-dd-dddd in SSA-issued ranges; the spaced or plain
//               9-digit forms only with "SSN"/"social security" context
//               within 48 bytes before
//   card        13-19 digits, one separator kind, Luhn + known IIN/length
//   iban        country length table + mod-97 (spaces every 4 allowed)
//   ip          IPv4 (octets <= 255, not part of a longer dotted number
//               such as a version string, not after "v"/"version") and IPv6
//   credential  AWS access key ids (AKIA/ASIA...), 40-char secrets after a
//               "secret" key, PEM PRIVATE KEY blocks (to their END line),
//               "Bearer <token>", the password of scheme://user:pass@host,
//               "password: <value>" fields (only the value is a finding)
//   dob         a date within 40 bytes after "DOB", "date of birth",
//               "born", "birthday", "birth date"
//   name        precision first: "Mr./Ms./Dr. X Y", display names before
//               "<a@b>", "Dear/Hi X" and "Name: X Y" (confirmed by a list
//               of common given names unless the label says "full name",
//               "patient name", ...), signature lines after "Regards,",
//               "Best,", "Sincerely," (given-name list) or after "-- "
//
// Policies: kTag writes "[EMAIL]", "[PHONE]", "[SSN]", "[CARD]", "[IBAN]",
// "[IP]", "[CREDENTIAL]", "[DOB]", "[NAME]"; kMask replaces every letter,
// digit and non-ASCII character with '*' and keeps punctuation and spaces
// ("(***) ***-****"); kHash writes "[EMAIL:3f9a1c2e]", the first 8 hex
// digits of HMAC-SHA256(salt, type + ":" + normalized value), so the same
// value gets the same token in every document (normalized: email lower
// case, phone E.164, SSN/card digits, IBAN compact upper case, IP in
// canonical form, name lower case); kKeep leaves the text but still counts.
//
// Values never leave this module except in the redacted text under kKeep:
// findings are offsets, counts are per type, and error messages name keys
// and types only.
//
// Thread safety: a PiiRedactor is immutable after Create(); Find() and
// Redact() may be called from many threads at once (Hyperscan scratch space
// comes from an internal pool).
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.h"
#include "core/status.h"

namespace smelter {

enum class PiiType { kEmail, kPhone, kSsn, kCard, kIban, kIp, kCredential, kDob, kName };
inline constexpr size_t kPiiTypeCount = 9;

enum class PiiPolicy { kMask, kTag, kHash, kKeep };

// "email", "phone", "ssn", "card", "iban", "ip", "credential", "dob", "name".
std::string_view PiiTypeName(PiiType type);
std::optional<PiiType> ParsePiiType(std::string_view name);
// "mask", "tag", "hash", "keep".
std::string_view PiiPolicyName(PiiPolicy policy);
std::optional<PiiPolicy> ParsePiiPolicy(std::string_view name);

struct PiiOptions {
  PiiPolicy default_policy = PiiPolicy::kTag;
  // Per-type overrides of default_policy, indexed by PiiType.
  std::array<std::optional<PiiPolicy>, kPiiTypeCount> policy{};
  // Types detected at all; a disabled type is neither found nor counted.
  std::array<bool, kPiiTypeCount> enabled = {true, true, true, true, true, true, true, true, true};
  std::string default_region = "US";  // ISO 3166 region for numbers without +CC
  // Key of the kHash pseudonyms. Required (non-empty) when any enabled type
  // uses kHash: unsalted hashes of phone numbers or SSNs are reversible by
  // enumerating the space.
  std::string salt;

  PiiPolicy PolicyFor(PiiType type) const {
    const auto& p = policy[static_cast<size_t>(type)];
    return p ? *p : default_policy;
  }
  bool Enabled(PiiType type) const { return enabled[static_cast<size_t>(type)]; }
};

// One piece of PII in a text: byte offsets [begin, end). No value is kept.
struct PiiFinding {
  PiiType type = PiiType::kEmail;
  size_t begin = 0;
  size_t end = 0;
};

struct RedactionResult {
  std::string text;                   // the input with every finding replaced
  std::map<std::string, int> counts;  // findings per type name ("email": 2)
};

class PiiRedactor {
 public:
  // Compiles the pattern database. InvalidArgument for a bad region, or a
  // kHash policy without a salt; Internal if Hyperscan refuses (no message
  // ever holds text from documents).
  static Result<std::unique_ptr<PiiRedactor>> Create(const PiiOptions& options);
  ~PiiRedactor();
  PiiRedactor(const PiiRedactor&) = delete;
  PiiRedactor& operator=(const PiiRedactor&) = delete;

  // Confirmed findings of the enabled types, sorted by begin, never
  // overlapping.
  std::vector<PiiFinding> Find(std::string_view text) const;

  // The text with every finding replaced by its type's policy.
  RedactionResult Redact(std::string_view text) const;

  // As Redact(), and also replaces every whole-word occurrence of
  // `known_names` (names found elsewhere in the same document, e.g. the
  // sender's display name repeated in a signature) as kName.
  RedactionResult Redact(std::string_view text, const std::vector<std::string>& known_names) const;

  // The exact texts of the names Find() reports in `text` (for the
  // document-level pass of RedactDocument; never log them).
  std::vector<std::string> FindNames(std::string_view text) const;

  const PiiOptions& options() const;

 private:
  struct Impl;
  explicit PiiRedactor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Redacts a whole extracted document in place: the title, every element's
// text, every table cell, and every metadata value (also those of child
// documents; child bytes are redacted when they are extracted themselves).
// Names found anywhere in the document (a From header's display name) are
// also replaced wherever else they occur in it. Adds the per-type counts to
// `*counts` when it is not null.
void RedactDocument(ExtractedDocument& doc, const PiiRedactor& redactor,
                    std::map<std::string, int>* counts);

}  // namespace smelter
