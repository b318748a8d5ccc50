// Clock readings and PostgreSQL storage-form timestamps for the SQLite dialect's time functions
// (pgw_now, pgw_current_date, ...). Pure helpers except NowMicros(), which reads the system
// clock. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace pgw {

// Microseconds since the Unix epoch (UTC).
int64_t NowMicros();

// timestamptz storage form: "YYYY-MM-DD HH:MM:SS[.ffffff]+00", trailing fraction zeros trimmed
// as PostgreSQL prints them.
std::string FormatTimestamptz(int64_t micros);

// date storage form "YYYY-MM-DD" (UTC).
std::string FormatDate(int64_t micros);

}  // namespace pgw
