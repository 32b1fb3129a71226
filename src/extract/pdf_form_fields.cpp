// Filled-in PDF form fields through poppler-glib. See pdf_form_fields.h.
#include "extract/pdf_form_fields.h"

#include <glib.h>
#include <poppler.h>
#include <string.h>

#include <climits>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "extract/text_util.h"

namespace smelter {
namespace {

// poppler-glib reports odd files through g_warning / g_critical in its
// "Poppler" log domain; on fuzzed input that is noise on stderr for every
// file, and the caller only wants the values or an error.
void SilenceGlibPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_log_set_handler("Poppler", static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION),
                      [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
  });
}

// Owners for the glib objects, so that every exit frees them.
struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
struct GFree {
  void operator()(gchar* text) const { g_free(text); }
};
struct GBytesUnref {
  void operator()(GBytes* bytes) const { g_bytes_unref(bytes); }
};
struct GErrorFree {
  void operator()(GError* error) const { g_error_free(error); }
};
struct MappingFree {
  void operator()(GList* list) const { poppler_page_free_form_field_mapping(list); }
};
using DocumentPtr = std::unique_ptr<PopplerDocument, GObjectUnref>;
using PagePtr = std::unique_ptr<PopplerPage, GObjectUnref>;
using MappingPtr = std::unique_ptr<GList, MappingFree>;

// Takes ownership of a g_malloc'ed string. Labels and values become one
// line: newlines, tabs and other controls turn into single spaces, so they
// fit a table cell.
std::string TakeText(gchar* raw) {
  std::unique_ptr<gchar, GFree> owned(raw);
  if (!raw) return "";
  std::string out;
  bool space = false;
  for (const char* c = raw; *c; ++c) {
    const auto u = static_cast<unsigned char>(*c);
    if (u < 0x20 || u == 0x7F || u == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(*c);
  }
  return out;
}

std::string FieldName(PopplerFormField* field) {
  std::string name = TakeText(poppler_form_field_get_alternate_ui_name(field));
  if (name.empty()) name = TakeText(poppler_form_field_get_partial_name(field));
  if (name.empty()) name = TakeText(poppler_form_field_get_name(field));
  return name;
}

// The field's value as text; empty when it has none worth reporting.
std::string FieldValue(PopplerFormField* field) {
  switch (poppler_form_field_get_field_type(field)) {
    case POPPLER_FORM_FIELD_TEXT:
      return TakeText(poppler_form_field_text_get_text(field));
    case POPPLER_FORM_FIELD_BUTTON: {
      const PopplerFormButtonType type = poppler_form_field_button_get_button_type(field);
      if (type == POPPLER_FORM_BUTTON_PUSH) return "";
      return poppler_form_field_button_get_state(field) ? "yes" : "";
    }
    case POPPLER_FORM_FIELD_CHOICE: {
      std::string joined;
      const gint items = poppler_form_field_choice_get_n_items(field);
      for (gint index = 0; index < items; ++index) {
        if (!poppler_form_field_choice_is_item_selected(field, index)) continue;
        std::string item = TakeText(poppler_form_field_choice_get_item(field, index));
        if (item.empty()) continue;
        if (!joined.empty()) joined += ", ";
        joined += item;
      }
      // An editable combo box may hold typed text that is no listed item.
      if (joined.empty() && poppler_form_field_choice_get_choice_type(field) == POPPLER_FORM_CHOICE_COMBO) {
        joined = TakeText(poppler_form_field_choice_get_text(field));
      }
      return joined;
    }
    case POPPLER_FORM_FIELD_SIGNATURE:
    case POPPLER_FORM_FIELD_UNKNOWN:
      break;
  }
  return "";
}

}  // namespace

Result<std::vector<PdfFormField>> ReadPdfFormFields(std::string_view pdf_bytes, const std::string& password) {
  static constexpr std::string_view kMarker = "/AcroForm";
  if (memmem(pdf_bytes.data(), pdf_bytes.size(), kMarker.data(), kMarker.size()) == nullptr) {
    return std::vector<PdfFormField>{};
  }
  if (pdf_bytes.size() > static_cast<size_t>(INT_MAX)) return Status::TooLarge("PDF over 2 GiB");
  SilenceGlibPoppler();

  // g_bytes_new_static borrows the caller's buffer: no copy; the document
  // (and with it the GBytes) is gone before we return.
  std::unique_ptr<GBytes, GBytesUnref> bytes(g_bytes_new_static(pdf_bytes.data(), pdf_bytes.size()));
  GError* raw_error = nullptr;
  DocumentPtr document(poppler_document_new_from_bytes(bytes.get(), password.c_str(), &raw_error));
  std::unique_ptr<GError, GErrorFree> error(raw_error);
  if (!document) {
    if (error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED) {
      return Status::Encrypted("PDF needs a password");
    }
    return Status::Corrupt(error && error->message ? error->message : "not a readable PDF");
  }

  std::vector<PdfFormField> fields;
  const int pages = poppler_document_get_n_pages(document.get());
  for (int index = 0; index < pages; ++index) {
    PagePtr page(poppler_document_get_page(document.get(), index));
    if (!page) continue;
    MappingPtr mapping(poppler_page_get_form_field_mapping(page.get()));
    // A field with several widgets on one page (a value repeated in two
    // places) is one row; the same name with another value is kept.
    std::set<std::pair<std::string, std::string>> seen;
    for (GList* node = mapping.get(); node; node = node->next) {
      const auto* map = static_cast<const PopplerFormFieldMapping*>(node->data);
      if (!map || !map->field) continue;
      std::string value = FieldValue(map->field);
      if (value.empty()) continue;
      std::string name = FieldName(map->field);
      if (!seen.emplace(name, value).second) continue;
      fields.push_back(PdfFormField{index + 1, std::move(name), std::move(value)});
    }
  }
  return fields;
}

}  // namespace smelter
