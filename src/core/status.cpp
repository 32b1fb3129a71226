#include "core/status.h"

namespace smelter {

std::string_view CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kInvalidArgument: return "invalid argument";
    case Status::Code::kIOError: return "io error";
    case Status::Code::kCorrupt: return "corrupt";
    case Status::Code::kEncrypted: return "encrypted";
    case Status::Code::kEmpty: return "empty";
    case Status::Code::kUnsupported: return "unsupported type";
    case Status::Code::kTooLarge: return "too large";
    case Status::Code::kTimeout: return "timeout";
    case Status::Code::kParserCrashed: return "parser crashed";
    case Status::Code::kMemoryLimit: return "memory limit";
    case Status::Code::kTooDeep: return "too deeply nested";
    case Status::Code::kRejected: return "quality rules";
    case Status::Code::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(CodeName(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

std::string_view Status::QuarantineReason() const { return CodeName(code_); }

}  // namespace smelter
