// array_agg / string_agg with ORDER BY keys (sqlite_aggregates.h).
#include "backend/sqlite/sqlite_aggregates.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <numeric>
#include <string>
#include <vector>

#include "backend/sqlite/sqlite_errors.h"
#include "catalog/sqlite_function_args.h"
#include "common/sqlstate.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

// PostgreSQL's MaxArraySize: MaxAllocSize / sizeof(Datum).
constexpr size_t kMaxArrayElements = 134217727;
// Arguments before the (key, desc, nulls_first) triples: value and elem_oid / separator.
constexpr int kLeadingArgs = 2;
constexpr int kArgsPerKey = 3;
constexpr char kHexDigits[] = "0123456789abcdef";

// A copy of one SQLite value (arguments are only valid during the step call).
struct OwnedValue {
  int type = SQLITE_NULL;
  int64_t i = 0;
  double f = 0;
  std::string s;

  static OwnedValue From(sqlite3_value* v) {
    OwnedValue o;
    o.type = sqlite3_value_type(v);
    if (o.type == SQLITE_INTEGER) o.i = sqlite3_value_int64(v);
    if (o.type == SQLITE_FLOAT) o.f = sqlite3_value_double(v);
    if (o.type == SQLITE_TEXT) o.s = TextArg(v);
    if (o.type == SQLITE_BLOB) o.s = BytesArg(v);
    return o;
  }
  bool is_null() const { return type == SQLITE_NULL; }
  Value view() const {
    switch (type) {
      case SQLITE_INTEGER:
        return Value::Int(i);
      case SQLITE_FLOAT:
        return Value::Float(f);
      case SQLITE_TEXT:
        return Value::Text(s);
      case SQLITE_BLOB:
        return Value::Blob(s);
      default:
        return Value::Null();
    }
  }
};

struct KeyOrder {
  bool desc = false;
  bool nulls_first = false;
};

struct Row {
  OwnedValue value;
  OwnedValue separator;  // string_agg only
  std::vector<OwnedValue> keys;
  size_t bytes = 0;
};

struct AggState {
  Oid elem_oid = 0;
  std::vector<KeyOrder> order;
  std::deque<Row> rows;  // in arrival order (window frames remove from the front)
  size_t bytes = 0;
};

enum class AggKind { kArray, kString };

int KindRank(int type) { return type == SQLITE_TEXT ? 1 : type == SQLITE_BLOB ? 2 : 0; }

// Three-way comparison of two non-null keys.
int CompareKeys(const OwnedValue& a, const OwnedValue& b) {
  const int ra = KindRank(a.type);
  const int rb = KindRank(b.type);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) {
    if (a.type == SQLITE_INTEGER && b.type == SQLITE_INTEGER) return (a.i > b.i) - (a.i < b.i);
    const double x = a.type == SQLITE_INTEGER ? static_cast<double>(a.i) : a.f;
    const double y = b.type == SQLITE_INTEGER ? static_cast<double>(b.i) : b.f;
    return (x > y) - (x < y);
  }
  const size_t n = std::min(a.s.size(), b.s.size());
  int cmp = n == 0 ? 0 : std::memcmp(a.s.data(), b.s.data(), n);
  if (cmp != 0) return cmp < 0 ? -1 : 1;
  return (a.s.size() > b.s.size()) - (a.s.size() < b.s.size());
}

bool RowLess(const std::vector<KeyOrder>& order, const Row& a, const Row& b) {
  for (size_t k = 0; k < order.size(); ++k) {
    const OwnedValue& x = a.keys[k];
    const OwnedValue& y = b.keys[k];
    int cmp;
    if (x.is_null() || y.is_null()) {
      if (x.is_null() && y.is_null()) continue;
      cmp = x.is_null() == order[k].nulls_first ? -1 : 1;
    } else {
      cmp = CompareKeys(x, y);
      if (order[k].desc) cmp = -cmp;
    }
    if (cmp != 0) return cmp < 0;
  }
  return false;
}

// Row indexes in output order.
std::vector<size_t> SortedOrder(const AggState& st) {
  std::vector<size_t> idx(st.rows.size());
  std::iota(idx.begin(), idx.end(), 0);
  if (!st.order.empty()) {
    std::stable_sort(idx.begin(), idx.end(),
                     [&](size_t a, size_t b) { return RowLess(st.order, st.rows[a], st.rows[b]); });
  }
  return idx;
}

void AppendHex(std::string_view bytes, std::string* out) {
  for (unsigned char b : bytes) {
    out->push_back(kHexDigits[b >> 4]);
    out->push_back(kHexDigits[b & 0xF]);
  }
}

// The value's own text when its type has no text output for it.
void AppendRawText(const Value& v, std::string* out) {
  switch (v.kind) {
    case Value::Kind::kInt:
      out->append(std::to_string(v.i));
      return;
    case Value::Kind::kFloat:
      AppendFloat8Text(v.f, out);
      return;
    case Value::Kind::kBlob:
      out->append("\\x");
      AppendHex(v.s, out);
      return;
    case Value::Kind::kText:
    case Value::Kind::kNull:
      out->append(v.s);
      return;
  }
}

AggState* State(sqlite3_context* c, bool create) {
  auto** slot =
      static_cast<AggState**>(sqlite3_aggregate_context(c, create ? sizeof(AggState*) : 0));
  if (slot == nullptr) return nullptr;
  if (*slot == nullptr && create) *slot = new AggState();
  return *slot;
}

void Step(sqlite3_context* c, int argc, sqlite3_value** argv, AggKind kind) {
  if (argc < kLeadingArgs || (argc - kLeadingArgs) % kArgsPerKey != 0) {
    return SetFunctionError(c, sqlstate::kInternalError,
                            "wrong number of arguments to an ordered aggregate");
  }
  AggState* st = State(c, true);
  if (st == nullptr) return sqlite3_result_error_nomem(c);
  const bool is_array = kind == AggKind::kArray;
  if (!is_array && sqlite3_value_type(argv[0]) == SQLITE_NULL) return;  // string_agg skips
  if (st->rows.empty() && st->order.empty()) {
    if (is_array) st->elem_oid = static_cast<Oid>(sqlite3_value_int64(argv[1]));
    for (int a = kLeadingArgs; a < argc; a += kArgsPerKey) {
      st->order.push_back(
          {sqlite3_value_int64(argv[a + 1]) != 0, sqlite3_value_int64(argv[a + 2]) != 0});
    }
  }
  if (is_array && st->rows.size() >= kMaxArrayElements) {
    return SetFunctionError(
        c, sqlstate::kProgramLimitExceeded,
        "array size exceeds the maximum allowed (" + std::to_string(kMaxArrayElements) + ")");
  }
  Row row;
  row.value = OwnedValue::From(argv[0]);
  if (!is_array) row.separator = OwnedValue::From(argv[1]);
  row.bytes = row.value.s.size() + row.separator.s.size() + sizeof(Row);
  for (int a = kLeadingArgs; a < argc; a += kArgsPerKey) {
    row.keys.push_back(OwnedValue::From(argv[a]));
    row.bytes += row.keys.back().s.size() + sizeof(OwnedValue);
  }
  if (st->bytes + row.bytes > MaxResultLength(c)) {
    return SetFunctionError(c, sqlstate::kProgramLimitExceeded, "out of memory");
  }
  st->bytes += row.bytes;
  st->rows.push_back(std::move(row));
}

void ResultArray(sqlite3_context* c, const AggState& st) {
  std::string out = "{";
  for (size_t k : SortedOrder(st)) {
    if (out.size() > 1) out.push_back(',');
    const OwnedValue& v = st.rows[k].value;
    if (v.is_null()) {
      out.append("NULL");
    } else {
      AppendArrayElement(st.elem_oid, v.view(), &out);
    }
    if (out.size() > MaxResultLength(c)) {
      return SetFunctionError(c, sqlstate::kProgramLimitExceeded, "out of memory");
    }
  }
  out.push_back('}');
  ResultText(c, out);
}

void ResultString(sqlite3_context* c, const AggState& st) {
  std::string out;
  bool first = true;
  for (size_t k : SortedOrder(st)) {
    const Row& row = st.rows[k];
    if (!first && !row.separator.is_null()) AppendRawText(row.separator.view(), &out);
    first = false;
    if (row.value.type == SQLITE_BLOB) {
      out.append(row.value.s);
    } else {
      AppendRawText(row.value.view(), &out);
    }
    if (out.size() > MaxResultLength(c)) {
      return SetFunctionError(c, sqlstate::kProgramLimitExceeded, "out of memory");
    }
  }
  if (st.rows.front().value.type == SQLITE_BLOB) {  // string_agg(bytea, bytea)
    return sqlite3_result_blob64(c, out.data(), out.size(), SQLITE_TRANSIENT);
  }
  ResultText(c, out);
}

void EmitResult(sqlite3_context* c, AggKind kind, const AggState* st) {
  if (st == nullptr || st->rows.empty()) return sqlite3_result_null(c);
  if (kind == AggKind::kArray) return ResultArray(c, *st);
  ResultString(c, *st);
}

void Final(sqlite3_context* c, AggKind kind) {
  auto** slot = static_cast<AggState**>(sqlite3_aggregate_context(c, 0));
  AggState* st = slot != nullptr ? *slot : nullptr;
  EmitResult(c, kind, st);
  delete st;
  if (slot != nullptr) *slot = nullptr;
}

void Inverse(sqlite3_context* c) {
  AggState* st = State(c, false);
  if (st == nullptr || st->rows.empty()) return;
  st->bytes -= st->rows.front().bytes;
  st->rows.pop_front();
}

void ArrayStep(sqlite3_context* c, int argc, sqlite3_value** argv) {
  Step(c, argc, argv, AggKind::kArray);
}
void ArrayFinal(sqlite3_context* c) { Final(c, AggKind::kArray); }
void ArrayValue(sqlite3_context* c) { EmitResult(c, AggKind::kArray, State(c, false)); }
void StringStep(sqlite3_context* c, int argc, sqlite3_value** argv) {
  Step(c, argc, argv, AggKind::kString);
}
void StringFinal(sqlite3_context* c) { Final(c, AggKind::kString); }
void StringValue(sqlite3_context* c) { EmitResult(c, AggKind::kString, State(c, false)); }

// string_agg skips NULL values, so its inverse must skip the same rows.
void ArrayInverse(sqlite3_context* c, int, sqlite3_value**) { Inverse(c); }
void StringInverse(sqlite3_context* c, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) Inverse(c);
}

bool IsArraySpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

}  // namespace

void AppendArrayElementText(std::string_view text, std::string* out) {
  bool quote = text.empty() || (text.size() == 4 && sqlite3_strnicmp(text.data(), "null", 4) == 0);
  for (char ch : text) {
    if (quote) break;
    quote = ch == '"' || ch == '\\' || ch == '{' || ch == '}' || ch == ',' || IsArraySpace(ch);
  }
  if (!quote) return out->append(text), void();
  out->push_back('"');
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out->push_back('\\');
    out->push_back(ch);
  }
  out->push_back('"');
}

void AppendArrayElement(Oid elem_oid, const Value& v, std::string* out) {
  std::string text;
  if (elem_oid == 0 || !EncodeValue(elem_oid, -1, v, WireFormat::kText, &text).ok()) {
    text.clear();
    AppendRawText(v, &text);
  }
  AppendArrayElementText(text, out);
}

int RegisterAggregates(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc = sqlite3_create_window_function(db, "pgw_array_agg", -1, flags, nullptr, ArrayStep,
                                          ArrayFinal, ArrayValue, ArrayInverse, nullptr);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_window_function(db, "pgw_string_agg", -1, flags, nullptr, StringStep,
                                        StringFinal, StringValue, StringInverse, nullptr);
}

}  // namespace pgw
