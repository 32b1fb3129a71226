#include "pii/pii_validators.h"

#include <arpa/inet.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace smelter::pii {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits of s[from, to) as a number (s is digits only there).
int Number(std::string_view s, size_t from, size_t to) {
  int v = 0;
  for (size_t i = from; i < to; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

struct IbanCountry {
  char code[3];
  int length;
};

// Registered IBAN lengths (SWIFT IBAN registry).
constexpr std::array<IbanCountry, 80> kIbanCountries = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
    {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"LY", 25}, {"SD", 18}, {"BI", 27},
}};

// Common given names (US census and UK ONS top lists, mixed genders). Only
// used to confirm a name found from weak context, so the list favours names
// that are rarely ordinary capitalized words.
constexpr std::string_view kGivenNames[] = {
    "Aaron", "Abigail", "Adam", "Adrian", "Ahmed", "Aidan", "Aisha", "Alan", "Albert", "Alex",
    "Alexander", "Alexandra", "Alice", "Alicia", "Alison", "Amanda", "Amber", "Amelia", "Amy",
    "Ana", "Andrea", "Andrew", "Angela", "Anita", "Ann", "Anna", "Anne", "Anthony", "Antonio",
    "Arthur", "Ashley", "Barbara", "Benjamin", "Beth", "Betty", "Beverly", "Brandon", "Brenda",
    "Brian", "Bruce", "Bryan", "Caleb", "Carl", "Carlos", "Carol", "Caroline", "Catherine",
    "Charles", "Charlotte", "Cheryl", "Chloe", "Christian", "Christina", "Christine",
    "Christopher", "Cindy", "Claire", "Craig", "Cynthia", "Daniel", "Danielle", "David",
    "Deborah", "Debra", "Denise", "Dennis", "Diana", "Diane", "Donald", "Donna", "Dorothy",
    "Douglas", "Dylan", "Edward", "Elena", "Elizabeth", "Ella", "Ellen", "Emily", "Emma",
    "Eric", "Erin", "Ethan", "Eugene", "Evelyn", "Fatima", "Frances", "Francis", "Frank",
    "Gabriel", "Gary", "George", "Gerald", "Gloria", "Grace", "Gregory", "Hannah", "Harold",
    "Harry", "Heather", "Helen", "Henry", "Isabella", "Isaac", "Jack", "Jacob", "Jacqueline",
    "James", "Jamie", "Jane", "Janet", "Janice", "Jason", "Jean", "Jeffrey", "Jennifer",
    "Jeremy", "Jerry", "Jesse", "Jessica", "Joan", "Joe", "John", "Jonathan", "Jordan",
    "Jose", "Joseph", "Joshua", "Joyce", "Juan", "Judith", "Judy", "Julia", "Julie", "Justin",
    "Karen", "Katherine", "Kathleen", "Kathryn", "Kayla", "Keith", "Kelly", "Kenneth",
    "Kevin", "Kimberly", "Kyle", "Larry", "Laura", "Lauren", "Lawrence", "Leah", "Linda",
    "Lisa", "Logan", "Lori", "Louis", "Lucas", "Lucy", "Luis", "Madison", "Margaret", "Maria",
    "Marie", "Marilyn", "Mark", "Martha", "Martin", "Mary", "Matthew", "Megan", "Melissa",
    "Michael", "Michelle", "Mohammed", "Muhammad", "Nancy", "Natalie", "Nathan", "Nicholas",
    "Nicole", "Noah", "Olivia", "Oliver", "Pamela", "Patricia", "Patrick", "Paul", "Peter",
    "Philip", "Priya", "Rachel", "Rahul", "Ralph", "Raymond", "Rebecca", "Richard", "Robert",
    "Roger", "Ronald", "Rose", "Roy", "Russell", "Ruth", "Ryan", "Samantha", "Samuel",
    "Sandra", "Sara", "Sarah", "Scott", "Sean", "Sharon", "Shirley", "Sophia", "Sophie",
    "Stephanie", "Stephen", "Steven", "Susan", "Teresa", "Terry", "Thomas", "Timothy", "Tyler",
    "Victoria", "Vincent", "Walter", "Wayne", "William", "Willie", "Zachary", "Wei", "Yuki",
    "Hiroshi", "Sofia", "Lukas", "Jonas", "Lena", "Mateo", "Camila", "Valentina", "Diego",
    "Pablo", "Marco", "Giulia", "Francesca", "Pierre", "Camille", "Hans", "Klaus", "Ingrid",
    "Sven", "Olga", "Ivan", "Dmitri", "Anastasia", "Raj", "Arjun", "Ananya", "Chen", "Li",
};

bool IsMonthName(std::string_view w, int* month) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return false;
  std::string lower;
  for (char c : w) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (int i = 0; i < 12; ++i) {
    if (lower.compare(0, 3, kMonths[i]) == 0) {
      *month = i + 1;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string DigitsOf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsDigit(c)) out.push_back(c);
  }
  return out;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!IsDigit(digits[i])) return false;
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool CardNumberValid(std::string_view d) {
  const size_t n = d.size();
  if (n < 13 || n > 19 || !LuhnValid(d)) return false;
  const int p1 = d[0] - '0', p2 = Number(d, 0, 2), p3 = Number(d, 0, 3), p4 = Number(d, 0, 4);
  if (p1 == 4) return n == 13 || n == 16 || n == 19;                      // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n == 16;  // Mastercard
  if (p2 == 34 || p2 == 37) return n == 15;                                // Amex
  if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return n >= 16;   // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;                            // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return n >= 14;  // Diners
  if (p2 == 62) return n >= 16;                                            // UnionPay
  if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return n >= 13;                  // Maestro
  return false;
}

int IbanLength(std::string_view country) {
  for (const IbanCountry& c : kIbanCountries) {
    if (country == c.code) return c.length;
  }
  return 0;
}

bool IbanValid(std::string_view s) {
  if (s.size() < 15 || s.size() > 34) return false;
  if (IbanLength(s.substr(0, 2)) != static_cast<int>(s.size())) return false;
  if (!IsDigit(s[2]) || !IsDigit(s[3])) return false;
  // Move the first four characters to the end, letters become 10..35, and
  // the whole number must be 1 mod 97; computed piecewise.
  int rem = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    const char c = s[(k + 4) % s.size()];
    if (IsDigit(c)) {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      rem = (rem * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

bool SsnValid(std::string_view d) {
  if (d.size() != 9 || DigitsOf(d).size() != 9) return false;
  const int area = Number(d, 0, 3), group = Number(d, 3, 5), serial = Number(d, 5, 9);
  if (area == 0 || area == 666 || area >= 900) return false;
  return group != 0 && serial != 0;
}

bool Ipv4Valid(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    const size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool Ipv6Valid(std::string_view s) {
  if (s.size() < 2 || s.size() > 64) return false;
  const size_t zone = s.find('%');
  std::string addr(s.substr(0, zone));
  if (zone != std::string_view::npos && zone + 1 >= s.size()) return false;
  unsigned char buf[16];
  return inet_pton(AF_INET6, addr.c_str(), buf) == 1;
}

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// What Parse reads of a number written with ASCII digits, one leading "+"
// and the separators " ().-/": the "+" and the digits. Those separators are
// all phone punctuation to libphonenumber, none of them can start an
// extension (that takes a letter, '#', ',' or ';') or a second number
// ("/ x"), and everything after the extension check works on the
// normalized digits. Writing "+" and digits only gives Parse the same
// number with less text for its regular expressions. False (and
// `canonical` unset) for anything else, which Parse gets as written.
bool CanonicalNumber(std::string_view s, std::string* canonical) {
  if (s.size() > 250) return false;  // Parse's input limit applies to the text as written
  size_t digits = 0;
  bool plus = false;
  for (char c : s) {
    if (IsDigit(c)) {
      ++digits;
    } else if (c == '+') {
      if (plus || digits > 0) return false;
      plus = true;
    } else if (!std::strchr(" ().-/", c)) {
      return false;
    }
  }
  if (digits < 3) return false;  // short inputs meet a different viability rule
  canonical->reserve(digits + 1);
  if (plus) canonical->push_back('+');
  for (char c : s) {
    if (IsDigit(c)) canonical->push_back(c);
  }
  return true;
}

// The PhoneNumber that Parse returns for a canonical North American number,
// built without Parse: "+1" and ten digits, or, with the default region US
// or CA, ten digits (or eleven with the leading 1), whose area code starts
// with 2-9. Parse takes the same steps for these: "+1" is the country code
// (US metadata, whose national prefix is 1); without "+" nothing is an
// international prefix (011) and a leading 1 is the country code because
// eleven digits are too long for US and CA; and a ten-digit national number
// starting with 2-9 has no national prefix to strip. False for anything
// else. (pii_validators_test.cpp checks this against Parse.)
bool NanpNumber(std::string_view canonical, const std::string& default_region, PhoneNumber* number) {
  std::string_view d = canonical;
  if (!d.empty() && d[0] == '+') {
    if (d.size() != 12 || d[1] != '1') return false;
    d.remove_prefix(2);
  } else {
    if (default_region != "US" && default_region != "CA") return false;
    if (d.size() == 11 && d[0] == '1') d.remove_prefix(1);
  }
  if (d.size() != 10 || d[0] < '2') return false;
  uint64_t national = 0;
  for (char c : d) national = national * 10 + static_cast<uint64_t>(c - '0');
  number->set_country_code(1);
  number->set_national_number(national);
  return true;
}

// IsValidNumber, which for a country code shared by several regions first
// finds the region by trying each one's rules and then checks the number
// against that region's rules once more. For +1 the first region tried is
// the US (the code's main country, with no leading-digits rule), so a
// number valid for the US is valid, found at half the cost; the rest of
// North America (Canada, the Caribbean) takes the full path.
bool ValidNumber(const PhoneNumberUtil& util, const PhoneNumber& number) {
  if (number.country_code() == 1 && util.IsValidNumberForRegion(number, "US")) return true;
  return util.IsValidNumber(number);
}

}  // namespace

bool PhoneValid(std::string_view s, const std::string& default_region, std::string* e164) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  std::string canonical;
  const bool plain = CanonicalNumber(s, &canonical);
  if (!(plain && NanpNumber(canonical, default_region, &number)) &&
      util.Parse(plain ? canonical : std::string(s), default_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  if (!ValidNumber(util, number)) return false;
  if (e164) util.Format(number, PhoneNumberUtil::E164, e164);
  return true;
}

bool DatePlausible(std::string_view s) {
  // Split into alternating runs of digits and letters.
  std::string_view tokens[4];
  int count = 0;
  size_t i = 0;
  while (i < s.size() && count < 4) {
    while (i < s.size() && !std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
    if (i == s.size()) break;
    const size_t start = i;
    const bool digit = IsDigit(s[i]);
    while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])) && IsDigit(s[i]) == digit) ++i;
    tokens[count++] = s.substr(start, i - start);
  }
  if (count != 3) return false;
  auto num = [](std::string_view t) -> int {
    if (t.empty() || t.size() > 4 || !IsDigit(t[0])) return -1;
    return Number(t, 0, t.size());
  };
  auto year_ok = [](std::string_view t) { return t.size() == 2 || t.size() == 4; };
  int month = 0, day = 0;
  if (IsMonthName(tokens[0], &month)) {  // March 3, 1990
    day = num(tokens[1]);
    return day >= 1 && day <= 31 && tokens[2].size() == 4 && num(tokens[2]) >= 0;
  }
  if (IsMonthName(tokens[1], &month)) {  // 3 March 1990
    day = num(tokens[0]);
    return day >= 1 && day <= 31 && tokens[2].size() == 4 && num(tokens[2]) >= 0;
  }
  const int a = num(tokens[0]), b = num(tokens[1]), c = num(tokens[2]);
  if (a < 0 || b < 0 || c < 0) return false;
  if (tokens[0].size() == 4) return b >= 1 && b <= 12 && c >= 1 && c <= 31;  // ISO
  if (!year_ok(tokens[2]) || tokens[0].size() > 2 || tokens[1].size() > 2) return false;
  const bool mdy = a >= 1 && a <= 12 && b >= 1 && b <= 31;
  const bool dmy = b >= 1 && b <= 12 && a >= 1 && a <= 31;
  return mdy || dmy;
}

bool IsCommonGivenName(std::string_view word) {
  return std::find(std::begin(kGivenNames), std::end(kGivenNames), word) != std::end(kGivenNames);
}

}  // namespace smelter::pii
