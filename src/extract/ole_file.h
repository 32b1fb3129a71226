// OLE2 compound files (Word/Excel/PowerPoint 97-2003, Outlook MSG) through
// libgsf: the one place that initialises libgsf, quiets its damage
// warnings (callers report a Status instead) and opens a container from
// memory. Used by type detection and by the MSG and legacy Office
// extractors.
#pragma once

#include <gsf/gsf-infile.h>
#include <gsf/gsf-input.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace smelter::ole {

struct GObjectUnref {
  void operator()(void* p) const;
};
using InputPtr = std::unique_ptr<GsfInput, GObjectUnref>;
using InfilePtr = std::unique_ptr<GsfInfile, GObjectUnref>;

// A stream larger than this is treated as unreadable (a bound on memory).
constexpr size_t kMaxStreamBytes = 256u << 20;

// The container in `bytes` (which must outlive it). kCorrupt, with
// libgsf's message, when the bytes are not a readable OLE2 file.
Result<InfilePtr> Open(std::string_view bytes);

// The whole of a stream, or "" when it is empty, unreadable or larger
// than kMaxStreamBytes.
std::string ReadAll(GsfInput* input);

// A top-level stream of the container by name, or "" when absent.
std::string ReadStream(GsfInfile* ole, const char* name);

}  // namespace smelter::ole
