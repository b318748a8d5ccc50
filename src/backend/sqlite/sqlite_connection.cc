// Opening and configuring SQLite connections; statement-level cancel bookkeeping.
#include "backend/sqlite/sqlite_connection.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "backend/sqlite/sqlite_errors.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

// VM instructions between cancel checks of the progress handler.
constexpr int kProgressInterval = 1000;
// Polling interval bounds while waiting for a shared-cache table lock.
constexpr auto kFirstLockPause = std::chrono::milliseconds(1);
constexpr auto kMaxLockPause = std::chrono::milliseconds(20);

bool IsLocked(int rc) { return (rc & 0xff) == SQLITE_LOCKED; }

int ProgressHandler(void* arg) {
  auto* ctx = static_cast<SqliteFunctionContext*>(arg);
  if (ctx->cancel_requested.load(std::memory_order_relaxed)) return 1;
  if (ctx->slice_deadline_ns != 0 && SteadyNowNs() >= ctx->slice_deadline_ns) {
    ctx->slice_expired = true;
    return 1;
  }
  return 0;
}

// Process-wide SQLite configuration, before the library initializes: no memory statistics
// (they take a global mutex on every allocation; nothing here reads them).
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Result<std::shared_ptr<SqliteConnection>> SqliteConnection::Open(
    const SqliteConnectionOptions& options) {
  ConfigureSqliteOnce();
  std::shared_ptr<SqliteConnection> conn(new SqliteConnection());
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  int rc = sqlite3_open_v2(options.uri.c_str(), &conn->db_, flags, options.vfs);
  if (rc != SQLITE_OK) {
    std::string msg = conn->db_ ? sqlite3_errmsg(conn->db_) : sqlite3_errstr(rc);
    return Status::Error(sqlstate::kIoError,
                         "could not open SQLite database \"" + options.uri + "\": " + msg);
  }
  sqlite3* db = conn->db_;
  // Setting the connection up (journal mode, pragmas) has no session retry around it: it waits
  // out a lock itself, up to kOpenLockWaitMs when statement waits are uncapped (0), and the
  // connection's own wait limit applies from the end of Open on.
  conn->busy_timeout_ms_ = options.busy_timeout_ms > 0 ? options.busy_timeout_ms : kOpenLockWaitMs;
  sqlite3_extended_result_codes(db, 1);
  // "x" is always an identifier (PostgreSQL), never SQLite's string-literal fallback.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_busy_timeout(db, conn->busy_timeout_ms_);
  sqlite3_progress_handler(db, kProgressInterval, ProgressHandler, &conn->ctx_);
  if (options.wal) PGW_RETURN_IF_ERROR(conn->Exec("PRAGMA journal_mode=WAL"));
  if (options.wal && options.checkpointer) {
    conn->checkpointer_ = options.checkpointer;
    conn->checkpointer_->Attach(db);
  }
  PGW_RETURN_IF_ERROR(conn->Exec(
      "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON; "
      // Pages through the OS page cache by mmap: no pread syscall per page on reads.
      "PRAGMA mmap_size=" + std::to_string(kSqliteMmapBytes)));
  rc = RegisterSqliteFunctions(db, &conn->ctx_);
  conn->catalog_source_ = options.catalog_source != nullptr
                              ? options.catalog_source
                              : std::make_shared<SqliteCatalogSource>(db);
  conn->catalog_ = std::make_unique<CatalogEngine>(conn->catalog_source_.get());
  if (rc == SQLITE_OK) rc = conn->catalog_->Register(db);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  conn->busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  return conn;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

void SqliteConnection::SetTimeSlice(int64_t deadline_ns) {
  ctx_.slice_deadline_ns = deadline_ns;
  ctx_.slice_expired = false;
  // Under a slice a busy lock is reported at once (retryable) instead of being waited for.
  sqlite3_busy_timeout(db_, deadline_ns != 0 ? 0 : busy_timeout_ms_);
}

int SqliteConnection::StepWaitingForLocks(sqlite3_stmt* stmt) {
  int rc = sqlite3_step(stmt);
  if (!IsLocked(rc) || ctx_.slice_deadline_ns != 0) return rc;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  auto pause = std::chrono::duration_cast<std::chrono::milliseconds>(kFirstLockPause);
  while (IsLocked(rc) && std::chrono::steady_clock::now() < deadline) {
    if (ctx_.cancel_requested.load(std::memory_order_relaxed)) return SQLITE_INTERRUPT;
    sqlite3_reset(stmt);
    std::this_thread::sleep_for(pause);
    pause =
        std::min(pause * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxLockPause));
    rc = sqlite3_step(stmt);
  }
  return rc;
}

int SqliteConnection::PrepareWaitingForLocks(std::string_view sql, unsigned flags,
                                             sqlite3_stmt** stmt, const char** tail) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  auto pause = std::chrono::duration_cast<std::chrono::milliseconds>(kFirstLockPause);
  for (;;) {
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, stmt, tail);
    if (!IsLocked(rc) || ctx_.slice_deadline_ns != 0 ||
        std::chrono::steady_clock::now() >= deadline) {
      return rc;
    }
    if (ctx_.cancel_requested.load(std::memory_order_relaxed)) return SQLITE_INTERRUPT;
    std::this_thread::sleep_for(pause);
    pause =
        std::min(pause * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxLockPause));
  }
}

Status SqliteConnection::Exec(std::string_view sql) {
  const char* p = sql.data();
  const char* end = p + sql.size();
  while (p < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = PrepareWaitingForLocks(std::string_view(p, end - p), 0, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc);
    p = tail;
    if (stmt == nullptr) continue;  // whitespace or comment
    rc = StepWaitingForLocks(stmt);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_finalize(stmt);
      return MapSqliteError(rc, msg, db_);
    }
    sqlite3_finalize(stmt);
  }
  return Status::OK();
}

void SqliteConnection::BeginRun() {
  std::lock_guard<std::mutex> lock(run_mu_);
  running_ = true;
  ctx_.cancel_requested.store(false, std::memory_order_relaxed);
}

void SqliteConnection::EndRun() {
  std::lock_guard<std::mutex> lock(run_mu_);
  running_ = false;
}

void SqliteConnection::RequestCancel() {
  std::lock_guard<std::mutex> lock(run_mu_);
  if (!running_) return;
  ctx_.cancel_requested.store(true, std::memory_order_relaxed);
  // sqlite3_interrupt stays in force until no statement of the connection is active; with other
  // cursors suspended it would hit later statements too, so then rely on the progress handler.
  if (active_cursors_.load(std::memory_order_relaxed) <= 1) sqlite3_interrupt(db_);
}

}  // namespace pgw
