// RedactDocument's table context: columns headed as people's names.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "pii/pii_redactor.h"

namespace smelter {
namespace {

std::unique_ptr<PiiRedactor> MakeRedactor(bool names) {
  PiiOptions options;
  if (!names) options.enabled[static_cast<size_t>(PiiType::kName)] = false;
  auto r = PiiRedactor::Create(options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

Element Table(std::vector<std::vector<std::string>> rows, bool header = true) {
  Element table;
  table.type = ElementType::kTable;
  table.rows = std::move(rows);
  table.has_header = header;
  return table;
}

TEST(PiiDocument, NameColumnsOfAHeaderedTableAreNames) {
  ExtractedDocument doc;
  doc.elements.push_back(Table({{"Index", "First Name", "Last Name", "Company", "Customer name", "File name"},
                                {"1", "Sheryl", "Baxter", "Rasmussen Group", "Preston Lozano, Dr", "report.pdf"},
                                {"2", "N/A", "O'Neil-Smith", "Vega-Gentry", "-", "notes.txt"}}));
  Element prose;
  prose.text = "Sheryl Baxter signed for Rasmussen Group.";
  doc.elements.push_back(prose);
  std::map<std::string, int> counts;
  RedactDocument(doc, *MakeRedactor(true), &counts);
  const auto& rows = doc.elements[0].rows;
  EXPECT_EQ(rows[0][1], "First Name");  // headers stay
  EXPECT_EQ(rows[1][1], "[NAME]");
  EXPECT_EQ(rows[1][2], "[NAME]");
  EXPECT_EQ(rows[1][4], "[NAME]");
  EXPECT_EQ(rows[2][2], "[NAME]");
  // Not name columns, or not name-like values: kept.
  EXPECT_EQ(rows[1][0], "1");
  EXPECT_EQ(rows[1][3], "Rasmussen Group");
  EXPECT_EQ(rows[1][5], "report.pdf");
  EXPECT_EQ(rows[2][1], "N/A");
  EXPECT_EQ(rows[2][4], "-");
  // The names found in the table go wherever they recur.
  EXPECT_EQ(doc.elements[1].text, "[NAME] [NAME] signed for Rasmussen Group.");
  EXPECT_EQ(counts["name"], 6);
}

TEST(PiiDocument, NoHeaderRowOrNamesOffKeepsCells) {
  ExtractedDocument headerless;
  headerless.elements.push_back(Table({{"Name", "Age"}, {"Sheryl", "40"}}, /*header=*/false));
  RedactDocument(headerless, *MakeRedactor(true), nullptr);
  EXPECT_EQ(headerless.elements[0].rows[1][0], "Sheryl");

  ExtractedDocument off;
  off.elements.push_back(Table({{"Name", "Age"}, {"Sheryl", "40"}}));
  RedactDocument(off, *MakeRedactor(false), nullptr);
  EXPECT_EQ(off.elements[0].rows[1][0], "Sheryl");
}

}  // namespace
}  // namespace smelter
