// Internal to src/types: the shared tokenizer behind date, time, timestamp and timestamptz input
// (ISO "2024-01-02 03:04:05.5+02", "20240102", "01/02/2024" in MDY order, "T" separator, BC).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace pgw::codec {

struct DateTimeFields {
  enum class Special : uint8_t { kNone, kInfinity, kNegInfinity, kEpoch };
  Special special = Special::kNone;
  bool has_date = false;
  int64_t year = 0;  // astronomical: 1 BC is 0
  int month = 0;
  int day = 0;
  bool has_time = false;
  int64_t time_usec = 0;  // since midnight; 24:00:00 allowed
  bool has_zone = false;
  int zone_seconds = 0;  // east of UTC
};

// kMonthDayRange: PostgreSQL's DTERR_MD_FIELD_OVERFLOW (month > 12 or day > 31), reported with
// a DateStyle hint.
enum class DateTimeError : uint8_t {
  kNone,
  kSyntax,
  kFieldRange,
  kMonthDayRange,
  kZoneRange,
  kUnknownZone
};

// Tokenizes `s` (already trimmed). Field ranges (month, day of month, hour...) are checked.
DateTimeError ParseDateTimeFields(std::string_view s, DateTimeFields* out);

// "YYYY-MM-DD" exactly, year 0001 to 9999, a day the month has (the form dates are stored and
// printed in): sets *days since 2000-01-01. False for anything else, which the full parser then
// reads. The fast path for the dates of every COPY row.
bool ParseIsoDate(std::string_view s, int64_t* days);

// Days since 2000-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, int month, int day);
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

}  // namespace pgw::codec
