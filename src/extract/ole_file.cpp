#include "extract/ole_file.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>

#include <mutex>

namespace smelter::ole {

namespace {

void InitGsfOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    gsf_init();
    // libgsf logs damage in a container before returning an error; the
    // caller's Status says it instead.
    g_log_set_handler("libgsf:msole", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL),
                      [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
  });
}

}  // namespace

void GObjectUnref::operator()(void* p) const {
  if (p) g_object_unref(p);
}

Result<InfilePtr> Open(std::string_view bytes) {
  InitGsfOnce();
  if (bytes.size() < 512 || !bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)))
    return Status::Corrupt("not an OLE2 compound file");
  InputPtr source(gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                       static_cast<gsf_off_t>(bytes.size()), FALSE));
  if (!source) return Status::Internal("cannot wrap the input");
  GError* error = nullptr;
  InfilePtr ole(gsf_infile_msole_new(source.get(), &error));  // holds its own reference to source
  if (!ole) {
    std::string message = error && error->message ? error->message : "unreadable OLE2 container";
    if (error) g_error_free(error);
    return Status::Corrupt(message);
  }
  return ole;
}

std::string ReadAll(GsfInput* input) {
  const gsf_off_t size = gsf_input_size(input);
  if (size <= 0 || static_cast<uint64_t>(size) > kMaxStreamBytes) return "";
  std::string out(static_cast<size_t>(size), '\0');
  if (!gsf_input_seek(input, 0, G_SEEK_SET) &&
      gsf_input_read(input, static_cast<size_t>(size), reinterpret_cast<guint8*>(out.data()))) {
    return out;
  }
  return "";
}

std::string ReadStream(GsfInfile* ole, const char* name) {
  InputPtr child(gsf_infile_child_by_name(ole, name));
  return child ? ReadAll(child.get()) : std::string();
}

}  // namespace smelter::ole
