// Status and Result<T>: the error channel of every layer. A Status is either OK (costs one null
// pointer) or an error carrying a PostgreSQL SQLSTATE, a message, and optional ErrorResponse
// fields (detail, hint, context, cursor position). SQLSTATEs are chosen where a failure is
// understood; session/error_mapper.cc is the only place that turns a Status into wire bytes.
// Thread-safety: values; no shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pgw {

enum class Severity : uint8_t { kError, kFatal, kPanic, kWarning, kNotice, kInfo, kLog, kDebug };

std::string_view SeverityName(Severity s);

struct ErrorInfo {
  std::string sqlstate;  // five characters, e.g. "42P01"
  std::string message;
  std::string detail;
  std::string hint;
  std::string context;
  int position = 0;  // 1-based character position in the query, 0 = none
  Severity severity = Severity::kError;
  // A lock wait that gave up early: the statement changed nothing and may be retried later
  // (the session retries without holding a backend thread; see ProtocolSession::Step).
  bool retryable = false;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(const Status& o) : rep_(o.rep_ ? std::make_unique<ErrorInfo>(*o.rep_) : nullptr) {}
  Status& operator=(const Status& o) {
    if (this != &o) rep_ = o.rep_ ? std::make_unique<ErrorInfo>(*o.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status Error(std::string_view sqlstate, std::string message);
  static Status FromInfo(ErrorInfo info);

  bool ok() const { return rep_ == nullptr; }
  // REQUIRES: !ok()
  const ErrorInfo& info() const { return *rep_; }
  ErrorInfo& mutable_info() { return *rep_; }
  std::string_view sqlstate() const { return rep_ ? std::string_view(rep_->sqlstate) : "00000"; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  bool retryable() const { return rep_ && rep_->retryable; }

  // Builder-style decorations; no-ops on OK.
  Status&& WithDetail(std::string d) &&;
  Status&& WithHint(std::string h) &&;
  Status&& WithContext(std::string c) &&;
  Status&& WithPosition(int pos) &&;
  Status&& WithSeverity(Severity s) &&;

  std::string ToString() const;  // "ERROR 42P01: relation ... " for logs and tests

 private:
  std::unique_ptr<ErrorInfo> rep_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // OK status when ok().
  Status status() const { return ok() ? Status() : std::get<1>(v_); }
  Status&& take_status() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pgw

#define PGW_CONCAT_INNER(a, b) a##b
#define PGW_CONCAT(a, b) PGW_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` (a Status) is not OK.
#define PGW_RETURN_IF_ERROR(expr)                 \
  do {                                            \
    ::pgw::Status pgw_status_ = (expr);           \
    if (!pgw_status_.ok()) return pgw_status_;    \
  } while (0)

// PGW_TRY(auto x, ResultExpr()): declares x from a Result<T>, or returns its Status.
#define PGW_TRY(decl, expr) PGW_TRY_IMPL(PGW_CONCAT(pgw_result_, __LINE__), decl, expr)
#define PGW_TRY_IMPL(tmp, decl, expr)                   \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).take_status();   \
  decl = std::move(tmp).value()
