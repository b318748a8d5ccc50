#include "config.h"

#include <toml++/toml.h>

#include "common/sqlstate.h"

namespace pgw {

Status LoadConfigFile(const std::string& path, ServerConfig* c) {
  toml::table tbl;
  try {
    tbl = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Error(sqlstate::kConfigFileError,
                         "could not parse configuration file \"" + path +
                             "\": " + std::string(e.description()) + " at line " +
                             std::to_string(e.source().begin.line));
  }
  for (const auto& [key, node] : tbl) {
    std::string k(key.str());
    auto str = [&](std::string* dst) -> bool {
      if (auto v = node.value<std::string>()) {
        *dst = *v;
        return true;
      }
      return false;
    };
    auto num = [&](int* dst) -> bool {
      if (auto v = node.value<int64_t>()) {
        *dst = static_cast<int>(*v);
        return true;
      }
      return false;
    };
    bool ok;
    if (k == "listen") ok = str(&c->listen);
    else if (k == "backend") ok = str(&c->backend);
    else if (k == "users_file") ok = str(&c->users_file);
    else if (k == "auth") ok = str(&c->auth);
    else if (k == "port_file") ok = str(&c->port_file);
    else if (k == "max_connections") ok = num(&c->max_connections);
    else if (k == "io_threads") ok = num(&c->io_threads);
    else if (k == "backend_threads") ok = num(&c->backend_threads);
    else if (k == "shutdown_grace_seconds") ok = num(&c->shutdown_grace_seconds);
    else if (k == "authentication_timeout_seconds") ok = num(&c->authentication_timeout_seconds);
    else if (k == "busy_timeout_ms") ok = num(&c->busy_timeout_ms);
    else if (k == "server_version") ok = str(&c->server_version);
    else if (k == "log_level") ok = str(&c->log_level);
    else if (k == "hba_file") ok = str(&c->hba_file);
    else if (k == "max_connections_per_user") ok = num(&c->max_connections_per_user);
    else if (k == "max_connections_per_database") ok = num(&c->max_connections_per_database);
    else if (k == "auth_failure_delay_ms") ok = num(&c->auth_failure_delay_ms);
    else if (k == "log_json") {
      auto v = node.value<bool>();
      ok = v.has_value();
      if (ok) c->log_json = *v;
    } else {
      return Status::Error(sqlstate::kConfigFileError,
                           "unrecognized configuration parameter \"" + k + "\" in file \"" +
                               path + "\"");
    }
    if (!ok) {
      return Status::Error(sqlstate::kConfigFileError,
                           "invalid value for parameter \"" + k + "\" in file \"" + path + "\"");
    }
  }
  return Status::OK();
}

}  // namespace pgw
