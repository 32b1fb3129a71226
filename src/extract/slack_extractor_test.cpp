#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/slack_export.h"

namespace smelter {
namespace {

la_ssize_t AppendToString(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

std::string BuildZip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, &AppendToString, nullptr), ARCHIVE_OK);
  for (const auto& [name, bytes] : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK);
    archive_write_data(a, bytes.data(), bytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// 2024-01-02 10:00:00 UTC.
constexpr long kDay1 = 1704189600;

std::string Ts(long seconds, int micro) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld.%06d", seconds, micro);
  return buf;
}

std::string Profile(const std::string& real_name) {
  return R"("user_profile": {"real_name": ")" + real_name + R"(", "display_name": "x"})";
}

// A message as Slack exports write it.
std::string Msg(const std::string& user, const std::string& real_name, const std::string& ts, const std::string& text,
                const std::string& thread_ts = "", const std::string& extra = "") {
  std::string m = R"({"type": "message", "user": ")" + user + R"(", "text": ")" + text + R"(", "ts": ")" + ts + "\"";
  if (!thread_ts.empty()) m += R"(, "thread_ts": ")" + thread_ts + "\"";
  if (!extra.empty()) m += ", " + extra;
  m += ", " + Profile(real_name) + "}";
  return m;
}

const std::string kRootTs = Ts(kDay1, 100);

// general/2024-01-02.json: a join, a thread with two of its three replies,
// and a message outside the thread.
std::string GeneralDay1() {
  return "[\n" +
         std::string(R"({"type": "message", "subtype": "channel_join", "user": "U03", "text": "<@U03> has joined the channel", "ts": ")") +
         Ts(kDay1 - 600, 0) + "\"},\n" +
         Msg("U01", "Alice Smith", kRootTs, "Shall we ship v2 on Friday?\\nChecklist below.", kRootTs,
             R"("reply_count": 3, "replies": [{"user": "U02", "ts": "x"}])") +
         ",\n" + Msg("U02", "Bob Jones", Ts(kDay1 + 300, 0), "Tests are green &amp; the docs are done", kRootTs) + ",\n" +
         Msg("U03", "Carol White", Ts(kDay1 + 420, 0), "<@U01> agreed, see <https://example.com/spec|the spec>",
             kRootTs) +
         ",\n" + Msg("U02", "Bob Jones", Ts(kDay1 + 3600, 0), "Lunch at noon in <#C02|random>?") + "\n]";
}

// general/2024-01-03.json: the third reply, a day later.
std::string GeneralDay2() {
  return "[" + Msg("U01", "Alice Smith", Ts(kDay1 + 86400, 0), "Shipped. Thanks <@U02>!", kRootTs) + "]";
}

std::string RandomDay1() {
  return "[" + Msg("U03", "Carol White", Ts(kDay1 + 1200, 0), "Anyone for coffee?") + ",\n" +
         Msg("U01", "Alice Smith", Ts(kDay1 + 1260, 0), "Me! <https://cafe.example.com>") + "]";
}

std::string Export(const std::string& prefix) {
  const std::string users = R"([
    {"id": "U01", "name": "alice", "real_name": "Alice Smith", "profile": {"real_name": "Alice Smith"}},
    {"id": "U02", "name": "bob", "profile": {"real_name": "Bob Jones", "display_name": "bobby"}},
    {"id": "U03", "name": "carol", "real_name": "Carol White"}])";
  const std::string channels = R"([
    {"id": "C01", "name": "general", "members": ["U01", "U02", "U03"]},
    {"id": "C02", "name": "random", "members": ["U01", "U03"]}])";
  return BuildZip({{prefix + "users.json", users},
                   {prefix + "channels.json", channels},
                   {prefix + "integration_logs.json", "[]"},
                   {prefix + "general/2024-01-02.json", GeneralDay1()},
                   {prefix + "general/2024-01-03.json", GeneralDay2()},
                   {prefix + "random/2024-01-02.json", RandomDay1()}});
}

const ChildDocument* FindChild(const ExtractedDocument& doc, const std::string& name) {
  for (const ChildDocument& c : doc.children) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(SlackExportTest, ZipExportBecomesThreads) {
  const ExtractOptions options;
  DetectedType type;
  auto r = ExtractDocument(Export(""), "acme-slack-export.zip", options, &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kZip);
  EXPECT_EQ(r->title, "Slack export");
  EXPECT_EQ(r->metadata["source_format"], "slack");
  EXPECT_EQ(r->metadata["channels"], "2");
  EXPECT_EQ(r->metadata["messages"], "7");  // the join is dropped
  EXPECT_EQ(r->metadata["members"], "3");
  ASSERT_EQ(r->children.size(), 3u);

  const ChildDocument* thread = FindChild(*r, "general/2024-01-02-" + kRootTs + ".md");
  ASSERT_NE(thread, nullptr);
  const std::string& md = thread->bytes;
  EXPECT_TRUE(md.starts_with("# #general: Shall we ship v2 on Friday?\n")) << md;
  EXPECT_TRUE(Contains(md, "**Alice Smith** (2024-01-02 10:00 UTC): Shall we ship v2 on Friday?")) << md;
  EXPECT_TRUE(Contains(md, "**Bob Jones** (2024-01-02 10:05 UTC): Tests are green & the docs are done")) << md;
  EXPECT_TRUE(Contains(md, "**Carol White** (2024-01-02 10:07 UTC): @Alice Smith agreed, see "
                           "[the spec](https://example.com/spec)"))
      << md;
  // The reply from the next day's file joins its thread.
  EXPECT_TRUE(Contains(md, "**Alice Smith** (2024-01-03 10:00 UTC): Shipped. Thanks @Bob Jones!")) << md;
  EXPECT_LT(md.find("10:05 UTC"), md.find("10:07 UTC"));
  EXPECT_FALSE(Contains(md, "Lunch")) << "a message outside the thread leaked in";
  EXPECT_EQ(thread->metadata.at("channel"), "general");
  EXPECT_EQ(thread->metadata.at("thread_ts"), kRootTs);
  EXPECT_EQ(thread->metadata.at("authors"), "Alice Smith, Bob Jones, Carol White");
  EXPECT_EQ(thread->metadata.at("started"), "2024-01-02T10:00:00Z");
  EXPECT_EQ(thread->metadata.at("source_format"), "slack");
  EXPECT_EQ(DetectType(thread->bytes, thread->name).kind, DocKind::kMarkdown);

  const ChildDocument* loose = FindChild(*r, "general/2024-01-02.md");
  ASSERT_NE(loose, nullptr);
  EXPECT_EQ(loose->bytes, "# #general 2024-01-02\n\n**Bob Jones** (2024-01-02 11:00 UTC): Lunch at noon in #random?\n");
  EXPECT_EQ(loose->metadata.count("thread_ts"), 0u);
  EXPECT_FALSE(Contains(loose->bytes, "has joined"));

  const ChildDocument* random = FindChild(*r, "random/2024-01-02.md");
  ASSERT_NE(random, nullptr);
  EXPECT_TRUE(Contains(random->bytes, "**Alice Smith** (2024-01-02 10:21 UTC): Me! https://cafe.example.com"))
      << random->bytes;
  EXPECT_EQ(random->metadata.at("authors"), "Carol White, Alice Smith");

  // The parent lists the channels.
  bool listed = false;
  for (const Element& e : r->elements) listed |= e.text == "#general: 5 messages, 1 threads";
  EXPECT_TRUE(listed);
}

TEST(SlackExportTest, AuthorsNamedByUsersJsonAlone) {
  // Day files without user_profile (older exports, and what an unpacked
  // folder holds): users.json names everyone, the display name when the
  // real name is empty, and ids only for users it does not know.
  const std::string users = R"([
    {"id": "U01", "name": "alice", "real_name": "Alice Smith"},
    {"id": "U02", "name": "bjones", "profile": {"real_name": "", "display_name": "Bobby"}}])";
  const std::string day = "[" + std::string(R"({"type": "message", "user": "U01", "text": "Ship it?", "ts": ")") +
                          kRootTs + R"(", "thread_ts": ")" + kRootTs + R"("},)" +
                          R"({"type": "message", "user": "U02", "text": "Yes <@U01>", "ts": ")" + Ts(kDay1 + 60, 0) +
                          R"(", "thread_ts": ")" + kRootTs + R"("},)" +
                          R"({"type": "message", "user": "U09", "text": "late", "ts": ")" + Ts(kDay1 + 120, 0) +
                          R"(", "thread_ts": ")" + kRootTs + R"("}])";
  const ExtractOptions options;
  auto r = ExtractDocument(BuildZip({{"users.json", users},
                                     {"channels.json", R"([{"id": "C1", "name": "ops"}])"},
                                     {"ops/2024-01-02.json", day}}),
                           "slack", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->children.size(), 1u);
  const ChildDocument& thread = r->children[0];
  EXPECT_EQ(thread.name, "ops/2024-01-02-" + kRootTs + ".md");
  EXPECT_TRUE(thread.bytes.starts_with("# #ops: Ship it?\n")) << thread.bytes;
  EXPECT_TRUE(Contains(thread.bytes, "**Alice Smith** (2024-01-02 10:00 UTC): Ship it?")) << thread.bytes;
  EXPECT_TRUE(Contains(thread.bytes, "**Bobby** (2024-01-02 10:01 UTC): Yes @Alice Smith")) << thread.bytes;
  EXPECT_TRUE(Contains(thread.bytes, "**U09** (2024-01-02 10:02 UTC): late")) << thread.bytes;
  EXPECT_EQ(thread.metadata.at("authors"), "Alice Smith, Bobby, U09");
  EXPECT_EQ(thread.metadata.at("channel"), "ops");
}

TEST(SlackExportTest, ExportInsideAFolderOfTheZip) {
  const ExtractOptions options;
  auto r = ExtractDocument(Export("Acme Slack export Jan 2 2024/"), "export.zip", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata["source_format"], "slack");
  EXPECT_NE(FindChild(*r, "general/2024-01-02-" + kRootTs + ".md"), nullptr);
}

TEST(SlackExportTest, PlainZipWithChannelsJsonIsNotAnExport) {
  EXPECT_FALSE(LooksLikeSlackExport({"channels.json", "notes/readme.txt"}));
  EXPECT_FALSE(LooksLikeSlackExport({"general/2024-01-02.json"}));
  EXPECT_TRUE(LooksLikeSlackExport({"x/channels.json", "x/general/2024-01-02.json"}));
  const ExtractOptions options;
  auto r = ExtractDocument(BuildZip({{"channels.json", "[]"}, {"notes/readme.txt", "hi"}}), "a.zip", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.count("source_format"), 0u);
  EXPECT_EQ(r->children.size(), 2u);
}

TEST(SlackExportTest, DayFileFromAFolderReadsAsConversation) {
  const ExtractOptions options;
  DetectedType type;
  auto r = ExtractDocument(GeneralDay1(), "exports/acme/general/2024-01-02.json", options, &type);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(type.kind, DocKind::kJson);
  EXPECT_EQ(r->title, "#general 2024-01-02");
  EXPECT_EQ(r->metadata["source_format"], "slack");
  EXPECT_EQ(r->metadata["channel"], "general");
  EXPECT_EQ(r->metadata["messages"], "4");
  EXPECT_EQ(r->metadata["authors"], "Alice Smith, Bob Jones, Carol White");
  std::vector<std::string> texts;
  for (const Element& e : r->elements) texts.push_back(e.text);
  const std::vector<std::string> expected = {
      "#general 2024-01-02",
      "Thread: Shall we ship v2 on Friday?",
      "**Alice Smith** (2024-01-02 10:00 UTC): Shall we ship v2 on Friday?\nChecklist below.",
      "**Bob Jones** (2024-01-02 10:05 UTC): Tests are green & the docs are done",
      "**Carol White** (2024-01-02 10:07 UTC): @Alice Smith agreed, see [the spec](https://example.com/spec)",
      "Messages from 11:00 UTC",
      "**Bob Jones** (2024-01-02 11:00 UTC): Lunch at noon in #random?",
  };
  EXPECT_EQ(texts, expected);
  ASSERT_GE(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[1].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[1].level, 2);
}

TEST(SlackExportTest, MessageLinesCannotBreakTheConversation) {
  const std::string day = "[" +
                          Msg("U01", "Alice Smith", Ts(kDay1, 0),
                              "Plan:\\n- one\\n# not a heading\\n---\\n```\\nunclosed fence") +
                          ",\n" + Msg("U02", "Bob Jones", Ts(kDay1 + 60, 0), "ok") + "]";
  const ExtractOptions options;
  auto r = ExtractDocument(day, "general/2024-01-02.json", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 4u);  // title, section heading, two messages
  EXPECT_EQ(r->elements[2].text,
            "**Alice Smith** (2024-01-02 10:00 UTC): Plan:\n- one\n\\# not a heading\n\\---\n\\```\nunclosed fence");
  EXPECT_EQ(r->elements[3].text, "**Bob Jones** (2024-01-02 10:01 UTC): ok");
}

TEST(SlackExportTest, OrdinaryJsonArrayStaysRecords) {
  const ExtractOptions options;
  auto r = ExtractDocument(R"([{"type": "order", "ts": "1", "id": 7}, {"type": "order", "ts": "2", "id": 8}])",
                           "orders.json", options, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.count("source_format"), 0u);
  EXPECT_EQ(r->metadata["json_shape"], "records");
}

}  // namespace
}  // namespace smelter
