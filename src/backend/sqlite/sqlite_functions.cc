// The SQLite dialect's scalar functions (sqlite_functions.h): casts with PostgreSQL semantics,
// division, session information, clocks and pg_sleep; registration of everything else
// (string functions, aggregates, generate_series). Errors carry their SQLSTATE through
// SetFunctionError.
#include "backend/sqlite/sqlite_functions.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <thread>

#include "backend/sqlite/sqlite_aggregates.h"
#include "backend/sqlite/sqlite_errors.h"
#include "backend/sqlite/sqlite_series.h"
#include "backend/sqlite/sqlite_strings.h"
#include "backend/sqlite/sqlite_time.h"
#include "catalog/sqlite_function_args.h"
#include "common/sqlstate.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

constexpr char kGatewayVersion[] = "0.1.0";
constexpr auto kSleepSlice = std::chrono::milliseconds(10);

#if defined(__x86_64__)
constexpr char kPlatform[] = "x86_64-pc-linux-gnu";
#elif defined(__aarch64__)
constexpr char kPlatform[] = "aarch64-unknown-linux-gnu";
#else
constexpr char kPlatform[] = "unknown-linux-gnu";
#endif

SqliteFunctionContext& Ctx(sqlite3_context* c) {
  return *static_cast<SqliteFunctionContext*>(sqlite3_user_data(c));
}

// A function argument as a storage-form Value (views into the argument's memory).
Value ArgValue(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return Value::Int(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
      return Value::Float(sqlite3_value_double(v));
    case SQLITE_TEXT:
      return Value::Text(TextArg(v));
    case SQLITE_BLOB: {
      const void* p = sqlite3_value_blob(v);
      return Value::Blob(
          {static_cast<const char*>(p), static_cast<size_t>(sqlite3_value_bytes(v))});
    }
    default:
      return Value::Null();
  }
}

void ResultValue(sqlite3_context* c, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      sqlite3_result_null(c);
      return;
    case Value::Kind::kInt:
      sqlite3_result_int64(c, v.i);
      return;
    case Value::Kind::kFloat:
      if (std::isnan(v.f)) {
        sqlite3_result_text(c, "NaN", 3, SQLITE_STATIC);  // SQLite would make a NaN NULL
      } else {
        sqlite3_result_double(c, v.f);
      }
      return;
    case Value::Kind::kText:
      ResultText(c, v.s);
      return;
    case Value::Kind::kBlob:
      sqlite3_result_blob64(c, v.s.data(), v.s.size(), SQLITE_TRANSIENT);
      return;
  }
}

void Cast(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
  Oid target = static_cast<Oid>(sqlite3_value_int64(argv[1]));
  int32_t typmod = argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL
                       ? static_cast<int32_t>(sqlite3_value_int64(argv[2]))
                       : -1;
  std::string scratch;
  Result<Value> r = CastValue(ArgValue(argv[0]), target, typmod, &scratch);
  if (!r.ok()) return SetFunctionError(c, r.status());
  ResultValue(c, *r);
}

// Numeric affinity for a division operand; false (with an error set) for non-numeric text.
bool NumericArg(sqlite3_context* c, sqlite3_value* v, int* type) {
  *type = sqlite3_value_numeric_type(v);
  if (*type == SQLITE_INTEGER || *type == SQLITE_FLOAT) return true;
  SetFunctionError(c, sqlstate::kInvalidTextRepresentation,
                   "invalid input syntax for type numeric: \"" + std::string(TextArg(v)) + "\"");
  return false;
}

void DivOrMod(sqlite3_context* c, sqlite3_value** argv, bool mod) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_null(c);
  }
  int ta, tb;
  if (!NumericArg(c, argv[0], &ta) || !NumericArg(c, argv[1], &tb)) return;
  if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
    int64_t a = sqlite3_value_int64(argv[0]);
    int64_t b = sqlite3_value_int64(argv[1]);
    if (b == 0) return SetFunctionError(c, sqlstate::kDivisionByZero, "division by zero");
    if (b == -1) {  // avoids INT64_MIN / -1 overflow
      if (mod) return sqlite3_result_int64(c, 0);
      if (a == std::numeric_limits<int64_t>::min()) {
        return SetFunctionError(c, sqlstate::kNumericValueOutOfRange, "bigint out of range");
      }
      return sqlite3_result_int64(c, -a);
    }
    return sqlite3_result_int64(c, mod ? a % b : a / b);
  }
  double a = sqlite3_value_double(argv[0]);
  double b = sqlite3_value_double(argv[1]);
  if (b == 0) return SetFunctionError(c, sqlstate::kDivisionByZero, "division by zero");
  sqlite3_result_double(c, mod ? std::fmod(a, b) : a / b);
}

void Div(sqlite3_context* c, int, sqlite3_value** argv) { DivOrMod(c, argv, false); }
void Mod(sqlite3_context* c, int, sqlite3_value** argv) { DivOrMod(c, argv, true); }

int64_t TransactionMicros(const SqliteFunctionContext& ctx) {
  if (ctx.transaction_start_us != 0) return ctx.transaction_start_us;
  if (ctx.statement_start_us != 0) return ctx.statement_start_us;
  return NowMicros();
}

void Now(sqlite3_context* c, int, sqlite3_value**) {
  ResultText(c, FormatTimestamptz(TransactionMicros(Ctx(c))));
}
void StatementTimestamp(sqlite3_context* c, int, sqlite3_value**) {
  int64_t t = Ctx(c).statement_start_us;
  ResultText(c, FormatTimestamptz(t != 0 ? t : NowMicros()));
}
void ClockTimestamp(sqlite3_context* c, int, sqlite3_value**) {
  ResultText(c, FormatTimestamptz(NowMicros()));
}
void CurrentDate(sqlite3_context* c, int, sqlite3_value**) {
  ResultText(c, FormatDate(TransactionMicros(Ctx(c))));
}

void Version(sqlite3_context* c, int, sqlite3_value**) {
  ResultText(c, "PostgreSQL " + Ctx(c).server_version + " (iris-pgwire " + kGatewayVersion +
                    ", SQLite " + sqlite3_libversion() + ") on " + kPlatform + ", 64-bit");
}
void CurrentDatabase(sqlite3_context* c, int, sqlite3_value**) { ResultText(c, Ctx(c).database); }
void CurrentUser(sqlite3_context* c, int, sqlite3_value**) { ResultText(c, Ctx(c).user); }
void CurrentSchema(sqlite3_context* c, int, sqlite3_value**) { ResultText(c, "public"); }
void CurrentSchemas(sqlite3_context* c, int, sqlite3_value** argv) {
  ResultText(c, sqlite3_value_int64(argv[0]) != 0 ? "{pg_catalog,public}" : "{public}");
}
void BackendPid(sqlite3_context* c, int, sqlite3_value**) {
  sqlite3_result_int64(c, Ctx(c).backend_pid);
}

// PostgreSQL's boolean input spellings, as far as storage text may hold them.
bool TextIsTrue(std::string_view s) {
  if (s.empty()) return false;
  char c0 = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  if (c0 == 't' || c0 == 'y' || c0 == '1') return true;
  return s.size() >= 2 && c0 == 'o' && std::tolower(static_cast<unsigned char>(s[1])) == 'n';
}

void BoolOut(sqlite3_context* c, int, sqlite3_value** argv) {
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(c);
    case SQLITE_INTEGER:
      return ResultText(c, sqlite3_value_int64(argv[0]) != 0 ? "t" : "f");
    case SQLITE_FLOAT:
      return ResultText(c, sqlite3_value_double(argv[0]) != 0 ? "t" : "f");
    default:
      return ResultText(c, TextIsTrue(TextArg(argv[0])) ? "t" : "f");
  }
}

// One element of a PostgreSQL array literal; `null` for an unquoted NULL.
struct ArrayElement {
  std::string text;
  bool null = false;
};

// Reads the next element of `s` starting at `*pos` (just after '{' or ','); false at the end.
bool NextArrayElement(std::string_view s, size_t* pos, ArrayElement* out) {
  size_t i = *pos;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || s[i] == '}') return false;
  out->text.clear();
  out->null = false;
  if (s[i] == '"') {
    for (++i; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out->text += s[i];
    }
    ++i;  // closing quote
  } else {
    while (i < s.size() && s[i] != ',' && s[i] != '}') out->text += s[i++];
    while (!out->text.empty() && out->text.back() == ' ') out->text.pop_back();
    out->null = out->text.size() == 4 && sqlite3_strnicmp(out->text.c_str(), "null", 4) == 0;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}') ++i;
  if (i < s.size() && s[i] == ',') ++i;
  *pos = i;
  return true;
}

void ArrayPosition(sqlite3_context* c, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
  std::string_view array = TextArg(argv[0]);
  size_t pos = array.find('{');
  if (pos == std::string_view::npos) {
    return SetFunctionError(c, sqlstate::kInvalidTextRepresentation,
                            "malformed array literal: \"" + std::string(array) + "\"");
  }
  ++pos;
  bool want_null = sqlite3_value_type(argv[1]) == SQLITE_NULL;
  std::string want = want_null ? "" : std::string(TextArg(argv[1]));
  ArrayElement e;
  for (int64_t index = 1; NextArrayElement(array, &pos, &e); ++index) {
    if (want_null ? e.null : (!e.null && e.text == want)) return sqlite3_result_int64(c, index);
  }
  sqlite3_result_null(c);
}

void PgSleep(sqlite3_context* c, int, sqlite3_value** argv) {
  SqliteFunctionContext& ctx = Ctx(c);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);  // strict
  double seconds = sqlite3_value_double(argv[0]);
  // A void result prints as the empty string in PostgreSQL, not as NULL.
  if (!(seconds > 0)) return sqlite3_result_text(c, "", 0, SQLITE_STATIC);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(std::min(seconds, 1e9)));
  if (ctx.slice_deadline_ns != 0) {  // never sleep under a time slice: run elsewhere
    ctx.slice_expired = true;
    return sqlite3_result_error_code(c, SQLITE_INTERRUPT);
  }
  for (;;) {
    if (ctx.cancel_requested.load(std::memory_order_relaxed)) {
      return SetFunctionError(c, sqlstate::kQueryCanceled,
                              "canceling statement due to user request");
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kSleepSlice, deadline - now));
  }
  sqlite3_result_text(c, "", 0, SQLITE_STATIC);
}

// pgw_raise(sqlstate, message): fails the statement with that error (DDL checks use it).
void Raise(sqlite3_context* c, int, sqlite3_value** argv) {
  auto text = [&](int i) {
    const unsigned char* t = sqlite3_value_text(argv[i]);
    return std::string_view(t ? reinterpret_cast<const char*>(t) : "",
                            static_cast<size_t>(sqlite3_value_bytes(argv[i])));
  };
  SetFunctionError(c, text(0), text(1));
}

using ScalarFn = void (*)(sqlite3_context*, int, sqlite3_value**);

struct FunctionDef {
  const char* name;
  int nargs;
  bool deterministic;
  ScalarFn fn;
};

constexpr FunctionDef kFunctions[] = {
    {"pgw_cast", 2, true, Cast},
    {"pgw_cast", 3, true, Cast},
    {"pgw_div", 2, true, Div},
    {"pgw_mod", 2, true, Mod},
    {"pgw_now", 0, false, Now},
    {"pgw_transaction_timestamp", 0, false, Now},
    {"pgw_statement_timestamp", 0, false, StatementTimestamp},
    {"pgw_clock_timestamp", 0, false, ClockTimestamp},
    {"pgw_current_date", 0, false, CurrentDate},
    {"pgw_version", 0, true, Version},
    {"pgw_current_database", 0, true, CurrentDatabase},
    {"pgw_current_user", 0, true, CurrentUser},
    {"pgw_session_user", 0, true, CurrentUser},
    {"pgw_current_schema", 0, true, CurrentSchema},
    {"pgw_current_schemas", 1, true, CurrentSchemas},
    {"pgw_array_position", 2, true, ArrayPosition},
    {"pgw_pg_backend_pid", 0, true, BackendPid},
    {"pgw_bool_out", 1, true, BoolOut},
    {"pgw_pg_sleep", 1, false, PgSleep},
    {"pgw_raise", 2, false, Raise},
};

}  // namespace

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int RegisterSqliteFunctions(sqlite3* db, SqliteFunctionContext* ctx) {
  for (const FunctionDef& f : kFunctions) {
    int flags = SQLITE_UTF8 | (f.deterministic ? SQLITE_DETERMINISTIC : 0);
    int rc = sqlite3_create_function_v2(db, f.name, f.nargs, flags, ctx, f.fn, nullptr, nullptr,
                                        nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = RegisterStringFunctions(db);
  if (rc == SQLITE_OK) rc = RegisterAggregates(db);
  if (rc == SQLITE_OK) rc = RegisterGenerateSeries(db);
  return rc;
}

}  // namespace pgw
