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
  int io_threads = 1;
  int backend_threads = 0;    // 0 = one per hardware thread
  int shutdown_grace_seconds = 10;
  int authentication_timeout_seconds = 60;
  int busy_timeout_ms = 10000;
  std::string server_version = "15.0";
  std::string log_level = "info";
  bool log_json = false;

  // Front door: access rules and login limits.
  std::string hba_file;                 // pg_hba.conf-style rules; empty = the --auth shorthand
  int max_connections_per_user = 0;     // 0 = no per-user cap
  int max_connections_per_database = 0; // 0 = no per-database cap
  int auth_failure_delay_ms = 0;        // wait before answering a failed login
};

// Loads `path` (TOML) over `*config`. Unknown keys are errors (F0000) naming the key.
[[nodiscard]] Status LoadConfigFile(const std::string& path, ServerConfig* config);

}  // namespace pgw
