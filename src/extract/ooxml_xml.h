// Safe XML parsing and package plumbing shared by the Office Open XML
// extractors (DOCX, PPTX, XLSX).
//
// XML from a user's file is hostile until proven otherwise. Every part is
// parsed with libxml2 under these rules:
//   - no network (XML_PARSE_NONET), no DTD loading, no entity substitution
//     (no XML_PARSE_NOENT), no XML_PARSE_HUGE, so libxml2's depth and
//     text-size limits stay on;
//   - a part containing <!DOCTYPE or <!ENTITY (in UTF-8 or UTF-16) is
//     refused before parsing with Status::Corrupt("XML entity declarations
//     refused"): OOXML never needs a DTD, and that is where XXE and
//     "billion laughs" live. A DTD that slips past the scan is refused
//     after parsing, before any of it is used;
//   - the encoding comes from the byte-order mark (UTF-8 or UTF-16, the two
//     OOXML allows) and the declaration is ignored, so an exotic declared
//     encoding cannot hide a DOCTYPE from the scan.
// Parse errors become Status::Corrupt naming the part, on one line.
//
// Both OOXML flavours are accepted: Transitional
// (http://schemas.openxmlformats.org/...) and Strict
// (http://purl.oclc.org/ooxml/...) namespaces map to the same Ns value.
//
// Everything here is stateless or per-call, so the extractors that use it
// stay thread-safe. libxml2 is initialized once, on first use.
#pragma once

#include <libxml/tree.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/element.h"
#include "core/status.h"
#include "extract/zip_archive.h"

namespace smelter::ooxml {

// Namespace families; the Transitional and Strict URIs of each map to one.
enum class Ns {
  kNone,            // no namespace
  kOther,           // a namespace not listed here
  kWord,            // WordprocessingML main (w:)
  kDrawing,         // DrawingML main (a:)
  kPresentation,    // PresentationML main (p:)
  kSpreadsheet,     // SpreadsheetML main (workbook, sheets, styles)
  kRelationshipsR,  // officeDocument relationships (r:id attributes)
  kMath,            // OfficeMath (m:)
  kChart,           // DrawingML charts (c:)
  kMarkupCompat,    // markup compatibility (mc:AlternateContent)
  kWordDrawing,     // wp: (inline/anchor drawings in DOCX)
  kPicture,         // pic:
  kVml,             // v: (legacy shapes)
  kPackageRels,     // package relationships (.rels files)
  kCoreProps,       // cp:
  kDublinCore,      // dc:
  kDcTerms,         // dcterms:
  kExtendedProps,   // docProps/app.xml
};

Ns NamespaceOf(std::string_view uri);
Ns NamespaceOf(const xmlNode* node);

// ---- DOM ----------------------------------------------------------------

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Refuses DTDs and entity declarations; exposed for tests.
Status CheckNoDoctype(std::string_view bytes);

// Parses one part into a tree. `part` names it in error messages. Parts
// over 128 MiB are kTooLarge: a tree of one would need gigabytes (use
// XmlReader for parts that can be that big).
Result<XmlDocPtr> ParseXml(std::string_view bytes, std::string_view part);

inline xmlNode* Root(const XmlDocPtr& doc) { return xmlDocGetRootElement(doc.get()); }

inline bool IsElement(const xmlNode* node) { return node && node->type == XML_ELEMENT_NODE; }
std::string_view LocalName(const xmlNode* node);
// An element with this namespace family and local name.
bool Is(const xmlNode* node, Ns ns, std::string_view local);

// First element child with that name, or nullptr.
xmlNode* Child(const xmlNode* node, Ns ns, std::string_view local);
// All element children with that name.
std::vector<xmlNode*> Children(const xmlNode* node, Ns ns, std::string_view local);
// First element descendant (depth-first, document order), or nullptr.
xmlNode* Descendant(const xmlNode* node, Ns ns, std::string_view local);
// Next element sibling / first element child, skipping text and comments.
xmlNode* FirstElement(const xmlNode* node);
xmlNode* NextElement(const xmlNode* node);

// Attribute value by local name: `ns` kNone matches only unprefixed
// attributes; any other family matches that namespace. Absent -> "" with
// *found false.
std::string Attr(const xmlNode* node, std::string_view local, Ns ns = Ns::kNone, bool* found = nullptr);
// Attribute by local name in any namespace (w:val, val, ...).
std::string AnyAttr(const xmlNode* node, std::string_view local, bool* found = nullptr);
bool HasAnyAttr(const xmlNode* node, std::string_view local);

// Concatenated text of all descendant text nodes.
std::string TextContent(const xmlNode* node);

// OOXML booleans: absent attribute on a present element means true
// (<w:b/>); "0", "false", "off" mean false.
bool OnOff(const xmlNode* element, std::string_view attr_local = "val");

// mc:AlternateContent: the branch to read (the first mc:Choice, else
// mc:Fallback), or nullptr. Reading one branch avoids reading the same
// text box twice.
xmlNode* AlternateContentBranch(const xmlNode* alternate_content);

// ---- Streaming -----------------------------------------------------------

// A pull reader for parts too big to hold as a tree (worksheets, shared
// strings), under the same safety rules as ParseXml.
class XmlReader {
 public:
  enum class Node { kElement, kEndElement, kText, kOther };

  static Result<std::unique_ptr<XmlReader>> Open(std::string_view bytes, std::string_view part);
  ~XmlReader();

  // Advances; false at the end or on error (then status() says which).
  bool Next();
  const Status& status() const { return status_; }

  Node node() const { return node_; }
  std::string_view LocalName() const;
  Ns Namespace() const;
  bool IsEmptyElement() const;  // <c/>: no end element follows
  int Depth() const;
  // Text of a kText node.
  std::string_view Value() const;
  // Attribute of the current element by local name, any namespace.
  std::string AnyAttr(std::string_view local, bool* found = nullptr) const;

 private:
  XmlReader() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Node node_ = Node::kOther;
  Status status_;
};

// ---- Package -------------------------------------------------------------

struct Relationship {
  std::string id;
  std::string type;    // full URI
  std::string target;  // resolved part name ("word/media/a.png"), or the URL when external
  bool external = false;
};

class Relationships {
 public:
  const Relationship* Find(std::string_view id) const;
  // First relationship whose type ends in "/" + type_suffix.
  const Relationship* FirstOfType(std::string_view type_suffix) const;
  std::vector<const Relationship*> OfType(std::string_view type_suffix) const;
  void Add(Relationship rel);  // a repeated id keeps the first
  size_t size() const { return rels_.size(); }

 private:
  std::vector<Relationship> rels_;
  std::unordered_map<std::string, size_t> by_id_;  // hyperlinks look ids up by the thousand
};

// "word/document.xml" -> "word/_rels/document.xml.rels"; "" -> "_rels/.rels".
std::string RelsPartFor(std::string_view part);
// Resolves a relationship target against the folder of `source_part`:
// "../media/a.png" from "word/document.xml" -> "media/a.png"; "/x" is
// package-absolute. Never climbs above the package root.
std::string ResolveTarget(std::string_view source_part, std::string_view target);
// Parses a .rels part for `source_part` ("" for the package's own rels).
Result<Relationships> ParseRelationships(std::string_view bytes, std::string_view source_part);

// An opened OOXML package: the ZIP plus part reading, relationships and
// the document properties every format shares.
class Package {
 public:
  // Encrypted Office files are OLE compound files, not ZIPs: that case is
  // Status::Encrypted. Other non-ZIPs are kCorrupt.
  static Result<std::unique_ptr<Package>> Open(std::string_view bytes, const ZipLimits& limits = ZipLimits());

  bool Has(std::string_view part) const { return zip_->Contains(part); }
  Result<std::string> Read(std::string_view part) { return zip_->Read(part); }
  Result<XmlDocPtr> ReadXml(std::string_view part);
  // The relationships of `part` ("" for the package); an absent .rels part
  // is an empty set, a broken one an error.
  Result<Relationships> ReadRels(std::string_view part);
  // The main document part (the officeDocument relationship of the
  // package), else `fallback` when that part exists; kCorrupt otherwise.
  Result<std::string> MainPart(std::string_view fallback);

  // docProps/core.xml into metadata ("author", "created", "modified",
  // "last_modified_by", "subject", "keywords", "language", "description")
  // and the returned title (may be empty). Missing or broken properties
  // are not an error: they are optional.
  std::string ReadCoreProperties(ExtractedDocument* doc);
  // <Pages> (or <Slides>) from docProps/app.xml; 0 when absent.
  int ReadAppCount(std::string_view element);

  ZipArchive& zip() { return *zip_; }

 private:
  explicit Package(std::unique_ptr<ZipArchive> zip) : zip_(std::move(zip)) {}
  std::unique_ptr<ZipArchive> zip_;
};

// ---- Charts --------------------------------------------------------------

// A DrawingML chart part as text: its title and its cached data as a table
// (header: "", series names...; one row per category). Both may be empty.
struct ChartText {
  std::string title;
  std::vector<std::vector<std::string>> rows;
};
ChartText ReadChart(const XmlDocPtr& chart);

// ---- Text helpers ---------------------------------------------------------

// Collapses runs of whitespace (tabs, newlines, NBSP) to single spaces and
// trims: for headings, titles and table cells.
std::string CollapseSpaces(std::string_view text);
// Trims ASCII whitespace at both ends and trailing spaces/tabs on each line.
std::string TidyText(std::string_view text);
// A number the way a spreadsheet shows it in General format: at most 15
// significant digits, no trailing zeros ("13", "0.3", "-81", "1.5e+20"),
// never locale-dependent.
std::string FormatNumber(double value);

}  // namespace smelter::ooxml
