// ServerConfig: every setting of `iris-pgwire serve`, with its default. Values come from the
// built-in defaults, then an optional TOML file (--config), then command-line flags, each
// overriding the one before.
#pragma once

#include <string>

#include "common/status.h"

namespace pgw {

struct ServerConfig {
  std::string listen = "127.0.0.1:5432";
  std::string backend = "sqlite:./iris-pgwire.db";
  std::string users_file = "./iris-pgwire-users.txt";
  std::string auth = "auto";  // auto | trust | scram-sha-256
  std::string port_file;      // written with the bound port once listening
  int max_connections = 100;
  int io_threads = 0;         // 0 = one per hardware thread
  int backend_threads = 0;    // warm backend threads; 0 = one per hardware thread
  int shutdown_grace_seconds = 10;
  int authentication_timeout_seconds = 60;
  int busy_timeout_ms = 0;
  // SQLite: hold the database file exclusively (no other process can open it meanwhile); the
  // WAL index then lives in memory, which spares two fcntl calls per transaction.
  bool sqlite_exclusive = true;
  std::string server_version = "15.0";
  // COPY to/from server files and programs: comma-separated user names, "*" = everyone.
  std::string copy_file_users;
  std::string copy_program_users;
  std::string log_level = "info";
  bool log_json = false;

  // ODBC backend (--backend odbc:... | iris://...).
  std::string dialect;  // iris | postgres | sqlite; "" = from the target's SQL_DBMS_NAME
  std::string odbc_driver = "InterSystems IRIS ODBC35";  // driver iris:// expands to
  std::string odbc_auth = "service";                     // service | passthrough
  std::string pool_mode = "transaction";                 // transaction | session
  int pool_size = 10;
  int pool_overflow = 10;
  int pool_acquire_timeout_ms = 5000;
  int pool_max_lifetime_s = 3600;
  int pool_idle_timeout_s = 600;
  int pool_validate_idle_ms = 5000;
  int pool_health_interval_ms = 10000;
  int pool_backoff_max_ms = 5000;
  // Front door: access rules and login limits.
  std::string hba_file;                 // pg_hba.conf-style rules; empty = the --auth shorthand
  int max_connections_per_user = 0;     // 0 = no per-user cap
  int max_connections_per_database = 0; // 0 = no per-database cap
  int auth_failure_delay_ms = 0;        // wait before answering a failed login
  // Defaults of the idle_in_transaction_session_timeout / idle_session_timeout settings (ms).
  int idle_in_transaction_session_timeout_ms = 0;
  int idle_session_timeout_ms = 0;
  // TLS: on when ssl_cert_file is set (then ssl_key_file is required).
  std::string ssl_cert_file;
  std::string ssl_key_file;
  std::string ssl_ca_file;
  std::string ssl_min_protocol_version = "TLSv1.2";
  std::string ssl_ciphers = "HIGH:!aNULL:!MD5";
};

// Loads `path` (TOML) over `*config`. Unknown keys are errors (F0000) naming the key.
[[nodiscard]] Status LoadConfigFile(const std::string& path, ServerConfig* config);

}  // namespace pgw
