// SessionRegistry: the live client sessions of this server process, as pg_stat_activity shows
// them. Each session owns one SessionActivity and updates it when a statement starts and when it
// is ready for the next one; any thread may take a snapshot. Thread-safe. The registry is
// process-wide (Instance()): one server per process.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "iris_pgwire/catalog.h"

namespace pgw {

class SessionActivity {
 public:
  explicit SessionActivity(CatalogActivity initial) : a_(std::move(initial)) {}
  // A statement starts (state "active").
  void SetActive(std::string_view query, bool starts_transaction);
  // Ready for the next statement: `state` is "idle", "idle in transaction" or
  // "idle in transaction (aborted)"; `in_transaction` false clears xact_start.
  void SetIdle(const char* state, bool in_transaction);
  void SetApplicationName(std::string_view name);
  CatalogActivity Snapshot() const;

 private:
  mutable std::mutex mu_;
  CatalogActivity a_;
};

class SessionRegistry {
 public:
  static SessionRegistry& Instance();

  std::shared_ptr<SessionActivity> Register(CatalogActivity initial);
  void Unregister(int32_t pid);
  // Every registered session, by pid.
  std::vector<CatalogActivity> Snapshot() const;
  // When this process started serving (microseconds since the Unix epoch).
  int64_t start_us() const { return start_us_; }

 private:
  SessionRegistry();
  mutable std::mutex mu_;
  std::map<int32_t, std::shared_ptr<SessionActivity>> sessions_;
  int64_t start_us_;
};

// Microseconds since the Unix epoch (UTC).
int64_t WallClockMicros();

}  // namespace pgw
