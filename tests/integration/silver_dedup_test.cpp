// Deduplication beyond whole documents, end to end through `smelter run`:
// paragraphs repeated across documents left out of later chunks
// (dedup.paragraphs), the "priority" canonical policy with
// [dedup.path_priority], run summaries that agree with `smelter status`
// when a newer copy supersedes a canonical one, and a shared attachment
// linked to both of its parents.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDisclaimer =
    "This e-mail and any attachments are confidential and may be privileged. If you are not the intended "
    "recipient, please notify the sender immediately and delete it from your system.";

void WriteFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Sets a file's modified time to `seconds_ago` before now, so the
// "newest" policy has something to go by (files written in the same second
// would tie).
void SetAge(const std::string& path, int seconds_ago) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
}

// A paragraph of `words` words drawn from a small vocabulary: different
// seeds make texts that share words but hardly any three-word shingle, so
// whole documents are never near duplicates of each other.
std::string Body(unsigned seed, int words = 100) {
  static const char* const kWords[] = {
      "copper", "slag",   "furnace", "crucible", "ingot",  "alloy",   "ladle",  "tuyere",  "bellows", "anode",
      "cathode", "ore",   "flux",    "quench",   "temper", "forge",   "billet", "casting", "mould",   "kiln",
      "oxide",  "sulfur", "zinc",    "tin",      "nickel", "cobalt",  "matte",  "blister", "bauxite", "converter"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, std::size(kWords) - 1);
  std::string out = "Report";
  for (int i = 0; i < words; ++i) out += std::string(" ") + kWords[pick(rng)];
  return out + ".";
}

struct GeneratedDoc {
  std::string name;
  std::vector<std::string> own;  // paragraphs only this document has
};

// A note with its own paragraphs around the shared disclaimer and a short
// "Thanks" line that every note repeats too.
GeneratedDoc WriteNote(const std::string& dir, int i, bool with_disclaimer = true) {
  GeneratedDoc d;
  d.name = "note-" + std::to_string(i) + ".md";
  d.own = {Body(100 + i), Body(200 + i), Body(300 + i)};
  std::string text = "# Note " + std::to_string(i) + "\n\n" + d.own[0] + "\n\n";
  if (with_disclaimer) text += kDisclaimer + "\n\n";
  text += "Thanks\n\n" + d.own[1] + "\n\n" + d.own[2] + "\n";
  WriteFile(dir + "/" + d.name, text);
  return d;
}

nlohmann::json Show(const std::string& lake, const std::string& name) {
  CommandResult show = RunSmelter({"--lake", lake, "show", name, "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return ParseJson(show.out);
}

nlohmann::json StatusJson(const std::string& lake) {
  CommandResult status = RunSmelter({"--lake", lake, "status", "--json"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  return ParseJson(status.out);
}

nlohmann::json RunJson(const std::string& lake, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--lake", lake, "run", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult run = RunSmelter(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return ParseJson(run.out);
}

// The gold chunks of a document, one JSON object per chunk.
std::vector<nlohmann::json> GoldChunks(const std::string& lake, const std::string& name) {
  nlohmann::json d = Show(lake, name);
  std::vector<nlohmann::json> out;
  if (d["stage"] != "gold") return out;
  std::istringstream lines(Slurp(d["gold"]["chunks_file"].get<std::string>()));
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty()) out.push_back(ParseJson(line));
  return out;
}

std::string GoldText(const std::string& lake, const std::string& name) {
  std::string all;
  for (const auto& c : GoldChunks(lake, name)) all += c["text"].get<std::string>() + "\n";
  return all;
}

int64_t StageCount(const nlohmann::json& status, const char* stage) {
  return status["documents"].contains(stage) ? status["documents"][stage].get<int64_t>() : 0;
}

// The run summary counts where documents ended: the same numbers as
// `smelter status` for a lake that one run processed.
void ExpectSummaryMatchesStatus(const nlohmann::json& run, const nlohmann::json& status) {
  EXPECT_EQ(run["gold"].get<int64_t>(), StageCount(status, "gold")) << run.dump() << status.dump();
  EXPECT_EQ(run["duplicates"].get<int64_t>(), StageCount(status, "duplicate")) << run.dump() << status.dump();
  EXPECT_EQ(run["quarantined"].get<int64_t>(), StageCount(status, "quarantined")) << run.dump() << status.dump();
  EXPECT_EQ(StageCount(status, "bronze"), 0) << status.dump();
  EXPECT_EQ(run["documents"].get<int64_t>(),
            run["gold"].get<int64_t>() + run["duplicates"].get<int64_t>() + run["quarantined"].get<int64_t>())
      << run.dump();
  EXPECT_EQ(run["chunks"], status["chunks"]) << run.dump() << status.dump();
  ASSERT_FALSE(status["runs"].empty());
  EXPECT_EQ(status["runs"][0]["gold"], run["gold"]) << "the catalog's run record agrees";
}

std::string LakeWith(const TempDir& dir, const std::string& config) {
  const std::string lake = dir.path() + "/lake";
  EXPECT_EQ(RunSmelter({"init", lake}).exit_code, 0);
  std::ofstream(lake + "/smelter.toml") << config;
  return lake;
}

TEST(ParagraphDedup, RepeatedDisclaimerStaysInTheFirstDocumentOnly) {
  TempDir dir("paragraphs");
  const std::string docs = dir.path() + "/docs";
  const std::string lake = LakeWith(dir, "[dedup]\nparagraphs = true\n");
  std::vector<GeneratedDoc> notes;
  for (int i = 0; i < 5; ++i) notes.push_back(WriteNote(docs, i));
  for (const auto& n : notes) SetAge(docs + "/" + n.name, 86400);  // older than the revision below

  // The first note alone, then the rest: the first keeps the disclaimer.
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs + "/" + notes[0].name}).exit_code, 0);
  nlohmann::json first_run = RunJson(lake);
  EXPECT_EQ(first_run["paragraphs_dropped"], 0) << first_run.dump();
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  nlohmann::json run = RunJson(lake);
  EXPECT_EQ(run["gold"], 4) << run.dump();
  EXPECT_EQ(run["duplicates"], 0) << "the notes are not near duplicates of each other: " << run.dump();
  EXPECT_EQ(run["paragraphs_dropped"], 4) << run.dump();

  for (size_t i = 0; i < notes.size(); ++i) {
    SCOPED_TRACE(notes[i].name);
    const std::string gold = GoldText(lake, notes[i].name);
    ASSERT_FALSE(gold.empty());
    EXPECT_EQ(gold.find("intended recipient") != std::string::npos, i == 0) << gold;
    // Everything else survives: the note's own text, its heading and the
    // short "Thanks", which is below paragraph_min_words.
    for (const std::string& p : notes[i].own) EXPECT_NE(gold.find(p), std::string::npos) << p;
    EXPECT_NE(gold.find("# Note " + std::to_string(i)), std::string::npos);
    EXPECT_NE(gold.find("Thanks"), std::string::npos);
    nlohmann::json d = Show(lake, notes[i].name);
    EXPECT_EQ(d["paragraphs_dropped"], i == 0 ? 0 : 1);
    // Silver keeps the whole text; chunk offsets still point into it.
    const std::string silver = Slurp(d["silver"]["markdown"].get<std::string>());
    EXPECT_NE(silver.find("intended recipient"), std::string::npos);
    for (const auto& c : GoldChunks(lake, notes[i].name)) {
      const std::string text = c["text"];
      const size_t at = c["metadata"]["char_start"], end = c["metadata"]["char_end"];
      ASSERT_LE(end, silver.size());
      EXPECT_EQ(silver.substr(at, 40), text.substr(0, 40));
      EXPECT_EQ(silver.substr(end - 20, 20), text.substr(text.size() - 20));
    }
  }
  nlohmann::json status = StatusJson(lake);
  EXPECT_EQ(status["paragraphs_dropped"], 4) << status.dump();
  EXPECT_NE(RunSmelter({"--lake", lake, "show", notes[1].name}).out.find("1 repeated paragraphs left out"),
            std::string::npos);
  // The index holds no stale chunk with the disclaimer.
  CommandResult search = RunSmelter({"--lake", lake, "search", "intended recipient notify sender", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  for (const auto& hit : ParseJson(search.out)) {
    if (hit["text"].get<std::string>().find("intended recipient") != std::string::npos) {
      EXPECT_EQ(hit["file_name"], notes[0].name);
    }
  }
  // Incremental: nothing new, nothing done.
  CommandResult again = RunSmelter({"--lake", lake, "run"});
  EXPECT_NE(again.out.find("Nothing to do"), std::string::npos) << again.out;

  // A newer copy of the first note without the disclaimer supersedes it:
  // the disclaimer would be in no gold chunk, so one of the notes that left
  // it out is processed again and takes it back, in the same run.
  {
    std::string copy = "# Note 0\n\n" + notes[0].own[0] + "\n\nThanks\n\n" + notes[0].own[1] + "\n\n" +
                       notes[0].own[2] + "\n\nRevised.\n";
    WriteFile(docs + "/note-0-revised.md", copy);
    ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
    nlohmann::json rerun = RunJson(lake);
    EXPECT_EQ(rerun["demoted"], 1) << rerun.dump();
    EXPECT_EQ(Show(lake, notes[0].name)["stage"], "duplicate");
    int holders = 0;
    for (size_t i = 1; i < notes.size(); ++i) {
      const std::string gold = GoldText(lake, notes[i].name);
      if (gold.find("intended recipient") != std::string::npos) ++holders;
      for (const std::string& p : notes[i].own) EXPECT_NE(gold.find(p), std::string::npos) << p;
    }
    EXPECT_EQ(holders, 1);
    nlohmann::json s = StatusJson(lake);
    EXPECT_EQ(StageCount(s, "bronze"), 0) << s.dump();
    EXPECT_EQ(s["paragraphs_dropped"], 3) << s.dump();
    EXPECT_EQ(s["chunks_unindexed"], 0) << s.dump();
  }

  // Turned off, every note gets its disclaimer back on the next run.
  std::ofstream(lake + "/smelter.toml") << "[dedup]\nparagraphs = false\n";
  nlohmann::json off = RunJson(lake);
  EXPECT_EQ(off["paragraphs_dropped"], 0) << off.dump();
  for (size_t i = 1; i < notes.size(); ++i)
    EXPECT_NE(GoldText(lake, notes[i].name).find("intended recipient"), std::string::npos) << notes[i].name;
  EXPECT_EQ(StatusJson(lake)["paragraphs_dropped"], 0);
}

TEST(ParagraphDedup, LimitsOnDocumentsAndWords) {
  TempDir dir("paragraph-limits");
  const std::string docs = dir.path() + "/docs";
  // Kept by the first three notes, dropped from the rest; and a minimum
  // length above the disclaimer's would keep it everywhere.
  const std::string lake = LakeWith(dir, "[dedup]\nparagraphs = true\nparagraph_min_docs = 3\n");
  std::vector<GeneratedDoc> notes;
  for (int i = 0; i < 5; ++i) notes.push_back(WriteNote(docs, i));
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  nlohmann::json run = RunJson(lake, {"--workers", "2"});
  EXPECT_EQ(run["paragraphs_dropped"], 2) << run.dump();
  int holders = 0;
  for (const auto& n : notes) holders += GoldText(lake, n.name).find("intended recipient") != std::string::npos;
  EXPECT_EQ(holders, 3);

  TempDir dir2("paragraph-words");
  const std::string lake2 = LakeWith(dir2, "[dedup]\nparagraphs = true\nparagraph_min_words = 40\n");
  ASSERT_EQ(RunSmelter({"--lake", lake2, "ingest", docs}).exit_code, 0);
  EXPECT_EQ(RunJson(lake2)["paragraphs_dropped"], 0);
  for (const auto& n : notes) EXPECT_NE(GoldText(lake2, n.name).find("intended recipient"), std::string::npos);
}

TEST(ParagraphDedup, CorpusFileRepeatingItsOwnParagraphsStaysWhole) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found";
  TempDir dir("paragraph-corpus");
  const std::string docs = dir.path() + "/docs";
  fs::create_directories(docs);
  for (const char* f : {"duplicate-paragraphs.docx", "fake-email.eml", "family-day.eml"})
    fs::copy_file(CorpusDir() + "/" + f, docs + "/" + f);
  const std::string lake = LakeWith(dir, "[dedup]\nparagraphs = true\nparagraph_min_words = 1\n");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  nlohmann::json run = RunJson(lake);
  // Repetition inside one document is the document's own text: only other
  // documents make a paragraph boilerplate. (Even at one word a paragraph.)
  nlohmann::json d = Show(lake, "duplicate-paragraphs.docx");
  ASSERT_EQ(d["stage"], "gold") << d.dump();
  EXPECT_EQ(d["paragraphs_dropped"], 0);
  const std::string silver = Slurp(d["silver"]["markdown"].get<std::string>());
  const std::string gold = GoldText(lake, "duplicate-paragraphs.docx");
  auto count = [](const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_GE(count(silver, "some text"), 2) << silver;
  EXPECT_EQ(count(gold, "some text"), count(silver, "some text")) << gold;
  ExpectSummaryMatchesStatus(run, StatusJson(lake));
}

TEST(DedupPriority, HigherPriorityCopyBecomesCanonical) {
  const std::string body = Body(7, 150) + "\n\n" + Body(8, 150);
  auto write_copies = [&](const std::string& docs) {
    WriteFile(docs + "/published/report.md", "# Report\n\n" + body + "\n\nFinal.\n");
    WriteFile(docs + "/drafts/report.md", "# Report\n\n" + body + "\n\nDraft, do not cite.\n");
    SetAge(docs + "/published/report.md", 86400);  // the draft is newer
    SetAge(docs + "/drafts/report.md", 60);
  };
  const std::string priority =
      "[dedup]\npolicy = \"priority\"\n[dedup.path_priority]\n\"**/published/**\" = 10\n\"**/drafts/**\" = -1\n";
  auto canonical = [](const std::string& lake) {
    nlohmann::json p = Show(lake, "published/report.md"), d = Show(lake, "drafts/report.md");
    EXPECT_EQ(std::set<std::string>({p["stage"], d["stage"]}), (std::set<std::string>{"gold", "duplicate"}));
    return p["stage"] == "gold" ? std::string("published") : std::string("drafts");
  };
  {
    // Both in one run.
    TempDir dir("priority-one-run");
    const std::string docs = dir.path() + "/docs";
    write_copies(docs);
    const std::string lake = LakeWith(dir, priority);
    ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
    nlohmann::json run = RunJson(lake);
    EXPECT_EQ(canonical(lake), "published");
    ExpectSummaryMatchesStatus(run, StatusJson(lake));
  }
  {
    // The draft first: the published copy takes over when it arrives.
    TempDir dir("priority-later");
    const std::string docs = dir.path() + "/docs";
    write_copies(docs);
    const std::string lake = LakeWith(dir, priority);
    ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs + "/drafts"}).exit_code, 0);
    RunJson(lake);
    ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs + "/published"}).exit_code, 0);
    nlohmann::json run = RunJson(lake);
    EXPECT_EQ(run["demoted"], 1) << run.dump();
    EXPECT_EQ(canonical(lake), "published");
    CommandResult dedup = RunSmelter({"--lake", lake, "dedup"});
    EXPECT_NE(dedup.out.find("priority 10"), std::string::npos) << dedup.out;
  }
  {
    // Without priorities, the newest copy wins: the rules are what decided.
    TempDir dir("priority-newest");
    const std::string docs = dir.path() + "/docs";
    write_copies(docs);
    const std::string lake = LakeWith(dir, "[dedup]\npolicy = \"newest\"\n");
    ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
    RunJson(lake);
    EXPECT_EQ(canonical(lake), "drafts");
  }
}

TEST(RunSummary, CountsMatchStatusWhenANewerCopySupersedes) {
  TempDir dir("summary");
  const std::string docs = dir.path() + "/docs";
  const std::string body = Body(11, 150) + "\n\n" + Body(12, 150);
  // The older copy is the larger one, so it is processed first (largest
  // first, one worker) and committed gold before the newer copy demotes it.
  WriteFile(docs + "/old/memo.md", "# Memo\n\n" + body + "\n\nAppendix: the first edition's closing remarks.\n");
  WriteFile(docs + "/new/memo.md", "# Memo\n\n" + body + "\n");
  WriteNote(docs + "/other", 1);
  SetAge(docs + "/old/memo.md", 86400);
  SetAge(docs + "/new/memo.md", 60);
  const std::string lake = LakeWith(dir, "");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  nlohmann::json run = RunJson(lake, {"--workers", "1"});
  EXPECT_EQ(run["documents"], 3) << run.dump();
  EXPECT_EQ(run["gold"], 2) << run.dump();
  EXPECT_EQ(run["duplicates"], 1) << run.dump();
  EXPECT_EQ(run["demoted"], 0) << run.dump();
  EXPECT_EQ(Show(lake, "new/memo.md")["stage"], "gold");
  EXPECT_EQ(Show(lake, "old/memo.md")["stage"], "duplicate");
  ExpectSummaryMatchesStatus(run, StatusJson(lake));

  // Across runs: a later copy demotes a document gold since an earlier run.
  WriteFile(docs + "/newest/memo.md", "# Memo\n\n" + body + "\n\nLatest.\n");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs + "/newest"}).exit_code, 0);
  CommandResult text = RunSmelter({"--lake", lake, "run"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("gold:        1 documents"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("demoted:     1 earlier gold documents"), std::string::npos) << text.out;
  nlohmann::json status = StatusJson(lake);
  EXPECT_EQ(StageCount(status, "gold"), 2) << status.dump();
  EXPECT_EQ(StageCount(status, "duplicate"), 2) << status.dump();
  EXPECT_EQ(Show(lake, "newest/memo.md")["stage"], "gold");
}

TEST(RunSummary, CorpusRunCountsMatchStatus) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found";
  TempDir dir("summary-corpus");
  const std::string lake = LakeWith(dir, "");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", "-q", CorpusDir()}).exit_code, 0);
  nlohmann::json run = RunJson(lake);
  EXPECT_GT(run["duplicates"].get<int64_t>(), 0) << run.dump();
  ExpectSummaryMatchesStatus(run, StatusJson(lake));
}

TEST(Lineage, SharedAttachmentIsListedUnderBothParents) {
  if (!HaveCorpus()) GTEST_SKIP() << "corpus not found";
  TempDir dir("lineage");
  const std::string docs = dir.path() + "/docs";
  fs::create_directories(docs);
  // The same attachment bytes in an EML and an MSG message: one object in
  // bronze, one document, two parents (one of which is a duplicate).
  for (const char* f : {"fake-email-attachment.eml", "fake-email-attachment.msg"})
    fs::copy_file(CorpusDir() + "/" + f, docs + "/" + f);
  const std::string lake = LakeWith(dir, "");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", docs}).exit_code, 0);
  nlohmann::json run = RunJson(lake);
  EXPECT_EQ(run["children"], 1) << "stored once: " << run.dump();
  nlohmann::json eml = Show(lake, "fake-email-attachment.eml"), msg = Show(lake, "fake-email-attachment.msg");
  EXPECT_EQ(std::set<std::string>({eml["stage"], msg["stage"]}), (std::set<std::string>{"gold", "duplicate"}));
  std::string child_id;
  for (const nlohmann::json* parent : {&eml, &msg}) {
    ASSERT_EQ((*parent)["children"].size(), 1u) << parent->dump(2);
    EXPECT_EQ((*parent)["children"][0]["name"], "fake-attachment.txt");
    if (child_id.empty()) child_id = (*parent)["children"][0]["id"];
    EXPECT_EQ((*parent)["children"][0]["id"], child_id);
  }
  nlohmann::json child = Show(lake, child_id);
  EXPECT_EQ(child["stage"], "gold");
  std::set<std::string> parents;
  for (const auto& p : child["parents"]) parents.insert(p["id"].get<std::string>());
  EXPECT_EQ(parents, (std::set<std::string>{eml["id"], msg["id"]})) << child.dump(2);
  for (const char* name : {"fake-email-attachment.eml", "fake-email-attachment.msg"}) {
    CommandResult text = RunSmelter({"--lake", lake, "show", name});
    EXPECT_NE(text.out.find("fake-attachment.txt"), std::string::npos) << name << "\n" << text.out;
  }
  CommandResult text = RunSmelter({"--lake", lake, "show", child_id});
  EXPECT_NE(text.out.find("fake-email-attachment.eml!/fake-attachment.txt"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("fake-email-attachment.msg!/fake-attachment.txt"), std::string::npos) << text.out;
  ExpectSummaryMatchesStatus(run, StatusJson(lake));
}

// Killed at random moments with paragraph deduplication on, then run to
// completion: the disclaimer is in exactly one gold document, every other
// paragraph in all of them, nothing pending or unindexed.
TEST(CrashSafetyParagraphs, KilledRunsKeepEachParagraphOnce) {
  TempDir dir("crash-paragraphs");
  const std::string docs = dir.path() + "/docs";
  std::vector<GeneratedDoc> notes;
  for (int i = 0; i < 40; ++i) notes.push_back(WriteNote(docs, i));
  const std::string lake = LakeWith(dir, "[dedup]\nparagraphs = true\n");
  ASSERT_EQ(RunSmelter({"--lake", lake, "ingest", "-q", docs}).exit_code, 0);
  unsigned seed = std::random_device{}();
  if (const char* env = std::getenv("SMELTER_CRASH_SEED")) seed = static_cast<unsigned>(std::atoll(env));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> when(30, 600);
  for (int i = 0; i < 3; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::freopen("/dev/null", "w", stdout);
      ::freopen("/dev/null", "w", stderr);
      ::execl(SMELTER_BINARY, SMELTER_BINARY, "--lake", lake.c_str(), "run", "-q", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(when(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  ASSERT_EQ(RunSmelter({"--lake", lake, "run", "-q"}).exit_code, 0) << "seed " << seed;
  int holders = 0;
  for (const auto& n : notes) {
    const std::string gold = GoldText(lake, n.name);
    holders += gold.find("intended recipient") != std::string::npos;
    for (const std::string& p : n.own) EXPECT_NE(gold.find(p), std::string::npos) << n.name << " seed " << seed;
  }
  EXPECT_EQ(holders, 1) << "seed " << seed;
  nlohmann::json status = StatusJson(lake);
  EXPECT_EQ(StageCount(status, "gold"), 40) << status.dump();
  EXPECT_EQ(status["paragraphs_dropped"], 39) << status.dump();
  EXPECT_EQ(status["chunks_unindexed"], 0) << status.dump();
}

}  // namespace
}  // namespace smelter::testing
