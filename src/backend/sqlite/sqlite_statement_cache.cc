// The per-session LRU cache of prepared SQLite statements.
#include "backend/sqlite/sqlite_statement_cache.h"

namespace pgw {

std::shared_ptr<PreparedSql> SqliteStatementCache::Find(std::string_view sql) {
  auto it = map_.find(sql);
  if (it == map_.end()) return nullptr;
  if (it->second != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second);
  return *it->second;
}

void SqliteStatementCache::Insert(std::shared_ptr<PreparedSql> entry) {
  auto existing = map_.find(entry->sql);
  if (existing != map_.end()) {
    lru_.erase(existing->second);
    map_.erase(existing);
  }
  lru_.push_front(std::move(entry));
  map_.emplace(lru_.front()->sql, lru_.begin());
  while (map_.size() > capacity_) {
    map_.erase(lru_.back()->sql);
    lru_.pop_back();
  }
}

void SqliteStatementCache::Clear() {
  map_.clear();
  lru_.clear();
}

}  // namespace pgw
