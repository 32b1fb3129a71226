// RedactDocument: a PiiRedactor applied to every text of an extracted
// document (see pii_redactor.h for the contract). Names come from the
// redactor's context rules and, in tables with a header row, from the
// columns whose header labels people's names ("First Name", "Surname").
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "pii/pii_redactor.h"

namespace smelter {
namespace {

void AddNames(const PiiRedactor& redactor, const std::string& text, std::vector<std::string>* names) {
  for (std::string& name : redactor.FindNames(text)) names->push_back(std::move(name));
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string LowerTrimmed(std::string_view s) {
  std::string out(Trimmed(s));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A column header that labels people's names ("First Name", "Surname",
// "Customer name"): the table's own context, as a "Name:" label is in prose.
bool IsNameHeader(std::string_view header) {
  const std::string h = LowerTrimmed(header);
  static constexpr std::string_view kExact[] = {"name", "first name", "last name", "full name", "given name",
                                                "surname", "family name", "first", "last", "forename",
                                                "middle name", "firstname", "lastname", "fullname"};
  for (std::string_view e : kExact) {
    if (h == e) return true;
  }
  // "<someone> name": contact, customer, employee, patient, ... but not
  // "company name", "file name", "product name".
  static constexpr std::string_view kPeople[] = {"contact", "customer", "employee", "patient", "person",
                                                 "client", "member", "student", "applicant", "owner",
                                                 "author", "sender", "recipient", "user's", "user"};
  for (std::string_view who : kPeople) {
    if (h.size() == who.size() + 5 && h.starts_with(who) && h.ends_with(" name")) return true;
  }
  return false;
}

// A cell that can be a name: one to four words of letters (with . ' - ,),
// no digits, at least two letters. Values such as "N/A" or "-" are not.
bool LooksLikeNameCell(std::string_view cell) {
  int letters = 0, words = 0;
  bool in_word = false;
  for (char c : cell) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      ++letters;
      if (!in_word) ++words;
      in_word = true;
    } else if (c == ' ') {
      in_word = false;
    } else if (c != '.' && c != '\'' && c != '-' && c != ',') {
      return false;
    }
  }
  return letters >= 2 && words >= 1 && words <= 4;
}

// Every cell under a name header of a table with a header row.
void AddNameColumns(const Element& table, std::vector<std::string>* names) {
  if (table.type != ElementType::kTable || !table.has_header || table.rows.size() < 2) return;
  const std::vector<std::string>& header = table.rows[0];
  for (size_t c = 0; c < header.size(); ++c) {
    if (!IsNameHeader(header[c])) continue;
    for (size_t r = 1; r < table.rows.size(); ++r) {
      if (c >= table.rows[r].size()) continue;
      const std::string_view cell = Trimmed(table.rows[r][c]);
      if (LooksLikeNameCell(cell)) names->emplace_back(cell);
    }
  }
}

void RedactInPlace(const PiiRedactor& redactor, const std::vector<std::string>& names, std::string* text,
                   std::map<std::string, int>* counts) {
  if (text->empty()) return;
  RedactionResult result = redactor.Redact(*text, names);
  if (counts) {
    for (const auto& [type, n] : result.counts) (*counts)[type] += n;
  }
  *text = std::move(result.text);
}

}  // namespace

void RedactDocument(ExtractedDocument& doc, const PiiRedactor& redactor, std::map<std::string, int>* counts) {
  // Pass 1: names confirmed anywhere (a From header's display name, a
  // "Dear ..." line) so that their bare repetitions elsewhere -- a signature
  // block in its own paragraph -- go too. Longest first, so "Ann Lee" is
  // replaced before "Ann" could split it.
  std::vector<std::string> names;
  AddNames(redactor, doc.title, &names);
  const bool names_on = redactor.options().Enabled(PiiType::kName);
  for (const Element& e : doc.elements) {
    if (names_on) AddNameColumns(e, &names);
    AddNames(redactor, e.text, &names);
    for (const auto& row : e.rows) {
      for (const std::string& cell : row) AddNames(redactor, cell, &names);
    }
  }
  for (const auto& [key, value] : doc.metadata) AddNames(redactor, value, &names);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  names.erase(std::unique(names.begin(), names.end()), names.end());

  // Pass 2: replace.
  RedactInPlace(redactor, names, &doc.title, counts);
  for (Element& e : doc.elements) {
    RedactInPlace(redactor, names, &e.text, counts);
    for (auto& row : e.rows) {
      for (std::string& cell : row) RedactInPlace(redactor, names, &cell, counts);
    }
  }
  for (auto& [key, value] : doc.metadata) RedactInPlace(redactor, names, &value, counts);
  for (ChildDocument& child : doc.children) {
    for (auto& [key, value] : child.metadata) RedactInPlace(redactor, names, &value, counts);
  }
}

}  // namespace smelter
