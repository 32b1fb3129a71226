// A Slack export unpacked into a folder goes through ingest and run like
// the ZIP Slack sends: one silver document per thread (replies from later
// day files included), authors by their users.json names, the channel in
// every title, and users.json / channels.json no documents of their own.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace smelter::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A message as Slack exports write it, without the user_profile that newer
// exports add: only users.json can name its author.
std::string Msg(const std::string& user, const std::string& ts, const std::string& text,
                const std::string& thread_ts = "") {
  std::string m = R"({"type": "message", "user": ")" + user + R"(", "text": ")" + text + R"(", "ts": ")" + ts + "\"";
  if (!thread_ts.empty()) m += R"(, "thread_ts": ")" + thread_ts + "\"";
  return m + "}";
}

// 2024-01-02 10:00:00 UTC and the next day.
const std::string kRoot = "1704189600.000100";
const std::string kReply1 = "1704189900.000200";  // 10:05
const std::string kLoose = "1704193200.000300";   // 11:00
const std::string kReply2 = "1704276000.000400";  // 2024-01-03 10:00
const std::string kLater = "1704279600.000500";   // 2024-01-03 11:00
const std::string kRandom = "1704190800.000600";  // 2024-01-02 10:20

void WriteExport(const fs::path& root) {
  WriteFile(root / "users.json", R"([
    {"id": "U1", "name": "alice", "real_name": "Alice Smith", "profile": {"real_name": "Alice Smith"}},
    {"id": "U2", "name": "bjones", "profile": {"real_name": "", "display_name": "Bobby Jones"}}])");
  WriteFile(root / "channels.json", R"([
    {"id": "C1", "name": "general", "members": ["U1", "U2"]},
    {"id": "C2", "name": "random", "members": ["U1", "U2"]}])");
  WriteFile(root / "general" / "2024-01-02.json",
            "[" + Msg("U1", kRoot, "Shall we ship the quarterly release on Friday?", kRoot) + ",\n" +
                Msg("U2", kReply1, "The regression suite is green on <#C1|general>", kRoot) + ",\n" +
                Msg("U2", kLoose, "Lunch order closes at noon") + "]");
  WriteFile(root / "general" / "2024-01-03.json",
            "[" + Msg("U1", kReply2, "Shipped the release, thanks <@U2>", kRoot) + ",\n" +
                Msg("U1", kLater, "Retrospective notes are in the wiki") + "]");
  WriteFile(root / "random" / "2024-01-02.json", "[" + Msg("U2", kRandom, "Anyone seen the espresso machine manual?") + "]");
  // Not part of the export: an ordinary document that lives in its folder.
  WriteFile(root / "general" / "attachments" / "release-plan.txt",
            "Release plan: freeze on Wednesday, ship on Friday after the regression suite passes.\n");
}

struct Doc {
  nlohmann::json show;
  std::string markdown;
  nlohmann::json silver;  // silver/<id>.json
};

TEST(SlackFolderExport, OneDocumentPerThreadWithNamesAndChannels) {
  TempDir dir("slack");
  const fs::path input = fs::path(dir.path()) / "input";
  const fs::path export_root = input / "acme-slack-export";
  WriteExport(export_root);
  const std::string lake = dir.path() + "/lake";
  ASSERT_EQ(RunSmelter({"init", lake}).exit_code, 0);

  CommandResult ingest = RunSmelter({"--lake", lake, "ingest", input.string(), "--json"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  nlohmann::json in = ParseJson(ingest.out);
  EXPECT_EQ(in["files"], 6) << ingest.out;  // 5 export files + the plan
  EXPECT_EQ(in["slack_exports"], 1) << ingest.out;
  EXPECT_EQ(in["new_objects"], 2) << ingest.out;  // the export (one ZIP) and the plan

  CommandResult run = RunSmelter({"--lake", lake, "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;

  // The folder is one source, rendered like a ZIP export.
  nlohmann::json parent = ParseJson(RunSmelter({"--lake", lake, "show", export_root.string(), "--json"}).out);
  ASSERT_TRUE(parent.is_object());
  EXPECT_EQ(parent["stage"], "gold") << parent.dump(2);
  EXPECT_EQ(parent["type"], "zip");
  ASSERT_EQ(parent["sources"].size(), 1u);
  EXPECT_EQ(parent["sources"][0]["uri"], export_root.string());

  std::map<std::string, Doc> children;  // by source URI (names repeat across channels)
  for (const auto& c : parent["children"]) {
    Doc d;
    d.show = ParseJson(RunSmelter({"--lake", lake, "show", c["id"].get<std::string>(), "--json"}).out);
    ASSERT_EQ(d.show["stage"], "gold") << c.dump() << d.show.value("error", "");
    d.markdown = Slurp(d.show["silver"]["markdown"].get<std::string>());
    d.silver = ParseJson(Slurp(d.show["silver"]["metadata"].get<std::string>()));
    children[c["source_uri"].get<std::string>()] = std::move(d);
  }
  // The thread (two days), the messages outside it per day, and #random.
  ASSERT_EQ(children.size(), 4u) << parent["children"].dump(2);

  const auto find = [&](const std::string& suffix) -> const Doc* {
    for (const auto& [name, doc] : children) {
      if (doc.show["source_uri"].get<std::string>().ends_with(suffix)) return &doc;
    }
    return nullptr;
  };
  const Doc* thread = find("/general/2024-01-02-" + kRoot + ".md");
  ASSERT_NE(thread, nullptr) << parent["children"].dump(2);
  EXPECT_EQ(thread->show["title"], "#general: Shall we ship the quarterly release on Friday?");
  const std::string& md = thread->markdown;
  EXPECT_NE(md.find("**Alice Smith** (2024-01-02 10:00 UTC): Shall we ship the quarterly release on Friday?"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("**Bobby Jones** (2024-01-02 10:05 UTC): The regression suite is green on #general"),
            std::string::npos)
      << md;
  // The reply from the next day's file is in the same thread document.
  EXPECT_NE(md.find("**Alice Smith** (2024-01-03 10:00 UTC): Shipped the release, thanks @Bobby Jones"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("Lunch"), std::string::npos) << md;
  EXPECT_EQ(thread->silver["format_metadata"]["authors"], "Alice Smith, Bobby Jones");
  EXPECT_EQ(thread->silver["format_metadata"]["channel"], "general");
  EXPECT_EQ(thread->silver["format_metadata"]["thread_ts"], kRoot);

  const Doc* day1 = find("/general/2024-01-02.md");
  ASSERT_NE(day1, nullptr);
  EXPECT_EQ(day1->show["title"], "#general 2024-01-02");
  EXPECT_NE(day1->markdown.find("**Bobby Jones** (2024-01-02 11:00 UTC): Lunch order closes at noon"),
            std::string::npos)
      << day1->markdown;
  const Doc* day2 = find("/general/2024-01-03.md");
  ASSERT_NE(day2, nullptr);
  EXPECT_EQ(day2->show["title"], "#general 2024-01-03");
  EXPECT_NE(day2->markdown.find("**Alice Smith** (2024-01-03 11:00 UTC): Retrospective notes"), std::string::npos);
  const Doc* random = find("/random/2024-01-02.md");
  ASSERT_NE(random, nullptr);
  EXPECT_EQ(random->show["title"], "#random 2024-01-02");
  EXPECT_EQ(random->silver["format_metadata"]["channel"], "random");
  EXPECT_NE(random->markdown.find("**Bobby Jones** (2024-01-02 10:20 UTC): Anyone seen the espresso machine manual?"),
            std::string::npos)
      << random->markdown;
  for (const auto& [name, doc] : children) {
    // No author is left as a user id, and no title lost its channel.
    EXPECT_EQ(doc.markdown.find("**U1**"), std::string::npos) << name;
    EXPECT_EQ(doc.markdown.find("**U2**"), std::string::npos) << name;
    EXPECT_TRUE(doc.show["title"].get<std::string>().starts_with("#")) << name;
  }

  // users.json and channels.json are no documents; the plan beside the
  // day files is an ordinary one.
  EXPECT_NE(RunSmelter({"--lake", lake, "show", "users.json"}).exit_code, 0);
  EXPECT_NE(RunSmelter({"--lake", lake, "show", "channels.json"}).exit_code, 0);
  nlohmann::json plan = ParseJson(RunSmelter({"--lake", lake, "show", "release-plan.txt", "--json"}).out);
  EXPECT_EQ(plan["stage"], "gold") << plan.dump(2);
  EXPECT_TRUE(plan["parent_id"].get<std::string>().empty());

  CommandResult search = RunSmelter({"--lake", lake, "search", "regression suite green shipped release", "-k", "3", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  nlohmann::json hits = ParseJson(search.out);
  ASSERT_FALSE(hits.empty());
  bool thread_found = false;
  for (const auto& h : hits) thread_found |= h.value("title", "") == thread->show["title"];
  EXPECT_TRUE(thread_found) << hits.dump(2);

  // The same folder again is the same object: nothing new to do.
  CommandResult again = RunSmelter({"--lake", lake, "ingest", input.string(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ParseJson(again.out)["new_objects"], 0) << again.out;
  EXPECT_EQ(ParseJson(again.out)["known_objects"], 2) << again.out;
}

}  // namespace
}  // namespace smelter::testing
