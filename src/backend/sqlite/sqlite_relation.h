// DescribeSqliteRelation: a table, view or catalog relation of the SQLite backend as COPY needs
// it (BackendSession::DescribeRelation): kind, stable oid and columns with NOT NULL, default
// and generated flags from PRAGMA table_xinfo. Not thread-safe: the connection's thread.
#pragma once

#include <string_view>

#include "backend/sqlite/sqlite_connection.h"
#include "iris_pgwire/backend.h"

namespace pgw {

// `schema` "" searches user tables first, then the catalog; "public" only user tables;
// "pg_catalog" only the catalog. 42P01 `relation "t" does not exist` otherwise. pgw_* and
// sqlite_* tables are invisible, as in the catalog.
[[nodiscard]] Result<RelationInfo> DescribeSqliteRelation(SqliteConnection& conn,
                                                          std::string_view schema,
                                                          std::string_view name);

}  // namespace pgw
