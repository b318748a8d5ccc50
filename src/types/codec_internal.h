// Internal to src/types: the per-type text and binary converters that value_codec.cc dispatches
// to, and the PostgreSQL-worded error builders they share. Pure functions; thread-safe. Text
// formatters append to `out` and never clear it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "types/pg_types.h"
#include "types/value.h"

namespace pgw::codec {

// ---- UTF-8 text ----
size_t CharCount(std::string_view s);                  // characters (lead bytes) in s
size_t PrefixBytes(std::string_view s, size_t chars);  // bytes of the first `chars` characters

// Applies a typmod to a value already in the target's storage form, as an explicit cast does
// (varchar/bpchar cut or padded, numeric rounded with 22003 on overflow, precision rounded).
Result<Value> ApplyTypmod(Oid target, int32_t typmod, const Value& v, std::string* scratch);

// ---- errors (PostgreSQL's wording) ----
// `invalid input syntax for type <name>: "<input>"` with `sqlstate`.
Status InvalidSyntax(std::string_view type_name, std::string_view input,
                     const char* sqlstate = "22P02");
// `value "<input>" is out of range for type <name>` (22003).
Status ValueOutOfRange(std::string_view type_name, std::string_view input);
Status BadBinary(std::string_view what);  // 22P03 with `what` as the message
std::string_view TrimSpaces(std::string_view s);

// ---- bool, integers, floats (scalar_text.cc) ----
bool ParseBool(std::string_view s, bool* out);
Result<int64_t> ParseInteger(std::string_view s, Oid type);  // int2/int4/int8/oid/reg*
Result<double> ParseFloat(std::string_view s, Oid type);     // float4/float8
// Integer range of a type; false when `type` is not an integer type.
bool IntegerRange(Oid type, int64_t* min, int64_t* max);
void AppendInt(int64_t v, std::string* out);

// ---- numeric (numeric_codec.cc) ----
// An exact decimal: value = digits / 10^scale, digits without leading zeros ("" is zero).
struct Decimal {
  enum class Special : uint8_t { kNone, kNaN, kPosInf, kNegInf };
  Special special = Special::kNone;
  bool negative = false;
  std::string digits;
  int scale = 0;  // number of fractional digits (dscale)
};
Status ParseDecimal(std::string_view s, Decimal* out);
void DecimalFromInt(int64_t v, Decimal* out);
void DecimalFromDouble(double v, Decimal* out);  // as float8_numeric (15 significant digits)
// Rounds to the typmod's scale and checks its precision (22003 numeric field overflow).
Status ApplyNumericTypmod(int32_t typmod, Decimal* d);
void AppendDecimalText(const Decimal& d, std::string* out);
void AppendDecimalBinary(const Decimal& d, std::string* out);
Status DecodeDecimalBinary(std::string_view wire, Decimal* out);

// ---- dates and times (datetime_codec.cc, interval_codec.cc) ----
// date: days since 2000-01-01; time: usec since midnight; timestamps: usec since
// 2000-01-01 00:00:00 (UTC for timestamptz). Infinities use INT32/INT64 min and max.
Result<int32_t> ParseDate(std::string_view s);
// True when `s` is a date exactly as AppendDate writes it ("YYYY-MM-DD", year 1 to 9999).
bool IsIsoDate(std::string_view s);
Result<int64_t> ParseTime(std::string_view s);
Result<int64_t> ParseTimestamp(std::string_view s, bool with_tz);
void AppendDate(int32_t days, std::string* out);
void AppendTime(int64_t usec, std::string* out);
void AppendTimestamp(int64_t usec, bool with_tz, std::string* out);
int64_t RoundToPrecision(int64_t usec, int32_t precision);  // typmod 0..6; else unchanged

struct Interval {
  int64_t usec = 0;
  int32_t days = 0;
  int32_t months = 0;
};
Result<Interval> ParseInterval(std::string_view s);
void AppendInterval(const Interval& v, std::string* out);

// ---- json (json_codec.cc) ----
Status ValidateJson(std::string_view s);
// jsonb's canonical text: ", "/": " separators, keys unique (last wins), sorted.
Status AppendJsonbText(std::string_view s, std::string* out);

// ---- bytea, uuid (bytes_codec.cc) ----
void AppendByteaHex(std::string_view bytes, std::string* out);
Status DecodeByteaText(std::string_view s, std::string* out);
// 16 raw bytes from any accepted spelling.
Status ParseUuid(std::string_view s, uint8_t out[16]);
void AppendUuidText(const uint8_t bytes[16], std::string* out);

}  // namespace pgw::codec
