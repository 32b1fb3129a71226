// Checksums and structural rules that confirm a PII candidate.
//
// The pattern engine (pii_redactor.cpp) only proposes spans that look like a
// card number, an IBAN, an address...; these functions decide whether the
// span really is one. They are pure, allocation-light and thread-safe, and
// they never log or return the value they inspect.
#pragma once

#include <string>
#include <string_view>

namespace smelter::pii {

// The ASCII digits of `s`, in order (separators dropped).
std::string DigitsOf(std::string_view s);

// Luhn (mod 10) check over the digits of `digits` (digits only).
bool LuhnValid(std::string_view digits);

// A payment card number: 13-19 digits, Luhn-valid, and an issuer prefix
// (IIN) of a known scheme whose lengths include this one: Visa, Mastercard
// (51-55, 2221-2720), Amex (34, 37), Discover (6011, 644-649, 65), JCB
// (3528-3589), Diners (300-305, 36, 38-39), UnionPay (62), Maestro (50,
// 56-69). `digits` is digits only.
bool CardNumberValid(std::string_view digits);

// An IBAN without spaces, upper case: a known country code, that country's
// length, and the ISO 7064 mod-97 remainder of 1.
bool IbanValid(std::string_view compact);

// The registered length of an IBAN for a two-letter country code, or 0.
int IbanLength(std::string_view country);

// A US Social Security number of exactly 9 digits outside the ranges the
// SSA never issues: area 000, 666 or 900-999, group 00, serial 0000.
bool SsnValid(std::string_view digits);

// Dotted-quad IPv4: four decimal octets 0-255 without leading zeros.
bool Ipv4Valid(std::string_view s);

// IPv6 as inet_pton(AF_INET6) accepts it (compressed forms, embedded IPv4);
// a "%zone" suffix is allowed.
bool Ipv6Valid(std::string_view s);

// A telephone number as libphonenumber sees it: parsed with
// `default_region` (ISO 3166 code such as "US"; numbers written with +CC
// ignore it) and IsValidNumber. On success, when `e164` is not null, it
// receives the number in E.164 form (used as the normalized value). Always
// libphonenumber's answer, but cheaper than those two calls: Parse gets the
// number as "+" and digits, or is skipped for North American forms whose
// parse is fixed (see the .cpp).
bool PhoneValid(std::string_view s, const std::string& default_region, std::string* e164);

// A calendar date in one of the forms the DOB pattern proposes
// (YYYY-MM-DD, D/M/Y or M/D/Y with / . -, "March 3, 1990", "3 March 1990"):
// month 1-12, day 1-31 and a 2- or 4-digit year.
bool DatePlausible(std::string_view s);

// A common given name (ASCII, case-sensitive as written: "Maria"). Used to
// confirm names found from weaker context.
bool IsCommonGivenName(std::string_view word);

}  // namespace smelter::pii
