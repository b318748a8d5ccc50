// Column names and types for the translator, from PRAGMA table_xinfo.
#include "backend/sqlite/sqlite_schema.h"

#include <sqlite3.h>
#include <strings.h>

#include "types/pg_types.h"

namespace pgw {
namespace {

int64_t SchemaVersion(SqliteConnection& conn) {
  sqlite3_stmt* stmt = nullptr;
  int64_t version = -1;
  if (conn.PrepareWaitingForLocks("PRAGMA schema_version", 0, &stmt, nullptr) == SQLITE_OK &&
      conn.StepWaitingForLocks(stmt) == SQLITE_ROW) {
    version = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return version;
}

}  // namespace

std::vector<SqliteSchemaLookup::Column> SqliteSchemaLookup::Load(const std::string& table) const {
  std::vector<Column> columns;
  const std::string& name = table;
  sqlite3_stmt* stmt = nullptr;
  if (conn_->PrepareWaitingForLocks("SELECT name, type, hidden FROM pragma_table_xinfo(?1)", 0,
                                    &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return columns;
  }
  sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  for (int rc = conn_->StepWaitingForLocks(stmt); rc == SQLITE_ROW; rc = sqlite3_step(stmt)) {
    int hidden = sqlite3_column_int(stmt, 2);
    if (hidden == 1) continue;  // virtual-table hidden columns (function arguments)
    Column c;
    c.name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const unsigned char* decl = sqlite3_column_text(stmt, 1);
    DeclaredType dt = ParseDeclaredType(decl ? reinterpret_cast<const char*>(decl) : "");
    c.type.type_oid = dt.oid;
    c.type.typmod = dt.typmod;
    columns.push_back(std::move(c));
  }
  sqlite3_finalize(stmt);
  return columns;
}

const std::vector<SqliteSchemaLookup::Column>& SqliteSchemaLookup::Columns(
    std::string_view table) const {
  int64_t version = SchemaVersion(*conn_);
  if (version != schema_version_) {
    cache_.clear();
    schema_version_ = version;
  }
  std::string key(table);
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, Load(key)).first;
  return it->second;
}

std::optional<ColumnTypeInfo> SqliteSchemaLookup::ColumnType(std::string_view table,
                                                             std::string_view column) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Column& c : Columns(table)) {
    if (c.name.size() == column.size() &&
        strncasecmp(c.name.data(), column.data(), column.size()) == 0) {
      return c.type;
    }
  }
  return std::nullopt;
}

std::vector<std::string> SqliteSchemaLookup::TableColumns(std::string_view table) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> names;
  for (const Column& c : Columns(table)) names.push_back(c.name);
  return names;
}

}  // namespace pgw
