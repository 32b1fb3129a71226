// MBOX -> elements with GMime 3's mbox parser.
//
// Each message, in file order, becomes a level-2 heading (its subject),
// its header block and its body, as the EML extractor writes them (see
// AppendMimeMessage in eml_extractor.cpp). metadata["message_count"] holds
// the number of messages read. Every message's attachments become children,
// each with its own message's subject, sender and date.
#include <gmime/gmime.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "extract/email_common.h"
#include "extract/extractor.h"
#include "extract/text_decode.h"
#include "extract/text_util.h"

namespace smelter {

namespace {

// Guards against pathological inputs; far above any real mailbox export
// that fits the size limit.
constexpr int kMaxMessages = 1000000;

class MboxExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "mbox"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    EnsureGMimeInitialized();
    std::string_view bytes = input.bytes;
    ExtractedDocument doc;
    std::string utf8;
    SMELTER_RETURN_IF_ERROR(DecodeWideMail(&bytes, &utf8, &doc.source_encoding));
    if (text_util::IsBlank(bytes)) return Status::Empty("blank mailbox");

    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream);  // the parser holds its own reference
    g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
    const uint64_t max_child = input.options ? input.options->archive_max_member_bytes : UINT64_MAX;
    int count = 0;
    int encrypted = 0;
    while (!g_mime_parser_eos(parser) && count < kMaxMessages) {
      GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
      if (!message) break;
      ++count;
      if (AppendMimeMessage(message, true, &doc, max_child)) ++encrypted;
      g_object_unref(message);
    }
    g_object_unref(parser);

    if (count == 0) return Status::Corrupt("no messages in the mailbox");
    doc.metadata["message_count"] = std::to_string(count);
    if (encrypted == count) return Status::Encrypted("every message body is encrypted");
    const bool has_text = std::any_of(doc.elements.begin(), doc.elements.end(),
                                      [](const Element& e) { return !text_util::IsBlank(e.text); });
    if (!has_text) return Status::Empty("no text in the mailbox");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeMboxExtractor() { return std::make_unique<MboxExtractor>(); }

}  // namespace smelter
