// interval: text input in the postgres style ("1 year 2 mons 3 days 04:05:06", "@ 1 hour ago",
// "2 hours 3 minutes", "01:02:03", bare seconds) and ISO 8601 ("P1Y2M3DT4H5M6S"); text output in
// IntervalStyle=postgres, as EncodeInterval prints it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "common/sqlstate.h"
#include "types/codec_internal.h"

namespace pgw::codec {
namespace {

constexpr double kUsecPerSec = 1e6;
constexpr double kUsecPerMinute = 60 * kUsecPerSec;
constexpr double kUsecPerHour = 3600 * kUsecPerSec;
constexpr double kUsecPerDay = 86400 * kUsecPerSec;
constexpr int kDaysPerMonth = 30;
constexpr int kMaxIntervalTokens = 64;

enum class Unit : uint8_t {
  kUsec,
  kMsec,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kNone
};

struct UnitName {
  const char* name;
  Unit unit;
};
// clang-format off
constexpr UnitName kUnits[] = {
    {"microsecond", Unit::kUsec}, {"microseconds", Unit::kUsec}, {"us", Unit::kUsec},
    {"usec", Unit::kUsec}, {"usecs", Unit::kUsec}, {"useconds", Unit::kUsec},
    {"millisecond", Unit::kMsec}, {"milliseconds", Unit::kMsec}, {"ms", Unit::kMsec},
    {"msec", Unit::kMsec}, {"msecs", Unit::kMsec}, {"mseconds", Unit::kMsec},
    {"second", Unit::kSecond}, {"seconds", Unit::kSecond}, {"s", Unit::kSecond},
    {"sec", Unit::kSecond}, {"secs", Unit::kSecond},
    {"minute", Unit::kMinute}, {"minutes", Unit::kMinute}, {"m", Unit::kMinute},
    {"min", Unit::kMinute}, {"mins", Unit::kMinute},
    {"hour", Unit::kHour}, {"hours", Unit::kHour}, {"h", Unit::kHour}, {"hr", Unit::kHour},
    {"hrs", Unit::kHour},
    {"day", Unit::kDay}, {"days", Unit::kDay}, {"d", Unit::kDay},
    {"week", Unit::kWeek}, {"weeks", Unit::kWeek}, {"w", Unit::kWeek},
    {"month", Unit::kMonth}, {"months", Unit::kMonth}, {"mon", Unit::kMonth},
    {"mons", Unit::kMonth},
    {"year", Unit::kYear}, {"years", Unit::kYear}, {"y", Unit::kYear}, {"yr", Unit::kYear},
    {"yrs", Unit::kYear},
    {"decade", Unit::kDecade}, {"decades", Unit::kDecade}, {"dec", Unit::kDecade},
    {"decs", Unit::kDecade},
    {"century", Unit::kCentury}, {"centuries", Unit::kCentury}, {"c", Unit::kCentury},
    {"cent", Unit::kCentury},
    {"millennium", Unit::kMillennium}, {"millennia", Unit::kMillennium},
    {"mil", Unit::kMillennium}, {"mils", Unit::kMillennium},
};
// clang-format on

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

Unit LookupUnit(std::string_view word) {
  std::string lower;
  for (char c : word) lower.push_back(Lower(c));
  for (const UnitName& u : kUnits) {
    if (lower == u.name) return u.unit;
  }
  return Unit::kNone;
}

// Accumulates fields in wide types; checked against interval's ranges at the end.
struct Accum {
  double months = 0;
  double days = 0;
  double usec = 0;

  void Add(Unit unit, double v) {
    switch (unit) {
      case Unit::kUsec:
        usec += v;
        break;
      case Unit::kMsec:
        usec += v * 1000;
        break;
      case Unit::kSecond:
        usec += v * kUsecPerSec;
        break;
      case Unit::kMinute:
        usec += v * kUsecPerMinute;
        break;
      case Unit::kHour:
        usec += v * kUsecPerHour;
        break;
      case Unit::kDay:
        AddDays(v);
        break;
      case Unit::kWeek:
        AddDays(v * 7);
        break;
      case Unit::kMonth:
        AddMonths(v);
        break;
      case Unit::kYear:
        AddMonths(std::rint(v * 12));
        break;
      case Unit::kDecade:
        AddMonths(std::rint(v * 120));
        break;
      case Unit::kCentury:
        AddMonths(std::rint(v * 1200));
        break;
      case Unit::kMillennium:
        AddMonths(std::rint(v * 12000));
        break;
      case Unit::kNone:
        break;
    }
  }
  void AddDays(double v) {
    double whole = std::trunc(v);
    days += whole;
    usec += std::rint((v - whole) * kUsecPerDay);
  }
  void AddMonths(double v) {
    double whole = std::trunc(v);
    months += whole;
    AddDays((v - whole) * kDaysPerMonth);
  }
};

// A signed decimal number at the start of s; advances s.
bool TakeNumber(std::string_view* s, double* v) {
  size_t i = 0;
  if (i < s->size() && ((*s)[i] == '+' || (*s)[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s->size() && (IsDigit((*s)[i]) || (*s)[i] == '.')) {
    digits += IsDigit((*s)[i]);
    ++i;
  }
  if (digits == 0) return false;
  *v = std::strtod(std::string(s->substr(0, i)).c_str(), nullptr);
  s->remove_prefix(i);
  return true;
}

// "[-]hh:mm[:ss[.frac]]" into microseconds.
bool ParseClock(std::string_view tok, double* usec) {
  bool neg = false;
  if (!tok.empty() && (tok[0] == '-' || tok[0] == '+')) {
    neg = tok[0] == '-';
    tok.remove_prefix(1);
  }
  double parts[3] = {0, 0, 0};
  int n = 0;
  while (n < 3) {
    double v = 0;
    if (tok.empty() || !IsDigit(tok[0]) || !TakeNumber(&tok, &v)) return false;
    parts[n++] = v;
    if (tok.empty()) break;
    if (tok[0] != ':') return false;
    tok.remove_prefix(1);
  }
  if (!tok.empty() || n < 2 || parts[1] >= 60 || (n == 3 && parts[2] >= 60)) return false;
  double total = parts[0] * kUsecPerHour + parts[1] * kUsecPerMinute + parts[2] * kUsecPerSec;
  *usec = neg ? -total : total;
  return true;
}

bool ParseIso8601(std::string_view s, Accum* acc) {
  s.remove_prefix(1);  // 'P'
  bool time_part = false;
  if (s.empty()) return false;
  while (!s.empty()) {
    if (s[0] == 'T' || s[0] == 't') {
      if (time_part) return false;
      time_part = true;
      s.remove_prefix(1);
      continue;
    }
    double v = 0;
    if (!TakeNumber(&s, &v) || s.empty()) return false;
    char d = static_cast<char>(Lower(s[0]));
    s.remove_prefix(1);
    if (!time_part) {
      if (d == 'y')
        acc->Add(Unit::kYear, v);
      else if (d == 'm')
        acc->Add(Unit::kMonth, v);
      else if (d == 'w')
        acc->Add(Unit::kWeek, v);
      else if (d == 'd')
        acc->Add(Unit::kDay, v);
      else
        return false;
    } else {
      if (d == 'h')
        acc->Add(Unit::kHour, v);
      else if (d == 'm')
        acc->Add(Unit::kMinute, v);
      else if (d == 's')
        acc->Add(Unit::kSecond, v);
      else
        return false;
    }
  }
  return true;
}

bool ParsePostgresStyle(std::string_view s, Accum* acc) {
  bool ago = false;
  int tokens = 0;
  if (!s.empty() && s[0] == '@') s.remove_prefix(1);
  for (;;) {
    while (!s.empty() && (s[0] == ' ' || s[0] == '\t')) s.remove_prefix(1);
    if (s.empty()) break;
    if (++tokens > kMaxIntervalTokens || ago) return false;
    size_t end = s.find_first_of(" \t");
    std::string_view tok = s.substr(0, end);
    if (tok.find(':') != std::string_view::npos) {
      double usec = 0;
      if (!ParseClock(tok, &usec)) return false;
      acc->usec += usec;
      s.remove_prefix(tok.size());
      continue;
    }
    if (IsAlpha(tok[0])) {
      std::string lower;
      for (char c : tok) lower.push_back(Lower(c));
      if (lower != "ago") return false;
      ago = true;
      s.remove_prefix(tok.size());
      continue;
    }
    double v = 0;
    if (!TakeNumber(&s, &v)) return false;
    while (!s.empty() && (s[0] == ' ' || s[0] == '\t')) s.remove_prefix(1);
    size_t word_len = 0;
    while (word_len < s.size() && IsAlpha(s[word_len])) ++word_len;
    Unit unit = Unit::kSecond;  // a bare number is seconds
    if (word_len > 0) {
      std::string_view word = s.substr(0, word_len);
      unit = LookupUnit(word);
      if (unit == Unit::kNone) {
        std::string lower;
        for (char c : word) lower.push_back(Lower(c));
        if (lower != "ago") return false;
        unit = Unit::kSecond;
      } else {
        s.remove_prefix(word_len);
      }
    }
    acc->Add(unit, v);
  }
  if (tokens == 0) return false;
  if (ago) {
    acc->months = -acc->months;
    acc->days = -acc->days;
    acc->usec = -acc->usec;
  }
  return true;
}

void AppendPart(int64_t value, const char* unit, bool* is_zero, bool* is_before, std::string* out) {
  if (value == 0) return;
  if (!*is_zero) out->push_back(' ');
  if (*is_before && value > 0) out->push_back('+');
  AppendInt(value, out);
  out->push_back(' ');
  out->append(unit);
  if (value != 1) out->push_back('s');
  *is_before = value < 0;
  *is_zero = false;
}

}  // namespace

Result<Interval> ParseInterval(std::string_view input) {
  std::string_view s = TrimSpaces(input);
  Accum acc;
  bool ok = !s.empty() && (s[0] == 'P' || s[0] == 'p') ? ParseIso8601(s, &acc)
                                                       : ParsePostgresStyle(s, &acc);
  if (!ok) return InvalidSyntax("interval", input, sqlstate::kInvalidDatetimeFormat);
  double usec = std::rint(acc.usec);
  constexpr double kI32Min = std::numeric_limits<int32_t>::min();
  constexpr double kI32Max = std::numeric_limits<int32_t>::max();
  if (acc.months < kI32Min || acc.months > kI32Max || acc.days < kI32Min || acc.days > kI32Max ||
      !(std::fabs(usec) < 9.2e18)) {
    return Status::Error(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  }
  Interval iv;
  iv.months = static_cast<int32_t>(acc.months);
  iv.days = static_cast<int32_t>(acc.days);
  iv.usec = static_cast<int64_t>(usec);
  return iv;
}

void AppendInterval(const Interval& v, std::string* out) {
  bool is_zero = true, is_before = false;
  AppendPart(v.months / 12, "year", &is_zero, &is_before, out);
  AppendPart(v.months % 12, "mon", &is_zero, &is_before, out);
  AppendPart(v.days, "day", &is_zero, &is_before, out);
  if (!is_zero && v.usec == 0) return;
  int64_t t = v.usec;
  bool minus = t < 0;
  uint64_t mag = minus ? 0 - static_cast<uint64_t>(t) : static_cast<uint64_t>(t);
  uint64_t hours = mag / 3600000000ULL;
  uint64_t rem = mag % 3600000000ULL;
  uint64_t minutes = rem / 60000000ULL;
  rem %= 60000000ULL;
  uint64_t secs = rem / 1000000ULL;
  uint64_t frac = rem % 1000000ULL;
  if (!is_zero) out->push_back(' ');
  if (minus) {
    out->push_back('-');
  } else if (is_before) {
    out->push_back('+');
  }
  char buf[48];
  int n = std::snprintf(
      buf, sizeof(buf), "%02llu:%02llu:%02llu", static_cast<unsigned long long>(hours),
      static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(secs));
  out->append(buf, static_cast<size_t>(n));
  if (frac != 0) {
    n = std::snprintf(buf, sizeof(buf), "%06llu", static_cast<unsigned long long>(frac));
    while (n > 0 && buf[n - 1] == '0') --n;
    out->push_back('.');
    out->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace pgw::codec
