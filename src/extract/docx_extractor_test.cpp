#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/ooxml_xml.h"
#include "extract/zip_archive.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

constexpr char kNs[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"";

struct DocxParts {
  std::string body;       // inside <w:body>
  std::string styles;     // inside <w:styles>, "" for no styles part
  std::string numbering;  // inside <w:numbering>, "" for none
  std::string footnotes;  // inside <w:footnotes>, "" for none
  std::string document;   // the whole document.xml, overriding `body`
};

std::string P(const std::string& text, const std::string& ppr = "") {
  return "<w:p>" + (ppr.empty() ? "" : "<w:pPr>" + ppr + "</w:pPr>") + "<w:r><w:t xml:space=\"preserve\">" + text +
         "</w:t></w:r></w:p>";
}

std::string Styled(const std::string& style, const std::string& text) {
  return P(text, "<w:pStyle w:val=\"" + style + "\"/>");
}

std::string BuildDocx(const DocxParts& parts) {
  const std::string rels_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"" + rels_ns + "/styles\" Target=\"styles.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"" + rels_ns + "/numbering\" Target=\"numbering.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"" + rels_ns + "/footnotes\" Target=\"footnotes.xml\"/>"
      "<Relationship Id=\"rIdLink\" Type=\"" + rels_ns + "/hyperlink\" Target=\"https://example.com/a b(c)\" TargetMode=\"External\"/>"
      "<Relationship Id=\"rIdJs\" Type=\"" + rels_ns + "/hyperlink\" Target=\"javascript:alert(1)\" TargetMode=\"External\"/>"
      "</Relationships>";
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"_rels/.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" + rels_ns + "/officeDocument\" Target=\"word/document.xml\"/>"
       "</Relationships>"},
      {"word/_rels/document.xml.rels", rels},
      {"word/document.xml", !parts.document.empty()
                                ? parts.document
                                : "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document " +
                                      std::string(kNs) + "><w:body>" + parts.body + "</w:body></w:document>"},
  };
  if (!parts.styles.empty()) {
    entries.emplace_back("word/styles.xml", "<w:styles " + std::string(kNs) + ">" + parts.styles + "</w:styles>");
  }
  if (!parts.numbering.empty()) {
    entries.emplace_back("word/numbering.xml",
                         "<w:numbering " + std::string(kNs) + ">" + parts.numbering + "</w:numbering>");
  }
  if (!parts.footnotes.empty()) {
    entries.emplace_back("word/footnotes.xml",
                         "<w:footnotes " + std::string(kNs) + ">" + parts.footnotes + "</w:footnotes>");
  }
  auto zip = CreateZipArchive(entries);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  return zip.ok() ? *zip : "";
}

ExtractedDocument ExtractDocx(const DocxParts& parts) {
  DetectedType detected;
  auto r = ExtractDocument(BuildDocx(parts), "test.docx", ExtractOptions{}, &detected);
  EXPECT_EQ(detected.kind, DocKind::kDocx);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExtractedDocument{};
}

Status ExtractDocxError(const DocxParts& parts) {
  auto r = ExtractString(BuildDocx(parts), "test.docx");
  EXPECT_FALSE(r.ok());
  return r.ok() ? Status::OK() : r.status();
}

// The element whose text contains `phrase`, or nullptr.
const Element* Find(const ExtractedDocument& doc, const std::string& phrase) {
  for (const Element& e : doc.elements) {
    if (e.text.find(phrase) != std::string::npos) return &e;
  }
  return nullptr;
}

// The first heading whose text is `text`, or nullptr.
const Element* FindHeading(const ExtractedDocument& doc, const std::string& text) {
  for (const Element& e : doc.elements) {
    if (e.type == ElementType::kHeading && e.text == text) return &e;
  }
  return nullptr;
}

// Every element's page, with the page breaks in order 1, 2, 3...
void ExpectConsistentPages(const ExtractedDocument& doc) {
  int page = 0;
  for (const Element& e : doc.elements) {
    if (e.type == ElementType::kPageBreak) {
      EXPECT_EQ(e.page, page + 1);
      page = e.page;
    } else {
      EXPECT_EQ(e.page, page) << e.text.substr(0, 60);
    }
  }
  EXPECT_LE(page, doc.page_count);
}

// ---- synthetic documents --------------------------------------------------

TEST(DocxExtractorTest, HeadingLevelsFromStylesBasedOnAndOutlineLevels) {
  DocxParts parts;
  parts.styles =
      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Titre\"><w:name w:val=\"Title\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"berschrift1\"><w:name w:val=\"heading 1\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Chapter\"><w:name w:val=\"Chapter\"/>"
      "<w:basedOn w:val=\"Heading2\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Deep\"><w:name w:val=\"Deep\"/><w:basedOn w:val=\"Normal\"/>"
      "<w:pPr><w:outlineLvl w:val=\"3\"/></w:pPr></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Heading8\"><w:name w:val=\"heading 8\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"LoopA\"><w:basedOn w:val=\"LoopB\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"LoopB\"><w:basedOn w:val=\"LoopA\"/></w:style>";
  parts.body = Styled("Titre", "The Document") + Styled("berschrift1", "Part One") + P("Body text.") +
               Styled("Chapter", "Based on heading 2") + Styled("Deep", "Outline level 3") +
               P("Direct outline", "<w:outlineLvl w:val=\"1\"/>") + Styled("Heading8", "Very deep") +
               Styled("LoopA", "A style cycle is no heading") + Styled("Missing", "Unknown style");
  const ExtractedDocument doc = ExtractDocx(parts);
  EXPECT_EQ(doc.title, "The Document");
  ASSERT_NE(Find(doc, "The Document"), nullptr);
  EXPECT_EQ(Find(doc, "The Document")->type, ElementType::kTitle);
  struct Want {
    const char* text;
    ElementType type;
    int level;
  };
  for (const Want& want : {Want{"Part One", ElementType::kHeading, 1}, Want{"Body text.", ElementType::kParagraph, 0},
                           Want{"Based on heading 2", ElementType::kHeading, 2},
                           Want{"Outline level 3", ElementType::kHeading, 4},
                           Want{"Direct outline", ElementType::kHeading, 2},
                           Want{"Very deep", ElementType::kHeading, 6},
                           Want{"A style cycle is no heading", ElementType::kParagraph, 0},
                           Want{"Unknown style", ElementType::kParagraph, 0}}) {
    const Element* e = Find(doc, want.text);
    ASSERT_NE(e, nullptr) << want.text;
    EXPECT_EQ(e->type, want.type) << want.text;
    EXPECT_EQ(e->level, want.level) << want.text;
  }
}

TEST(DocxExtractorTest, ListsFromNumbering) {
  DocxParts parts;
  parts.styles =
      "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>"
      "<w:pPr><w:numPr><w:numId w:val=\"2\"/></w:numPr></w:pPr></w:style>";
  parts.numbering =
      "<w:abstractNum w:abstractNumId=\"10\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/></w:lvl>"
      "<w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"bullet\"/></w:lvl><w:lvl w:ilvl=\"2\"><w:numFmt w:val=\"none\"/></w:lvl>"
      "</w:abstractNum>"
      "<w:abstractNum w:abstractNumId=\"11\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/></w:lvl></w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"10\"/></w:num>"
      "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"11\"/></w:num>"
      "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"11\"/><w:lvlOverride w:ilvl=\"0\"><w:lvl w:ilvl=\"0\">"
      "<w:numFmt w:val=\"lowerRoman\"/></w:lvl></w:lvlOverride></w:num>";
  auto num = [](int id, int ilvl) {
    return "<w:numPr><w:ilvl w:val=\"" + std::to_string(ilvl) + "\"/><w:numId w:val=\"" + std::to_string(id) +
           "\"/></w:numPr>";
  };
  parts.body = P("first step", num(1, 0)) + P("a bullet under it", num(1, 1)) + P("second step", num(1, 0)) +
               P("no label at all", num(1, 2)) + P("bullet list", num(2, 0)) + P("roman override", num(3, 0)) +
               P("numbering switched off", num(0, 0)) + Styled("ListBullet", "bullet from the style") +
               P("unknown numbering", num(99, 0));
  const ExtractedDocument doc = ExtractDocx(parts);
  struct Want {
    const char* text;
    ElementType type;
    int level;
    bool ordered;
  };
  for (const Want& want : {Want{"first step", ElementType::kListItem, 0, true},
                           Want{"a bullet under it", ElementType::kListItem, 1, false},
                           Want{"second step", ElementType::kListItem, 0, true},
                           Want{"no label at all", ElementType::kParagraph, 0, false},
                           Want{"bullet list", ElementType::kListItem, 0, false},
                           Want{"roman override", ElementType::kListItem, 0, true},
                           Want{"numbering switched off", ElementType::kParagraph, 0, false},
                           Want{"bullet from the style", ElementType::kListItem, 0, false},
                           Want{"unknown numbering", ElementType::kParagraph, 0, false}}) {
    const Element* e = Find(doc, want.text);
    ASSERT_NE(e, nullptr) << want.text;
    EXPECT_EQ(e->type, want.type) << want.text;
    EXPECT_EQ(e->level, want.level) << want.text;
    EXPECT_EQ(e->ordered, want.ordered) << want.text;
  }
}

TEST(DocxExtractorTest, TrackedChangesAcceptedAndFieldsShowTheirResult) {
  DocxParts parts;
  parts.body =
      "<w:p><w:r><w:t xml:space=\"preserve\">Kept </w:t></w:r>"
      "<w:ins w:id=\"1\" w:author=\"a\"><w:r><w:t xml:space=\"preserve\">inserted </w:t></w:r></w:ins>"
      "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>deleted </w:delText></w:r></w:del>"
      "<w:moveFrom w:id=\"3\" w:author=\"a\"><w:r><w:t>moved-away </w:t></w:r></w:moveFrom>"
      "<w:moveTo w:id=\"4\" w:author=\"a\"><w:r><w:t xml:space=\"preserve\">moved-here </w:t></w:r></w:moveTo>"
      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE \\* MERGEFORMAT </w:instrText></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
      "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t xml:space=\"preserve\"> of 9</w:t></w:r></w:fldSimple>"
      "</w:p>";
  const ExtractedDocument doc = ExtractDocx(parts);
  ASSERT_EQ(ElementsOfType(doc, ElementType::kParagraph).size(), 1u);
  EXPECT_EQ(ElementsOfType(doc, ElementType::kParagraph)[0]->text, "Kept inserted moved-here 7 of 9");
}

TEST(DocxExtractorTest, TabsBreaksSymbolsAndLinks) {
  DocxParts parts;
  parts.body =
      "<w:p><w:r><w:t>A.</w:t><w:tab/><w:t>PURPOSE</w:t><w:br/><w:t>next line</w:t>"
      "<w:noBreakHyphen/><w:t>x</w:t><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/><w:sym w:font=\"X\" w:char=\"00E9\"/>"
      "</w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r><w:hyperlink r:id=\"rIdLink\"><w:r>"
      "<w:t xml:space=\"preserve\">the site </w:t></w:r></w:hyperlink><w:r><w:t>now.</w:t></w:r></w:p>"
      "<w:p><w:hyperlink w:anchor=\"_Toc1\"><w:r><w:t>Internal anchor</w:t></w:r></w:hyperlink></w:p>"
      "<w:p><w:hyperlink r:id=\"rIdJs\"><w:r><w:t>Script link</w:t></w:r></w:hyperlink></w:p>";
  const ExtractedDocument doc = ExtractDocx(parts);
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 4u);
  EXPECT_EQ(paragraphs[0]->text, "A.\tPURPOSE\nnext line-x\xC3\xA9");
  EXPECT_EQ(paragraphs[1]->text, "See [the site](https://example.com/a%20b%28c%29) now.");
  EXPECT_EQ(paragraphs[2]->text, "Internal anchor");
  EXPECT_EQ(paragraphs[3]->text, "Script link");
}

TEST(DocxExtractorTest, PageBreaksNumberPages) {
  DocxParts parts;
  parts.body =
      P("one") +
      // An explicit break mid-paragraph splits it.
      "<w:p><w:r><w:t>end of one</w:t><w:br w:type=\"page\"/><w:t>start of two</w:t></w:r></w:p>" +
      // Word's rendered break right after an explicit one: the same boundary.
      "<w:p><w:r><w:br w:type=\"page\"/></w:r><w:r><w:lastRenderedPageBreak/><w:t>three</w:t></w:r></w:p>" +
      // A rendered break inside a paragraph: the paragraph began on the page before.
      "<w:p><w:r><w:t>spans three</w:t><w:lastRenderedPageBreak/><w:t> and four</w:t></w:r></w:p>" + P("four") +
      P("five", "<w:pageBreakBefore/>") + P("still five", "<w:pageBreakBefore w:val=\"0\"/>") +
      P("end of section", "<w:sectPr><w:type w:val=\"continuous\"/></w:sectPr>") + P("five again") +
      P("last of five", "<w:sectPr/>") + P("six");
  const ExtractedDocument doc = ExtractDocx(parts);
  ExpectConsistentPages(doc);
  EXPECT_EQ(doc.page_count, 6);
  EXPECT_EQ(ElementsOfType(doc, ElementType::kPageBreak).size(), 6u);
  struct Want {
    const char* text;
    int page;
  };
  for (const Want& want : {Want{"one", 1}, Want{"end of one", 1}, Want{"start of two", 2}, Want{"three", 3},
                           Want{"spans three and four", 3}, Want{"four", 4}, Want{"five", 5},
                           Want{"still five", 5}, Want{"five again", 5}, Want{"last of five", 5}, Want{"six", 6}}) {
    const Element* e = nullptr;
    for (const Element& el : doc.elements) {
      if (el.text == want.text) e = &el;
    }
    ASSERT_NE(e, nullptr) << want.text;
    EXPECT_EQ(e->page, want.page) << want.text;
  }
}

TEST(DocxExtractorTest, FootnotesAreNumberedByReferenceAndAppended) {
  DocxParts parts;
  parts.footnotes =
      "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
      "<w:footnote w:id=\"5\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Second "
      "note.</w:t></w:r></w:p></w:footnote>"
      "<w:footnote w:id=\"4\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>First note,</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>two paragraphs.</w:t></w:r></w:p></w:footnote>";
  parts.body =
      "<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:footnoteReference w:id=\"4\"/></w:r>"
      "<w:r><w:t xml:space=\"preserve\"> and another</w:t></w:r><w:r><w:footnoteReference w:id=\"5\"/></w:r>"
      "<w:r><w:t xml:space=\"preserve\"> and again</w:t></w:r><w:r><w:footnoteReference w:id=\"4\"/></w:r>"
      "<w:r><w:footnoteReference w:id=\"404\"/></w:r></w:p>" +
      P("Body ends.");
  const ExtractedDocument doc = ExtractDocx(parts);
  const auto paragraphs = ElementsOfType(doc, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 4u);
  EXPECT_EQ(paragraphs[0]->text, "Claim[^1] and another[^2] and again[^1]");
  EXPECT_EQ(paragraphs[1]->text, "Body ends.");
  EXPECT_EQ(paragraphs[2]->text, "[^1]: First note, two paragraphs.");
  EXPECT_EQ(paragraphs[3]->text, "[^2]: Second note.");
}

std::string Cell(const std::string& content, const std::string& tcpr = "") {
  return "<w:tc>" + (tcpr.empty() ? "" : "<w:tcPr>" + tcpr + "</w:tcPr>") + content + "</w:tc>";
}

TEST(DocxExtractorTest, TablesOnTheGrid) {
  DocxParts parts;
  const std::string nested = "<w:tbl><w:tr>" + Cell(P("n1")) + Cell(P("n2")) + "</w:tr><w:tr>" + Cell(P("n3")) +
                             Cell(P("n4")) + "</w:tr></w:tbl>";
  parts.body =
      "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
      "<w:tr>" + Cell(P("H1")) + Cell(P("H2")) + Cell(P("H3")) + "</w:tr>"
      "<w:tr>" + Cell(P("wide"), "<w:gridSpan w:val=\"2\"/>") + Cell(P("tall"), "<w:vMerge w:val=\"restart\"/>") + "</w:tr>"
      "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + Cell(P("late")) + Cell(P(""), "<w:vMerge/>") + "</w:tr>"
      "<w:tr>" + Cell(P("") + P("")) + Cell("") + Cell(P("")) + "</w:tr>"
      "<w:tr>" + Cell(P("two") + P("paragraphs")) + Cell(nested + P("after nested")) + Cell(P("x")) + "</w:tr>"
      "<w:tr><w:sdt><w:sdtContent>" + Cell(P("in a control")) + "</w:sdtContent></w:sdt>" + Cell(P("y")) + "</w:tr>"
      "</w:tbl>" +
      // A one-cell table is a frame: its heading and paragraph stay what they are.
      "<w:tbl><w:tr>" + Cell(P("Boxed heading", "<w:outlineLvl w:val=\"0\"/>") + P("Boxed text")) + "</w:tr></w:tbl>";
  const ExtractedDocument doc = ExtractDocx(parts);
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const auto& rows = tables[0]->rows;
  ASSERT_EQ(rows.size(), 5u);  // the blank row is dropped
  EXPECT_TRUE(tables[0]->has_header);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"H1", "H2", "H3"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"wide", "", "tall"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "late", "tall"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"two\nparagraphs", "n1 n2\nn3 n4\nafter nested", "x"}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"in a control", "y", ""}));
  ASSERT_NE(Find(doc, "Boxed heading"), nullptr);
  EXPECT_EQ(Find(doc, "Boxed heading")->type, ElementType::kHeading);
  EXPECT_EQ(Find(doc, "Boxed text")->type, ElementType::kParagraph);
}

TEST(DocxExtractorTest, TextBoxesAreReadOnceAfterTheirParagraph) {
  DocxParts parts;
  const std::string box = "<w:txbxContent>" + P("Boxed words") + "</w:txbxContent>";
  parts.body =
      "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
      "<wp:docPr id=\"1\" name=\"Shape\" descr=\"A red square\"/><w:txbx>" + box + "</w:txbx>"
      "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:textbox>" + box +
      "</w:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
      "<w:r><w:t>Anchor paragraph</w:t></w:r></w:p>" + P("Next");
  const ExtractedDocument doc = ExtractDocx(parts);
  const std::string text = AllText(doc);
  EXPECT_EQ(text, "Anchor paragraph\nA red square\nBoxed words\nNext\n");
  EXPECT_EQ(Find(doc, "A red square")->type, ElementType::kImageCaption);
}

TEST(DocxExtractorTest, EntityDeclarationsAreRefused) {
  // Billion laughs.
  DocxParts laughs;
  laughs.document =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<w:document " + std::string(kNs) + "><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>";
  Status status = ExtractDocxError(laughs);
  EXPECT_EQ(status.code(), Status::Code::kCorrupt);
  EXPECT_EQ(status.message(), "XML entity declarations refused");

  // External entity (XXE).
  DocxParts xxe;
  xxe.document = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document " +
                 std::string(kNs) + "><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
  status = ExtractDocxError(xxe);
  EXPECT_EQ(status.code(), Status::Code::kCorrupt);
  EXPECT_EQ(status.message(), "XML entity declarations refused");

  // The same in UTF-16, where a byte scan for "<!DOCTYPE" would miss it.
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!doctype d [<!ENTITY x \"y\">]><d>&x;</d>")) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  EXPECT_EQ(ooxml::ParseXml(utf16, "u.xml").status().message(), "XML entity declarations refused");
  // A declared encoding cannot smuggle one past the scan either: the
  // declaration is ignored and the bytes read as UTF-8, where "+ADw-" is
  // just text.
  auto utf7 = ooxml::ParseXml("<?xml version=\"1.0\" encoding=\"UTF-7\"?><d>+ADw-!DOCTYPE</d>", "u7.xml");
  ASSERT_TRUE(utf7.ok()) << utf7.status().ToString();
  EXPECT_EQ(ooxml::TextContent(ooxml::Root(*utf7)), "+ADw-!DOCTYPE");
  // Well-formed UTF-16 without a DTD is fine.
  std::string plain16 = "\xFF\xFE";
  for (char c : std::string("<d>caf</d>")) {
    plain16.push_back(c);
    plain16.push_back('\0');
  }
  auto parsed = ooxml::ParseXml(plain16, "p.xml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ooxml::TextContent(ooxml::Root(*parsed)), "caf");
}

TEST(DocxExtractorTest, BrokenPackagesAreErrorsNotCrashes) {
  DocxParts malformed;
  malformed.document = "<w:document " + std::string(kNs) + "><w:body><w:p><w:r><w:t>unclosed</w:r></w:p>";
  Status status = ExtractDocxError(malformed);
  EXPECT_EQ(status.code(), Status::Code::kCorrupt);
  EXPECT_NE(status.message().find("word/document.xml"), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();

  DocxParts not_word;
  not_word.document = "<html><body>hi</body></html>";
  EXPECT_EQ(ExtractDocxError(not_word).code(), Status::Code::kCorrupt);

  DocxParts empty;
  empty.body = P("") + P("   ");
  EXPECT_EQ(ExtractDocxError(empty).code(), Status::Code::kEmpty);

  // A broken optional part costs its structure only.
  DocxParts bad_styles;
  bad_styles.styles = "<w:style";
  bad_styles.body = Styled("Heading1", "Still here");
  const ExtractedDocument doc = ExtractDocx(bad_styles);
  ASSERT_NE(Find(doc, "Still here"), nullptr);

  // No main part at all.
  auto zip = CreateZipArchive({{"[Content_Types].xml", "<Types/>"}, {"word/other.xml", "<x/>"}});
  ASSERT_TRUE(zip.ok());
  auto r = ExtractString(*zip, "nomain.docx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
}

TEST(DocxExtractorTest, ZipBombDocxIsRefused) {
  std::vector<ZipEntry> entries = {{"[Content_Types].xml", "<Types/>"},
                                   {"word/document.xml", std::string(50u << 20, ' ')}};
  auto zip = CreateZipArchive(entries);
  ASSERT_TRUE(zip.ok());
  auto r = ExtractString(*zip, "bomb.docx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
  EXPECT_NE(r.status().message().find("ratio"), std::string::npos) << r.status().message();
}

// ---- corpus -----------------------------------------------------------------

TEST(DocxExtractorCorpusTest, HandbookOnePage) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("handbook-1p.docx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectConsistentPages(*r);
  // One explicit page break, followed by Word's rendered one: two pages.
  EXPECT_EQ(r->page_count, 2);
  ASSERT_NE(Find(*r, "This Handbook does not create additional rights"), nullptr);
  EXPECT_EQ(Find(*r, "This Handbook does not create additional rights")->page, 1);
  ASSERT_NE(Find(*r, "ROLE OF THE UNITED STATES TRUSTEE"), nullptr);
  EXPECT_EQ(Find(*r, "ROLE OF THE UNITED STATES TRUSTEE")->text, "B.\tROLE OF THE UNITED STATES TRUSTEE");
  EXPECT_EQ(Find(*r, "ROLE OF THE UNITED STATES TRUSTEE")->page, 2);
  // This excerpt uses direct formatting, not heading styles.
  EXPECT_TRUE(ElementsOfType(*r, ElementType::kHeading).empty());

  auto plain = ExtractCorpusFile("handbook-1p-no-rendered-page-breaks.docx");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(AllText(*plain), AllText(*r));
  EXPECT_EQ(plain->page_count, 2);
}

TEST(DocxExtractorCorpusTest, HandbookLongExtractsFullyWithHeadingLevels) {
  SMELTER_REQUIRE_CORPUS();
  struct rusage before;
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  auto r = ExtractCorpusFile("handbook-872p.docx");
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  struct rusage after;
  getrusage(RUSAGE_SELF, &after);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto cpu_ms = [](const struct rusage& u) {
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
  };
  // Wall time includes waiting for a busy machine; CPU time does not.
  // ru_maxrss only grows: run this test alone for the extraction's own peak.
  std::printf("handbook-872p.docx: %.0f ms wall, %.0f ms CPU, %zu elements, %d pages, process peak RSS %ld -> %ld KiB\n",
              ms, cpu_ms(after) - cpu_ms(before), r->elements.size(), r->page_count, before.ru_maxrss,
              after.ru_maxrss);
  RecordProperty("extract_ms", static_cast<int>(ms));
  RecordProperty("peak_rss_kib", static_cast<int>(after.ru_maxrss));

  ExpectConsistentPages(*r);
  EXPECT_EQ(r->page_count, 83);  // no app.xml; 54 explicit breaks plus section breaks
  EXPECT_GT(r->elements.size(), 4000u);
  const auto headings = ElementsOfType(*r, ElementType::kHeading);
  int per_level[4] = {0, 0, 0, 0};
  for (const Element* h : headings) {
    ASSERT_GE(h->level, 1);
    ASSERT_LE(h->level, 3);
    ++per_level[h->level];
  }
  EXPECT_GT(per_level[1], 10);
  EXPECT_GT(per_level[2], 60);
  EXPECT_GT(per_level[3], 150);
  EXPECT_EQ(r->title, "CHAPTER 1 – INTRODUCTION");  // no core title: the first heading
  const Element* chapter = FindHeading(*r, "CHAPTER 1 – INTRODUCTION");
  ASSERT_NE(chapter, nullptr);
  EXPECT_EQ(chapter->type, ElementType::kHeading);
  EXPECT_EQ(chapter->level, 1);
  EXPECT_EQ(chapter->page, 4);
  // The table of contents repeats the heading texts as plain paragraphs.
  EXPECT_EQ(Find(*r, "A.\tPURPOSE")->type, ElementType::kParagraph);
  ASSERT_NE(FindHeading(*r, "A. PURPOSE"), nullptr);  // the tab folded into a space
  EXPECT_EQ(FindHeading(*r, "A. PURPOSE")->level, 2);
  EXPECT_EQ(FindHeading(*r, "A. PURPOSE")->page, 4);
  ASSERT_NE(FindHeading(*r, "1. CONFLICTS OF INTEREST"), nullptr);
  EXPECT_EQ(FindHeading(*r, "1. CONFLICTS OF INTEREST")->level, 3);
  // Numbered paragraphs are ordered list items.
  const Element* item = Find(*r, "five percent of all payments received under plans");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->type, ElementType::kListItem);
  EXPECT_TRUE(item->ordered);
  // Footnotes come last.
  EXPECT_EQ(r->elements.back().text.rfind("[^", 0), 0u);
  ASSERT_NE(Find(*r, "shall have the same meaning as “adjourn.”"), nullptr);
  EXPECT_EQ(r->metadata.at("created"), "2023-05-15T19:28:00Z");
  // The text goes to the end of the document.
  EXPECT_NE(AllText(*r).find("Uniform Depository Agreement"), std::string::npos);
}

TEST(DocxExtractorCorpusTest, TablesInTheRightRowAndColumn) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("docx-tables.docx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Header Col 1", "Header Col 2"}));
  EXPECT_EQ(tables[0]->rows[1][1], "[A link example](https://tabul.com/)");
  EXPECT_EQ(tables[1]->rows[0][1], ">b<");
  EXPECT_EQ(tables[1]->rows[1][1], "e f\ng&t h");  // nested table flattened
  EXPECT_EQ(tables[1]->rows[2], (std::vector<std::string>{"j", "k", "l"}));
  EXPECT_EQ(tables[2]->rows[0], (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(tables[2]->rows[1], (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(tables[2]->rows[2], (std::vector<std::string>{"e", "", "d"}));

  auto w = ExtractCorpusFile("word_tables.docx");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->title, "Test with tables");
  const auto wt = ElementsOfType(*w, ElementType::kTable);
  ASSERT_EQ(wt.size(), 7u);
  EXPECT_EQ(wt[0]->rows[2][1], "Cell 2.1");
  EXPECT_EQ(wt[1]->rows[1], (std::vector<std::string>{"Cell 1.0", "Merged Cell 1.1 1.2", ""}));
  EXPECT_EQ(wt[2]->rows[2][3], "Cell 2.3");
  EXPECT_EQ(wt[3]->rows[1][1], "Merged Cell 1.1 2.1");
  EXPECT_EQ(wt[3]->rows[2][1], "Merged Cell 1.1 2.1");  // vertical merge repeated
  EXPECT_EQ(wt[3]->rows[2][2], "Cell 2.2");
  EXPECT_EQ(wt[5]->rows[1], (std::vector<std::string>{"", "Cell 1.1"}));  // gridBefore
  EXPECT_EQ(wt[6]->rows[1], (std::vector<std::string>{"", "", "Merged Cell 0.2 1.2"}));
}

TEST(DocxExtractorCorpusTest, StrictAndTransitionalGiveTheSameText) {
  SMELTER_REQUIRE_CORPUS();
  auto strict = ExtractCorpusFile("Strict.docx");
  auto transitional = ExtractCorpusFile("Transitional.docx");
  ASSERT_TRUE(strict.ok()) << strict.status().ToString();
  ASSERT_TRUE(transitional.ok()) << transitional.status().ToString();
  EXPECT_EQ(AllText(*strict), "Some text\n");
  EXPECT_EQ(AllText(*strict), AllText(*transitional));
  EXPECT_EQ(strict->metadata, transitional->metadata);
  EXPECT_EQ(strict->metadata.at("author"), "Cragun, Randy");
  EXPECT_EQ(strict->metadata.at("last_modified_by"), "Cragun, Randy");
  EXPECT_EQ(strict->metadata.at("modified"), "2021-11-14T22:00:00Z");
  EXPECT_EQ(strict->page_count, 1);
}

TEST(DocxExtractorCorpusTest, VariousFeatures) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testWORD_various.docx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectConsistentPages(*r);
  EXPECT_EQ(r->page_count, 2);  // app.xml, and one next-page section break
  EXPECT_EQ(r->metadata.at("author"), "Michael McCandless");
  EXPECT_EQ(r->metadata.at("keywords"), "Keyword1 Keyword2");
  EXPECT_EQ(r->metadata.at("created"), "2011-09-05T11:00:00Z");
  EXPECT_EQ(r->metadata.at("modified"), "2017-11-24T00:00:52Z");
  const auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0]->text, "Bullet 1");
  EXPECT_FALSE(items[0]->ordered);
  EXPECT_EQ(items[3]->text, "Number bullet 1");
  EXPECT_TRUE(items[3]->ordered);
  ASSERT_NE(Find(*r, "This is a hyperlink"), nullptr);
  EXPECT_EQ(Find(*r, "This is a hyperlink")->text, "[This is a hyperlink](http://tika.apache.org/)");
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows[1][2], "Row 2 Col 3");
  EXPECT_EQ(Find(*r, "Footnote appears here")->text, "Footnote appears here[^1]");
  EXPECT_EQ(r->elements.back().text, "[^1]: This is a footnote.");
  // The text box is in both branches of mc:AlternateContent: read once.
  const std::string text = AllText(*r);
  EXPECT_EQ(text.find("Here is a text box"), text.rfind("Here is a text box"));
  EXPECT_NE(text.find("ゾルゲと尾崎、淡々と最期"), std::string::npos);
  EXPECT_NE(text.find("𐌲𐌿𐍄𐌹𐍃𐌺"), std::string::npos);
  EXPECT_EQ(text.find("SEQ Figure"), std::string::npos);  // field code dropped
  ASSERT_NE(Find(*r, "This is a caption for Figure 1"), nullptr);
  EXPECT_EQ(Find(*r, "This is a caption for Figure 1")->type, ElementType::kImageCaption);
  EXPECT_EQ(Find(*r, "Row 1 column 2")->page, 2);
}

TEST(DocxExtractorCorpusTest, HeadingAndPageBreakInDuplicateParagraphs) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("duplicate-paragraphs.docx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "This document contains duplicates");
  ASSERT_GE(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[1].type, ElementType::kHeading);
  EXPECT_EQ(r->elements[1].level, 1);
  const auto paragraphs = ElementsOfType(*r, ElementType::kParagraph);
  ASSERT_EQ(paragraphs.size(), 6u);
  EXPECT_EQ(paragraphs[2]->page, 1);
  EXPECT_EQ(paragraphs[3]->page, 2);
}

TEST(DocxExtractorCorpusTest, PicturesDoNotLoseText) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("contains-pictures.docx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(Find(*r, "An inline picture appears here"), nullptr);
  EXPECT_NE(Find(*r, "A floating picture that appears on top of the text"), nullptr);
}

TEST(DocxExtractorCorpusTest, TruncatedIsCorrupt) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testWORD_truncated.docx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
}

TEST(DocxExtractorCorpusTest, ThreadSafe) {
  SMELTER_REQUIRE_CORPUS();
  const std::string bytes = testing::ReadCorpusFile("testWORD_various.docx");
  const std::string expected = AllText(*ExtractString(bytes, "a.docx"));
  std::vector<std::thread> threads;
  std::vector<std::string> got(4);
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 5; ++k) {
        auto r = ExtractString(bytes, "a.docx");
        got[i] = r.ok() ? AllText(*r) : r.status().ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& text : got) EXPECT_EQ(text, expected);
}

}  // namespace
}  // namespace smelter
