// Pieces shared by the EML, MBOX and MSG extractors (defined in
// eml_extractor.cpp).
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/element.h"
#include "core/status.h"

namespace smelter {

// g_mime_init(), once per process, thread-safely.
void EnsureGMimeInitialized();

// Appends one message; returns true when its body is encrypted and unreadable.
// Its attachments (parts with Content-Disposition: attachment, or a file
// name and no disposition, and attached messages as .eml) also become
// doc->children (see MakeAttachmentChild); parts marked inline and
// pictures the HTML body shows through "cid:" do not.
// Attachments larger than max_child_bytes are listed but not kept.
bool AppendMimeMessage(GMimeMessage* message, bool subject_as_heading, ExtractedDocument* doc,
                       uint64_t max_child_bytes = UINT64_MAX);

// An attachment as a child document of the mail: named by the file name's
// last path component ("invoice.pdf"; "attachment" when empty), made unique
// among doc's children ("invoice (2).pdf"), with metadata "parent_subject",
// "from", "date" (those not empty) and "attachment" = "true".
ChildDocument MakeAttachmentChild(const ExtractedDocument& doc, std::string_view name, std::string bytes,
                                  const std::string& subject, const std::string& from, const std::string& date);

std::string FormatAttachmentSize(size_t bytes);

// An RFC 5322 date ("Fri, 16 Dec 2022 17:04:16 -0500") as ISO 8601, or "".
std::string RfcDateToIso(const std::string& date);

// Mail saved as UTF-16/32 (with or without a BOM) is decoded to UTF-8 before
// GMime sees it: *bytes then points into *storage and *encoding names the
// source encoding. Other input is left as it is.
Status DecodeWideMail(std::string_view* bytes, std::string* storage, std::string* encoding);

}  // namespace smelter
