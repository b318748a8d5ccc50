// ALTER TABLE ... ADD PRIMARY KEY by rebuilding the table (see the header).
#include "backend/sqlite/sqlite_primary_key.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "backend/sqlite/sqlite_rows.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

constexpr char kRebuildPrefix[] = "pgw_rebuild_";

// Where an identifier, string or comment that starts at sql[i] ends (one past it); i + 1 for
// any other character.
size_t SkipToken(std::string_view sql, size_t i) {
  char c = sql[i];
  char close = c == '"' ? '"' : c == '\'' ? '\'' : c == '`' ? '`' : c == '[' ? ']' : '\0';
  if (close != '\0') {
    for (size_t j = i + 1; j < sql.size(); ++j) {
      if (sql[j] != close) continue;
      if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
        ++j;  // a doubled quote
        continue;
      }
      return j + 1;
    }
    return sql.size();
  }
  if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
    size_t nl = sql.find('\n', i);
    return nl == std::string_view::npos ? sql.size() : nl + 1;
  }
  if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
    size_t e = sql.find("*/", i + 2);
    return e == std::string_view::npos ? sql.size() : e + 2;
  }
  return i + 1;
}

// SQLite's stored text of a table, "CREATE TABLE name (columns and constraints) options",
// split at its parentheses: `body` is "(columns and constraints" without the closing one.
// False when the text is not of that shape (a virtual table, say).
bool SplitCreateTable(std::string_view sql, std::string_view* body, std::string_view* options) {
  constexpr std::string_view kCreate = "CREATE TABLE ";
  if (sql.substr(0, kCreate.size()) != kCreate) return false;
  size_t i = kCreate.size();
  if (i >= sql.size()) return false;
  if (std::string_view("\"'`[").find(sql[i]) != std::string_view::npos) {
    i = SkipToken(sql, i);
  } else {
    while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' ||
                              sql[i] == '$' || static_cast<unsigned char>(sql[i]) >= 0x80)) {
      ++i;
    }
  }
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  if (i >= sql.size() || sql[i] != '(') return false;
  const size_t open = i;
  int depth = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      *body = sql.substr(open, i - open);
      *options = sql.substr(i + 1);
      return true;
    }
    i = SkipToken(sql, i);
  }
  return false;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) {
    if (!out.empty()) out.append(", ");
    out.append(QuoteIdent(c));
  }
  return out;
}

// Sets PRAGMA legacy_alter_table for the guard's life and restores the connection's value:
// with it, renaming the copy to the table's name does not re-check views and other tables'
// triggers that name the table (they would not resolve while it is gone).
class LegacyAlterTable {
 public:
  explicit LegacyAlterTable(SqliteConnection& conn) : conn_(conn) {}
  ~LegacyAlterTable() {
    if (set_) (void)conn_.Exec("PRAGMA legacy_alter_table=OFF");
  }
  LegacyAlterTable(const LegacyAlterTable&) = delete;
  LegacyAlterTable& operator=(const LegacyAlterTable&) = delete;
  Status Set() {
    bool was_on = false;
    PGW_RETURN_IF_ERROR(
        ForEachRow(conn_.db(), "PRAGMA legacy_alter_table", {},
                   [&](sqlite3_stmt* s) { was_on = sqlite3_column_int(s, 0) != 0; }));
    if (was_on) return Status::OK();
    PGW_RETURN_IF_ERROR(conn_.Exec("PRAGMA legacy_alter_table=ON"));
    set_ = true;
    return Status::OK();
  }

 private:
  SqliteConnection& conn_;
  bool set_ = false;
};

// The error PostgreSQL gives when existing rows break the new key, found after the copy
// failed with `copy_error`: a NULL key column (23502) or a duplicated key (23505).
Status KeyViolation(sqlite3* db, const PrimaryKeyRebuild& key, const std::string& table_sql,
                    Status copy_error) {
  for (const std::string& c : key.columns) {
    bool has_null = false;
    std::string q = "SELECT 1 FROM " + table_sql + " WHERE " + QuoteIdent(c) + " IS NULL LIMIT 1";
    PGW_RETURN_IF_ERROR(ForEachRow(db, q.c_str(), {}, [&](sqlite3_stmt*) { has_null = true; }));
    if (has_null) {
      return Status::Error(sqlstate::kNotNullViolation, "column \"" + c + "\" of relation \"" +
                                                            key.table + "\" contains null values");
    }
  }
  std::string cols = ColumnList(key.columns);
  std::string values;
  std::string select;
  for (size_t i = 0; i < key.columns.size(); ++i) {
    if (i > 0) select.append(" || ', ' || ");
    select.append("CAST(" + QuoteIdent(key.columns[i]) + " AS TEXT)");
  }
  std::string q = "SELECT " + select + " FROM " + table_sql + " GROUP BY " + cols +
                  " HAVING count(*) > 1 LIMIT 1";
  bool duplicated = false;
  PGW_RETURN_IF_ERROR(ForEachRow(db, q.c_str(), {}, [&](sqlite3_stmt* s) {
    duplicated = true;
    values = Text(s, 0);
  }));
  if (!duplicated) return copy_error;
  std::string names;
  for (const std::string& c : key.columns) names.append(names.empty() ? "" : ", ").append(c);
  return Status::Error(sqlstate::kUniqueViolation,
                       "could not create unique index \"" + key.name + "\"")
      .WithDetail("Key (" + names + ")=(" + values + ") is duplicated.");
}

}  // namespace

Status RebuildWithPrimaryKey(SqliteConnection& conn, const PrimaryKeyRebuild& key, bool* rebuilt) {
  *rebuilt = false;
  sqlite3* db = conn.db();
  if (key.table.rfind("pgw_", 0) == 0 || key.table.rfind("sqlite_", 0) == 0) return Status::OK();
  // An unqualified name is a temporary table first, as SQLite resolves it.
  std::string schema;
  std::string create_sql;
  std::string stored_name;  // SQLite's names are case-insensitive; keep the stored spelling
  for (const char* s : {"temp", "main"}) {
    std::string q = std::string("SELECT type, sql, name FROM \"") + s +
                    "\".sqlite_schema WHERE name = ?1 COLLATE NOCASE";
    bool found = false;
    bool is_table = false;
    PGW_RETURN_IF_ERROR(ForEachRow(db, q.c_str(), {key.table}, [&](sqlite3_stmt* st) {
      found = true;
      is_table = Text(st, 0) == "table";
      create_sql = Text(st, 1);
      stored_name = Text(st, 2);
    }));
    if (!found) continue;
    if (!is_table) return Status::OK();  // the portable statement reports it
    schema = s;
    break;
  }
  if (schema.empty()) return Status::OK();  // no such table: likewise
  const std::string multiple =
      "multiple primary keys for table \"" + key.table + "\" are not allowed";
  std::vector<std::string> copied;  // the stored (not generated) columns
  std::vector<std::string> all;
  bool has_key = false;
  PGW_RETURN_IF_ERROR(ForEachRow(db, "SELECT name, pk, hidden FROM pragma_table_xinfo(?1, ?2)",
                                 {key.table, schema}, [&](sqlite3_stmt* st) {
                                   has_key |= sqlite3_column_int(st, 1) > 0;
                                   all.push_back(Text(st, 0));
                                   if (sqlite3_column_int(st, 2) == 0) copied.push_back(all.back());
                                 }));
  if (has_key) return Status::Error(sqlstate::kInvalidTableDefinition, multiple);
  const std::string pkey_index = key.table + "_pkey";
  bool legacy_key = false;  // a unique index named as the key, from ADD PRIMARY KEY before
  PGW_RETURN_IF_ERROR(ForEachRow(db, "SELECT name, \"unique\" FROM pragma_index_list(?1, ?2)",
                                 {key.table, schema}, [&](sqlite3_stmt* st) {
                                   legacy_key |=
                                       Text(st, 0) == pkey_index && sqlite3_column_int(st, 1) != 0;
                                 }));
  if (legacy_key) return Status::Error(sqlstate::kInvalidTableDefinition, multiple);
  for (size_t i = 0; i < key.columns.size(); ++i) {
    const std::string& c = key.columns[i];
    if (std::find(all.begin(), all.end(), c) == all.end()) {
      return Status::Error(sqlstate::kUndefinedColumn,
                           "column \"" + c + "\" of relation \"" + key.table + "\" does not exist");
    }
    if (std::find(key.columns.begin(), key.columns.begin() + static_cast<long>(i), c) !=
        key.columns.begin() + static_cast<long>(i)) {
      return Status::Error(sqlstate::kDuplicateColumn,
                           "column \"" + c + "\" appears twice in primary key constraint");
    }
  }
  std::string_view body;
  std::string_view options_text;
  if (!SplitCreateTable(create_sql, &body, &options_text)) return Status::OK();
  std::string options = Trim(options_text);
  if (!options.empty() && !IEquals(options, "STRICT")) return Status::OK();

  // Dropping a table other tables reference would run their ON DELETE actions.
  bool referenced = false;
  std::string refs = "SELECT 1 FROM \"" + schema +
                     "\".sqlite_schema s, pragma_foreign_key_list(s.name, ?2) f WHERE s.type = "
                     "'table' AND f.\"table\" = ?1 COLLATE NOCASE LIMIT 1";
  PGW_RETURN_IF_ERROR(
      ForEachRow(db, refs.c_str(), {key.table, schema}, [&](sqlite3_stmt*) { referenced = true; }));
  if (referenced) return Status::OK();

  // What DROP TABLE takes with it and is created again: indexes and triggers, in creation
  // order, except the NOT NULL triggers of an earlier key's columns (the key enforces it now).
  std::vector<std::string> dependents;
  std::string deps = "SELECT name, sql FROM \"" + schema +
                     "\".sqlite_schema WHERE tbl_name = ?1 COLLATE NOCASE AND type IN "
                     "('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid";
  PGW_RETURN_IF_ERROR(ForEachRow(db, deps.c_str(), {key.table}, [&](sqlite3_stmt* st) {
    std::string name = Text(st, 0);
    for (const std::string& c : key.columns) {
      std::string prefix = "pgw_notnull_" + key.table + "_" + c + "_";
      if (name == prefix + "insert" || name == prefix + "update") return;
    }
    dependents.push_back(Text(st, 1));
  }));

  const std::string qschema = QuoteIdent(schema) + ".";
  const std::string table_sql = qschema + QuoteIdent(key.table);
  const std::string copy_name = kRebuildPrefix + key.table;
  const std::string copy_sql = qschema + QuoteIdent(copy_name);
  std::string create = "CREATE TABLE " + copy_sql + " " + std::string(body) + ", CONSTRAINT " +
                       QuoteIdent(key.name) + " PRIMARY KEY (" + ColumnList(key.columns) + "))" +
                       (options.empty() ? " WITHOUT ROWID" : " STRICT, WITHOUT ROWID");
  PGW_RETURN_IF_ERROR(conn.Exec(create));
  std::string cols = ColumnList(copied);
  Status st = conn.Exec("INSERT INTO " + copy_sql + " (" + cols + ") SELECT " + cols + " FROM " +
                        table_sql);
  if (!st.ok()) {
    if (st.sqlstate() != sqlstate::kNotNullViolation &&
        st.sqlstate() != sqlstate::kUniqueViolation) {
      return st;
    }
    return KeyViolation(db, key, table_sql, std::move(st));
  }
  PGW_RETURN_IF_ERROR(conn.Exec("DROP TABLE " + table_sql));
  {
    LegacyAlterTable legacy(conn);
    PGW_RETURN_IF_ERROR(legacy.Set());
    PGW_RETURN_IF_ERROR(
        conn.Exec("ALTER TABLE " + copy_sql + " RENAME TO " + QuoteIdent(stored_name)));
  }
  for (const std::string& sql : dependents) PGW_RETURN_IF_ERROR(conn.Exec(sql));
  *rebuilt = true;
  return Status::OK();
}

}  // namespace pgw
