// Table descriptions from the ODBC catalog functions (see odbc_relation.h).
#include "backend/odbc/odbc_relation.h"

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

// One text cell of the current row (nullopt for NULL); catalog results are small.
Result<std::optional<std::string>> Cell(OdbcConnection& conn, SQLHSTMT h, SQLUSMALLINT col) {
  std::string out;
  char buf[1024];
  for (;;) {
    SQLLEN ind = 0;
    SQLRETURN rc = SQLGetData(h, col, SQL_C_CHAR, buf, sizeof buf, &ind);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
    if (ind == SQL_NULL_DATA) return std::optional<std::string>();
    size_t got = (ind == SQL_NO_TOTAL || static_cast<size_t>(ind) >= sizeof buf)
                     ? sizeof buf - 1
                     : static_cast<size_t>(ind);
    out.append(buf, got);
    if (rc == SQL_SUCCESS) break;
  }
  return std::optional<std::string>(std::move(out));
}

struct CatalogRow {
  std::vector<std::optional<std::string>> cells;
};

// Runs a catalog function on a fresh statement and reads columns 1..`ncols` of every row whose
// column `name_col` is `name` (exactly, or case-insensitively when no row is exact); every row
// when `name` is empty.
template <typename Call>
Result<std::vector<CatalogRow>> CatalogRows(OdbcConnection& conn, std::string_view what,
                                            SQLUSMALLINT ncols, SQLUSMALLINT name_col,
                                            std::string_view name, Call call) {
  PGW_TRY(Handle stmt, Handle::Allocate(SQL_HANDLE_STMT, conn.dbc()));
  SQLHSTMT h = stmt.get();
  if (!Succeeded(call(h))) return conn.Failure(SQL_HANDLE_STMT, h, what);
  std::vector<CatalogRow> exact;
  std::vector<CatalogRow> folded;
  for (;;) {
    SQLRETURN rc = SQLFetch(h);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, what);
    CatalogRow row;
    for (SQLUSMALLINT c = 1; c <= ncols; ++c) {
      PGW_TRY(std::optional<std::string> v, Cell(conn, h, c));
      row.cells.push_back(std::move(v));
    }
    const std::optional<std::string>& n = row.cells[name_col - 1];
    if (name.empty()) {
      exact.push_back(std::move(row));
      continue;
    }
    if (!n) continue;
    if (*n == name) {
      exact.push_back(std::move(row));
    } else if (n->size() == name.size() && strncasecmp(n->data(), name.data(), name.size()) == 0) {
      folded.push_back(std::move(row));
    }
  }
  SQLFreeStmt(h, SQL_CLOSE);
  return exact.empty() ? folded : exact;
}

int ToInt(const std::optional<std::string>& s) { return s ? std::atoi(s->c_str()) : 0; }

SQLCHAR* Chars(std::string& s) { return reinterpret_cast<SQLCHAR*>(s.data()); }

// PostgreSQL targets: what SQLColumns cannot say (declared typmods, identity and generated
// columns, the relation's oid) from the server's own catalog, over the ODBC description.
Status OverlayPostgresCatalog(OdbcConnection& conn, const std::string& schema, RelationInfo* info) {
  static const char kSql[] =
      "SELECT a.attname, a.atttypid, a.atttypmod, CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
      "CASE WHEN a.atthasdef OR a.attidentity <> '' THEN 1 ELSE 0 END, "
      "CASE WHEN a.attgenerated <> '' THEN 1 ELSE 0 END, c.oid "
      "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped";
  PGW_TRY(Handle stmt, Handle::Allocate(SQL_HANDLE_STMT, conn.dbc()));
  SQLHSTMT h = stmt.get();
  std::string args[2] = {schema, info->name};
  SQLLEN lens[2];
  for (SQLUSMALLINT i = 0; i < 2; ++i) {
    lens[i] = static_cast<SQLLEN>(args[i].size());
    SQLRETURN rc = SQLBindParameter(h, i + 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
                                    std::max<SQLULEN>(args[i].size(), 1), 0, args[i].data(),
                                    lens[i], &lens[i]);
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
  }
  std::string sql = kSql;
  if (!Succeeded(SQLExecDirect(h, Chars(sql), SQL_NTS))) {
    return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
  }
  for (;;) {
    SQLRETURN rc = SQLFetch(h);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
    std::optional<std::string> cells[7];
    for (SQLUSMALLINT c = 0; c < 7; ++c) {
      PGW_TRY(cells[c], Cell(conn, h, c + 1));
    }
    info->oid = static_cast<Oid>(std::strtoul(cells[6].value_or("0").c_str(), nullptr, 10));
    for (RelationColumn& col : info->columns) {
      if (!cells[0] || col.name != *cells[0]) continue;
      Oid type = static_cast<Oid>(std::strtoul(cells[1].value_or("0").c_str(), nullptr, 10));
      if (LookupType(type) != nullptr) {
        col.type_oid = type;
        col.typmod = ToInt(cells[2]);
      }
      col.not_null = ToInt(cells[3]) == 1;
      col.has_default = ToInt(cells[4]) == 1;
      col.generated = ToInt(cells[5]) == 1;
    }
  }
  return Status::OK();
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

Result<RelationInfo> DescribeOdbcRelation(OdbcConnection& conn, std::string_view schema,
                                          std::string_view name) {
  if (schema == "pg_catalog") {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "COPY of the system catalog relation \"" + std::string(name) +
                             "\" is not supported by the ODBC backend");
  }
  // PostgreSQL targets: the default schema of a gateway client is public. IRIS and SQLite:
  // the connection's default schema (any schema, matched by name).
  std::string schema_arg = conn.dialect() == Dialect::kPostgres ? "public" : "";
  const bool with_schema = !schema_arg.empty();
  std::string table(name);
  auto schema_ptr = [&]() -> SQLCHAR* { return with_schema ? Chars(schema_arg) : nullptr; };
  const SQLSMALLINT schema_len = with_schema ? SQL_NTS : 0;

  PGW_TRY(std::vector<CatalogRow> tables,
          CatalogRows(conn, "list the target's tables", 4, 3, name, [&](SQLHSTMT h) {
            return SQLTables(h, nullptr, 0, schema_ptr(), schema_len, Chars(table), SQL_NTS,
                             nullptr, 0);
          }));
  const CatalogRow* found = nullptr;
  for (const CatalogRow& t : tables) {
    const std::string type = t.cells[3].value_or("");
    if (strcasecmp(type.c_str(), "TABLE") == 0 || strcasecmp(type.c_str(), "VIEW") == 0) {
      found = &t;
      break;
    }
  }
  if (found == nullptr) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "relation \"" + std::string(name) + "\" does not exist");
  }
  RelationInfo info;
  info.name = *found->cells[2];
  info.kind = strcasecmp(found->cells[3]->c_str(), "VIEW") == 0 ? RelationInfo::Kind::kView
                                                                : RelationInfo::Kind::kTable;
  std::optional<std::string> found_schema = found->cells[1];
  std::string exact_name = info.name;
  std::string col_schema = found_schema.value_or("");
  PGW_TRY(std::vector<CatalogRow> cols,
          CatalogRows(conn, "describe the target's columns", 17, 3, info.name, [&](SQLHSTMT h) {
            return SQLColumns(h, nullptr, 0, found_schema ? Chars(col_schema) : nullptr,
                              found_schema ? SQL_NTS : 0, Chars(exact_name), SQL_NTS, nullptr, 0);
          }));
  // Only the table found above (a pattern may match others in other schemas).
  std::erase_if(cols, [&](const CatalogRow& c) {
    return c.cells[2] != found->cells[2] || (found_schema && c.cells[1] != found_schema);
  });
  std::stable_sort(cols.begin(), cols.end(), [](const CatalogRow& a, const CatalogRow& b) {
    return ToInt(a.cells[16]) < ToInt(b.cells[16]);
  });
  for (const CatalogRow& c : cols) {
    RelationColumn rc;
    rc.name = c.cells[3].value_or("");
    ColumnType t = MapResultColumn(static_cast<SQLSMALLINT>(ToInt(c.cells[4])),
                                   static_cast<SQLULEN>(std::max(ToInt(c.cells[6]), 0)),
                                   static_cast<SQLSMALLINT>(ToInt(c.cells[8])),
                                   c.cells[5].value_or(""), conn.dialect());
    rc.type_oid = t.oid;
    rc.typmod = t.typmod;
    rc.not_null = ToInt(c.cells[10]) == SQL_NO_NULLS;
    rc.has_default = c.cells[12].has_value() && !c.cells[12]->empty();
    info.columns.push_back(std::move(rc));
  }
  if (info.columns.empty()) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "relation \"" + std::string(name) + "\" does not exist");
  }
  if (conn.dialect() == Dialect::kPostgres && found_schema) {
    PGW_RETURN_IF_ERROR(OverlayPostgresCatalog(conn, *found_schema, &info));
  }
  return info;
}

}  // namespace pgw::odbc

namespace pgw::odbc {

int64_t OidMap::Get(char kind, std::string_view schema, std::string_view name) {
  std::string key;
  key.reserve(schema.size() + name.size() + 2);
  key.push_back(kind);
  key.append(schema).push_back('\0');
  key.append(name);
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = oids_.try_emplace(std::move(key), next_);
  if (inserted) ++next_;
  return it->second;
}

namespace {

// The target's schema whose objects the catalog shows: PostgreSQL's public, IRIS's default
// SQLUser; none for SQLite (no schemas).
std::optional<std::string> DefaultSchema(Dialect d) {
  if (d == Dialect::kPostgres) return std::string("public");
  if (d == Dialect::kIris) return std::string("SQLUser");
  return std::nullopt;
}

char RuleCode(const std::optional<std::string>& rule) {
  switch (ToInt(rule)) {
    case SQL_CASCADE:
      return 'c';
    case SQL_RESTRICT:
      return 'r';
    case SQL_SET_NULL:
      return 'n';
    case SQL_SET_DEFAULT:
      return 'd';
    default:
      return 'a';
  }
}

// Runs `sql` on the target and reads columns 1..ncols of every row.
Result<std::vector<CatalogRow>> QueryRows(OdbcConnection& conn, std::string sql,
                                          SQLUSMALLINT ncols) {
  return CatalogRows(conn, "read the target's catalog", ncols, 1, "",
                     [&](SQLHSTMT h) { return SQLExecDirect(h, Chars(sql), SQL_NTS); });
}

CatalogRelationModel* FindModel(CatalogSchemaModel* model, std::string_view name) {
  for (CatalogRelationModel& r : model->relations) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

CatalogColumnModel* FindColumn(CatalogRelationModel& rel, std::string_view name) {
  for (CatalogColumnModel& c : rel.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// PostgreSQL targets: what the server's own catalog says beyond ODBC.
Status OverlayPostgresModel(OdbcConnection& conn, CatalogSchemaModel* model) {
  PGW_TRY(std::vector<CatalogRow> cols,
          QueryRows(conn,
                    "SELECT c.relname, a.attname, a.atttypid, a.atttypmod, a.attidentity, "
                    "a.attgenerated, pg_catalog.pg_get_expr(d.adbin, d.adrelid), "
                    "pg_catalog.col_description(c.oid, a.attnum) "
                    "FROM pg_catalog.pg_attribute a "
                    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND "
                    "d.adnum = a.attnum "
                    "WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped",
                    8));
  for (const CatalogRow& r : cols) {
    CatalogRelationModel* rel = FindModel(model, r.cells[0].value_or(""));
    CatalogColumnModel* col = rel ? FindColumn(*rel, r.cells[1].value_or("")) : nullptr;
    if (col == nullptr) continue;
    Oid type = static_cast<Oid>(std::strtoul(r.cells[2].value_or("0").c_str(), nullptr, 10));
    if (LookupType(type) != nullptr) {
      col->type_oid = type;
      col->typmod = ToInt(r.cells[3]);
    }
    const std::string identity = r.cells[4].value_or("");
    const std::string generated = r.cells[5].value_or("");
    col->identity = identity.empty() ? '\0' : identity[0];
    col->generated = generated.empty() ? '\0' : generated[0];
    col->default_expr = col->identity != '\0' ? "" : r.cells[6].value_or("");
    col->comment = r.cells[7].value_or("");
  }
  PGW_TRY(std::vector<CatalogRow> views,
          QueryRows(conn,
                    "SELECT viewname, definition FROM pg_catalog.pg_views "
                    "WHERE schemaname = 'public'",
                    2));
  for (const CatalogRow& r : views) {
    if (CatalogRelationModel* rel = FindModel(model, r.cells[0].value_or(""))) {
      rel->view_definition = r.cells[1].value_or("");
    }
  }
  PGW_TRY(std::vector<CatalogRow> checks,
          QueryRows(conn,
                    "SELECT c.relname, k.conname, pg_catalog.pg_get_constraintdef(k.oid) "
                    "FROM pg_catalog.pg_constraint k "
                    "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND k.contype = 'c'",
                    3));
  for (const CatalogRow& r : checks) {
    CatalogRelationModel* rel = FindModel(model, r.cells[0].value_or(""));
    if (rel == nullptr) continue;
    // pg_get_constraintdef prints CHECK ((expr)); the model keeps what is inside CHECK (...).
    std::string def = r.cells[2].value_or("");
    if (!def.starts_with("CHECK (") || !def.ends_with(")")) continue;
    CatalogConstraintModel k;
    k.kind = CatalogConstraintModel::Kind::kCheck;
    k.name = r.cells[1].value_or("");
    k.check_expr = def.substr(7, def.size() - 8);
    rel->constraints.push_back(std::move(k));
  }
  return Status::OK();
}

}  // namespace

Status LoadOdbcSchemaModel(OdbcConnection& conn, OidMap& oids, CatalogSchemaModel* model) {
  model->relations.clear();
  model->namespaces = {std::string(kCatalogSchema)};
  const Dialect dialect = conn.dialect();
  std::optional<std::string> schema = DefaultSchema(dialect);
  auto schema_ptr = [&]() -> SQLCHAR* { return schema ? Chars(*schema) : nullptr; };
  const SQLSMALLINT schema_len = schema ? SQL_NTS : 0;
  std::string all = "%";
  std::string types = "TABLE,VIEW";
  PGW_TRY(std::vector<CatalogRow> tables,
          CatalogRows(conn, "list the target's tables", 5, 3, "", [&](SQLHSTMT h) {
            return SQLTables(h, nullptr, 0, schema_ptr(), schema_len, Chars(all), SQL_NTS,
                             Chars(types), SQL_NTS);
          }));
  for (const CatalogRow& t : tables) {
    const std::string type = t.cells[3].value_or("");
    const bool view = strcasecmp(type.c_str(), "VIEW") == 0;
    if (!view && strcasecmp(type.c_str(), "TABLE") != 0) continue;
    if (!t.cells[2] || t.cells[2]->starts_with("pgw_")) continue;
    if (schema && t.cells[1] != schema) continue;  // a pattern: "_" matches any character
    CatalogRelationModel rel;
    rel.name = *t.cells[2];
    rel.schema = std::string(kCatalogSchema);
    rel.kind = view ? CatalogRelationModel::Kind::kView : CatalogRelationModel::Kind::kTable;
    rel.oid = oids.Get('r', kCatalogSchema, rel.name);
    rel.type_oid = oids.Get('t', kCatalogSchema, rel.name);
    rel.comment = t.cells[4].value_or("");
    model->relations.push_back(std::move(rel));
  }
  PGW_TRY(std::vector<CatalogRow> cols,
          CatalogRows(conn, "describe the target's columns", 17, 3, "", [&](SQLHSTMT h) {
            return SQLColumns(h, nullptr, 0, schema_ptr(), schema_len, Chars(all), SQL_NTS,
                              nullptr, 0);
          }));
  std::stable_sort(cols.begin(), cols.end(), [](const CatalogRow& a, const CatalogRow& b) {
    return ToInt(a.cells[16]) < ToInt(b.cells[16]);
  });
  for (const CatalogRow& c : cols) {
    if (schema && c.cells[1] != schema) continue;
    CatalogRelationModel* rel = FindModel(model, c.cells[2].value_or(""));
    if (rel == nullptr) continue;
    CatalogColumnModel col;
    col.name = c.cells[3].value_or("");
    ColumnType t = MapResultColumn(static_cast<SQLSMALLINT>(ToInt(c.cells[4])),
                                   static_cast<SQLULEN>(std::max(ToInt(c.cells[6]), 0)),
                                   static_cast<SQLSMALLINT>(ToInt(c.cells[8])),
                                   c.cells[5].value_or(""), dialect);
    col.type_oid = t.oid;
    col.typmod = t.typmod;
    col.not_null = ToInt(c.cells[10]) == SQL_NO_NULLS;
    col.default_expr = c.cells[12].value_or("");
    col.comment = c.cells[11].value_or("");
    rel->columns.push_back(std::move(col));
  }
  for (CatalogRelationModel& rel : model->relations) {
    if (rel.kind != CatalogRelationModel::Kind::kTable) continue;
    std::string name = rel.name;
    PGW_TRY(std::vector<CatalogRow> pk,
            CatalogRows(conn, "read the target's primary keys", 6, 3, name, [&](SQLHSTMT h) {
              return SQLPrimaryKeys(h, nullptr, 0, schema_ptr(), schema_len, Chars(name),
                                    SQL_NTS);
            }));
    std::stable_sort(pk.begin(), pk.end(), [](const CatalogRow& a, const CatalogRow& b) {
      return ToInt(a.cells[4]) < ToInt(b.cells[4]);
    });
    std::string pk_index;
    if (!pk.empty()) {
      CatalogIndexModel idx;
      idx.name = pk.front().cells[5].value_or(rel.name + "_pkey");
      idx.primary = idx.unique = true;
      for (const CatalogRow& r : pk) idx.columns.push_back(r.cells[3].value_or(""));
      idx.oid = oids.Get('i', kCatalogSchema, idx.name);
      CatalogConstraintModel k;
      k.kind = CatalogConstraintModel::Kind::kPrimaryKey;
      k.name = idx.name;
      k.columns = idx.columns;
      k.index_name = idx.name;
      k.oid = oids.Get('c', kCatalogSchema, rel.name + "." + k.name);
      for (const std::string& col : idx.columns) {
        if (CatalogColumnModel* c = FindColumn(rel, col)) c->not_null = true;
      }
      pk_index = idx.name;
      rel.constraints.push_back(std::move(k));
      rel.indexes.push_back(std::move(idx));
    }
    PGW_TRY(std::vector<CatalogRow> stats,
            CatalogRows(conn, "read the target's indexes", 9, 3, name, [&](SQLHSTMT h) {
              return SQLStatistics(h, nullptr, 0, schema_ptr(), schema_len, Chars(name), SQL_NTS,
                                   SQL_INDEX_ALL, SQL_QUICK);
            }));
    std::stable_sort(stats.begin(), stats.end(), [](const CatalogRow& a, const CatalogRow& b) {
      return ToInt(a.cells[7]) < ToInt(b.cells[7]);
    });
    std::vector<CatalogIndexModel> indexes;
    for (const CatalogRow& r : stats) {
      if (ToInt(r.cells[6]) == SQL_TABLE_STAT || !r.cells[5] || !r.cells[8]) continue;
      // SQLite's own indexes behind PRIMARY KEY / UNIQUE are not objects PostgreSQL shows.
      if (*r.cells[5] == pk_index || r.cells[5]->starts_with("sqlite_autoindex_")) continue;
      auto it = std::find_if(indexes.begin(), indexes.end(),
                             [&](const CatalogIndexModel& i) { return i.name == *r.cells[5]; });
      if (it == indexes.end()) {
        CatalogIndexModel idx;
        idx.name = *r.cells[5];
        idx.unique = ToInt(r.cells[3]) == 0;
        idx.oid = oids.Get('i', kCatalogSchema, idx.name);
        indexes.push_back(std::move(idx));
        it = indexes.end() - 1;
      }
      it->columns.push_back(*r.cells[8]);
    }
    for (CatalogIndexModel& idx : indexes) {
      // A unique index named as PostgreSQL names a UNIQUE constraint's is that constraint.
      if (idx.unique && idx.name.ends_with("_key")) {
        CatalogConstraintModel k;
        k.kind = CatalogConstraintModel::Kind::kUnique;
        k.name = idx.name;
        k.columns = idx.columns;
        k.index_name = idx.name;
        k.oid = oids.Get('c', kCatalogSchema, rel.name + "." + k.name);
        rel.constraints.push_back(std::move(k));
      }
      rel.indexes.push_back(std::move(idx));
    }
    PGW_TRY(std::vector<CatalogRow> fks,
            CatalogRows(conn, "read the target's foreign keys", 14, 7, name, [&](SQLHSTMT h) {
              return SQLForeignKeys(h, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0,
                                    schema_ptr(), schema_len, Chars(name), SQL_NTS);
            }));
    for (const CatalogRow& r : fks) {
      // Rows come ordered by the referenced table and KEY_SEQ: a named key collects its
      // columns by name; an unnamed one (SQLite) starts at KEY_SEQ 1.
      const bool named = r.cells[11].has_value() && !r.cells[11]->empty();
      std::string fk_name = named ? *r.cells[11] : rel.name + "_fkey";
      CatalogConstraintModel* into = nullptr;
      for (CatalogConstraintModel& k : rel.constraints) {
        if (k.kind == CatalogConstraintModel::Kind::kForeignKey && k.name == fk_name) into = &k;
      }
      if (into == nullptr || (!named && ToInt(r.cells[8]) <= 1)) {
        CatalogConstraintModel k;
        k.kind = CatalogConstraintModel::Kind::kForeignKey;
        k.name = fk_name;
        k.ref_schema = std::string(kCatalogSchema);
        k.ref_table = r.cells[2].value_or("");
        k.on_update = RuleCode(r.cells[9]);
        k.on_delete = RuleCode(r.cells[10]);
        const int deferrability = ToInt(r.cells[13]);
        k.deferrable = deferrability == SQL_INITIALLY_DEFERRED ||
                       deferrability == SQL_INITIALLY_IMMEDIATE;
        k.deferred = deferrability == SQL_INITIALLY_DEFERRED;
        k.oid = oids.Get('c', kCatalogSchema, rel.name + "." + k.name);
        rel.constraints.push_back(std::move(k));
        into = &rel.constraints.back();
      }
      into->columns.push_back(r.cells[7].value_or(""));
      into->ref_columns.push_back(r.cells[3].value_or(""));
    }
  }
  if (dialect == Dialect::kPostgres) PGW_RETURN_IF_ERROR(OverlayPostgresModel(conn, model));
  return Status::OK();
}

}  // namespace pgw::odbc
