// Types across the ODBC boundary. Result columns: the SQL type, size and scale SQLDescribeCol
// reports (and, for PostgreSQL targets, the server's own type name, which psqlODBC reports as
// SQL_DESC_TYPE_NAME) become a PostgreSQL OID and typmod, and a C type to fetch the value in
// storage form. Parameters: a storage-form Value of a PostgreSQL type becomes the C type and
// SQL type SQLBindParameter needs, so the driver sends a typed parameter, never text spliced
// into the SQL. Pure functions; thread-safe.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string_view>

#include "iris_pgwire/backend.h"
#include "types/pg_types.h"
#include "types/value.h"

namespace pgw::odbc {

// How one result column is described and fetched.
struct ColumnType {
  Oid oid = oid::kText;
  int32_t typmod = -1;
  SQLSMALLINT c_type = SQL_C_CHAR;  // SQL_C_SBIGINT, SQL_C_DOUBLE, SQL_C_BINARY or SQL_C_CHAR
  // Bytes a bound buffer needs for the longest value (incl. the terminating NUL for
  // SQL_C_CHAR); 0 = unbounded or unknown (the value is read with SQLGetData).
  size_t max_bytes = 0;
};

// Largest column a block cursor binds; longer (or unbounded) ones are read with SQLGetData.
inline constexpr size_t kMaxBoundColumnBytes = 8192;

ColumnType MapResultColumn(SQLSMALLINT sql_type, SQLULEN column_size, SQLSMALLINT scale,
                           std::string_view type_name, Dialect dialect);

// How one parameter is bound.
struct ParamType {
  SQLSMALLINT c_type = SQL_C_CHAR;
  SQLSMALLINT sql_type = SQL_VARCHAR;
  SQLULEN column_size = 0;
  SQLSMALLINT decimal_digits = 0;
};

// `pg_type` is the parameter's PostgreSQL type (0 = unknown), `v` its non-null storage value.
ParamType MapParam(Oid pg_type, const Value& v);

}  // namespace pgw::odbc
