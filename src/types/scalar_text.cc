// Text input and output for bool, the integer types and float4/float8, as PostgreSQL's
// boolin, int2in/int4in/int8in/oidin, float4in/float8in and float4out/float8out
// (extra_float_digits = 1: shortest round-trip digits). No heap allocation on success.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "common/sqlstate.h"
#include "types/codec_internal.h"
#include "types/value_codec.h"

namespace pgw {
namespace codec {
namespace {

// Longest float text we parse on the stack; longer inputs fall back to a heap copy.
constexpr size_t kFloatStackBuffer = 128;

bool IsSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsPrefixOfIgnoreCase(std::string_view s, std::string_view word) {
  if (s.empty() || s.size() > word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != word[i]) return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view s, std::string_view word) {
  return s.size() == word.size() && IsPrefixOfIgnoreCase(s, word);
}

const char* IntegerTypeName(Oid type) {
  switch (type) {
    case oid::kInt2:
      return "smallint";
    case oid::kInt8:
      return "bigint";
    case oid::kOid:
      return "oid";
    default:
      return "integer";
  }
}

// Shortest round-trip text in PostgreSQL's layout: fixed notation for decimal exponents in
// [-4, fixed_limit), else d.ddde+XX.
template <typename F>
void AppendShortest(F v, int fixed_limit, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out->append(v < 0 ? "-Infinity" : "Infinity");
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  size_t e_pos = sci.find('e');
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(),
                  exp10);
  if (exp10 < -4 || exp10 >= fixed_limit) {
    out->append(sci);
    return;
  }
  std::string_view mant = sci.substr(0, e_pos);
  if (mant[0] == '-') {
    out->push_back('-');
    mant.remove_prefix(1);
  }
  char digits[32];
  size_t n = 0;
  for (char c : mant) {
    if (c != '.') digits[n++] = c;
  }
  if (exp10 < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exp10 - 1), '0');
    out->append(digits, n);
    return;
  }
  size_t int_digits = static_cast<size_t>(exp10) + 1;
  if (n <= int_digits) {
    out->append(digits, n);
    out->append(int_digits - n, '0');
  } else {
    out->append(digits, int_digits);
    out->push_back('.');
    out->append(digits + int_digits, n - int_digits);
  }
}

}  // namespace

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpaceChar(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpaceChar(s.back())) s.remove_suffix(1);
  return s;
}

Status InvalidSyntax(std::string_view type_name, std::string_view input, const char* sqlstate) {
  std::string msg = "invalid input syntax for type ";
  msg.append(type_name);
  msg.append(": \"");
  msg.append(input);
  msg.push_back('"');
  return Status::Error(sqlstate, std::move(msg));
}

Status ValueOutOfRange(std::string_view type_name, std::string_view input) {
  std::string msg = "value \"";
  msg.append(input);
  msg.append("\" is out of range for type ");
  msg.append(type_name);
  return Status::Error(sqlstate::kNumericValueOutOfRange, std::move(msg));
}

Status BadBinary(std::string_view what) {
  return Status::Error(sqlstate::kInvalidBinaryRepresentation, std::string(what));
}

bool ParseBool(std::string_view s, bool* out) {
  s = TrimSpaces(s);
  if (s.empty()) return false;
  if (s == "1" || s == "0") {
    *out = s == "1";
    return true;
  }
  if (IsPrefixOfIgnoreCase(s, "true") || IsPrefixOfIgnoreCase(s, "yes")) {
    *out = true;
    return true;
  }
  if (IsPrefixOfIgnoreCase(s, "false") || IsPrefixOfIgnoreCase(s, "no")) {
    *out = false;
    return true;
  }
  // "o" alone is ambiguous between on and off.
  if (s.size() >= 2 && IsPrefixOfIgnoreCase(s, "on")) {
    *out = true;
    return true;
  }
  if (s.size() >= 2 && IsPrefixOfIgnoreCase(s, "off")) {
    *out = false;
    return true;
  }
  return false;
}

bool IntegerRange(Oid type, int64_t* min, int64_t* max) {
  switch (type) {
    case oid::kInt2:
      *min = std::numeric_limits<int16_t>::min();
      *max = std::numeric_limits<int16_t>::max();
      return true;
    case oid::kInt4:
      *min = std::numeric_limits<int32_t>::min();
      *max = std::numeric_limits<int32_t>::max();
      return true;
    case oid::kInt8:
      *min = std::numeric_limits<int64_t>::min();
      *max = std::numeric_limits<int64_t>::max();
      return true;
    case oid::kOid:
    case oid::kRegproc:
    case oid::kRegprocedure:
    case oid::kRegclass:
    case oid::kRegtype:
    case oid::kRegnamespace:
    case oid::kRegrole:
      *min = 0;
      *max = std::numeric_limits<uint32_t>::max();
      return true;
    default:
      return false;
  }
}

Result<int64_t> ParseInteger(std::string_view input, Oid type) {
  int64_t min = 0, max = 0;
  if (!IntegerRange(type, &min, &max)) {
    min = std::numeric_limits<int32_t>::min();
    max = std::numeric_limits<int32_t>::max();
  }
  const char* name = IntegerTypeName(type);
  std::string_view s = TrimSpaces(input);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s[0] < '0' || s[0] > '9') return InvalidSyntax(name, input);
  uint64_t mag = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), mag);
  if (p != s.data() + s.size()) {
    // Trailing junk after digits (range errors are reported only for pure digit strings).
    for (const char* q = p; q < s.data() + s.size(); ++q) {
      if (*q < '0' || *q > '9') return InvalidSyntax(name, input);
    }
  }
  if (ec == std::errc::result_out_of_range) return ValueOutOfRange(name, input);
  bool is_oid = min == 0;
  if (is_oid) {
    // oidin accepts -2^31..2^32-1 and wraps negatives, as strtoul does.
    if (negative) {
      if (mag > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) + 1) {
        return ValueOutOfRange(name, input);
      }
      return static_cast<int64_t>(static_cast<uint32_t>(-static_cast<int64_t>(mag)));
    }
    if (mag > static_cast<uint64_t>(max)) return ValueOutOfRange(name, input);
    return static_cast<int64_t>(mag);
  }
  if (negative) {
    if (mag > static_cast<uint64_t>(max) + 1) return ValueOutOfRange(name, input);
    return static_cast<int64_t>(0 - mag);
  }
  if (mag > static_cast<uint64_t>(max)) return ValueOutOfRange(name, input);
  return static_cast<int64_t>(mag);
}

Result<double> ParseFloat(std::string_view input, Oid type) {
  const bool is_float4 = type == oid::kFloat4;
  const char* name = is_float4 ? "real" : "double precision";
  std::string_view s = TrimSpaces(input);
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(s, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (EqualsIgnoreCase(body, "infinity") || EqualsIgnoreCase(body, "inf")) {
    double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  // Only decimal notation: digits, '.', exponent. (strtod would also take hex and "infinity".)
  if (body.empty()) return InvalidSyntax(name, input);
  for (char c : body) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return InvalidSyntax(name, input);
    }
  }
  char stack[kFloatStackBuffer];
  std::string heap;
  const char* cstr;
  if (s.size() < sizeof(stack)) {
    std::memcpy(stack, s.data(), s.size());
    stack[s.size()] = '\0';
    cstr = stack;
  } else {
    heap.assign(s);
    cstr = heap.c_str();
  }
  char* end = nullptr;
  errno = 0;
  double v;
  if (is_float4) {
    float f = std::strtof(cstr, &end);
    v = f;
  } else {
    v = std::strtod(cstr, &end);
  }
  if (end == cstr || *end != '\0') return InvalidSyntax(name, input);
  if (errno == ERANGE && (v == 0 || std::isinf(v))) {
    std::string msg = "\"";
    msg.append(input);
    msg.append("\" is out of range for type ");
    msg.append(name);
    return Status::Error(sqlstate::kNumericValueOutOfRange, std::move(msg));
  }
  return v;
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr - buf);
}

}  // namespace codec

void AppendFloat8Text(double v, std::string* out) { codec::AppendShortest(v, 15, out); }
void AppendFloat4Text(float v, std::string* out) { codec::AppendShortest(v, 6, out); }

}  // namespace pgw
