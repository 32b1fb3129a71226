// HTML -> elements, shared by the HTML extractor (whole pages) and the
// Markdown extractor (raw HTML blocks). Private to src/extract/.
#pragma once

#include <string>
#include <string_view>

#include "core/element.h"

namespace smelter {

// Parses `utf8` (html_tokenizer.h) and appends its content to doc->elements in
// reading order: headings, paragraphs, list items (depth, ordered), tables,
// code, block quotes, image captions; links inline as [text](href).
// Boilerplate is dropped: script, style, noscript, template, nav, forms,
// svg, iframe, page-level header/footer, role=navigation/banner/contentinfo,
// and hidden elements. Sets doc->title from <title> (else the first <h1>)
// and metadata author/description/keywords/language when doc lacks them.
// Whitespace is collapsed as a browser would. Linear in the input size.
void ConvertHtml(std::string_view utf8, ExtractedDocument* doc);

// The charset an HTML document declares near its start (<meta charset>,
// <meta http-equiv="Content-Type" content="...; charset=...">, or the XML
// declaration's encoding), lower-cased; "" when none is declared.
std::string SniffHtmlCharset(std::string_view bytes);

}  // namespace smelter
