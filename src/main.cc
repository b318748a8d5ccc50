// iris-pgwire: wiring only. Parses the command line and configuration, builds the backend, the
// shared gateway context and the server, and runs until SIGTERM/SIGINT.
#include <CLI/CLI.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "auth/credential_store.h"
#include "auth/hba.h"
#include "backend/sqlite/sqlite_backend.h"
#include "common/log.h"
#include "common/sqlstate.h"
#include "config.h"
#include "net/server.h"
#include "session/cancel_registry.h"
#include "session/connection.h"
#include "session/connection_limits.h"
#include "session/session.h"
#include "session/translation_cache.h"
#include "sql/translator.h"

namespace pgw {
namespace {

constexpr char kVersion[] = "0.1.0";

Result<std::unique_ptr<Backend>> OpenBackend(const ServerConfig& cfg) {
  std::string_view uri = cfg.backend;
  if (uri.rfind("sqlite:", 0) == 0) {
    SqliteOptions opts;
    opts.path = std::string(uri.substr(7));
    // The backend waits for a lock only a short slice; the session keeps retrying for
    // busy_timeout_ms in total without holding a backend thread.
    opts.busy_timeout_ms = std::min(cfg.busy_timeout_ms, 5);
    opts.server_version = cfg.server_version;
    return OpenSqliteBackend(opts);
  }
  if (uri.rfind("odbc:", 0) == 0 || uri.rfind("iris://", 0) == 0) {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "the ODBC/IRIS backend is not built yet: use sqlite:PATH");
  }
  return Status::Error(sqlstate::kConfigFileError,
                       "unrecognized backend \"" + cfg.backend +
                           "\": expected sqlite:PATH, sqlite::memory:, odbc:... or iris://...");
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
      cfg.auth_failure_delay_ms < 0) {
    PGW_LOG_ERROR("per-user/per-database limits and the failure delay must not be negative");
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
    PGW_LOG_ERROR("could not open backend: {}", backend.status().message());
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
  ctx.server_version = cfg.server_version;
  ctx.max_connections = cfg.max_connections;
  ctx.lock_wait_ms = cfg.busy_timeout_ms;
  ctx.active_connections = &active;
  ctx.shutting_down = &shutting_down;

  int workers_n = cfg.backend_threads > 0
                      ? cfg.backend_threads
                      : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  asio::thread_pool workers(workers_n);
  asio::io_context io(cfg.io_threads);
  ConnectionSet connections;
  ConnectionDeps deps{&ctx, &workers, &connections, cfg.authentication_timeout_seconds};
  TcpServer server(io, [deps](asio::ip::tcp::socket s) { return ServeConnection(std::move(s), deps); });
  if (Status st = server.Listen(host, port); !st.ok()) {
    PGW_LOG_ERROR("{}", st.message());
    return 1;
  }
  server.Start();
  if (!cfg.port_file.empty()) WritePortFile(cfg.port_file, server.port());
  PGW_LOG_INFO("iris-pgwire {} serving {} (access rules: {}, backend threads={})", kVersion,
               (*backend)->Describe(),
               cfg.hba_file.empty() ? "--auth " + cfg.auth : cfg.hba_file, workers_n);

  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer grace(io);
  std::function<void()> wait_signal;
  auto stop_when_drained = std::make_shared<std::function<void()>>();
  asio::steady_timer drain(io);
  *stop_when_drained = [&] {
    if (connections.size() == 0) {
      io.stop();
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

  std::vector<std::thread> io_threads;
  for (int i = 1; i < std::max(1, cfg.io_threads); ++i) io_threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : io_threads) t.join();
  workers.join();
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
    const ErrorInfo& e = r.status().info();
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
  std::vector<CLI::Option*> set_opts;
  set_opts.push_back(serve->add_option("-l,--listen", cli.listen, "HOST:PORT to listen on (port 0 = ephemeral)")->capture_default_str());
  set_opts.push_back(serve->add_option("-b,--backend", cli.backend, "sqlite:PATH | sqlite::memory:")->capture_default_str());
  set_opts.push_back(serve->add_option("--users-file", cli.users_file, "users file with SCRAM verifiers (iris-pgwire passwd)")->capture_default_str());
  set_opts.push_back(serve->add_option("--auth", cli.auth, "shorthand for a rule set: auto (trust on loopback, SCRAM over TLS elsewhere) | trust | scram-sha-256")->capture_default_str());
  set_opts.push_back(serve->add_option("--port-file", cli.port_file, "write the bound port here once listening")->capture_default_str());
  set_opts.push_back(serve->add_option("--max-connections", cli.max_connections, "maximum concurrent client connections (53300 past it)")->capture_default_str());
  set_opts.push_back(serve->add_option("--io-threads", cli.io_threads, "threads running socket I/O")->capture_default_str());
  set_opts.push_back(serve->add_option("--backend-threads", cli.backend_threads, "threads running backend work (0 = one per core)")->capture_default_str());
  set_opts.push_back(serve->add_option("--shutdown-grace-seconds", cli.shutdown_grace_seconds, "on SIGTERM, how long running statements may finish")->capture_default_str());
  set_opts.push_back(serve->add_option("--authentication-timeout", cli.authentication_timeout_seconds, "seconds a client may take to log in")->capture_default_str());
  set_opts.push_back(serve->add_option("--busy-timeout-ms", cli.busy_timeout_ms, "SQLite: how long a writer waits for the lock (then 55P03)")->capture_default_str());
  set_opts.push_back(serve->add_option("--server-version", cli.server_version, "server_version reported to clients")->capture_default_str());
  set_opts.push_back(serve->add_option("--log-level", cli.log_level, "trace|debug|info|warn|error|off")->capture_default_str());
  set_opts.push_back(serve->add_flag("--log-json", cli.log_json, "log one JSON object per line"));
  // Front door: access rules and login limits.
  set_opts.push_back(serve->add_option("--hba-file", cli.hba_file, "pg_hba.conf-style access rules (instead of --auth); reloaded on SIGHUP")->capture_default_str());
  set_opts.push_back(serve->add_option("--max-connections-per-user", cli.max_connections_per_user, "sessions per user (0 = no cap; 53300 past it)")->capture_default_str());
  set_opts.push_back(serve->add_option("--max-connections-per-database", cli.max_connections_per_database, "sessions per database (0 = no cap; 53300 past it)")->capture_default_str());
  set_opts.push_back(serve->add_option("--auth-failure-delay-ms", cli.auth_failure_delay_ms, "wait this long before answering a failed login")->capture_default_str());

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
    ServerConfig defaults;
    auto pick = [&](CLI::Option* o, auto& dst, const auto& src) {
      if (o->count() > 0) dst = src;
    };
    pick(set_opts[0], cfg.listen, cli.listen);
    pick(set_opts[1], cfg.backend, cli.backend);
    pick(set_opts[2], cfg.users_file, cli.users_file);
    pick(set_opts[3], cfg.auth, cli.auth);
    pick(set_opts[4], cfg.port_file, cli.port_file);
    pick(set_opts[5], cfg.max_connections, cli.max_connections);
    pick(set_opts[6], cfg.io_threads, cli.io_threads);
    pick(set_opts[7], cfg.backend_threads, cli.backend_threads);
    pick(set_opts[8], cfg.shutdown_grace_seconds, cli.shutdown_grace_seconds);
    pick(set_opts[9], cfg.authentication_timeout_seconds, cli.authentication_timeout_seconds);
    pick(set_opts[10], cfg.busy_timeout_ms, cli.busy_timeout_ms);
    pick(set_opts[11], cfg.server_version, cli.server_version);
    pick(set_opts[12], cfg.log_level, cli.log_level);
    pick(set_opts[13], cfg.log_json, cli.log_json);
    pick(set_opts[14], cfg.hba_file, cli.hba_file);
    pick(set_opts[15], cfg.max_connections_per_user, cli.max_connections_per_user);
    pick(set_opts[16], cfg.max_connections_per_database, cli.max_connections_per_database);
    pick(set_opts[17], cfg.auth_failure_delay_ms, cli.auth_failure_delay_ms);
    (void)defaults;
    return pgw::Serve(cfg);
  }
  if (*passwd) return pgw::Passwd(passwd_file, passwd_user);
  if (*translate) return pgw::TranslateCommand(dialect, sql);
  return 0;
}
