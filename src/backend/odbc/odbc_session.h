// OdbcSession: one client session on the ODBC backend. It holds no target connection while
// idle: each statement outside a transaction leases one from the pool for as long as its
// cursor is open; BEGIN leases one until COMMIT/ROLLBACK (SQL_ATTR_AUTOCOMMIT off, then
// SQLEndTran). A session pins its connection for its whole life when the pool mode is
// "session" or once it created state that lives on the connection (a temporary table).
// Prepared statements do not pin: each connection prepares the SQL it is asked to run.
// Savepoints are SQL on the leased connection. A connection lost mid-transaction fails that
// transaction with 08006; ROLLBACK then succeeds and the next transaction gets a fresh
// connection. Methods run on one worker thread at a time; Cancel() may come from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "backend/odbc/odbc_cursor.h"
#include "backend/odbc/odbc_pool.h"
#include "backend/odbc/odbc_relation.h"
#include "iris_pgwire/backend.h"
#include "iris_pgwire/catalog.h"

namespace pgw::odbc {

enum class PoolMode : uint8_t { kTransaction, kSession };

// Opens the session that runs catalog SELECTs (TranslatedStatement::on_catalog_engine) over
// `source`: the SQLite catalog engine (OpenCatalogEngineSession), handed in by the program so
// that this layer does not link the SQLite backend.
using CatalogEngineFactory = std::function<Result<std::unique_ptr<BackendSession>>(
    std::shared_ptr<CatalogSource> source, const SessionParams& params)>;

// How long a session's catalog may lag DDL made on the target behind the gateway's back
// (DDL through the gateway shows at once).
inline constexpr std::chrono::seconds kCatalogRefresh{2};

class OdbcSession final : public BackendSession {
 public:
  // `generation` counts DDL statements run through this backend (shared by its sessions).
  OdbcSession(std::shared_ptr<OdbcPool> pool, Dialect dialect, PoolMode mode,
              std::shared_ptr<std::atomic<uint64_t>> generation);
  // With a catalog engine (null factory: catalog SELECTs are the target's to answer).
  [[nodiscard]] Status OpenCatalogEngine(const CatalogEngineFactory& factory,
                                         const SessionParams& params,
                                         std::shared_ptr<OidMap> oids);
  ~OdbcSession() override;

  Result<std::unique_ptr<BackendStatement>> Prepare(const TranslatedStatement& stmt) override;
  Result<std::unique_ptr<Cursor>> Open(BackendStatement& stmt,
                                       std::span<const Value> params) override;
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status Savepoint(std::string_view name) override;
  Status ReleaseSavepoint(std::string_view name) override;
  Status RollbackToSavepoint(std::string_view name) override;
  void Cancel() override;
  // COPY: the table from the driver's catalog functions (odbc_relation.h); COPY FROM through
  // parameter arrays (odbc_bulk_insert.h); COPY TO through Prepare/Open and the block cursor.
  Result<RelationInfo> DescribeRelation(std::string_view schema, std::string_view name) override;
  Result<std::unique_ptr<BulkSink>> OpenBulkInsert(const BulkInsertSpec& spec) override;

  // For the bulk sink: the connection a statement runs on now (the transaction's, when one
  // is open), released again by StatementDone() unless the session holds it.
  [[nodiscard]] Result<std::shared_ptr<odbc::Lease>> StatementLease() {
    return LeaseConnection(false);
  }
  void StatementDone() {
    if (!in_transaction_) ReleaseUnlessPinned();
  }
  uint64_t generation() const { return generation_->load(); }
  CancelSlot* cancel_slot() const { return cancel_.get(); }
  Dialect dialect() const { return dialect_; }

 private:
  // The session's held lease, or a new one from the pool (held when `hold`).
  Result<std::shared_ptr<odbc::Lease>> LeaseConnection(bool hold);
  // Drops the held lease unless the session is pinned.
  void ReleaseUnlessPinned();
  Status EndTransaction(bool commit);
  Status SavepointSql(std::string_view verb, std::string_view name);

  std::shared_ptr<OdbcPool> pool_;
  const Dialect dialect_;
  const PoolMode mode_;
  std::shared_ptr<std::atomic<uint64_t>> generation_;
  std::shared_ptr<odbc::Lease> held_;
  bool in_transaction_ = false;
  // DDL ran in the open transaction: undoing it changes the schema as much as running it did
  // (the catalog and every connection's prepared statements must be refreshed again).
  bool ddl_in_transaction_ = false;
  bool pinned_ = false;
  std::shared_ptr<CancelSlot> cancel_ = std::make_shared<CancelSlot>();
  // Runs catalog SELECTs; its source reads the target through this session's connections.
  std::unique_ptr<BackendSession> engine_;
  std::shared_ptr<OidMap> oids_;  // with the engine: the oids the catalog shows
};

}  // namespace pgw::odbc
