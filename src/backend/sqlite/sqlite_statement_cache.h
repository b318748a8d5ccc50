// SqliteStatementCache: a session's LRU cache of prepared sqlite3_stmt keyed by SQL text, so
// that preparing the same SQL again (every unnamed statement of every query) is a hash lookup.
// Entries are shared: a BackendStatement keeps its entry alive after eviction, and the entry
// finalizes its sqlite3_stmt when the last holder lets go. An entry's statement is used by at
// most one cursor at a time (`busy`); others prepare a private statement. The cached result
// description is reused while the caller's hints and SQLite's reprepare count are unchanged.
// Not thread-safe: owned by one session.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "iris_pgwire/backend.h"
#include "sql/translator.h"

namespace pgw {

// Result columns and parameter types of a prepared statement, as the session reports them.
struct StatementDescription {
  std::vector<ResultColumnHint> hints_key;  // the hints it was computed from
  std::vector<Oid> param_types_key;
  int reprepare_count = 0;  // SQLITE_STMTSTATUS_REPREPARE when computed
  std::vector<ColumnDesc> columns;
  std::vector<Oid> param_types;
};

struct PreparedSql {
  PreparedSql(std::string text, sqlite3_stmt* s) : sql(std::move(text)), stmt(s) {}
  ~PreparedSql() { sqlite3_finalize(stmt); }
  PreparedSql(const PreparedSql&) = delete;
  PreparedSql& operator=(const PreparedSql&) = delete;

  const std::string sql;
  sqlite3_stmt* const stmt;
  bool busy = false;  // a cursor is stepping `stmt`
  std::shared_ptr<const StatementDescription> description;
};

// Named limit: prepared statements kept per session.
inline constexpr size_t kStatementCacheCapacity = 256;

class SqliteStatementCache {
 public:
  explicit SqliteStatementCache(size_t capacity = kStatementCacheCapacity) : capacity_(capacity) {}

  // The cached entry for `sql` (now most recently used), or nullptr.
  std::shared_ptr<PreparedSql> Find(std::string_view sql);
  // Adds a freshly prepared entry, evicting the least recently used beyond capacity.
  void Insert(std::shared_ptr<PreparedSql> entry);
  // Drops every entry (after DDL: descriptions may be stale). Held entries stay alive.
  void Clear();
  size_t size() const { return map_.size(); }

 private:
  using List = std::list<std::shared_ptr<PreparedSql>>;
  size_t capacity_;
  List lru_;                                                  // front = most recently used
  std::unordered_map<std::string_view, List::iterator> map_;  // keys view entry->sql
};

}  // namespace pgw
