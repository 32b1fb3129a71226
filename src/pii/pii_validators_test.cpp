#include "pii/pii_validators.h"

#include <gtest/gtest.h>

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
