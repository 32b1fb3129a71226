#include "pii/pii_validators.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace smelter::pii {
namespace {

TEST(PiiValidators, Luhn) {
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("41a1"));
}

TEST(PiiValidators, CardPrefixAndLength) {
  EXPECT_TRUE(CardNumberValid("4111111111111111"));   // Visa 16
  EXPECT_TRUE(CardNumberValid("5555555555554444"));   // Mastercard
  EXPECT_TRUE(CardNumberValid("2223003122003222"));   // Mastercard 2-series
  EXPECT_TRUE(CardNumberValid("378282246310005"));    // Amex 15
  EXPECT_TRUE(CardNumberValid("6011111111111117"));   // Discover
  EXPECT_TRUE(CardNumberValid("3530111333300000"));   // JCB
  EXPECT_TRUE(CardNumberValid("30569309025904"));     // Diners 14
  EXPECT_FALSE(CardNumberValid("378282246310005" "0"));  // Amex must be 15
  EXPECT_FALSE(CardNumberValid("1234567812345670"));  // Luhn-valid, no issuer starts with 1
  EXPECT_FALSE(CardNumberValid("4111111111111"  "11"));  // Visa of 15 digits
  EXPECT_FALSE(CardNumberValid("411111111111"));      // too short
}

TEST(PiiValidators, IbanMod97AndCountryLength) {
  EXPECT_TRUE(IbanValid("DE89370400440532013000"));
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(IbanValid("FR1420041010050500013M02606"));
  EXPECT_TRUE(IbanValid("NL91ABNA0417164300"));
  EXPECT_TRUE(IbanValid("NO9386011117947"));
  EXPECT_FALSE(IbanValid("DE89370400440532013001"));   // checksum
  EXPECT_FALSE(IbanValid("DE8937040044053201300"));    // length for DE
  EXPECT_FALSE(IbanValid("XX89370400440532013000"));   // no such country
  EXPECT_FALSE(IbanValid("GB82 WEST 1234 5698 7654 32"));  // caller strips spaces
  EXPECT_EQ(IbanLength("GB"), 22);
  EXPECT_EQ(IbanLength("ZZ"), 0);
}

TEST(PiiValidators, SsnRanges) {
  EXPECT_TRUE(SsnValid("123456789"));
  EXPECT_TRUE(SsnValid("899012345"));
  EXPECT_FALSE(SsnValid("000123456"));  // area 000
  EXPECT_FALSE(SsnValid("666123456"));  // area 666
  EXPECT_FALSE(SsnValid("900123456"));  // area 9xx
  EXPECT_FALSE(SsnValid("999123456"));
  EXPECT_FALSE(SsnValid("123001234"));  // group 00
  EXPECT_FALSE(SsnValid("123450000"));  // serial 0000
  EXPECT_FALSE(SsnValid("12345678"));
}

TEST(PiiValidators, Ipv4) {
  EXPECT_TRUE(Ipv4Valid("192.168.1.1"));
  EXPECT_TRUE(Ipv4Valid("0.0.0.0"));
  EXPECT_TRUE(Ipv4Valid("255.255.255.255"));
  EXPECT_FALSE(Ipv4Valid("256.1.1.1"));
  EXPECT_FALSE(Ipv4Valid("1.2.3"));
  EXPECT_FALSE(Ipv4Valid("1.2.3.4.5"));
  EXPECT_FALSE(Ipv4Valid("01.2.3.4"));  // leading zero: not how addresses are written
}

TEST(PiiValidators, Ipv6) {
  EXPECT_TRUE(Ipv6Valid("2001:db8::1"));
  EXPECT_TRUE(Ipv6Valid("::1"));
  EXPECT_TRUE(Ipv6Valid("fe80::1ff:fe23:4567:890a%eth0"));
  EXPECT_TRUE(Ipv6Valid("::ffff:192.0.2.128"));
  EXPECT_TRUE(Ipv6Valid("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
  EXPECT_FALSE(Ipv6Valid("12:30:45"));
  EXPECT_FALSE(Ipv6Valid("2001:db8:::1"));
  EXPECT_FALSE(Ipv6Valid("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(Ipv6Valid("fe80::1%"));
}

TEST(PiiValidators, PhoneWithLibphonenumber) {
  std::string e164;
  EXPECT_TRUE(PhoneValid("(650) 253-0000", "US", &e164));
  EXPECT_EQ(e164, "+16502530000");
  EXPECT_TRUE(PhoneValid("+44 20 7946 0958", "US", &e164));
  EXPECT_EQ(e164, "+442079460958");
  EXPECT_TRUE(PhoneValid("+49 30 901820", "US", nullptr));
  EXPECT_TRUE(PhoneValid("030 901820", "DE", nullptr));  // national form with a region
  EXPECT_FALSE(PhoneValid("(123) 456-7890", "US", nullptr));  // area codes never start with 1
  EXPECT_FALSE(PhoneValid("555-0100", "US", nullptr));        // too short
  EXPECT_FALSE(PhoneValid("12345678901234", "US", nullptr));
}

// PhoneValid builds some numbers without Parse and checks +1 numbers
// against the US rules first (pii_validators.cpp says why that gives
// libphonenumber's answer): it must agree with Parse + IsValidNumber, E.164
// included, on every written form, default region and kind of number --
// US, Canadian, Caribbean and unassigned area codes, leading 0 and 1, "+1",
// "011"/"00" prefixes and numbers of other countries.
TEST(PiiValidators, PhoneAgreesWithLibphonenumber) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::mt19937_64 rng(7);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  const std::vector<std::string> areas = {"212", "415", "650", "416", "604", "876", "268", "787", "800",
                                          "900", "555", "911", "123", "023", "199", "999"};
  std::vector<std::string> numbers;
  for (int i = 0; i < 400; ++i) {
    const std::string area = areas[rng() % areas.size()];
    const std::string exchange = std::to_string(rng() % 10) + digits(2), line = digits(4);
    numbers.push_back(area + exchange + line);
    numbers.push_back("(" + area + ") " + exchange + "-" + line);
    numbers.push_back(area + "." + exchange + "." + line);
    numbers.push_back("1 " + area + " " + exchange + " " + line);
    numbers.push_back("+1 " + area + " " + exchange + " " + line);
    numbers.push_back("+1-" + area + "-" + exchange + "-" + line);
    numbers.push_back("+1" + std::to_string(rng() % 10) + area + exchange + line);  // 11 digits after +1
    numbers.push_back(area + exchange + digits(1 + rng() % 3));                     // too long
    numbers.push_back(exchange + "-" + line);                                        // local form
  }
  for (int i = 0; i < 100; ++i) {
    numbers.push_back("+44 20 7946 " + digits(4));
    numbers.push_back("+44 7" + digits(9));
    numbers.push_back("+49 30 " + digits(6 + rng() % 3));
    numbers.push_back("+33 " + std::to_string(1 + rng() % 9) + " " + digits(8));
    numbers.push_back("+7 " + digits(10));
    numbers.push_back("+52 1 " + digits(10));
    numbers.push_back("+54 9 11 " + digits(8));
    numbers.push_back("011 44 20 7946 " + digits(4));
    numbers.push_back("0044 20 7946 " + digits(4));
    numbers.push_back("020 7946 " + digits(4));
    numbers.push_back("030 " + digits(7));
    numbers.push_back("030/" + digits(7));
    numbers.push_back("+49 (0)30 " + digits(7));
    numbers.push_back("+" + digits(1 + rng() % 3) + " " + digits(9));
  }
  int valid = 0;
  for (const std::string region : {"US", "CA", "JM", "DE", "GB"}) {
    for (const std::string& n : numbers) {
      PhoneNumber parsed;
      const bool expected =
          util.Parse(n, region, &parsed) == PhoneNumberUtil::NO_PARSING_ERROR && util.IsValidNumber(parsed);
      std::string expected_e164, e164;
      if (expected) util.Format(parsed, PhoneNumberUtil::E164, &expected_e164);
      const bool got = PhoneValid(n, region, &e164);
      ASSERT_EQ(got, expected) << n << " in " << region;
      if (expected) {
        EXPECT_EQ(e164, expected_e164) << n << " in " << region;
      }
      valid += expected;
    }
  }
  EXPECT_GT(valid, 2000);  // both answers are well represented
}

TEST(PiiValidators, Dates) {
  EXPECT_TRUE(DatePlausible("1990-03-14"));
  EXPECT_TRUE(DatePlausible("03/14/1990"));
  EXPECT_TRUE(DatePlausible("14.03.90"));
  EXPECT_TRUE(DatePlausible("March 14, 1990"));
  EXPECT_TRUE(DatePlausible("14 March 1990"));
  EXPECT_FALSE(DatePlausible("1990-13-14"));
  EXPECT_FALSE(DatePlausible("13/13/1990"));
  EXPECT_FALSE(DatePlausible("Smarch 14, 1990"));
}

TEST(PiiValidators, GivenNames) {
  EXPECT_TRUE(IsCommonGivenName("Maria"));
  EXPECT_FALSE(IsCommonGivenName("maria"));
  EXPECT_FALSE(IsCommonGivenName("Table"));
}

TEST(PiiValidators, DigitsOf) { EXPECT_EQ(DigitsOf("(650) 253-0000"), "6502530000"); }

}  // namespace
}  // namespace smelter::pii
