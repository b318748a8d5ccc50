// OdbcConnection: one connection to the ODBC target, owned by the pool (odbc_pool.h) and lent
// to one session at a time. Knows the target's dialect and driver capabilities, keeps the
// statements prepared on it (SQLPrepare once per SQL text, reused; a statement busy in an
// open cursor is never handed out twice), and remembers when it was found broken so the pool
// discards it. Not thread-safe: used by the thread of the session that holds its lease; the
// pool's health check touches only idle connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backend/odbc/odbc_handles.h"
#include "backend/odbc/odbc_types.h"
#include "common/status.h"
#include "iris_pgwire/backend.h"

namespace pgw::odbc {

using Clock = std::chrono::steady_clock;

// A statement prepared on one connection, with its described result columns.
struct PreparedHandle {
  Handle stmt;
  std::vector<ColumnDesc> columns;
  std::vector<ColumnType> types;
  // Per marker, the type SQLDescribeParam reports (0 when the driver cannot tell, or says
  // only "character data").
  std::vector<Oid> marker_types;
  bool busy = false;  // an open cursor is using it
};

// Statements cached per connection (least recently used beyond it are freed).
inline constexpr size_t kMaxCachedStatements = 256;

class OdbcConnection {
 public:
  // Connects with `connection_string` (SQLDriverConnect, no prompting). `dialect` unset: taken
  // from SQLGetInfo(SQL_DBMS_NAME) (0A000 when not recognized). Login failures are 28P01/28000,
  // an unreachable target 08001.
  [[nodiscard]] static Result<std::unique_ptr<OdbcConnection>> Open(
      std::shared_ptr<Environment> env, const std::string& connection_string,
      std::optional<Dialect> dialect, int login_timeout_seconds);
  ~OdbcConnection();

  SQLHDBC dbc() const { return dbc_.get(); }
  Dialect dialect() const { return dialect_; }
  const std::string& dbms_name() const { return dbms_name_; }
  // The driver can SQLGetData a row of a block cursor (SQL_GD_BLOCK).
  bool getdata_in_blocks() const { return getdata_in_blocks_; }

  bool broken() const { return broken_; }
  void MarkBroken() { broken_ = true; }
  Clock::time_point created() const { return created_; }
  Clock::time_point last_used() const { return last_used_; }
  void Touch() { last_used_ = Clock::now(); }

  // Maps the diagnostics of `h` after a failed call doing `what`; marks the connection broken
  // when they say it is lost.
  [[nodiscard]] Status Failure(SQLSMALLINT type, SQLHANDLE h, std::string_view what);

  // Runs `sql` without parameters or results (transaction control, savepoints, pings).
  [[nodiscard]] Status ExecuteDirect(std::string_view sql);
  [[nodiscard]] Status SetAutocommit(bool on);
  bool autocommit() const { return autocommit_; }
  [[nodiscard]] Status EndTransaction(bool commit);
  // A round trip proving the target answers.
  [[nodiscard]] Status Ping();

  // A prepared statement for `sql` (ODBC markers): the cached one when it is free, else a new
  // one, cached when `sql` is not cached yet. `owned` receives a statement the caller must keep
  // (not cached); otherwise the result points into the cache. `generation`: the backend's
  // schema generation; a newer one than the cache's clears the cache (DDL changed result
  // shapes).
  [[nodiscard]] Result<PreparedHandle*> Prepare(const std::string& sql, uint64_t generation,
                                                std::unique_ptr<PreparedHandle>* owned);
  size_t cached_statements() const { return cache_.size(); }

 private:
  OdbcConnection() = default;
  [[nodiscard]] Result<std::unique_ptr<PreparedHandle>> PrepareNew(const std::string& sql);

  std::shared_ptr<Environment> env_;  // outlives dbc_
  Handle dbc_;
  Dialect dialect_ = Dialect::kPostgres;
  std::string dbms_name_;
  bool getdata_in_blocks_ = false;
  bool broken_ = false;
  bool autocommit_ = true;
  Clock::time_point created_ = Clock::now();
  Clock::time_point last_used_ = Clock::now();
  uint64_t generation_ = 0;
  // LRU: most recently used at the front.
  std::list<std::pair<std::string, std::unique_ptr<PreparedHandle>>> lru_;
  std::unordered_map<std::string_view, decltype(lru_)::iterator> cache_;
};

}  // namespace pgw::odbc
