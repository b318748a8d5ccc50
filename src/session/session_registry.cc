// The process-wide registry of live sessions (pg_stat_activity).
#include "session/session_registry.h"

#include <chrono>

namespace pgw {

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SessionActivity::SetActive(std::string_view query, bool starts_transaction) {
  int64_t now = WallClockMicros();
  std::lock_guard<std::mutex> lock(mu_);
  a_.state = "active";
  a_.query.assign(query);
  a_.query_start_us = now;
  a_.state_change_us = now;
  if (starts_transaction || a_.xact_start_us == 0) a_.xact_start_us = now;
}

void SessionActivity::SetIdle(const char* state, bool in_transaction) {
  int64_t now = WallClockMicros();
  std::lock_guard<std::mutex> lock(mu_);
  a_.state = state;
  a_.state_change_us = now;
  if (!in_transaction) a_.xact_start_us = 0;
}

void SessionActivity::SetApplicationName(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  a_.application_name.assign(name);
}

CatalogActivity SessionActivity::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return a_;
}

SessionRegistry::SessionRegistry() : start_us_(WallClockMicros()) {}

SessionRegistry& SessionRegistry::Instance() {
  static SessionRegistry registry;
  return registry;
}

std::shared_ptr<SessionActivity> SessionRegistry::Register(CatalogActivity initial) {
  int32_t pid = initial.pid;
  auto a = std::make_shared<SessionActivity>(std::move(initial));
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[pid] = a;
  return a;
}

void SessionRegistry::Unregister(int32_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(pid);
}

std::vector<CatalogActivity> SessionRegistry::Snapshot() const {
  std::vector<std::shared_ptr<SessionActivity>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [pid, a] : sessions_) live.push_back(a);
  }
  std::vector<CatalogActivity> out;
  out.reserve(live.size());
  for (const auto& a : live) out.push_back(a->Snapshot());
  return out;
}

}  // namespace pgw
