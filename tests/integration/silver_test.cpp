// The silver stages end to end through `smelter run`: PII never leaves
// bronze, duplicates are clustered and kept out of gold, quality rules
// quarantine with the measured values, and enriched metadata filters search.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

nlohmann::json Show(const std::string& lake, const std::string& name) {
  CommandResult show = RunSmelter({"--lake", lake, "show", name, "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return ParseJson(show.out);
}

// Every byte the lake holds outside bronze (raw input is kept as it came),
// plus what the commands printed.
std::string EverythingButBronze(const std::string& lake) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(lake)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), lake).string();
    if (rel.rfind("bronze/", 0) == 0) continue;
    all += Slurp(e.path().string());
    all += '\n';
  }
  return all;
}

// Planted values: valid of their kind (Luhn, mod-97, SSN ranges, a real
// US number), so that a miss is the redactor's fault.
const std::vector<std::string> kPlanted = {
    "jane.doe@example-corp.com", "(415) 555-2671", "+44 20 7946 0958", "536-22-8410",
    "4111 1111 1111 1111",       "GB82 WEST 1234 5698 7654 32",        "AKIAIOSFODNN7EXAMPLE",
    "203.0.113.77",              "2001:db8:85a3::8a2e:370:7334",
    // Credentials, a date of birth and a name from context.
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "s3cr3t-Pw", "1987-06-23", "Dear Maria",
};

TEST(SilverEndToEnd, PlantedPiiNeverLeavesBronze) {
  TempDir dir("silver-pii");
  const std::string lake = dir.path() + "/lake";
  const std::string docs = dir.path() + "/docs";
  WriteFile(docs + "/hr-note.txt",
            "Employee record\n\nContact Jane at jane.doe@example-corp.com or (415) 555-2671, "
            "UK office +44 20 7946 0958.\nSSN 536-22-8410. Card 4111 1111 1111 1111. "
            "IBAN GB82 WEST 1234 5698 7654 32.\nLogin from 203.0.113.77 and "
            "2001:db8:85a3::8a2e:370:7334 with key AKIAIOSFODNN7EXAMPLE.\n"
            "Order number 4111 1111 1111 1112 is not a card.\n\n"
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
            "-----END RSA PRIVATE KEY-----\n\n"
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\n\n"
            "DATABASE_URL=postgres://app:s3cr3t-Pw@db.example.com:5432/hr\n\n"
            "Date of birth: 1987-06-23.\n\nDear Maria, welcome to the team.\n");
  std::vector<std::string> planted = kPlanted;
  if (HaveCorpus()) {
    for (const char* f : {"family-day.eml", "csv-comma.csv", "prefilled_f1040.pdf"})
      fs::copy_file(CorpusDir() + "/" + f, docs + "/" + f);
    planted.push_back("mallori@unstructured.io");
    planted.push_back("zunigavanessa@smith.info");
    planted.push_back("Sheryl");  // under "First Name" in csv-comma.csv
    planted.push_back("Baxter");  // under "Last Name"
    // (Its phone numbers are mostly invalid ones, e.g. exchange 077, which
    // libphonenumber rejects and the redactor keeps, by design.)
    // The tax form's SSN field held 123456789 in an earlier revision; the
    // latest one clears it, and no stale revision may leak it.
    planted.push_back("123456789");
  }
  // A document that a quality rule quarantines: its reason and record
  // must not carry its PII either.
  WriteFile(docs + "/tiny.txt", "Reach jane.doe@example-corp.com or 536-22-8410.\n");
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  {
    std::string config = Slurp(lake + "/smelter.toml");
    const size_t at = config.find("\n[quality]\n");
    ASSERT_NE(at, std::string::npos);
    config.insert(at + 11, "min_words = 8\n");
    WriteFile(lake + "/smelter.toml", config);
  }
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json tiny = Show(lake, "tiny.txt");
  EXPECT_EQ(tiny["stage"], "quarantined") << tiny.dump();
  EXPECT_NE(tiny.dump().find("min_words"), std::string::npos) << tiny.dump();
  CommandResult status = RunSmelter({"--lake", lake, "status", "--json"});
  CommandResult search = RunSmelter({"--lake", lake, "search", "employee record contact", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;

  nlohmann::json note = Show(lake, "hr-note.txt");
  ASSERT_EQ(note["stage"], "gold") << note.dump();
  const std::string silver = Slurp(note["silver"]["markdown"].get<std::string>());
  for (const char* tag : {"[EMAIL]", "[PHONE]", "[SSN]", "[CARD]", "[IBAN]", "[IP]", "[CREDENTIAL]", "[DOB]", "[NAME]"})
    EXPECT_NE(silver.find(tag), std::string::npos) << tag << "\n" << silver;
  EXPECT_NE(silver.find("4111 1111 1111 1112"), std::string::npos) << "a number failing Luhn is kept";

  const std::string everything = EverythingButBronze(lake) + run.out + run.err + status.out + search.out;
  for (const std::string& value : planted)
    EXPECT_EQ(everything.find(value), std::string::npos) << "found a planted value outside bronze: " << value;
  // Counts per type reach the metadata (never the values).
  const std::string meta = Slurp(note["silver"]["metadata"].get<std::string>());
  EXPECT_NE(meta.find("\"ssn\": 1"), std::string::npos) << meta;
}

TEST(SilverEndToEnd, CorpusNearDuplicatesAreClustered) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found";
  TempDir dir("silver-dedup");
  const std::string lake = dir.path() + "/lake";
  const std::string docs = dir.path() + "/docs";
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"fake-memo.pdf", "fake-memo-with-duplicate-page.pdf"},
      {"handbook-1p.docx", "handbook-1p-no-rendered-page-breaks.docx"},
      {"example-steelJIS-datasheet.html", "example-steelJIS-datasheet-utf-16.html"},
      {"Strict.docx", "Transitional.docx"},
  };
  const std::vector<std::string> different = {"tracemonkey.pdf", "wiki_duck.html", "duck.md"};
  fs::create_directories(docs);
  for (const auto& [a, b] : pairs) {
    fs::copy_file(CorpusDir() + "/" + a, docs + "/" + a);
    fs::copy_file(CorpusDir() + "/" + b, docs + "/" + b);
  }
  for (const auto& f : different) fs::copy_file(CorpusDir() + "/" + f, docs + "/" + f);
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ParseJson(run.out)["duplicates"], static_cast<int>(pairs.size())) << run.out;

  CommandResult dedup = RunSmelter({"--lake", lake, "dedup", "--json"});
  ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
  nlohmann::json j = ParseJson(dedup.out);
  std::map<std::string, int> cluster_of;
  int n = 0;
  for (const auto& c : j["clusters"]) {
    ++n;
    for (const auto& m : c["members"])
      cluster_of[fs::path(m["source"].get<std::string>()).filename().string()] = n;
  }
  for (const auto& [a, b] : pairs) {
    ASSERT_TRUE(cluster_of.count(a) && cluster_of.count(b)) << a << " / " << b << "\n" << dedup.out;
    EXPECT_EQ(cluster_of[a], cluster_of[b]) << a << " / " << b;
  }
  for (const auto& f : different) EXPECT_FALSE(cluster_of.count(f)) << f << " was clustered";

  // Exactly one of each pair is in gold; the other points at it.
  for (const auto& [a, b] : pairs) {
    nlohmann::json da = Show(lake, a), db = Show(lake, b);
    std::set<std::string> stages = {da["stage"], db["stage"]};
    EXPECT_EQ(stages, (std::set<std::string>{"gold", "duplicate"})) << a << " / " << b;
  }
  CommandResult text = RunSmelter({"--lake", lake, "dedup"});
  EXPECT_NE(text.out.find("canonical"), std::string::npos) << text.out;
}

TEST(SilverEndToEnd, QualityRulesQuarantineWithMeasuredValues) {
  TempDir dir("silver-quality");
  const std::string lake = dir.path() + "/lake";
  const std::string docs = dir.path() + "/docs";
  WriteFile(docs + "/tiny.txt", "Too short here.\n");
  std::string words;
  for (int i = 0; i < 40; ++i) words += "The furnace keeps the copper molten while slag is skimmed off. ";
  WriteFile(docs + "/fine.txt", words + "\n");
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << "[quality]\nmin_words = 20\n"
                                           "languages = { values = [\"de\"], action = \"warn\" }\n";
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json tiny = Show(lake, "tiny.txt");
  EXPECT_EQ(tiny["reason"], "quality rules");
  EXPECT_NE(tiny["error"].get<std::string>().find("min_words: 3 < 20"), std::string::npos) << tiny.dump();
  EXPECT_EQ(Show(lake, "fine.txt")["stage"], "gold");

  CommandResult report = RunSmelter({"--lake", lake, "quality", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  nlohmann::json r = ParseJson(report.out);
  EXPECT_EQ(r["documents"], 2) << report.out;
  EXPECT_EQ(r["rejected"], 1) << report.out;
  bool saw_languages = false;
  for (const auto& rule : r["rules"])
    if (rule["rule"] == "languages") {
      saw_languages = true;
      EXPECT_EQ(rule["failed"], 2) << report.out;  // both are English: warned
    }
  EXPECT_TRUE(saw_languages) << report.out;
  CommandResult text = RunSmelter({"--lake", lake, "quality"});
  EXPECT_NE(text.out.find("min_words"), std::string::npos) << text.out;
}

TEST(SilverEndToEnd, EnrichedMetadataFiltersSearch) {
  TempDir dir("silver-enrich");
  const std::string lake = dir.path() + "/lake";
  const std::string docs = dir.path() + "/docs";
  WriteFile(docs + "/finance/budget.md", "# Budget\n\nThe smelter budget for furnace relining is approved.\n");
  WriteFile(docs + "/hr/salaries.md", "# Salaries\n\nCONFIDENTIAL\n\nFurnace crew salaries rise with the budget.\n");
  WriteFile(docs + "/ops/furnace.md", "# Furnace\n\nRelining the furnace happens every budget year.\n");
  WriteFile(docs + "/ops/furnace.md.metadata.json",
            R"({"metadataAttributes": {"department": "operations", "security_level": "internal"}})");
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << "[enrich.path_tags]\n\"**/finance/**\" = [\"finance\"]\n";
  CommandResult ingest = RunSmelter({"--lake", lake, "ingest", docs, "--json"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(ParseJson(ingest.out)["files"], 3) << "the sidecar is not a document";
  ASSERT_EQ(RunSmelter({"--lake", lake, "run"}).exit_code, 0);

  auto files_for = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--lake", lake, "search", "furnace budget", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult s = RunSmelter(args);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    std::set<std::string> files;
    for (const auto& h : ParseJson(s.out)) files.insert(h["file_name"].get<std::string>());
    return files;
  };
  EXPECT_EQ(files_for({}), (std::set<std::string>{"budget.md", "salaries.md", "furnace.md"}));
  EXPECT_EQ(files_for({"--filter", "security_level<=internal"}),
            (std::set<std::string>{"budget.md", "furnace.md"}));
  EXPECT_EQ(files_for({"--filter", "security_level=public"}), (std::set<std::string>{"budget.md"}));
  EXPECT_EQ(files_for({"--filter", "tags=finance"}), (std::set<std::string>{"budget.md"}));
  EXPECT_EQ(files_for({"--filter", "department=operations", "--filter", "language=en"}),
            (std::set<std::string>{"furnace.md"}));
  CommandResult bad = RunSmelter({"--lake", lake, "search", "x", "--filter", "security_level<<public"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;

  // The chunks carry the attributes too.
  nlohmann::json salaries = Show(lake, "salaries.md");
  const std::string gold = Slurp(salaries["gold"]["chunks_file"].get<std::string>());
  EXPECT_NE(gold.find("\"security_level\":\"confidential\""), std::string::npos) << gold.substr(0, 800);
}

}  // namespace
}  // namespace smelter::testing
