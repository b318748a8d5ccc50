// ODBC SQL types <-> PostgreSQL OIDs (see odbc_types.h).
#include "backend/odbc/odbc_types.h"

#include <algorithm>
#include <string>

namespace pgw::odbc {
namespace {

// UTF-8 needs up to 4 bytes per character; +1 for the NUL SQL_C_CHAR appends.
size_t CharBytes(SQLULEN chars) {
  if (chars == 0 || chars > kMaxBoundColumnBytes / 4) return 0;
  return static_cast<size_t>(chars) * 4 + 1;
}

// A fixed-width column fetched as a 64-bit integer or a double.
ColumnType Fixed(Oid oid, SQLSMALLINT c_type) {
  ColumnType t;
  t.oid = oid;
  t.c_type = c_type;
  t.max_bytes = 8;
  return t;
}

ColumnType FromSqlType(SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT scale) {
  ColumnType t;
  switch (sql_type) {
    case SQL_BIT:
      return Fixed(oid::kBool, SQL_C_SBIGINT);
    case SQL_TINYINT:
    case SQL_SMALLINT:
      return Fixed(oid::kInt2, SQL_C_SBIGINT);
    case SQL_INTEGER:
      return Fixed(oid::kInt4, SQL_C_SBIGINT);
    case SQL_BIGINT:
      return Fixed(oid::kInt8, SQL_C_SBIGINT);
    case SQL_REAL:
      return Fixed(oid::kFloat4, SQL_C_DOUBLE);
    case SQL_FLOAT:
    case SQL_DOUBLE:
      return Fixed(oid::kFloat8, SQL_C_DOUBLE);
    case SQL_NUMERIC:
    case SQL_DECIMAL:
      t.oid = oid::kNumeric;
      if (size > 0 && size <= 1000) {
        t.typmod = static_cast<int32_t>(((size << 16) | static_cast<SQLULEN>(scale)) + 4);
      }
      t.max_bytes = 1000 + 3;  // sign, point, NUL
      return t;
    case SQL_TYPE_DATE:
    case SQL_DATE:
      t.oid = oid::kDate;
      t.max_bytes = 32;
      return t;
    case SQL_TYPE_TIME:
    case SQL_TIME:
      t.oid = oid::kTime;
      t.max_bytes = 32;
      return t;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      t.oid = oid::kTimestamp;
      t.max_bytes = 40;
      return t;
    case SQL_GUID:
      t.oid = oid::kUuid;
      t.max_bytes = 40;
      return t;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      t.oid = oid::kBytea;
      t.c_type = SQL_C_BINARY;
      t.max_bytes = sql_type == SQL_LONGVARBINARY || size > kMaxBoundColumnBytes ? 0 : size;
      return t;
    case SQL_CHAR:
    case SQL_WCHAR:
      t.oid = oid::kBpchar;
      if (size > 0 && size < 10485760) t.typmod = static_cast<int32_t>(size) + 4;
      t.max_bytes = CharBytes(size);
      return t;
    case SQL_VARCHAR:
    case SQL_WVARCHAR:
      t.oid = oid::kVarchar;
      if (size > 0 && size < 10485760) t.typmod = static_cast<int32_t>(size) + 4;
      t.max_bytes = CharBytes(size);
      return t;
    default:  // SQL_LONGVARCHAR, SQL_WLONGVARCHAR, driver-specific types
      t.oid = oid::kText;
      t.max_bytes = 0;
      return t;
  }
}

void FetchAs(ColumnType& t) {
  switch (LookupType(t.oid) ? LookupType(t.oid)->category : TypeCategory::kString) {
    case TypeCategory::kBool:
    case TypeCategory::kInteger:
      t.c_type = SQL_C_SBIGINT;
      t.max_bytes = sizeof(int64_t);
      break;
    case TypeCategory::kFloat:
      t.c_type = SQL_C_DOUBLE;
      t.max_bytes = sizeof(double);
      break;
    case TypeCategory::kBytea:
      t.c_type = SQL_C_BINARY;
      break;
    default:
      t.c_type = SQL_C_CHAR;
      break;
  }
}

}  // namespace

ColumnType MapResultColumn(SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT scale,
                           std::string_view type_name, Dialect dialect) {
  ColumnType t = FromSqlType(sql_type, size, scale);
  if (dialect == Dialect::kPostgres && !type_name.empty()) {
    // psqlODBC reports the server's type name (int4, text, uuid, jsonb, _int4, ...): the real
    // OID, rather than the nearest ODBC type.
    std::string name(type_name);
    if (name.size() > 1 && name[0] == '_') name = name.substr(1) + "[]";
    DeclaredType d = ParseDeclaredType(name);
    const TypeInfo* info = LookupType(d.oid);
    bool known = LookupTypeByName(type_name) != nullptr || name.back() == ']';
    if (info != nullptr && known) {
      size_t bound = t.max_bytes;
      Oid before = t.oid;
      t.oid = d.oid;
      // psqlODBC describes an unconstrained numeric as numeric(28,6): its typmod is no
      // evidence of a declared scale, and applying it would round the values.
      if ((t.oid != before && t.oid != oid::kVarchar && t.oid != oid::kBpchar) ||
          t.oid == oid::kNumeric) {
        t.typmod = -1;
      }
      FetchAs(t);
      if (t.c_type == SQL_C_CHAR || t.c_type == SQL_C_BINARY) t.max_bytes = bound;
    }
  } else if (dialect == Dialect::kIris) {
    // IRIS reports VECTOR columns with their own type name.
    std::string upper;
    for (char c : type_name) upper.push_back(static_cast<char>(std::toupper(c)));
    if (upper.rfind("VECTOR", 0) == 0) {
      t.oid = oid::kVector;
      t.typmod = -1;
      t.c_type = SQL_C_CHAR;
      t.max_bytes = 0;
    }
  }
  return t;
}

ParamType MapParam(Oid pg_type, const Value& v) {
  ParamType p;
  switch (v.kind) {
    case Value::Kind::kInt:
      p.c_type = SQL_C_SBIGINT;
      p.sql_type = pg_type == oid::kBool   ? SQL_BIT
                   : pg_type == oid::kInt2 ? SQL_SMALLINT
                   : pg_type == oid::kInt4 ? SQL_INTEGER
                                           : SQL_BIGINT;
      if (pg_type == oid::kNumeric) {
        p.sql_type = SQL_NUMERIC;
        p.column_size = 19;
      }
      return p;
    case Value::Kind::kFloat:
      p.c_type = SQL_C_DOUBLE;
      p.sql_type = pg_type == oid::kFloat4 ? SQL_REAL : SQL_DOUBLE;
      return p;
    case Value::Kind::kBlob:
      p.c_type = SQL_C_BINARY;
      p.sql_type = SQL_LONGVARBINARY;
      p.column_size = std::max<SQLULEN>(v.s.size(), 1);
      return p;
    case Value::Kind::kNull:
    case Value::Kind::kText:
      break;
  }
  p.c_type = SQL_C_CHAR;
  p.column_size = std::max<SQLULEN>(v.s.size(), 1);
  switch (pg_type) {
    case oid::kNumeric:
      // As character data: drivers convert it exactly, where SQL_NUMERIC would make them
      // round to a scale of their choosing.
      p.sql_type = SQL_VARCHAR;
      break;
    case oid::kDate:
      p.sql_type = SQL_TYPE_DATE;
      break;
    case oid::kTime:
      p.sql_type = SQL_TYPE_TIME;
      break;
    case oid::kTimestamp:
      p.sql_type = SQL_TYPE_TIMESTAMP;
      break;
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8:
    case oid::kFloat4:
    case oid::kFloat8:
    case oid::kBool:
      // Text of a numeric type (e.g. a literal parameterized as text): the target converts.
      p.sql_type = SQL_VARCHAR;
      break;
    default:
      // text, varchar, timestamptz (keeps its offset), uuid, json, arrays, vectors, unknown.
      p.sql_type = v.s.size() > 4000 ? SQL_LONGVARCHAR : SQL_VARCHAR;
      break;
  }
  return p;
}

}  // namespace pgw::odbc
