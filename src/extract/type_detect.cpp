#include "extract/type_detect.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <utility>

#include "extract/ole_file.h"
#include "extract/text_decode.h"

namespace smelter {
namespace {

// libmagic decides from the start of a file; the rest would only slow its
// text-encoding scan down.
constexpr size_t kMagicSampleBytes = 256 * 1024;
// Text refinements look at this much of the (decoded) start of the file.
constexpr size_t kSniffBytes = 8 * 1024;

// One libmagic handle per thread: a magic_t is not safe to share, and
// loading the database per call would cost milliseconds.
class MagicHandle {
 public:
  MagicHandle() {
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (cookie_ && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;

  // The MIME type, or "" when libmagic is unavailable or fails.
  std::string MimeType(std::string_view bytes) {
    if (!cookie_) return "";
    const char* mime = magic_buffer(cookie_, bytes.data(), bytes.size());
    return mime ? std::string(mime) : std::string();
  }

 private:
  magic_t cookie_ = nullptr;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lower-case extension without the dot ("md"), or "" when there is none.
std::string Extension(std::string_view filename) {
  const size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return Lower(filename.substr(dot + 1));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view SkipSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

uint16_t ReadLe16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               (static_cast<unsigned char>(b[at + 1]) << 8));
}
uint32_t ReadLe32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(ReadLe16(b, at)) | (static_cast<uint32_t>(ReadLe16(b, at + 2)) << 16);
}

// What the members of a ZIP file say about the format inside.
struct ZipFacts {
  bool content_types = false;  // [Content_Types].xml: an OOXML package
  bool word = false, ppt = false, xl = false;
  std::string mimetype;  // contents of an ODF/EPUB "mimetype" member
};

void NoteMember(std::string_view name, ZipFacts* facts) {
  if (name == "[Content_Types].xml") facts->content_types = true;
  if (StartsWith(name, "word/")) facts->word = true;
  if (StartsWith(name, "ppt/")) facts->ppt = true;
  if (StartsWith(name, "xl/")) facts->xl = true;
}

constexpr std::string_view kLocalHeader("PK\x03\x04", 4);
constexpr std::string_view kCentralHeader("PK\x01\x02", 4);

// Reads the central directory that the end record points to: the
// archive's own members only. A plain ZIP that stores a DOCX or ZIP
// uncompressed holds that member's PK signatures too, and scanning for
// them would take the bundle for its member. False (facts untouched) when
// there is no usable end record (truncated files, ZIP64).
bool ReadCentralDirectory(std::string_view b, ZipFacts* facts) {
  static constexpr std::string_view kEndRecord("PK\x05\x06", 4);
  // The end record is 22 bytes plus a comment of at most 64 KiB.
  const size_t from = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  const size_t found = b.substr(from).rfind(kEndRecord);
  if (found == std::string_view::npos) return false;
  const size_t end = from + found;
  if (end + 22 > b.size()) return false;
  const uint16_t count = ReadLe16(b, end + 10);
  const uint32_t offset = ReadLe32(b, end + 16);
  if (count == 0xFFFF || offset == 0xFFFFFFFF || offset >= end) return false;
  ZipFacts read;
  size_t pos = offset;
  for (uint16_t i = 0; i < count; ++i) {
    if (pos + 46 > end || b.substr(pos, 4) != kCentralHeader) return false;
    const uint16_t method = ReadLe16(b, pos + 10);
    const uint32_t compressed = ReadLe32(b, pos + 20);
    const uint16_t name_len = ReadLe16(b, pos + 28);
    const size_t next = pos + 46 + name_len + ReadLe16(b, pos + 30) + ReadLe16(b, pos + 32);
    const uint32_t local = ReadLe32(b, pos + 42);
    if (next > end) return false;
    const std::string_view name = b.substr(pos + 46, name_len);
    NoteMember(name, &read);
    if (name == "mimetype" && method == 0 && compressed < 256 && static_cast<size_t>(local) + 30 <= b.size() &&
        b.substr(local, 4) == kLocalHeader) {
      const size_t data_at = static_cast<size_t>(local) + 30 + ReadLe16(b, local + 26) + ReadLe16(b, local + 28);
      if (data_at + compressed <= b.size()) read.mimetype = std::string(b.substr(data_at, compressed));
    }
    pos = next;
  }
  *facts = std::move(read);
  return true;
}

// Reads member names from the central directory when the end record
// names one; otherwise from the local file headers and whatever central
// directory entries are there. Local headers alone would do for intact
// files, but scanning both also works on truncated files (which libmagic
// calls plain "zip") and on archives whose first members are large. Only
// the first and last few MB are scanned: the parts that name the format
// sit there.
ZipFacts InspectZip(std::string_view b) {
  constexpr size_t kHeadWindow = 16u << 20;
  constexpr size_t kTailWindow = 4u << 20;
  ZipFacts facts;
  if (ReadCentralDirectory(b, &facts)) return facts;

  auto scan = [&](size_t from, size_t to) {
    std::string_view window = b.substr(0, to);
    for (size_t pos = window.find(kLocalHeader, from); pos != std::string_view::npos && pos + 30 <= window.size();
         pos = window.find(kLocalHeader, pos + 4)) {
      const uint16_t method = ReadLe16(b, pos + 8);
      const uint32_t compressed = ReadLe32(b, pos + 18);
      const uint16_t name_len = ReadLe16(b, pos + 26);
      const uint16_t extra_len = ReadLe16(b, pos + 28);
      const size_t name_at = pos + 30;
      if (name_len == 0 || name_at + name_len > b.size()) continue;
      const std::string_view name = b.substr(name_at, name_len);
      NoteMember(name, &facts);
      // ODF and EPUB store "mimetype" first and uncompressed (method 0).
      const size_t data_at = name_at + name_len + extra_len;
      if (name == "mimetype" && method == 0 && compressed < 256 && data_at + compressed <= b.size()) {
        facts.mimetype = std::string(b.substr(data_at, compressed));
      }
    }
    for (size_t pos = window.find(kCentralHeader, from); pos != std::string_view::npos && pos + 46 <= window.size();
         pos = window.find(kCentralHeader, pos + 4)) {
      const uint16_t name_len = ReadLe16(b, pos + 28);
      if (name_len == 0 || pos + 46 + name_len > b.size()) continue;
      NoteMember(b.substr(pos + 46, name_len), &facts);
    }
  };
  if (b.size() <= kHeadWindow + kTailWindow) {
    scan(0, b.size());
  } else {
    scan(0, kHeadWindow);
    scan(b.size() - kTailWindow, b.size());
  }
  return facts;
}

DocKind ZipKind(std::string_view bytes, std::string_view ext) {
  const ZipFacts facts = InspectZip(bytes);
  if (!facts.mimetype.empty()) {
    const std::string_view m = facts.mimetype;
    if (m == "application/vnd.oasis.opendocument.text") return DocKind::kOdt;
    if (m == "application/vnd.oasis.opendocument.spreadsheet") return DocKind::kOds;
    if (m == "application/vnd.oasis.opendocument.presentation") return DocKind::kOdp;
    if (m == "application/epub+zip") return DocKind::kEpub;
  }
  if (facts.content_types) {
    if (facts.word) return DocKind::kDocx;
    if (facts.ppt) return DocKind::kPptx;
    if (facts.xl) return DocKind::kXlsx;
    // A package cut short before its main part: the name says which one,
    // and that format's extractor will report the damage.
    if (ext == "docx") return DocKind::kDocx;
    if (ext == "pptx") return DocKind::kPptx;
    if (ext == "xlsx") return DocKind::kXlsx;
  }
  return DocKind::kZip;
}

// The application of an OLE2 compound file, from the names of its
// top-level streams: "WordDocument", "Workbook" (or BIFF5 "Book"),
// "PowerPoint Document", or an Outlook message's "__substg1.0_*"
// properties. kUnknown when none is there or the container is unreadable.
DocKind OleKindFromStreams(std::string_view bytes) {
  Result<ole::InfilePtr> opened = ole::Open(bytes);
  if (!opened.ok()) return DocKind::kUnknown;
  GsfInfile* ole = opened->get();
  bool word = false, excel = false, powerpoint = false, outlook = false;
  const int n = gsf_infile_num_children(ole);
  for (int i = 0; i < n; ++i) {
    const char* raw = gsf_infile_name_by_index(ole, i);
    if (!raw) continue;
    const std::string_view name(raw);
    if (name == "WordDocument") word = true;
    if (name == "Workbook" || name == "Book") excel = true;
    if (name == "PowerPoint Document") powerpoint = true;
    if (StartsWith(name, "__substg1.0_")) outlook = true;
  }
  if (outlook) return DocKind::kMsg;
  if (word) return DocKind::kDoc;
  if (excel) return DocKind::kXls;
  if (powerpoint) return DocKind::kPpt;
  return DocKind::kUnknown;
}

// Legacy Office files share one container (OLE2/CFB); its streams name the
// application, then libmagic's verdict, then the extension.
DocKind OleKind(std::string_view bytes, std::string_view mime, std::string_view ext) {
  if (const DocKind kind = OleKindFromStreams(bytes); kind != DocKind::kUnknown) return kind;
  if (mime == "application/msword") return DocKind::kDoc;
  if (mime == "application/vnd.ms-excel") return DocKind::kXls;
  if (mime == "application/vnd.ms-powerpoint") return DocKind::kPpt;
  if (mime == "application/vnd.ms-outlook") return DocKind::kMsg;
  if (ext == "doc" || ext == "dot") return DocKind::kDoc;
  if (ext == "xls" || ext == "xlt") return DocKind::kXls;
  if (ext == "ppt" || ext == "pps" || ext == "pot") return DocKind::kPpt;
  if (ext == "msg") return DocKind::kMsg;
  return DocKind::kUnknown;
}

// Element names that only HTML uses as a document's first element.
bool IsHtmlElementName(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "html", "head", "body", "title", "meta", "link", "style", "script", "base", "div", "p",
      "span", "table", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img",
      "pre", "section", "article", "header", "footer", "nav", "main", "form", "center", "font",
      "b", "i", "u", "em", "strong", "blockquote", "hr", "dl", "frameset", "iframe", "noscript"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// HTML is recognized by its first element (after the XML declaration,
// comments and doctype): an HTML element name, or an HTML doctype. This
// keeps XML that merely contains <title> (a MediaWiki export) out. Unless
// libmagic already said HTML, markup must come first: a text file that
// mentions <div> somewhere is still text.
bool LooksLikeHtml(std::string_view text, bool magic_says_html) {
  std::string_view s = text;
  for (int steps = 0; steps < 64; ++steps) {
    s = SkipSpace(s);
    if (s.empty()) return false;
    if (s.front() != '<') {
      if (!magic_says_html) return false;
      const size_t lt = s.find('<');
      if (lt == std::string_view::npos) return false;
      s.remove_prefix(lt);
      continue;
    }
    if (StartsWith(s, "<!--")) {
      const size_t end = s.find("-->");
      if (end == std::string_view::npos) return false;
      s.remove_prefix(end + 3);
      continue;
    }
    if (StartsWithNoCase(s, "<!doctype")) {
      std::string_view rest = SkipSpace(s.substr(9));
      if (StartsWithNoCase(rest, "html")) return true;
    }
    if (StartsWith(s, "<?") || StartsWith(s, "<!")) {
      const size_t end = s.find('>');
      if (end == std::string_view::npos) return false;
      s.remove_prefix(end + 1);
      continue;
    }
    size_t i = 1;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == ':' || s[i] == '-')) ++i;
    if (i == 1) {
      if (!magic_says_html) return false;
      s.remove_prefix(1);
      continue;
    }
    return IsHtmlElementName(Lower(s.substr(1, i - 1)));
  }
  return false;
}

// An RFC 5322 header block at the very start ("Name: value" lines), with
// at least two of the headers every mail carries. An mbox "From " line may
// come first.
bool LooksLikeEmail(std::string_view text, bool* mbox_line) {
  *mbox_line = StartsWith(text, "From ");
  std::string_view s = text;
  if (*mbox_line) {
    const size_t nl = s.find('\n');
    if (nl == std::string_view::npos) return false;
    s.remove_prefix(nl + 1);
  }
  static constexpr std::string_view kMailHeaders[] = {
      "from", "to", "subject", "date", "message-id", "received", "mime-version", "return-path",
      "delivered-to", "reply-to", "cc", "content-type"};
  int known = 0;
  int lines = 0;
  while (!s.empty() && lines < 200) {
    const size_t nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    s.remove_prefix(nl == std::string_view::npos ? s.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;                              // end of the header block
    if (line.front() == ' ' || line.front() == '\t') {    // folded continuation
      if (lines == 0) return false;
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (size_t i = 0; i < colon; ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
    }
    ++lines;
    const std::string name = Lower(line.substr(0, colon));
    if (std::find(std::begin(kMailHeaders), std::end(kMailHeaders), name) != std::end(kMailHeaders)) {
      ++known;
    }
  }
  return known >= 2;
}

// True when the bytes are text that no BOM or UTF-16 pattern announced:
// well-formed UTF-8 (ASCII included) with next to no control characters.
bool LooksLikePlainText(std::string_view sample) {
  // A cut at the sample's end may split a character; IsValidUtf8 must not
  // fail for that.
  size_t n = sample.size();
  for (int k = 0; k < 3 && n > 0 && (static_cast<unsigned char>(sample[n - 1]) & 0xC0) == 0x80; ++k) --n;
  if (n > 0 && static_cast<unsigned char>(sample[n - 1]) >= 0xC0) --n;
  sample = sample.substr(0, n);
  if (!IsValidUtf8(sample)) return false;
  size_t controls = 0;
  for (unsigned char c : sample) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) ++controls;
  }
  return controls * 100 <= sample.size();
}

// Refines a text file into the text-like kind its content or name says.
DocKind TextKind(std::string_view head, std::string_view mime, std::string_view ext) {
  if (StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);  // UTF-8 BOM
  const std::string_view start = SkipSpace(head);
  const bool markup_first = !start.empty() && start.front() == '<';
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd") {
    // Markdown may hold HTML; only a whole HTML document overrides the name.
    if (markup_first && (StartsWithNoCase(start, "<!doctype html") || StartsWithNoCase(start, "<html"))) {
      return DocKind::kHtml;
    }
    return DocKind::kMarkdown;
  }
  bool mbox_line = false;
  if (mime == "message/rfc822" || LooksLikeEmail(head, &mbox_line)) {
    return (ext == "mbox" || (mbox_line && ext != "eml")) ? DocKind::kMbox : DocKind::kEml;
  }
  if (mime == "application/mbox") return DocKind::kMbox;
  if (LooksLikeHtml(head, mime == "text/html")) return DocKind::kHtml;

  const char first = start.empty() ? '\0' : start.front();
  if (ext == "jsonl" || ext == "ndjson" || mime == "application/x-ndjson") {
    if (first == '{' || first == '[') return DocKind::kJsonl;
  }
  if (mime == "application/json" || (ext == "json" && (first == '{' || first == '['))) {
    return DocKind::kJson;
  }
  if (StartsWith(start, "<?xml") || ((mime == "text/xml" || mime == "application/xml" || mime == "image/svg+xml" || ext == "xml") &&
       markup_first)) {
    return DocKind::kXml;
  }
  if (ext == "tsv" || ext == "tab" || mime == "text/tab-separated-values") return DocKind::kTsv;
  if (ext == "csv" || mime == "text/csv" || mime == "application/csv") return DocKind::kCsv;
  if (ext == "eml") return DocKind::kEml;
  if (ext == "mbox") return DocKind::kMbox;
  return DocKind::kText;
}

}  // namespace

std::string_view DocKindName(DocKind kind) {
  switch (kind) {
    case DocKind::kUnknown: return "unknown";
    case DocKind::kEmpty: return "empty";
    case DocKind::kText: return "text";
    case DocKind::kMarkdown: return "markdown";
    case DocKind::kHtml: return "html";
    case DocKind::kPdf: return "pdf";
    case DocKind::kDocx: return "docx";
    case DocKind::kPptx: return "pptx";
    case DocKind::kXlsx: return "xlsx";
    case DocKind::kOdt: return "odt";
    case DocKind::kOds: return "ods";
    case DocKind::kOdp: return "odp";
    case DocKind::kEpub: return "epub";
    case DocKind::kRtf: return "rtf";
    case DocKind::kDoc: return "doc";
    case DocKind::kXls: return "xls";
    case DocKind::kPpt: return "ppt";
    case DocKind::kMsg: return "msg";
    case DocKind::kEml: return "eml";
    case DocKind::kMbox: return "mbox";
    case DocKind::kCsv: return "csv";
    case DocKind::kTsv: return "tsv";
    case DocKind::kJson: return "json";
    case DocKind::kJsonl: return "jsonl";
    case DocKind::kXml: return "xml";
    case DocKind::kZip: return "zip";
    case DocKind::kTar: return "tar";
    case DocKind::kGzip: return "gzip";
    case DocKind::kImage: return "image";
  }
  return "unknown";
}

DetectedType DetectType(std::string_view bytes, std::string_view filename) {
  DetectedType out;
  if (bytes.empty()) {
    out.kind = DocKind::kEmpty;
    out.mime = "inode/x-empty";
    return out;
  }
  const std::string ext = Extension(filename);

  // Wide text first: libmagic calls BOM-less UTF-16 "data" and has no use
  // for the content, so the refinements below run on its decoded start.
  size_t bom_length = 0;
  std::string_view wide = DetectBom(bytes, &bom_length);
  if (wide == "UTF-8") wide = "";
  if (wide.empty()) wide = DetectUtf16WithoutBom(bytes);

  std::string_view sample = bytes.substr(0, kMagicSampleBytes);
  if (!wide.empty()) sample = sample.substr(0, sample.size() & ~size_t{3});
  static thread_local MagicHandle magic;
  out.mime = magic.MimeType(sample);
  const std::string& mime = out.mime;

  if (!wide.empty()) {
    // Decode a whole number of code units from the start for sniffing.
    auto head = DecodeToUtf8(bytes.substr(0, std::min(bytes.size(), 4 * kSniffBytes) & ~size_t{3}));
    out.kind = TextKind(head.ok() ? std::string_view(head->utf8) : std::string_view(), mime, ext);
    if (mime.empty() || mime == "application/octet-stream") {
      out.mime = std::string("text/plain; charset=") + std::string(wide);
    }
    return out;
  }

  if (mime == "application/pdf") {
    out.kind = DocKind::kPdf;
  } else if (mime == "application/zip" || StartsWith(mime, "application/vnd.openxmlformats") ||
             StartsWith(mime, "application/vnd.oasis.opendocument") || mime == "application/epub+zip" ||
             mime == "application/x-zip-compressed" || StartsWith(bytes, std::string_view("PK\x03\x04", 4))) {
    out.kind = ZipKind(bytes, ext);
  } else if (mime == "application/x-ole-storage" || mime == "application/CDFV2" ||
             mime == "application/vnd.ms-office" || mime == "application/msword" ||
             mime == "application/vnd.ms-excel" || mime == "application/vnd.ms-powerpoint" ||
             mime == "application/vnd.ms-outlook") {
    out.kind = OleKind(bytes, mime, ext);
  } else if (mime == "application/encrypted") {
    // A password-protected OOXML file is an OLE2 container with an
    // encrypted package; its name is the only hint of what is inside.
    if (ext == "docx") out.kind = DocKind::kDocx;
    else if (ext == "xlsx") out.kind = DocKind::kXlsx;
    else if (ext == "pptx") out.kind = DocKind::kPptx;
  } else if (mime == "text/rtf" || mime == "application/rtf") {
    out.kind = DocKind::kRtf;
  } else if (mime == "application/gzip" || mime == "application/x-gzip") {
    out.kind = DocKind::kGzip;
  } else if (mime == "application/x-tar") {
    out.kind = DocKind::kTar;
  } else if (StartsWith(mime, "image/") && mime != "image/svg+xml") {
    out.kind = DocKind::kImage;
  } else if (StartsWith(mime, "text/") || StartsWith(mime, "message/") || mime == "application/json" ||
             mime == "application/xml" || mime == "application/csv" || mime == "application/mbox" ||
             mime == "application/x-ndjson" || mime == "image/svg+xml" ||
             LooksLikePlainText(bytes.substr(0, kSniffBytes * 4))) {
    // libmagic's text verdicts include legacy 8-bit encodings; an odd
    // verdict on bytes that are plainly UTF-8 text (a fixed-field patent
    // file read as HP-GL) yields to the content.
    std::string_view head = bytes.substr(0, kSniffBytes);
    out.kind = TextKind(head, mime, ext);
  }
  return out;
}

}  // namespace smelter
