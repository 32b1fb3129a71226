// Text decoding: bytes in an unknown or declared encoding -> UTF-8.
//
// Every text-bearing extractor (text, Markdown, HTML, CSV, ...) decodes
// through here so that encodings are handled one way everywhere:
//   1. a byte-order mark wins (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
//   2. BOM-less UTF-16 is recognized by its pattern of zero bytes;
//   3. valid UTF-8 stays UTF-8;
//   4. otherwise uchardet guesses and ICU converts. Latin-1 is read as
//      Windows-1252 (its superset, as browsers do), and weak guesses for
//      short, mostly-ASCII text fall back to Windows-1252, the most common
//      legacy encoding by far.
// The output never holds NUL bytes and uses "\n" line ends only.
//
// All functions are thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace smelter {

struct DecodedText {
  std::string utf8;      // NUL-free, LF line ends
  std::string encoding;  // what the bytes were read as: "UTF-8", "UTF-16LE", "WINDOWS-1252", ...
};

// Detects the encoding as described above and converts.
Result<DecodedText> DecodeToUtf8(std::string_view bytes);

// Converts from a declared charset (e.g. an HTML <meta charset>). A BOM still
// wins over the declaration, and bytes that are valid non-ASCII UTF-8 are
// taken as UTF-8 (a mislabeled page is far likelier than Latin-1 text that
// happens to be valid UTF-8). Labels are mapped as browsers map them
// (latin1/iso-8859-1/ascii -> windows-1252). An unknown label falls back
// to DecodeToUtf8.
Result<DecodedText> DecodeWithCharset(std::string_view bytes, std::string_view charset);

// The encoding named by a byte-order mark at the start of `bytes` ("UTF-8",
// "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"), or "" when there is none.
// `*bom_length` (when not null) receives the BOM's size in bytes.
std::string_view DetectBom(std::string_view bytes, size_t* bom_length);

// "UTF-16LE" or "UTF-16BE" when `bytes` look like BOM-less UTF-16 text
// (mostly ASCII-range characters, so one byte of each pair is zero), else "".
std::string_view DetectUtf16WithoutBom(std::string_view bytes);

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

// Drops NUL bytes and turns CRLF and lone CR into LF.
std::string NormalizeText(std::string_view utf8);

}  // namespace smelter
