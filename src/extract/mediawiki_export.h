// MediaWiki XML exports (Special:Export, dumps) -> one child document per
// page (defined in mediawiki_extractor.cpp).
//
// Not an extractor of its own kind: the XML extractor (xml_extractor.cpp)
// parses the file once, safely, and hands a tree whose root element is
// <mediawiki> (any export schema version) here.
//
// Each <page> becomes a ChildDocument, the way archive members and email
// attachments do: name "<title>.md" ('/' and '\' in the title as '_', a
// repeated name numbered), bytes the page as Markdown led by its title as
// a level-1 heading, metadata "source_format" = "mediawiki", "wiki_title",
// "wiki_namespace", "wiki_page_id", "modified" (the revision's
// timestamp), "contributor", "redirect" (the target, for redirect pages),
// and the export's "site", "wiki_db", "language". So each page is
// retrieved, titled, chunked and cited on its own, and a dump of a
// thousand pages is not one document whose chunks mix them. Of several
// revisions the newest non-empty one (by <timestamp>, the later one on
// ties) is used. The export itself lists its pages (a heading and one list
// item per title), titled "MediaWiki export" (": <site name>" when known).
//
// Wikitext is converted line by line, after comments, <ref>s and templates
// ({{...}}, nested) are dropped:
//   - "== h ==" headings, level = number of '=' (capped at 6);
//   - "*", "#" list items with depth = prefix length - 1 (ordered for '#'),
//     ";" terms and ":" indented lines as paragraphs;
//   - "{| ... |}" tables (rows "|-", cells "|" / "||", header cells "!" /
//     "!!", cell attributes before a single "|" dropped, "|+" caption) as
//     tables; nested tables make the whole table paragraphs of its text;
//   - lines starting with a space as code; "----" dropped;
//   - other lines joined into paragraphs, split at blank lines.
// Inline: '''bold''' -> **bold**, ''italic'' -> *italic*; links show the
// text MediaWiki shows ([[Page|text]] -> text, [[Page]] -> Page,
// [[Help:Page (x)|]] -> Page, [[bus]]es -> buses, [[:Category:X]] ->
// Category:X) and are Markdown links exactly when a URL is known: always
// for [http://x text] -> [text](http://x), and for internal links when the
// export's <siteinfo><base> gives the wiki's article path
// ([[Page|text]] -> [text](https://site/wiki/Page)). [[File:...]],
// [[Category:...]] and [[Media:...]] are dropped; other HTML tags are
// dropped (content kept); entities are as the XML parser decoded them.
//
// Thread-safe; nothing here throws.
#pragma once

#include <libxml/tree.h>

#include "core/element.h"
#include "core/status.h"

namespace smelter {

// Renders the export under `root` (a <mediawiki> element) into `doc`: its
// page list as elements, its pages as doc->children.
Status RenderMediaWikiExport(const xmlNode* root, ExtractedDocument* doc);

}  // namespace smelter
