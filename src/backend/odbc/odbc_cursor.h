// OdbcStatement and OdbcCursor: a statement of the ODBC backend and one execution of it.
// The statement keeps the SQL with ODBC markers and the parameter each marker binds; it is
// prepared on whichever connection runs it (each connection caches its own prepared handle).
// The cursor binds the parameters with their types (SQLBindParameter), executes, and streams
// the result through a block cursor: SQL_ATTR_ROW_ARRAY_SIZE rows per SQLFetch into
// column-wise buffers of at most kBlockBytes, so memory stays bounded whatever the result
// size. Columns without a bounded size are read with SQLGetData, one row per fetch. The cursor
// holds the connection's lease until it is done or destroyed. Not thread-safe: the session's
// thread (Cancel goes through the session's CancelSlot).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "backend/odbc/odbc_connection.h"
#include "backend/odbc/odbc_pool.h"
#include "iris_pgwire/backend.h"
#include "sql/translator.h"

namespace pgw::odbc {

// Named limits of the block cursor.
inline constexpr size_t kBlockBytes = 256 * 1024;  // bound buffers of one rowset
inline constexpr size_t kMaxBlockRows = 1024;

// The statement running on a session's connection, for Cancel() from another thread.
class CancelSlot {
 public:
  void Enter(SQLHSTMT stmt);
  void Leave();
  // SQLCancel on the running ODBC call, if any. A cancel between two calls is the session's
  // to notice (ProtocolSession::ResumeStatement, COPY's cancel flag).
  void Cancel();
  // True (once) when Cancel() cancelled a call since the last time. SQLCancel that lands just
  // after a call returned closes the cursor instead, and the next call fails with HY010: the
  // caller reports such a failure as the cancellation it is.
  bool TakeCancelled() { return cancelled_.exchange(false); }

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  SQLHSTMT running_ = SQL_NULL_HSTMT;
};

// Holds a cancel slot (null: none) for the duration of one blocking ODBC call on `stmt`.
class RunningStatement {
 public:
  RunningStatement(CancelSlot* slot, SQLHSTMT stmt) : slot_(slot) {
    if (slot_ != nullptr) slot_->Enter(stmt);
  }
  ~RunningStatement() {
    if (slot_ != nullptr) slot_->Leave();
  }
  RunningStatement(const RunningStatement&) = delete;
  RunningStatement& operator=(const RunningStatement&) = delete;

 private:
  CancelSlot* slot_;
};

class OdbcStatement final : public BackendStatement {
 public:
  const std::vector<ColumnDesc>& columns() const override { return columns_; }
  const std::vector<Oid>& param_types() const override { return param_types_; }

  StatementKind kind = StatementKind::kEmpty;
  bool direct = false;       // DDL/utility: SQLExecDirect, never cached
  bool empty = false;        // nothing to run
  bool pins = false;         // creates session state on the connection (temporary tables)
  std::unique_ptr<BackendStatement> engine;  // a catalog SELECT, prepared on the catalog engine
  std::string sql;           // with ODBC markers
  std::vector<int> markers;  // parameter number (1-based) of each marker
  std::vector<ColumnDesc> columns_;
  std::vector<Oid> param_types_;
};

class OdbcCursor final : public Cursor {
 public:
  // A cursor with nothing to deliver.
  explicit OdbcCursor(uint64_t rows_affected = 0) : rows_affected_(rows_affected) {}
  ~OdbcCursor() override;
  OdbcCursor(const OdbcCursor&) = delete;
  OdbcCursor& operator=(const OdbcCursor&) = delete;

  // Binds `params` to `stmt`'s markers and executes `prepared` on `lease`'s connection.
  // `owned`: a private prepared handle (the cached one was busy), else null.
  [[nodiscard]] static Result<std::unique_ptr<OdbcCursor>> Execute(
      std::shared_ptr<Lease> lease, PreparedHandle* prepared, std::unique_ptr<PreparedHandle> owned,
      const OdbcStatement& stmt, std::span<const Value> params, std::shared_ptr<CancelSlot> cancel);

  Result<FetchResult> Fetch(uint64_t max_rows, RowSink& sink) override;
  uint64_t rows_affected() const override { return rows_affected_; }

 private:
  struct ColumnBuffer {
    std::vector<char> data;   // rows * width
    std::vector<SQLLEN> ind;  // rows
    size_t width = 0;
  };

  [[nodiscard]] Status SetUpFetch();
  // Reads the current rowset's row `r` into row_ (SQLGetData for unbound columns).
  [[nodiscard]] Status ReadRow(size_t r);
  [[nodiscard]] Status GetData(SQLUSMALLINT col, SQLSMALLINT c_type, std::string& out, bool& null);
  void Finish();
  Status Fail(std::string_view what);

  std::shared_ptr<Lease> lease_;
  PreparedHandle* prepared_ = nullptr;
  std::unique_ptr<PreparedHandle> owned_;
  std::shared_ptr<CancelSlot> cancel_;
  uint64_t rows_affected_ = 0;
  bool done_ = true;
  bool block_ = false;  // columns bound, rowset of rows_per_fetch_
  size_t rows_per_fetch_ = 1;
  SQLULEN fetched_ = 0;  // rows in the current rowset
  size_t next_ = 0;      // next row of the rowset to deliver
  std::vector<ColumnBuffer> buffers_;
  std::vector<std::string> long_values_;  // SQLGetData results of the current row
  std::vector<Value> row_;
  // Parameter storage (SQLBindParameter reads it at SQLExecute).
  std::vector<int64_t> ints_;
  std::vector<double> floats_;
  std::vector<SQLLEN> lengths_;
};

}  // namespace pgw::odbc
