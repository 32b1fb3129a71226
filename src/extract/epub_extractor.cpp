// EPUB (2 and 3) -> elements.
//
// The package is opened with ZipArchive (size, ratio and path limits).
// META-INF/container.xml names the OPF package document (else the first
// .opf member is used); its <spine> gives the reading order of manifest
// items. Each XHTML/HTML spine item (linear or not, fragments stripped,
// %-escapes decoded, resolved against the OPF's folder) is decoded by its
// declared charset and converted with ConvertHtml; chapter N starts with a
// kPageBreak of page N and its elements carry that page, so page_count is
// the number of chapters read. Spine items that are missing are skipped and
// counted in metadata "epub_note"; a book with no readable chapter is
// kCorrupt. Links between the book's own files keep only their label.
// XML parts (container, OPF) are parsed through ooxml::ParseXml
// (no network, no DTD, no entities).
//
// Metadata from the OPF: dc:title -> title, dc:creator(s) -> author,
// dc:language, dc:publisher, dc:description, dc:subject(s) -> keywords,
// dc:date -> date.
#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/html_convert.h"
#include "extract/ooxml_xml.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"
#include "extract/zip_archive.h"

namespace smelter {
namespace {

using ooxml::FirstElement;
using ooxml::LocalName;
using ooxml::NextElement;

constexpr size_t kMaxChapters = 5000;

xmlNode* ChildNamed(const xmlNode* node, std::string_view local) {
  for (xmlNode* c = FirstElement(node); c; c = NextElement(c)) {
    if (LocalName(c) == local) return c;
  }
  return nullptr;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "Text/ch%201.xhtml#top" -> "Text/ch 1.xhtml".
std::string CleanHref(std::string_view href) {
  const size_t hash = href.find('#');
  if (hash != std::string_view::npos) href = href.substr(0, hash);
  std::string out;
  for (size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '%' && i + 2 < href.size() && HexValue(href[i + 1]) >= 0 && HexValue(href[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(href[i + 1]) * 16 + HexValue(href[i + 2]));
      i += 2;
    } else {
      out += href[i];
    }
  }
  return out;
}

// Links between the book's own files ("[Contents](ch1.xhtml#toc)") mean
// nothing outside the book: keep their label only. Web links stay.
std::string StripInternalLinks(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t mid = s.find("](", i);
    if (mid == std::string_view::npos) break;
    const size_t close = s.find(')', mid + 2);
    if (close == std::string_view::npos) break;
    const std::string_view target = s.substr(mid + 2, close - mid - 2);
    const bool external = target.find("://") != std::string_view::npos || target.substr(0, 7) == "mailto:";
    size_t open = std::string_view::npos;
    int depth = 0;
    for (size_t k = mid; k-- > i;) {
      if (s[k] == ']') ++depth;
      if (s[k] == '[') {
        if (depth == 0) {
          open = k;
          break;
        }
        --depth;
      }
    }
    if (external || open == std::string_view::npos) {
      out.append(s.substr(i, close + 1 - i));
    } else {
      out.append(s.substr(i, open - i));
      out.append(s.substr(open + 1, mid - open - 1));
    }
    i = close + 1;
  }
  if (i < s.size()) out.append(s.substr(i));
  return out;
}

Result<std::string> FindOpf(ZipArchive& zip) {
  if (zip.Contains("META-INF/container.xml")) {
    Result<std::string> bytes = zip.Read("META-INF/container.xml");
    if (!bytes.ok()) return bytes.status();
    Result<ooxml::XmlDocPtr> xml = ooxml::ParseXml(*bytes, "META-INF/container.xml");
    if (!xml.ok()) return xml.status();
    if (xmlNode* rootfiles = ChildNamed(ooxml::Root(*xml), "rootfiles")) {
      for (xmlNode* rf = FirstElement(rootfiles); rf; rf = NextElement(rf)) {
        if (LocalName(rf) != "rootfile") continue;
        const std::string path = CleanHref(ooxml::AnyAttr(rf, "full-path"));
        if (!path.empty() && zip.Contains(path)) return path;
      }
    }
  }
  for (const std::string& name : zip.names()) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".opf") == 0) return name;
  }
  return Status::Corrupt("EPUB without a package document (OPF)");
}

void ReadOpfMetadata(const xmlNode* metadata, ExtractedDocument* doc) {
  std::vector<std::string> creators, subjects;
  for (xmlNode* c = FirstElement(metadata); c; c = NextElement(c)) {
    const std::string value = ooxml::CollapseSpaces(ooxml::TextContent(c));
    if (value.empty()) continue;
    const std::string_view local = LocalName(c);
    if (local == "title") {
      if (doc->title.empty()) doc->title = value;
    } else if (local == "creator") {
      creators.push_back(value);
    } else if (local == "subject") {
      subjects.push_back(value);
    } else if (local == "language" || local == "publisher" || local == "description") {
      doc->metadata.emplace(std::string(local), value);
    } else if (local == "date") {
      doc->metadata.emplace("date", value);
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : "; ") + s;
    return out;
  };
  if (!creators.empty()) doc->metadata["author"] = join(creators);
  if (!subjects.empty()) doc->metadata["keywords"] = join(subjects);
}

bool IsHtmlMedia(std::string_view media_type, std::string_view href) {
  if (media_type == "application/xhtml+xml" || media_type == "text/html" || media_type == "application/xml" ||
      media_type == "text/x-oeb1-document") {
    return true;
  }
  if (!media_type.empty()) return false;
  for (std::string_view ext : {".xhtml", ".html", ".htm"}) {
    if (href.size() >= ext.size() && href.substr(href.size() - ext.size()) == ext) return true;
  }
  return false;
}

class EpubExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "epub"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    Result<std::unique_ptr<ZipArchive>> opened = ZipArchive::Open(input.bytes);
    if (!opened.ok()) return opened.status();
    ZipArchive& zip = **opened;

    Result<std::string> opf_path = FindOpf(zip);
    if (!opf_path.ok()) return opf_path.status();
    Result<std::string> opf_bytes = zip.Read(*opf_path);
    if (!opf_bytes.ok()) return opf_bytes.status();
    Result<ooxml::XmlDocPtr> opf = ooxml::ParseXml(*opf_bytes, *opf_path);
    if (!opf.ok()) return opf.status();
    const xmlNode* package = ooxml::Root(*opf);
    if (!package) return Status::Corrupt(*opf_path + ": no root element");

    ExtractedDocument doc;
    doc.source_encoding = "UTF-8";
    if (xmlNode* metadata = ChildNamed(package, "metadata")) ReadOpfMetadata(metadata, &doc);

    struct Item {
      std::string path;
      std::string media_type;
    };
    std::map<std::string, Item> manifest;
    if (xmlNode* m = ChildNamed(package, "manifest")) {
      for (xmlNode* item = FirstElement(m); item; item = NextElement(item)) {
        if (LocalName(item) != "item") continue;
        const std::string href = CleanHref(ooxml::AnyAttr(item, "href"));
        if (href.empty()) continue;
        manifest.emplace(ooxml::AnyAttr(item, "id"),
                         Item{ooxml::ResolveTarget(*opf_path, href), ooxml::AnyAttr(item, "media-type")});
      }
    }
    std::vector<const Item*> spine;
    if (xmlNode* s = ChildNamed(package, "spine")) {
      for (xmlNode* ref = FirstElement(s); ref && spine.size() < kMaxChapters; ref = NextElement(ref)) {
        if (LocalName(ref) != "itemref") continue;
        auto it = manifest.find(ooxml::AnyAttr(ref, "idref"));
        if (it != manifest.end() && IsHtmlMedia(it->second.media_type, it->second.path)) spine.push_back(&it->second);
      }
    }
    if (spine.empty()) return Status::Corrupt("EPUB spine lists no XHTML chapters");

    int chapter = 0;
    size_t missing = 0;
    for (const Item* item : spine) {
      if (!zip.Contains(item->path)) {
        ++missing;
        continue;
      }
      Result<std::string> bytes = zip.Read(item->path);
      if (!bytes.ok()) {
        // A limit hit or an encrypted (DRM) chapter ends the book.
        if (bytes.status().code() == Status::Code::kTooLarge || bytes.status().code() == Status::Code::kEncrypted) {
          return bytes.status();
        }
        ++missing;
        continue;
      }
      Result<DecodedText> decoded = DecodeWithCharset(*bytes, SniffHtmlCharset(*bytes));
      if (!decoded.ok()) {
        ++missing;
        continue;
      }
      ++chapter;
      Element br;
      br.type = ElementType::kPageBreak;
      br.page = chapter;
      doc.elements.push_back(std::move(br));
      ExtractedDocument part;
      ConvertHtml(decoded->utf8, &part);
      for (Element& e : part.elements) {
        e.page = chapter;
        if (e.text.find("](") != std::string::npos) e.text = StripInternalLinks(e.text);
        for (auto& row : e.rows) {
          for (auto& cell : row) {
            if (cell.find("](") != std::string::npos) cell = StripInternalLinks(cell);
          }
        }
        doc.elements.push_back(std::move(e));
      }
      if (doc.title.empty() && !part.title.empty()) doc.title = part.title;
      for (const char* key : {"author", "language"}) {
        auto it = part.metadata.find(key);
        if (it != part.metadata.end()) doc.metadata.emplace(key, it->second);
      }
    }
    if (chapter == 0) return Status::Corrupt("EPUB: no chapter of the spine could be read");
    if (missing > 0) doc.metadata["epub_note"] = std::to_string(missing) + " spine item(s) missing or unreadable";
    doc.page_count = chapter;
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeEpubExtractor() { return std::make_unique<EpubExtractor>(); }

}  // namespace smelter
