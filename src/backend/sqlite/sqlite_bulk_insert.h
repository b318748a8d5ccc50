// SqliteBulkSink: the SQLite backend's COPY FROM fast path (BulkSink in backend.h). INSERTs
// prepared once per COPY and stepped with the rows' values bound natively (no SQL text per row):
// a multi-row INSERT for each whole group of kGroupRows rows, a one-row INSERT for the rest and
// to find the row an error is about; with a WHERE condition the one-row INSERT selects from the
// bound row and skips rows the condition rejects. A GENERATED ALWAYS identity column named by the
// COPY takes the given values, as PostgreSQL's COPY does: the connection runs with triggers off for
// the sink's lifetime (the only triggers the gateway creates are those identity guards). Not
// thread-safe; Write runs on one thread at a time, never concurrently with the session's other
// calls.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "backend/sqlite/sqlite_connection.h"
#include "iris_pgwire/backend.h"

namespace pgw {

class SqliteBulkSink final : public BulkSink {
 public:
  // Prepares the INSERT. Errors as SQLite's prepare maps them (42P01, 42703, ...).
  static Result<std::unique_ptr<BulkSink>> Open(std::shared_ptr<SqliteConnection> conn,
                                                const BulkInsertSpec& spec);
  ~SqliteBulkSink() override;
  SqliteBulkSink(const SqliteBulkSink&) = delete;
  SqliteBulkSink& operator=(const SqliteBulkSink&) = delete;

  Status Write(const RowBatch& batch, BulkWriteResult* result) override;

 private:
  SqliteBulkSink(std::shared_ptr<SqliteConnection> conn, BulkInsertSpec spec)
      : conn_(std::move(conn)), spec_(std::move(spec)) {}
  // Rows per multi-row INSERT.
  static constexpr size_t kGroupRows = 32;

  Status WriteRow(std::span<const Value> row, BulkWriteResult* result);
  // Steps an INSERT, waiting out another session's write lock (SQLITE_BUSY) for up to
  // spec_.lock_wait_ms (0: until cancelled).
  int Step(sqlite3_stmt* stmt);
  // The error of the row that failed, with PostgreSQL's DETAIL for a unique violation when the
  // key's values are among the row's.
  Status RowError(int rc, std::span<const Value> row) const;

  std::shared_ptr<SqliteConnection> conn_;
  BulkInsertSpec spec_;
  sqlite3_stmt* stmt_ = nullptr;        // one row
  sqlite3_stmt* group_stmt_ = nullptr;  // kGroupRows rows; null when not usable
  bool triggers_off_ = false;           // restore SQLITE_DBCONFIG_ENABLE_TRIGGER in the destructor
};

}  // namespace pgw
