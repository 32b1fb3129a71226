// End to end on the bundled examples: init, ingest, run, search, status,
// show, and a second run that does nothing.
#include <gtest/gtest.h>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

const std::string kExamples = std::string(SMELTER_SOURCE_DIR) + "/examples";

std::string SilverOf(const std::string& lake, const std::string& name) {
  CommandResult show = RunSmelter({"--lake", lake, "show", name, "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  nlohmann::json j = ParseJson(show.out);
  if (!j.is_object() || !j["silver"].is_object()) return "";
  return Slurp(j["silver"]["markdown"].get<std::string>());
}

TEST(ExamplesEndToEnd, IngestRunSearchShowStatus) {
  TempDir dir("examples");
  const std::string lake = dir.path() + "/lake";
  CommandResult init = RunSmelter({"init", lake});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  for (const char* zone : {"bronze", "silver", "gold", "quarantine"})
    EXPECT_TRUE(std::filesystem::is_directory(lake + "/" + zone)) << zone;
  EXPECT_NE(Slurp(lake + "/smelter.toml").find("# max_tokens = 512"), std::string::npos);

  CommandResult ingest = RunSmelter({"--lake", lake, "ingest", kExamples, "--json"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  nlohmann::json ing = ParseJson(ingest.out);
  EXPECT_EQ(ing["files"], 5);
  EXPECT_EQ(ing["new_objects"], 5);

  // The same bytes again, from the same and from another path: stored once.
  TempDir other("examples-copy");
  std::filesystem::copy_file(kExamples + "/lake-guide.md", other.path() + "/copy-of-guide.md");
  CommandResult again = RunSmelter({"--lake", lake, "ingest", kExamples, other.path(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  nlohmann::json ag = ParseJson(again.out);
  EXPECT_EQ(ag["files"], 6);
  EXPECT_EQ(ag["new_objects"], 0);
  EXPECT_EQ(ag["known_objects"], 6);

  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;  // a quarantined file is a warning, not a failure
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["documents"], 5);
  EXPECT_EQ(r["gold"], 4);
  EXPECT_EQ(r["quarantined"], 1);
  EXPECT_EQ(r["quarantined_by_reason"]["corrupt"], 1);
  EXPECT_EQ(r["pages"], 2);  // the two-page handbook PDF

  // --strict turns quarantine into a non-zero exit on the next run with work.
  // (Nothing is pending now, so it exits 0 and says so.)
  CommandResult second = RunSmelter({"--lake", lake, "run"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("Nothing to do: 0 documents"), std::string::npos) << second.out;

  // Windows-1252 text comes out as UTF-8.
  std::string notes = SilverOf(lake, "cafe-meeting-notes.txt");
  EXPECT_NE(notes.find("Café Müller"), std::string::npos) << notes;
  EXPECT_NE(notes.find("€1,200"), std::string::npos) << notes;
  EXPECT_NE(notes.find("“Müller”"), std::string::npos) << notes;

  // HTML: no script or navigation; headings, lists and the table survive.
  std::string faq = SilverOf(lake, "retrieval-faq.html");
  EXPECT_EQ(faq.find("analytics"), std::string::npos) << faq;
  EXPECT_EQ(faq.find("Blog"), std::string::npos) << faq;
  EXPECT_NE(faq.find("## What is hybrid search?"), std::string::npos) << faq;
  EXPECT_NE(faq.find("all-MiniLM-L6-v2"), std::string::npos) << faq;
  EXPECT_NE(faq.find("| vector | paraphrases and synonyms |"), std::string::npos) << faq;

  // Search ranks the right document first.
  struct Query {
    const char* text;
    const char* file;
  } queries[] = {
      {"reciprocal rank fusion of keyword and vector rankings", "retrieval-faq.html"},
      {"raw files stored byte for byte named by their hash", "lake-guide.md"},
      {"scanned invoices waiting for optical character recognition", "cafe-meeting-notes.txt"},
      {"consecutive chunks share overlapping tokens", "chunking-handbook.pdf"},
  };
  for (const Query& q : queries) {
    CommandResult s = RunSmelter({"--lake", lake, "search", q.text, "-k", "3", "--json"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    nlohmann::json hits = ParseJson(s.out);
    ASSERT_TRUE(hits.is_array() && !hits.empty()) << q.text << "\n" << s.out;
    EXPECT_EQ(hits[0]["file_name"], q.file) << q.text << "\n" << s.out;
  }

  // The human-readable search output names file, title, pages and a snippet.
  CommandResult human = RunSmelter({"--lake", lake, "search", "overlap between chunks", "-k", "1"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find(" 1. ["), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("chunking-handbook.pdf"), std::string::npos) << human.out;
  // The PDF's headings (found by font size) become the heading path.
  EXPECT_NE(human.out.find("Chunking Handbook > 2. Structure first  p. 1"), std::string::npos) << human.out;

  // Lineage: source -> bronze -> silver -> chunks with pages.
  CommandResult show = RunSmelter({"--lake", lake, "show", "chunking-handbook.pdf", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  nlohmann::json doc = ParseJson(show.out);
  EXPECT_EQ(doc["stage"], "gold");
  EXPECT_EQ(doc["title"], "Chunking Handbook");
  EXPECT_EQ(doc["pages"], 2);
  EXPECT_TRUE(std::filesystem::exists(doc["bronze"]["path"].get<std::string>()));
  ASSERT_FALSE(doc["chunks"].empty());
  EXPECT_EQ(doc["chunks"][0]["page_start"], 1);
  EXPECT_EQ(doc["chunks"].back()["page_end"], 2);
  std::string gold = Slurp(doc["gold"]["chunks_file"].get<std::string>());
  nlohmann::json first = ParseJson(gold.substr(0, gold.find('\n')));
  EXPECT_EQ(first["vector"].size(), 1024u);
  EXPECT_EQ(first["metadata"]["file_name"], "chunking-handbook.pdf");

  // The quarantined file has its reason on disk and in status.
  CommandResult bad = RunSmelter({"--lake", lake, "show", "truncated-report.pdf", "--json"});
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  nlohmann::json b = ParseJson(bad.out);
  EXPECT_EQ(b["stage"], "quarantined");
  EXPECT_EQ(b["reason"], "corrupt");
  nlohmann::json q = ParseJson(Slurp(lake + "/quarantine/" + b["id"].get<std::string>() + ".json"));
  EXPECT_EQ(q["reason"], "corrupt");

  CommandResult status = RunSmelter({"--lake", lake, "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  nlohmann::json st = ParseJson(status.out);
  EXPECT_EQ(st["bronze"]["objects"], 5);
  EXPECT_EQ(st["bronze"]["sources"], 6);
  EXPECT_EQ(st["documents"]["gold"], 4);
  EXPECT_EQ(st["quarantined_by_reason"]["corrupt"], 1);
  ASSERT_GE(st["runs"].size(), 1u);
  EXPECT_EQ(st["runs"][0]["status"], "ok");
}

TEST(ExamplesEndToEnd, StrictExitsNonZeroWhenQuarantined) {
  TempDir dir("strict");
  const std::string lake = dir.path() + "/lake";
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", kExamples + "/truncated-report.pdf"}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--strict"});
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
}

TEST(Cli, HelpOnEveryCommandAndClearErrors) {
  CommandResult top = RunSmelter({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* cmd : {"init", "ingest", "run", "search", "status", "show", "model", "eval", "config"}) {
    EXPECT_NE(top.out.find(cmd), std::string::npos) << cmd;
    CommandResult help = RunSmelter({cmd, "--help"});
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_NE(help.out.find("Usage: smelter " + std::string(cmd)), std::string::npos) << help.out;
  }
  TempDir dir("nolake");
  CommandResult missing = RunSmelter({"--lake", dir.path() + "/nowhere", "status"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("smelter init"), std::string::npos) << missing.err;
  CommandResult unknown = RunSmelter({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  CommandResult bad_opt = RunSmelter({"search", "x", "--bogus"});
  EXPECT_EQ(bad_opt.exit_code, 2);
  EXPECT_NE(bad_opt.err.find("--bogus"), std::string::npos);
}

TEST(Cli, ConfigTyposAreErrorsThatNameTheKey) {
  TempDir dir("config");
  const std::string lake = dir.path() + "/lake";
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  EXPECT_EQ(RunSmelter({"--lake", lake, "config"}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << "[chunk]\nmax_tokkens = 100\n";
  CommandResult r = RunSmelter({"--lake", lake, "config"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("chunk.max_tokkens"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smelter::testing

namespace smelter::testing {
namespace {

TEST(ExamplesEndToEnd, ChangingTheEmbeddingModelReembedsEverything) {
  TempDir dir("model-change");
  const std::string lake = dir.path() + "/lake";
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", "-q", kExamples}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "run", "-q"}).exit_code, 0);

  std::ofstream(lake + "/smelter.toml") << "[embed]\ndimension = 256\n";
  CommandResult stale = RunSmelter({"--lake", lake, "search", "lake"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("smelter run"), std::string::npos) << stale.err;

  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["model_changed_from"], "builtin-hash-v1:1024");
  EXPECT_EQ(r["gold"], 4);
  nlohmann::json doc = ParseJson(RunSmelter({"--lake", lake, "show", "lake-guide.md", "--json"}).out);
  std::string gold = Slurp(doc["gold"]["chunks_file"].get<std::string>());
  EXPECT_EQ(ParseJson(gold.substr(0, gold.find('\n')))["vector"].size(), 256u);
  CommandResult s = RunSmelter({"--lake", lake, "search", "bronze zone raw bytes", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(ParseJson(s.out)[0]["file_name"], "lake-guide.md");
  EXPECT_NE(RunSmelter({"--lake", lake, "run"}).out.find("Nothing to do"), std::string::npos);
}

}  // namespace
}  // namespace smelter::testing

namespace smelter::testing {
namespace {

// docs/config.md is generated from the settings table; this keeps it from
// drifting (regenerate with `build/smelter config --reference > docs/config.md`).
TEST(Cli, ConfigReferenceInDocsIsCurrent) {
  CommandResult ref = RunSmelter({"config", "--reference"});
  ASSERT_EQ(ref.exit_code, 0);
  EXPECT_EQ(ref.out, Slurp(std::string(SMELTER_SOURCE_DIR) + "/docs/config.md"))
      << "docs/config.md is stale: run `build/smelter config --reference > docs/config.md`";
}

}  // namespace
}  // namespace smelter::testing

namespace smelter::testing {
namespace {

// The in-process transformer through the whole pipeline: the small random
// BERT committed for the parity test stands in for a pulled model.
TEST(ExamplesEndToEnd, LocalTransformerModelEmbedsThePipeline) {
  TempDir dir("local-model");
  const std::string lake = dir.path() + "/lake";
  const std::string model = std::string(SMELTER_SOURCE_DIR) + "/tests/embed/reference";
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << "[embed]\nmodel = \"local:" << model << "\"\n";
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", "-q", kExamples}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ParseJson(run.out)["gold"], 4);
  nlohmann::json doc = ParseJson(RunSmelter({"--lake", lake, "show", "lake-guide.md", "--json"}).out);
  std::string gold = Slurp(doc["gold"]["chunks_file"].get<std::string>());
  nlohmann::json chunk = ParseJson(gold.substr(0, gold.find('\n')));
  const nlohmann::json& v = chunk["vector"];
  ASSERT_EQ(v.size(), 32u);  // the reference model's hidden size
  double norm = 0;
  for (const auto& x : v) norm += x.get<double>() * x.get<double>();
  EXPECT_NEAR(norm, 1.0, 1e-4);
  CommandResult s = RunSmelter({"--lake", lake, "search", "bronze zone raw bytes", "--mode", "vector", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_FALSE(ParseJson(s.out).empty());

  // A model that is not there: a clear error naming the file, no crash.
  std::ofstream(lake + "/smelter.toml") << "[embed]\nmodel = \"hf:nobody/nothing\"\nmodel_cache_dir = \""
                                        << dir.path() << "/models\"\n";
  CommandResult missing = RunSmelter({"--lake", lake, "run"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("smelter model pull nobody/nothing"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace smelter::testing
