// Tokenizer for date/time input: splits a string into date, time-of-day and zone fields the way
// PostgreSQL's ParseDateTime/DecodeDateTime accept the common ISO and MDY spellings.
#include "types/datetime_fields.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace pgw::codec {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int kMaxZoneSeconds = 15 * 3600 + 59 * 60 + 59;  // PostgreSQL's MAX_TZDISP_HOUR
constexpr size_t kMaxFieldDigits = 9;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != lower_word[i]) return false;
  }
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void skip(size_t n = 1) { i_ += n; }
  void SkipSpaces() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  // Reads up to kMaxFieldDigits digits; false when none.
  bool Number(int64_t* v, size_t* ndigits) {
    size_t start = i_;
    int64_t acc = 0;
    while (!done() && IsDigit(s_[i_])) {
      if (i_ - start >= kMaxFieldDigits) return false;
      acc = acc * 10 + (s_[i_++] - '0');
    }
    *v = acc;
    *ndigits = i_ - start;
    return *ndigits > 0;
  }
  size_t DigitRun() const {
    size_t n = 0;
    while (i_ + n < s_.size() && IsDigit(s_[i_ + n])) ++n;
    return n;
  }
  std::string_view Word() {
    size_t start = i_;
    while (!done() && IsAlpha(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  std::string_view rest() const { return s_.substr(i_); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

DateTimeError ParseDate(Cursor* c, DateTimeFields* f) {
  size_t run = c->DigitRun();
  int64_t a = 0, b = 0, d = 0;
  size_t na = 0, nb = 0, nd = 0;
  char sep = c->peek(run);
  if (run == 8 && sep != '-' && sep != '/' && sep != ':') {
    // YYYYMMDD
    int64_t v = 0;
    (void)c->Number(&v, &na);
    f->year = v / 10000;
    f->month = static_cast<int>(v / 100 % 100);
    f->day = static_cast<int>(v % 100);
  } else {
    if (sep != '-' && sep != '/') return DateTimeError::kSyntax;
    if (!c->Number(&a, &na) || c->peek() != sep) return DateTimeError::kSyntax;
    c->skip();
    if (!c->Number(&b, &nb) || c->peek() != sep) return DateTimeError::kSyntax;
    c->skip();
    if (!c->Number(&d, &nd)) return DateTimeError::kSyntax;
    if (sep == '-' || na >= 3) {
      f->year = a;
      f->month = static_cast<int>(b);
      f->day = static_cast<int>(d);
    } else {
      // MDY, with PostgreSQL's two-digit year rule.
      f->month = static_cast<int>(a);
      f->day = static_cast<int>(b);
      f->year = nd == 2 ? (d < 70 ? 2000 + d : 1900 + d) : d;
    }
  }
  f->has_date = true;
  return DateTimeError::kNone;
}

DateTimeError ParseTime(Cursor* c, DateTimeFields* f) {
  int64_t h = 0, m = 0, s = 0;
  size_t n = 0;
  if (!c->Number(&h, &n) || c->peek() != ':') return DateTimeError::kSyntax;
  c->skip();
  if (!c->Number(&m, &n)) return DateTimeError::kSyntax;
  int64_t fsec = 0;
  if (c->peek() == ':') {
    c->skip();
    if (!c->Number(&s, &n)) return DateTimeError::kSyntax;
    if (c->peek() == '.') {
      std::string frac = "0.";
      c->skip();
      while (IsDigit(c->peek())) {
        frac.push_back(c->peek());
        c->skip();
      }
      fsec = static_cast<int64_t>(std::rint(std::strtod(frac.c_str(), nullptr) * kUsecPerSec));
    }
  }
  if (h < 0 || h > 24 || m < 0 || m > 59 || s < 0 || s > 60 ||
      (h == 24 && (m > 0 || s > 0 || fsec > 0))) {
    return DateTimeError::kFieldRange;
  }
  f->has_time = true;
  f->time_usec = ((h * 60 + m) * 60 + s) * kUsecPerSec + fsec;
  return DateTimeError::kNone;
}

DateTimeError ParseZone(Cursor* c, DateTimeFields* f) {
  char sign = c->peek();
  if (sign == '+' || sign == '-') {
    c->skip();
    int64_t h = 0, m = 0, s = 0;
    size_t n = 0;
    if (!c->Number(&h, &n)) return DateTimeError::kSyntax;
    if (n > 2 && c->peek() != ':') {
      // +HHMM or +HHMMSS
      if (n == 4) {
        m = h % 100;
        h /= 100;
      } else if (n == 6) {
        s = h % 100;
        m = h / 100 % 100;
        h /= 10000;
      } else {
        return DateTimeError::kSyntax;
      }
    } else if (c->peek() == ':') {
      c->skip();
      if (!c->Number(&m, &n)) return DateTimeError::kSyntax;
      if (c->peek() == ':') {
        c->skip();
        if (!c->Number(&s, &n)) return DateTimeError::kSyntax;
      }
    }
    if (m > 59 || s > 59) return DateTimeError::kFieldRange;
    int64_t total = h * 3600 + m * 60 + s;
    if (total > kMaxZoneSeconds) return DateTimeError::kZoneRange;
    f->has_zone = true;
    f->zone_seconds = static_cast<int>(sign == '-' ? -total : total);
    return DateTimeError::kNone;
  }
  std::string_view word = c->Word();
  if (EqualsNoCase(word, "z") || EqualsNoCase(word, "utc") || EqualsNoCase(word, "gmt") ||
      EqualsNoCase(word, "ut") || EqualsNoCase(word, "zulu")) {
    f->has_zone = true;
    f->zone_seconds = 0;
    return DateTimeError::kNone;
  }
  return word.empty() ? DateTimeError::kSyntax : DateTimeError::kUnknownZone;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 - 10957;  // 10957: 1970-01-01 to 2000-01-01
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  int64_t z = days + 10957 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

bool ParseIsoDate(std::string_view s, int64_t* days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int v[8];
  static constexpr int kDigitAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    char c = s[static_cast<size_t>(kDigitAt[i])];
    if (!IsDigit(c)) return false;
    v[i] = c - '0';
  }
  int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  int month = v[4] * 10 + v[5];
  int day = v[6] * 10 + v[7];
  if (year == 0 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  *days = DaysFromCivil(year, month, day);
  return true;
}

DateTimeError ParseDateTimeFields(std::string_view s, DateTimeFields* f) {
  *f = DateTimeFields();
  if (EqualsNoCase(s, "infinity") || EqualsNoCase(s, "+infinity")) {
    f->special = DateTimeFields::Special::kInfinity;
    return DateTimeError::kNone;
  }
  if (EqualsNoCase(s, "-infinity")) {
    f->special = DateTimeFields::Special::kNegInfinity;
    return DateTimeError::kNone;
  }
  if (EqualsNoCase(s, "epoch")) {
    f->special = DateTimeFields::Special::kEpoch;
    return DateTimeError::kNone;
  }
  if (EqualsNoCase(s, "allballs")) {
    f->has_time = true;
    return DateTimeError::kNone;
  }
  Cursor c(s);
  bool bc = false;
  size_t run = c.DigitRun();
  if (run > 0 && c.peek(run) != ':') {
    DateTimeError e = ParseDate(&c, f);
    if (e != DateTimeError::kNone) return e;
    if (c.peek() == 'T' || c.peek() == 't') {
      c.skip();
      if (!IsDigit(c.peek())) return DateTimeError::kSyntax;
    } else {
      c.SkipSpaces();
    }
  }
  if (IsDigit(c.peek())) {
    DateTimeError e = ParseTime(&c, f);
    if (e != DateTimeError::kNone) return e;
  }
  for (int guard = 0; guard < 3 && !c.done(); ++guard) {
    c.SkipSpaces();
    if (c.done()) break;
    if (IsAlpha(c.peek()) && c.rest().size() >= 2 &&
        (EqualsNoCase(c.rest().substr(0, 2), "bc") || EqualsNoCase(c.rest().substr(0, 2), "ad")) &&
        (c.rest().size() == 2 || !IsAlpha(c.rest()[2]))) {
      bc = Lower(c.peek()) == 'b';
      c.skip(2);
      continue;
    }
    if (f->has_zone) return DateTimeError::kSyntax;
    DateTimeError e = ParseZone(&c, f);
    if (e != DateTimeError::kNone) return e;
  }
  if (!c.done() || (!f->has_date && !f->has_time)) return DateTimeError::kSyntax;
  if (f->has_date) {
    if (bc) {
      if (f->year <= 0) return DateTimeError::kFieldRange;
      f->year = 1 - f->year;
    } else if (f->year == 0) {
      return DateTimeError::kFieldRange;
    }
    // ValidateDate: a month or day that no month has suggests a DateStyle mix-up.
    if (f->month < 1 || f->month > 12 || f->day < 1 || f->day > 31) {
      return DateTimeError::kMonthDayRange;
    }
    if (f->day > DaysInMonth(f->year, f->month)) return DateTimeError::kFieldRange;
  } else if (bc) {
    return DateTimeError::kSyntax;
  }
  return DateTimeError::kNone;
}

}  // namespace pgw::codec
