// What COPY needs to know about a table of the ODBC target: DescribeOdbcRelation asks the
// driver's catalog functions (SQLTables for the kind, SQLColumns for the columns in ordinal
// order with their types, nullability and defaults) and maps the types as result columns are
// mapped (odbc_types.h). Catalog functions take search patterns, so rows are matched to the
// name exactly afterwards (case-insensitively when no row matches exactly: IRIS and SQLite fold
// unquoted names differently from PostgreSQL). Not thread-safe: the caller's connection.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "backend/odbc/odbc_connection.h"
#include "iris_pgwire/backend.h"
#include "iris_pgwire/catalog.h"

namespace pgw::odbc {

// `schema` as BackendSession::DescribeRelation takes it ("" default, "public", "pg_catalog").
// 42P01 when the target has no such table or view; 0A000 for the gateway's system catalog,
// which the ODBC backend does not serve to COPY.
[[nodiscard]] Result<RelationInfo> DescribeOdbcRelation(OdbcConnection& conn,
                                                        std::string_view schema,
                                                        std::string_view name);

// Oids of the target's objects as the gateway's catalog shows them: (kind, schema, name) gets
// an oid >= kFirstUserOid the first time it is seen and keeps it for the life of the process,
// whichever session asks. Thread-safe.
// The schema the catalog shows the target's default schema as.
inline constexpr std::string_view kCatalogSchema = "public";

class OidMap {
 public:
  // kind: 'r' relation, 't' its row type, 'i' index, 'c' constraint (name: "table.constraint").
  int64_t Get(char kind, std::string_view schema, std::string_view name);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> oids_;  // guarded by mu_
  int64_t next_ = catalog_oid::kFirstUserOid;      // guarded by mu_
};

// The schema model of the catalog (include/iris_pgwire/catalog.h) from the driver's catalog
// functions: SQLTables (tables and views of the target's default schema, shown as public),
// SQLColumns (all at once), and per table SQLPrimaryKeys, SQLStatistics and SQLForeignKeys.
// On PostgreSQL targets the server's own catalog adds what ODBC cannot say: declared typmods,
// identity and generated columns, defaults as pg_get_expr prints them, view definitions and
// CHECK constraints. Runs on the caller's connection (inside its transaction, if one is open).
[[nodiscard]] Status LoadOdbcSchemaModel(OdbcConnection& conn, OidMap& oids,
                                         CatalogSchemaModel* model);

// `name` as a delimited identifier ("a""b"), as all three dialects write them.
std::string QuoteIdentifier(std::string_view name);

}  // namespace pgw::odbc
