// Timestamps in storage form for the SQLite dialect's time functions.
#include "backend/sqlite/sqlite_time.h"

#include <chrono>
#include <cstdio>

namespace pgw {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// Floor division, so instants before 1970 land on the right day.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void AppendDate(int64_t days, std::string* out) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  *out += buf;
}

}  // namespace

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTimestamptz(int64_t micros) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t in_day = micros - days * kMicrosPerDay;
  int64_t secs = in_day / kMicrosPerSecond;
  int64_t frac = in_day % kMicrosPerSecond;
  std::string out;
  AppendDate(days, &out);
  char buf[32];
  std::snprintf(buf, sizeof(buf), " %02d:%02d:%02d", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  out += buf;
  if (frac != 0) {
    std::snprintf(buf, sizeof(buf), ".%06d", static_cast<int>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += "+00";
  return out;
}

std::string FormatDate(int64_t micros) {
  std::string out;
  AppendDate(FloorDiv(micros, kMicrosPerDay), &out);
  return out;
}

}  // namespace pgw
