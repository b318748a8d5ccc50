// What COPY needs to know about a table of the ODBC target: DescribeOdbcRelation asks the
// driver's catalog functions (SQLTables for the kind, SQLColumns for the columns in ordinal
// order with their types, nullability and defaults) and maps the types as result columns are
// mapped (odbc_types.h). Catalog functions take search patterns, so rows are matched to the
// name exactly afterwards (case-insensitively when no row matches exactly: IRIS and SQLite fold
// unquoted names differently from PostgreSQL). Not thread-safe: the caller's connection.
#pragma once

#include <string>
#include <string_view>

#include "backend/odbc/odbc_connection.h"
#include "iris_pgwire/backend.h"

namespace pgw::odbc {

// `schema` as BackendSession::DescribeRelation takes it ("" default, "public", "pg_catalog").
// 42P01 when the target has no such table or view; 0A000 for the gateway's system catalog,
// which the ODBC backend does not serve to COPY.
[[nodiscard]] Result<RelationInfo> DescribeOdbcRelation(OdbcConnection& conn,
                                                        std::string_view schema,
                                                        std::string_view name);

// `name` as a delimited identifier ("a""b"), as all three dialects write them.
std::string QuoteIdentifier(std::string_view name);

}  // namespace pgw::odbc
