// One client session on the ODBC backend: leases, statements, transactions, cancel.
#include "backend/odbc/odbc_session.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "backend/odbc/odbc_bulk_insert.h"
#include "backend/odbc/odbc_placeholders.h"
#include "backend/odbc/odbc_relation.h"
#include "common/sqlstate.h"
#include "sql/translator.h"

namespace pgw::odbc {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ';' || std::isspace(static_cast<unsigned char>(c));
  });
}

// CREATE [GLOBAL|LOCAL] TEMP|TEMPORARY TABLE ...: the table lives on this connection only.
bool CreatesTemporaryTable(std::string_view sql) {
  static const std::regex kTemp(R"(^\s*create\s+((global|local)\s+)?temp(orary)?\s)",
                                std::regex::icase | std::regex::optimize);
  return std::regex_search(sql.begin(), sql.end(), kTemp);
}

// The target's schema as the catalog engine shows it, read through the session's connection
// (the open transaction's, so the session sees its own uncommitted DDL).
class OdbcCatalogSource final : public CatalogSource {
 public:
  OdbcCatalogSource(OdbcSession* session, std::shared_ptr<OidMap> oids)
      : session_(session), oids_(std::move(oids)) {}

  int64_t version() override {
    const auto bucket = std::chrono::steady_clock::now().time_since_epoch() / kCatalogRefresh;
    return static_cast<int64_t>(session_->generation()) * 1000003 + static_cast<int64_t>(bucket);
  }

  Status Load(CatalogSchemaModel* model) override {
    PGW_TRY(std::shared_ptr<odbc::Lease> lease, session_->StatementLease());
    Status st = LoadOdbcSchemaModel(lease->conn(), *oids_, model);
    lease.reset();
    session_->StatementDone();
    return st;
  }

 private:
  OdbcSession* session_;
  std::shared_ptr<OidMap> oids_;
};

}  // namespace

Status OdbcSession::OpenCatalogEngine(const CatalogEngineFactory& factory,
                                      const SessionParams& params,
                                      std::shared_ptr<OidMap> oids) {
  oids_ = oids;
  auto source = std::make_shared<OdbcCatalogSource>(this, std::move(oids));
  PGW_TRY(engine_, factory(std::move(source), params));
  return Status::OK();
}

OdbcSession::OdbcSession(std::shared_ptr<OdbcPool> pool, Dialect dialect, PoolMode mode,
                         std::shared_ptr<std::atomic<uint64_t>> generation)
    : pool_(std::move(pool)), dialect_(dialect), mode_(mode), generation_(std::move(generation)) {
  pinned_ = mode_ == PoolMode::kSession;
}

OdbcSession::~OdbcSession() = default;  // the lease rolls back an open transaction

Result<std::shared_ptr<odbc::Lease>> OdbcSession::LeaseConnection(bool hold) {
  if (held_ != nullptr && held_->conn().broken() && !in_transaction_) held_.reset();
  if (held_ != nullptr) return held_;
  PGW_TRY(std::shared_ptr<odbc::Lease> lease, pool_->Acquire());
  if (hold || pinned_) held_ = lease;
  return lease;
}

void OdbcSession::ReleaseUnlessPinned() {
  if (held_ != nullptr && (held_->conn().broken() || !pinned_)) held_.reset();
}

Result<std::unique_ptr<BackendStatement>> OdbcSession::Prepare(const TranslatedStatement& t) {
  auto st = std::make_unique<OdbcStatement>();
  st->kind = t.kind;
  st->param_types_ = t.param_types;
  if (t.on_catalog_engine) {
    if (engine_ == nullptr) {
      return Status::Error(sqlstate::kFeatureNotSupported,
                           "this ODBC backend has no catalog engine");
    }
    PGW_TRY(st->engine, engine_->Prepare(t));
    st->columns_ = st->engine->columns();
    st->param_types_ = st->engine->param_types();
    return std::unique_ptr<BackendStatement>(std::move(st));
  }
  if (IsBlank(t.sql)) {
    st->empty = true;
    return std::unique_ptr<BackendStatement>(std::move(st));
  }
  PGW_TRY(OdbcSql odbc_sql, ToOdbcMarkers(t.sql, dialect_ == Dialect::kPostgres));
  st->sql = std::move(odbc_sql.sql);
  st->markers = std::move(odbc_sql.markers);
  int max_marker = 0;
  for (int m : st->markers) max_marker = std::max(max_marker, m);
  if (st->param_types_.size() < static_cast<size_t>(max_marker)) {
    st->param_types_.resize(static_cast<size_t>(max_marker), 0);
  }
  if (t.kind == StatementKind::kDdl || t.kind == StatementKind::kUtility) {
    st->direct = true;
    st->pins = t.kind == StatementKind::kDdl && CreatesTemporaryTable(t.sql);
    return std::unique_ptr<BackendStatement>(std::move(st));
  }
  PGW_TRY(std::shared_ptr<odbc::Lease> lease, LeaseConnection(false));
  std::unique_ptr<PreparedHandle> owned;
  PGW_TRY(PreparedHandle * p, lease->conn().Prepare(st->sql, generation_->load(), &owned));
  st->columns_ = p->columns;
  // Parameters the translator could not type: what the target inferred, if it says.
  for (size_t i = 0; i < st->markers.size() && i < p->marker_types.size(); ++i) {
    Oid& slot = st->param_types_[static_cast<size_t>(st->markers[i] - 1)];
    if (slot == 0) slot = p->marker_types[i];
  }
  return std::unique_ptr<BackendStatement>(std::move(st));
}

Result<std::unique_ptr<Cursor>> OdbcSession::Open(BackendStatement& bs,
                                                  std::span<const Value> params) {
  auto& st = static_cast<OdbcStatement&>(bs);
  if (st.engine != nullptr) return engine_->Open(*st.engine, params);
  if (st.empty) return std::unique_ptr<Cursor>(std::make_unique<OdbcCursor>());
  if (st.pins) pinned_ = true;
  PGW_TRY(std::shared_ptr<odbc::Lease> lease, LeaseConnection(st.pins));
  OdbcConnection& conn = lease->conn();
  std::unique_ptr<PreparedHandle> owned;
  PreparedHandle* p = nullptr;
  if (st.direct) {
    // DDL changes what other statements return: every connection re-prepares.
    generation_->fetch_add(1);
    if (in_transaction_) ddl_in_transaction_ = true;
    owned = std::make_unique<PreparedHandle>();
    PGW_TRY(owned->stmt, Handle::Allocate(SQL_HANDLE_STMT, conn.dbc()));
    std::string text = st.sql;
    SQLRETURN rc = SQLPrepare(owned->stmt.get(), reinterpret_cast<SQLCHAR*>(text.data()),
                              static_cast<SQLINTEGER>(text.size()));
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, owned->stmt.get(), "prepare");
    p = owned.get();
  } else {
    PGW_TRY(p, conn.Prepare(st.sql, generation_->load(), &owned));
  }
  PGW_TRY(std::unique_ptr<OdbcCursor> cursor,
          OdbcCursor::Execute(lease, p, std::move(owned), st, params, cancel_));
  if (!in_transaction_) ReleaseUnlessPinned();
  return std::unique_ptr<Cursor>(std::move(cursor));
}

Status OdbcSession::Begin() {
  PGW_TRY(std::shared_ptr<odbc::Lease> lease, LeaseConnection(true));
  PGW_RETURN_IF_ERROR(lease->conn().SetAutocommit(false));
  in_transaction_ = true;
  return Status::OK();
}

Status OdbcSession::EndTransaction(bool commit) {
  in_transaction_ = false;
  if (!commit && ddl_in_transaction_) generation_->fetch_add(1);
  ddl_in_transaction_ = false;
  if (held_ == nullptr) return Status::OK();
  OdbcConnection& conn = held_->conn();
  Status st;
  if (conn.broken()) {
    // The target already ended the transaction with the connection: a rollback has nothing
    // left to do, a commit did not happen.
    if (commit) {
      st = Status::Error(sqlstate::kConnectionFailure,
                         "connection to the target database was lost; the transaction was "
                         "rolled back");
    }
  } else {
    st = conn.EndTransaction(commit);
    if (st.ok() || !conn.broken()) {
      Status ac = conn.SetAutocommit(true);
      if (st.ok()) st = std::move(ac);
    }
  }
  ReleaseUnlessPinned();
  return st;
}

Status OdbcSession::Commit() { return EndTransaction(true); }
Status OdbcSession::Rollback() { return EndTransaction(false); }

Status OdbcSession::SavepointSql(std::string_view verb, std::string_view name) {
  if (held_ == nullptr || !in_transaction_) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction,
                         std::string(verb) + " can only be used in transaction blocks");
  }
  std::string sql(verb);
  sql.push_back(' ');
  sql += QuoteIdentifier(name);
  return held_->conn().ExecuteDirect(sql);
}

Status OdbcSession::Savepoint(std::string_view name) { return SavepointSql("SAVEPOINT", name); }

Status OdbcSession::ReleaseSavepoint(std::string_view name) {
  // InterSystems IRIS has SAVEPOINT and ROLLBACK TO SAVEPOINT but no RELEASE; its savepoints
  // end with the transaction
  // (https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=RSQL_savepoint).
  if (dialect_ == Dialect::kIris) return Status::OK();
  return SavepointSql("RELEASE SAVEPOINT", name);
}

Status OdbcSession::RollbackToSavepoint(std::string_view name) {
  Status st = SavepointSql("ROLLBACK TO SAVEPOINT", name);
  if (st.ok() && ddl_in_transaction_) generation_->fetch_add(1);
  return st;
}

void OdbcSession::Cancel() {
  cancel_->Cancel();
  if (engine_ != nullptr) engine_->Cancel();  // set before the session runs statements
}

Result<RelationInfo> OdbcSession::DescribeRelation(std::string_view schema, std::string_view name) {
  PGW_TRY(std::shared_ptr<odbc::Lease> lease, LeaseConnection(false));
  Result<RelationInfo> info = DescribeOdbcRelation(lease->conn(), schema, name);
  StatementDone();
  // The oid pg_class shows (pg_stat_progress_copy.relid must match it).
  if (info.ok() && oids_ != nullptr) {
    info->oid = static_cast<Oid>(oids_->Get('r', kCatalogSchema, info->name));
  }
  return info;
}

Result<std::unique_ptr<BulkSink>> OdbcSession::OpenBulkInsert(const BulkInsertSpec& spec) {
  return OdbcBulkSink::Open(*this, spec);
}

}  // namespace pgw::odbc
