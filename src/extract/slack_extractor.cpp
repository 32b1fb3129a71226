// Slack workspace exports -> conversations. See slack_export.h for the
// contract and the grouping rule.
//
// Not an extractor of its own kind: the archive extractor hands it a ZIP
// whose members look like an export, and the JSON extractor a day file
// (an array of Slack messages) read from an export unpacked into a folder.
// Uses nlohmann/json's non-throwing calls only: every type is checked
// before a value is read.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/slack_export.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using nlohmann::json;
using text_util::Trim;

// Longest first line kept in a thread's heading, in bytes (cut at a
// character boundary).
constexpr size_t kHeadingChars = 80;

// Who is who: user id -> display name, channel id -> name.
struct Directory {
  std::map<std::string, std::string> users;
  std::map<std::string, std::string> channels;
};

struct Message {
  std::string ts;         // as written, the message's id
  double seconds = 0;     // ts as a time
  std::string thread_ts;  // "" when not in a thread
  std::string author;
  std::string text;       // converted to Markdown
  std::string day;        // day file it came from ("2024-01-02"), or its UTC date
  bool is_reply() const { return !thread_ts.empty() && thread_ts != ts; }
};

// A thread (root and replies) or one message outside any thread.
struct Unit {
  std::vector<size_t> messages;  // indices, root first, then replies by time
  bool thread = false;
};

std::string StringField(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string FirstNonEmpty(std::initializer_list<std::string> values) {
  for (const std::string& v : values) {
    if (!Trim(v).empty()) return std::string(Trim(v));
  }
  return "";
}

std::string FormatTime(double seconds, const char* format) {
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm_utc {};
  if (!gmtime_r(&t, &tm_utc)) return "";
  char buf[64];
  if (std::strftime(buf, sizeof(buf), format, &tm_utc) == 0) return "";
  return buf;
}

bool IsDayName(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// "<folder>/<YYYY-MM-DD>.json" split into folder and day; false otherwise.
bool SplitDayPath(std::string_view path, std::string* folder, std::string* day) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const std::string_view base = path.substr(slash + 1);
  if (!base.ends_with(".json") || !IsDayName(base.substr(0, base.size() - 5))) return false;
  std::string_view dir = path.substr(0, slash);
  const size_t parent = dir.rfind('/');
  if (parent != std::string_view::npos) dir.remove_prefix(parent + 1);
  *folder = std::string(dir);
  *day = std::string(base.substr(0, 10));
  return !folder->empty();
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      if (s.substr(i, 4) == "&lt;") { out += '<'; i += 3; continue; }
      if (s.substr(i, 4) == "&gt;") { out += '>'; i += 3; continue; }
      if (s.substr(i, 5) == "&amp;") { out += '&'; i += 4; continue; }
    }
    out += s[i];
  }
  return out;
}

std::string LookUp(const std::map<std::string, std::string>& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() ? std::string() : it->second;
}

// One <...> token of Slack's message markup as Markdown.
std::string ConvertToken(std::string_view token, const Directory& dir) {
  std::string_view target = token;
  std::string_view label;
  if (const size_t bar = token.find('|'); bar != std::string_view::npos) {
    target = token.substr(0, bar);
    label = token.substr(bar + 1);
  }
  if (target.starts_with("@")) {
    const std::string id(target.substr(1));
    std::string name = LookUp(dir.users, id);
    if (name.empty()) name = label.empty() ? id : Unescape(label);
    return "@" + name;
  }
  if (target.starts_with("#")) {
    const std::string id(target.substr(1));
    std::string name = label.empty() ? LookUp(dir.channels, id) : Unescape(label);
    if (name.empty()) name = id;
    return "#" + name;
  }
  if (target.starts_with("!")) {
    if (!label.empty()) return Unescape(label);  // <!subteam^S1|@team>, <!date^...|fallback>
    const std::string_view what = target.substr(1);
    return "@" + std::string(what.substr(0, what.find('^')));
  }
  const std::string url = Unescape(target);
  if (label.empty() || label == target) return url;
  return "[" + Unescape(label) + "](" + url + ")";
}

std::string ConvertText(std::string_view text, const Directory& dir) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('<', at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('>', open + 1);
    if (close == std::string_view::npos) break;
    out += Unescape(text.substr(at, open - at));
    out += ConvertToken(text.substr(open + 1, close - open - 1), dir);
    at = close + 1;
  }
  out += Unescape(text.substr(std::min(at, text.size())));
  return out;
}

// Names that messages carry themselves; users.json, read first, wins.
void LearnNames(const json& messages, Directory* dir) {
  if (!messages.is_array()) return;
  for (const json& m : messages) {
    const std::string id = StringField(m, "user");
    if (id.empty() || dir->users.count(id)) continue;
    auto profile = m.is_object() ? m.find("user_profile") : m.end();
    if (profile == m.end() || !profile->is_object()) continue;
    const std::string name = FirstNonEmpty({StringField(*profile, "real_name"), StringField(*profile, "display_name"),
                                            StringField(*profile, "name")});
    if (!name.empty()) dir->users[id] = name;
  }
}

void ReadUsers(const json& users, Directory* dir) {
  if (!users.is_array()) return;
  for (const json& u : users) {
    const std::string id = StringField(u, "id");
    if (id.empty()) continue;
    std::string profile_real, profile_display;
    if (auto p = u.find("profile"); p != u.end() && p->is_object()) {
      profile_real = StringField(*p, "real_name");
      profile_display = StringField(*p, "display_name");
    }
    const std::string name =
        FirstNonEmpty({StringField(u, "real_name"), profile_real, profile_display, StringField(u, "name")});
    if (!name.empty()) dir->users[id] = name;
  }
}

void ReadChannels(const json& channels, Directory* dir) {
  if (!channels.is_array()) return;
  for (const json& c : channels) {
    const std::string id = StringField(c, "id"), name = StringField(c, "name");
    if (!id.empty() && !name.empty()) dir->channels[id] = name;
  }
}

std::string AuthorName(const json& m, const Directory& dir) {
  const std::string id = StringField(m, "user");
  std::string name = LookUp(dir.users, id);
  if (name.empty()) {
    if (auto bot = m.find("bot_profile"); bot != m.end()) name = StringField(*bot, "name");
  }
  if (name.empty()) name = StringField(m, "username");
  if (name.empty()) name = id;
  return name.empty() ? "unknown" : name;
}

// Appends the channel's messages of one day file to *out.
void ReadDay(const json& messages, const std::string& day, const Directory& dir, std::vector<Message>* out) {
  if (!messages.is_array()) return;
  for (const json& m : messages) {
    if (!m.is_object() || StringField(m, "type") != "message") continue;
    const std::string subtype = StringField(m, "subtype");
    if (subtype == "channel_join" || subtype == "channel_leave" || subtype == "group_join" ||
        subtype == "group_leave") {
      continue;
    }
    Message msg;
    msg.ts = StringField(m, "ts");
    if (msg.ts.empty()) continue;
    msg.seconds = std::strtod(msg.ts.c_str(), nullptr);
    msg.thread_ts = StringField(m, "thread_ts");
    msg.author = AuthorName(m, dir);
    msg.text = std::string(Trim(ConvertText(StringField(m, "text"), dir)));
    if (auto files = m.find("files"); files != m.end() && files->is_array()) {
      for (const json& f : *files) {
        const std::string name = FirstNonEmpty({StringField(f, "name"), StringField(f, "title")});
        if (!name.empty()) msg.text += (msg.text.empty() ? "" : " ") + std::string("[file: ") + name + "]";
      }
    }
    if (msg.text.empty()) continue;
    msg.day = day.empty() ? FormatTime(msg.seconds, "%Y-%m-%d") : day;
    out->push_back(std::move(msg));
  }
}

// Threads and single messages of one channel, ordered by their first
// message. `messages` is sorted by time.
std::vector<Unit> GroupMessages(const std::vector<Message>& messages) {
  std::map<std::string, std::vector<size_t>> replies;  // thread_ts -> replies
  std::set<std::string> roots;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].is_reply()) {
      replies[messages[i].thread_ts].push_back(i);
    } else {
      roots.insert(messages[i].ts);
    }
  }
  std::vector<Unit> units;
  for (size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    Unit unit;
    if (!m.is_reply()) {
      unit.messages.push_back(i);
      if (auto it = replies.find(m.ts); it != replies.end()) {
        unit.thread = true;
        unit.messages.insert(unit.messages.end(), it->second.begin(), it->second.end());
      }
    } else if (!roots.count(m.thread_ts) && replies[m.thread_ts].front() == i) {
      // The root is outside the export: the first reply leads the thread.
      unit.thread = true;
      unit.messages = replies[m.thread_ts];
    } else {
      continue;
    }
    units.push_back(std::move(unit));
  }
  return units;
}

std::string FirstLine(std::string_view text) {
  text = Trim(text.substr(0, text.find('\n')));
  if (text.size() <= kHeadingChars) return std::string(text);
  size_t cut = kHeadingChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

// A message's later lines must not turn into Markdown structure of the
// conversation: a line starting with '#' would be a heading, a line of
// only '-' or '=' would make the line above one, and an unpaired ``` would
// swallow every message after it. Lists, quotes and paired code fences,
// which Slack users write on purpose, stay.
std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// A line of only '-' or only '=' (spaces aside): a setext underline.
bool IsUnderline(std::string_view line) {
  line = Trim(line);
  return !line.empty() && (line.front() == '-' || line.front() == '=') &&
         line.find_first_not_of(std::string(1, line.front()) + " ") == std::string_view::npos;
}

std::string KeepInsideMessage(std::string_view text) {
  const std::vector<std::string_view> lines = text_util::SplitLines(text);
  size_t fences = 0;
  for (std::string_view line : lines) fences += TrimLeft(line).starts_with("```") ? 1 : 0;
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string_view body = TrimLeft(line);
    if (i > 0) out += '\n';
    if (i > 0 && (body.starts_with("#") || IsUnderline(body) || (fences % 2 == 1 && body.starts_with("```")))) {
      out.append(line.substr(0, line.size() - body.size()));
      out += '\\';
      out.append(body);
    } else {
      out.append(line);
    }
  }
  return out;
}

Element MessageParagraph(const Message& m) {
  Element e;
  e.type = ElementType::kParagraph;
  e.text = "**" + m.author + "** (" + FormatTime(m.seconds, "%Y-%m-%d %H:%M UTC") + "): " + KeepInsideMessage(m.text);
  return e;
}

std::string Authors(const std::vector<Message>& messages, const std::vector<size_t>& indices) {
  std::vector<std::string> names;
  for (size_t i : indices) {
    if (std::find(names.begin(), names.end(), messages[i].author) == names.end()) names.push_back(messages[i].author);
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

ChildDocument RenderChild(const std::string& channel, const std::string& heading, const std::string& name,
                          const std::vector<Message>& messages, const std::vector<size_t>& indices,
                          const std::string& thread_ts) {
  ExtractedDocument d;
  Element title;
  title.type = ElementType::kTitle;
  title.level = 1;
  title.text = heading;
  d.elements.push_back(std::move(title));
  for (size_t i : indices) d.elements.push_back(MessageParagraph(messages[i]));
  ChildDocument child;
  child.name = name;
  child.bytes = RenderMarkdown(d).text;
  child.metadata["channel"] = channel;
  if (!thread_ts.empty()) child.metadata["thread_ts"] = thread_ts;
  child.metadata["authors"] = Authors(messages, indices);
  child.metadata["started"] = FormatTime(messages[indices.front()].seconds, "%Y-%m-%dT%H:%M:%SZ");
  child.metadata["source_format"] = "slack";
  return child;
}

json ParseJson(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return json::parse(bytes.begin(), bytes.end(), nullptr, false);
}

}  // namespace

bool LooksLikeSlackExport(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (p != "channels.json" && !p.ends_with("/channels.json")) continue;
    const std::string prefix = p.substr(0, p.size() - std::string_view("channels.json").size());
    for (const std::string& q : paths) {
      if (!q.starts_with(prefix)) continue;
      const std::string_view rest = std::string_view(q).substr(prefix.size());
      std::string folder, day;
      if (std::count(rest.begin(), rest.end(), '/') == 1 && SplitDayPath(rest, &folder, &day)) return true;
    }
  }
  return false;
}

bool IsSlackDayFile(const json& value) {
  if (!value.is_array() || value.empty()) return false;
  size_t messages = 0;
  for (const json& m : value) {
    if (StringField(m, "type") == "message" && !StringField(m, "ts").empty()) ++messages;
  }
  return messages * 10 >= value.size() * 8;  // at least 80%
}

Status RenderSlackExport(const std::vector<SlackFile>& files, ExtractedDocument* doc) {
  std::string prefix;
  bool found = false;
  for (const SlackFile& f : files) {
    if (f.path == "channels.json" || f.path.ends_with("/channels.json")) {
      prefix = f.path.substr(0, f.path.size() - std::string_view("channels.json").size());
      found = true;
      break;
    }
  }
  if (!found) return Status::Corrupt("no channels.json in the Slack export");

  Directory dir;
  struct Day {
    std::string channel, day;
    json messages;
  };
  std::vector<Day> days;
  for (const SlackFile& f : files) {
    if (!f.path.starts_with(prefix)) continue;
    const std::string rest = f.path.substr(prefix.size());
    if (rest == "users.json" || rest == "org_users.json") ReadUsers(ParseJson(f.bytes), &dir);
    if (rest == "channels.json" || rest == "groups.json") ReadChannels(ParseJson(f.bytes), &dir);
    std::string channel, day;
    if (std::count(rest.begin(), rest.end(), '/') != 1 || !SplitDayPath(rest, &channel, &day)) continue;
    json messages = ParseJson(f.bytes);
    if (!messages.is_array()) continue;
    days.push_back({channel, day, std::move(messages)});
  }
  if (days.empty()) return Status::Corrupt("no readable day file in the Slack export");
  for (const Day& d : days) LearnNames(d.messages, &dir);
  std::stable_sort(days.begin(), days.end(), [](const Day& a, const Day& b) {
    return a.channel != b.channel ? a.channel < b.channel : a.day < b.day;
  });

  Element heading;
  heading.type = ElementType::kHeading;
  heading.level = 1;
  heading.text = "Slack export";
  doc->elements.push_back(std::move(heading));
  doc->title = "Slack export";
  size_t total_messages = 0, total_channels = 0;
  for (size_t begin = 0; begin < days.size();) {
    size_t end = begin;
    while (end < days.size() && days[end].channel == days[begin].channel) ++end;
    const std::string& channel = days[begin].channel;
    std::vector<Message> messages;
    for (size_t k = begin; k < end; ++k) ReadDay(days[k].messages, days[k].day, dir, &messages);
    begin = end;
    std::stable_sort(messages.begin(), messages.end(),
                     [](const Message& a, const Message& b) { return a.seconds < b.seconds; });
    if (messages.empty()) continue;
    ++total_channels;
    total_messages += messages.size();

    size_t threads = 0;
    std::map<std::string, std::vector<size_t>> loose_by_day;  // day -> messages outside threads
    for (const Unit& unit : GroupMessages(messages)) {
      const Message& first = messages[unit.messages.front()];
      if (!unit.thread) {
        loose_by_day[first.day].push_back(unit.messages.front());
        continue;
      }
      ++threads;
      const std::string thread_ts = first.is_reply() ? first.thread_ts : first.ts;
      doc->children.push_back(RenderChild(channel, "#" + channel + ": " + FirstLine(first.text),
                                          channel + "/" + FormatTime(first.seconds, "%Y-%m-%d") + "-" + thread_ts + ".md",
                                          messages, unit.messages, thread_ts));
    }
    for (const auto& [day, indices] : loose_by_day) {
      doc->children.push_back(RenderChild(channel, "#" + channel + " " + day, channel + "/" + day + ".md", messages,
                                          indices, ""));
    }
    Element item;
    item.type = ElementType::kListItem;
    item.text = "#" + channel + ": " + std::to_string(messages.size()) + " messages, " + std::to_string(threads) +
                " threads";
    doc->elements.push_back(std::move(item));
  }
  doc->metadata["source_format"] = "slack";
  doc->metadata["channels"] = std::to_string(total_channels);
  doc->metadata["messages"] = std::to_string(total_messages);
  return Status::OK();
}

void AppendSlackDay(const json& messages, std::string_view filename, ExtractedDocument* doc) {
  std::string channel, day;
  std::string path(filename);
  std::replace(path.begin(), path.end(), '\\', '/');
  if (!SplitDayPath(path, &channel, &day)) {
    channel.clear();
    day.clear();
  }
  Directory dir;
  LearnNames(messages, &dir);
  std::vector<Message> list;
  ReadDay(messages, day, dir, &list);
  std::stable_sort(list.begin(), list.end(), [](const Message& a, const Message& b) { return a.seconds < b.seconds; });

  Element title;
  title.type = ElementType::kTitle;
  title.level = 1;
  title.text = channel.empty() ? "Slack conversation" : "#" + channel + (day.empty() ? "" : " " + day);
  doc->title = title.text;
  doc->elements.push_back(std::move(title));

  bool in_loose_run = false;
  std::vector<size_t> all;
  for (const Unit& unit : GroupMessages(list)) {
    all.insert(all.end(), unit.messages.begin(), unit.messages.end());
    const Message& first = list[unit.messages.front()];
    if (unit.thread || !in_loose_run) {
      Element heading;
      heading.type = ElementType::kHeading;
      heading.level = 2;
      heading.text = unit.thread ? "Thread: " + FirstLine(first.text)
                                 : "Messages from " + FormatTime(first.seconds, "%H:%M UTC");
      doc->elements.push_back(std::move(heading));
    }
    in_loose_run = !unit.thread;
    for (size_t i : unit.messages) doc->elements.push_back(MessageParagraph(list[i]));
  }
  doc->metadata["source_format"] = "slack";
  if (!channel.empty()) doc->metadata["channel"] = channel;
  doc->metadata["messages"] = std::to_string(list.size());
  if (!all.empty()) doc->metadata["authors"] = Authors(list, all);
}

}  // namespace smelter
