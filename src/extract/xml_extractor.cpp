// XML -> MediaWiki pages (child documents) or the text of any other XML.
//
// The file is decoded to UTF-8 first (a BOM, UTF-16, else UTF-8, else the
// declared encoding, else charset detection), so the parser only ever
// sees UTF-8, and parsed once by ooxml::ParseXml: no network, no DTD
// loading, no entity substitution, libxml2's depth and size limits on.
// A root <mediawiki> element is an export, rendered by mediawiki_export.h.
//
// Any other XML (feeds, SVG, DocBook, TEI, configuration, data dumps) is
// read as text in document order:
//   - an element with text of its own (not only whitespace) is one block:
//     its whole text, that of inline children included (<p>a <b>b</b></p>
//     reads "a b"), empty children (<br/>) as spaces, whitespace runs
//     collapsed, blank lines splitting it into paragraphs;
//   - an element holding only elements is a container: its children are
//     read in turn, so each field of a record is a paragraph of its own;
//   - an element named title, head, heading or h1..h6 whose text is short
//     is a heading: the first one the document's title, later ones level-2
//     headings (so a feed's items, a book's chapters, start sections);
//   - <script> and <style> (SVG, XHTML fragments) and attributes are not
//     text; comments and processing instructions are dropped.
// metadata "xml_root" is the root's local name, "xml_namespace" its
// namespace URI when it has one.
//
// A DOCTYPE is taken out before parsing, its internal subset included:
// the DTD is never read, so no entity it declares is ever expanded (no
// XXE, no "billion laughs"). A document that cannot be read without its
// DTD (it uses an entity the DTD declared) is kUnsupported, saying so;
// other ill-formed XML is kCorrupt.
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "extract/extractor.h"
#include "extract/mediawiki_export.h"
#include "extract/ooxml_xml.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::IsBlank;
using text_util::Trim;

// Longest text read as a heading, in bytes; a longer "title" is prose.
constexpr size_t kMaxHeadingBytes = 200;

std::string_view View(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// The encoding the XML declaration names ("" when none): only consulted
// for bytes that are not UTF-8.
std::string DeclaredEncoding(std::string_view text) {
  if (!text.starts_with("<?xml")) return "";
  const std::string_view decl = text.substr(0, text.find("?>"));
  const size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return "";
  const size_t quote = decl.find_first_of("\"'", at);
  if (quote == std::string_view::npos) return "";
  const size_t end = decl.find(decl[quote], quote + 1);
  if (end == std::string_view::npos) return "";
  return std::string(decl.substr(quote + 1, end - quote - 1));
}

// Blanks out "<!DOCTYPE ...>" (internal subset "[...]" included, quoted
// strings and comments inside it skipped) with spaces, newlines kept so
// parse errors still name the right line. Sets *had_subset when there was
// an internal subset. False when the DOCTYPE never ends.
bool BlankDoctype(std::string* text, bool* had_subset) {
  *had_subset = false;
  const size_t start = text->find("<!DOCTYPE");
  if (start == std::string::npos) return true;
  // Only in the prolog: past the root's start it would be text of a
  // CDATA section or a comment, which the parser reads as such.
  for (size_t p = text->find('<'); p < start; p = text->find('<', p + 1)) {
    const std::string_view at = std::string_view(*text).substr(p);
    if (!at.starts_with("<?") && !at.starts_with("<!")) return true;
  }
  size_t i = start + 9;
  int depth = 0;  // inside [ ]
  for (; i < text->size(); ++i) {
    const char c = (*text)[i];
    if (c == '"' || c == '\'') {
      const size_t close = text->find(c, i + 1);
      if (close == std::string::npos) return false;
      i = close;
    } else if (depth > 0 && text->compare(i, 4, "<!--") == 0) {
      const size_t close = text->find("-->", i + 4);
      if (close == std::string::npos) return false;
      i = close + 2;
    } else if (c == '[') {
      ++depth;
      *had_subset = true;
    } else if (c == ']' && depth > 0) {
      --depth;
    } else if (c == '>' && depth == 0) {
      break;
    }
  }
  if (i >= text->size()) return false;
  for (size_t k = start; k <= i; ++k) {
    if ((*text)[k] != '\n') (*text)[k] = ' ';
  }
  return true;
}

bool IsHeadingName(std::string_view local) {
  const std::string name = Lower(local);
  if (name == "title" || name == "head" || name == "heading") return true;
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
}

bool IsSkipped(std::string_view local) {
  const std::string name = Lower(local);
  return name == "script" || name == "style";
}

bool HasOwnText(const xmlNode* node) {
  for (const xmlNode* c = node->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !IsBlank(View(c->content))) return true;
  }
  return false;
}

// The text of a block: text nodes in order, an empty element as a space.
void GatherText(const xmlNode* node, std::string* out) {
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      out->append(View(c->content));
    } else if (c->type == XML_ELEMENT_NODE && !IsSkipped(ooxml::LocalName(c))) {
      if (!c->children) *out += ' ';
      else GatherText(c, out);
    }
  }
}

class XmlText {
 public:
  explicit XmlText(ExtractedDocument* doc) : doc_(doc) {}

  void Read(const xmlNode* node) {
    if (IsSkipped(ooxml::LocalName(node))) return;
    if (!HasOwnText(node)) {
      for (const xmlNode* c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) Read(c);
      }
      return;
    }
    std::string text;
    GatherText(node, &text);
    if (IsHeadingName(ooxml::LocalName(node))) {
      std::string heading = ooxml::CollapseSpaces(text);
      if (!heading.empty() && heading.size() <= kMaxHeadingBytes) {
        Element e;
        e.type = doc_->title.empty() ? ElementType::kTitle : ElementType::kHeading;
        e.level = doc_->title.empty() ? 1 : 2;
        e.text = heading;
        if (doc_->title.empty()) doc_->title = heading;
        doc_->elements.push_back(std::move(e));
        return;
      }
    }
    // Blank lines inside the text separate paragraphs.
    std::string paragraph;
    auto flush = [&] {
      std::string p = ooxml::CollapseSpaces(paragraph);
      paragraph.clear();
      if (p.empty()) return;
      Element e;
      e.type = ElementType::kParagraph;
      e.text = std::move(p);
      doc_->elements.push_back(std::move(e));
    };
    for (std::string_view line : text_util::SplitLines(text)) {
      if (IsBlank(line)) {
        flush();
        continue;
      }
      paragraph += ' ';
      paragraph += line;
    }
    flush();
  }

 private:
  ExtractedDocument* doc_;
};

class XmlExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "xml"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    std::string text;
    std::string encoding = "UTF-8";
    // UTF-16 is "valid UTF-8" byte by byte (ASCII and NULs): its NULs say
    // otherwise.
    const bool wide = input.bytes.find('\0') != std::string_view::npos;
    if (!wide && IsValidUtf8(input.bytes)) {
      text.assign(input.bytes);
      if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    } else {
      const std::string declared = wide ? std::string() : DeclaredEncoding(input.bytes);
      Result<DecodedText> decoded =
          declared.empty() ? DecodeToUtf8(input.bytes) : DecodeWithCharset(input.bytes, declared);
      if (!decoded.ok()) return decoded.status();
      text = std::move(decoded->utf8);
      encoding = decoded->encoding;
    }
    bool had_subset = false;
    if (!BlankDoctype(&text, &had_subset)) return Status::Corrupt("xml: unterminated DOCTYPE");

    Result<ooxml::XmlDocPtr> xml = ooxml::ParseXml(text, "xml");
    if (!xml.ok()) {
      if (had_subset && xml.status().code() == Status::Code::kCorrupt) {
        return Status::Unsupported("xml that needs its DTD (declared entities are never expanded): " +
                                   xml.status().message());
      }
      return xml.status();
    }
    const xmlNode* root = ooxml::Root(*xml);
    ExtractedDocument doc;
    if (ooxml::LocalName(root) == "mediawiki") {
      SMELTER_RETURN_IF_ERROR(RenderMediaWikiExport(root, &doc));
      doc.source_encoding = encoding;
      return doc;
    }
    doc.source_encoding = encoding;
    doc.metadata["xml_root"] = std::string(ooxml::LocalName(root));
    if (root->ns && root->ns->href) doc.metadata["xml_namespace"] = std::string(View(root->ns->href));
    XmlText(&doc).Read(root);
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeXmlExtractor() { return std::make_unique<XmlExtractor>(); }

}  // namespace smelter
