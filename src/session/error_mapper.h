// The one place where a Status becomes wire bytes (ErrorResponse / NoticeResponse). Every layer
// below chooses its SQLSTATE where the failure is understood; this file only renders, and
// fills in the defaults PostgreSQL clients rely on (a SQLSTATE is always present).
#pragma once

#include <string>

#include "common/status.h"

namespace pgw {

// Appends an ErrorResponse for `status` (REQUIRES !status.ok()).
void AppendError(const Status& status, std::string* out);
// Appends a FATAL ErrorResponse (the connection closes after it).
void AppendFatal(const Status& status, std::string* out);
// Appends a NoticeResponse with `severity` (WARNING, NOTICE, ...).
void AppendNotice(const Status& status, std::string* out);

}  // namespace pgw
