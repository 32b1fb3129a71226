// Synthetic text with planted PII, for the PII tests and benchmark only.
//
// Deterministic for a seed (std::mt19937_64 and modulo draws, no
// distribution objects, so every standard library gives the same text).
// Each labeled sentence plants values of one or two types in one of several
// real-world formats -- every checksum (Luhn, mod-97) computed here -- or
// holds a look-alike that is NOT PII: order numbers failing Luhn, SSNs in
// unissued ranges, IBANs with a bad checksum, version strings, dates
// without birth context, timestamps, hex digests, invalid phone numbers.
// Header-only so that the test and bench/pii_bench.cpp share it without
// putting it into the library.
#pragma once

#include <cctype>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pii/pii_redactor.h"

namespace smelter::pii::synthetic {

struct Planted {
  PiiType type;
  size_t begin, end;  // byte offsets of the value in the text
};

struct LabeledText {
  std::string text;
  std::vector<Planted> planted;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  // Appends `sentences` labeled sentences (about 70% with PII, the rest
  // look-alikes), one per line.
  void AddLabeledSentences(int sentences, LabeledText* out) {
    for (int i = 0; i < sentences; ++i) {
      out_ = out;
      if (Pick(10) < 7) {
        PlantSentence();
      } else {
        LookAlikeSentence();
      }
      out_->text += '\n';
    }
  }

  // Ordinary prose (a vocabulary of common words, numbers, capitalized
  // words, punctuation) with a labeled sentence every `pii_every`
  // sentences, until the text holds `bytes` bytes.
  void AddMixedText(size_t bytes, int pii_every, LabeledText* out) {
    out_ = out;
    int n = 0;
    while (out->text.size() < bytes) {
      if (++n % pii_every == 0) {
        AddLabeledSentences(1, out);
        out_ = out;
      } else {
        ProseSentence();
      }
    }
  }

  // A valid IBAN (compact) for one of several countries.
  std::string Iban(bool valid = true) {
    static constexpr std::string_view kCountries[] = {"DE", "GB", "FR", "NL", "ES", "IT", "CH"};
    const std::string_view cc = kCountries[Pick(std::size(kCountries))];
    std::string bban;
    if (cc == "DE") bban = Digits(18);
    if (cc == "GB") bban = Upper(4) + Digits(14);
    if (cc == "FR") bban = Digits(10) + Alnum(11) + Digits(2);
    if (cc == "NL") bban = Upper(4) + Digits(10);
    if (cc == "ES") bban = Digits(20);
    if (cc == "IT") bban = Upper(1) + Digits(10) + Alnum(12);
    if (cc == "CH") bban = Digits(5) + Alnum(12);
    // Check digits: 98 - (BBAN + country + "00") mod 97, letters as 10..35.
    const std::string rearranged = bban + std::string(cc) + "00";
    int rem = 0;
    for (char c : rearranged) {
      rem = c >= 'A' ? (rem * 100 + (c - 'A' + 10)) % 97 : (rem * 10 + (c - '0')) % 97;
    }
    int check = 98 - rem;
    if (!valid) check = (check + 1 + static_cast<int>(Pick(90))) % 100;
    if (!valid && check == 98 - rem) check = (check + 1) % 100;
    std::string out(cc);
    out += static_cast<char>('0' + check / 10);
    out += static_cast<char>('0' + check % 10);
    return out + bban;
  }

  // A Luhn-valid card number (digits only) of a known scheme.
  std::string Card() {
    static constexpr std::string_view kPrefixes[] = {"4", "51", "55", "2221", "34", "37", "6011", "65", "3530"};
    const std::string_view prefix = kPrefixes[Pick(std::size(kPrefixes))];
    const size_t length = (prefix == "34" || prefix == "37") ? 15 : 16;
    std::string d(prefix);
    d += Digits(length - 1 - prefix.size());
    return d + LuhnDigit(d);
  }

 private:
  uint64_t Pick(uint64_t n) { return rng_() % n; }
  template <size_t N>
  std::string_view Choice(const std::string_view (&items)[N]) {
    return items[Pick(N)];
  }
  std::string Digits(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + Pick(10));
    return s;
  }
  std::string Upper(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>('A' + Pick(26));
    return s;
  }
  std::string Alnum(size_t n) {
    static constexpr std::string_view kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string s;
    for (size_t i = 0; i < n; ++i) s += kChars[Pick(kChars.size())];
    return s;
  }
  std::string Lower(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>('a' + Pick(26));
    return s;
  }
  std::string Base64(size_t n) {
    static constexpr std::string_view kChars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    for (size_t i = 0; i < n; ++i) s += kChars[Pick(kChars.size())];
    return s;
  }
  static char LuhnDigit(const std::string& body) {
    int sum = 0;
    bool twice = true;  // the check digit will be appended at the right
    for (size_t i = body.size(); i-- > 0;) {
      int d = body[i] - '0';
      if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
      twice = !twice;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
  }
  static std::string Grouped(const std::string& s, size_t group, char sep) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i && i % group == 0) out += sep;
      out += s[i];
    }
    return out;
  }

  void Text(std::string_view s) { out_->text += s; }
  void Plant(PiiType type, std::string_view value) {
    const size_t begin = out_->text.size();
    out_->text += value;
    out_->planted.push_back({type, begin, out_->text.size()});
  }

  std::string_view GivenName() {
    static constexpr std::string_view kNames[] = {"James", "Maria", "Linda", "David", "Sarah", "Michael",
                                                  "Jennifer", "Robert", "Emily", "Daniel", "Laura", "Kevin",
                                                  "Priya", "Ahmed", "Sofia", "Thomas", "Karen", "Peter"};
    return Choice(kNames);
  }
  std::string_view Surname() {
    static constexpr std::string_view kNames[] = {"Smith", "Garcia", "Olsen", "Nguyen", "Okafor", "Brown",
                                                  "Keller", "Rossi", "Patel", "Dubois", "Walker", "Murphy",
                                                  "Lindqvist", "O'Neil", "Baxter", "Moreau"};
    return Choice(kNames);
  }

  std::string Email() {
    static constexpr std::string_view kDomains[] = {"example.com", "mail.example.co.uk", "corp.acme.io",
                                                    "gmail.com", "uni-hamburg.de", "eng.example.org"};
    std::string local;
    switch (Pick(4)) {
      case 0: local = std::string(GivenName()) + "." + std::string(Surname()); break;
      case 1: local = Lower(1 + Pick(8)) + "+" + Lower(3); break;
      case 2: local = Lower(3 + Pick(6)) + Digits(2); break;
      default: local = Lower(2) + "_" + Lower(5); break;
    }
    for (char& c : local) {
      if (c == '\'') c = 'x';
    }
    return local + "@" + std::string(Choice(kDomains));
  }

  std::string Phone() {
    static constexpr std::string_view kAreas[] = {"212", "415", "650", "312", "617", "202", "303", "206", "512", "713"};
    const std::string area(Choice(kAreas));
    const std::string exchange = std::to_string(2 + Pick(8)) + std::to_string(Pick(10)) + std::to_string(2 + Pick(8));
    const std::string line = Digits(4);
    switch (Pick(9)) {
      case 0: return "(" + area + ") " + exchange + "-" + line;
      case 1: return area + "-" + exchange + "-" + line;
      case 2: return area + "." + exchange + "." + line;
      case 3: return "+1 " + area + " " + exchange + " " + line;
      case 4: return "+1-" + area + "-" + exchange + "-" + line;
      case 5: return "+44 20 7946 0" + Digits(3);
      case 6: return "+49 30 " + std::to_string(2 + Pick(7)) + Digits(7);
      case 7: return "+33 1 " + Grouped(std::to_string(40 + Pick(50)) + Digits(6), 2, ' ');
      default: return area + " " + exchange + " " + line;
    }
  }

  std::string Ssn() {
    std::string area;
    do {
      area = Digits(3);
    } while (area == "000" || area == "666" || area[0] == '9');
    std::string group;
    do {
      group = Digits(2);
    } while (group == "00");
    std::string serial;
    do {
      serial = Digits(4);
    } while (serial == "0000");
    return area + "-" + group + "-" + serial;
  }

  std::string Ipv6() {
    auto hex = [this](int digits) {
      static constexpr std::string_view kHex = "0123456789abcdef";
      std::string s(1, kHex[1 + Pick(15)]);
      for (int i = 1; i < digits; ++i) s += kHex[Pick(16)];
      return s;
    };
    switch (Pick(4)) {
      case 0: return "2001:db8::" + hex(1 + Pick(4));
      case 1: return "fe80::" + hex(3) + ":" + hex(4) + ":" + hex(2) + ":" + hex(4);
      case 2: {
        std::string s = hex(4);
        for (int i = 0; i < 7; ++i) s += ":" + hex(1 + Pick(4));
        return s;
      }
      default: return "2001:" + hex(3) + ":" + hex(4) + "::" + hex(2) + ":" + hex(4);
    }
  }

  std::string Date() {
    static constexpr std::string_view kMonths[] = {"January", "February", "March", "April", "May", "June",
                                                   "July", "August", "September", "October", "November", "December"};
    const int month = 1 + static_cast<int>(Pick(12)), day = 1 + static_cast<int>(Pick(28));
    const int year = 1940 + static_cast<int>(Pick(65));
    auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    switch (Pick(4)) {
      case 0: return two(month) + "/" + two(day) + "/" + std::to_string(year);
      case 1: return std::to_string(year) + "-" + two(month) + "-" + two(day);
      case 2: return std::string(kMonths[month - 1]) + " " + std::to_string(day) + ", " + std::to_string(year);
      default: return std::to_string(day) + " " + std::string(kMonths[month - 1]) + " " + std::to_string(year);
    }
  }

  void PlantSentence() {
    switch (Pick(11)) {
      case 0: {
        static constexpr std::string_view kPre[] = {"Please write to ", "Contact: ", "Send the report to ",
                                                    "Her address is "};
        Text(Choice(kPre));
        Plant(PiiType::kEmail, Email());
        Text(Pick(2) ? " before Friday." : ".");
        break;
      }
      case 1: {
        static constexpr std::string_view kPre[] = {"Call me at ", "Phone: ", "You can reach the office on ",
                                                    "Tel. "};
        Text(Choice(kPre));
        Plant(PiiType::kPhone, Phone());
        Text(Pick(2) ? " after 5pm." : ".");
        break;
      }
      case 2:
        if (Pick(2)) {
          Text("Employee SSN ");
          Plant(PiiType::kSsn, Ssn());
          Text(" is on file.");
        } else {
          Text("Social Security number: ");
          std::string ssn = Ssn();
          Plant(PiiType::kSsn, Pick(2) ? ssn : ssn.substr(0, 3) + ssn.substr(4, 2) + ssn.substr(7));
          Text(".");
        }
        break;
      case 3: {
        const std::string card = Card();
        Text(Pick(2) ? "Card number " : "Charged to ");
        const bool amex = card.size() == 15;
        switch (Pick(3)) {
          case 0: Plant(PiiType::kCard, card); break;
          case 1:
            Plant(PiiType::kCard, amex ? card.substr(0, 4) + " " + card.substr(4, 6) + " " + card.substr(10)
                                       : Grouped(card, 4, ' '));
            break;
          default:
            Plant(PiiType::kCard, amex ? card.substr(0, 4) + "-" + card.substr(4, 6) + "-" + card.substr(10)
                                       : Grouped(card, 4, '-'));
            break;
        }
        Text(", expires 09/27.");
        break;
      }
      case 4: {
        const std::string iban = Iban();
        Text("Wire the deposit to IBAN ");
        Plant(PiiType::kIban, Pick(2) ? iban : Grouped(iban, 4, ' '));
        Text(" today.");
        break;
      }
      case 5:
        Text("The request came from ");
        if (Pick(2)) {
          Plant(PiiType::kIp, std::to_string(1 + Pick(223)) + "." + std::to_string(Pick(256)) + "." +
                                  std::to_string(Pick(256)) + "." + std::to_string(1 + Pick(254)));
        } else {
          Plant(PiiType::kIp, Ipv6());
        }
        Text(Pick(2) ? " at 10:42." : ", port 443.");
        break;
      case 6:
        switch (Pick(6)) {
          case 0:
            Text("aws_access_key_id = ");
            Plant(PiiType::kCredential, (Pick(2) ? "AKIA" : "ASIA") + Alnum(16));
            break;
          case 1: {
            Text("aws_secret_access_key = ");
            std::string key = Base64(40);
            key[3] = 'Q', key[7] = '7', key[9] = 'z';  // make sure of mixed classes
            Plant(PiiType::kCredential, key);
            break;
          }
          case 2:
            Text("Authorization: Bearer ");
            Plant(PiiType::kCredential, "eyJ" + Base64(20) + "." + Base64(30));
            break;
          case 3: {
            Text("DATABASE_URL=postgres://app_user:");
            Plant(PiiType::kCredential, Lower(6) + Digits(3) + "X");
            Text("@db.internal.example.com:5432/prod");
            break;
          }
          case 4: {
            std::string block = "-----BEGIN RSA PRIVATE KEY-----\n";
            for (int line = 0; line < 3; ++line) block += Base64(64) + "\n";
            block += "-----END RSA PRIVATE KEY-----";
            Text("key file:\n");
            Plant(PiiType::kCredential, block);
            break;
          }
          default:
            Text("login admin, password: ");
            Plant(PiiType::kCredential, Lower(5) + Digits(2) + "!");
            break;
        }
        break;
      case 7:
        switch (Pick(3)) {
          case 0: Text("Patient DOB: "); break;
          case 1: Text("Date of birth: "); break;
          default: Text("She was born on "); break;
        }
        Plant(PiiType::kDob, Date());
        Text(".");
        break;
      case 8:
        switch (Pick(4)) {
          case 0:
            Text("Dear ");
            Plant(PiiType::kName, GivenName());
            Text(", thank you for your order.");
            break;
          case 1: {
            static constexpr std::string_view kTitles[] = {"Mr. ", "Ms. ", "Dr. ", "Mrs. "};
            Text("Please ask ");
            Text(Choice(kTitles));
            Plant(PiiType::kName, std::string(Surname()));
            Text(" about it.");
            break;
          }
          case 2:
            Text("Name: ");
            Plant(PiiType::kName, std::string(GivenName()) + " " + std::string(Surname()));
            break;
          default:
            Text("Kind regards,\n");
            Plant(PiiType::kName, std::string(GivenName()) + " " + std::string(Surname()));
            break;
        }
        break;
      case 9: {
        Text("From: ");
        Plant(PiiType::kName, std::string(GivenName()) + " " + std::string(Surname()));
        Text(" <");
        Plant(PiiType::kEmail, Email());
        Text(">");
        break;
      }
      default:
        Text("Reach ");
        Plant(PiiType::kEmail, Email());
        Text(" or ");
        Plant(PiiType::kPhone, Phone());
        Text(" for help.");
        break;
    }
  }

  void LookAlikeSentence() {
    switch (Pick(12)) {
      case 0: {  // 16 digits, Luhn-invalid
        std::string card = Card();
        card.back() = static_cast<char>('0' + (card.back() - '0' + 1 + Pick(9)) % 10);
        Text("Order number " + card + " has shipped.");
        break;
      }
      case 1: {
        static constexpr std::string_view kAreas[] = {"000", "666", "900", "987"};
        Text("Reference " + std::string(Choice(kAreas)) + "-" + Digits(2) + "-" + std::to_string(1000 + Pick(9000)) +
             " was closed.");
        break;
      }
      case 2: Text("Account DE-like code " + Iban(false) + " failed validation."); break;
      case 3:
        Text("Upgraded to version " + std::to_string(Pick(10)) + "." + std::to_string(Pick(20)) + "." +
             std::to_string(Pick(10)) + "." + std::to_string(Pick(10)) + "." + std::to_string(Pick(100)) + ".");
        break;
      case 4: Text("The meeting is on " + Date() + " in room 4."); break;
      case 5:
        Text("Logged at 2024-0" + std::to_string(1 + Pick(9)) + "-1" + std::to_string(Pick(10)) + "T1" +
             std::to_string(Pick(10)) + ":" + std::to_string(10 + Pick(50)) + ":" + std::to_string(10 + Pick(50)) +
             "Z by the scheduler.");
        break;
      case 6: {
        static constexpr std::string_view kHex = "0123456789abcdef";
        std::string h;
        for (int i = 0; i < 40; ++i) h += kHex[Pick(16)];
        Text("Commit " + h + " fixed the build.");
        break;
      }
      case 7: Text("Call (123) 456-78" + Digits(2) + " is not a real number."); break;
      case 8: Text("Invoice total $" + std::to_string(1 + Pick(999)) + "," + Digits(3) + "." + Digits(2) + "."); break;
      case 9: Text("Meeting room 12:30:45 timer, std::vector<int> and a::b."); break;
      case 10: Text("Dear Customer, the Name: Project Phoenix release is done."); break;
      default: Text("Hi All, ISBN 978-3-16-148410-0 and part no. 12-3456-789 are in stock."); break;
    }
  }

  void ProseSentence() {
    static constexpr std::string_view kWords[] = {
        "the", "report", "data", "quarterly", "results", "were", "strong", "and", "our", "team", "will",
        "review", "pipeline", "document", "with", "of", "in", "for", "customers", "growth", "market",
        "2023", "percent", "12", "revenue", "increased", "by", "about", "new", "product", "launch",
        "shipping", "Europe", "analysis", "model", "training", "section", "3.2", "table", "figure",
        "Company", "Board", "approved", "plan", "version", "system", "time", "to", "from", "is", "a"};
    const int n = 8 + static_cast<int>(Pick(14));
    for (int i = 0; i < n; ++i) {
      std::string_view w = Choice(kWords);
      if (i == 0) {
        std::string cap(w);
        cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
        Text(cap);
      } else {
        Text(" ");
        Text(w);
      }
    }
    Text(Pick(6) ? ". " : ".\n");
  }

  std::mt19937_64 rng_;
  LabeledText* out_ = nullptr;
};

}  // namespace smelter::pii::synthetic
