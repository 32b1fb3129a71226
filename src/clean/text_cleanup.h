// Character-level text normalization for the silver stage: Unicode NFKC,
// control characters, whitespace runs.
//
// Each function edits a string in place and returns how many changes it
// made, so the cleaner can report counts. All take UTF-8; invalid bytes are
// replaced by U+FFFD only where ICU has to convert (NFKC).
//
// Thread-safe: ICU's normalizer instances are immutable singletons.
#pragma once

#include <string>

namespace smelter {

// Unicode NFKC: compatibility forms folded ("ﬁ" -> "fi", full-width
// "Ａ" -> "A", "①" -> "1", NBSP -> space). Returns 1 when the text changed,
// 0 when it was already NFKC (the common case costs one quick check).
int NormalizeNfkc(std::string* text);

// Drops C0/C1 control characters except "\n" and "\t" (a CR LF or lone CR
// becomes "\n"), plus U+FEFF (a BOM left in the middle of text) and the
// Unicode non-characters U+FFFE/U+FFFF, and soft hyphens (U+00AD) except
// at a line end, where JoinHyphenatedLines needs them. Returns the number
// removed.
int RemoveControlChars(std::string* text);

// Whitespace runs: within a line, any run of horizontal white space (space,
// tab, NBSP and the other Zs spaces, zero-width space) becomes one space;
// lines lose leading and trailing white space; more than one blank line in a
// row becomes one; leading and trailing blank lines go. Returns the number
// of runs changed. Not for code, where indentation is meaning.
int NormalizeWhitespace(std::string* text);

// Lines broken with a hyphen inside a paragraph are joined: "infor-\nmation"
// -> "information". Only when a letter precedes the hyphen and a lower-case
// letter starts the next line, so "Jean-\nPaul" and list dashes stay; a soft
// hyphen (U+00AD) at a line end is treated the same way. A real compound
// broken at its hyphen ("well-\nknown") loses the hyphen: layout gives no way
// to tell the two apart, and broken words are far more common. Returns the
// number of joins.
int JoinHyphenatedLines(std::string* text);

}  // namespace smelter
