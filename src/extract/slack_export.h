// Slack workspace exports -> conversations (defined in slack_extractor.cpp).
//
// A Slack export is a folder (or a ZIP of one) holding users.json,
// channels.json and one folder per channel of day files YYYY-MM-DD.json,
// each a JSON array of messages {"type": "message", "user", "text", "ts",
// "thread_ts", "reply_count", "user_profile": {"real_name"}, ...}.
//
// Messages read as "**Real Name** (2024-01-02 10:00 UTC): text": user ids
// go through users.json (else the message's own user_profile), <@U123>
// mentions become @Name, <#C1|general> becomes #general, <url|label>
// becomes [label](url), and &amp; &lt; &gt; are undone. A message's later
// lines are kept from becoming headings or an unclosed code fence of the
// conversation ("\#", "\---", "\```"). Channel joins and leaves are
// dropped; shared files appear as "[file: name]".
//
// Grouping rule of an export: a thread (a root message and the replies that
// name it in thread_ts, from any day file of its channel) is one document,
// "<channel>/<root date>-<root ts>.md"; messages without replies are
// grouped per channel and day file, "<channel>/<date>.md", so a busy
// channel does not become thousands of one-line documents. Replies whose
// root is not in the export still form a thread of their own.
//
// Thread-safe; nothing here throws.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/element.h"
#include "core/status.h"

namespace smelter {

// One file of an export: its path inside the export and its bytes (a view;
// the caller keeps them alive).
struct SlackFile {
  std::string path;
  std::string_view bytes;
};

// True when the paths hold channels.json (at the top or under one common
// folder) and at least one <folder>/YYYY-MM-DD.json beside it.
bool LooksLikeSlackExport(const std::vector<std::string>& paths);

// Renders an export into `doc`: doc->children are the conversations
// (Markdown bytes; metadata "channel", "thread_ts" (threads only),
// "authors" (real names joined with ", "), "started" (ISO 8601 UTC),
// "source_format" = "slack"), and doc->elements list the channels with
// their message and thread counts. kCorrupt when no day file parses.
Status RenderSlackExport(const std::vector<SlackFile>& files, ExtractedDocument* doc);

// True when `value` is a day file: a non-empty array whose items are
// mostly objects with "type": "message" and a string "ts".
bool IsSlackDayFile(const nlohmann::json& value);

// Appends one day file as a conversation: a kTitle ("#channel 2024-01-02",
// from the file's folder and name when they look like an export's), then
// each thread as a level-2 section "Thread: <first line>" and each run of
// messages outside threads as a section "Messages from HH:MM UTC".
// metadata: "source_format" = "slack", "channel", "messages", "authors".
void AppendSlackDay(const nlohmann::json& messages, std::string_view filename, ExtractedDocument* doc);

}  // namespace smelter
