// EML (RFC 5322 / MIME) -> elements with GMime 3.
//
// The message becomes a kTitle (the decoded subject), a header block of
// paragraphs ("From: ...", "To: ...", "Cc: ...", "Date: ..."), the body and
// one "Attachment: name (type, size)" paragraph per attachment; attachment
// files and attached messages are also children (see email_common.h). The body is
// the text/plain alternative when there is one, else text/html through the
// HTML converter. Transfer encodings are undone by GMime; charsets are
// converted by the project's text decoding, so a wrong or missing charset
// label degrades to detection instead of failing.
//
// A UTF-16 file (a mail saved by a Windows tool) is decoded to UTF-8 before
// GMime sees it. The per-message logic is shared with the MBOX extractor
// through AppendMimeMessage().
#include <gmime/gmime.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/email_common.h"
#include "extract/html_convert.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {

namespace {

using text_util::Trim;

template <typename T>
struct GObjectUnref {
  void operator()(T* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref<T>>;

struct GFree {
  void operator()(char* p) const { g_free(p); }
};
using GChars = std::unique_ptr<char, GFree>;

std::string Str(const char* s) { return s ? std::string(s) : std::string(); }

std::string AddressList(InternetAddressList* list) {
  if (!list || internet_address_list_length(list) == 0) return "";
  GChars s(internet_address_list_to_string(list, nullptr, FALSE));
  return std::string(Trim(Str(s.get())));
}

// GMime's data wrapper undoes the transfer encoding (base64, QP, uuencode).
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return "";
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0) return "";
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  if (!array || array->len == 0) return "";
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

std::string PartText(GMimePart* part) {
  const std::string bytes = DecodedContent(part);
  if (bytes.empty()) return "";
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  Result<DecodedText> decoded =
      (charset && *charset) ? DecodeWithCharset(bytes, charset) : DecodeToUtf8(bytes);
  if (!decoded.ok()) return NormalizeText(bytes);
  return std::move(decoded->utf8);
}

bool IsType(GMimeObject* object, const char* type, const char* subtype) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  return ct && g_mime_content_type_is_type(ct, type, subtype);
}

bool IsAttachment(GMimeObject* object) {
  if (GMIME_IS_MESSAGE_PART(object)) return true;
  if (!GMIME_IS_PART(object)) return false;
  if (g_mime_part_is_attachment(GMIME_PART(object))) return true;
  if (g_mime_part_get_filename(GMIME_PART(object))) return true;
  // Inline parts that are not text are attachments in all but name.
  return !IsType(object, "text", "plain") && !IsType(object, "text", "html");
}

// The text of every text/html part, alternatives not shown included: what
// "cid:" references are looked up in.
void CollectHtml(GMimeObject* object, int depth, std::string* out) {
  if (!object || depth > 32) return;
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) CollectHtml(g_mime_multipart_get_part(multipart, i), depth + 1, out);
  } else if (GMIME_IS_PART(object) && IsType(object, "text", "html")) {
    out->append(DecodedContent(GMIME_PART(object)));
  }
}

// Whether an attachment is a file of its own (a child document) rather
// than part of the body's layout: parts marked inline, and pictures the
// HTML shows through "cid:" (which some mailers mark "attachment"), are
// listed but not children.
bool IsChildAttachment(GMimeObject* object, std::string_view html) {
  if (GMIME_IS_MESSAGE_PART(object)) return true;
  if (!GMIME_IS_PART(object)) return false;
  if (const char* id = g_mime_object_get_content_id(object); id && *id) {
    if (html.find(std::string("cid:") + id) != std::string_view::npos) return false;
  }
  if (GMimeContentDisposition* d = g_mime_object_get_content_disposition(object)) {
    return g_mime_content_disposition_is_attachment(d);
  }
  return g_mime_part_get_filename(GMIME_PART(object)) != nullptr;
}

// The whole attached message, as it would be saved to an .eml file.
std::string SerializedMessage(GMimeMessage* message) {
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, out.get()) < 0) return "";
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  if (!array || array->len == 0) return "";
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// Plain-text body -> paragraphs at blank lines. A line ending in a space
// (format=flowed soft break) continues on the next line.
void AppendPlainText(std::string_view text, ExtractedDocument* doc) {
  std::string para;
  auto flush = [&] {
    const std::string_view t = Trim(para);
    if (!t.empty() && !text_util::IsBlank(t)) {
      Element e;
      e.type = ElementType::kParagraph;
      e.text = std::string(t);
      doc->elements.push_back(std::move(e));
    }
    para.clear();
  };
  for (std::string_view line : text_util::SplitLines(text)) {
    if (text_util::IsBlank(line)) {
      flush();
      continue;
    }
    if (!para.empty() && para.back() != ' ') para.push_back('\n');
    para.append(line);
  }
  flush();
}

struct Walk {
  std::vector<GMimeObject*> bodies;       // text/plain or text/html leaves, in order
  std::vector<GMimeObject*> attachments;  // parts and attached messages
  bool encrypted = false;
};

// The best leaf of a multipart/alternative: text/plain, else text/html.
GMimeObject* PickAlternative(GMimeMultipart* alt, int depth);

void WalkObject(GMimeObject* object, Walk* walk, int depth) {
  if (!object || depth > 32) return;
  if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
    walk->encrypted = true;
    return;
  }
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    if (IsType(object, "multipart", "alternative")) {
      if (GMimeObject* best = PickAlternative(multipart, depth + 1)) {
        if (GMIME_IS_MULTIPART(best)) {
          WalkObject(best, walk, depth + 1);
        } else {
          walk->bodies.push_back(best);
        }
      }
      return;
    }
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) WalkObject(g_mime_multipart_get_part(multipart, i), walk, depth + 1);
    return;
  }
  if (GMIME_IS_APPLICATION_PKCS7_MIME(object)) {
    const GMimeSecureMimeType type = g_mime_application_pkcs7_mime_get_smime_type(GMIME_APPLICATION_PKCS7_MIME(object));
    if (type == GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA) {
      walk->encrypted = true;
      return;
    }
  }
  if (IsAttachment(object)) {
    walk->attachments.push_back(object);
    return;
  }
  walk->bodies.push_back(object);
}

GMimeObject* PickAlternative(GMimeMultipart* alt, int depth) {
  const int count = g_mime_multipart_get_count(alt);
  GMimeObject* html = nullptr;
  GMimeObject* fallback = nullptr;
  for (int i = 0; i < count; ++i) {
    GMimeObject* child = g_mime_multipart_get_part(alt, i);
    if (!child) continue;
    if (GMIME_IS_PART(child) && IsType(child, "text", "plain")) return child;
    if (!html && GMIME_IS_PART(child) && IsType(child, "text", "html")) html = child;
    if (GMIME_IS_MULTIPART(child) && depth < 32) {
      // multipart/related holding the HTML, or a nested alternative.
      if (!fallback) fallback = child;
    }
  }
  if (html) return html;
  if (fallback) return fallback;
  return count > 0 ? g_mime_multipart_get_part(alt, count - 1) : nullptr;
}

void AppendParagraph(std::string text, ExtractedDocument* doc) {
  Element e;
  e.type = ElementType::kParagraph;
  e.text = std::move(text);
  doc->elements.push_back(std::move(e));
}

std::string IsoDate(GDateTime* date) {
  if (!date) return "";
  GChars s(g_date_time_format(date, "%Y-%m-%dT%H:%M:%S%:z"));
  return Str(s.get());
}

}  // namespace

Status DecodeWideMail(std::string_view* bytes, std::string* storage, std::string* encoding) {
  size_t bom_length = 0;
  if (DetectBom(*bytes, &bom_length).empty() && DetectUtf16WithoutBom(*bytes).empty()) return Status::OK();
  Result<DecodedText> decoded = DecodeToUtf8(*bytes);
  if (!decoded.ok()) return decoded.status();
  *storage = std::move(decoded->utf8);
  *encoding = decoded->encoding;
  *bytes = *storage;
  return Status::OK();
}

void EnsureGMimeInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string RfcDateToIso(const std::string& date) {
  EnsureGMimeInitialized();
  GDateTime* parsed = g_mime_utils_header_decode_date(date.c_str());
  if (!parsed) return "";
  std::string iso = IsoDate(parsed);
  g_date_time_unref(parsed);
  return iso;
}

std::string FormatAttachmentSize(size_t bytes) {
  char buf[64];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%zu bytes", bytes);
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.1f KB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return buf;
}

ChildDocument MakeAttachmentChild(const ExtractedDocument& doc, std::string_view name, std::string bytes,
                                  const std::string& subject, const std::string& from, const std::string& date) {
  // A sender's path ("C:\\Users\\me\\a.pdf", "../a.pdf") is not ours to keep.
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  name = Trim(name);
  std::string base = (name.empty() || name == "." || name == "..") ? std::string("attachment") : std::string(name);
  std::string unique = base;
  auto taken = [&](const std::string& candidate) {
    return std::any_of(doc.children.begin(), doc.children.end(),
                       [&](const ChildDocument& c) { return c.name == candidate; });
  };
  const size_t dot = base.rfind('.');
  const std::string stem = (dot == std::string::npos || dot == 0) ? base : base.substr(0, dot);
  const std::string ext = (dot == std::string::npos || dot == 0) ? "" : base.substr(dot);
  for (int n = 2; taken(unique); ++n) unique = stem + " (" + std::to_string(n) + ")" + ext;

  ChildDocument child;
  child.name = std::move(unique);
  child.bytes = std::move(bytes);
  if (!subject.empty()) child.metadata["parent_subject"] = subject;
  if (!from.empty()) child.metadata["from"] = from;
  if (!date.empty()) child.metadata["date"] = date;
  child.metadata["attachment"] = "true";
  return child;
}

bool AppendMimeMessage(GMimeMessage* message, bool subject_as_heading, ExtractedDocument* doc,
                       uint64_t max_child_bytes) {
  const std::string subject(Trim(Str(g_mime_message_get_subject(message))));
  const std::string from = AddressList(g_mime_message_get_from(message));
  const std::string to = AddressList(g_mime_message_get_to(message));
  const std::string cc = AddressList(g_mime_message_get_cc(message));
  const std::string date = IsoDate(g_mime_message_get_date(message));

  if (!subject.empty()) {
    Element heading;
    heading.type = subject_as_heading ? ElementType::kHeading : ElementType::kTitle;
    heading.level = subject_as_heading ? 2 : 1;
    heading.text = subject;
    doc->elements.push_back(std::move(heading));
  }
  if (!from.empty()) AppendParagraph("From: " + from, doc);
  if (!to.empty()) AppendParagraph("To: " + to, doc);
  if (!cc.empty()) AppendParagraph("Cc: " + cc, doc);
  if (!date.empty()) AppendParagraph("Date: " + date, doc);

  Walk walk;
  WalkObject(g_mime_message_get_mime_part(message), &walk, 0);
  for (GMimeObject* body : walk.bodies) {
    if (!GMIME_IS_PART(body)) continue;
    const std::string text = PartText(GMIME_PART(body));
    if (IsType(body, "text", "html")) {
      ExtractedDocument html;
      ConvertHtml(text, &html);
      for (Element& e : html.elements) doc->elements.push_back(std::move(e));
    } else {
      AppendPlainText(text, doc);
    }
  }

  std::string html;
  if (!walk.attachments.empty()) CollectHtml(g_mime_message_get_mime_part(message), 0, &html);
  std::string names;
  for (GMimeObject* attachment : walk.attachments) {
    std::string name;
    std::string content;
    std::string child_name;
    GMimeContentType* ct = g_mime_object_get_content_type(attachment);
    GChars mime(ct ? g_mime_content_type_get_mime_type(ct) : nullptr);
    if (GMIME_IS_PART(attachment)) {
      name = Str(g_mime_part_get_filename(GMIME_PART(attachment)));
      content = DecodedContent(GMIME_PART(attachment));
      child_name = name;
    } else if (GMIME_IS_MESSAGE_PART(attachment)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(attachment));
      if (inner) name = Str(g_mime_message_get_subject(inner));
      if (name.empty()) name = "attached message";
      if (inner) content = SerializedMessage(inner);
      // The subject names it; ".eml" tells type detection what it is.
      child_name = name + ".eml";
    }
    const size_t size = content.size();
    if (name.empty()) name = "unnamed";
    if (IsChildAttachment(attachment, html) && !content.empty() && size <= max_child_bytes) {
      doc->children.push_back(MakeAttachmentChild(*doc, child_name, std::move(content), subject, from, date));
    }
    AppendParagraph("Attachment: " + name + " (" + Str(mime.get()) + ", " + FormatAttachmentSize(size) + ")", doc);
    if (!names.empty()) names += ", ";
    names += name;
  }

  const bool unreadable = walk.encrypted && walk.bodies.empty();
  if (subject_as_heading) return unreadable;
  if (!subject.empty()) {
    doc->title = subject;
    doc->metadata["subject"] = subject;
  }
  if (!from.empty()) doc->metadata["from"] = from;
  if (!to.empty()) doc->metadata["to"] = to;
  if (!cc.empty()) doc->metadata["cc"] = cc;
  if (!date.empty()) doc->metadata["date"] = date;
  if (!names.empty()) doc->metadata["attachments"] = names;
  if (walk.encrypted) doc->metadata["encrypted"] = "true";
  return unreadable;
}

namespace {

class EmlExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "eml"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    EnsureGMimeInitialized();
    std::string_view bytes = input.bytes;
    ExtractedDocument doc;
    std::string utf8;
    SMELTER_RETURN_IF_ERROR(DecodeWideMail(&bytes, &utf8, &doc.source_encoding));
    if (text_util::IsBlank(bytes)) return Status::Empty("blank email");

    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message) return Status::Corrupt("not a MIME message");

    const uint64_t max_child = input.options ? input.options->archive_max_member_bytes : UINT64_MAX;
    if (AppendMimeMessage(message.get(), false, &doc, max_child)) return Status::Encrypted("encrypted message body");
    const bool has_text = std::any_of(doc.elements.begin(), doc.elements.end(),
                                      [](const Element& e) { return !text_util::IsBlank(e.text); });
    if (!has_text) return Status::Empty("no text in the email");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeEmlExtractor() { return std::make_unique<EmlExtractor>(); }

}  // namespace smelter
