#include "session/error_mapper.h"

#include "common/sqlstate.h"
#include "protocol/backend_messages.h"

namespace pgw {
namespace {

ErrorInfo Normalized(const Status& status, Severity severity) {
  ErrorInfo info = status.info();
  if (info.sqlstate.size() != 5) info.sqlstate = sqlstate::kInternalError;
  info.severity = severity;
  return info;
}

}  // namespace

void AppendError(const Status& status, std::string* out) {
  Severity sev = status.info().severity;
  if (sev != Severity::kFatal && sev != Severity::kPanic) sev = Severity::kError;
  AppendErrorResponse(Normalized(status, sev), out);
}

void AppendFatal(const Status& status, std::string* out) {
  AppendErrorResponse(Normalized(status, Severity::kFatal), out);
}

void AppendNotice(const Status& status, std::string* out) {
  Severity sev = status.info().severity;
  if (sev == Severity::kError || sev == Severity::kFatal || sev == Severity::kPanic) {
    sev = Severity::kNotice;
  }
  AppendNoticeResponse(Normalized(status, sev), out);
}

}  // namespace pgw
