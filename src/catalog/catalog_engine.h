// CatalogEngine: runs catalog SQL on a sqlite3 connection. It registers every catalog relation
// (catalog_relations.h) as an eponymous, read-only virtual table (pgw_pg_class, pgw_is_tables,
// ...) and the catalog functions (catalog_functions.h) on the connection, and computes rows from
// its CatalogSource's schema model at scan time: the model is re-read when the source's version
// changes (so DDL, also from another session, is visible to the next statement), and each
// relation's rows are cached until then (relations over session state are computed per scan).
//
// One engine per connection: the SQLite backend registers one on each session's connection;
// the ODBC backend on a per-session in-memory connection (see include/iris_pgwire/catalog.h).
// Not thread-safe: used by the thread running the connection's statement. The source and the
// session context must outlive the engine's use of them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog_relations.h"
#include "common/status.h"
#include "iris_pgwire/catalog.h"

struct sqlite3;

namespace pgw {

class CatalogEngine {
 public:
  explicit CatalogEngine(CatalogSource* source) : source_(source) {}
  CatalogEngine(const CatalogEngine&) = delete;
  CatalogEngine& operator=(const CatalogEngine&) = delete;

  // The session whose state pg_settings, pg_stat_activity, current_user... show.
  void SetSession(SessionCatalogContext* session, std::string database, std::string user,
                  int32_t backend_pid);

  // Registers the virtual tables and the catalog functions on `db`. Returns a SQLite result code.
  int Register(sqlite3* db);

  // The current schema model (re-read when the source's version changed). On a load error the
  // last model stays (empty at first) and `*error` receives the status when non-null.
  const CatalogSchemaModel& Model(Status* error = nullptr);
  // The rows of `rel` for one scan.
  std::shared_ptr<const std::vector<catalog::Row>> Rows(const catalog::RelationDef& rel,
                                                        Status* error);

  SessionCatalogContext* session() const { return input_.session; }
  const std::string& user() const { return input_.user; }
  const std::string& database() const { return input_.database; }

 private:
  CatalogSource* source_;
  catalog::ScanInput input_;
  CatalogSchemaModel model_;
  int64_t version_ = -1;
  bool loaded_ = false;
  std::map<const catalog::RelationDef*, std::shared_ptr<const std::vector<catalog::Row>>> cache_;
};

// Registers the catalog SQL functions (catalog_functions.cc) with `engine` as their context.
int RegisterCatalogFunctions(sqlite3* db, CatalogEngine* engine);
// Registers pgw_unnest(array) (catalog_unnest.cc).
int RegisterUnnest(sqlite3* db);

}  // namespace pgw
