// ParseDeclaredType and FormatType: declared column types to (OID, typmod) and back, spelled as
// PostgreSQL 15's format_type() spells them.
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "types/pg_types.h"
#include "types/type_names.h"

namespace pgw {
namespace {

// Typmod encodings, as in PostgreSQL.
constexpr int32_t kVarHeader = 4;  // VARHDRSZ: varchar/bpchar/numeric typmods are offset by it
constexpr int kIntervalFullRange = 0x7FFF;
constexpr int kIntervalFullPrecision = 0xFFFF;
constexpr int kMaxTypeMods = 2;

// Interval field bits (datetime.h).
constexpr int kMonthBit = 1 << 1;
constexpr int kYearBit = 1 << 2;
constexpr int kDayBit = 1 << 3;
constexpr int kHourBit = 1 << 10;
constexpr int kMinuteBit = 1 << 11;
constexpr int kSecondBit = 1 << 12;

struct IntervalRange {
  const char* words;  // as written after "interval" and as format_type prints it
  int mask;
};
constexpr IntervalRange kIntervalRanges[] = {
    {"year", kYearBit},
    {"month", kMonthBit},
    {"day", kDayBit},
    {"hour", kHourBit},
    {"minute", kMinuteBit},
    {"second", kSecondBit},
    {"year to month", kYearBit | kMonthBit},
    {"day to hour", kDayBit | kHourBit},
    {"day to minute", kDayBit | kHourBit | kMinuteBit},
    {"day to second", kDayBit | kHourBit | kMinuteBit | kSecondBit},
    {"hour to minute", kHourBit | kMinuteBit},
    {"hour to second", kHourBit | kMinuteBit | kSecondBit},
    {"minute to second", kMinuteBit | kSecondBit},
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ConsumeSuffix(std::string* s, std::string_view suffix) {
  if (s->size() < suffix.size() ||
      s->compare(s->size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  s->resize(s->size() - suffix.size());
  while (!s->empty() && s->back() == ' ') s->pop_back();
  return true;
}

// Strips "[]", "[3]", "[][]", " array", " array[3]" from the end; true when any was present.
bool StripArraySuffix(std::string* s) {
  bool is_array = false;
  for (;;) {
    if (!s->empty() && s->back() == ']') {
      size_t lb = s->rfind('[');
      if (lb == std::string::npos) return is_array;
      s->resize(lb);
      while (!s->empty() && s->back() == ' ') s->pop_back();
      is_array = true;
      continue;
    }
    if (ConsumeSuffix(s, " array")) {
      is_array = true;
      continue;
    }
    return is_array;
  }
}

// Splits "timestamp(3) with time zone" into base "timestamp with time zone" and mods {3}.
// Returns false when the modifier list is present but not a list of integers.
bool ExtractTypeMods(std::string* s, std::vector<int>* mods) {
  size_t lp = s->find('(');
  if (lp == std::string::npos) return true;
  size_t rp = s->find(')', lp);
  if (rp == std::string::npos) return false;
  std::string_view inner(s->data() + lp + 1, rp - lp - 1);
  bool ok = true;
  while (ok) {
    size_t comma = inner.find(',');
    std::string_view item = Trim(inner.substr(0, comma));
    int v = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() ||
        mods->size() >= static_cast<size_t>(kMaxTypeMods)) {
      ok = false;
      break;
    }
    mods->push_back(v);
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  std::string base = s->substr(0, lp) + " " + s->substr(rp + 1);
  *s = NormalizeTypeName(base);
  return ok;
}

int32_t IntervalTypmod(std::string_view fields, const std::vector<int>& mods, bool* known) {
  int range = -1;
  if (fields.empty()) {
    range = kIntervalFullRange;
  } else {
    for (const IntervalRange& r : kIntervalRanges) {
      if (fields == r.words) range = r.mask;
    }
  }
  *known = range >= 0;
  if (range < 0) return -1;
  int precision = mods.empty() ? kIntervalFullPrecision : mods[0];
  if (range == kIntervalFullRange && precision == kIntervalFullPrecision) return -1;
  return static_cast<int32_t>((static_cast<uint32_t>(range) << 16) |
                              (static_cast<uint32_t>(precision) & 0xFFFF));
}

int32_t TypmodFor(Oid type, std::string_view base, const std::vector<int>& mods) {
  switch (type) {
    case oid::kVarchar:
      return mods.empty() ? -1 : mods[0] + kVarHeader;
    case oid::kBpchar:
      if (!mods.empty()) return mods[0] + kVarHeader;
      return base == "bpchar" ? -1 : 1 + kVarHeader;  // "char" alone is char(1)
    case oid::kNumeric: {
      if (mods.empty()) return -1;
      int scale = mods.size() > 1 ? mods[1] : 0;
      return ((mods[0] << 16) | (scale & 0x7ff)) + kVarHeader;
    }
    case oid::kTime:
    case oid::kTimetz:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kVarbit:
    case oid::kVector:
      return mods.empty() ? -1 : mods[0];
    case oid::kBit:
      return mods.empty() ? 1 : mods[0];
    default:
      return -1;
  }
}

void AppendInt(std::string* out, int v) { out->append(std::to_string(v)); }

// "time(3) without time zone": the precision goes after the first word.
std::string WithPrecision(std::string_view first, std::string_view rest, int32_t typmod) {
  std::string s(first);
  if (typmod >= 0) {
    s += '(';
    AppendInt(&s, typmod);
    s += ')';
  }
  s.append(rest);
  return s;
}

std::string IntervalName(int32_t typmod) {
  std::string s = "interval";
  if (typmod < 0) return s;
  int range = (typmod >> 16) & kIntervalFullRange;
  int precision = typmod & 0xFFFF;
  for (const IntervalRange& r : kIntervalRanges) {
    if (r.mask == range) {
      s += ' ';
      s += r.words;
    }
  }
  if (precision != kIntervalFullPrecision) {
    s += '(';
    AppendInt(&s, precision);
    s += ')';
  }
  return s;
}

}  // namespace

DeclaredType ParseDeclaredType(std::string_view declared) {
  DeclaredType result;
  std::string s = NormalizeTypeName(declared);
  bool is_array = StripArraySuffix(&s);
  std::vector<int> mods;
  bool mods_ok = ExtractTypeMods(&s, &mods);
  if (!mods_ok) mods.clear();

  Oid type = oid::kText;
  int32_t typmod = -1;
  if (s == "serial" || s == "serial4" || s == "bigserial" || s == "serial8" || s == "smallserial" ||
      s == "serial2") {
    result.is_serial = true;
  }
  if (s == "float" && !mods.empty()) {
    type = mods[0] <= 24 ? oid::kFloat4 : oid::kFloat8;
  } else if (s.rfind("interval", 0) == 0 && (s.size() == 8 || s[8] == ' ')) {
    bool known = false;
    int32_t t = IntervalTypmod(Trim(std::string_view(s).substr(8)), mods, &known);
    if (known) {
      type = oid::kInterval;
      typmod = t;
    }
  } else if (const TypeInfo* info = LookupTypeByName(s)) {
    type = info->oid;
    if (info->category != TypeCategory::kArray) typmod = TypmodFor(type, s, mods);
  }

  if (is_array) {
    const TypeInfo* info = LookupType(type);
    Oid array_oid = info != nullptr ? info->array_oid : 0;
    if (info != nullptr && info->category == TypeCategory::kArray) array_oid = type;
    type = array_oid != 0 ? array_oid : oid::kTextArray;
    if (array_oid == 0) typmod = -1;
    result.is_serial = false;
  }
  result.oid = type;
  result.typmod = typmod;
  return result;
}

std::string FormatType(Oid type, int32_t typmod) {
  if (type == oid::kInvalid) return "-";
  const TypeInfo* info = LookupType(type);
  if (info == nullptr) return "???";
  if (info->category == TypeCategory::kArray) return FormatType(info->element_oid, typmod) + "[]";
  switch (type) {
    case oid::kBpchar:
      return typmod >= kVarHeader ? "character(" + std::to_string(typmod - kVarHeader) + ")"
                                  : "bpchar";
    case oid::kVarchar:
      return typmod >= kVarHeader ? "character varying(" + std::to_string(typmod - kVarHeader) + ")"
                                  : "character varying";
    case oid::kNumeric: {
      if (typmod < kVarHeader) return "numeric";
      int32_t t = typmod - kVarHeader;
      int precision = (t >> 16) & 0xFFFF;
      int scale = ((t & 0x7ff) ^ 1024) - 1024;
      return "numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    }
    case oid::kTime:
      return WithPrecision("time", " without time zone", typmod);
    case oid::kTimetz:
      return WithPrecision("time", " with time zone", typmod);
    case oid::kTimestamp:
      return WithPrecision("timestamp", " without time zone", typmod);
    case oid::kTimestamptz:
      return WithPrecision("timestamp", " with time zone", typmod);
    case oid::kInterval:
      return IntervalName(typmod);
    case oid::kBit:
      return WithPrecision("bit", "", typmod);
    case oid::kVarbit:
      return WithPrecision("bit varying", "", typmod);
    case oid::kVector:
      return WithPrecision("vector", "", typmod);
    default:
      return info->sql_name;
  }
}

std::string NormalizeTypeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool quoted = false;
  bool pending_space = false;
  for (char c : name) {
    if (!quoted && IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (c == '"') quoted = !quoted;
    bool glue = !quoted && (c == '(' || c == ')' || c == ',' || c == '[' || c == ']');
    if (pending_space && !glue && !out.empty() && out.back() != '(' && out.back() != ',' &&
        out.back() != '[') {
      out += ' ';
    }
    pending_space = false;
    out += quoted || c == '"' ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace pgw
