// The SQLite schema as a catalog model, and the stable oids in pgw_oids.
#include "backend/sqlite/sqlite_catalog_source.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend/sqlite/sqlite_errors.h"
#include "backend/sqlite/sqlite_rows.h"
#include "catalog/catalog_relations.h"
#include "types/pg_types.h"

namespace pgw {
namespace {

using Kind = CatalogConstraintModel::Kind;

constexpr char kOidTableSql[] =
    "CREATE TABLE IF NOT EXISTS pgw_oids(oid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
    "name TEXT NOT NULL, UNIQUE(kind, name));"
    "INSERT OR IGNORE INTO pgw_oids(oid, kind, name) VALUES (16399, 'seed', '');";
// Objects in creation order (their oids are assigned in this order); internal ones hidden.
constexpr char kObjectsSql[] =
    "SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('table', 'view') "
    "AND substr(name, 1, 7) <> 'sqlite_' AND substr(name, 1, 4) <> 'pgw_' ORDER BY rowid";

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += sep;
    s += v[i];
  }
  return s;
}

bool IContains(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     }) != haystack.end();
}

// Removes the double quotes around identifiers that PostgreSQL prints bare.
std::string Unquote(std::string_view sql) {
  std::string out;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\'') {  // string literal: copy through
      size_t j = i + 1;
      while (j < sql.size() && !(sql[j] == '\'' && (j + 1 >= sql.size() || sql[j + 1] != '\''))) {
        j += sql[j] == '\'' ? 2 : 1;
      }
      out.append(sql.substr(i, j - i + 1));
      i = j;
      continue;
    }
    if (sql[i] == '"') {
      size_t j = sql.find('"', i + 1);
      if (j == std::string_view::npos) break;
      std::string ident(sql.substr(i + 1, j - i - 1));
      out += catalog::QuoteIdentifier(ident);
      i = j;
      continue;
    }
    out += sql[i];
  }
  return out;
}

// A stored default (SQLite's dflt_value, in the SQLite dialect) as pg_get_expr prints it.
std::string PgDefault(std::string dflt, Oid type, int32_t typmod) {
  while (dflt.size() >= 2 && dflt.front() == '(' && dflt.back() == ')') {
    dflt = dflt.substr(1, dflt.size() - 2);
  }
  const TypeInfo* info = LookupType(type);
  if (dflt == "pgw_now()") return "now()";
  if (dflt == "pgw_current_date()") return "CURRENT_DATE";
  if (dflt == "pgw_current_user()") return "CURRENT_USER";
  if (IEquals(dflt, "NULL")) return "NULL::" + FormatType(type, -1);
  if (type == oid::kBool && (dflt == "1" || dflt == "0")) return dflt == "1" ? "true" : "false";
  if (!dflt.empty() && dflt.front() == '\'') {
    std::string t = FormatType(type, info && info->category == TypeCategory::kString ? -1 : typmod);
    if (type == oid::kVarchar || type == oid::kBpchar) t = FormatType(type, -1);
    return dflt + "::" + t;
  }
  if (!dflt.empty() && dflt.front() == '-') return "'" + dflt + "'::" + FormatType(type, -1);
  return Unquote(dflt);
}

// The CHECK constraints of a CREATE TABLE statement: (expression, first column mentioned).
std::vector<std::string> CheckExpressions(std::string_view sql) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 5 <= sql.size(); ++i) {
    if (sql[i] == '\'') {
      size_t j = sql.find('\'', i + 1);
      while (j != std::string_view::npos && j + 1 < sql.size() && sql[j + 1] == '\'') {
        j = sql.find('\'', j + 2);
      }
      if (j == std::string_view::npos) break;
      i = j;
      continue;
    }
    if (sql[i] == '"') {
      size_t j = sql.find('"', i + 1);
      if (j == std::string_view::npos) break;
      i = j;
      continue;
    }
    if (!IEquals(sql.substr(i, 5), "check")) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_')) {
      continue;
    }
    size_t j = i + 5;
    while (j < sql.size() && sql[j] == ' ') ++j;
    if (j >= sql.size() || sql[j] != '(') continue;
    int depth = 0;
    size_t k = j;
    for (; k < sql.size(); ++k) {
      if (sql[k] == '(') ++depth;
      if (sql[k] == ')' && --depth == 0) break;
    }
    out.emplace_back(sql.substr(j + 1, k - j - 1));
    i = k;
  }
  return out;
}

char ActionCode(std::string_view a) {
  if (IEquals(a, "CASCADE")) return 'c';
  if (IEquals(a, "RESTRICT")) return 'r';
  if (IEquals(a, "SET NULL")) return 'n';
  if (IEquals(a, "SET DEFAULT")) return 'd';
  return 'a';
}

struct RawIndex {
  std::string name;
  bool unique = false;
  std::string origin;  // "c" CREATE INDEX, "u" UNIQUE constraint, "pk" PRIMARY KEY
  bool partial = false;
  std::vector<std::string> columns;
};

Status LoadTable(sqlite3* db, CatalogRelationModel& rel, const std::set<std::string>& triggers,
                 const std::set<std::string>& identity_triggers) {
  std::vector<std::string> pk;
  std::vector<std::pair<int, std::string>> pk_ordered;
  const bool autoinc = IContains(rel.view_definition, "AUTOINCREMENT");
  PGW_RETURN_IF_ERROR(ForEachRow(
      db, "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)",
      {rel.name}, [&](sqlite3_stmt* s) {
        int hidden = sqlite3_column_int(s, 5);
        if (hidden == 1) return;
        CatalogColumnModel c;
        c.name = Text(s, 0);
        DeclaredType t = ParseDeclaredType(Text(s, 1));
        c.type_oid = t.oid;
        c.typmod = t.typmod;
        int pkpos = sqlite3_column_int(s, 4);
        c.not_null = sqlite3_column_int(s, 2) != 0 || pkpos > 0;
        if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
          c.default_expr = PgDefault(Text(s, 3), c.type_oid, c.typmod);
        }
        if (hidden >= 2) c.generated = 's';
        if (pkpos > 0) pk_ordered.emplace_back(pkpos, c.name);
        rel.columns.push_back(std::move(c));
      }));
  std::sort(pk_ordered.begin(), pk_ordered.end());
  for (auto& [pos, name] : pk_ordered) pk.push_back(name);
  for (CatalogColumnModel& c : rel.columns) {
    if (identity_triggers.count(rel.name + "_" + c.name) != 0) {
      c.identity = 'a';
    } else if (autoinc && pk.size() == 1 && pk[0] == c.name) {
      c.default_expr = "nextval('" + rel.name + "_" + c.name + "_seq'::regclass)";
    }
  }
  rel.has_triggers = triggers.count(rel.name) != 0;

  std::vector<RawIndex> raw;
  PGW_RETURN_IF_ERROR(ForEachRow(
      db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY seq DESC",
      {rel.name}, [&](sqlite3_stmt* s) {
        RawIndex ix;
        ix.name = Text(s, 0);
        ix.unique = sqlite3_column_int(s, 1) != 0;
        ix.origin = Text(s, 2);
        ix.partial = sqlite3_column_int(s, 3) != 0;
        raw.push_back(std::move(ix));
      }));
  for (RawIndex& ix : raw) {
    PGW_RETURN_IF_ERROR(ForEachRow(db, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno",
                                   {ix.name},
                                   [&](sqlite3_stmt* s) { ix.columns.push_back(Text(s, 0)); }));
  }
  const std::string pkey_name = rel.name + "_pkey";
  bool have_pk_index = false;
  for (const RawIndex& ix : raw) {
    have_pk_index |= ix.origin == "pk" || (ix.unique && ix.name == pkey_name);
  }
  if (!pk.empty()) {
    // The primary key first, as PostgreSQL creates it with the table.
    CatalogIndexModel index;
    index.name = pkey_name;
    index.columns = pk;
    index.unique = index.primary = true;
    rel.indexes.push_back(index);
    CatalogConstraintModel k;
    k.kind = Kind::kPrimaryKey;
    k.name = pkey_name;
    k.columns = pk;
    k.index_name = pkey_name;
    rel.constraints.push_back(std::move(k));
  }
  for (const RawIndex& ix : raw) {
    if (ix.origin == "pk") continue;
    if (ix.unique && ix.name == pkey_name && !pk.empty()) continue;
    CatalogIndexModel index;
    index.columns = ix.columns;
    index.unique = ix.unique;
    if (ix.name == pkey_name && pk.empty()) {  // ALTER TABLE ... ADD PRIMARY KEY
      index.name = pkey_name;
      index.primary = true;
      CatalogConstraintModel k;
      k.kind = Kind::kPrimaryKey;
      k.name = pkey_name;
      k.columns = ix.columns;
      k.index_name = pkey_name;
      rel.constraints.push_back(std::move(k));
    } else if (ix.origin == "u") {
      index.name = rel.name + "_" + Join(ix.columns, "_") + "_key";
      CatalogConstraintModel k;
      k.kind = Kind::kUnique;
      k.name = index.name;
      k.columns = ix.columns;
      k.index_name = index.name;
      rel.constraints.push_back(std::move(k));
    } else {
      index.name = ix.name;
    }
    rel.indexes.push_back(std::move(index));
  }
  (void)have_pk_index;

  std::map<int, CatalogConstraintModel> fks;
  PGW_RETURN_IF_ERROR(
      ForEachRow(db,
                 "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete, match FROM "
                 "pragma_foreign_key_list(?1) ORDER BY id, seq",
                 {rel.name}, [&](sqlite3_stmt* s) {
                   CatalogConstraintModel& k = fks[sqlite3_column_int(s, 0)];
                   k.kind = Kind::kForeignKey;
                   k.ref_schema = "public";
                   k.ref_table = Text(s, 1);
                   k.columns.push_back(Text(s, 2));
                   if (sqlite3_column_type(s, 3) != SQLITE_NULL)
                     k.ref_columns.push_back(Text(s, 3));
                   k.on_update = ActionCode(Text(s, 4));
                   k.on_delete = ActionCode(Text(s, 5));
                 }));
  // pragma_foreign_key_list numbers the constraints from the last one declared.
  for (auto it = fks.rbegin(); it != fks.rend(); ++it) {
    CatalogConstraintModel& k = it->second;
    k.name = rel.name + "_" + Join(k.columns, "_") + "_fkey";
    rel.constraints.push_back(std::move(k));
  }
  for (const std::string& expr : CheckExpressions(rel.view_definition)) {
    CatalogConstraintModel k;
    k.kind = Kind::kCheck;
    k.check_expr = "(" + Unquote(expr) + ")";
    std::string first;
    for (const CatalogColumnModel& c : rel.columns) {
      size_t at = expr.find("\"" + c.name + "\"");
      if (at != std::string::npos && (first.empty() || at < expr.find("\"" + first + "\""))) {
        first = c.name;
      }
    }
    k.name = rel.name + (first.empty() ? "" : "_" + first) + "_check";
    rel.constraints.push_back(std::move(k));
  }
  rel.view_definition.clear();
  return Status::OK();
}

// The model without oids (filled in by AssignOids).
Status LoadRaw(sqlite3* db, CatalogSchemaModel* model) {
  std::set<std::string> triggers, identity_triggers;
  PGW_RETURN_IF_ERROR(
      ForEachRow(db, "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger'", {},
                 [&](sqlite3_stmt* s) {
                   std::string name = Text(s, 0);
                   std::string table = Text(s, 1);
                   const std::string prefix = "pgw_identity_" + table + "_";
                   if (name.rfind(prefix, 0) == 0) {
                     std::string col = name.substr(prefix.size());
                     if (col.size() > 7 && col.compare(col.size() - 7, 7, "_update") == 0) return;
                     if (col.size() > 7 && col.compare(col.size() - 7, 7, "_minus1") == 0) return;
                     identity_triggers.insert(table + "_" + col);
                   } else {
                     triggers.insert(table);
                   }
                 }));
  std::vector<CatalogRelationModel> rels;
  PGW_RETURN_IF_ERROR(ForEachRow(db, kObjectsSql, {}, [&](sqlite3_stmt* s) {
    CatalogRelationModel r;
    r.kind = Text(s, 0) == "view" ? CatalogRelationModel::Kind::kView
                                  : CatalogRelationModel::Kind::kTable;
    r.name = Text(s, 1);
    r.view_definition = Text(s, 2);  // the CREATE statement for now
    rels.push_back(std::move(r));
  }));
  for (CatalogRelationModel& r : rels) {
    if (r.kind == CatalogRelationModel::Kind::kTable) {
      PGW_RETURN_IF_ERROR(LoadTable(db, r, triggers, identity_triggers));
      continue;
    }
    PGW_RETURN_IF_ERROR(ForEachRow(db, "SELECT name, type FROM pragma_table_xinfo(?1)", {r.name},
                                   [&](sqlite3_stmt* s) {
                                     CatalogColumnModel c;
                                     c.name = Text(s, 0);
                                     DeclaredType t = ParseDeclaredType(Text(s, 1));
                                     c.type_oid = t.oid;
                                     c.typmod = t.typmod;
                                     r.columns.push_back(std::move(c));
                                   }));
    // "CREATE VIEW name AS SELECT ...": keep the query, as pg_get_viewdef prints it.
    std::string& def = r.view_definition;
    size_t as = std::string::npos;
    for (size_t i = 0; i + 4 <= def.size(); ++i) {
      if (IEquals(std::string_view(def).substr(i, 4), " AS ")) {
        as = i;
        break;
      }
    }
    def = as == std::string::npos ? "" : " " + Unquote(std::string_view(def).substr(as + 4)) + ";";
  }
  model->relations = std::move(rels);
  return Status::OK();
}

// (kind, name) of every object of `model` that carries an oid, in creation order.
std::vector<std::pair<std::string, std::string>> ObjectKeys(const CatalogSchemaModel& model) {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const CatalogRelationModel& r : model.relations) {
    keys.emplace_back(r.kind == CatalogRelationModel::Kind::kView ? "view" : "table", r.name);
    keys.emplace_back("type", r.name);
    for (const CatalogIndexModel& ix : r.indexes) keys.emplace_back("index", ix.name);
    for (const CatalogConstraintModel& k : r.constraints) {
      keys.emplace_back("constraint", r.name + "." + k.name);
    }
  }
  return keys;
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::OK();
  std::string message = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return MapSqliteError(sqlite3_extended_errcode(db), message, db);
}

}  // namespace

int64_t FallbackOid(std::string_view kind, std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
  };
  mix(kind);
  mix("\x1f");
  mix(name);
  return 0x40000000 + static_cast<int64_t>(h % 0x3fffffffu);
}

int64_t SqliteCatalogSource::version() {
  sqlite3_stmt* stmt = nullptr;
  int64_t v = -1;
  if (sqlite3_prepare_v2(db_, "PRAGMA schema_version", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    v = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return v;
}

Status SqliteCatalogSource::Load(CatalogSchemaModel* model) {
  PGW_RETURN_IF_ERROR(LoadRaw(db_, model));
  std::map<std::pair<std::string, std::string>, int64_t> oids;
  // pgw_oids is missing only in a database the backend has not opened yet: fallback oids.
  sqlite3_stmt* probe = nullptr;
  const bool have_oids = sqlite3_prepare_v2(db_, "SELECT kind, name, oid FROM pgw_oids", -1, &probe,
                                            nullptr) == SQLITE_OK;
  sqlite3_finalize(probe);
  if (have_oids) {
    PGW_RETURN_IF_ERROR(
        ForEachRow(db_, "SELECT kind, name, oid FROM pgw_oids", {}, [&](sqlite3_stmt* s) {
          oids[{Text(s, 0), Text(s, 1)}] = sqlite3_column_int64(s, 2);
        }));
  }
  auto oid_of = [&](const std::string& kind, const std::string& name) {
    auto it = oids.find({kind, name});
    return it != oids.end() ? it->second : FallbackOid(kind, name);
  };
  for (CatalogRelationModel& r : model->relations) {
    r.oid = oid_of(r.kind == CatalogRelationModel::Kind::kView ? "view" : "table", r.name);
    r.type_oid = oid_of("type", r.name);
    for (CatalogIndexModel& ix : r.indexes) ix.oid = oid_of("index", ix.name);
    for (CatalogConstraintModel& k : r.constraints)
      k.oid = oid_of("constraint", r.name + "." + k.name);
  }
  return Status::OK();
}

Status EnsureCatalogOids(sqlite3* db) {
  PGW_RETURN_IF_ERROR(Exec(db, kOidTableSql));
  CatalogSchemaModel model;
  PGW_RETURN_IF_ERROR(LoadRaw(db, &model));
  std::vector<std::pair<std::string, std::string>> keys = ObjectKeys(model);
  sqlite3_stmt* insert = nullptr;
  int rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO pgw_oids(kind, name) VALUES (?1, ?2)", -1,
                              &insert, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc);
  for (const auto& [kind, name] : keys) {
    sqlite3_bind_text(insert, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(insert);
    sqlite3_reset(insert);
    if (rc != SQLITE_DONE) {
      Status st = SqliteStatus(db, rc);
      sqlite3_finalize(insert);
      return st;
    }
  }
  sqlite3_finalize(insert);
  // Forget dropped objects, so a new object of the same name gets a new oid (the row stays,
  // renamed, so the oid is never handed out again).
  std::set<std::pair<std::string, std::string>> live(keys.begin(), keys.end());
  std::vector<int64_t> stale;
  PGW_RETURN_IF_ERROR(ForEachRow(db,
                                 "SELECT kind, name, oid FROM pgw_oids WHERE kind NOT IN "
                                 "('seed', 'dropped')",
                                 {}, [&](sqlite3_stmt* s) {
                                   if (live.count({Text(s, 0), Text(s, 1)}) == 0) {
                                     stale.push_back(sqlite3_column_int64(s, 2));
                                   }
                                 }));
  for (int64_t oid : stale) {
    std::string sql =
        "UPDATE pgw_oids SET kind = 'dropped', name = CAST(oid AS TEXT) WHERE oid = " +
        std::to_string(oid);
    PGW_RETURN_IF_ERROR(Exec(db, sql.c_str()));
  }
  return Status::OK();
}

}  // namespace pgw
