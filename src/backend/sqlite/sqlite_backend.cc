// OpenSqliteBackend: the Backend that hands each session its own configured connection to one
// SQLite database (a file, or a process-unique shared-cache in-memory database).
#include "backend/sqlite/sqlite_backend.h"

#include <atomic>
#include <string>

#include "backend/sqlite/sqlite_catalog_source.h"
#include "backend/sqlite/sqlite_checkpointer.h"
#include "backend/sqlite/sqlite_connection.h"
#include "backend/sqlite/sqlite_schema.h"
#include "backend/sqlite/sqlite_session.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

std::atomic<uint64_t> g_memory_db_counter{0};

// A client session on `conn`: the functions and the catalog learn who it is.
std::unique_ptr<BackendSession> SessionOn(std::shared_ptr<SqliteConnection> conn,
                                          const SessionParams& params,
                                          const std::string& server_version) {
  SqliteFunctionContext& ctx = conn->context();
  ctx.database = params.database;
  ctx.user = params.user;
  ctx.server_version = server_version;
  ctx.backend_pid = params.backend_pid;
  conn->catalog().SetSession(params.catalog, params.database, params.user, params.backend_pid);
  return std::make_unique<SqliteSession>(std::move(conn));
}

class SqliteBackend final : public Backend {
 public:
  SqliteBackend(SqliteOptions options, SqliteConnectionOptions conn_options,
                std::shared_ptr<SqliteConnection> schema_conn)
      : options_(std::move(options)),
        conn_options_(std::move(conn_options)),
        schema_conn_(schema_conn),
        schema_(std::move(schema_conn)) {}

  Result<std::unique_ptr<BackendSession>> Connect(const SessionParams& params) override {
    PGW_TRY(std::shared_ptr<SqliteConnection> conn, SqliteConnection::Open(conn_options_));
    return SessionOn(std::move(conn), params, options_.server_version);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  const SchemaLookup& schema() const override { return schema_; }
  std::string Describe() const override { return "sqlite:" + options_.path; }

 private:
  SqliteOptions options_;
  SqliteConnectionOptions conn_options_;
  // Also keeps a `:memory:` database alive while the backend exists.
  std::shared_ptr<SqliteConnection> schema_conn_;
  SqliteSchemaLookup schema_;
};

}  // namespace

Result<std::unique_ptr<BackendSession>> OpenCatalogEngineSession(
    std::shared_ptr<CatalogSource> source, const SessionParams& params,
    const std::string& server_version) {
  SqliteConnectionOptions options;
  options.uri = ":memory:";
  options.wal = false;
  options.catalog_source = std::move(source);
  PGW_TRY(std::shared_ptr<SqliteConnection> conn, SqliteConnection::Open(options));
  return SessionOn(std::move(conn), params, server_version);
}

Result<std::unique_ptr<Backend>> OpenSqliteBackend(const SqliteOptions& options) {
  SqliteConnectionOptions conn_options;
  conn_options.busy_timeout_ms = options.busy_timeout_ms;
  if (options.path == ":memory:") {
    conn_options.uri = "file:pgw-mem-" + std::to_string(g_memory_db_counter.fetch_add(1)) +
                       "?mode=memory&cache=shared";
    conn_options.wal = false;
  } else {
    conn_options.uri = options.path;
    if (options.exclusive) conn_options.vfs = "unix-excl";
    conn_options.checkpointer =
        std::make_shared<WalCheckpointer>(conn_options.uri, conn_options.vfs);
  }
  Result<std::shared_ptr<SqliteConnection>> opened = SqliteConnection::Open(conn_options);
  Status st = opened.status();
  if (st.ok()) st = EnsureCatalogOids((*opened)->db());
  if (st.retryable() && options.exclusive) {
    return Status::Error(sqlstate::kObjectInUse,
                         "could not open SQLite database \"" + options.path +
                             "\": it is in use by another process")
        .WithHint("The server holds its database file exclusively; stop the other program or "
                  "server, or start this one with --sqlite-exclusive false.");
  }
  PGW_RETURN_IF_ERROR(std::move(st));
  std::shared_ptr<SqliteConnection> schema_conn = std::move(*opened);
  schema_conn->context().server_version = options.server_version;
  return std::unique_ptr<Backend>(
      std::make_unique<SqliteBackend>(options, std::move(conn_options), std::move(schema_conn)));
}

}  // namespace pgw
