// One client session on the SQLite backend: Prepare (through the statement cache), Open,
// DDL scripts, transaction control and cancel.
#include "backend/sqlite/sqlite_session.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "backend/sqlite/sqlite_bind.h"
#include "backend/sqlite/sqlite_bulk_insert.h"
#include "backend/sqlite/sqlite_catalog_source.h"
#include "backend/sqlite/sqlite_cursor.h"
#include "backend/sqlite/sqlite_describe.h"
#include "backend/sqlite/sqlite_errors.h"
#include "backend/sqlite/sqlite_primary_key.h"
#include "backend/sqlite/sqlite_relation.h"
#include "backend/sqlite/sqlite_rows.h"
#include "backend/sqlite/sqlite_time.h"
#include "common/sqlstate.h"
#include "sql/translator.h"
#include "types/pg_types.h"

namespace pgw {
namespace {

constexpr char kUnitSavepoint[] = "pgw_unit";

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ';' || std::isspace(static_cast<unsigned char>(c));
  });
}

// An export's cursor: the connection reads without mmap while it lives (see OpenExport).
class ExportCursor final : public Cursor {
 public:
  ExportCursor(std::shared_ptr<SqliteConnection> conn, std::unique_ptr<Cursor> inner)
      : conn_(std::move(conn)), inner_(std::move(inner)) {}
  ~ExportCursor() override {
    inner_.reset();
    (void)conn_->Exec("PRAGMA mmap_size=" + std::to_string(kSqliteMmapBytes));
  }
  Result<FetchResult> Fetch(uint64_t max_rows, RowSink& sink) override {
    return inner_->Fetch(max_rows, sink);
  }
  uint64_t rows_affected() const override { return inner_->rows_affected(); }

 private:
  std::shared_ptr<SqliteConnection> conn_;
  std::unique_ptr<Cursor> inner_;
};

// Discards rows (DML without RETURNING runs to completion at Open).
class DiscardSink final : public RowSink {
 public:
  bool OnRow(std::span<const Value>) override { return true; }
};

}  // namespace

SqliteSession::~SqliteSession() = default;

Result<std::unique_ptr<BackendStatement>> SqliteSession::Prepare(const TranslatedStatement& t) {
  auto st = std::make_unique<SqliteStatement>();
  st->conn = conn_;
  st->kind = t.kind;
  st->is_dml = t.kind == StatementKind::kInsert || t.kind == StatementKind::kUpdate ||
               t.kind == StatementKind::kDelete;
  if (t.kind == StatementKind::kDdl || t.kind == StatementKind::kUtility) {
    st->mode = SqliteStatement::Mode::kScript;
    st->script = t.sql;
    st->primary_key = t.primary_key;
    st->description = ParamsOnly(t);
    return std::unique_ptr<BackendStatement>(std::move(st));
  }
  std::shared_ptr<PreparedSql> entry = cache_.Find(t.sql);
  if (entry == nullptr) {
    if (IsBlank(t.sql)) {
      st->description = ParamsOnly(t);
      return std::unique_ptr<BackendStatement>(std::move(st));
    }
    sqlite3* db = conn_->db();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = conn_->PrepareWaitingForLocks(t.sql, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc);
    if (stmt == nullptr) {  // only comments
      st->description = ParamsOnly(t);
      return std::unique_ptr<BackendStatement>(std::move(st));
    }
    entry = std::make_shared<PreparedSql>(t.sql, stmt);
    std::string_view rest(tail, t.sql.data() + t.sql.size() - tail);
    if (!IsBlank(rest)) {
      sqlite3_stmt* next = nullptr;
      rc = sqlite3_prepare_v2(db, rest.data(), static_cast<int>(rest.size()), &next, nullptr);
      sqlite3_finalize(next);
      if (rc != SQLITE_OK || next != nullptr) {
        return Status::Error(sqlstate::kSyntaxError,
                             "cannot insert multiple commands into a prepared statement");
      }
    }
    cache_.Insert(entry);
  }
  int reprepare = sqlite3_stmt_status(entry->stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
  if (entry->description == nullptr || !DescriptionMatches(*entry->description, t, reprepare)) {
    entry->description = DescribeStatement(conn_->db(), entry->stmt, t, reprepare);
  }
  st->mode = SqliteStatement::Mode::kPrepared;
  st->description = entry->description;
  st->prepared = std::move(entry);
  return std::unique_ptr<BackendStatement>(std::move(st));
}

void SqliteSession::StartStatementClock() {
  SqliteFunctionContext& ctx = conn_->context();
  ctx.statement_start_us = NowMicros();
  if (sqlite3_get_autocommit(conn_->db())) ctx.transaction_start_us = 0;
}

Result<std::unique_ptr<Cursor>> SqliteSession::Open(BackendStatement& bs,
                                                    std::span<const Value> params) {
  auto& st = static_cast<SqliteStatement&>(bs);
  StartStatementClock();
  switch (st.mode) {
    case SqliteStatement::Mode::kEmpty:
      return std::unique_ptr<Cursor>(std::make_unique<SqliteCursor>());
    case SqliteStatement::Mode::kScript:
      PGW_RETURN_IF_ERROR(
          RunScript(st.script, st.kind == StatementKind::kDdl, st.primary_key.get()));
      return std::unique_ptr<Cursor>(std::make_unique<SqliteCursor>());
    case SqliteStatement::Mode::kPrepared:
      break;
  }
  sqlite3* db = conn_->db();
  PreparedSql& prepared = *st.prepared;
  sqlite3_stmt* stmt = prepared.stmt;
  const bool owns = prepared.busy;
  if (owns) {  // the shared statement is stepping for another cursor
    int rc = conn_->PrepareWaitingForLocks(prepared.sql, 0, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  }
  auto cursor = std::make_unique<SqliteCursor>(conn_, st.prepared, stmt, owns, st.is_dml);
  const int nbind = sqlite3_bind_parameter_count(stmt);
  if (params.size() > static_cast<size_t>(nbind)) {
    return Status::Error(sqlstate::kProtocolViolation,
                         "bind message supplies " + std::to_string(params.size()) +
                             " parameters, but prepared statement requires " +
                             std::to_string(nbind));
  }
  if (params.size() < static_cast<size_t>(nbind)) sqlite3_clear_bindings(stmt);
  for (size_t i = 0; i < params.size(); ++i) {
    int rc = BindValue(stmt, static_cast<int>(i) + 1, params[i]);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  }
  if (sqlite3_column_count(stmt) == 0) {
    DiscardSink discard;
    PGW_TRY(FetchResult ignored, cursor->Fetch(0, discard));
    (void)ignored;
  }
  return std::unique_ptr<Cursor>(std::move(cursor));
}

Result<std::unique_ptr<Cursor>> SqliteSession::OpenExport(BackendStatement& bs,
                                                          std::span<const Value> params) {
  // A mapped file counts in the process's resident memory page by page: an export of a large
  // table would grow it by the table's size. Reading through SQLite's small page cache
  // instead costs a pread per page. Only outside transactions and other cursors: the mapping
  // may not change under pages in use.
  if (!sqlite3_get_autocommit(conn_->db()) || conn_->has_active_cursors()) return Open(bs, params);
  PGW_RETURN_IF_ERROR(conn_->Exec("PRAGMA mmap_size=0"));
  Result<std::unique_ptr<Cursor>> inner = Open(bs, params);
  if (!inner.ok()) {
    (void)conn_->Exec("PRAGMA mmap_size=" + std::to_string(kSqliteMmapBytes));
    return inner.status();
  }
  return std::unique_ptr<Cursor>(std::make_unique<ExportCursor>(conn_, std::move(*inner)));
}

Status SqliteSession::RunScript(std::string_view sql, bool atomic, const PrimaryKeyRebuild* key) {
  sqlite3* db = conn_->db();
  const bool was_autocommit = sqlite3_get_autocommit(db) != 0;
  bool in_unit = false;
  Status status;
  auto begin_unit = [&] {
    if (atomic && !in_unit && status.ok()) {
      status = conn_->Exec(std::string("SAVEPOINT ") + kUnitSavepoint);
      in_unit = status.ok();
    }
  };
  auto run = [&](std::string_view part) {
    const char* p = part.data();
    const char* end = p + part.size();
    while (p < end && status.ok()) {
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      int rc = conn_->PrepareWaitingForLocks(std::string_view(p, end - p), 0, &stmt, &tail);
      if (rc != SQLITE_OK) {
        status = SqliteStatus(db, rc);
        break;
      }
      p = tail;
      if (stmt == nullptr) continue;
      begin_unit();
      if (status.ok()) {
        rc = conn_->StepWaitingForLocks(stmt);
        while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE) {
          std::string message = sqlite3_errmsg(db);
          sqlite3_reset(stmt);
          status = MapSqliteError(rc, message, db);
        }
      }
      sqlite3_finalize(stmt);
    }
  };
  conn_->BeginRun();
  if (key == nullptr) {
    run(sql);
  } else {
    run(sql.substr(0, key->sql_offset));
    begin_unit();  // the rebuild's statements belong to the unit too
    bool rebuilt = false;
    if (status.ok()) status = RebuildWithPrimaryKey(*conn_, *key, &rebuilt);
    if (status.ok() && !rebuilt) run(sql.substr(key->sql_offset));
  }
  if (in_unit) {
    if (status.ok()) status = EnsureCatalogOids(db);
    if (status.ok()) status = conn_->Exec(std::string("RELEASE ") + kUnitSavepoint);
    if (!status.ok()) {
      (void)conn_->Exec(std::string("ROLLBACK TO ") + kUnitSavepoint);
      (void)conn_->Exec(std::string("RELEASE ") + kUnitSavepoint);
    }
    if (was_autocommit && !sqlite3_get_autocommit(db)) (void)conn_->Exec("ROLLBACK");
  }
  if (atomic) cache_.Clear();  // result descriptions may have changed
  conn_->EndRun();
  return status;
}

Status SqliteSession::RunControl(std::string_view sql) {
  conn_->BeginRun();
  Status status = conn_->Exec(sql);
  conn_->EndRun();
  return status;
}

Status SqliteSession::Begin() {
  PGW_RETURN_IF_ERROR(RunControl("BEGIN"));
  conn_->context().transaction_start_us = NowMicros();
  return Status::OK();
}

Status SqliteSession::Commit() {
  conn_->context().transaction_start_us = 0;
  if (sqlite3_get_autocommit(conn_->db())) return Status::OK();
  Status status = RunControl("COMMIT");
  // PostgreSQL's COMMIT either commits or rolls back; never leaves the transaction open.
  if (!status.ok() && !sqlite3_get_autocommit(conn_->db())) (void)RunControl("ROLLBACK");
  return status;
}

Status SqliteSession::Rollback() {
  conn_->context().transaction_start_us = 0;
  // SQLite may already have rolled back (after SQLITE_FULL, SQLITE_BUSY in COMMIT, ...).
  if (sqlite3_get_autocommit(conn_->db())) return Status::OK();
  return RunControl("ROLLBACK");
}

Status SqliteSession::Savepoint(std::string_view name) {
  if (sqlite3_get_autocommit(conn_->db())) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction,
                         "SAVEPOINT can only be used in transaction blocks");
  }
  return RunControl("SAVEPOINT " + QuoteIdent(name));
}

Status SqliteSession::ReleaseSavepoint(std::string_view name) {
  if (sqlite3_get_autocommit(conn_->db())) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction,
                         "RELEASE SAVEPOINT can only be used in transaction blocks");
  }
  return RunControl("RELEASE SAVEPOINT " + QuoteIdent(name));
}

Status SqliteSession::RollbackToSavepoint(std::string_view name) {
  if (sqlite3_get_autocommit(conn_->db())) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction,
                         "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
  }
  return RunControl("ROLLBACK TO SAVEPOINT " + QuoteIdent(name));
}

Result<RelationInfo> SqliteSession::DescribeRelation(std::string_view schema,
                                                     std::string_view name) {
  conn_->BeginRun();
  Result<RelationInfo> info = DescribeSqliteRelation(*conn_, schema, name);
  conn_->EndRun();
  return info;
}

Result<std::unique_ptr<BulkSink>> SqliteSession::OpenBulkInsert(const BulkInsertSpec& spec) {
  StartStatementClock();
  return SqliteBulkSink::Open(conn_, spec);
}

void SqliteSession::Cancel() { conn_->RequestCancel(); }

void SqliteSession::SetTimeSlice(std::chrono::steady_clock::time_point deadline) {
  int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
  conn_->SetTimeSlice(std::max<int64_t>(ns, 1));
}

void SqliteSession::ClearTimeSlice() { conn_->SetTimeSlice(0); }

bool SqliteSession::HasWrites() const {
  return sqlite3_txn_state(conn_->db(), nullptr) == SQLITE_TXN_WRITE;
}

}  // namespace pgw
