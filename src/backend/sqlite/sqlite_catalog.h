// The PostgreSQL system catalog as the SQLite dialect sees it: eponymous, read-only virtual
// tables pgw_pg_namespace, pgw_pg_class, pgw_pg_attribute, pgw_pg_type, pgw_pg_database,
// pgw_pg_partitioned_table, pgw_pg_inherits and pgw_pg_roles, computed live from sqlite_schema
// and PRAGMA table_xinfo/index_list at every scan. Each relation is a table descriptor (its
// columns with PostgreSQL type names, so RowDescription reports PostgreSQL types) plus a row
// generator; one generic virtual-table module serves them all.
//
// Object OIDs are stable across sessions and restarts: the table pgw_oids(kind, name, oid)
// assigns each table, view and index an oid >= kFirstUserOid the first time it is seen
// (EnsureCatalogOids after DDL and at open). pgw_* and sqlite_* tables are hidden.
// Thread-safety: per connection, like the connection itself.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "backend/sqlite/sqlite_catalog_rows.h"
#include "common/status.h"

struct sqlite3;

namespace pgw {

struct SqliteFunctionContext;

inline constexpr int64_t kFirstUserOid = 16400;
inline constexpr int64_t kPgCatalogNamespaceOid = 11;
inline constexpr int64_t kPublicNamespaceOid = 2200;
inline constexpr int64_t kInformationSchemaNamespaceOid = 13000;
inline constexpr int64_t kDatabaseOid = 16384;
inline constexpr int64_t kBootstrapSuperuserOid = 10;

// A catalog relation's column: name and PostgreSQL type name as declared to SQLite.
struct CatalogColumn {
  const char* name;
  const char* type;
};

struct CatalogRelation {
  const char* pg_name;     // "pg_class"
  const char* table_name;  // "pgw_pg_class"
  int64_t oid;             // the relation's own oid in pg_class (PostgreSQL's where fixed)
  std::span<const CatalogColumn> columns;
  CatalogGenerator generate;  // fills one scan's rows, one cell per column
};

// Every catalog relation this backend serves (sqlite_catalog_relations.cc).
std::span<const CatalogRelation> CatalogRelations();
// By "pg_class" or "pgw_pg_class"; nullptr if unknown.
const CatalogRelation* FindCatalogRelation(std::string_view name);

// Registers the catalog virtual tables on `db`; `ctx` supplies the session's database and user.
int RegisterSqliteCatalog(sqlite3* db, SqliteFunctionContext* ctx);

// Creates pgw_oids if needed and assigns oids to schema objects that have none. Call inside the
// DDL's transaction (so the assignment commits with it) and once when the backend opens.
[[nodiscard]] Status EnsureCatalogOids(sqlite3* db);

}  // namespace pgw
