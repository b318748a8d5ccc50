// Relation descriptions for COPY, from sqlite_schema, PRAGMA table_xinfo and pgw_oids.
#include "backend/sqlite/sqlite_relation.h"

#include <strings.h>

#include <cctype>
#include <string>

#include "catalog/catalog_relations.h"
#include "backend/sqlite/sqlite_errors.h"
#include "common/sqlstate.h"

namespace pgw {
namespace {

// PRAGMA table_xinfo's `hidden`: 2 and 3 are generated columns (virtual, stored).
constexpr int kHiddenGenerated = 2;

std::string ColumnString(sqlite3_stmt* stmt, int i) {
  const unsigned char* t = sqlite3_column_text(stmt, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
           : std::string();
}

Status NoSuchRelation(std::string_view schema, std::string_view name) {
  std::string full(schema);
  if (!full.empty()) full += ".";
  full += name;
  return Status::Error(sqlstate::kUndefinedTable, "relation \"" + full + "\" does not exist");
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

bool Hidden(std::string_view name) {
  return StartsWithNoCase(name, "sqlite_") || StartsWithNoCase(name, "pgw_");
}

// Runs `sql` with ?1 = a and ?2 = b, calling on_row for each row.
template <typename F>
Status Query(SqliteConnection& conn, const char* sql, std::string_view a, std::string_view b,
             F on_row) {
  sqlite3_stmt* stmt = nullptr;
  int rc = conn.PrepareWaitingForLocks(sql, 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(conn.db(), rc);
  sqlite3_bind_text(stmt, 1, a.data(), static_cast<int>(a.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  for (rc = conn.StepWaitingForLocks(stmt); rc == SQLITE_ROW; rc = sqlite3_step(stmt)) on_row(stmt);
  Status st = rc == SQLITE_DONE ? Status::OK() : SqliteStatus(conn.db(), rc);
  sqlite3_finalize(stmt);
  return st;
}

RelationInfo CatalogInfo(const catalog::RelationDef& rel) {
  RelationInfo info;
  info.kind = RelationInfo::Kind::kCatalog;
  info.name = rel.name;
  info.oid = static_cast<Oid>(rel.oid);
  for (const catalog::Column& c : rel.columns) {
    RelationColumn col;
    col.name = c.name;
    DeclaredType t = ParseDeclaredType(c.type);
    col.type_oid = t.oid;
    col.typmod = t.typmod;
    info.columns.push_back(std::move(col));
  }
  return info;
}

// The user table or view `name`; *found is false when there is none.
Result<RelationInfo> UserRelation(SqliteConnection& conn, std::string_view name, bool* found) {
  RelationInfo info;
  std::string sql;
  *found = false;
  if (Hidden(name)) return info;
  PGW_RETURN_IF_ERROR(Query(
      conn,
      "SELECT s.type, s.name, s.sql, (SELECT o.oid FROM pgw_oids AS o WHERE o.kind = s.type AND "
      "o.name = s.name) FROM sqlite_schema AS s WHERE s.type IN ('table', 'view') AND s.name = ?1",
      name, "", [&](sqlite3_stmt* stmt) {
        *found = true;
        info.kind = ColumnString(stmt, 0) == "view" ? RelationInfo::Kind::kView
                                                    : RelationInfo::Kind::kTable;
        info.name = ColumnString(stmt, 1);
        sql = ColumnString(stmt, 2);
        info.oid = sqlite3_column_type(stmt, 3) == SQLITE_NULL
                       ? static_cast<Oid>(FallbackOid(ColumnString(stmt, 0), info.name))
                       : static_cast<Oid>(sqlite3_column_int64(stmt, 3));
      }));
  if (!*found) return info;
  // Only an auto-numbered (serial / identity) key is filled in when omitted; SQLite declares it
  // INTEGER PRIMARY KEY AUTOINCREMENT. A plain integer key must be given, as in PostgreSQL.
  for (char& c : sql) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool autoincrement = sql.find("autoincrement") != std::string::npos;
  PGW_RETURN_IF_ERROR(Query(conn,
                            "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk, hidden "
                            "FROM pragma_table_xinfo(?1) WHERE hidden <> 1 ORDER BY cid",
                            info.name, "", [&](sqlite3_stmt* stmt) {
                              RelationColumn c;
                              c.name = ColumnString(stmt, 0);
                              DeclaredType t = ParseDeclaredType(ColumnString(stmt, 1));
                              c.type_oid = t.oid;
                              c.typmod = t.typmod;
                              bool pk = sqlite3_column_int(stmt, 4) != 0;
                              c.not_null = sqlite3_column_int(stmt, 2) != 0 || pk;
                              c.has_default =
                                  sqlite3_column_int(stmt, 3) != 0 || (pk && autoincrement);
                              c.generated = sqlite3_column_int(stmt, 5) >= kHiddenGenerated;
                              info.columns.push_back(std::move(c));
                            }));
  return info;
}

}  // namespace

Result<RelationInfo> DescribeSqliteRelation(SqliteConnection& conn, std::string_view schema,
                                            std::string_view name) {
  if (schema.empty() || schema == "public") {
    bool found = false;
    PGW_TRY(RelationInfo info, UserRelation(conn, name, &found));
    if (found) return info;
  }
  if (schema.empty() || schema == "pg_catalog") {
    if (const catalog::RelationDef* rel = catalog::FindRelation("pg_catalog", name)) {
      return CatalogInfo(*rel);
    }
  }
  if (schema == "information_schema") {
    if (const catalog::RelationDef* rel = catalog::FindRelation(schema, name)) {
      return CatalogInfo(*rel);
    }
  }
  return NoSuchRelation(schema, name);
}

}  // namespace pgw
