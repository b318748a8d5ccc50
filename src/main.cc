// iris-pgwire: wiring only. Parses the command line and configuration, builds the backend, the
// shared gateway context and the server, and runs until SIGTERM/SIGINT.
#include <CLI/CLI.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "auth/credential_store.h"
#include "auth/hba.h"
#include "auth/tls_server_end_point.h"
#include "backend/odbc/odbc_backend.h"
#include "backend/sqlite/sqlite_backend.h"
#include "common/log.h"
#include "common/sqlstate.h"
#include "config.h"
#include "net/server.h"
#include "net/tls_context.h"
#include "net/worker_pool.h"
#include "session/cancel_registry.h"
#include "session/connection.h"
#include "session/connection_limits.h"
#include "session/copy_progress.h"
#include "session/session.h"
#include "session/translation_cache.h"
#include "sql/translator.h"

namespace pgw {
namespace {

constexpr char kVersion[] = "0.1.0";
// Threads for logins, cancels and session ends: kept warm, and the most at once.
constexpr int kSessionThreads = 2;
constexpr int kMaxSessionThreads = 64;

// --- ODBC backend options (odbc:... / iris://...)
Result<std::unique_ptr<Backend>> OpenOdbc(const ServerConfig& cfg) {
  OdbcOptions o;
  o.uri = cfg.backend;
  o.iris_driver = cfg.odbc_driver;
  o.dialect = cfg.dialect;
  if (cfg.odbc_auth == "service") {
    o.auth = OdbcAuth::kService;
  } else if (cfg.odbc_auth == "passthrough") {
    o.auth = OdbcAuth::kPassThrough;
  } else {
    return Status::Error(sqlstate::kConfigFileError,
                         "invalid odbc_auth \"" + cfg.odbc_auth + "\": expected service or passthrough");
  }
  if (cfg.pool_mode == "transaction") {
    o.pool_mode = odbc::PoolMode::kTransaction;
  } else if (cfg.pool_mode == "session") {
    o.pool_mode = odbc::PoolMode::kSession;
  } else {
    return Status::Error(sqlstate::kConfigFileError,
                         "invalid pool_mode \"" + cfg.pool_mode + "\": expected transaction or session");
  }
  o.pool.size = std::max(1, cfg.pool_size);
  o.pool.overflow = std::max(0, cfg.pool_overflow);
  o.pool.acquire_timeout_ms = std::max(0, cfg.pool_acquire_timeout_ms);
  o.pool.max_lifetime_s = cfg.pool_max_lifetime_s;
  o.pool.idle_timeout_s = cfg.pool_idle_timeout_s;
  o.pool.validate_idle_ms = std::max(0, cfg.pool_validate_idle_ms);
  o.pool.backoff_max_ms = std::max(o.pool.backoff_initial_ms, cfg.pool_backoff_max_ms);
  o.health_interval_ms = std::max(10, cfg.pool_health_interval_ms);
  o.catalog_engine = [version = cfg.server_version](std::shared_ptr<CatalogSource> source,
                                                    const SessionParams& params) {
    return OpenCatalogEngineSession(std::move(source), params, version);
  };
  return OpenOdbcBackend(o);
}

Result<std::unique_ptr<Backend>> OpenBackend(const ServerConfig& cfg) {
  std::string_view uri = cfg.backend;
  if (uri.rfind("sqlite:", 0) == 0) {
    SqliteOptions opts;
    opts.path = std::string(uri.substr(7));
    // The backend waits for a lock only a short slice; the session keeps retrying (for
    // busy_timeout_ms in total when set) without holding a backend thread.
    opts.busy_timeout_ms = cfg.busy_timeout_ms > 0 ? std::min(cfg.busy_timeout_ms, 5) : 5;
    opts.server_version = cfg.server_version;
    opts.exclusive = cfg.sqlite_exclusive;
    return OpenSqliteBackend(opts);
  }
  if (uri.rfind("odbc:", 0) == 0 || uri.rfind("iris://", 0) == 0) return OpenOdbc(cfg);
  return Status::Error(sqlstate::kConfigFileError,
                       "unrecognized backend \"" + cfg.backend +
                           "\": expected sqlite:PATH, sqlite::memory:, odbc:... or iris://...");
}

// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(at, comma - at);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    at = comma + 1;
  }
  return out;
}

bool SplitHostPort(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *port = static_cast<uint16_t>(p);
  } catch (...) {
    return false;
  }
  return !host->empty();
}

// The rules file when one is configured, else the rule set the --auth shorthand stands for.
Result<HbaRules> LoadAccessRules(const ServerConfig& cfg) {
  if (cfg.hba_file.empty()) return HbaRules::ForAuthMode(cfg.auth);
  if (cfg.auth != "auto") {
    return Status::Error(sqlstate::kConfigFileError,
                         "--auth " + cfg.auth + " and --hba-file exclude each other: put the "
                         "rules in the file");
  }
  return HbaRules::LoadFile(cfg.hba_file);
}

void WritePortFile(const std::string& path, uint16_t port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << port << "\n";
  }
  std::filesystem::rename(tmp, path);
}

int Serve(const ServerConfig& cfg) {
  InitLogging(cfg.log_level, cfg.log_json);
  Result<HbaRules> rules = LoadAccessRules(cfg);
  if (!rules.ok()) {
    PGW_LOG_ERROR("{}", rules.status().message());
    return 2;
  }
  if (cfg.max_connections_per_user < 0 || cfg.max_connections_per_database < 0 ||
      cfg.auth_failure_delay_ms < 0 || cfg.idle_in_transaction_session_timeout_ms < 0 ||
      cfg.idle_session_timeout_ms < 0) {
    PGW_LOG_ERROR("per-user/per-database limits, the failure delay and idle timeouts must not be negative");
    return 2;
  }
  HbaStore hba(std::move(rules).value());
  ConnectionLimits limits(cfg.max_connections_per_user, cfg.max_connections_per_database);
  std::string host;
  uint16_t port = 0;
  if (!SplitHostPort(cfg.listen, &host, &port)) {
    PGW_LOG_ERROR("invalid listen address \"{}\": expected HOST:PORT", cfg.listen);
    return 2;
  }
  Result<std::unique_ptr<Backend>> backend = OpenBackend(cfg);
  if (!backend.ok()) {
    Status failed = backend.status();
    const ErrorInfo& e = failed.info();
    PGW_LOG_ERROR("could not open backend: {}{}{}", e.message, e.hint.empty() ? "" : " HINT: ",
                  e.hint);
    return 1;
  }
  CredentialStore users;
  if (Status st = users.Load(cfg.users_file); !st.ok()) {
    PGW_LOG_ERROR("could not load users file: {}", st.message());
    return 1;
  }
  CancelRegistry cancels;
  TranslationCache translations;
  DeadlineScheduler deadlines;
  std::atomic<int> active{0};
  std::atomic<bool> shutting_down{false};
  GatewayContext ctx;
  ctx.backend = backend->get();
  ctx.users = &users;
  ctx.cancels = &cancels;
  ctx.translations = &translations;
  ctx.deadlines = &deadlines;
  ctx.hba = &hba;
  ctx.limits = &limits;
  ctx.auth_failure_delay_ms = cfg.auth_failure_delay_ms;
  ctx.idle_in_transaction_session_timeout_ms = cfg.idle_in_transaction_session_timeout_ms;
  ctx.idle_session_timeout_ms = cfg.idle_session_timeout_ms;
  ctx.server_version = cfg.server_version;
  ctx.max_connections = cfg.max_connections;
  ctx.lock_wait_ms = cfg.busy_timeout_ms;
  ctx.active_connections = &active;
  ctx.shutting_down = &shutting_down;
  CopyProgressRegistry copy_progress;
  ctx.copy_progress = &copy_progress;
  ctx.copy_access.file_users = SplitList(cfg.copy_file_users);
  ctx.copy_access.program_users = SplitList(cfg.copy_program_users);

  int workers_n = cfg.backend_threads > 0
                      ? cfg.backend_threads
                      : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  // Statement threads grow past the warm count when a statement has waited 2 ms with all of
  // them busy, up to one per connection: no statement waits for another session's to end
  // (net/worker_pool.h).
  auto workers = std::make_unique<WorkerPool>(
      WorkerPool::Options{.name = "pgw-backend",
                          .warm = workers_n,
                          .max = std::max(workers_n, cfg.max_connections)});
  // Logins, cancels and session ends, apart from statements. A login may wait for a database
  // lock (SqliteConnection::Open), so these grow too, up to kMaxSessionThreads at once.
  auto session_workers =
      std::make_unique<WorkerPool>(WorkerPool::Options{.name = "pgw-session",
                                                       .warm = kSessionThreads,
                                                       .max = kMaxSessionThreads});
  int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  IoThreads io(cfg.io_threads > 0 ? cfg.io_threads : cores);
  asio::io_context& main_loop = io.main();
  ConnectionSet connections;
  ConnectionDeps deps{&ctx, workers.get(), session_workers.get(), &connections,
                      cfg.authentication_timeout_seconds};
  std::unique_ptr<TlsServerContext> tls;
  if (!cfg.ssl_cert_file.empty() || !cfg.ssl_key_file.empty()) {
    if (cfg.ssl_cert_file.empty() || cfg.ssl_key_file.empty()) {
      PGW_LOG_ERROR("TLS needs both --ssl-cert-file and --ssl-key-file");
      return 2;
    }
    Result<std::unique_ptr<TlsServerContext>> made = TlsServerContext::Create(
        TlsOptions{.cert_file = cfg.ssl_cert_file,
                   .key_file = cfg.ssl_key_file,
                   .ca_file = cfg.ssl_ca_file,
                   .min_protocol = cfg.ssl_min_protocol_version,
                   .ciphers = cfg.ssl_ciphers});
    if (!made.ok()) {
      PGW_LOG_ERROR("{}", made.status().message());
      return 2;
    }
    tls = std::move(made).value();
    Result<std::string> end_point = TlsServerEndPointHashFromPem(tls->cert_pem());
    if (!end_point.ok()) {
      // SCRAM-SHA-256-PLUS cannot bind to this certificate; plain SCRAM still works over TLS.
      PGW_LOG_WARN("no tls-server-end-point channel binding: {}", end_point.status().message());
    } else {
      deps.tls_server_end_point = std::move(end_point).value();
    }
    deps.tls = tls.get();
  }
  TcpServer server(io, [deps](asio::ip::tcp::socket s) { return ServeConnection(std::move(s), deps); });
  if (Status st = server.Listen(host, port); !st.ok()) {
    PGW_LOG_ERROR("{}", st.message());
    return 1;
  }
  server.Start();
  if (!cfg.port_file.empty()) WritePortFile(cfg.port_file, server.port());
  PGW_LOG_INFO("iris-pgwire {} serving {} (access rules: {}, backend threads={} warm, up to {})",
               kVersion, (*backend)->Describe(),
               cfg.hba_file.empty() ? "--auth " + cfg.auth : cfg.hba_file, workers_n,
               workers->options().max);

  asio::signal_set signals(main_loop, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer grace(main_loop);
  std::function<void()> wait_signal;
  auto stop_when_drained = std::make_shared<std::function<void()>>();
  asio::steady_timer drain(main_loop);
  *stop_when_drained = [&] {
    if (connections.size() == 0) {
      io.Stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([stop_when_drained](asio::error_code) { (*stop_when_drained)(); });
  };
  wait_signal = [&] {
    signals.async_wait([&](asio::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        Status st = users.Load(cfg.users_file);
        if (st.ok()) {
          PGW_LOG_INFO("reloaded users file");
        } else {
          PGW_LOG_ERROR("users file not reloaded: {}", st.message());
        }
        // Established sessions keep going; logins from now on use the new rules. Rules that
        // do not parse leave the old ones in force, as PostgreSQL does.
        Result<HbaRules> fresh = LoadAccessRules(cfg);
        if (fresh.ok()) {
          hba.Replace(std::move(fresh).value());
          PGW_LOG_INFO("reloaded access rules");
        } else {
          PGW_LOG_ERROR("access rules not reloaded: {}", fresh.status().message());
        }
        wait_signal();
        return;
      }
      if (shutting_down.exchange(true)) {
        connections.ShutdownAll(true);  // second signal: do not wait any longer
        return;
      }
      PGW_LOG_INFO("shutting down: no new connections, {} s grace for running statements",
                   cfg.shutdown_grace_seconds);
      server.Stop();
      connections.ShutdownAll(false);
      grace.expires_after(std::chrono::seconds(cfg.shutdown_grace_seconds));
      grace.async_wait([&](asio::error_code gec) {
        if (!gec) connections.ShutdownAll(true);
      });
      (*stop_when_drained)();
      wait_signal();
    });
  };
  wait_signal();

  io.Run();
  // Every connection has ended; a task still queued would post its completion to the loops,
  // so the pools finish before the loops go.
  session_workers.reset();
  workers.reset();
  PGW_LOG_INFO("stopped");
  return 0;
}

int Passwd(const std::string& users_file, const std::string& user) {
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::cerr << "iris-pgwire passwd: no password on standard input\n";
    return 2;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    std::cerr << "iris-pgwire passwd: empty password\n";
    return 2;
  }
  Status st = CredentialStore::SetPassword(users_file, user, password);
  if (!st.ok()) {
    std::cerr << "iris-pgwire passwd: " << st.message() << "\n";
    return 1;
  }
  std::cout << "stored a SCRAM-SHA-256 verifier for \"" << user << "\" in " << users_file << "\n";
  return 0;
}

int TranslateCommand(const std::string& dialect, const std::string& sql) {
  TranslateOptions opts;
  if (dialect == "sqlite") {
    opts.dialect = Dialect::kSqlite;
  } else if (dialect == "iris") {
    opts.dialect = Dialect::kIris;
  } else if (dialect == "postgres") {
    opts.dialect = Dialect::kPostgres;
  } else {
    std::cerr << "unknown dialect \"" << dialect << "\"\n";
    return 2;
  }
  Result<std::vector<TranslatedStatement>> r = Translate(sql, opts);
  if (!r.ok()) {
    Status st = r.status();
    const ErrorInfo& e = st.info();
    std::cerr << "ERROR:  " << e.message << " (SQLSTATE " << e.sqlstate << ")";
    if (e.position > 0) std::cerr << " at character " << e.position;
    std::cerr << "\n";
    return 1;
  }
  for (const auto& t : *r) {
    std::cout << (t.sql.empty() ? "-- handled by the gateway: " + t.command_tag : t.sql) << ";\n";
  }
  return 0;
}

}  // namespace
}  // namespace pgw

int main(int argc, char** argv) {
  using pgw::ServerConfig;
  CLI::App app{"iris-pgwire: a PostgreSQL wire-protocol gateway to InterSystems IRIS and SQLite"};
  app.require_subcommand(1);
  app.set_version_flag("--version", pgw::kVersion);

  ServerConfig cli;
  std::string config_file;
  CLI::App* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("-c,--config", config_file, "TOML configuration file (flags override it)");
  // Each flag writes into `cli`; the ones given on the command line then override the file
  // (a member pointer per flag, so the two lists cannot drift apart).
  std::vector<std::function<void(ServerConfig&)>> overrides;
  auto flag = [&](CLI::Option* o, auto ServerConfig::*field) {
    overrides.push_back([o, field, &cli](ServerConfig& cfg) {
      if (o->count() > 0) cfg.*field = cli.*field;
    });
  };
  flag(serve->add_option("-l,--listen", cli.listen, "HOST:PORT to listen on (port 0 = ephemeral)")->capture_default_str(), &ServerConfig::listen);
  flag(serve->add_option("-b,--backend", cli.backend, "sqlite:PATH | sqlite::memory: | odbc:CONNECTION-STRING | iris://user:pw@host:1972/NAMESPACE")->capture_default_str(), &ServerConfig::backend);
  flag(serve->add_option("--users-file", cli.users_file, "users file with SCRAM verifiers (iris-pgwire passwd)")->capture_default_str(), &ServerConfig::users_file);
  flag(serve->add_option("--auth", cli.auth, "shorthand for a rule set: auto (trust on loopback, SCRAM over TLS elsewhere) | trust | scram-sha-256")->capture_default_str(), &ServerConfig::auth);
  flag(serve->add_option("--port-file", cli.port_file, "write the bound port here once listening")->capture_default_str(), &ServerConfig::port_file);
  flag(serve->add_option("--max-connections", cli.max_connections, "maximum concurrent client connections (53300 past it)")->capture_default_str(), &ServerConfig::max_connections);
  flag(serve->add_option("--io-threads", cli.io_threads, "threads running socket I/O and cheap statements (0 = one per core)")->capture_default_str(), &ServerConfig::io_threads);
  flag(serve->add_option("--backend-threads", cli.backend_threads, "backend threads kept warm; more start while all are busy, up to one per connection (0 = one per core)")->capture_default_str(), &ServerConfig::backend_threads);
  flag(serve->add_option("--shutdown-grace-seconds", cli.shutdown_grace_seconds, "on SIGTERM, how long running statements may finish")->capture_default_str(), &ServerConfig::shutdown_grace_seconds);
  flag(serve->add_option("--authentication-timeout", cli.authentication_timeout_seconds, "seconds a client may take to log in")->capture_default_str(), &ServerConfig::authentication_timeout_seconds);
  flag(serve->add_option("--busy-timeout-ms", cli.busy_timeout_ms, "SQLite: the longest a statement waits for a lock, then 55P03 (0: no limit, as in PostgreSQL; lock_timeout and statement_timeout still apply)")->capture_default_str(), &ServerConfig::busy_timeout_ms);
  flag(serve->add_option("--server-version", cli.server_version, "server_version reported to clients")->capture_default_str(), &ServerConfig::server_version);
  flag(serve->add_option("--log-level", cli.log_level, "trace|debug|info|warn|error|off")->capture_default_str(), &ServerConfig::log_level);
  flag(serve->add_flag("--log-json", cli.log_json, "log one JSON object per line"), &ServerConfig::log_json);
  flag(serve->add_option("--sqlite-exclusive", cli.sqlite_exclusive, "SQLite: hold the database file exclusively (faster; no other process may open it meanwhile)")->capture_default_str(), &ServerConfig::sqlite_exclusive);
  flag(serve->add_option("--copy-file-users", cli.copy_file_users, "users who may COPY to/from server files (comma-separated, * = all)")->capture_default_str(), &ServerConfig::copy_file_users);
  flag(serve->add_option("--copy-program-users", cli.copy_program_users, "users who may COPY to/from programs (comma-separated, * = all)")->capture_default_str(), &ServerConfig::copy_program_users);
  // ODBC backend options.
  flag(serve->add_option("--dialect", cli.dialect, "ODBC: iris | postgres | sqlite (default: from the target's SQL_DBMS_NAME)")->capture_default_str(), &ServerConfig::dialect);
  flag(serve->add_option("--odbc-driver", cli.odbc_driver, "ODBC driver that iris:// URIs use")->capture_default_str(), &ServerConfig::odbc_driver);
  flag(serve->add_option("--odbc-auth", cli.odbc_auth, "ODBC: service (login in the connection string) | passthrough (the client's own password)")->capture_default_str(), &ServerConfig::odbc_auth);
  flag(serve->add_option("--pool-mode", cli.pool_mode, "ODBC: transaction (a session holds a connection per transaction) | session")->capture_default_str(), &ServerConfig::pool_mode);
  flag(serve->add_option("--pool-size", cli.pool_size, "ODBC: connections kept per (user, database)")->capture_default_str(), &ServerConfig::pool_size);
  flag(serve->add_option("--pool-overflow", cli.pool_overflow, "ODBC: extra connections under load")->capture_default_str(), &ServerConfig::pool_overflow);
  flag(serve->add_option("--pool-acquire-timeout-ms", cli.pool_acquire_timeout_ms, "ODBC: wait for a free connection (then 53300)")->capture_default_str(), &ServerConfig::pool_acquire_timeout_ms);
  flag(serve->add_option("--pool-max-lifetime-s", cli.pool_max_lifetime_s, "ODBC: close connections older than this")->capture_default_str(), &ServerConfig::pool_max_lifetime_s);
  flag(serve->add_option("--pool-idle-timeout-s", cli.pool_idle_timeout_s, "ODBC: close connections idle longer than this")->capture_default_str(), &ServerConfig::pool_idle_timeout_s);
  flag(serve->add_option("--pool-validate-idle-ms", cli.pool_validate_idle_ms, "ODBC: ping a connection idle longer than this before reuse")->capture_default_str(), &ServerConfig::pool_validate_idle_ms);
  flag(serve->add_option("--pool-health-interval-ms", cli.pool_health_interval_ms, "ODBC: health check period")->capture_default_str(), &ServerConfig::pool_health_interval_ms);
  flag(serve->add_option("--pool-backoff-max-ms", cli.pool_backoff_max_ms, "ODBC: longest wait between reconnect attempts")->capture_default_str(), &ServerConfig::pool_backoff_max_ms);
  // Front door options.
  flag(serve->add_option("--hba-file", cli.hba_file, "pg_hba.conf-style access rules (instead of --auth); reloaded on SIGHUP")->capture_default_str(), &ServerConfig::hba_file);
  flag(serve->add_option("--max-connections-per-user", cli.max_connections_per_user, "sessions per user (0 = no cap; 53300 past it)")->capture_default_str(), &ServerConfig::max_connections_per_user);
  flag(serve->add_option("--max-connections-per-database", cli.max_connections_per_database, "sessions per database (0 = no cap; 53300 past it)")->capture_default_str(), &ServerConfig::max_connections_per_database);
  flag(serve->add_option("--idle-in-transaction-session-timeout", cli.idle_in_transaction_session_timeout_ms, "ms a session may sit idle inside a transaction (0 = off; then 25P03)")->capture_default_str(), &ServerConfig::idle_in_transaction_session_timeout_ms);
  flag(serve->add_option("--idle-session-timeout", cli.idle_session_timeout_ms, "ms a session may sit idle outside a transaction (0 = off; then 57P05)")->capture_default_str(), &ServerConfig::idle_session_timeout_ms);
  flag(serve->add_option("--ssl-cert-file", cli.ssl_cert_file, "TLS server certificate (PEM); TLS is off without it")->capture_default_str(), &ServerConfig::ssl_cert_file);
  flag(serve->add_option("--ssl-key-file", cli.ssl_key_file, "TLS private key (PEM) of --ssl-cert-file")->capture_default_str(), &ServerConfig::ssl_key_file);
  flag(serve->add_option("--ssl-ca-file", cli.ssl_ca_file, "TLS: trusted CAs for client certificates (PEM; optional)")->capture_default_str(), &ServerConfig::ssl_ca_file);
  flag(serve->add_option("--ssl-min-protocol-version", cli.ssl_min_protocol_version, "TLS: oldest protocol accepted: TLSv1 | TLSv1.1 | TLSv1.2 | TLSv1.3")->capture_default_str(), &ServerConfig::ssl_min_protocol_version);
  flag(serve->add_option("--ssl-ciphers", cli.ssl_ciphers, "TLS: OpenSSL cipher list for TLS 1.2 and below")->capture_default_str(), &ServerConfig::ssl_ciphers);
  flag(serve->add_option("--auth-failure-delay-ms", cli.auth_failure_delay_ms, "wait this long before answering a failed login")->capture_default_str(), &ServerConfig::auth_failure_delay_ms);
  std::string passwd_file = "./iris-pgwire-users.txt", passwd_user;
  CLI::App* passwd = app.add_subcommand("passwd", "Store a SCRAM verifier for USER (password read from stdin)");
  passwd->add_option("--users-file", passwd_file, "users file")->capture_default_str();
  passwd->add_option("user", passwd_user, "user name")->required();

  std::string dialect = "sqlite", sql;
  CLI::App* translate = app.add_subcommand("translate", "Print the SQL a statement becomes in a dialect");
  translate->add_option("--dialect", dialect, "sqlite | iris | postgres")->capture_default_str();
  translate->add_option("sql", sql, "PostgreSQL SQL text")->required();

  CLI11_PARSE(app, argc, argv);

  if (*serve) {
    ServerConfig cfg;
    if (!config_file.empty()) {
      pgw::Status st = pgw::LoadConfigFile(config_file, &cfg);
      if (!st.ok()) {
        std::cerr << "iris-pgwire: " << st.message() << "\n";
        return 2;
      }
    }
    // Flags given on the command line override the file.
    for (const auto& apply : overrides) apply(cfg);
    return pgw::Serve(cfg);
  }
  if (*passwd) return pgw::Passwd(passwd_file, passwd_user);
  if (*translate) return pgw::TranslateCommand(dialect, sql);
  return 0;
}
