// PostgreSQL's string functions on SQLite (sqlite_strings.h).
#include "backend/sqlite/sqlite_strings.h"

#include <locale.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <wctype.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backend/sqlite/sqlite_errors.h"
#include "backend/sqlite/sqlite_utf8.h"
#include "catalog/sqlite_function_args.h"
#include "common/sqlstate.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr uint32_t kFirstSurrogate = 0xD800;
constexpr uint32_t kLastSurrogate = 0xDFFF;
constexpr size_t kUuidBytes = 16;
constexpr char kHexDigits[] = "0123456789abcdef";

void TooLong(sqlite3_context* c) {
  SetFunctionError(c, sqlstate::kProgramLimitExceeded, "requested length too large");
}

void AppendHex(std::string_view bytes, std::string* out) {
  for (unsigned char b : bytes) {
    out->push_back(kHexDigits[b >> 4]);
    out->push_back(kHexDigits[b & 0xF]);
  }
}

void Repeat(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  int64_t n = sqlite3_value_int64(argv[1]);
  if (n <= 0 || s.empty()) return ResultText(c, "");
  if (static_cast<uint64_t>(n) > MaxResultLength(c) / s.size()) return TooLong(c);
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.append(s);
  ResultText(c, out);
}

// lpad/rpad: pads `s` to `length` characters with `fill` repeated, or truncates it.
void Pad(sqlite3_context* c, int argc, sqlite3_value** argv, bool on_left) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  const int64_t length = sqlite3_value_int64(argv[1]);
  std::string_view fill = argc > 2 ? TextArg(argv[2]) : std::string_view(" ");
  if (length <= 0) return ResultText(c, "");
  if (static_cast<uint64_t>(length) > MaxResultLength(c)) return TooLong(c);
  const size_t want = static_cast<size_t>(length);
  const size_t have = utf8::CharCount(s);
  if (have >= want) return ResultText(c, s.substr(0, utf8::ByteOffset(s, want)));
  if (fill.empty()) return ResultText(c, s);
  const std::vector<size_t> fill_chars = utf8::CharOffsets(fill);
  const size_t fill_count = fill_chars.size() - 1;
  const size_t missing = want - have;
  const size_t pad_bytes = (missing / fill_count) * fill.size() + fill_chars[missing % fill_count];
  if (pad_bytes > MaxResultLength(c) - s.size()) return TooLong(c);
  std::string out;
  out.reserve(pad_bytes + s.size());
  if (!on_left) out.append(s);
  for (size_t i = 0; i < missing / fill_count; ++i) out.append(fill);
  out.append(fill.substr(0, fill_chars[missing % fill_count]));
  if (on_left) out.append(s);
  ResultText(c, out);
}

void Lpad(sqlite3_context* c, int argc, sqlite3_value** argv) { Pad(c, argc, argv, true); }
void Rpad(sqlite3_context* c, int argc, sqlite3_value** argv) { Pad(c, argc, argv, false); }

// Number of characters to keep for left(s, n) / right(s, n) out of `count`.
size_t KeptChars(size_t count, int64_t n) {
  if (n >= 0) return std::min(count, static_cast<size_t>(n));
  const uint64_t drop = n == std::numeric_limits<int64_t>::min()
                            ? static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1
                            : static_cast<uint64_t>(-n);
  return drop >= count ? 0 : count - static_cast<size_t>(drop);
}

void Left(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  size_t keep = KeptChars(utf8::CharCount(s), sqlite3_value_int64(argv[1]));
  ResultText(c, s.substr(0, utf8::ByteOffset(s, keep)));
}

void Right(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  const size_t count = utf8::CharCount(s);
  size_t keep = KeptChars(count, sqlite3_value_int64(argv[1]));
  ResultText(c, s.substr(utf8::ByteOffset(s, count - keep)));
}

void Reverse(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  const std::vector<size_t> at = utf8::CharOffsets(s);
  std::string out;
  out.reserve(s.size());
  for (size_t k = at.size() - 1; k > 0; --k) out.append(s.substr(at[k - 1], at[k] - at[k - 1]));
  ResultText(c, out);
}

// split_part(s, delimiter, n): field n (from the end when negative, PostgreSQL 14+).
void SplitPart(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  std::string_view delimiter = TextArg(argv[1]);
  const int64_t n = sqlite3_value_int64(argv[2]);
  if (n == 0) {
    return SetFunctionError(c, sqlstate::kInvalidParameterValue, "field position must not be zero");
  }
  if (s.empty()) return ResultText(c, "");
  if (delimiter.empty()) return ResultText(c, n == 1 || n == -1 ? s : std::string_view());
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    size_t hit = s.find(delimiter, start);
    if (hit == std::string_view::npos) {
      fields.push_back(s.substr(start));
      break;
    }
    fields.push_back(s.substr(start, hit - start));
    start = hit + delimiter.size();
  }
  const auto count = static_cast<int64_t>(fields.size());
  if (n > count || n < -count) return ResultText(c, "");
  ResultText(c, fields[static_cast<size_t>(n > 0 ? n - 1 : count + n)]);
}

// The C.UTF-8 locale for Unicode case mapping; nullptr when unavailable (ASCII only then).
locale_t CaseLocale() {
  static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return loc;
}

void Initcap(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  const locale_t loc = CaseLocale();
  std::string out;
  out.reserve(s.size());
  std::string encoded;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    const size_t len = utf8::CharLength(s, i);
    const std::string_view raw = s.substr(i, len);
    i += len;
    const uint32_t cp = utf8::Decode(raw, 0);
    encoded.clear();
    utf8::Append(std::min(cp, kMaxCodePoint), &encoded);
    if (encoded != raw) {  // malformed: copy as is
      out.append(raw);
      in_word = false;
      continue;
    }
    uint32_t mapped = cp;
    bool alnum;
    if (loc != static_cast<locale_t>(0)) {
      const auto wc = static_cast<wint_t>(cp);
      alnum = iswalnum_l(wc, loc) != 0;
      mapped = static_cast<uint32_t>(in_word ? towlower_l(wc, loc) : towupper_l(wc, loc));
    } else {
      alnum = cp < 0x80 && std::isalnum(static_cast<int>(cp));
      if (cp < 0x80)
        mapped = static_cast<uint32_t>(in_word ? std::tolower(static_cast<int>(cp))
                                               : std::toupper(static_cast<int>(cp)));
    }
    if (mapped > kMaxCodePoint || (mapped >= kFirstSurrogate && mapped <= kLastSurrogate)) {
      mapped = cp;
    }
    utf8::Append(mapped, &out);
    in_word = alnum;
  }
  ResultText(c, out);
}

void Md5(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view bytes = BytesArg(argv[0]);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &digest_len, EVP_md5(), nullptr) != 1) {
    return SetFunctionError(c, sqlstate::kInternalError, "could not compute MD5 hash");
  }
  std::string out;
  AppendHex({reinterpret_cast<const char*>(digest), digest_len}, &out);
  ResultText(c, out);
}

void Chr(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  const int64_t n = sqlite3_value_int64(argv[0]);
  if (n == 0) {
    return SetFunctionError(c, sqlstate::kProgramLimitExceeded, "null character not permitted");
  }
  if (n < 0) {
    return SetFunctionError(c, sqlstate::kInvalidParameterValue,
                            "character number must be positive");
  }
  if (n > kMaxCodePoint) {
    return SetFunctionError(c, sqlstate::kProgramLimitExceeded,
                            "requested character too large for encoding: " + std::to_string(n));
  }
  if (n >= kFirstSurrogate && n <= kLastSurrogate) {
    return SetFunctionError(c, sqlstate::kProgramLimitExceeded,
                            "requested character not valid for encoding: " + std::to_string(n));
  }
  std::string out;
  utf8::Append(static_cast<uint32_t>(n), &out);
  ResultText(c, out);
}

void Ascii(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  sqlite3_result_int64(c, s.empty() ? 0 : utf8::Decode(s, 0));
}

void StartsWith(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  std::string_view prefix = TextArg(argv[1]);
  sqlite3_result_int(c, s.substr(0, prefix.size()) == prefix ? 1 : 0);
}

// The characters of `s` as views, in order.
std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> chars;
  for (size_t i = 0; i < s.size();) {
    size_t len = utf8::CharLength(s, i);
    chars.push_back(s.substr(i, len));
    i += len;
  }
  return chars;
}

void Translate(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  const std::vector<std::string_view> from = Chars(TextArg(argv[1]));
  const std::vector<std::string_view> to = Chars(TextArg(argv[2]));
  std::unordered_map<std::string_view, size_t> first_index;
  for (size_t k = 0; k < from.size(); ++k) first_index.emplace(from[k], k);
  std::string out;
  out.reserve(s.size());
  for (std::string_view ch : Chars(s)) {
    auto it = first_index.find(ch);
    if (it == first_index.end()) {
      out.append(ch);
    } else if (it->second < to.size()) {
      out.append(to[it->second]);
    }  // else: deleted
  }
  ResultText(c, out);
}

// The text PostgreSQL's concat_ws would print for a storage value (booleans, stored as 0/1,
// print as numbers).
void AppendConcatText(sqlite3_value* v, std::string* out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      out->append(std::to_string(sqlite3_value_int64(v)));
      return;
    case SQLITE_FLOAT:
      AppendFloat8Text(sqlite3_value_double(v), out);
      return;
    case SQLITE_BLOB:
      out->append("\\x");
      AppendHex(BytesArg(v), out);
      return;
    default:
      out->append(TextArg(v));
      return;
  }
}

void ConcatWs(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
  std::string separator(TextArg(argv[0]));
  std::string out;
  bool first = true;
  for (int i = 1; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    if (!first) out.append(separator);
    first = false;
    AppendConcatText(argv[i], &out);
    if (out.size() > MaxResultLength(c)) return TooLong(c);
  }
  ResultText(c, out);
}

void Btrim(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  std::vector<std::string_view> chars = Chars(TextArg(argv[0]));
  const std::vector<std::string_view> set = Chars(argc > 1 ? TextArg(argv[1]) : " ");
  auto in_set = [&](std::string_view ch) {
    return std::find(set.begin(), set.end(), ch) != set.end();
  };
  size_t begin = 0;
  size_t end = chars.size();
  while (begin < end && in_set(chars[begin])) ++begin;
  while (end > begin && in_set(chars[end - 1])) --end;
  std::string out;
  for (size_t k = begin; k < end; ++k) out.append(chars[k]);
  ResultText(c, out);
}

void ToHex(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (AnyNullArg(argc, argv)) return sqlite3_result_null(c);
  const int64_t v = sqlite3_value_int64(argv[0]);
  uint64_t bits = static_cast<uint64_t>(v);
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    bits = static_cast<uint32_t>(static_cast<int32_t>(v));  // to_hex(int4)
  }
  char buf[sizeof(uint64_t) * 2 + 1];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(bits));
  ResultText(c, buf);
}

void GenRandomUuid(sqlite3_context* c, int, sqlite3_value**) {
  unsigned char b[kUuidBytes];
  if (RAND_bytes(b, sizeof(b)) != 1) sqlite3_randomness(sizeof(b), b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  for (size_t i = 0; i < kUuidBytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHex({reinterpret_cast<const char*>(b + i), 1}, &out);
  }
  ResultText(c, out);
}

using ScalarFn = void (*)(sqlite3_context*, int, sqlite3_value**);

struct StringFunctionDef {
  const char* name;
  int nargs;  // -1: variadic
  bool deterministic;
  ScalarFn fn;
};

constexpr StringFunctionDef kStringFunctions[] = {
    {"repeat", 2, true, Repeat},
    {"lpad", 2, true, Lpad},
    {"lpad", 3, true, Lpad},
    {"rpad", 2, true, Rpad},
    {"rpad", 3, true, Rpad},
    {"left", 2, true, Left},
    {"pgw_left", 2, true, Left},
    {"right", 2, true, Right},
    {"pgw_right", 2, true, Right},
    {"reverse", 1, true, Reverse},
    {"split_part", 3, true, SplitPart},
    {"initcap", 1, true, Initcap},
    {"md5", 1, true, Md5},
    {"chr", 1, true, Chr},
    {"ascii", 1, true, Ascii},
    {"starts_with", 2, true, StartsWith},
    {"translate", 3, true, Translate},
    {"concat_ws", -1, true, ConcatWs},
    {"btrim", 1, true, Btrim},
    {"btrim", 2, true, Btrim},
    {"to_hex", 1, true, ToHex},
    {"gen_random_uuid", 0, false, GenRandomUuid},
};

}  // namespace

int RegisterStringFunctions(sqlite3* db) {
  for (const StringFunctionDef& f : kStringFunctions) {
    int flags = SQLITE_UTF8 | (f.deterministic ? SQLITE_DETERMINISTIC : 0);
    int rc = sqlite3_create_function_v2(db, f.name, f.nargs, flags, nullptr, f.fn, nullptr, nullptr,
                                        nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace pgw
