// SessionSettings: the run-time parameters (GUCs) of one session, with PostgreSQL's defaults,
// SET/RESET/SHOW semantics and the GUC_REPORT set that is announced with ParameterStatus.
// Values the gateway cannot honour are refused (0A000 / 22023), never silently ignored.
// Not thread-safe; owned by one session.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "iris_pgwire/catalog.h"

namespace pgw {

class SessionSettings {
 public:
  explicit SessionSettings(std::string server_version);

  // SET name TO value (values joined as PostgreSQL does for list settings). `reported` receives
  // (name, value) when the setting is one clients are told about with ParameterStatus.
  [[nodiscard]] Status Set(std::string_view name, const std::vector<std::string>& values,
                           std::vector<std::pair<std::string, std::string>>* reported);
  // A value from the startup packet: becomes the value RESET returns to, as in PostgreSQL.
  [[nodiscard]] Status SetStartup(std::string_view name, const std::string& value);
  [[nodiscard]] Status Reset(std::string_view name,
                             std::vector<std::pair<std::string, std::string>>* reported);
  void ResetAll(std::vector<std::pair<std::string, std::string>>* reported);
  // SHOW name: 42704 `unrecognized configuration parameter "x"` when unknown.
  [[nodiscard]] Result<std::string> Show(std::string_view name) const;
  // SHOW ALL rows: (name, setting, description), from the same rows as pg_settings.
  std::vector<std::vector<std::string>> ShowAll() const;
  // pg_settings rows, sorted by name as PostgreSQL sorts them.
  std::vector<CatalogSetting> CatalogRows() const;
  // The settings announced at startup, in PostgreSQL's order.
  std::vector<std::pair<std::string, std::string>> Reportable() const;
  // Canonical (PostgreSQL-cased) name of a known setting, or "" when unknown.
  static std::string_view CanonicalName(std::string_view name);

  // Sets `name` to its value in `other` (SET LOCAL reverting at commit).
  void CopyFrom(const SessionSettings& other, std::string_view name);
  // (name, value) of the reported settings that differ between `before` and this.
  std::vector<std::pair<std::string, std::string>> ReportedChanges(
      const SessionSettings& before) const;

  // statement_timeout in milliseconds (0 = none).
  int64_t statement_timeout_ms() const;
  // idle_in_transaction_session_timeout / idle_session_timeout in milliseconds (0 = none).
  int64_t idle_in_transaction_timeout_ms() const;
  int64_t idle_session_timeout_ms() const;
  // lock_timeout in milliseconds (0 = wait as long as the statement may run).
  int64_t lock_timeout_ms() const;

 private:
  struct Entry {
    std::string value;
    std::string boot_value;
    bool reported = false;
  };
  std::map<std::string, Entry, std::less<>> values_;  // keyed by lower-case name
  // Bumped by every change of values_. Copies take it with the values and the caches below,
  // so a cache is valid exactly when its version is the object's.
  uint64_t version_ = 0;
  // A millisecond setting, asked before every statement: looked up and parsed again only after
  // a change of the settings.
  struct CachedMillis {
    uint64_t version = UINT64_MAX;
    int64_t ms = 0;
  };
  int64_t Millis(std::string_view name, CachedMillis* cache) const;
  mutable CachedMillis statement_timeout_;
  mutable CachedMillis idle_in_transaction_;
  mutable CachedMillis idle_session_;
  mutable CachedMillis lock_timeout_;
};

}  // namespace pgw
