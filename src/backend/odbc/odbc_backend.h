// The ODBC backend: any ODBC target under unixODBC, InterSystems IRIS first among them
// (`iris://` shorthand), PostgreSQL (psqlODBC) and SQLite (sqliteodbc) as the targets this
// repository tests against. One connection pool per (user, database); a health thread runs
// the pools' Maintain() every health_interval_ms. Authentication to the target is either a
// service login (the credentials in the connection string, whoever the client is) or
// pass-through: the client's own user name and cleartext password (SessionParams::password,
// available only when the gateway's access rule asked the client for its password, i.e. the
// `password` method over TLS) open the target connection, so the target's user store decides.
#pragma once

#include <memory>
#include <string>

#include "backend/odbc/odbc_pool.h"
#include "backend/odbc/odbc_session.h"
#include "common/status.h"
#include "iris_pgwire/backend.h"

namespace pgw {

enum class OdbcAuth : uint8_t { kService, kPassThrough };

struct OdbcOptions {
  std::string uri;  // odbc:... or iris://...
  std::string iris_driver = "InterSystems IRIS ODBC35";
  std::string dialect;  // "" = from SQLGetInfo(SQL_DBMS_NAME); iris | postgres | sqlite
  odbc::PoolOptions pool;
  odbc::PoolMode pool_mode = odbc::PoolMode::kTransaction;
  OdbcAuth auth = OdbcAuth::kService;
  int health_interval_ms = 10000;
  // The catalog engine for pg_catalog / information_schema SELECTs (null: none; catalog
  // queries then go to the target as they are).
  odbc::CatalogEngineFactory catalog_engine;
};

// Connects once (service login) to learn the dialect and prove the target answers; with
// pass-through authentication the dialect must be given (or implied by iris://).
[[nodiscard]] Result<std::unique_ptr<Backend>> OpenOdbcBackend(const OdbcOptions& options);

}  // namespace pgw
