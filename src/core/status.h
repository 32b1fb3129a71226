// Status and Result<T>: errors as values.
//
// Every call that can fail for reasons outside the program's control (a bad
// file, a full disk, a missing table) returns a Status or a Result<T>.
// Exceptions are reserved for bugs and must not escape a pipeline stage.
//
// A Status carries a code, which callers branch on, and a one-line message
// for people. The quarantine reason of a document is derived from the code
// (see QuarantineReason), so codes are chosen to name what went wrong with
// the input, not where in the code it happened.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace smelter {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kInvalidArgument,
    kIOError,
    kCorrupt,        // the input is malformed or truncated
    kEncrypted,      // the input needs a password
    kEmpty,          // the input holds no text
    kUnsupported,    // no extractor handles this type (yet)
    kTooLarge,       // the input exceeds a configured limit
    kTimeout,        // a per-document time limit was hit
    kParserCrashed,  // a parser failed in a way it should not have
    kMemoryLimit,    // a per-document memory limit was hit
    kTooDeep,        // nested deeper than allowed (archives in archives)
    kRejected,       // failed a data-quality rule set to "reject"
    kInternal,       // a bug in Smelter
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Corrupt(std::string msg) { return Status(Code::kCorrupt, std::move(msg)); }
  static Status Encrypted(std::string msg) { return Status(Code::kEncrypted, std::move(msg)); }
  static Status Empty(std::string msg) { return Status(Code::kEmpty, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status TooLarge(std::string msg) { return Status(Code::kTooLarge, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }
  static Status ParserCrashed(std::string msg) { return Status(Code::kParserCrashed, std::move(msg)); }
  static Status MemoryLimit(std::string msg) { return Status(Code::kMemoryLimit, std::move(msg)); }
  static Status TooDeep(std::string msg) { return Status(Code::kTooDeep, std::move(msg)); }
  static Status Rejected(std::string msg) { return Status(Code::kRejected, std::move(msg)); }
  // For a status that crossed a process boundary as (code, message).
  static Status FromCode(Code code, std::string msg) {
    return code == Code::kOk ? Status() : Status(code, std::move(msg));
  }
  static constexpr Code kLastCode = Code::kRejected;
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "corrupt: xref table missing" -- code name, then the message.
  std::string ToString() const;

  // The short, stable reason used for quarantine counts: "corrupt",
  // "encrypted", "empty", "unsupported type", "too large", "timeout",
  // "parser crashed", "memory limit", "too deeply nested", ...
  std::string_view QuarantineReason() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result constructed from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace smelter

// Propagate a non-OK Status to the caller.
#define SMELTER_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::smelter::Status _st = (expr);              \
    if (!_st.ok()) return _st;                   \
  } while (0)
