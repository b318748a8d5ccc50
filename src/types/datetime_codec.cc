// date, time, timestamp and timestamptz: text input (via datetime_fields), ISO text output as
// PostgreSQL prints it with DateStyle=ISO and TimeZone=UTC, and typmod precision rounding.
#include <climits>
#include <cstdio>
#include <string>

#include "common/sqlstate.h"
#include "types/codec_internal.h"
#include "types/datetime_fields.h"

namespace pgw::codec {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerDay = 86400 * kUsecPerSec;
constexpr int64_t kEpochDays = -10957;  // 1970-01-01 relative to 2000-01-01
// Valid ranges as in PostgreSQL: dates from 4714-11-24 BC (Julian day 0) to 5874897-12-31;
// timestamps to 294276-12-31.
constexpr int64_t kMinDate = -2451545;
constexpr int64_t kMaxDateExclusive = 2145031948;          // 5874898-01-01
constexpr int64_t kMaxTimestampDaysExclusive = 106741034;  // 294277-01-01
constexpr int kMaxPrecision = 6;

Status FieldError(DateTimeError e, std::string_view type_name, std::string_view input) {
  switch (e) {
    case DateTimeError::kFieldRange:
      return Status::Error(sqlstate::kDatetimeFieldOverflow,
                           "date/time field value out of range: \"" + std::string(input) + "\"");
    case DateTimeError::kMonthDayRange:
      return Status::Error(sqlstate::kDatetimeFieldOverflow,
                           "date/time field value out of range: \"" + std::string(input) + "\"")
          .WithHint("Perhaps you need a different \"datestyle\" setting.");
    case DateTimeError::kZoneRange:
      return Status::Error("22009",
                           "time zone displacement out of range: \"" + std::string(input) + "\"");
    case DateTimeError::kUnknownZone:
    case DateTimeError::kSyntax:
    case DateTimeError::kNone:
      break;
  }
  return InvalidSyntax(type_name, input, sqlstate::kInvalidDatetimeFormat);
}

Status OutOfRange(const char* what, std::string_view input) {
  return Status::Error(sqlstate::kDatetimeFieldOverflow,
                       std::string(what) + " out of range: \"" + std::string(input) + "\"");
}

// v in decimal, zero-padded to `width` characters as printf's %0*lld does, without its cost:
// dates and times are formatted for every row a COPY or a query returns.
void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  int n = 0;
  uint64_t u = static_cast<uint64_t>(v < 0 ? -v : v);
  do {
    buf[sizeof(buf) - 1 - n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  while (n < width - (v < 0 ? 1 : 0)) buf[sizeof(buf) - 1 - n++] = '0';
  if (v < 0) out->push_back('-');
  out->append(buf + sizeof(buf) - n, static_cast<size_t>(n));
}

// "HH:MM:SS" plus ".ffffff" with trailing zeros trimmed.
void AppendClock(int64_t usec, std::string* out) {
  int64_t sec = usec / kUsecPerSec;
  int64_t frac = usec % kUsecPerSec;
  AppendPadded(sec / 3600, 2, out);
  out->push_back(':');
  AppendPadded(sec / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(sec % 60, 2, out);
  if (frac != 0) {
    std::string digits;
    AppendPadded(frac, 6, &digits);
    size_t len = digits.size();
    while (len > 0 && digits[len - 1] == '0') --len;
    out->push_back('.');
    out->append(digits, 0, len);
  }
}

// Appends "YYYY-MM-DD" and returns whether the date is BC (the caller places " BC").
bool AppendCivilDate(int64_t days, std::string* out) {
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  AppendPadded(bc ? 1 - y : y, 4, out);
  out->push_back('-');
  AppendPadded(m, 2, out);
  out->push_back('-');
  AppendPadded(d, 2, out);
  return bc;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool IsIsoDate(std::string_view s) {
  int64_t days = 0;
  return ParseIsoDate(s, &days);
}

Result<int32_t> ParseDate(std::string_view input) {
  int64_t iso = 0;
  if (ParseIsoDate(input, &iso)) return static_cast<int32_t>(iso);
  std::string_view s = TrimSpaces(input);
  DateTimeFields f;
  DateTimeError e = ParseDateTimeFields(s, &f);
  if (e != DateTimeError::kNone) return FieldError(e, "date", input);
  switch (f.special) {
    case DateTimeFields::Special::kInfinity:
      return INT32_MAX;
    case DateTimeFields::Special::kNegInfinity:
      return INT32_MIN;
    case DateTimeFields::Special::kEpoch:
      return static_cast<int32_t>(kEpochDays);
    case DateTimeFields::Special::kNone:
      break;
  }
  if (!f.has_date) return InvalidSyntax("date", input, sqlstate::kInvalidDatetimeFormat);
  int64_t days = DaysFromCivil(f.year, f.month, f.day);
  if (days < kMinDate || days >= kMaxDateExclusive) return OutOfRange("date", input);
  return static_cast<int32_t>(days);
}

Result<int64_t> ParseTime(std::string_view input) {
  std::string_view s = TrimSpaces(input);
  DateTimeFields f;
  DateTimeError e = ParseDateTimeFields(s, &f);
  if (e != DateTimeError::kNone) return FieldError(e, "time", input);
  if (f.special != DateTimeFields::Special::kNone || !f.has_time) {
    return InvalidSyntax("time", input, sqlstate::kInvalidDatetimeFormat);
  }
  if (f.time_usec > kUsecPerDay) return FieldError(DateTimeError::kFieldRange, "time", input);
  return f.time_usec;
}

Result<int64_t> ParseTimestamp(std::string_view input, bool with_tz) {
  const char* name = with_tz ? "timestamp with time zone" : "timestamp";
  std::string_view s = TrimSpaces(input);
  DateTimeFields f;
  DateTimeError e = ParseDateTimeFields(s, &f);
  if (e == DateTimeError::kUnknownZone) {
    return InvalidSyntax(name, input, sqlstate::kInvalidDatetimeFormat);
  }
  if (e != DateTimeError::kNone) return FieldError(e, name, input);
  switch (f.special) {
    case DateTimeFields::Special::kInfinity:
      return INT64_MAX;
    case DateTimeFields::Special::kNegInfinity:
      return INT64_MIN;
    case DateTimeFields::Special::kEpoch:
      return kEpochDays * kUsecPerDay;
    case DateTimeFields::Special::kNone:
      break;
  }
  if (!f.has_date) return InvalidSyntax(name, input, sqlstate::kInvalidDatetimeFormat);
  int64_t days = DaysFromCivil(f.year, f.month, f.day);
  if (days < kMinDate || days >= kMaxTimestampDaysExclusive) return OutOfRange("timestamp", input);
  int64_t usec = days * kUsecPerDay + f.time_usec;
  if (with_tz && f.has_zone) usec -= static_cast<int64_t>(f.zone_seconds) * kUsecPerSec;
  return usec;
}

void AppendDate(int32_t days, std::string* out) {
  if (days == INT32_MAX) {
    out->append("infinity");
    return;
  }
  if (days == INT32_MIN) {
    out->append("-infinity");
    return;
  }
  if (AppendCivilDate(days, out)) out->append(" BC");
}

void AppendTime(int64_t usec, std::string* out) { AppendClock(usec, out); }

void AppendTimestamp(int64_t usec, bool with_tz, std::string* out) {
  if (usec == INT64_MAX) {
    out->append("infinity");
    return;
  }
  if (usec == INT64_MIN) {
    out->append("-infinity");
    return;
  }
  int64_t days = FloorDiv(usec, kUsecPerDay);
  bool bc = AppendCivilDate(days, out);
  out->push_back(' ');
  AppendClock(usec - days * kUsecPerDay, out);
  if (with_tz) out->append("+00");
  if (bc) out->append(" BC");
}

int64_t RoundToPrecision(int64_t usec, int32_t precision) {
  if (precision < 0 || precision >= kMaxPrecision || usec == INT64_MAX || usec == INT64_MIN) {
    return usec;
  }
  int64_t scale = 1;
  for (int i = precision; i < kMaxPrecision; ++i) scale *= 10;
  if (usec >= 0) return (usec + scale / 2) / scale * scale;
  return -(((-usec) + scale / 2) / scale * scale);
}

}  // namespace pgw::codec
