// SqliteConnection: one configured sqlite3 connection of the SQLite backend plus the state its
// registered functions read (SqliteFunctionContext) and the bookkeeping Cancel() needs. Shared
// (shared_ptr) by the session that opened it and by that session's statements and cursors, so
// the handle outlives whichever of them goes last; closed with sqlite3_close_v2. Not
// thread-safe, except RequestCancel(), which any thread may call while the owner runs.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "backend/sqlite/sqlite_catalog_source.h"
#include "backend/sqlite/sqlite_checkpointer.h"
#include "backend/sqlite/sqlite_functions.h"
#include "catalog/catalog_engine.h"
#include "common/status.h"

namespace pgw {

// How long SqliteConnection::Open waits for a lock while it sets the connection up, when
// statement lock waits are uncapped (busy_timeout_ms 0): a login fails with 55P03 after it.
inline constexpr int kOpenLockWaitMs = 10000;

// How much of the database file each connection maps into memory (PRAGMA mmap_size): reads
// then cost no pread syscall.
inline constexpr int64_t kSqliteMmapBytes = 1073741824;

struct SqliteConnectionOptions {
  std::string uri;  // file path or "file:...?mode=memory&cache=shared"
  bool wal = true;  // PRAGMA journal_mode=WAL (file databases)
  int busy_timeout_ms = 10000;
  const char* vfs = nullptr;  // SQLite VFS name; nullptr = the default
  // The schema the catalog relations show; null = this database's own (SqliteCatalogSource).
  // The ODBC backend's catalog engine session passes its target's here.
  std::shared_ptr<CatalogSource> catalog_source;
  // WAL file databases: checkpoints run on this background thread instead of at the commit
  // that fills the WAL (null: SQLite's autocheckpoint).
  std::shared_ptr<WalCheckpointer> checkpointer;
};

class SqliteConnection {
 public:
  // Opens and configures a connection: pragmas, functions, catalog virtual tables.
  [[nodiscard]] static Result<std::shared_ptr<SqliteConnection>> Open(
      const SqliteConnectionOptions& options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }
  SqliteFunctionContext& context() { return ctx_; }
  // The catalog relations and functions registered on this connection.
  CatalogEngine& catalog() { return *catalog_; }

  // sqlite3_step and sqlite3_prepare_v3 that wait out shared-cache table locks (SQLITE_LOCKED:
  // in-memory databases, where SQLite's busy timeout does not apply) for up to the busy timeout,
  // like busy_timeout does for file locks. StepWaitingForLocks REQUIRES that `stmt` has returned
  // no row in this execution: a locked attempt is reset and re-run.
  int StepWaitingForLocks(sqlite3_stmt* stmt);
  int PrepareWaitingForLocks(std::string_view sql, unsigned flags, sqlite3_stmt** stmt,
                             const char** tail);

  // Sets (deadline_ns > 0, steady_clock nanoseconds) or clears (0) the time slice: see
  // BackendSession::SetTimeSlice. Under a slice nothing waits for a lock.
  void SetTimeSlice(int64_t deadline_ns);
  // True when the last SQLITE_INTERRUPT came from an expired slice, not from a cancel.
  bool slice_expired() const { return ctx_.slice_expired; }

  // Runs every statement of `sql` to completion, discarding rows.
  [[nodiscard]] Status Exec(std::string_view sql);

  // Brackets statement execution so that a cancel hits only a running statement. BeginRun
  // clears any earlier cancel request.
  void BeginRun();
  void EndRun();
  // Thread-safe: interrupts the running statement, if any.
  void RequestCancel();

  // Cursors that started stepping and are not finished (sqlite3_interrupt would linger).
  void CursorStarted() { active_cursors_.fetch_add(1, std::memory_order_relaxed); }
  void CursorFinished() { active_cursors_.fetch_sub(1, std::memory_order_relaxed); }
  bool has_active_cursors() const { return active_cursors_.load(std::memory_order_relaxed) > 0; }

 private:
  SqliteConnection() = default;

  sqlite3* db_ = nullptr;
  SqliteFunctionContext ctx_;
  std::shared_ptr<CatalogSource> catalog_source_;
  std::unique_ptr<CatalogEngine> catalog_;
  std::shared_ptr<WalCheckpointer> checkpointer_;  // outlives the hook registered on db_
  int busy_timeout_ms_ = 0;
  std::mutex run_mu_;
  bool running_ = false;  // guarded by run_mu_
  std::atomic<int> active_cursors_{0};
};

}  // namespace pgw
