// SqliteCatalogSource: the SQLite backend's CatalogSource (include/iris_pgwire/catalog.h). It
// reads the schema model from sqlite_schema and PRAGMA table_xinfo / index_list / index_info /
// foreign_key_list on the connection it serves, inside that connection's transaction, so a
// session sees its own uncommitted DDL and other sessions' committed DDL at its next statement.
// PostgreSQL's shapes are restored where SQLite keeps less: constraint and index names follow
// PostgreSQL's defaults (<table>_pkey, <table>_<cols>_key, <table>_<cols>_fkey,
// <table>_<col>_check), an INTEGER PRIMARY KEY gets its <table>_pkey index, defaults are
// printed as pg_get_expr prints them ('x'::text, now(), nextval(...) for serial columns).
//
// Object oids are stable across sessions and restarts: the table pgw_oids(kind, name) assigns
// each table, view, index, row type and constraint an oid >= kFirstUserOid the first time it is
// seen (EnsureCatalogOids, run inside every DDL's transaction and when the backend opens);
// dropped objects lose theirs. pgw_* and sqlite_* tables are hidden.
// Not thread-safe: one per connection, used by the thread running its statement.
#pragma once

#include <string_view>

#include "common/status.h"
#include "iris_pgwire/catalog.h"

struct sqlite3;

namespace pgw {

class SqliteCatalogSource final : public CatalogSource {
 public:
  explicit SqliteCatalogSource(sqlite3* db) : db_(db) {}
  int64_t version() override;
  Status Load(CatalogSchemaModel* model) override;

 private:
  sqlite3* db_;
};

// Creates pgw_oids if needed, assigns oids to schema objects that have none and forgets those
// of dropped objects. Call inside the DDL's transaction (so the assignment commits with it) and
// once when the backend opens.
[[nodiscard]] Status EnsureCatalogOids(sqlite3* db);

// Stable oid of an object missing from pgw_oids (created behind the gateway's back): a hash of
// kind and name above the range pgw_oids hands out.
int64_t FallbackOid(std::string_view kind, std::string_view name);

}  // namespace pgw
