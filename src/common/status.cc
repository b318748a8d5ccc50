#include "common/status.h"

#include <fmt/format.h>

namespace pgw {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "ERROR";
    case Severity::kFatal: return "FATAL";
    case Severity::kPanic: return "PANIC";
    case Severity::kWarning: return "WARNING";
    case Severity::kNotice: return "NOTICE";
    case Severity::kInfo: return "INFO";
    case Severity::kLog: return "LOG";
    case Severity::kDebug: return "DEBUG";
  }
  return "ERROR";
}

Status Status::Error(std::string_view sqlstate, std::string message) {
  ErrorInfo info;
  info.sqlstate = std::string(sqlstate);
  info.message = std::move(message);
  return FromInfo(std::move(info));
}

Status Status::FromInfo(ErrorInfo info) {
  Status s;
  s.rep_ = std::make_unique<ErrorInfo>(std::move(info));
  return s;
}

Status&& Status::WithDetail(std::string d) && {
  if (rep_) rep_->detail = std::move(d);
  return std::move(*this);
}
Status&& Status::WithHint(std::string h) && {
  if (rep_) rep_->hint = std::move(h);
  return std::move(*this);
}
Status&& Status::WithContext(std::string c) && {
  if (rep_) rep_->context = std::move(c);
  return std::move(*this);
}
Status&& Status::WithPosition(int pos) && {
  if (rep_) rep_->position = pos;
  return std::move(*this);
}
Status&& Status::WithSeverity(Severity s) && {
  if (rep_) rep_->severity = s;
  return std::move(*this);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return fmt::format("{} {}: {}", SeverityName(rep_->severity), rep_->sqlstate, rep_->message);
}

}  // namespace pgw
