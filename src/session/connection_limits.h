// ConnectionLimits: how many sessions each user and each database has, against the per-user and
// per-database caps (--max-connections-per-user, --max-connections-per-database; 0 = no cap).
// A session is counted once it has authenticated, as PostgreSQL counts a role's and a
// database's connections after login. Thread-safe: one mutex, held only to count.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pgw {

class ConnectionLimits {
 public:
  ConnectionLimits(int max_per_user, int max_per_database)
      : max_per_user_(max_per_user), max_per_database_(max_per_database) {}

  // Counts one session of `user` on `database`. Errors (nothing counted): 53300
  // `too many connections for role "x"`, then `too many connections for database "x"` (the order
  // PostgreSQL checks them in).
  [[nodiscard]] Status Acquire(std::string_view user, std::string_view database);
  // REQUIRES: a successful Acquire with the same names.
  void Release(std::string_view user, std::string_view database);
  int UserCount(std::string_view user) const;
  int DatabaseCount(std::string_view database) const;

 private:
  const int max_per_user_;
  const int max_per_database_;
  mutable std::mutex mu_;
  std::map<std::string, int, std::less<>> users_;
  std::map<std::string, int, std::less<>> databases_;
};

}  // namespace pgw
