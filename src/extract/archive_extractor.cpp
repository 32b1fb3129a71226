// ZIP, tar, tar.gz and single-file .gz -> child documents (libarchive).
//
// An archive has no text of its own: every regular member becomes a
// ChildDocument {name = its path in the archive, bytes}, which the pipeline
// stores and extracts like any other file (nested archives included; the
// depth limit is the pipeline's). The parent's elements list the members, a
// kHeading "Archive contents" and one kListItem "path (size)" each, so the
// parent is never empty. metadata: "members" (children produced),
// "archive_format" (libarchive's name), "skipped_members" ("name: reason"
// joined with "; ") when any member was left out.
//
// Limits (ExtractOptions, counted while inflating, never from headers):
//   - more than archive_max_members members                     -> kTooLarge
//   - more than archive_max_total_bytes inflated in all          -> kTooLarge
//   - more than archive_max_ratio times the archive's own size
//     inflated (past a 1 MiB floor, so small text archives pass)  -> kTooLarge
//     "archive bomb: expands N:1"; reading stops at the limit, so a bomb
//     costs at most that many bytes of work
//   - a member over archive_max_member_bytes is skipped and listed.
// Members that could land outside the extraction folder (absolute paths,
// ".." components, drive letters), links (symbolic and hard), devices,
// FIFOs, encrypted members and repeated names are skipped and listed in
// "skipped_members": the archive's other members are still good, so the
// archive is not failed for them. Directories and OS litter (__MACOSX/,
// .DS_Store, Thumbs.db, desktop.ini) are dropped silently. An archive
// whose every member is encrypted is kEncrypted; one that libarchive cannot
// open or that breaks before its first member is kCorrupt; one that breaks
// later keeps the members read and notes it in "archive_note".
//
// A ZIP that is a Slack workspace export (channels.json plus
// <channel>/YYYY-MM-DD.json day files) is rendered as conversations
// instead (see slack_export.h): one child per thread.
//
// kZip reads only the ZIP format, kTar only tar, kGzip tar or (through
// libarchive's "raw" format) one compressed file, named after the archive
// without its .gz/.tgz suffix.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/slack_export.h"

namespace smelter {
namespace {

// Below this many inflated bytes the expansion ratio is not judged: a
// small archive of text legitimately compresses more than 100:1.
constexpr uint64_t kRatioFloorBytes = 1ull << 20;
constexpr size_t kReadChunk = 64 * 1024;

struct ArchiveFree {
  void operator()(struct archive* a) const {
    if (a) archive_read_free(a);
  }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;

std::string FormatSize(uint64_t bytes) {
  char buf[64];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%llu bytes", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.1f KB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return buf;
}

// Normalizes a member path: backslashes (DOS-made ZIPs) become '/', "." and
// empty components go. Returns "" (with *why set) when the path would
// leave the folder it is extracted into.
std::string SafeMemberPath(std::string_view raw, std::string* why) {
  std::string path(raw);
  std::replace(path.begin(), path.end(), '\\', '/');
  if (!path.empty() && path.front() == '/') {
    *why = "absolute path";
    return "";
  }
  if (path.size() >= 2 && path[1] == ':' &&
      ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'))) {
    *why = "drive letter";
    return "";
  }
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string_view part(path.data() + start, slash - start);
    if (part == "..") {
      *why = "path climbs out with ..";
      return "";
    }
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += part;
    }
    start = slash + 1;
  }
  if (out.empty()) *why = "empty name";
  return out;
}

// Files that operating systems leave in archives; never documents.
bool IsOsLitter(std::string_view path) {
  if (path.starts_with("__MACOSX/") || path.find("/__MACOSX/") != std::string_view::npos) return true;
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini" || base.starts_with("._");
}

// "report.pdf.gz" -> "report.pdf", "data.tgz" -> "data.tar", else "data".
std::string RawMemberName(const std::string& filename) {
  std::string base = filename;
  const size_t slash = base.find_last_of("/\\");
  if (slash != std::string::npos) base = base.substr(slash + 1);
  auto ends_with = [&](std::string_view suffix) {
    if (base.size() <= suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i) {
      char c = base[base.size() - suffix.size() + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != suffix[i]) return false;
    }
    return true;
  };
  if (ends_with(".tgz")) return base.substr(0, base.size() - 4) + ".tar";
  if (ends_with(".gz")) return base.substr(0, base.size() - 3);
  if (ends_with(".gzip")) return base.substr(0, base.size() - 5);
  return "data";
}

struct Skipped {
  std::vector<std::string> notes;
  size_t encrypted = 0;
  void Add(const std::string& name, const std::string& why) { notes.push_back(name + ": " + why); }
};

class ArchiveExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "archive"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    static const ExtractOptions kDefaults;
    const ExtractOptions& options = input.options ? *input.options : kDefaults;
    const std::string_view bytes = input.bytes;

    ArchivePtr reader(archive_read_new());
    if (!reader) return Status::Internal("archive_read_new failed");
    struct archive* a = reader.get();
    const bool raw_allowed = input.type.kind == DocKind::kGzip;
    if (input.type.kind == DocKind::kZip) {
      archive_read_support_format_zip(a);
    } else {
      archive_read_support_filter_all(a);
      archive_read_support_format_tar(a);
      archive_read_support_format_gnutar(a);
      // "raw" bids lowest: a gzipped tar is still read as a tar.
      if (raw_allowed) archive_read_support_format_raw(a);
    }
    if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
      return Status::Corrupt(std::string("unreadable archive: ") + Message(a));
    }

    const uint64_t ratio_limit = std::max<uint64_t>(
        kRatioFloorBytes, static_cast<uint64_t>(static_cast<double>(bytes.size()) * options.archive_max_ratio));
    ExtractedDocument doc;
    Skipped skipped;
    std::set<std::string> seen;
    uint64_t total = 0;
    size_t entries = 0;
    std::string note;
    std::string chunk(kReadChunk, '\0');

    for (;;) {
      struct archive_entry* entry = nullptr;
      const int r = archive_read_next_header(a, &entry);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) {
        if (entries == 0) return Status::Corrupt(std::string("unreadable archive: ") + Message(a));
        note = "archive broken after " + std::to_string(entries) + " member(s): " + Message(a);
        break;
      }
      ++entries;
      if (entries > options.archive_max_members) {
        return Status::TooLarge("archive has more than " + std::to_string(options.archive_max_members) + " members");
      }
      const char* utf8 = archive_entry_pathname_utf8(entry);
      const char* native = archive_entry_pathname(entry);
      std::string raw_name = utf8 ? utf8 : (native ? native : "");
      const bool is_raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
      if (is_raw) raw_name = RawMemberName(input.filename);

      const mode_t type = archive_entry_filetype(entry);
      if (type == AE_IFDIR) continue;
      std::string why;
      const std::string path = SafeMemberPath(raw_name, &why);
      if (path.empty()) {
        skipped.Add(raw_name, why);
        continue;
      }
      if (IsOsLitter(path)) continue;
      if (type == AE_IFLNK || archive_entry_symlink(entry)) {
        skipped.Add(path, "symbolic link");
        continue;
      }
      if (archive_entry_hardlink(entry)) {
        skipped.Add(path, "hard link");
        continue;
      }
      if (type != AE_IFREG && !(is_raw && type == 0)) {
        skipped.Add(path, "not a regular file");
        continue;
      }
      if (archive_entry_is_encrypted(entry)) {
        skipped.Add(path, "encrypted");
        ++skipped.encrypted;
        continue;
      }
      if (!seen.insert(path).second) {
        skipped.Add(path, "repeated name");
        continue;
      }

      // Inflate, counting: the header's size may lie.
      std::string data;
      bool over_member_cap = false;
      bool broken = false;
      for (;;) {
        const la_ssize_t n = archive_read_data(a, chunk.data(), chunk.size());
        if (n == 0) break;
        if (n < 0) {
          if (n == ARCHIVE_WARN) continue;
          broken = true;
          break;
        }
        total += static_cast<uint64_t>(n);
        if (total > ratio_limit) {
          const uint64_t ratio = bytes.empty() ? 0 : total / bytes.size();
          return Status::TooLarge("archive bomb: expands " + std::to_string(ratio) + ":1 (limit " +
                                  std::to_string(static_cast<uint64_t>(options.archive_max_ratio)) + ":1)");
        }
        if (total > options.archive_max_total_bytes) {
          return Status::TooLarge("archive members exceed " + FormatSize(options.archive_max_total_bytes) +
                                  " uncompressed");
        }
        // Past the member cap the rest is still inflated, so that it
        // counts toward the total and ratio limits, but not kept.
        if (over_member_cap) continue;
        if (data.size() + static_cast<uint64_t>(n) > options.archive_max_member_bytes) {
          over_member_cap = true;
          std::string().swap(data);
          continue;
        }
        data.append(chunk.data(), static_cast<size_t>(n));
      }
      if (broken) {
        const std::string message = Message(a);
        if (archive_entry_is_encrypted(entry) || message.find("ncrypt") != std::string::npos) {
          skipped.Add(path, "encrypted");
          ++skipped.encrypted;
          continue;
        }
        skipped.Add(path, "unreadable: " + message);
        // Stream formats cannot resynchronize after a damaged member.
        note = "archive broken in member " + path;
        if (input.type.kind != DocKind::kZip) break;
        continue;
      }
      if (over_member_cap) {
        skipped.Add(path, "larger than " + FormatSize(options.archive_max_member_bytes));
        continue;
      }
      ChildDocument child;
      child.name = path;
      child.bytes = std::move(data);
      doc.children.push_back(std::move(child));
    }

    if (doc.children.empty() && skipped.encrypted > 0 && skipped.encrypted == skipped.notes.size()) {
      return Status::Encrypted("every member of the archive is encrypted");
    }
    if (doc.children.empty() && !note.empty()) return Status::Corrupt(note);
    const char* format = archive_format_name(a);
    if (format) doc.metadata["archive_format"] = format;
    if (!note.empty()) doc.metadata["archive_note"] = note;
    if (!skipped.notes.empty()) {
      std::string joined;
      for (const std::string& s : skipped.notes) {
        if (!joined.empty()) joined += "; ";
        joined += s;
      }
      doc.metadata["skipped_members"] = joined;
    }

    if (input.type.kind == DocKind::kZip && RenderAsSlack(&doc)) return doc;

    Element heading;
    heading.type = ElementType::kHeading;
    heading.level = 1;
    heading.text = "Archive contents";
    doc.elements.push_back(std::move(heading));
    for (const ChildDocument& child : doc.children) {
      Element item;
      item.type = ElementType::kListItem;
      item.text = child.name + " (" + FormatSize(child.bytes.size()) + ")";
      doc.elements.push_back(std::move(item));
    }
    for (const std::string& s : skipped.notes) {
      Element item;
      item.type = ElementType::kListItem;
      item.text = s + " (skipped)";
      doc.elements.push_back(std::move(item));
    }
    if (doc.children.empty() && skipped.notes.empty()) return Status::Empty("archive without members");
    doc.metadata["members"] = std::to_string(doc.children.size());
    return doc;
  }

 private:
  static std::string Message(struct archive* a) {
    const char* s = archive_error_string(a);
    return s ? s : "unknown error";
  }

  // Replaces the members of a Slack export by its conversations; false
  // (members untouched) when the archive is not one.
  static bool RenderAsSlack(ExtractedDocument* doc) {
    std::vector<std::string> paths;
    paths.reserve(doc->children.size());
    for (const ChildDocument& child : doc->children) paths.push_back(child.name);
    if (!LooksLikeSlackExport(paths)) return false;
    std::vector<SlackFile> files;
    for (const ChildDocument& child : doc->children) files.push_back({child.name, child.bytes});
    ExtractedDocument rendered;
    if (!RenderSlackExport(files, &rendered).ok() || rendered.children.empty()) return false;
    for (auto& [key, value] : doc->metadata) rendered.metadata.emplace(key, value);
    rendered.metadata["members"] = std::to_string(rendered.children.size());
    *doc = std::move(rendered);
    return true;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeArchiveExtractor() { return std::make_unique<ArchiveExtractor>(); }

}  // namespace smelter
