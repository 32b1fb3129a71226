// Outlook MSG (an OLE2 compound file) -> elements with libgsf.
//
// Every MAPI property of variable length is a stream named
// __substg1.0_IIIITTTT (IIII the property id, TTTT its type: 001F UTF-16LE,
// 001E 8-bit in the message's code page, 0102 binary). Fixed-length
// properties (times, code pages) sit in __properties_version1.0 as 16-byte
// entries after a header (32 bytes at the top level, 8 in attachments).
// Read here: subject 0037, text body 1000, HTML body 1013 (used only when
// there is no text body), sender name 0C1A and address 0C1F/5D01, display
// To 0E04 and Cc 0E03, transport headers 007D, message class 001A, submit
// time 0039, code pages 3FFD/3FDE. Attachments are the storages
// __attach_version1.0_#XXXXXXXX: long name 3707 or short name 3704, MIME
// type 370E, data 3701, flags 3714 and hidden 7FFE (fixed).
//
// The output matches the EML extractor's: kTitle, header block, body,
// "Attachment: name (type, size)" paragraphs. Attached files (binary 3701
// data, neither hidden nor flagged ATT_MHTML_REF, i.e. not a picture
// inside the HTML body) also become children with the message's subject,
// sender and date (see email_common.h); embedded messages and OLE objects
// are only listed. S/MIME and PGP/MIME encrypted messages are reported as
// kEncrypted.
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "extract/email_common.h"
#include "extract/extractor.h"
#include "extract/html_convert.h"
#include "extract/ole_file.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {

namespace {

using text_util::Trim;

constexpr int kMaxAttachments = 4096;

using ole::InfilePtr;
using ole::InputPtr;
using ole::ReadAll;

struct Property {
  uint16_t type = 0;
  std::string bytes;
};

// Variable-length properties of one storage, by property id.
using Properties = std::map<uint16_t, Property>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseHex(std::string_view s, uint32_t* out) {
  uint32_t v = 0;
  for (char c : s) {
    const int h = HexValue(c);
    if (h < 0) return false;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  *out = v;
  return !s.empty();
}

// Reads the __substg1.0_ streams directly inside `storage`; also returns
// its fixed-length property stream and its child storages by name.
void ReadStorage(GsfInfile* storage, Properties* props, std::string* fixed,
                 std::vector<std::pair<std::string, InfilePtr>>* children) {
  const int n = gsf_infile_num_children(storage);
  for (int i = 0; i < n; ++i) {
    const char* raw_name = gsf_infile_name_by_index(storage, i);
    if (!raw_name) continue;
    const std::string_view name(raw_name);
    InputPtr child(gsf_infile_child_by_index(storage, i));
    if (!child) continue;
    if (name.starts_with("__substg1.0_") && name.size() == 20) {
      uint32_t tag = 0;
      if (!ParseHex(name.substr(12), &tag)) continue;
      Property p;
      p.type = static_cast<uint16_t>(tag & 0xFFFF);
      p.bytes = ReadAll(child.get());
      (*props)[static_cast<uint16_t>(tag >> 16)] = std::move(p);
    } else if (name == "__properties_version1.0") {
      if (fixed) *fixed = ReadAll(child.get());
    } else if (children && GSF_IS_INFILE(child.get()) && name.starts_with("__attach_version1.0_")) {
      children->emplace_back(std::string(name), InfilePtr(GSF_INFILE(child.release())));
    }
  }
}


// UTF-16LE -> UTF-8; unpaired surrogates become U+FFFD, a NUL ends the text.
std::string Utf16LeToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2);
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t u = static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (u == 0) break;
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t lo = static_cast<unsigned char>(bytes[i + 2]) | (static_cast<unsigned char>(bytes[i + 3]) << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        u = 0xFFFD;
      }
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      u = 0xFFFD;
    }
    AppendUtf8(u, &out);
  }
  return NormalizeText(out);
}

// Windows code page number -> charset label for DecodeWithCharset.
std::string CodePageCharset(uint32_t cp) {
  switch (cp) {
    case 0: return "";
    case 874: return "windows-874";
    case 932: return "shift_jis";
    case 936: return "gbk";
    case 949: return "euc-kr";
    case 950: return "big5";
    case 20127: return "us-ascii";
    case 20866: return "koi8-r";
    case 21866: return "koi8-u";
    case 50220: case 50221: case 50222: return "iso-2022-jp";
    case 51932: return "euc-jp";
    case 51949: return "euc-kr";
    case 52936: return "hz-gb-2312";
    case 54936: return "gb18030";
    case 65001: return "utf-8";
    default: break;
  }
  if (cp >= 1250 && cp <= 1258) return "windows-" + std::to_string(cp);
  if (cp >= 28591 && cp <= 28606) return "iso-8859-" + std::to_string(cp - 28590);
  return "";
}

std::string Decode8Bit(std::string_view bytes, const std::string& charset) {
  const size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) bytes = bytes.substr(0, nul);
  if (bytes.empty()) return "";
  Result<DecodedText> decoded = charset.empty() ? DecodeToUtf8(bytes) : DecodeWithCharset(bytes, charset);
  if (!decoded.ok()) return NormalizeText(bytes);
  return std::move(decoded->utf8);
}

// A string property (001F or 001E) as UTF-8; "" when absent.
std::string StringProp(const Properties& props, uint16_t id, const std::string& charset) {
  auto it = props.find(id);
  if (it == props.end()) return "";
  if (it->second.type == 0x001F) return Utf16LeToUtf8(it->second.bytes);
  if (it->second.type == 0x001E) return Decode8Bit(it->second.bytes, charset);
  return "";
}

struct FixedProps {
  std::map<uint16_t, uint64_t> values;  // by property id
};

FixedProps ParseFixed(std::string_view stream, size_t header) {
  FixedProps out;
  for (size_t at = header; at + 16 <= stream.size(); at += 16) {
    auto u32 = [&](size_t off) {
      uint32_t v = 0;
      for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(stream[at + off + static_cast<size_t>(k)]);
      return v;
    };
    const uint32_t tag = u32(0);
    const uint64_t value = static_cast<uint64_t>(u32(8)) | (static_cast<uint64_t>(u32(12)) << 32);
    out.values[static_cast<uint16_t>(tag >> 16)] = value;
  }
  return out;
}

// FILETIME (100 ns ticks since 1601) -> "YYYY-MM-DDTHH:MM:SSZ".
std::string FileTimeIso(uint64_t ticks) {
  constexpr uint64_t kEpochDiff = 11644473600ull;
  const uint64_t seconds = ticks / 10000000ull;
  if (seconds <= kEpochDiff || seconds > kEpochDiff + 32503680000ull) return "";
  const time_t t = static_cast<time_t>(seconds - kEpochDiff);
  struct tm tm_utc {};
  if (!gmtime_r(&t, &tm_utc)) return "";
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm_utc);
  return buf;
}

bool ContainsNoCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.empty() || haystack.size() < lower_needle.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < lower_needle.size()) {
      char c = haystack[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != lower_needle[k]) break;
      ++k;
    }
    if (k == lower_needle.size()) return true;
  }
  return false;
}

// The value of one header (name lower-case, with the colon) in the
// transport headers, unfolded; "" when absent.
std::string TransportHeader(std::string_view headers, std::string_view name) {
  std::string value;
  bool in_header = false;
  for (std::string_view line : text_util::SplitLines(headers)) {
    if (line.empty()) break;  // end of the header block
    if (in_header && (line.front() == ' ' || line.front() == '\t')) {
      value += ' ';
      value += Trim(line);
      continue;
    }
    if (in_header) break;
    if (line.size() > name.size() && ContainsNoCase(line.substr(0, name.size()), name)) {
      in_header = true;
      value = std::string(Trim(line.substr(name.size())));
    }
  }
  return value;
}

void AppendParagraph(std::string text, ExtractedDocument* doc) {
  Element e;
  e.type = ElementType::kParagraph;
  e.text = std::move(text);
  doc->elements.push_back(std::move(e));
}

void AppendPlainText(std::string_view text, ExtractedDocument* doc) {
  std::string para;
  auto flush = [&] {
    const std::string_view t = Trim(para);
    if (!t.empty() && !text_util::IsBlank(t)) AppendParagraph(std::string(t), doc);
    para.clear();
  };
  for (std::string_view line : text_util::SplitLines(text)) {
    if (text_util::IsBlank(line)) {
      flush();
      continue;
    }
    if (!para.empty()) para.push_back('\n');
    para.append(text_util::TrimRight(line));
  }
  flush();
}

class MsgExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "msg"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    const std::string_view bytes = input.bytes;
    Result<InfilePtr> opened = ole::Open(bytes);
    if (!opened.ok()) return opened.status();
    InfilePtr ole = std::move(*opened);

    Properties props;
    std::string fixed_stream;
    std::vector<std::pair<std::string, InfilePtr>> attachment_storages;
    ReadStorage(ole.get(), &props, &fixed_stream, &attachment_storages);
    if (props.empty()) return Status::Corrupt("OLE2 file without MAPI properties (not an Outlook message)");
    std::sort(attachment_storages.begin(), attachment_storages.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });

    const FixedProps fixed = ParseFixed(fixed_stream, 32);
    std::string charset;
    for (uint16_t id : {uint16_t{0x3FFD}, uint16_t{0x3FDE}}) {
      auto it = fixed.values.find(id);
      if (it != fixed.values.end() && charset.empty()) charset = CodePageCharset(static_cast<uint32_t>(it->second));
    }

    ExtractedDocument doc;
    doc.source_encoding = charset.empty() ? "UTF-16LE" : charset;
    const std::string message_class(Trim(StringProp(props, 0x001A, charset)));
    const std::string subject(Trim(StringProp(props, 0x0037, charset)));
    const std::string sender_name(Trim(StringProp(props, 0x0C1A, charset)));
    std::string sender_email(Trim(StringProp(props, 0x5D01, charset)));
    if (sender_email.find('@') == std::string::npos) sender_email = std::string(Trim(StringProp(props, 0x0C1F, charset)));
    // Exchange-internal (X.500) addresses are not for people.
    if (sender_email.find('@') == std::string::npos) sender_email.clear();
    const std::string to(Trim(StringProp(props, 0x0E04, charset)));
    const std::string cc(Trim(StringProp(props, 0x0E03, charset)));
    const std::string headers = StringProp(props, 0x007D, charset);
    std::string date;
    if (const std::string header_date = TransportHeader(headers, "date:"); !header_date.empty()) {
      date = RfcDateToIso(header_date);
    }
    for (uint16_t id : {uint16_t{0x0039}, uint16_t{0x0E06}}) {
      auto it = fixed.values.find(id);
      if (it != fixed.values.end() && date.empty()) date = FileTimeIso(it->second);
    }

    // Attachments, read before the encryption verdict.
    struct Attachment {
      std::string name, mime;
      size_t size = 0;
      std::string data;  // PR_ATTACH_DATA_BIN; empty for embedded messages and OLE objects
      bool inline_part = false;  // a picture of the body, not a file of its own
    };
    std::vector<Attachment> attachments;
    for (auto& [storage_name, storage] : attachment_storages) {
      if (static_cast<int>(attachments.size()) >= kMaxAttachments) break;
      Properties aprops;
      std::string afixed;
      ReadStorage(storage.get(), &aprops, &afixed, nullptr);
      Attachment a;
      const FixedProps aflags = ParseFixed(afixed, 8);
      // PR_ATTACHMENT_HIDDEN, or PR_ATTACH_FLAGS with ATT_MHTML_REF (the
      // HTML body refers to it, as Outlook marks embedded pictures).
      if (auto it = aflags.values.find(0x7FFE); it != aflags.values.end() && (it->second & 0xFF) != 0) {
        a.inline_part = true;
      }
      if (auto it = aflags.values.find(0x3714); it != aflags.values.end() && (it->second & 0x4) != 0) {
        a.inline_part = true;
      }
      a.name = std::string(Trim(StringProp(aprops, 0x3707, charset)));
      if (a.name.empty()) a.name = std::string(Trim(StringProp(aprops, 0x3704, charset)));
      if (a.name.empty()) a.name = std::string(Trim(StringProp(aprops, 0x3001, charset)));  // display name
      if (a.name.empty()) a.name = "unnamed";
      a.mime = std::string(Trim(StringProp(aprops, 0x370E, charset)));
      if (a.mime.empty()) a.mime = "application/octet-stream";
      if (auto it = aprops.find(0x3701); it != aprops.end()) {
        a.size = it->second.bytes.size();
        // Binary (0102) data is the file itself; an embedded message (000D)
        // is a storage of its own and is only listed.
        if (it->second.type == 0x0102) a.data = std::move(it->second.bytes);
      }
      attachments.push_back(std::move(a));
    }

    bool encrypted = ContainsNoCase(message_class, "ipm.note.smime") &&
                     !ContainsNoCase(message_class, "multipartsigned");
    const std::string content_type = TransportHeader(headers, "content-type:");
    if (ContainsNoCase(content_type, "multipart/encrypted") ||
        (ContainsNoCase(content_type, "pkcs7-mime") && ContainsNoCase(content_type, "enveloped"))) {
      encrypted = true;
    }
    for (const Attachment& a : attachments) {
      if (ContainsNoCase(a.mime, "application/pgp-encrypted") || ContainsNoCase(a.name, "smime.p7m")) {
        encrypted = true;
      }
    }
    if (encrypted) return Status::Encrypted("encrypted Outlook message (" + message_class + ")");

    std::string from = sender_name;
    if (!sender_email.empty() && sender_email != sender_name) {
      from = from.empty() ? sender_email : from + " <" + sender_email + ">";
    }

    if (!subject.empty()) {
      Element title;
      title.type = ElementType::kTitle;
      title.level = 1;
      title.text = subject;
      doc.elements.push_back(std::move(title));
      doc.title = subject;
      doc.metadata["subject"] = subject;
    }
    if (!from.empty()) {
      AppendParagraph("From: " + from, &doc);
      doc.metadata["from"] = from;
    }
    if (!to.empty()) {
      AppendParagraph("To: " + to, &doc);
      doc.metadata["to"] = to;
    }
    if (!cc.empty()) {
      AppendParagraph("Cc: " + cc, &doc);
      doc.metadata["cc"] = cc;
    }
    if (!date.empty()) {
      AppendParagraph("Date: " + date, &doc);
      doc.metadata["date"] = date;
    }
    if (!message_class.empty()) doc.metadata["message_class"] = message_class;

    const std::string body = StringProp(props, 0x1000, charset);
    if (!text_util::IsBlank(body)) {
      AppendPlainText(body, &doc);
    } else if (auto it = props.find(0x1013); it != props.end() && !it->second.bytes.empty()) {
      std::string html;
      if (it->second.type == 0x001F) {
        html = Utf16LeToUtf8(it->second.bytes);
      } else {
        std::string_view raw = it->second.bytes;
        const size_t nul = raw.find('\0');
        if (nul != std::string_view::npos) raw = raw.substr(0, nul);
        const std::string declared = SniffHtmlCharset(raw);
        html = Decode8Bit(raw, declared.empty() ? charset : declared);
      }
      ExtractedDocument converted;
      ConvertHtml(html, &converted);
      for (Element& e : converted.elements) doc.elements.push_back(std::move(e));
    }

    std::string names;
    const uint64_t max_child = input.options ? input.options->archive_max_member_bytes : UINT64_MAX;
    for (Attachment& a : attachments) {
      AppendParagraph("Attachment: " + a.name + " (" + a.mime + ", " + FormatAttachmentSize(a.size) + ")", &doc);
      if (!names.empty()) names += ", ";
      names += a.name;
      if (!a.data.empty() && a.data.size() <= max_child && !a.inline_part) {
        doc.children.push_back(MakeAttachmentChild(doc, a.name, std::move(a.data), subject, from, date));
      }
    }
    if (!names.empty()) doc.metadata["attachments"] = names;

    const bool has_text = std::any_of(doc.elements.begin(), doc.elements.end(),
                                      [](const Element& e) { return !text_util::IsBlank(e.text); });
    if (!has_text) return Status::Empty("no text in the Outlook message");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeMsgExtractor() { return std::make_unique<MsgExtractor>(); }

}  // namespace smelter
