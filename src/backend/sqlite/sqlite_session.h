// SqliteSession: one client session's connection to the SQLite backend. Owns the connection
// (shared with its statements and cursors) and the prepared-statement cache; runs DDL scripts
// as one unit; maps transaction control to BEGIN/COMMIT/ROLLBACK/SAVEPOINT and keeps the
// transaction start time that pgw_now() reports. Methods run on one worker thread at a time;
// Cancel() may be called from any thread.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "backend/sqlite/sqlite_connection.h"
#include "backend/sqlite/sqlite_statement_cache.h"
#include "iris_pgwire/backend.h"

namespace pgw {

class SqliteSession final : public BackendSession {
 public:
  explicit SqliteSession(std::shared_ptr<SqliteConnection> conn) : conn_(std::move(conn)) {}
  ~SqliteSession() override;

  Result<std::unique_ptr<BackendStatement>> Prepare(const TranslatedStatement& stmt) override;
  Result<std::unique_ptr<Cursor>> Open(BackendStatement& stmt,
                                       std::span<const Value> params) override;
  Result<std::unique_ptr<Cursor>> OpenExport(BackendStatement& stmt,
                                             std::span<const Value> params) override;
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status Savepoint(std::string_view name) override;
  Status ReleaseSavepoint(std::string_view name) override;
  Status RollbackToSavepoint(std::string_view name) override;
  Result<RelationInfo> DescribeRelation(std::string_view schema, std::string_view name) override;
  Result<std::unique_ptr<BulkSink>> OpenBulkInsert(const BulkInsertSpec& spec) override;
  void Cancel() override;
  bool SupportsTimeSlices() const override { return true; }
  void SetTimeSlice(std::chrono::steady_clock::time_point deadline) override;
  void ClearTimeSlice() override;
  bool HasWrites() const override;

  // For tests and benchmarks.
  size_t cached_statements() const { return cache_.size(); }

 private:
  // Runs a DDL/utility script: every statement in order, as one unit when `atomic`. With
  // `key` (ALTER TABLE ... ADD PRIMARY KEY), the part of `sql` before key->sql_offset and then
  // the table rebuilt around the key (sqlite_primary_key.h), or, where a rebuild is not safe,
  // the rest of `sql` (a unique index).
  Status RunScript(std::string_view sql, bool atomic, const PrimaryKeyRebuild* key = nullptr);
  // Runs transaction control outside any cursor.
  Status RunControl(std::string_view sql);
  void StartStatementClock();

  std::shared_ptr<SqliteConnection> conn_;
  SqliteStatementCache cache_;
};

}  // namespace pgw
