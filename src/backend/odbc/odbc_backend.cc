// OpenOdbcBackend: the Backend over ODBC pools, with the health thread.
#include "backend/odbc/odbc_backend.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "backend/odbc/odbc_target.h"
#include "catalog/catalog_relations.h"
#include "common/log.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

using odbc::OdbcPool;

// Schema questions the translator asks for parameter inference. The ODBC backend answers
// them for the catalog engine's relations (pgw_pg_class, ...: catalog SELECTs are translated
// for it); the target's own tables are typed by the target when it prepares (SQLDescribeParam).
class CatalogSchema final : public SchemaLookup {
 public:
  std::optional<ColumnTypeInfo> ColumnType(std::string_view table,
                                           std::string_view column) const override {
    const catalog::RelationDef* rel = catalog::FindRelation(table);
    if (rel == nullptr) return std::nullopt;
    for (const catalog::Column& c : rel->columns) {
      if (column != c.name) continue;
      const TypeInfo* t = LookupTypeByName(c.type);
      if (t == nullptr) return std::nullopt;
      return ColumnTypeInfo{t->oid, -1};
    }
    return std::nullopt;
  }
  std::vector<std::string> TableColumns(std::string_view table) const override {
    std::vector<std::string> names;
    if (const catalog::RelationDef* rel = catalog::FindRelation(table)) {
      for (const catalog::Column& c : rel->columns) names.emplace_back(c.name);
    }
    return names;
  }
};

class OdbcBackend final : public Backend {
 public:
  OdbcBackend(OdbcOptions options, std::shared_ptr<odbc::Environment> env,
              std::string connection_string, Dialect dialect)
      : options_(std::move(options)),
        env_(std::move(env)),
        connection_string_(std::move(connection_string)),
        dialect_(dialect),
        health_([this] { HealthLoop(); }) {}

  ~OdbcBackend() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    health_.join();
  }

  Result<std::unique_ptr<BackendSession>> Connect(const SessionParams& params) override {
    PGW_TRY(std::shared_ptr<OdbcPool> pool, PoolFor(params));
    // Prove the target accepts this session now (a login refused in pass-through mode fails
    // the client's startup), and warm the pool.
    { PGW_TRY(std::shared_ptr<odbc::Lease> lease, pool->Acquire()); }
    auto session = std::make_unique<odbc::OdbcSession>(std::move(pool), dialect_,
                                                       options_.pool_mode, generation_);
    if (options_.catalog_engine) {
      PGW_RETURN_IF_ERROR(session->OpenCatalogEngine(options_.catalog_engine, params, oids_));
    }
    return std::unique_ptr<BackendSession>(std::move(session));
  }

  bool catalog_on_engine() const override { return static_cast<bool>(options_.catalog_engine); }

  Dialect dialect() const override { return dialect_; }
  const SchemaLookup& schema() const override { return schema_; }
  std::string Describe() const override {
    return "odbc:" + odbc::MaskPasswords(connection_string_);
  }

 private:
  Result<std::shared_ptr<OdbcPool>> PoolFor(const SessionParams& params) {
    std::string conn = connection_string_;
    if (options_.auth == OdbcAuth::kPassThrough) {
      if (params.password.empty()) {
        return Status::Error(sqlstate::kInvalidAuthorizationSpecification,
                             "the ODBC backend passes the client's password through to the "
                             "target, but this session did not send one")
            .WithHint("Give this client the password access method (over TLS).");
      }
      PGW_TRY(conn, odbc::WithAttribute(conn, "UID", params.user));
      PGW_TRY(conn, odbc::WithAttribute(conn, "PWD", params.password));
    }
    std::string key = params.user + '\0' + params.database;
    if (options_.auth == OdbcAuth::kPassThrough) key += '\0' + params.password;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pools_.find(key);
    if (it == pools_.end()) {
      it = pools_
               .emplace(std::move(key),
                        std::make_shared<OdbcPool>(env_, std::move(conn), dialect_, options_.pool))
               .first;
    }
    return it->second;
  }

  void HealthLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(std::max(options_.health_interval_ms, 10)));
      if (stopping_) break;
      std::vector<std::shared_ptr<OdbcPool>> pools;
      for (auto& [key, pool] : pools_) pools.push_back(pool);
      lock.unlock();
      for (auto& pool : pools) pool->Maintain();
      lock.lock();
    }
  }

  const OdbcOptions options_;
  const std::shared_ptr<odbc::Environment> env_;
  const std::string connection_string_;
  const Dialect dialect_;
  CatalogSchema schema_;
  std::shared_ptr<odbc::OidMap> oids_ = std::make_shared<odbc::OidMap>();
  std::shared_ptr<std::atomic<uint64_t>> generation_ = std::make_shared<std::atomic<uint64_t>>(0);
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<OdbcPool>> pools_;
  std::thread health_;  // last: started once everything above exists
};

}  // namespace

Result<std::unique_ptr<Backend>> OpenOdbcBackend(const OdbcOptions& options) {
  PGW_TRY(odbc::OdbcTarget target, odbc::ParseOdbcTarget(options.uri, options.iris_driver));
  std::optional<Dialect> dialect = target.dialect;
  if (!options.dialect.empty()) {
    PGW_TRY(Dialect d, odbc::ParseDialectName(options.dialect));
    dialect = d;
  }
  PGW_TRY(std::shared_ptr<odbc::Environment> env, odbc::Environment::Create());
  if (options.auth == OdbcAuth::kPassThrough) {
    if (!dialect.has_value()) {
      return Status::Error(sqlstate::kConfigFileError,
                           "pass-through authentication needs --dialect (there is no service "
                           "login to ask the target with)");
    }
    return std::unique_ptr<Backend>(std::make_unique<OdbcBackend>(
        options, std::move(env), std::move(target.connection_string), *dialect));
  }
  PGW_TRY(std::unique_ptr<odbc::OdbcConnection> first,
          odbc::OdbcConnection::Open(env, target.connection_string, dialect,
                                     options.pool.login_timeout_s));
  Dialect d = first->dialect();
  PGW_LOG_INFO("ODBC target: {} (dialect {})", first->dbms_name(),
               d == Dialect::kIris       ? "iris"
               : d == Dialect::kPostgres ? "postgres"
                                         : "sqlite");
  auto backend = std::make_unique<OdbcBackend>(options, std::move(env),
                                               std::move(target.connection_string), d);
  return std::unique_ptr<Backend>(std::move(backend));
}

}  // namespace pgw
