// End to end on the shared corpus of real-world documents: every file is
// accounted for, text formats carry known phrases into silver, searches
// find the right document, and a second run does nothing.
//
// The whole pipeline runs once, in one test, because it is the expensive
// part; the assertions are grouped with SCOPED_TRACE.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

namespace fs = std::filesystem;

struct Lake {
  std::string path;
  std::string Silver(const std::string& file) const {
    CommandResult show = RunSmelter({"--lake", path, "show", file, "--json"});
    if (show.exit_code != 0) return "<show failed: " + show.err + ">";
    nlohmann::json j = ParseJson(show.out);
    if (!j["silver"].is_object()) return "<no silver: " + j.value("reason", "") + " " + j.value("error", "") + ">";
    return Slurp(j["silver"]["markdown"].get<std::string>());
  }
  nlohmann::json Show(const std::string& file) const {
    return ParseJson(RunSmelter({"--lake", path, "show", file, "--json"}).out);
  }
};

TEST(CorpusEndToEnd, EveryFileAccountedForWithRealContent) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found at " << CorpusDir();
  TempDir dir("corpus");
  Lake lake{dir.path() + "/lake"};
  ASSERT_EQ(RunSmelter({"init", lake.path}).exit_code, 0);
  CommandResult ingest = RunSmelter({"--lake", lake.path, "ingest", CorpusDir(), "--json"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(CorpusDir()))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') ++files;
  EXPECT_EQ(ParseJson(ingest.out)["files"], files);

  CommandResult run = RunSmelter({"--lake", lake.path, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json summary = ParseJson(run.out);
  ASSERT_TRUE(summary.is_object()) << run.out;

  {
    SCOPED_TRACE("every file is a silver document or a quarantine entry with a reason");
    nlohmann::json st = ParseJson(RunSmelter({"--lake", lake.path, "status", "--json"}).out);
    int64_t objects = st["bronze"]["objects"];
    EXPECT_EQ(st["bronze"]["sources"], files);
    EXPECT_EQ(st["documents"].value("bronze", 0), 0);
    EXPECT_EQ(st["documents"].value("gold", 0) + st["documents"].value("quarantined", 0) +
                  st["documents"].value("duplicate", 0),
              objects);
    // Every object is a document: the files, and what was found inside them.
    EXPECT_EQ(summary["documents"], objects);
    // fake-email-attachment.eml and .msg carry the same attachment (stored
    // once); email-with-image.eml its logo.
    EXPECT_GE(summary["children"].get<int>(), 2) << "email attachments";
    for (const auto& e : fs::directory_iterator(CorpusDir())) {
      std::string name = e.path().filename().string();
      nlohmann::json doc = lake.Show(e.path().string());
      ASSERT_TRUE(doc.is_object()) << name;
      std::string stage = doc["stage"];
      EXPECT_TRUE(stage == "gold" || stage == "quarantined" || stage == "duplicate") << name << ": " << stage;
      if (stage == "quarantined") {
        EXPECT_FALSE(doc["reason"].get<std::string>().empty()) << name;
        // Every format the corpus holds has an extractor, and what fails
        // fails for a reason the file itself gives (no timeouts, crashes,
        // internal errors or "unsupported type"), with a detail.
        const std::string reason = doc["reason"];
        EXPECT_TRUE(reason == "corrupt" || reason == "encrypted" || reason == "empty")
            << name << ": " << reason << ": " << doc.value("error", "");
        EXPECT_FALSE(doc.value("error", "").empty()) << name;
        EXPECT_TRUE(fs::exists(lake.path + "/quarantine/" + doc["id"].get<std::string>() + ".json")) << name;
      } else if (stage == "gold") {
        EXPECT_TRUE(fs::exists(doc["silver"]["markdown"].get<std::string>())) << name;
        EXPECT_FALSE(doc["chunks"].empty()) << name;
      } else {
        EXPECT_TRUE(doc["chunks"].empty()) << name << ": a duplicate stays out of gold";
      }
    }
  }

  {
    SCOPED_TRACE("bad inputs are quarantined with the right reason");
    const std::map<std::string, std::string> expected = {
        {"password.pdf", "encrypted"},
        {"libreoffice-writer-password.pdf", "encrypted"},
        {"empty.txt", "empty"},
        {"fake-text-all-whitespace.txt", "empty"},
        {"bug1020226.pdf", "corrupt"},
        {"password_protected.xlsx", "encrypted"},
        {"fake-encrypted.msg", "encrypted"},
        {"testWORD_truncated.docx", "corrupt"},
        {"empty.pdf", "empty"},
    };
    for (const auto& [file, reason] : expected) {
      nlohmann::json doc = lake.Show(file);
      EXPECT_EQ(doc["stage"], "quarantined") << file;
      EXPECT_EQ(doc["reason"], reason) << file << ": " << doc.value("error", "");
    }
  }

  {
    SCOPED_TRACE("a mislabeled file is read as what it is");
    nlohmann::json doc = lake.Show("testODTnotaZipFile.odt");
    EXPECT_EQ(doc["type"], "text");
    EXPECT_NE(lake.Silver("testODTnotaZipFile.odt").find("This is not a zip file!"), std::string::npos);
  }

  {
    SCOPED_TRACE("known phrases reach silver, per format");
    const std::vector<std::pair<std::string, std::string>> phrases = {
        // plain text, in UTF-8, UTF-16, UTF-32 and Windows-1252
        {"testTXT_win-1252.txt", "“windows” encoding"},
        {"fake-text-utf-16-le.txt", "Doylestown, PA 18901"},
        {"fake-text-utf-32.txt", "This is a test document to use for unit tests."},
        {"book-war-and-peace-1p.txt", "Prince"},
        // Markdown, including a Latin-1 file
        {"umlauts-non-utf8.md", "können"},
        {"umlauts-non-utf8.md", "äöüß"},
        {"duck.md", "# Swimming in the lake"},
        {"wiki.md", "International Business Machines Corporation"},
        // HTML, including Windows-1252 and UTF-16
        {"fake-html-cp1252.html", "Die schöne Frau"},
        {"fake-html-cp1252.html", "15,50 €"},
        {"wiki_duck.html", "Duck"},
        {"example-with-scripts.html", "Russian Offensive Campaign Assessment"},
        {"example-steelJIS-datasheet-utf-16.html", "JIS"},
        // PDF with a text layer
        {"tracemonkey.pdf", "Trace-based Just-in-Time Type Specialization"},
        {"layout-parser-paper-fast.pdf", "LayoutParser"},
        {"copy-protected.pdf", "LayoutParser"},
        {"korean-text-with-tables.pdf", "빅포인트"},
        // scanned pages, read by OCR
        {"nemotron_multipage.pdf", "Docling"},
        {"loremipsum-flat.pdf", "Lorem ipsum"},
        // RTF with its code page; legacy Office
        {"testRTFWindowsCodepage1250.rtf", "zażółć gęślą jaźń"},
        {"fake-doc.rtf", "# My First Heading"},
        {"fake.doc", "Lorem ipsum dolor sit amet"},
        {"tests-example.xls", "What is 2+2?"},
        {"fake-power-point.ppt", "Adding a Bullet Slide"},
        // mail and wiki
        {"fake-email.eml", "Test Email"},
        // a wiki export lists its pages; each page is a document of its own
        {"dump.xml", "- Talk:Page title"},
        {"Page title.md", "A bunch of [text](https://pl.wikipedia.org/wiki/Special:MyLanguage/text) here."},
        {"Talk:Page title.md", "WHYD YOU LOCK PAGE"},
    };
    for (const auto& [file, phrase] : phrases) {
      std::string silver = lake.Silver(file);
      EXPECT_NE(silver.find(phrase), std::string::npos) << file << " lacks \"" << phrase << "\"\n"
                                                        << silver.substr(0, 600);
    }
    // No script or style text from the page with scripts.
    std::string scripted = lake.Silver("example-with-scripts.html");
    EXPECT_EQ(scripted.find("function("), std::string::npos);
    EXPECT_EQ(scripted.find("gtag("), std::string::npos);
  }

  {
    SCOPED_TRACE("PDF pages are kept");
    nlohmann::json doc = lake.Show("tracemonkey.pdf");
    EXPECT_EQ(doc["pages"], 14);
    int max_page = 0;
    for (const auto& c : doc["chunks"]) max_page = std::max(max_page, c["page_end"].get<int>());
    EXPECT_EQ(max_page, 14);
  }

  {
    SCOPED_TRACE("searches rank the right document first");
    // Each query names the document(s) that may rank first: the corpus
    // holds the same paper twice (copy-protected.pdf is layout-parser).
    const std::vector<std::pair<std::string, std::set<std::string>>> queries = {
        {"trace-based just-in-time compilation of dynamic languages", {"tracemonkey.pdf"}},
        {"ducks swimming in the lake on a summer day", {"duck.md"}},
        {"Russian offensive campaign assessment December", {"example-with-scripts.html"}},
        {"toolkit for deep learning based document image analysis",
         {"layout-parser-paper-fast.pdf", "copy-protected.pdf"}},
        {"IBM nicknamed Big Blue headquartered in Armonk", {"wiki.md"}},
    };
    for (const auto& [query, files] : queries) {
      CommandResult s = RunSmelter({"--lake", lake.path, "search", query, "-k", "5", "--json"});
      ASSERT_EQ(s.exit_code, 0) << s.err;
      nlohmann::json hits = ParseJson(s.out);
      ASSERT_FALSE(hits.empty()) << query;
      EXPECT_TRUE(files.count(hits[0]["file_name"].get<std::string>()))
          << query << " -> " << hits[0]["file_name"];
    }
  }

  {
    SCOPED_TRACE("a second run does no work");
    CommandResult again = RunSmelter({"--lake", lake.path, "run"});
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("Nothing to do: 0 documents"), std::string::npos) << again.out;
  }
}

}  // namespace
}  // namespace smelter::testing
