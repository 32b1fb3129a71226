#include "extract/html_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smelter::html {
namespace {

// Writes the element events as a compact trace: "<p>text</p>". Elements
// named in `skip` are declined (their subtree must vanish from the trace).
class TraceVisitor final : public ElementVisitor {
 public:
  explicit TraceVisitor(std::vector<std::string> skip = {}) : skip_(std::move(skip)) {}

  bool OpenElement(const StartTag& tag, uint8_t* close) override {
    const std::string name = gumbo_normalized_tagname(tag.tag)[0] ? gumbo_normalized_tagname(tag.tag)
                                                                   : std::string(tag.name);
    for (const std::string& s : skip_) {
      if (s == name) return false;
    }
    names_.push_back(name);
    *close = static_cast<uint8_t>(names_.size() - 1);
    trace += "<" + name + ">";
    return true;
  }
  void CloseElement(uint8_t close) override { trace += "</" + names_[close] + ">"; }
  void Text(std::string_view text) override { trace += text; }

  std::string trace;

 private:
  std::vector<std::string> skip_;
  std::vector<std::string> names_;
};

std::string Trace(std::string_view html, std::vector<std::string> skip = {}) {
  TraceVisitor visitor(std::move(skip));
  Parse(html, &visitor);
  return visitor.trace;
}

std::string Decode(std::string_view text) {
  std::string out;
  DecodeCharacterReferences(text, &out);
  return out;
}

// Collects every attribute lookup the tests ask for.
class FirstTagSink final : public TokenSink {
 public:
  void StartTagToken(const StartTag& tag) override {
    if (seen_++ > 0) return;
    for (const char* name : {"href", "alt", "class", "title", "data-x", "checked"}) {
      const auto value = tag.Attr(name);
      values.push_back(value ? std::string(*value) : "<none>");
    }
    self_closing = tag.self_closing;
  }
  void EndTagToken(GumboTag, std::string_view) override {}
  void TextToken(std::string_view) override {}

  std::vector<std::string> values;
  bool self_closing = false;

 private:
  int seen_ = 0;
};

TEST(HtmlTokenizerTest, OmittedEndTagsAreSupplied) {
  EXPECT_EQ(Trace("<p>one<p>two<div>three</div>"), "<p>one</p><p>two</p><div>three</div>");
  EXPECT_EQ(Trace("<ul><li>a<li>b<ul><li>c</ul><li>d</ul>"),
            "<ul><li>a</li><li>b<ul><li>c</li></ul></li><li>d</li></ul>");
  EXPECT_EQ(Trace("<dl><dt>t<dd>d<dt>u</dl>"), "<dl><dt>t</dt><dd>d</dd><dt>u</dt></dl>");
  EXPECT_EQ(Trace("<table><tr><td>1<td>2<tr><th>3</table>"),
            "<table><tr><td>1</td><td>2</td></tr><tr><th>3</th></tr></table>");
  EXPECT_EQ(Trace("<h1>one<h2>two</h2>"), "<h1>one</h1><h2>two</h2>");
  EXPECT_EQ(Trace("<select><option>a<option>b</select>"), "<select><option>a</option><option>b</option></select>");
  // A nested table's cells do not close the outer cell.
  EXPECT_EQ(Trace("<table><tr><td><table><tr><td>in</table>out</table>"),
            "<table><tr><td><table><tr><td>in</td></tr></table>out</td></tr></table>");
}

TEST(HtmlTokenizerTest, EndTagsCloseWhatOpenedInsideAndStrayOnesAreIgnored) {
  EXPECT_EQ(Trace("<div><span><b>x</div>y"), "<div><span><b>x</b></span></div>y");
  EXPECT_EQ(Trace("a</span>b</div>c"), "abc");
  // An end tag does not reach out of a table cell.
  EXPECT_EQ(Trace("<div><table><tr><td>x</div>y</td></tr></table></div>"),
            "<div><table><tr><td>xy</td></tr></table></div>");
  EXPECT_EQ(Trace("a</p>b"), "a<p></p>b");
  EXPECT_EQ(Trace("a</br>b"), "a<br></br>b");
  EXPECT_EQ(Trace("<P CLASS=x>Upper</P>"), "<p>Upper</p>");
  EXPECT_EQ(Trace("<my-widget>w</MY-WIDGET>z"), "<my-widget>w</my-widget>z");
}

TEST(HtmlTokenizerTest, VoidElementsAndSelfClosing) {
  EXPECT_EQ(Trace("a<br>b<img src=x>c<hr/>d"), "a<br></br>b<img></img>c<hr></hr>d");
  // "/>" on an HTML element means nothing; inside SVG it closes.
  EXPECT_EQ(Trace("<div/>in</div>out"), "<div>in</div>out");
  EXPECT_EQ(Trace("<svg><path d='m0'/><g>t</g></svg>x"), "<svg><path></path><g>t</g></svg>x");
}

TEST(HtmlTokenizerTest, DeclinedSubtreesVanish) {
  EXPECT_EQ(Trace("<p>a<nav><p>menu<ul><li>x</ul></nav>b", {"nav"}), "<p>a</p>b");
  EXPECT_EQ(Trace("<div>keep<form><div>gone</div></form>tail</div>", {"form"}), "<div>keeptail</div>");
  // Unclosed: the subtree ends with its parent.
  EXPECT_EQ(Trace("<div>x<button>never closed</div>after", {"button"}), "<div>x</div>after");
}

TEST(HtmlTokenizerTest, RawTextElements) {
  EXPECT_EQ(Trace("<script>if (a < b && c > d) x = '</p>';</script>t", {"script"}), "t");
  EXPECT_EQ(Trace("<script>a</scriptx>b</SCRIPT >c"), "<script>a</scriptx>b</script>c");
  EXPECT_EQ(Trace("<style>p{}</style><title>A &amp; <b>B</b></title>"),
            "<style>p{}</style><title>A & <b>B</b></title>");
  EXPECT_EQ(Trace("<textarea>&lt;x&gt;</textarea>"), "<textarea><x></textarea>");
  EXPECT_EQ(Trace("<script>unterminated <p>"), "<script>unterminated <p></script>");
  EXPECT_EQ(Trace("<plaintext><b>&amp;</b>"), "<plaintext><b>&amp;</b></plaintext>");
}

TEST(HtmlTokenizerTest, CommentsDoctypesAndBogusMarkup) {
  EXPECT_EQ(Trace("<!DOCTYPE html>a<!-- x <p> -->b<!-->c<!--->d<?xml v?>e</ 3>f</>g"), "abcdefg");
  EXPECT_EQ(Trace("a<!-- never closed <p>x"), "a");
  EXPECT_EQ(Trace("1 < 2 and 3<4 <"), "1 < 2 and 3<4 <");
  // An unfinished tag at the end is dropped.
  EXPECT_EQ(Trace("text<div class=\"open"), "text");
  EXPECT_EQ(Trace("text<div"), "text");
}

TEST(HtmlTokenizerTest, TextIsNormalized) {
  EXPECT_EQ(Trace("a\r\nb\rc"), "a\nb\nc");
  EXPECT_EQ(Trace(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(Trace("<pre>\nline</pre><pre>\n\nkeep</pre>"), "<pre>line</pre><pre>\nkeep</pre>");
}

TEST(HtmlTokenizerTest, CharacterReferences) {
  EXPECT_EQ(Decode("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
  EXPECT_EQ(Decode("caf&eacute; &Eacute;t&eacute; &hellip; &euro;&nbsp;x"), "café Été … €\u00a0x");
  EXPECT_EQ(Decode("&#233;&#xE9;&#XE9;&#x1F600;"), "ééé\U0001F600");
  EXPECT_EQ(Decode("&#150;&#128;"), "\u2013\u20ac");  // C1 numbers mean Windows-1252
  EXPECT_EQ(Decode("&#0;&#xD800;&#99999999999;"), "\ufffd\ufffd\ufffd");
  EXPECT_EQ(Decode("&copy2024 &amp x &notit;"), "©2024 & x ¬it;");
  EXPECT_EQ(Decode("&nosuch; & &#; &#x; AT&T"), "&nosuch; & &#; &#x; AT&T");
  EXPECT_EQ(Decode("&"), "&");
}

TEST(HtmlTokenizerTest, Attributes) {
  FirstTagSink sink;
  Tokenize("<a HREF=\"/x?a=1&amp;b=2\" alt='it''s' class=plain title=\"a > b\" data-x checked "
           "href=second/>",
           &sink);
  ASSERT_EQ(sink.values.size(), 6u);
  EXPECT_EQ(sink.values[0], "/x?a=1&b=2");  // first of duplicates wins, references decoded
  EXPECT_EQ(sink.values[1], "it");
  EXPECT_EQ(sink.values[2], "plain");
  EXPECT_EQ(sink.values[3], "a > b");
  EXPECT_EQ(sink.values[4], "");
  EXPECT_EQ(sink.values[5], "");
  EXPECT_FALSE(sink.self_closing);  // "second/" is an unquoted value, not "/>"

  // Valueless attributes have empty views; asking for them is safe.
  FirstTagSink bare;
  Tokenize("<td checked class>", &bare);
  EXPECT_EQ(bare.values[2], "");
  EXPECT_EQ(bare.values[5], "");

  FirstTagSink closing;
  Tokenize("<img src=x />", &closing);
  EXPECT_TRUE(closing.self_closing);
}

TEST(HtmlTokenizerTest, DeepNestingStaysBounded) {
  std::string html;
  for (int i = 0; i < 200000; ++i) html += "<div><span>";
  html += "deep";
  const std::string trace = Trace(html);
  EXPECT_NE(trace.find("deep"), std::string::npos);
  EXPECT_EQ(trace.substr(trace.size() - 13), "</span></div>");
}

}  // namespace
}  // namespace smelter::html
