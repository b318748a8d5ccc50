#include "session/connection_limits.h"

#include "common/sqlstate.h"

namespace pgw {
namespace {

int CountIn(const std::map<std::string, int, std::less<>>& m, std::string_view key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

void Decrement(std::map<std::string, int, std::less<>>& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) return;
  if (--it->second <= 0) m.erase(it);  // keep the maps as small as the live sessions
}

}  // namespace

Status ConnectionLimits::Acquire(std::string_view user, std::string_view database) {
  std::lock_guard<std::mutex> lock(mu_);
  if (max_per_user_ > 0 && CountIn(users_, user) >= max_per_user_) {
    return Status::Error(sqlstate::kTooManyConnections,
                         "too many connections for role \"" + std::string(user) + "\"");
  }
  if (max_per_database_ > 0 && CountIn(databases_, database) >= max_per_database_) {
    return Status::Error(sqlstate::kTooManyConnections,
                         "too many connections for database \"" + std::string(database) + "\"");
  }
  ++users_[std::string(user)];
  ++databases_[std::string(database)];
  return Status::OK();
}

void ConnectionLimits::Release(std::string_view user, std::string_view database) {
  std::lock_guard<std::mutex> lock(mu_);
  Decrement(users_, user);
  Decrement(databases_, database);
}

int ConnectionLimits::UserCount(std::string_view user) const {
  std::lock_guard<std::mutex> lock(mu_);
  return CountIn(users_, user);
}

int ConnectionLimits::DatabaseCount(std::string_view database) const {
  std::lock_guard<std::mutex> lock(mu_);
  return CountIn(databases_, database);
}

}  // namespace pgw
