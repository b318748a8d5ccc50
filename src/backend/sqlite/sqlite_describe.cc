// Result and parameter descriptions of prepared SQLite statements.
#include "backend/sqlite/sqlite_describe.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "catalog/catalog_relations.h"
#include "types/pg_types.h"

namespace pgw {
namespace {

// The oid of a table (pgw_oids, or a catalog relation's fixed oid) and the attribute number of
// one of its columns; false when unknown.
bool LookupOrigin(sqlite3* db, const char* table, const char* column, Oid* table_oid,
                  int16_t* attnum) {
  if (const catalog::RelationDef* rel = catalog::FindRelation(table)) {
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      if (std::strcmp(rel->columns[i].name, column) == 0) {
        *table_oid = static_cast<Oid>(rel->oid);
        *attnum = static_cast<int16_t>(i + 1);
        return true;
      }
    }
    return false;
  }
  bool found = false;
  sqlite3_stmt* stmt = nullptr;
  const char* sql =
      "SELECT (SELECT oid FROM pgw_oids WHERE kind IN ('table', 'view') AND name = ?1), "
      "(SELECT count(*) FROM pragma_table_xinfo(?1) AS x WHERE x.hidden <> 1 AND x.cid <= "
      "(SELECT cid FROM pragma_table_xinfo(?1) WHERE name = ?2))";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, column, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
      *table_oid = static_cast<Oid>(sqlite3_column_int64(stmt, 0));
      *attnum = static_cast<int16_t>(sqlite3_column_int(stmt, 1));
      found = true;
    }
  }
  sqlite3_finalize(stmt);
  return found;
}

void SetColumnOrigin(sqlite3* db, sqlite3_stmt* stmt, int i, ColumnDesc* c) {
  const char* database = sqlite3_column_database_name(stmt, i);
  const char* table = sqlite3_column_table_name(stmt, i);
  const char* column = sqlite3_column_origin_name(stmt, i);
  if (database == nullptr || table == nullptr || column == nullptr) return;
  if (std::strcmp(database, "main") != 0) return;
  Oid table_oid = 0;
  int16_t attnum = 0;
  if (LookupOrigin(db, table, column, &table_oid, &attnum)) {
    c->table_oid = table_oid;
    c->column_number = attnum;
  }
}

bool SameHints(const std::vector<ResultColumnHint>& a, const std::vector<ResultColumnHint>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type_oid != b[i].type_oid || a[i].typmod != b[i].typmod || a[i].name != b[i].name) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::shared_ptr<const StatementDescription> ParamsOnly(const TranslatedStatement& t) {
  auto d = std::make_shared<StatementDescription>();
  d->param_types = t.param_types;
  if (d->param_types.size() < static_cast<size_t>(t.num_params)) {
    d->param_types.resize(static_cast<size_t>(t.num_params), 0);
  }
  return d;
}

// RowDescription and parameter types of `stmt`: the translator's hints first, then the
// declared column type (PostgreSQL type names are kept as SQLite declared types), else text.
std::shared_ptr<const StatementDescription> DescribeStatement(sqlite3* db, sqlite3_stmt* stmt,
                                                              const TranslatedStatement& t,
                                                              int reprepare_count) {
  auto d = std::make_shared<StatementDescription>();
  d->hints_key = t.result_hints;
  d->param_types_key = t.param_types;
  d->reprepare_count = reprepare_count;
  const int ncol = sqlite3_column_count(stmt);
  const bool use_hints = t.result_hints.size() == static_cast<size_t>(ncol);
  d->columns.resize(static_cast<size_t>(ncol));
  for (int i = 0; i < ncol; ++i) {
    ColumnDesc& c = d->columns[i];
    const ResultColumnHint* hint = use_hints ? &t.result_hints[i] : nullptr;
    if (hint != nullptr && !hint->name.empty()) {
      c.name = hint->name;
    } else if (const char* name = sqlite3_column_name(stmt, i)) {
      c.name = name;
    }
    if (hint != nullptr && hint->type_oid != 0) {
      c.type_oid = hint->type_oid;
      c.typmod = hint->typmod;
    } else if (const char* decl = sqlite3_column_decltype(stmt, i)) {
      DeclaredType dt = ParseDeclaredType(decl);
      c.type_oid = dt.oid;
      c.typmod = dt.typmod;
    }
    if (const TypeInfo* info = LookupType(c.type_oid)) c.typlen = info->typlen;
    SetColumnOrigin(db, stmt, i, &c);
  }
  d->param_types = t.param_types;
  size_t nparams = std::max<size_t>(static_cast<size_t>(sqlite3_bind_parameter_count(stmt)),
                                    static_cast<size_t>(t.num_params));
  if (d->param_types.size() < nparams) d->param_types.resize(nparams, 0);
  return d;
}

bool DescriptionMatches(const StatementDescription& d, const TranslatedStatement& t,
                        int reprepare_count) {
  return d.reprepare_count == reprepare_count && d.param_types_key == t.param_types &&
         SameHints(d.hints_key, t.result_hints);
}

}  // namespace pgw
