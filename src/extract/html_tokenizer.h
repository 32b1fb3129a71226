// A byte-oriented HTML tokenizer and a light tree builder on top of it.
// Private to src/extract/.
//
// Why not a full HTML5 parser: the HTML5 tree-construction algorithm
// builds a DOM (Gumbo, the parser Debian has, allocates a node per tag
// and walks the input one code point at a time: ~15 MB/s on an SEC
// filing, most of whose bytes are inline style attributes). Text
// extraction needs only the sequence of elements opening and closing, in
// document order, with the end tags HTML lets authors leave out
// supplied. So this file streams: the tokenizer jumps between '<', '&'
// and quote characters with memchr, attributes stay views into the input
// until someone asks for one, and the tree builder keeps only the stack
// of open elements. Tag names map to Gumbo's tag enum (gumbo_tagn_enum),
// and named character references are resolved through libxml2's HTML
// entity table, so neither table is copied here.
//
// What the tree builder supplies, following the HTML5 rules that change
// which block text belongs to: void elements; <p> closed by a block that
// opens inside it; <li>, <dd>/<dt>, <option> closed by their next sibling;
// table rows, cells and sections closed by the next one; a heading closed
// by another heading; an end tag closes every element opened after its
// start tag (within its scope), and a stray end tag is ignored. What it
// leaves out, because it moves no text between blocks: the adoption agency
// for misnested inline formatting, foster parenting of stray table text
// (it stays where it is), implied <tbody>, and quirks mode.
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smelter::html {

// One start tag. Attribute names are matched case-insensitively; values
// are decoded (character references) when asked for.
class StartTag {
 public:
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  std::string_view name;  // as written (any case)
  bool self_closing = false;

  // The decoded value of the first attribute named `lower_name` (which
  // must be lower case), or nullopt when absent. The view stays valid as
  // long as this tag does.
  std::optional<std::string_view> Attr(std::string_view lower_name) const;

  // For the tokenizer.
  void Clear();
  void AddAttribute(std::string_view name, std::string_view raw_value);

 private:
  struct RawAttribute {
    std::string_view name;
    std::string_view value;  // undecoded
  };
  std::vector<RawAttribute> attributes_;
  mutable std::list<std::string> decoded_;  // stable storage for decoded values
};

// Receives tokens in document order. Text views are valid only during the
// call (they may point into a scratch buffer).
class TokenSink {
 public:
  virtual ~TokenSink() = default;
  virtual void StartTagToken(const StartTag& tag) = 0;
  virtual void EndTagToken(GumboTag tag, std::string_view name) = 0;
  // Character data with references decoded, CR LF normalized to LF, NUL
  // dropped. Raw text elements (script, style, ...) deliver their content
  // as one text token between their start and end tag.
  virtual void TextToken(std::string_view text) = 0;
};

// Tokenizes `utf8` (already decoded to UTF-8). Comments, doctypes and
// processing instructions are skipped. Never fails: every input is some
// token sequence. Linear in the input size.
void Tokenize(std::string_view utf8, TokenSink* sink);

// Appends `text` to `out` with character references (&amp; &#233; &#xE9;
// &eacute; and the legacy forms without ';') decoded.
void DecodeCharacterReferences(std::string_view text, std::string* out);

// What the tree builder reports. `OpenElement` returns false to skip the
// element's whole subtree (no events for anything inside it); otherwise
// `*close` is handed back to `CloseElement` when the element ends. Void
// elements are opened and, when OpenElement returns true, closed at once.
class ElementVisitor {
 public:
  virtual ~ElementVisitor() = default;
  virtual bool OpenElement(const StartTag& tag, uint8_t* close) = 0;
  virtual void CloseElement(uint8_t close) = 0;
  virtual void Text(std::string_view text) = 0;
};

// Tokenizes `utf8` and drives `visitor` with elements opening and closing
// as an HTML5 parser would nest them (see the top of this file for what
// is approximated). Every opened element is closed before it returns.
void Parse(std::string_view utf8, ElementVisitor* visitor);

}  // namespace smelter::html
