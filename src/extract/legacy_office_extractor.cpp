// Word, Excel and PowerPoint 97-2003 (binary OLE2 files) -> elements.
//
// The binary formats are large; Debian's catdoc package reads two of them
// well, so Word and Excel text comes from its converters, run as child
// processes (no shell) on a temporary copy of the input:
//   - DOC: `catdoc -w -d utf-8`: one line per paragraph -> kParagraph;
//   - XLS: `xls2csv -q3 -d utf-8 -f %Y-%m-%d`: sheets end with a form
//     feed; each becomes kPageBreak + kHeading (the sheet's name, read from
//     the workbook's BoundSheet records) + a kTable whose first row is the
//     header. Dates come out as ISO 8601.
// PowerPoint text is read here from the "PowerPoint Document" stream with
// libgsf, since catppt misses text that newer PowerPoint versions keep in
// the slides' drawings: the persist directory (found through the
// "Current User" stream and the UserEditAtom chain) maps the slide list's
// SlidePersistAtoms to SlideContainers, whose TextCharsAtom (UTF-16LE) and
// TextBytesAtom (Latin-1) records are the text; the TextHeaderAtom before
// each says whether it is a title. Each slide is a kPageBreak; slide 1's
// title is the kTitle, later titles kHeading level 2. When the directory is
// unreadable, slides are taken in stream order.
//
// Metadata (title, author, subject, keywords, created, modified) comes from
// the OLE SummaryInformation property set. Encrypted Word and
// Excel files are kEncrypted. A converter that runs longer than
// kConverterTimeoutSeconds is killed (kTimeout); its output is capped at
// kMaxConverterOutput (kTooLarge). Missing converters are kUnsupported
// ("legacy format not supported: ...").
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "extract/extractor.h"
#include "extract/ole_file.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

extern char** environ;

namespace smelter {
namespace {

using text_util::Trim;

constexpr int kConverterTimeoutSeconds = 60;
constexpr size_t kMaxConverterOutput = 64u << 20;
constexpr size_t kMaxStderr = 16u << 10;
constexpr int kMaxRecordDepth = 64;
constexpr int kMaxSlides = 10000;

// ---- libgsf ---------------------------------------------------------------

using ole::InfilePtr;
using ole::ReadStream;

uint16_t Le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}
uint32_t Le32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(Le16(b, at)) | (static_cast<uint32_t>(Le16(b, at + 2)) << 16);
}

// The SummaryInformation property set (MS-OLEPS), read here rather than
// with gsf_doc_meta_data_read_from_msole, which hex-dumps damaged property
// sets to standard output. Reads title (2), subject (3), author (4),
// keywords (5), created (12) and last saved (13); strings in the set's code
// page (property 1), times as FILETIME -> ISO 8601 UTC.
void ReadSummary(GsfInfile* ole, ExtractedDocument* doc) {
  const std::string ps = ReadStream(ole, "\005SummaryInformation");
  if (ps.size() < 48 || Le16(ps, 0) != 0xFFFE) return;
  const size_t set = Le32(ps, 44);
  if (set + 8 > ps.size()) return;
  const size_t count = std::min<size_t>(Le32(ps, set + 4), 1024);
  std::map<uint32_t, size_t> where;  // property id -> offset of its type
  for (size_t i = 0; i < count && set + 8 + 8 * i + 8 <= ps.size(); ++i) {
    const size_t at = set + Le32(ps, set + 12 + 8 * i);
    if (at + 8 <= ps.size()) where[Le32(ps, set + 8 + 8 * i)] = at;
  }
  int code_page = 1252;
  if (auto it = where.find(1); it != where.end() && Le16(ps, it->second) == 2) code_page = Le16(ps, it->second + 4);

  auto text = [&](uint32_t id) -> std::string {
    auto it = where.find(id);
    if (it == where.end()) return "";
    const size_t at = it->second;
    const uint16_t type = Le16(ps, at);
    const size_t n = Le32(ps, at + 4);
    std::string out;
    if (type == 0x1F || (type == 0x1E && code_page == 1200)) {  // UTF-16LE
      const size_t units = type == 0x1F ? n : n / 2;
      for (size_t i = 0; i < units && at + 8 + 2 * i + 2 <= ps.size(); ++i) {
        const uint16_t u = Le16(ps, at + 8 + 2 * i);
        if (u == 0) break;
        AppendUtf8(u, &out);
      }
    } else if (type == 0x1E) {
      std::string_view raw = std::string_view(ps).substr(at + 8, std::min(n, ps.size() - at - 8));
      raw = raw.substr(0, raw.find('\0'));
      auto decoded = DecodeWithCharset(raw, code_page == 65001 ? "utf-8" : "windows-" + std::to_string(code_page));
      if (decoded.ok()) out = decoded->utf8;
    }
    return std::string(Trim(out));
  };
  auto time = [&](uint32_t id) -> std::string {
    auto it = where.find(id);
    if (it == where.end() || it->second + 12 > ps.size() || Le16(ps, it->second) != 0x40) return "";
    const uint64_t ticks = Le32(ps, it->second + 4) | (static_cast<uint64_t>(Le32(ps, it->second + 8)) << 32);
    constexpr uint64_t kUnixEpochTicks = 116444736000000000ull;  // 1970-01-01 as a FILETIME
    if (ticks <= kUnixEpochTicks || ticks / 10000000 - 11644473600ull > 253402300799ull) return "";  // unset or past 9999
    const time_t secs = static_cast<time_t>(ticks / 10000000 - 11644473600ull);
    tm utc{};
    if (!gmtime_r(&secs, &utc)) return "";
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return iso;
  };
  static constexpr std::pair<uint32_t, const char*> kStrings[] = {{3, "subject"}, {4, "author"}, {5, "keywords"}};
  for (const auto& [id, key] : kStrings) {
    std::string value = text(id);
    if (!value.empty()) doc->metadata[key] = std::move(value);
  }
  if (std::string created = time(12); !created.empty()) doc->metadata["created"] = created;
  if (std::string modified = time(13); !modified.empty()) doc->metadata["modified"] = modified;
  doc->title = text(2);
}

// ---- converters -------------------------------------------------------------

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// A temporary copy of the input, removed when this goes out of scope.
class TempFile {
 public:
  Status Write(std::string_view bytes) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/smelter-legacy-XXXXXX";
    Fd fd(::mkstemp(path_.data()));
    if (fd.fd < 0) {
      path_.clear();
      return Status::IOError(std::string("cannot create a temporary file: ") + std::strerror(errno));
    }
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::IOError(std::string("cannot write a temporary file: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    return Status::OK();
  }
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs `argv` (searched in PATH, no shell) with the input file as its last
// argument; returns its standard output. Fails on a non-zero exit, a
// signal, the time limit or the output cap; the message carries the first
// line of the child's standard error.
Result<std::string> RunConverter(std::vector<std::string> argv, std::string_view input) {
  TempFile temp;
  SMELTER_RETURN_IF_ERROR(temp.Write(input));
  argv.push_back(temp.path());
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (rc == ENOENT) return Status::Unsupported("legacy format not supported: " + argv[0] + " is not installed");
    return Status::Internal("cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  out_write.Close();
  err_write.Close();

  std::string out, err;
  Status failure;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kConverterTimeoutSeconds);
  char buffer[64 * 1024];
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = Status::Timeout(argv[0] + " ran longer than " + std::to_string(kConverterTimeoutSeconds) + " s");
      break;
    }
    pollfd fds[2] = {{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      failure = Status::IOError("poll failed");
      break;
    }
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      Fd& fd = i == 0 ? out_read : err_read;
      if (n <= 0) {
        fd.Close();
        continue;
      }
      std::string& sink = i == 0 ? out : err;
      const size_t cap = i == 0 ? kMaxConverterOutput : kMaxStderr;
      sink.append(buffer, std::min(static_cast<size_t>(n), cap - std::min(cap, sink.size())));
      if (i == 0 && sink.size() >= kMaxConverterOutput) {
        failure = Status::TooLarge(argv[0] + " output exceeds " + std::to_string(kMaxConverterOutput) + " bytes");
        break;
      }
    }
    if (!failure.ok()) break;
  }
  if (!failure.ok()) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!failure.ok()) return failure;

  std::string first_line(Trim(err.substr(0, err.find('\n'))));
  if (WIFSIGNALED(wstatus)) {
    return Status::ParserCrashed(argv[0] + " killed by signal " + std::to_string(WTERMSIG(wstatus)) +
                                 (first_line.empty() ? "" : ": " + first_line));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::Corrupt(argv[0] + " failed (exit " + std::to_string(WEXITSTATUS(wstatus)) + ")" +
                           (first_line.empty() ? "" : ": " + first_line));
  }
  return out;
}

// ---- Word -------------------------------------------------------------------

Status ExtractDoc(GsfInfile* ole, std::string_view bytes, ExtractedDocument* doc) {
  const std::string word = ReadStream(ole, "WordDocument");
  if (word.size() < 12) return Status::Corrupt("no WordDocument stream");
  // FibBase.fEncrypted: bit 8 of the flags at offset 10.
  if (Le16(word, 10) & 0x0100) return Status::Encrypted("password-protected Word document");
  auto text = RunConverter({"catdoc", "-w", "-d", "utf-8"}, bytes);
  if (!text.ok()) return text.status();
  for (std::string_view line : text_util::SplitLines(*text)) {
    line = Trim(line);
    if (line.empty() || line == "\f") continue;
    Element e;
    e.text = std::string(line);
    std::replace(e.text.begin(), e.text.end(), '\f', ' ');
    doc->elements.push_back(std::move(e));
  }
  return Status::OK();
}

// ---- Excel ------------------------------------------------------------------

// Sheet names in workbook order from the BoundSheet8 records (type 0x0085)
// of the BIFF8 workbook stream; also reports a FilePass record (0x002F:
// the workbook is encrypted). Only worksheets (dt 0) are listed, matching
// what xls2csv prints.
std::vector<std::string> SheetNames(std::string_view wb, bool* encrypted) {
  std::vector<std::string> names;
  size_t at = 0;
  while (at + 4 <= wb.size()) {
    const uint16_t type = Le16(wb, at);
    const uint16_t len = Le16(wb, at + 2);
    const size_t body = at + 4;
    if (body + len > wb.size()) break;
    if (type == 0x002F) *encrypted = true;
    if (type == 0x0085 && len >= 8) {
      const uint8_t sheet_type = static_cast<uint8_t>(wb[body + 5]);
      const size_t count = static_cast<uint8_t>(wb[body + 6]);
      const bool wide = (static_cast<uint8_t>(wb[body + 7]) & 1) != 0;
      std::string name;
      for (size_t i = 0; i < count; ++i) {
        const size_t p = body + 8 + (wide ? 2 * i : i);
        if (p + (wide ? 2 : 1) > body + len) break;
        AppendUtf8(wide ? Le16(wb, p) : static_cast<uint8_t>(wb[p]), &name);
      }
      if (sheet_type == 0) names.push_back(std::move(name));
    }
    if (type == 0x000A && !names.empty()) break;  // EOF of the globals substream
    at = body + len;
  }
  return names;
}

// Parses xls2csv's CSV (comma separated, quotes doubled inside quotes).
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

Status ExtractXls(GsfInfile* ole, std::string_view bytes, ExtractedDocument* doc) {
  std::string wb = ReadStream(ole, "Workbook");
  if (wb.empty()) wb = ReadStream(ole, "Book");
  if (wb.empty()) return Status::Corrupt("no Workbook stream");
  bool encrypted = false;
  const std::vector<std::string> names = SheetNames(wb, &encrypted);
  if (encrypted) return Status::Encrypted("password-protected Excel workbook");
  auto csv = RunConverter({"xls2csv", "-q3", "-d", "utf-8", "-f", "%Y-%m-%d"}, bytes);
  if (!csv.ok()) return csv.status();

  std::string_view rest = *csv;
  int sheet = 0;
  while (!rest.empty()) {
    const size_t ff = rest.find('\f');
    std::string_view part = rest.substr(0, ff);
    rest.remove_prefix(ff == std::string_view::npos ? rest.size() : ff + 1);
    ++sheet;
    auto rows = ParseCsv(part);
    // Rows with no text at all (xls2csv prints "," for them) carry nothing.
    std::erase_if(rows, [](const std::vector<std::string>& r) {
      return std::all_of(r.begin(), r.end(), [](const std::string& c) { return Trim(c).empty(); });
    });
    if (rows.empty()) continue;
    size_t width = 0;
    for (const auto& r : rows) width = std::max(width, r.size());
    for (auto& r : rows) {
      r.resize(width);
      for (auto& c : r) c = std::string(Trim(c));
    }
    Element page_break;
    page_break.type = ElementType::kPageBreak;
    page_break.page = sheet;
    doc->elements.push_back(std::move(page_break));
    Element heading;
    heading.type = ElementType::kHeading;
    heading.level = 2;
    heading.page = sheet;
    heading.text = static_cast<size_t>(sheet) <= names.size() && !names[static_cast<size_t>(sheet) - 1].empty()
                       ? names[static_cast<size_t>(sheet) - 1]
                       : "Sheet " + std::to_string(sheet);
    doc->elements.push_back(std::move(heading));
    Element table;
    table.type = ElementType::kTable;
    table.page = sheet;
    table.rows = std::move(rows);
    table.has_header = true;
    doc->elements.push_back(std::move(table));
  }
  doc->page_count = sheet;
  return Status::OK();
}

// ---- PowerPoint -------------------------------------------------------------

enum : uint16_t {
  kDocumentContainer = 0x03E8,
  kSlideContainer = 0x03EE,
  kSlidePersistAtom = 0x03F3,
  kTextHeaderAtom = 0x0F9F,
  kTextCharsAtom = 0x0FA0,
  kTextBytesAtom = 0x0FA8,
  kSlideListWithText = 0x0FF0,
  kUserEditAtom = 0x0FF5,
  kPersistDirectoryAtom = 0x1772,
};

struct Record {
  uint16_t ver_instance = 0;
  uint16_t type = 0;
  size_t body = 0;  // offset of the record's data
  size_t len = 0;
  bool container() const { return (ver_instance & 0x0F) == 0x0F; }
  uint16_t instance() const { return ver_instance >> 4; }
};

bool ReadRecord(std::string_view s, size_t at, Record* r) {
  if (at + 8 > s.size()) return false;
  r->ver_instance = Le16(s, at);
  r->type = Le16(s, at + 2);
  r->body = at + 8;
  r->len = std::min<size_t>(Le32(s, at + 4), s.size() - r->body);
  return true;
}

struct SlideText {
  std::string title;
  std::vector<std::string> paragraphs;
};

// Text atoms inside [from, to), in order; the TextHeaderAtom before each
// says whether it is a title (types 0 and 6).
void CollectText(std::string_view s, size_t from, size_t to, int depth, int* text_type, SlideText* out) {
  if (depth > kMaxRecordDepth) return;
  Record r;
  for (size_t at = from; at < to && ReadRecord(s, at, &r); at = r.body + r.len) {
    if (r.container()) {
      CollectText(s, r.body, std::min(to, r.body + r.len), depth + 1, text_type, out);
      continue;
    }
    if (r.type == kTextHeaderAtom && r.len >= 4) {
      *text_type = static_cast<int>(Le32(s, r.body));
      continue;
    }
    if (r.type != kTextCharsAtom && r.type != kTextBytesAtom) continue;
    std::string text;
    if (r.type == kTextCharsAtom) {
      for (size_t i = 0; i + 1 < r.len; i += 2) {
        uint32_t cp = Le16(s, r.body + i);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < r.len) {
          const uint32_t lo = Le16(s, r.body + i + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
          }
        }
        AppendUtf8(cp, &text);
      }
    } else {
      for (size_t i = 0; i < r.len; ++i) AppendUtf8(static_cast<uint8_t>(s[r.body + i]), &text);
    }
    // \r ends a paragraph, \v is a line break inside one.
    std::vector<std::string> paragraphs;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '\r') {
        std::string p(Trim(std::string_view(text).substr(start, i - start)));
        std::replace(p.begin(), p.end(), '\v', '\n');
        if (!p.empty() && p != "*") paragraphs.push_back(std::move(p));
        start = i + 1;
      }
    }
    const bool is_title = *text_type == 0 || *text_type == 6;
    for (std::string& p : paragraphs) {
      if (is_title && out->title.empty()) {
        out->title = std::move(p);
      } else if (is_title) {
        out->title += " " + p;
      } else {
        out->paragraphs.push_back(std::move(p));
      }
    }
    *text_type = -1;
  }
}

// persist id -> stream offset, newest edit first (so it wins).
std::map<uint32_t, uint32_t> PersistDirectory(std::string_view s, std::string_view current_user) {
  std::map<uint32_t, uint32_t> dir;
  if (current_user.size() < 20) return dir;
  uint32_t edit = Le32(current_user, 16);  // CurrentUserAtom.offsetToCurrentEdit
  for (int hops = 0; hops < 1000 && edit != 0; ++hops) {
    Record r;
    if (!ReadRecord(s, edit, &r) || r.type != kUserEditAtom || r.len < 20) break;
    const uint32_t last_edit = Le32(s, r.body + 8);
    const uint32_t dir_at = Le32(s, r.body + 12);
    Record d;
    if (ReadRecord(s, dir_at, &d) && d.type == kPersistDirectoryAtom) {
      for (size_t at = d.body; at + 4 <= d.body + d.len;) {
        const uint32_t entry = Le32(s, at);
        const uint32_t first = entry & 0xFFFFF;
        const uint32_t count = entry >> 20;
        at += 4;
        for (uint32_t k = 0; k < count && at + 4 <= d.body + d.len; ++k, at += 4) {
          dir.emplace(first + k, Le32(s, at));  // emplace keeps the newer entry
        }
      }
    }
    if (last_edit == edit || last_edit >= s.size()) break;
    edit = last_edit;
  }
  return dir;
}

// The slides' persist ids in presentation order, from the slide list of
// the document container; and the text the slide list itself carries.
void SlideList(std::string_view s, const Record& document, std::vector<uint32_t>* ids, std::vector<SlideText>* texts) {
  Record r;
  for (size_t at = document.body; at < document.body + document.len && ReadRecord(s, at, &r); at = r.body + r.len) {
    if (r.type != kSlideListWithText || r.instance() != 0) continue;
    Record a;
    int text_type = -1;
    for (size_t p = r.body; p < r.body + r.len && ReadRecord(s, p, &a); p = a.body + a.len) {
      if (a.type == kSlidePersistAtom && a.len >= 4) {
        if (ids->size() >= static_cast<size_t>(kMaxSlides)) return;
        ids->push_back(Le32(s, a.body));
        texts->emplace_back();
        text_type = -1;
      } else if (!texts->empty()) {
        CollectText(s, p, a.body + a.len, 0, &text_type, &texts->back());
      }
    }
  }
}

Status ExtractPpt(GsfInfile* ole, ExtractedDocument* doc) {
  const std::string s = ReadStream(ole, "PowerPoint Document");
  if (s.empty()) return Status::Corrupt("no PowerPoint Document stream");
  const std::map<uint32_t, uint32_t> dir = PersistDirectory(s, ReadStream(ole, "Current User"));

  std::vector<uint32_t> slide_ids;
  std::vector<SlideText> list_texts;
  Record r;
  for (size_t at = 0; at < s.size() && ReadRecord(s, at, &r); at = r.body + r.len) {
    if (r.type == kDocumentContainer) {
      SlideList(s, r, &slide_ids, &list_texts);
      break;
    }
  }
  // The slides' own containers, in presentation order when the directory
  // says where they are, else in stream order.
  std::vector<size_t> containers;
  for (uint32_t id : slide_ids) {
    auto it = dir.find(id);
    Record c;
    containers.push_back(it != dir.end() && ReadRecord(s, it->second, &c) && c.type == kSlideContainer
                             ? it->second
                             : std::string::npos);
  }
  if (containers.empty() || std::all_of(containers.begin(), containers.end(),
                                        [](size_t c) { return c == std::string::npos; })) {
    containers.clear();
    for (size_t at = 0; at < s.size() && ReadRecord(s, at, &r) && containers.size() < kMaxSlides; at = r.body + r.len) {
      if (r.type == kSlideContainer) containers.push_back(at);
    }
    if (list_texts.size() != containers.size()) list_texts.resize(std::max(list_texts.size(), containers.size()));
  }

  int page = 0;
  for (size_t i = 0; i < std::max(containers.size(), list_texts.size()); ++i) {
    SlideText text;
    if (i < containers.size() && containers[i] != std::string::npos) {
      Record c;
      ReadRecord(s, containers[i], &c);
      int text_type = -1;
      CollectText(s, c.body, c.body + c.len, 0, &text_type, &text);
    }
    // Older files keep the placeholders' text in the slide list only.
    if (text.title.empty() && text.paragraphs.empty() && i < list_texts.size()) text = std::move(list_texts[i]);
    ++page;
    Element page_break;
    page_break.type = ElementType::kPageBreak;
    page_break.page = page;
    doc->elements.push_back(std::move(page_break));
    if (!text.title.empty()) {
      Element title;
      title.type = page == 1 ? ElementType::kTitle : ElementType::kHeading;
      if (page == 1 && doc->title.empty()) doc->title = text.title;
      title.level = title.type == ElementType::kHeading ? 2 : 1;
      title.text = text.title;
      title.page = page;
      doc->elements.push_back(std::move(title));
    }
    for (std::string& p : text.paragraphs) {
      Element e;
      e.text = std::move(p);
      e.page = page;
      doc->elements.push_back(std::move(e));
    }
  }
  doc->page_count = page;
  return Status::OK();
}

class LegacyOfficeExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "legacy-office"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    const std::string_view bytes = input.bytes;
    Result<InfilePtr> opened = ole::Open(bytes);
    if (!opened.ok()) return opened.status();
    InfilePtr ole = std::move(*opened);
    ExtractedDocument doc;
    ReadSummary(ole.get(), &doc);
    Status status;
    switch (input.type.kind) {
      case DocKind::kDoc: status = ExtractDoc(ole.get(), bytes, &doc); break;
      case DocKind::kXls: status = ExtractXls(ole.get(), bytes, &doc); break;
      case DocKind::kPpt: status = ExtractPpt(ole.get(), &doc); break;
      default: status = Status::Unsupported("legacy format not supported: " + std::string(DocKindName(input.type.kind)));
    }
    if (!status.ok()) return status;
    doc.source_encoding = "UTF-8";
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeLegacyOfficeExtractor() { return std::make_unique<LegacyOfficeExtractor>(); }

}  // namespace smelter
