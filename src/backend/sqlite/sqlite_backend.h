// The embedded SQLite backend: the zero-setup default store. Each client session gets its own
// sqlite3 connection to the same database (WAL mode, foreign keys on, busy timeout), so
// sessions run truly in parallel on the backend worker pool: readers never block the writer,
// writers serialize (a lock wait past busy_timeout is 55P03, a stale snapshot upgrade 40001).
// `:memory:` uses one shared-cache in-memory database for all sessions of the process.
//
// The SQL it receives comes from the translator's SQLite dialect, which relies on the SQL
// functions and eponymous virtual tables this backend registers on every connection
// (sqlite_functions.h, sqlite_catalog.h).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "iris_pgwire/backend.h"
#include "iris_pgwire/catalog.h"

namespace pgw {

struct SqliteOptions {
  std::string path = "./iris-pgwire.db";  // or ":memory:"
  int busy_timeout_ms = 10000;
  std::string server_version = "15.0";  // reported by version()
  // File databases: open them through SQLite's "unix-excl" VFS, which locks the file for this
  // process alone and keeps the WAL index in memory: no shared-memory file and no fcntl lock
  // calls per transaction. Other processes cannot open the database while the server runs.
  bool exclusive = true;
};

[[nodiscard]] Result<std::unique_ptr<Backend>> OpenSqliteBackend(const SqliteOptions& options);

// A session on a private in-memory database whose catalog relations show `source`'s schema:
// the catalog engine of backends whose target has no pg_catalog of the gateway's (ODBC). It
// runs SELECTs translated with the SQLite dialect (TranslatedStatement::on_catalog_engine).
[[nodiscard]] Result<std::unique_ptr<BackendSession>> OpenCatalogEngineSession(
    std::shared_ptr<CatalogSource> source, const SessionParams& params,
    const std::string& server_version);

}  // namespace pgw
