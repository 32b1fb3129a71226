// A parser that crashes, hangs or eats memory costs one document, not the
// run; documents inside documents (archive members, attachments) are
// extracted as documents of their own, linked to their parent.
//
// The failures are real: the extraction worker is told (through the
// SMELTER_FAILPOINT test hook) to abort, hang or allocate without bound on
// one file, and the tests check what the whole `smelter run` does about it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <zip.h>

#include <fstream>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A lake with three small text files ingested, one of them "victim.txt".
std::string LakeWithThreeFiles(const TempDir& dir, const std::string& config = "") {
  const std::string lake = dir.path() + "/lake";
  const std::string docs = dir.path() + "/docs";
  WriteFile(docs + "/alpha.txt", "Alpha document about copper smelting furnaces and slag.\n");
  WriteFile(docs + "/beta.txt", "Beta document about bauxite refining into alumina.\n");
  WriteFile(docs + "/victim.txt", "The parser gives up on this one on purpose.\n");
  EXPECT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  if (!config.empty()) std::ofstream(lake + "/smelter.toml") << config;
  CommandResult ingest = RunSmelter({"--lake", lake, "ingest", docs});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  return lake;
}

nlohmann::json Show(const std::string& lake, const std::string& name) {
  CommandResult show = RunSmelter({"--lake", lake, "show", name, "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return ParseJson(show.out);
}

class FailpointTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("SMELTER_FAILPOINT"); }
};

TEST_F(FailpointTest, WorkerThatAbortsCostsOneDocument) {
  TempDir dir("isolation-abort");
  const std::string lake = LakeWithThreeFiles(dir);
  setenv("SMELTER_FAILPOINT", "abort:victim", 1);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["documents"], 3);
  EXPECT_EQ(r["gold"], 2);
  EXPECT_EQ(r["quarantined_by_reason"]["parser crashed"], 1) << r.dump();

  nlohmann::json victim = Show(lake, "victim.txt");
  EXPECT_EQ(victim["reason"], "parser crashed");
  const std::string error = victim["error"].get<std::string>();
  EXPECT_NE(error.find("SIGABRT"), std::string::npos) << error;
  EXPECT_NE(error.find("failpoint: aborting on victim.txt"), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(lake + "/quarantine/" + victim["id"].get<std::string>() + ".json"));

  // The documents after the crash were processed by a fresh worker.
  CommandResult search = RunSmelter({"--lake", lake, "search", "bauxite alumina", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("beta.txt"), std::string::npos) << search.out;
}

TEST_F(FailpointTest, HangingParserTimesOut) {
  TempDir dir("isolation-hang");
  const std::string lake = LakeWithThreeFiles(dir, "[extract]\ntimeout_seconds = 2\n");
  setenv("SMELTER_FAILPOINT", "hang:victim", 1);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["gold"], 2);
  EXPECT_EQ(r["quarantined_by_reason"]["timeout"], 1) << r.dump();
  nlohmann::json victim = Show(lake, "victim.txt");
  EXPECT_NE(victim["error"].get<std::string>().find("extract.timeout_seconds"), std::string::npos);
}

TEST_F(FailpointTest, MemoryBlowupIsStopped) {
  TempDir dir("isolation-memory");
  const std::string lake = LakeWithThreeFiles(dir, "[extract]\nmemory_limit_mb = 300\n");
  setenv("SMELTER_FAILPOINT", "balloon:victim", 1);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["gold"], 2);
  EXPECT_EQ(r["quarantined_by_reason"]["memory limit"], 1) << r.dump();
}

TEST(Isolation, InProcessModeStillWorks) {
  TempDir dir("isolation-none");
  const std::string lake = LakeWithThreeFiles(dir, "[extract]\nisolation = \"none\"\n");
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ParseJson(run.out)["gold"], 3);
}

// Builds a ZIP in memory with libzip: {name -> contents}.
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  zip_source_keep(buffer);
  for (const auto& [name, data] : members) {
    char* copy = static_cast<char*>(malloc(data.size()));
    memcpy(copy, data.data(), data.size());
    zip_source_t* src = zip_source_buffer(archive, copy, data.size(), 1);
    zip_file_add(archive, name.c_str(), src, ZIP_FL_OVERWRITE);
  }
  zip_close(archive);
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<size_t>(size), '\0');
  zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

std::string NestedArchive() {
  std::string inner = MakeZip({{"deep/notes.md", "# Inner notes\n\nThe tungsten carbide inserts are in the inner archive.\n"}});
  return MakeZip({{"reports/q3.md", "# Q3 report\n\nMolybdenum output rose by a tenth.\n"},
                  {"readme.txt", "Cobalt price memo, plain text.\n"},
                  {"inner.zip", inner}});
}

TEST(Children, ArchiveMembersBecomeLinkedDocuments) {
  TempDir dir("children-zip");
  const std::string lake = dir.path() + "/lake";
  WriteFile(dir.path() + "/in/bundle.zip", NestedArchive());
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", dir.path() + "/in"}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  // bundle.zip, its three members, and the inner archive's one member.
  EXPECT_EQ(r["documents"], 5) << r.dump();
  EXPECT_EQ(r["children"], 4) << r.dump();
  EXPECT_EQ(r["gold"], 5) << r.dump();

  nlohmann::json bundle = Show(lake, "bundle.zip");
  ASSERT_EQ(bundle["children"].size(), 3u) << bundle.dump();
  nlohmann::json q3 = Show(lake, "q3.md");
  EXPECT_EQ(q3["parent_id"], bundle["id"]);
  EXPECT_NE(q3["source_uri"].get<std::string>().find("bundle.zip!/reports/q3.md"), std::string::npos);

  // A member of the archive inside the archive is searchable.
  CommandResult search = RunSmelter({"--lake", lake, "search", "tungsten carbide inserts", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  nlohmann::json hits = ParseJson(search.out);
  ASSERT_TRUE(hits.is_array() && !hits.empty()) << search.out;
  EXPECT_EQ(hits[0]["file_name"], "notes.md") << search.out;

  // Nothing left over, nothing done twice.
  CommandResult again = RunSmelter({"--lake", lake, "run"});
  EXPECT_NE(again.out.find("Nothing to do"), std::string::npos) << again.out;
}

TEST(Children, NestingDeeperThanTheLimitIsQuarantined) {
  TempDir dir("children-depth");
  const std::string lake = dir.path() + "/lake";
  WriteFile(dir.path() + "/in/bundle.zip", NestedArchive());
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << "[extract]\nmax_depth = 1\n";
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", dir.path() + "/in"}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_EQ(r["quarantined_by_reason"]["too deeply nested"], 1) << r.dump();
  nlohmann::json notes = Show(lake, "notes.md");
  EXPECT_EQ(notes["reason"], "too deeply nested");
}

TEST(Children, EmailAttachmentIsAChildDocument) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found";
  TempDir dir("children-mail");
  const std::string lake = dir.path() + "/lake";
  std::filesystem::create_directories(dir.path() + "/in");
  std::filesystem::copy_file(CorpusDir() + "/fake-email-attachment.eml", dir.path() + "/in/mail.eml");
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", dir.path() + "/in"}).exit_code, 0);
  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json r = ParseJson(run.out);
  EXPECT_GE(r["children"].get<int>(), 1) << r.dump();
  nlohmann::json mail = Show(lake, "mail.eml");
  ASSERT_GE(mail["children"].size(), 1u) << mail.dump();
  EXPECT_EQ(mail["children"][0]["stage"], "gold") << mail.dump();
}

}  // namespace
}  // namespace smelter::testing
