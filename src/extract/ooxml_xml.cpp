#include "extract/ooxml_xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "extract/text_util.h"

namespace smelter::ooxml {
namespace {

using text_util::Trim;

// No NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR, no HUGE (depth
// and node-size limits stay on), no network. IGNORE_ENC: the encoding is
// chosen from the bytes (see EncodingOf), not from the declaration.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
                              XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC;

void InitLibxml() {
  // xmlInitParser is not safe to race; every parse goes through here.
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

// OOXML parts are UTF-8 or UTF-16 (ECMA-376 Part 2, 8.1.4); the BOM, or the
// zero bytes around the first '<', tell which.
const char* EncodingOf(std::string_view bytes) {
  if (bytes.size() >= 2) {
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const auto b1 = static_cast<unsigned char>(bytes[1]);
    if (b0 == 0xFF && b1 == 0xFE) return "UTF-16LE";
    if (b0 == 0xFE && b1 == 0xFF) return "UTF-16BE";
    if (b0 == '<' && b1 == 0) return "UTF-16LE";
    if (b0 == 0 && b1 == '<') return "UTF-16BE";
  }
  return "UTF-8";
}

// Whether `hay` holds "<!" followed by `keyword` (ASCII, any case), with
// the text stored as 8-bit units or as UTF-16 code units of either byte
// order. Only "<!" positions are examined, so this is a fast scan.
bool HasMarkupDeclaration(std::string_view hay, std::string_view keyword, size_t width, bool big_endian) {
  std::string prefix;
  for (char c : std::string_view("<!")) {
    std::string u(width, '\0');
    u[big_endian ? width - 1 : 0] = c;
    prefix += u;
  }
  const size_t need = (2 + keyword.size()) * width;
  for (size_t pos = hay.find(prefix); pos != std::string_view::npos; pos = hay.find(prefix, pos + 1)) {
    if (pos + need > hay.size()) return false;
    bool match = true;
    for (size_t k = 0; k < keyword.size() && match; ++k) {
      const size_t at = pos + (2 + k) * width;
      char c = hay[at + (big_endian ? width - 1 : 0)];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (c != keyword[k]) match = false;
      for (size_t z = 0; z + 1 < width && match; ++z) {
        if (hay[at + (big_endian ? z : z + 1)] != 0) match = false;
      }
    }
    if (match) return true;
  }
  return false;
}

std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

std::string ParseErrorMessage(std::string_view part, const xmlError* error) {
  std::string msg = "malformed XML in " + std::string(part);
  if (error && error->message) {
    msg += ": " + OneLine(error->message);
    if (error->line > 0) msg += " (line " + std::to_string(error->line) + ")";
  }
  return msg;
}

struct UriFamily {
  std::string_view uri;
  Ns ns;
};

constexpr UriFamily kNamespaces[] = {
    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", Ns::kWord},
    {"http://purl.oclc.org/ooxml/wordprocessingml/main", Ns::kWord},
    {"http://schemas.openxmlformats.org/drawingml/2006/main", Ns::kDrawing},
    {"http://purl.oclc.org/ooxml/drawingml/main", Ns::kDrawing},
    {"http://schemas.openxmlformats.org/presentationml/2006/main", Ns::kPresentation},
    {"http://purl.oclc.org/ooxml/presentationml/main", Ns::kPresentation},
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", Ns::kSpreadsheet},
    {"http://purl.oclc.org/ooxml/spreadsheetml/main", Ns::kSpreadsheet},
    {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", Ns::kRelationshipsR},
    {"http://purl.oclc.org/ooxml/officeDocument/relationships", Ns::kRelationshipsR},
    {"http://schemas.openxmlformats.org/officeDocument/2006/math", Ns::kMath},
    {"http://purl.oclc.org/ooxml/officeDocument/math", Ns::kMath},
    {"http://schemas.openxmlformats.org/drawingml/2006/chart", Ns::kChart},
    {"http://purl.oclc.org/ooxml/drawingml/chart", Ns::kChart},
    {"http://schemas.openxmlformats.org/markup-compatibility/2006", Ns::kMarkupCompat},
    {"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing", Ns::kWordDrawing},
    {"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", Ns::kWordDrawing},
    {"http://schemas.openxmlformats.org/drawingml/2006/picture", Ns::kPicture},
    {"http://purl.oclc.org/ooxml/drawingml/picture", Ns::kPicture},
    {"urn:schemas-microsoft-com:vml", Ns::kVml},
    {"http://schemas.openxmlformats.org/package/2006/relationships", Ns::kPackageRels},
    {"http://schemas.openxmlformats.org/package/2006/metadata/core-properties", Ns::kCoreProps},
    {"http://purl.org/dc/elements/1.1/", Ns::kDublinCore},
    {"http://purl.org/dc/terms/", Ns::kDcTerms},
    {"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties", Ns::kExtendedProps},
    {"http://purl.oclc.org/ooxml/officeDocument/extendedProperties", Ns::kExtendedProps},
};

std::string_view View(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

void AppendText(const xmlNode* node, std::string* out) {
  for (const xmlNode* child = node->children; child; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      out->append(View(child->content));
    } else if (child->type == XML_ELEMENT_NODE) {
      AppendText(child, out);
    }
  }
}

std::string AttrValue(const xmlAttr* attr) {
  if (!attr->children) return "";
  if (!attr->children->next && attr->children->type == XML_TEXT_NODE) {
    return std::string(View(attr->children->content));
  }
  xmlChar* value = xmlNodeListGetString(attr->doc, attr->children, 1);
  std::string out(View(value));
  xmlFree(value);
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool TypeEndsWith(std::string_view type, std::string_view suffix) {
  return type.size() > suffix.size() && type.ends_with(suffix) && type[type.size() - suffix.size() - 1] == '/';
}

}  // namespace

// ---- Namespaces & DOM ------------------------------------------------------

Ns NamespaceOf(std::string_view uri) {
  if (uri.empty()) return Ns::kNone;
  for (const UriFamily& family : kNamespaces) {
    if (family.uri == uri) return family.ns;
  }
  return Ns::kOther;
}

Ns NamespaceOf(const xmlNode* node) {
  if (!node || !node->ns) return Ns::kNone;
  return NamespaceOf(View(node->ns->href));
}

Status CheckNoDoctype(std::string_view bytes) {
  // UTF-8 text never holds a zero byte; only UTF-16 needs the wide scans.
  const bool wide = bytes.find('\0') != std::string_view::npos;
  for (std::string_view keyword : {std::string_view("DOCTYPE"), std::string_view("ENTITY")}) {
    if (HasMarkupDeclaration(bytes, keyword, 1, false) ||
        (wide && (HasMarkupDeclaration(bytes, keyword, 2, false) || HasMarkupDeclaration(bytes, keyword, 2, true)))) {
      return Status::Corrupt("XML entity declarations refused");
    }
  }
  return Status::OK();
}

Result<XmlDocPtr> ParseXml(std::string_view bytes, std::string_view part) {
  InitLibxml();
  SMELTER_RETURN_IF_ERROR(CheckNoDoctype(bytes));
  // A libxml2 tree costs ten or more times its text; past this size a part
  // would need gigabytes. (Worksheets are streamed and not bound by this.)
  constexpr size_t kMaxTreeBytes = 128u << 20;
  if (bytes.size() > kMaxTreeBytes) {
    return Status::TooLarge(std::string(part) + " holds " + std::to_string(bytes.size() >> 20) +
                            " MiB of XML, limit " + std::to_string(kMaxTreeBytes >> 20) + " MiB");
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return Status::Internal("libxml2: cannot create a parser");
  const std::string url(part);
  xmlDoc* doc = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), url.c_str(),
                                  EncodingOf(bytes), kParseOptions);
  if (!doc || !ctxt->wellFormed) {
    const std::string msg = ParseErrorMessage(part, xmlCtxtGetLastError(ctxt));
    if (doc) xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return Status::Corrupt(msg);
  }
  xmlFreeParserCtxt(ctxt);
  XmlDocPtr out(doc);
  if (doc->intSubset || doc->extSubset) return Status::Corrupt("XML entity declarations refused");
  if (!xmlDocGetRootElement(doc)) return Status::Corrupt(std::string(part) + " has no root element");
  return out;
}

std::string_view LocalName(const xmlNode* node) { return node ? View(node->name) : std::string_view(); }

bool Is(const xmlNode* node, Ns ns, std::string_view local) {
  return IsElement(node) && View(node->name) == local && NamespaceOf(node) == ns;
}

xmlNode* FirstElement(const xmlNode* node) {
  if (!node) return nullptr;
  for (xmlNode* child = node->children; child; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) return child;
  }
  return nullptr;
}

xmlNode* NextElement(const xmlNode* node) {
  if (!node) return nullptr;
  for (xmlNode* next = node->next; next; next = next->next) {
    if (next->type == XML_ELEMENT_NODE) return next;
  }
  return nullptr;
}

xmlNode* Child(const xmlNode* node, Ns ns, std::string_view local) {
  for (xmlNode* child = FirstElement(node); child; child = NextElement(child)) {
    if (Is(child, ns, local)) return child;
  }
  return nullptr;
}

std::vector<xmlNode*> Children(const xmlNode* node, Ns ns, std::string_view local) {
  std::vector<xmlNode*> out;
  for (xmlNode* child = FirstElement(node); child; child = NextElement(child)) {
    if (Is(child, ns, local)) out.push_back(child);
  }
  return out;
}

xmlNode* Descendant(const xmlNode* node, Ns ns, std::string_view local) {
  for (xmlNode* child = FirstElement(node); child; child = NextElement(child)) {
    if (Is(child, ns, local)) return child;
    if (xmlNode* found = Descendant(child, ns, local)) return found;
  }
  return nullptr;
}

std::string Attr(const xmlNode* node, std::string_view local, Ns ns, bool* found) {
  if (found) *found = false;
  if (!IsElement(node)) return "";
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (View(attr->name) != local) continue;
    const Ns attr_ns = attr->ns ? NamespaceOf(View(attr->ns->href)) : Ns::kNone;
    if (attr_ns != ns) continue;
    if (found) *found = true;
    return AttrValue(attr);
  }
  return "";
}

std::string AnyAttr(const xmlNode* node, std::string_view local, bool* found) {
  if (found) *found = false;
  if (!IsElement(node)) return "";
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (View(attr->name) != local) continue;
    if (found) *found = true;
    return AttrValue(attr);
  }
  return "";
}

bool HasAnyAttr(const xmlNode* node, std::string_view local) {
  bool found = false;
  AnyAttr(node, local, &found);
  return found;
}

std::string TextContent(const xmlNode* node) {
  std::string out;
  if (node) AppendText(node, &out);
  return out;
}

bool OnOff(const xmlNode* element, std::string_view attr_local) {
  if (!element) return false;
  bool found = false;
  const std::string value = AnyAttr(element, attr_local, &found);
  if (!found) return true;
  return !(value == "0" || value == "false" || value == "off");
}

xmlNode* AlternateContentBranch(const xmlNode* alternate_content) {
  if (xmlNode* choice = Child(alternate_content, Ns::kMarkupCompat, "Choice")) return choice;
  return Child(alternate_content, Ns::kMarkupCompat, "Fallback");
}

// ---- XmlReader -------------------------------------------------------------

struct XmlReader::Impl {
  xmlTextReaderPtr reader = nullptr;
  std::string part;
  std::string error;  // first error libxml2 reported
  ~Impl() {
    if (reader) xmlFreeTextReader(reader);
  }
  static void OnError(void* arg, xmlErrorPtr error) {
    auto* impl = static_cast<Impl*>(arg);
    if (impl->error.empty() && error && error->level >= XML_ERR_ERROR) {
      impl->error = ParseErrorMessage(impl->part, error);
    }
  }
};

Result<std::unique_ptr<XmlReader>> XmlReader::Open(std::string_view bytes, std::string_view part) {
  InitLibxml();
  SMELTER_RETURN_IF_ERROR(CheckNoDoctype(bytes));
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::TooLarge(std::string(part) + " is too large");
  std::unique_ptr<XmlReader> out(new XmlReader());
  out->impl_ = std::make_unique<Impl>();
  out->impl_->part = std::string(part);
  out->impl_->reader = xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), out->impl_->part.c_str(),
                                          EncodingOf(bytes), kParseOptions);
  if (!out->impl_->reader) return Status::Internal("libxml2: cannot create a reader for " + std::string(part));
  xmlTextReaderSetStructuredErrorHandler(out->impl_->reader, &Impl::OnError, out->impl_.get());
  return out;
}

XmlReader::~XmlReader() = default;

bool XmlReader::Next() {
  if (!status_.ok()) return false;
  const int rc = xmlTextReaderRead(impl_->reader);
  if (rc != 1) {
    if (rc < 0 || !impl_->error.empty()) {
      status_ = Status::Corrupt(impl_->error.empty() ? "malformed XML in " + impl_->part : impl_->error);
    }
    return false;
  }
  switch (xmlTextReaderNodeType(impl_->reader)) {
    case XML_READER_TYPE_ELEMENT: node_ = Node::kElement; break;
    case XML_READER_TYPE_END_ELEMENT: node_ = Node::kEndElement; break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: node_ = Node::kText; break;
    case XML_READER_TYPE_DOCUMENT_TYPE:
    case XML_READER_TYPE_ENTITY:
    case XML_READER_TYPE_ENTITY_REFERENCE:
      status_ = Status::Corrupt("XML entity declarations refused");
      return false;
    default: node_ = Node::kOther; break;
  }
  return true;
}

std::string_view XmlReader::LocalName() const { return View(xmlTextReaderConstLocalName(impl_->reader)); }

Ns XmlReader::Namespace() const { return NamespaceOf(View(xmlTextReaderConstNamespaceUri(impl_->reader))); }

bool XmlReader::IsEmptyElement() const { return xmlTextReaderIsEmptyElement(impl_->reader) == 1; }

int XmlReader::Depth() const { return xmlTextReaderDepth(impl_->reader); }

std::string_view XmlReader::Value() const { return View(xmlTextReaderConstValue(impl_->reader)); }

std::string XmlReader::AnyAttr(std::string_view local, bool* found) const {
  return ooxml::AnyAttr(xmlTextReaderCurrentNode(impl_->reader), local, found);
}

// ---- Relationships -----------------------------------------------------------

const Relationship* Relationships::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &rels_[it->second];
}

const Relationship* Relationships::FirstOfType(std::string_view type_suffix) const {
  for (const Relationship& rel : rels_) {
    if (TypeEndsWith(rel.type, type_suffix)) return &rel;
  }
  return nullptr;
}

std::vector<const Relationship*> Relationships::OfType(std::string_view type_suffix) const {
  std::vector<const Relationship*> out;
  for (const Relationship& rel : rels_) {
    if (TypeEndsWith(rel.type, type_suffix)) out.push_back(&rel);
  }
  return out;
}

void Relationships::Add(Relationship rel) {
  if (!by_id_.emplace(rel.id, rels_.size()).second) return;
  rels_.push_back(std::move(rel));
}

std::string RelsPartFor(std::string_view part) {
  const size_t slash = part.rfind('/');
  if (slash == std::string_view::npos) return "_rels/" + std::string(part) + ".rels";
  return std::string(part.substr(0, slash + 1)) + "_rels/" + std::string(part.substr(slash + 1)) + ".rels";
}

std::string ResolveTarget(std::string_view source_part, std::string_view target) {
  std::string path;
  if (!target.empty() && target.front() == '/') {
    path = std::string(target.substr(1));
  } else {
    const size_t slash = source_part.rfind('/');
    path = (slash == std::string_view::npos ? std::string() : std::string(source_part.substr(0, slash + 1))) +
           std::string(target);
  }
  if (const size_t hash = path.find('#'); hash != std::string::npos) path.resize(hash);
  std::vector<std::string_view> segments;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out;
  for (std::string_view segment : segments) {
    if (!out.empty()) out.push_back('/');
    out.append(segment);
  }
  return PercentDecode(out);
}

Result<Relationships> ParseRelationships(std::string_view bytes, std::string_view source_part) {
  auto doc = ParseXml(bytes, RelsPartFor(source_part));
  if (!doc.ok()) return doc.status();
  Relationships rels;
  for (xmlNode* node = FirstElement(Root(*doc)); node; node = NextElement(node)) {
    if (LocalName(node) != "Relationship") continue;
    Relationship rel;
    rel.id = AnyAttr(node, "Id");
    rel.type = AnyAttr(node, "Type");
    const std::string target = AnyAttr(node, "Target");
    rel.external = AnyAttr(node, "TargetMode") == "External";
    rel.target = rel.external ? target : ResolveTarget(source_part, target);
    if (!rel.id.empty()) rels.Add(std::move(rel));
  }
  return rels;
}

// ---- Package -----------------------------------------------------------------

Result<std::unique_ptr<Package>> Package::Open(std::string_view bytes, const ZipLimits& limits) {
  static constexpr std::string_view kOleMagic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  if (bytes.starts_with(kOleMagic)) {
    // Office wraps password-protected OOXML in an OLE compound file with an
    // "EncryptedPackage" stream; its directory names are UTF-16LE.
    static const std::string kMarker = [] {
      std::string s;
      for (char c : std::string_view("EncryptedPackage")) {
        s.push_back(c);
        s.push_back('\0');
      }
      return s;
    }();
    if (bytes.find(kMarker) != std::string_view::npos) {
      return Status::Encrypted("password-protected Office file (encrypted OLE package)");
    }
    return Status::Unsupported("an OLE compound file (legacy Office format), not an Office Open XML package");
  }
  auto zip = ZipArchive::Open(bytes, limits);
  if (!zip.ok()) return zip.status();
  return std::unique_ptr<Package>(new Package(std::move(*zip)));
}

Result<XmlDocPtr> Package::ReadXml(std::string_view part) {
  auto bytes = zip_->Read(part);
  if (!bytes.ok()) return bytes.status();
  return ParseXml(*bytes, part);
}

Result<Relationships> Package::ReadRels(std::string_view part) {
  const std::string rels_part = part.empty() ? "_rels/.rels" : RelsPartFor(part);
  if (!zip_->Contains(rels_part)) return Relationships();
  auto bytes = zip_->Read(rels_part);
  if (!bytes.ok()) return bytes.status();
  return ParseRelationships(*bytes, part);
}

Result<std::string> Package::MainPart(std::string_view fallback) {
  auto rels = ReadRels("");
  if (!rels.ok()) return rels.status();
  if (const Relationship* main = rels->FirstOfType("officeDocument"); main && !main->external) {
    if (zip_->Contains(main->target)) return main->target;
  }
  if (zip_->Contains(fallback)) return std::string(fallback);
  return Status::Corrupt("no main document part (" + std::string(fallback) + ") in the package");
}

std::string Package::ReadCoreProperties(ExtractedDocument* doc) {
  std::string part = "docProps/core.xml";
  if (auto rels = ReadRels(""); rels.ok()) {
    if (const Relationship* rel = rels->FirstOfType("core-properties"); rel && !rel->external) part = rel->target;
  }
  if (!zip_->Contains(part)) return "";
  auto xml = ReadXml(part);
  if (!xml.ok()) return "";
  std::string title;
  for (xmlNode* node = FirstElement(Root(*xml)); node; node = NextElement(node)) {
    const std::string_view name = LocalName(node);
    std::string value = CollapseSpaces(TextContent(node));
    if (value.empty()) continue;
    const char* key = nullptr;
    if (name == "title") {
      title = std::move(value);
      continue;
    }
    if (name == "creator") key = "author";
    else if (name == "lastModifiedBy") key = "last_modified_by";
    else if (name == "created") key = "created";
    else if (name == "modified") key = "modified";
    else if (name == "subject") key = "subject";
    else if (name == "keywords") key = "keywords";
    else if (name == "language") key = "language";
    else if (name == "description") key = "description";
    if (key) doc->metadata[key] = std::move(value);
  }
  return title;
}

int Package::ReadAppCount(std::string_view element) {
  std::string part = "docProps/app.xml";
  if (auto rels = ReadRels(""); rels.ok()) {
    const Relationship* rel = rels->FirstOfType("extended-properties");
    if (!rel) rel = rels->FirstOfType("extendedProperties");
    if (rel && !rel->external) part = rel->target;
  }
  if (!zip_->Contains(part)) return 0;
  auto xml = ReadXml(part);
  if (!xml.ok()) return 0;
  for (xmlNode* node = FirstElement(Root(*xml)); node; node = NextElement(node)) {
    if (LocalName(node) != element) continue;
    const std::string text(Trim(TextContent(node)));
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size() && value > 0) return value;
  }
  return 0;
}

// ---- Charts ------------------------------------------------------------------

namespace {

// Points of a c:strCache / c:numCache / c:strLit / c:numLit somewhere under
// `node`, by index.
std::vector<std::string> ChartPoints(const xmlNode* node, size_t max_points) {
  std::vector<std::string> out;
  if (!node) return out;
  const xmlNode* cache = nullptr;
  for (std::string_view name : {"strCache", "numCache", "strLit", "numLit", "multiLvlStrCache"}) {
    if ((cache = Descendant(node, Ns::kChart, name))) break;
  }
  if (!cache) return out;
  // multiLvlStrCache: the first c:lvl holds the innermost labels.
  if (LocalName(cache) == "multiLvlStrCache") {
    if (const xmlNode* lvl = Child(cache, Ns::kChart, "lvl")) cache = lvl;
  }
  const bool numeric = LocalName(cache) == "numCache" || LocalName(cache) == "numLit";
  for (xmlNode* pt = FirstElement(cache); pt; pt = NextElement(pt)) {
    if (!Is(pt, Ns::kChart, "pt")) continue;
    const std::string idx_text = AnyAttr(pt, "idx");
    size_t idx = 0;
    auto [ptr, ec] = std::from_chars(idx_text.data(), idx_text.data() + idx_text.size(), idx);
    if (ec != std::errc() || idx >= max_points) continue;
    std::string value(Trim(TextContent(Child(pt, Ns::kChart, "v"))));
    if (numeric) {
      double number = 0;
      auto [p, e] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (e == std::errc() && p == value.data() + value.size()) value = FormatNumber(number);
    }
    if (out.size() <= idx) out.resize(idx + 1);
    out[idx] = std::move(value);
  }
  return out;
}

std::string RichText(const xmlNode* node) {
  std::string out;
  if (!node) return out;
  // Rich titles: a:p paragraphs of a:r runs; cached ones: c:v.
  bool any_paragraph = false;
  std::vector<xmlNode*> paragraphs;
  for (xmlNode* p = Descendant(node, Ns::kDrawing, "p"); p; p = NextElement(p)) {
    if (Is(p, Ns::kDrawing, "p")) paragraphs.push_back(p);
  }
  for (xmlNode* p : paragraphs) {
    const std::string text = CollapseSpaces(TextContent(p));
    if (text.empty()) continue;
    if (any_paragraph) out.push_back(' ');
    out += text;
    any_paragraph = true;
  }
  if (!any_paragraph) {
    std::vector<std::string> points = ChartPoints(node, 16);
    for (const std::string& point : points) {
      if (point.empty()) continue;
      if (!out.empty()) out.push_back(' ');
      out += point;
    }
  }
  return CollapseSpaces(out);
}

}  // namespace

ChartText ReadChart(const XmlDocPtr& chart) {
  constexpr size_t kMaxPoints = 2000;
  constexpr size_t kMaxSeries = 64;
  ChartText out;
  const xmlNode* chart_node = Child(Root(chart), Ns::kChart, "chart");
  if (!chart_node) return out;
  out.title = RichText(Child(chart_node, Ns::kChart, "title"));
  const xmlNode* plot = Child(chart_node, Ns::kChart, "plotArea");
  if (!plot) return out;

  std::vector<std::string> categories;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;
  // Series sit in one c:*Chart element per chart type.
  for (xmlNode* type = FirstElement(plot); type; type = NextElement(type)) {
    for (xmlNode* ser = FirstElement(type); ser; ser = NextElement(ser)) {
      if (!Is(ser, Ns::kChart, "ser") || names.size() >= kMaxSeries) continue;
      names.push_back(RichText(Child(ser, Ns::kChart, "tx")));
      const xmlNode* cat = Child(ser, Ns::kChart, "cat");
      if (!cat) cat = Child(ser, Ns::kChart, "xVal");
      const xmlNode* val = Child(ser, Ns::kChart, "val");
      if (!val) val = Child(ser, Ns::kChart, "yVal");
      std::vector<std::string> these = ChartPoints(cat, kMaxPoints);
      if (these.size() > categories.size()) categories = std::move(these);
      values.push_back(ChartPoints(val, kMaxPoints));
    }
  }
  size_t count = categories.size();
  for (const auto& series : values) count = std::max(count, series.size());
  if (names.empty() || count == 0) return out;
  std::vector<std::string> header{""};
  for (size_t s = 0; s < names.size(); ++s) {
    header.push_back(names[s].empty() ? "Series " + std::to_string(s + 1) : names[s]);
  }
  out.rows.push_back(std::move(header));
  for (size_t i = 0; i < count; ++i) {
    std::vector<std::string> row{i < categories.size() ? categories[i] : std::string()};
    for (const auto& series : values) row.push_back(i < series.size() ? series[i] : std::string());
    out.rows.push_back(std::move(row));
  }
  return out;
}

// ---- Text helpers --------------------------------------------------------------

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool nbsp = c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
    if (text_util::IsAsciiSpace(c) || nbsp) {
      if (nbsp) ++i;
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string TidyText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::string_view line : text_util::SplitLines(Trim(text))) {
    if (!out.empty()) out.push_back('\n');
    line = text_util::TrimRight(line);
    out.append(line);
  }
  return out;
}

std::string FormatNumber(double value) {
  if (value == 0) return "0";  // also -0
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::general, 15);
  if (ec != std::errc()) return "";
  return std::string(buf, ptr);
}

}  // namespace smelter::ooxml
