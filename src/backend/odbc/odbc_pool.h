// OdbcPool: the target connections of one (user, database), shared by that key's sessions.
// A session leases a connection for a transaction (or for its whole life when it pins it,
// see OdbcSession) and the Lease returns it when dropped: rolled back if a transaction was
// left open, discarded when broken, past its lifetime, or beyond the pool's size.
//
// Limits (PoolOptions, all configurable, defaults documented in the README):
//   size           connections kept open when idle;
//   overflow       further connections opened under load, closed when returned;
//   acquire_timeout_ms  how long Acquire waits for a free connection (then 53300);
//   max_lifetime_s / idle_timeout_s  a connection older / idle longer is closed;
//   validate_idle_ms  a connection idle longer than this is pinged before it is handed out;
//   backoff_initial_ms / backoff_max_ms  after a failed connect, further connects wait
//       (doubling) and Acquire fails at once with 08006 meanwhile.
// Maintain() (the backend's health thread) pings idle connections, closes dead and expired
// ones and probes a failed target once its backoff has passed, so sessions succeed again as
// soon as the target is back. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backend/odbc/odbc_connection.h"
#include "common/status.h"

namespace pgw::odbc {

struct PoolOptions {
  int size = 10;
  int overflow = 10;
  int acquire_timeout_ms = 5000;
  int max_lifetime_s = 3600;
  int idle_timeout_s = 600;
  int validate_idle_ms = 5000;
  int backoff_initial_ms = 100;
  int backoff_max_ms = 5000;
  int login_timeout_s = 10;
};

struct PoolStats {
  int open = 0;  // connections open (idle + leased + being opened)
  int idle = 0;
  int connects = 0;         // successful connects so far
  int failed_connects = 0;  // failed connects so far
  int discarded = 0;        // connections closed as broken or expired
};

class OdbcPool;

// A connection lent to a session. Destroying it gives the connection back to its pool.
class Lease {
 public:
  Lease(std::shared_ptr<OdbcPool> pool, std::unique_ptr<OdbcConnection> conn)
      : pool_(std::move(pool)), conn_(std::move(conn)) {}
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  OdbcConnection& conn() { return *conn_; }

 private:
  std::shared_ptr<OdbcPool> pool_;
  std::unique_ptr<OdbcConnection> conn_;
};

class OdbcPool : public std::enable_shared_from_this<OdbcPool> {
 public:
  OdbcPool(std::shared_ptr<Environment> env, std::string connection_string,
           std::optional<Dialect> dialect, PoolOptions options);
  ~OdbcPool();

  // A connection: an idle one (pinged first when idle past validate_idle_ms), or a new one
  // while fewer than size + overflow are open; else waits up to acquire_timeout_ms (53300).
  [[nodiscard]] Result<std::shared_ptr<Lease>> Acquire();
  // One health pass (see the header comment).
  void Maintain();
  PoolStats stats() const;

 private:
  friend class Lease;
  void Release(std::unique_ptr<OdbcConnection> conn);
  bool Expired(const OdbcConnection& c, Clock::time_point now) const;
  // Opens a connection (mu_ not held) and records the outcome for the backoff.
  Result<std::unique_ptr<OdbcConnection>> Connect();

  const std::shared_ptr<Environment> env_;
  const std::string connection_string_;
  const std::optional<Dialect> dialect_;
  const PoolOptions options_;

  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::deque<std::unique_ptr<OdbcConnection>> idle_;  // most recently used at the back
  int open_ = 0;
  PoolStats counters_;
  // Backoff after failed connects.
  Clock::time_point retry_at_{};
  int backoff_ms_ = 0;
  std::string last_error_;
};

}  // namespace pgw::odbc
