// The generic catalog virtual-table module, object enumeration with stable oids, and
// registration of every catalog relation.
#include "backend/sqlite/sqlite_catalog.h"

#include <sqlite3.h>

#include <memory>
#include <new>
#include <string>

#include "backend/sqlite/sqlite_errors.h"
#include "backend/sqlite/sqlite_functions.h"
#include "backend/sqlite/sqlite_progress_copy.h"

namespace pgw {
namespace {

constexpr char kOidTableSql[] =
    "CREATE TABLE IF NOT EXISTS pgw_oids(oid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
    "name TEXT NOT NULL, UNIQUE(kind, name));"
    "INSERT OR IGNORE INTO pgw_oids(oid, kind, name) VALUES (16399, 'seed', '');";
// Visible objects in creation order; their oids are assigned in this order.
constexpr char kObjectsSql[] =
    "SELECT s.type, s.name, s.tbl_name, s.sql, o.oid FROM sqlite_schema AS s "
    "LEFT JOIN pgw_oids AS o ON o.kind = s.type AND o.name = s.name "
    "WHERE s.type IN ('table', 'view', 'index') AND substr(s.name, 1, 7) <> 'sqlite_' "
    "AND substr(s.name, 1, 4) <> 'pgw_' ORDER BY s.rowid";
constexpr char kAssignOidsSql[] =
    "INSERT OR IGNORE INTO pgw_oids(kind, name) SELECT type, name FROM sqlite_schema "
    "WHERE type IN ('table', 'view', 'index') AND substr(name, 1, 7) <> 'sqlite_' "
    "AND substr(name, 1, 4) <> 'pgw_' ORDER BY rowid";

std::string ColumnText(sqlite3_stmt* stmt, int i) {
  const unsigned char* t = sqlite3_column_text(stmt, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
           : std::string();
}

struct ModuleAux {
  const CatalogRelation* relation;
  SqliteFunctionContext* ctx;
};

struct CatalogVtab {
  sqlite3_vtab base;
  sqlite3* db;
  ModuleAux* aux;
};

struct CatalogCursor {
  sqlite3_vtab_cursor base;
  std::vector<CatalogRow> rows;
  size_t pos = 0;
};

// idxNum: 1 when argv[0] is an equality constraint on the first column (the key).
constexpr int kKeyLookup = 1;
constexpr double kScanRows = 1000;

std::string SqlQuote(std::string_view s, char q) {
  std::string out(1, q);
  for (char c : s) {
    out += c;
    if (c == q) out += q;
  }
  out += q;
  return out;
}

int Connect(sqlite3* db, void* aux_ptr, int, const char* const*, sqlite3_vtab** out, char**) {
  auto* aux = static_cast<ModuleAux*>(aux_ptr);
  std::string ddl = "CREATE TABLE x(";
  bool first = true;
  for (const CatalogColumn& c : aux->relation->columns) {
    if (!first) ddl += ", ";
    first = false;
    // The type as a string literal keeps quotes ("char") through SQLite's dequoting.
    ddl += SqlQuote(c.name, '"') + " " + SqlQuote(c.type, '\'');
  }
  ddl += ")";
  int rc = sqlite3_declare_vtab(db, ddl.c_str());
  if (rc != SQLITE_OK) return rc;
  auto* vtab = new (std::nothrow) CatalogVtab();
  if (vtab == nullptr) return SQLITE_NOMEM;
  vtab->db = db;
  vtab->aux = aux;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *out = &vtab->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  delete reinterpret_cast<CatalogVtab*>(vtab);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.usable && c.iColumn == 0 && c.op == SQLITE_INDEX_CONSTRAINT_EQ) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->idxNum = kKeyLookup;
      info->estimatedCost = 10;
      info->estimatedRows = 1;
      return SQLITE_OK;
    }
  }
  info->idxNum = 0;
  info->estimatedCost = kScanRows;
  info->estimatedRows = static_cast<sqlite3_int64>(kScanRows);
  return SQLITE_OK;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* cur = new (std::nothrow) CatalogCursor();
  if (cur == nullptr) return SQLITE_NOMEM;
  *out = &cur->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* base) {
  delete reinterpret_cast<CatalogCursor*>(base);
  return SQLITE_OK;
}

bool CellEquals(const CatalogCell& cell, sqlite3_value* v) {
  switch (cell.kind) {
    case CatalogCell::Kind::kNull:
      return false;
    case CatalogCell::Kind::kInt:
      return sqlite3_value_numeric_type(v) == SQLITE_INTEGER && sqlite3_value_int64(v) == cell.i;
    case CatalogCell::Kind::kFloat:
      return sqlite3_value_double(v) == cell.f;
    case CatalogCell::Kind::kText: {
      const unsigned char* t = sqlite3_value_text(v);
      return t != nullptr && cell.s == reinterpret_cast<const char*>(t);
    }
  }
  return false;
}

int Filter(sqlite3_vtab_cursor* base, int idx, const char*, int argc, sqlite3_value** argv) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  auto* vtab = reinterpret_cast<CatalogVtab*>(base->pVtab);
  CatalogScan scan;
  scan.db = vtab->db;
  scan.ctx = vtab->aux->ctx;
  vtab->aux->relation->generate(scan);
  cur->rows = std::move(scan.rows);
  cur->pos = 0;
  if (idx == kKeyLookup && argc == 1) {
    std::erase_if(cur->rows, [&](const CatalogRow& row) {
      return row.empty() || !CellEquals(row[0], argv[0]);
    });
  }
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<CatalogCursor*>(base)->pos;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* base) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  return cur->pos >= cur->rows.size();
}

int Column(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int col) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  const CatalogRow& row = cur->rows[cur->pos];
  if (col < 0 || static_cast<size_t>(col) >= row.size()) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const CatalogCell& cell = row[static_cast<size_t>(col)];
  switch (cell.kind) {
    case CatalogCell::Kind::kNull:
      sqlite3_result_null(ctx);
      break;
    case CatalogCell::Kind::kInt:
      sqlite3_result_int64(ctx, cell.i);
      break;
    case CatalogCell::Kind::kFloat:
      sqlite3_result_double(ctx, cell.f);
      break;
    case CatalogCell::Kind::kText:
      sqlite3_result_text64(ctx, cell.s.data(), cell.s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
  }
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* base, sqlite_int64* rowid) {
  *rowid = static_cast<sqlite_int64>(reinterpret_cast<CatalogCursor*>(base)->pos + 1);
  return SQLITE_OK;
}

sqlite3_module MakeModule() {
  sqlite3_module m = {};
  m.xConnect = Connect;
  m.xBestIndex = BestIndex;
  m.xDisconnect = Disconnect;
  m.xDestroy = Disconnect;
  m.xOpen = Open;
  m.xClose = Close;
  m.xFilter = Filter;
  m.xNext = Next;
  m.xEof = Eof;
  m.xColumn = Column;
  m.xRowid = Rowid;
  return m;
}

const sqlite3_module kCatalogModule = MakeModule();

void DestroyAux(void* p) { delete static_cast<ModuleAux*>(p); }

}  // namespace

const std::vector<SchemaObject>& CatalogScan::Objects() {
  if (loaded_) return objects_;
  loaded_ = true;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, kObjectsSql, -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);  // pgw_oids missing: a database the backend has not opened yet
    return objects_;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    SchemaObject o;
    o.type = ColumnText(stmt, 0);
    o.name = ColumnText(stmt, 1);
    o.tbl_name = ColumnText(stmt, 2);
    o.sql = ColumnText(stmt, 3);
    o.oid = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? FallbackOid(o.type, o.name)
                                                        : sqlite3_column_int64(stmt, 4);
    objects_.push_back(std::move(o));
  }
  sqlite3_finalize(stmt);
  return objects_;
}

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

const CatalogRelation* FindCatalogRelation(std::string_view name) {
  for (const CatalogRelation& r : CatalogRelations()) {
    if (name == r.pg_name || name == r.table_name) return &r;
  }
  const CatalogRelation& progress = ProgressCopyRelation();
  if (name == progress.pg_name || name == progress.table_name) return &progress;
  return nullptr;
}

int RegisterSqliteCatalog(sqlite3* db, SqliteFunctionContext* ctx) {
  auto add = [&](const CatalogRelation& r) {
    auto* aux = new (std::nothrow) ModuleAux{&r, ctx};
    if (aux == nullptr) return SQLITE_NOMEM;
    return sqlite3_create_module_v2(db, r.table_name, &kCatalogModule, aux, DestroyAux);
  };
  for (const CatalogRelation& r : CatalogRelations()) {
    int rc = add(r);
    if (rc != SQLITE_OK) return rc;
  }
  return add(ProgressCopyRelation());
}

Status EnsureCatalogOids(sqlite3* db) {
  for (const char* sql : {kOidTableSql, kAssignOidsSql}) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return MapSqliteError(sqlite3_extended_errcode(db), message, db);
    }
  }
  return Status::OK();
}

}  // namespace pgw
