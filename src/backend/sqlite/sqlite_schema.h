// SqliteSchemaLookup: the translator's view of table columns, answered from a dedicated
// connection guarded by a mutex. Answers are cached per table and dropped whenever the
// database's PRAGMA schema_version changes. Catalog relations answer by their SQLite name
// ("pgw_pg_class"); "pg_class" is a user table of that name. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backend/sqlite/sqlite_connection.h"
#include "iris_pgwire/backend.h"

namespace pgw {

class SqliteSchemaLookup final : public SchemaLookup {
 public:
  explicit SqliteSchemaLookup(std::shared_ptr<SqliteConnection> conn) : conn_(std::move(conn)) {}

  std::optional<ColumnTypeInfo> ColumnType(std::string_view table,
                                           std::string_view column) const override;
  std::vector<std::string> TableColumns(std::string_view table) const override;

 private:
  struct Column {
    std::string name;
    ColumnTypeInfo type;
  };
  // REQUIRES: mu_ held. The columns of `table` (empty if unknown), cached.
  const std::vector<Column>& Columns(std::string_view table) const;
  std::vector<Column> Load(const std::string& table) const;

  mutable std::mutex mu_;
  std::shared_ptr<SqliteConnection> conn_;
  mutable int64_t schema_version_ = -1;
  mutable std::unordered_map<std::string, std::vector<Column>> cache_;
};

}  // namespace pgw
