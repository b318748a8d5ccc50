#include "config.h"

#include <toml++/toml.h>

#include <string_view>
#include <variant>

#include "common/sqlstate.h"

namespace pgw {
namespace {

// Every key of the file and the ServerConfig member it sets (the TOML key is the member's name).
using Field = std::variant<std::string ServerConfig::*, int ServerConfig::*, bool ServerConfig::*>;
struct Key {
  std::string_view name;
  Field field;
};
#define PGW_KEY(member) Key{#member, &ServerConfig::member}
const Key kKeys[] = {
    PGW_KEY(listen),
    PGW_KEY(backend),
    PGW_KEY(users_file),
    PGW_KEY(auth),
    PGW_KEY(port_file),
    PGW_KEY(max_connections),
    PGW_KEY(io_threads),
    PGW_KEY(backend_threads),
    PGW_KEY(shutdown_grace_seconds),
    PGW_KEY(authentication_timeout_seconds),
    PGW_KEY(busy_timeout_ms),
    PGW_KEY(server_version),
    PGW_KEY(copy_file_users),
    PGW_KEY(copy_program_users),
    PGW_KEY(log_level),
    PGW_KEY(dialect),
    PGW_KEY(odbc_driver),
    PGW_KEY(odbc_auth),
    PGW_KEY(pool_mode),
    PGW_KEY(pool_size),
    PGW_KEY(pool_overflow),
    PGW_KEY(pool_acquire_timeout_ms),
    PGW_KEY(pool_max_lifetime_s),
    PGW_KEY(pool_idle_timeout_s),
    PGW_KEY(pool_validate_idle_ms),
    PGW_KEY(pool_health_interval_ms),
    PGW_KEY(pool_backoff_max_ms),
    PGW_KEY(sqlite_exclusive),
    PGW_KEY(log_json),
    PGW_KEY(hba_file),
    PGW_KEY(max_connections_per_user),
    PGW_KEY(max_connections_per_database),
    PGW_KEY(auth_failure_delay_ms),
    PGW_KEY(idle_in_transaction_session_timeout_ms),
    PGW_KEY(idle_session_timeout_ms),
    PGW_KEY(ssl_cert_file),
    PGW_KEY(ssl_key_file),
    PGW_KEY(ssl_ca_file),
    PGW_KEY(ssl_min_protocol_version),
    PGW_KEY(ssl_ciphers),
};
#undef PGW_KEY

// Sets `*c`'s member from a TOML value of the right type; false when the type is wrong.
bool Assign(const toml::node& node, const Field& field, ServerConfig* c) {
  return std::visit(
      [&](auto member) -> bool {
        using T = std::remove_reference_t<decltype(c->*member)>;
        if constexpr (std::is_same_v<T, int>) {
          auto v = node.value_exact<int64_t>();
          if (v) c->*member = static_cast<int>(*v);
          return v.has_value();
        } else {
          auto v = node.value_exact<T>();
          if (v) c->*member = *v;
          return v.has_value();
        }
      },
      field);
}

}  // namespace

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
    const Key* known = nullptr;
    for (const Key& candidate : kKeys) {
      if (candidate.name == k) known = &candidate;
    }
    if (known == nullptr) {
      return Status::Error(sqlstate::kConfigFileError,
                           "unrecognized configuration parameter \"" + k + "\" in file \"" +
                               path + "\"");
    }
    if (!Assign(node, known->field, c)) {
      return Status::Error(sqlstate::kConfigFileError,
                           "invalid value for parameter \"" + k + "\" in file \"" + path + "\"");
    }
  }
  return Status::OK();
}

}  // namespace pgw
