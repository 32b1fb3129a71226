// The anchor patterns of the PII detectors, one table.
//
// Every detector is started by one anchor: a literal or a short, literal-led
// pattern ("@", "://", "-----BEGIN ", "born", "Dear X"), all compiled into
// one Hyperscan database and found in one pass. Numbers (phone, SSN, card,
// IPv4) and IBANs are anchored on the first digit of a number instead,
// found by a plain byte loop in the same function: as a Hyperscan pattern
// (\b[0-9]) that one anchor alone halved the scan speed on prose with
// numbers. The rule's scanner in pii_redactor.cpp then reads the candidate
// around the anchor by hand and a validator decides.
//
// Why anchors rather than one full regex per type: full candidate regexes
// (digit classes with separators, capitalized-word runs, unbounded e-mail
// local parts) with start-of-match tracking scanned at about 8 MB/s in one
// database; literal anchors let Hyperscan's literal matchers run at memory
// speed, and the hand-written scanners only look at the few places found.
#pragma once

#include <cstddef>
#include <string_view>

#include "pii/pii_redactor.h"

namespace smelter::pii {

enum class Rule {
  kEmail,
  kNumber,  // the digit loop's anchor: a number, tried as card, SSN, IPv4, phone
  kPhone,
  kSsn,
  kCard,
  kIban,
  kIpv4,
  kIpv6,
  kAwsKeyId,
  kAwsSecret,
  kPrivateKey,
  kBearer,
  kUrlPassword,
  kPasswordField,
  kDob,
  kNameTitle,
  kNameSalutation,
  kNameField,
  kNameDisplay,  // found from the e-mail anchor ("Ann Lee <ann@...>")
  kNameSignature,
  kNameSigDelimiter,
  kKnownName,  // a name found elsewhere in the same document
};

struct AnchorSpec {
  Rule rule;
  // The types this anchor can produce; it is compiled when any is enabled.
  std::initializer_list<PiiType> types;
  std::string_view regex;
};

inline const AnchorSpec kAnchors[] = {
    {Rule::kEmail, {PiiType::kEmail, PiiType::kName}, "@"},
    {Rule::kIpv6, {PiiType::kIp}, ":[0-9A-Fa-f]{0,4}:"},
    {Rule::kAwsKeyId, {PiiType::kCredential}, "AKIA|ASIA"},
    {Rule::kAwsSecret, {PiiType::kCredential}, "(?i:secret)"},
    {Rule::kPrivateKey, {PiiType::kCredential}, "-----BEGIN "},
    {Rule::kBearer, {PiiType::kCredential}, "(?i:bearer)[ \\t]"},
    {Rule::kUrlPassword, {PiiType::kCredential}, "://"},
    {Rule::kPasswordField, {PiiType::kCredential}, "(?i:password|passwd|pwd|passphrase)[ \\t]*[:=]"},
    {Rule::kDob, {PiiType::kDob}, "(?i:birth|born|dob|d\\.o\\.b)"},
    {Rule::kNameTitle, {PiiType::kName}, "\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.?[ \\t]+[A-Z]"},
    {Rule::kNameSalutation, {PiiType::kName}, "\\b(?:Dear|Hi|Hello|Hey)[ \\t]+[A-Z]"},
    {Rule::kNameField, {PiiType::kName}, "(?i:name)[ \\t]*:[ \\t]*[A-Z]"},
    {Rule::kNameSignature, {PiiType::kName},
     "(?:Regards|Best|Sincerely|Cheers|Thanks|Best wishes|Kind regards|Warm regards|Yours truly|"
     "Respectfully)[,.!]?[ \\t]*\\r?\\n"},
    {Rule::kNameSigDelimiter, {PiiType::kName}, "\\n-- ?\\r?\\n"},
};

inline constexpr size_t kAnchorCount = sizeof(kAnchors) / sizeof(kAnchors[0]);

}  // namespace smelter::pii
