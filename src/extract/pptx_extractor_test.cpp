#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "extract/corpus_test_util.h"
#include "extract/extractor.h"
#include "extract/zip_archive.h"

namespace smelter {
namespace {

using testing::AllText;
using testing::ElementsOfType;
using testing::ExtractCorpusFile;
using testing::ExtractString;

constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr char kNs[] =
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

std::string Rels(const std::vector<std::vector<std::string>>& rels) {
  std::string out = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (const auto& rel : rels) {
    out += "<Relationship Id=\"" + rel[0] + "\" Type=\"" + std::string(kRel) + "/" + rel[1] + "\" Target=\"" + rel[2] +
           "\"" + (rel.size() > 3 ? " TargetMode=\"External\"" : "") + "/>";
  }
  return out + "</Relationships>";
}

// A shape: optional placeholder, optional position, paragraphs as XML.
std::string Shape(const std::string& paragraphs, const std::string& ph = "", long x = -1, long y = -1) {
  std::string out = "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>" + ph + "</p:nvPr></p:nvSpPr><p:spPr>";
  if (x >= 0) {
    out += "<a:xfrm><a:off x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) +
           "\"/><a:ext cx=\"1000000\" cy=\"500000\"/></a:xfrm>";
  }
  return out + "</p:spPr><p:txBody><a:bodyPr/>" + paragraphs + "</p:txBody></p:sp>";
}

std::string Para(const std::string& text, const std::string& ppr = "") {
  return "<a:p>" + ppr + "<a:r><a:rPr lang=\"en-US\"/><a:t>" + text + "</a:t></a:r></a:p>";
}

std::string SlideXml(const std::string& shapes) {
  return "<p:sld " + std::string(kNs) + "><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
         "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>" + shapes + "</p:spTree></p:cSld></p:sld>";
}

struct Deck {
  std::vector<std::string> slides;      // slide XML, in presentation order
  std::map<size_t, std::string> notes;  // slide index -> notes slide XML
  bool reverse_file_names = false;      // slide 1 stored as the last file
};

std::string BuildPptx(const Deck& deck) {
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"_rels/.rels", Rels({{"rId1", "officeDocument", "ppt/presentation.xml"}})},
      {"ppt/slideLayouts/slideLayout1.xml",
       SlideXml(Shape("", "<p:ph type=\"title\"/>", 457200, 274638) + Shape("", "<p:ph idx=\"1\"/>", 457200, 1600200))},
      {"ppt/slideLayouts/_rels/slideLayout1.xml.rels", Rels({{"rId1", "slideMaster", "../slideMasters/slideMaster1.xml"}})},
      {"ppt/slideMasters/slideMaster1.xml", SlideXml(Shape("", "<p:ph type=\"dt\" idx=\"10\"/>", 100, 6000000))},
  };
  std::string list = "<p:sldIdLst>";
  std::vector<std::vector<std::string>> pres_rels;
  const size_t n = deck.slides.size();
  for (size_t i = 0; i < n; ++i) {
    const size_t file = deck.reverse_file_names ? n - i : i + 1;
    const std::string name = "slide" + std::to_string(file) + ".xml";
    const std::string rid = "rId" + std::to_string(10 + i);
    list += "<p:sldId id=\"" + std::to_string(256 + i) + "\" r:id=\"" + rid + "\"/>";
    pres_rels.push_back({rid, "slide", "slides/" + name});
    entries.emplace_back("ppt/slides/" + name, deck.slides[i]);
    std::vector<std::vector<std::string>> slide_rels = {{"rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"},
                                                        {"rIdLink", "hyperlink", "https://example.org/x", "ext"}};
    if (deck.notes.count(i)) {
      const std::string notes = "notesSlide" + std::to_string(file) + ".xml";
      slide_rels.push_back({"rId2", "notesSlide", "../notesSlides/" + notes});
      entries.emplace_back("ppt/notesSlides/" + notes, deck.notes.at(i));
    }
    entries.emplace_back("ppt/slides/_rels/" + name + ".rels", Rels(slide_rels));
  }
  list += "</p:sldIdLst>";
  entries.emplace_back("ppt/presentation.xml", "<p:presentation " + std::string(kNs) + ">" + list +
                                                   "<p:sldSz cx=\"9144000\" cy=\"6858000\"/></p:presentation>");
  entries.emplace_back("ppt/_rels/presentation.xml.rels", Rels(pres_rels));
  auto zip = CreateZipArchive(entries);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  return zip.ok() ? *zip : "";
}

ExtractedDocument ExtractPptx(const Deck& deck) {
  DetectedType detected;
  auto r = ExtractDocument(BuildPptx(deck), "deck.pptx", ExtractOptions{}, &detected);
  EXPECT_EQ(detected.kind, DocKind::kPptx);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExtractedDocument{};
}

// Texts of the elements of one page, page breaks left out.
std::vector<std::string> PageTexts(const ExtractedDocument& doc, int page) {
  std::vector<std::string> out;
  for (const Element& e : doc.elements) {
    if (e.page == page && e.type != ElementType::kPageBreak) out.push_back(e.text);
  }
  return out;
}

const Element* Find(const ExtractedDocument& doc, const std::string& phrase) {
  for (const Element& e : doc.elements) {
    if (e.text.find(phrase) != std::string::npos) return &e;
  }
  return nullptr;
}

// ---- synthetic decks -----------------------------------------------------------

TEST(PptxExtractorTest, SlidesFollowThePresentationListNotFileNames) {
  Deck deck;
  deck.reverse_file_names = true;  // slide 1 is slide3.xml
  for (const char* title : {"First", "Second", "Third"}) {
    deck.slides.push_back(SlideXml(Shape(Para(title), "<p:ph type=\"title\"/>")));
  }
  const ExtractedDocument doc = ExtractPptx(deck);
  EXPECT_EQ(doc.page_count, 3);
  EXPECT_EQ(doc.title, "First");
  const auto breaks = ElementsOfType(doc, ElementType::kPageBreak);
  ASSERT_EQ(breaks.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(breaks[static_cast<size_t>(i)]->page, i + 1);
  EXPECT_EQ(PageTexts(doc, 1), (std::vector<std::string>{"First"}));
  EXPECT_EQ(PageTexts(doc, 3), (std::vector<std::string>{"Third"}));
  EXPECT_EQ(Find(doc, "First")->type, ElementType::kTitle);
  EXPECT_EQ(Find(doc, "Second")->type, ElementType::kHeading);
  EXPECT_EQ(Find(doc, "Second")->level, 2);
}

TEST(PptxExtractorTest, ReadingOrderTitleThenBandsLeftToRight) {
  Deck deck;
  deck.slides.push_back(SlideXml(
      Shape(Para("bottom"), "", 500000, 5000000) +             //
      Shape(Para("top right"), "", 6000000, 1500000) +         //
      Shape(Para("top left, a bit lower"), "", 500000, 1600000) +  // same band as "top right"
      Shape(Para("no position: stays after top left")) +        //
      Shape(Para("The Title"), "<p:ph type=\"title\"/>") +     // position from the layout
      Shape(Para("date"), "<p:ph type=\"dt\" idx=\"10\"/>")));  // position from the master
  const ExtractedDocument doc = ExtractPptx(deck);
  EXPECT_EQ(PageTexts(doc, 1), (std::vector<std::string>{"The Title", "top left, a bit lower",
                                                         "no position: stays after top left", "top right", "bottom",
                                                         "date"}));
  EXPECT_EQ(Find(doc, "date")->type, ElementType::kHeaderFooter);
  EXPECT_EQ(RenderMarkdown(doc).text.find("date"), std::string::npos);  // kept for cleaning, not rendered
}

TEST(PptxExtractorTest, GroupsAreFlattenedIntoSlideCoordinates) {
  Deck deck;
  const std::string group =
      "<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"9\" name=\"g\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>"
      "<a:off x=\"4000000\" y=\"3000000\"/><a:ext cx=\"2000000\" cy=\"2000000\"/>"
      "<a:chOff x=\"0\" y=\"0\"/><a:chExt cx=\"1000000\" cy=\"1000000\"/></a:xfrm></p:grpSpPr>" +
      Shape(Para("group lower"), "", 0, 900000) + Shape(Para("group upper"), "", 0, 0) + "</p:grpSp>";
  // In slide coordinates the group's children sit at y=3.0M and y=4.8M.
  deck.slides.push_back(SlideXml(Shape(Para("outside, y=4M"), "", 0, 4000000) + group));
  const ExtractedDocument doc = ExtractPptx(deck);
  EXPECT_EQ(PageTexts(doc, 1), (std::vector<std::string>{"group upper", "outside, y=4M", "group lower"}));
}

TEST(PptxExtractorTest, BulletsListsAndLinks) {
  Deck deck;
  const std::string body = Para("Body bullet") + Para("Deeper bullet", "<a:pPr lvl=\"1\"/>") +
                           Para("Not a bullet", "<a:pPr><a:buNone/></a:pPr>") +
                           Para("Numbered", "<a:pPr><a:buAutoNum type=\"arabicPeriod\"/></a:pPr>") + "<a:p/>";
  const std::string box = Para("Plain text box") + Para("Explicit bullet", "<a:pPr><a:buChar char=\"•\"/></a:pPr>") +
                          "<a:p><a:r><a:t xml:space=\"preserve\">Visit </a:t></a:r><a:r><a:rPr><a:hlinkClick "
                          "r:id=\"rIdLink\"/></a:rPr><a:t>our site</a:t></a:r><a:br/><a:r><a:t>next line</a:t></a:r>"
                          "</a:p>";
  deck.slides.push_back(SlideXml(Shape(body, "<p:ph idx=\"1\"/>") + Shape(box, "", 0, 5000000)));
  const ExtractedDocument doc = ExtractPptx(deck);
  struct Want {
    const char* text;
    ElementType type;
    int level;
    bool ordered;
  };
  for (const Want& want : {Want{"Body bullet", ElementType::kListItem, 0, false},
                           Want{"Deeper bullet", ElementType::kListItem, 1, false},
                           Want{"Not a bullet", ElementType::kParagraph, 0, false},
                           Want{"Numbered", ElementType::kListItem, 0, true},
                           Want{"Plain text box", ElementType::kParagraph, 0, false},
                           Want{"Explicit bullet", ElementType::kListItem, 0, false}}) {
    const Element* e = Find(doc, want.text);
    ASSERT_NE(e, nullptr) << want.text;
    EXPECT_EQ(e->type, want.type) << want.text;
    EXPECT_EQ(e->level, want.level) << want.text;
    EXPECT_EQ(e->ordered, want.ordered) << want.text;
  }
  ASSERT_NE(Find(doc, "Visit"), nullptr);
  EXPECT_EQ(Find(doc, "Visit")->text, "Visit [our site](https://example.org/x)\nnext line");
}

TEST(PptxExtractorTest, TablesWithMergedCells) {
  Deck deck;
  auto tc = [](const std::string& text, const std::string& attrs = "") {
    return "<a:tc" + attrs + "><a:txBody><a:bodyPr/>" + Para(text) + "</a:txBody></a:tc>";
  };
  const std::string table =
      "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"4\" name=\"t\"/><p:cNvGraphicFramePr/><p:nvPr/>"
      "</p:nvGraphicFramePr><p:xfrm><a:off x=\"0\" y=\"2000000\"/><a:ext cx=\"1\" cy=\"1\"/></p:xfrm><a:graphic>"
      "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\"><a:tbl><a:tblGrid/>"
      "<a:tr h=\"1\">" + tc("Region") + tc("Q1 and Q2", " gridSpan=\"2\"") + tc("", " hMerge=\"1\"") + "</a:tr>"
      "<a:tr h=\"1\">" + tc("North", " rowSpan=\"2\"") + tc("1") + tc("2") + "</a:tr>"
      "<a:tr h=\"1\">" + tc("", " vMerge=\"1\"") + tc("3") + tc("4") + "</a:tr>"
      "<a:tr h=\"1\">" + tc("") + tc("") + tc("") + "</a:tr>"
      "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>";
  deck.slides.push_back(SlideXml(Shape(Para("Sales"), "<p:ph type=\"title\"/>") + table));
  const ExtractedDocument doc = ExtractPptx(deck);
  const auto tables = ElementsOfType(doc, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->page, 1);
  ASSERT_EQ(tables[0]->rows.size(), 3u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Region", "Q1 and Q2", ""}));
  EXPECT_EQ(tables[0]->rows[1], (std::vector<std::string>{"North", "1", "2"}));
  EXPECT_EQ(tables[0]->rows[2], (std::vector<std::string>{"North", "3", "4"}));
}

TEST(PptxExtractorTest, SpeakerNotesFollowTheirSlide) {
  Deck deck;
  deck.slides.push_back(SlideXml(Shape(Para("One"), "<p:ph type=\"title\"/>")));
  deck.slides.push_back(SlideXml(Shape(Para("Two"), "<p:ph type=\"title\"/>")));
  deck.notes[1] = "<p:notes " + std::string(kNs) + "><p:cSld><p:spTree>" +
                  Shape("", "<p:ph type=\"sldImg\"/>") +
                  Shape(Para("Say this first.") + Para("Then this."), "<p:ph type=\"body\" idx=\"1\"/>") +
                  Shape(Para("2"), "<p:ph type=\"sldNum\" idx=\"5\"/>") + "</p:spTree></p:cSld></p:notes>";
  const ExtractedDocument doc = ExtractPptx(deck);
  const auto quotes = ElementsOfType(doc, ElementType::kBlockQuote);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0]->text, "Notes: Say this first.\nThen this.");
  EXPECT_EQ(quotes[0]->page, 2);
  EXPECT_EQ(doc.elements.back().type, ElementType::kBlockQuote);
  EXPECT_NE(RenderMarkdown(doc).text.find("> Notes: Say this first.\n> Then this."), std::string::npos);
}

TEST(PptxExtractorTest, BrokenSlidesCostOnlyThemselves) {
  Deck deck;
  deck.slides.push_back(SlideXml(Shape(Para("Good slide"), "<p:ph type=\"title\"/>")));
  deck.slides.push_back("<p:sld " + std::string(kNs) + "><p:cSld><unclosed>");
  const ExtractedDocument doc = ExtractPptx(deck);
  EXPECT_EQ(doc.page_count, 2);
  EXPECT_NE(Find(doc, "Good slide"), nullptr);

  Deck all_bad;
  all_bad.slides.push_back("<p:sld " + std::string(kNs) + "><p:cSld><unclosed>");
  auto r = ExtractString(BuildPptx(all_bad), "bad.pptx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r.status().message().find("ppt/slides/slide1.xml"), std::string::npos) << r.status().message();

  Deck entities;
  entities.slides.push_back("<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]>" + SlideXml(Shape(Para("&a;"))));
  r = ExtractString(BuildPptx(entities), "xxe.pptx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_EQ(r.status().message(), "XML entity declarations refused");

  Deck empty;
  empty.slides.push_back(SlideXml(Shape(Para(" "), "<p:ph type=\"title\"/>")));
  r = ExtractString(BuildPptx(empty), "empty.pptx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEmpty);
}

TEST(PptxExtractorTest, EncryptedPartIsEncrypted) {
  auto zip = CreateZipArchive({{"[Content_Types].xml", "<Types/>"},
                               {"_rels/.rels", Rels({{"rId1", "officeDocument", "ppt/presentation.xml"}})},
                               {"ppt/presentation.xml", "<p:presentation " + std::string(kNs) + "/>", true, "pw"}});
  if (!zip.ok()) GTEST_SKIP() << "libzip built without encryption";
  auto r = ExtractString(*zip, "locked.pptx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kEncrypted);
}

// ---- corpus -----------------------------------------------------------------------

TEST(PptxExtractorCorpusTest, BulletSlide) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-power-point.pptx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 1);
  EXPECT_EQ(r->title, "Adding a Bullet Slide");
  ASSERT_GE(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].type, ElementType::kPageBreak);
  EXPECT_EQ(r->elements[1].type, ElementType::kTitle);
  EXPECT_EQ(r->elements[1].text, "Adding a Bullet Slide");
  const auto items = ElementsOfType(*r, ElementType::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]->text, "Find the bullet slide layout");
  EXPECT_EQ(items[1]->level, 1);
  EXPECT_EQ(items[2]->text, "Use _TextFrame.add_paragraph() for subsequent bullets");
  EXPECT_EQ(items[2]->level, 2);
  EXPECT_EQ(Find(*r, "Here is a lot of text!")->type, ElementType::kParagraph);
  EXPECT_EQ(r->elements.back().text, "Here is some text in a text box!");
}

TEST(PptxExtractorCorpusTest, TableSlide) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-power-point-table.pptx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "A Slide with a Table");
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0]->rows.size(), 4u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"Column 1", "Column 2", "Column 3"}));
  EXPECT_EQ(tables[0]->rows[2][1], "Orange");
  EXPECT_EQ(tables[0]->rows[3][2], "Aqua");
}

TEST(PptxExtractorCorpusTest, MultiSlideDeckWithNotesListsAndMergedTable) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("powerpoint_sample.pptx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 3);
  EXPECT_EQ(r->metadata.at("author"), "Maxim Lysak");
  EXPECT_EQ(r->title, "Test Table Slide");
  const Element* second = Find(*r, "Second slide title");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->type, ElementType::kHeading);
  EXPECT_EQ(second->level, 2);
  EXPECT_EQ(second->page, 2);
  const auto notes = ElementsOfType(*r, ElementType::kBlockQuote);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]->text, "Notes: Some notes on the second slide.");
  EXPECT_EQ(notes[0]->page, 2);
  EXPECT_EQ(notes[1]->text, "Notes: Final notes on the third slide.\nSecond line of notes.");
  EXPECT_EQ(notes[1]->page, 3);
  EXPECT_EQ(Find(*r, "And baz things")->type, ElementType::kListItem);  // body placeholder: bulleted
  EXPECT_EQ(Find(*r, "Let’s introduce a list")->type, ElementType::kParagraph);  // buNone
  EXPECT_TRUE(Find(*r, "List item4")->ordered);
  EXPECT_FALSE(Find(*r, "I1")->ordered);
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  const auto& rows = tables[0]->rows;
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"", "Class1", "", "", "Class2", "", ""}));
  EXPECT_EQ(rows[1][1], "A merged with B");
  EXPECT_EQ(rows[4][0], "R3");
  EXPECT_EQ(rows[5][0], "R3");  // rowSpan repeated
  EXPECT_EQ(rows[8][0], "R4");
  EXPECT_EQ(rows[8][6], "False");
}

TEST(PptxExtractorCorpusTest, ChartsBecomeTables) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("pptx_chart.pptx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 2);
  ASSERT_NE(Find(*r, "Chart: Wild Duck Observations by Year"), nullptr);
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0]->rows[0], (std::vector<std::string>{"", "Freshwater Ducks", "Saltwater Ducks"}));
  EXPECT_EQ(tables[0]->rows[4], (std::vector<std::string>{"2022", "175", "130"}));
  EXPECT_EQ(tables[1]->page, 2);
}

TEST(PptxExtractorCorpusTest, VariousFeatures) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("testPPT_various.pptx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->metadata.at("author"), "Michael McCandless");
  EXPECT_EQ(Find(*r, "This is a hyperlink")->text, "[This is a hyperlink](http://tika.apache.org/)");
  const auto tables = ElementsOfType(*r, ElementType::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows[1][2], "Row 2 Col 3");
  EXPECT_EQ(Find(*r, "Bullet 2")->type, ElementType::kListItem);
  const std::string text = AllText(*r);
  EXPECT_NE(text.find("ゾルゲと尾崎、淡々と最期"), std::string::npos);
  EXPECT_NE(text.find("Here is a text box"), std::string::npos);
}

TEST(PptxExtractorCorpusTest, MalformedDeckIsNoCrash) {
  SMELTER_REQUIRE_CORPUS();
  auto r = ExtractCorpusFile("fake-power-point-malformed.pptx");
  // Placeholders without positions (the malformation) are still read.
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page_count, 1);
  ASSERT_NE(Find(*r, "Test Slide"), nullptr);
  EXPECT_EQ(Find(*r, "Test Slide")->type, ElementType::kTitle);
  ASSERT_NE(Find(*r, "Problem Date Placeholder"), nullptr);
  EXPECT_EQ(Find(*r, "Problem Date Placeholder")->type, ElementType::kHeaderFooter);
}

}  // namespace
}  // namespace smelter
