// The generic catalog virtual-table module and the engine's model/row cache.
#include "catalog/catalog_engine.h"

#include <sqlite3.h>

#include <new>
#include <string>

namespace pgw {
namespace {

using catalog::Cell;
using catalog::RelationDef;
using catalog::Row;

struct ModuleAux {
  const RelationDef* relation;
  CatalogEngine* engine;
};

struct CatalogVtab {
  sqlite3_vtab base;
  ModuleAux* aux;
};

struct CatalogCursor {
  sqlite3_vtab_cursor base;
  std::shared_ptr<const std::vector<Row>> rows;
  std::vector<size_t> match;  // indexes into *rows when filtered by a key
  bool filtered = false;
  size_t pos = 0;

  size_t size() const { return filtered ? match.size() : (rows ? rows->size() : 0); }
  const Row& row() const { return (*rows)[filtered ? match[pos] : pos]; }
};

constexpr double kScanCost = 1000;

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
  for (const catalog::Column& c : aux->relation->columns) {
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
  vtab->aux = aux;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *out = &vtab->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  delete reinterpret_cast<CatalogVtab*>(vtab);
  return SQLITE_OK;
}

// idxNum = 1 + the column of an equality constraint passed as argv[0]; 0 for a full scan.
int BestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  int best = -1;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ || c.iColumn < 0) continue;
    if (best < 0 || c.iColumn == 0) best = i;
  }
  if (best >= 0) {
    info->aConstraintUsage[best].argvIndex = 1;
    info->idxNum = info->aConstraint[best].iColumn + 1;
    const bool key = info->aConstraint[best].iColumn == 0;
    info->estimatedCost = key ? 1 : 10;
    info->estimatedRows = key ? 1 : 10;
    return SQLITE_OK;
  }
  info->idxNum = 0;
  info->estimatedCost = kScanCost;
  info->estimatedRows = static_cast<sqlite3_int64>(kScanCost);
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

// May the row be a match for `v`? SQLite re-checks the constraint itself, so this only needs
// to keep every row that could compare equal.
bool MayEqual(const Cell& cell, sqlite3_value* v) {
  switch (cell.kind) {
    case Cell::Kind::kNull:
      return false;
    case Cell::Kind::kInt:
      return sqlite3_value_numeric_type(v) != SQLITE_INTEGER || sqlite3_value_int64(v) == cell.i;
    case Cell::Kind::kFloat:
      return true;
    case Cell::Kind::kText: {
      if (sqlite3_value_type(v) != SQLITE_TEXT) return true;
      const unsigned char* t = sqlite3_value_text(v);
      return t != nullptr && cell.s == reinterpret_cast<const char*>(t);
    }
  }
  return true;
}

int Filter(sqlite3_vtab_cursor* base, int idx, const char*, int argc, sqlite3_value** argv) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  auto* vtab = reinterpret_cast<CatalogVtab*>(base->pVtab);
  Status error;
  cur->rows = vtab->aux->engine->Rows(*vtab->aux->relation, &error);
  if (!error.ok()) {
    sqlite3_free(vtab->base.zErrMsg);
    vtab->base.zErrMsg = sqlite3_mprintf("%s", std::string(error.message()).c_str());
    return SQLITE_ERROR;
  }
  cur->pos = 0;
  cur->filtered = idx > 0 && argc == 1;
  cur->match.clear();
  if (cur->filtered) {
    const size_t col = static_cast<size_t>(idx - 1);
    for (size_t i = 0; i < cur->rows->size(); ++i) {
      const Row& row = (*cur->rows)[i];
      if (col < row.size() && MayEqual(row[col], argv[0])) cur->match.push_back(i);
    }
  }
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<CatalogCursor*>(base)->pos;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* base) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  return cur->pos >= cur->size();
}

int ColumnValue(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int col) {
  auto* cur = reinterpret_cast<CatalogCursor*>(base);
  const Row& row = cur->row();
  if (col < 0 || static_cast<size_t>(col) >= row.size()) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const Cell& cell = row[static_cast<size_t>(col)];
  switch (cell.kind) {
    case Cell::Kind::kNull:
      sqlite3_result_null(ctx);
      break;
    case Cell::Kind::kInt:
      sqlite3_result_int64(ctx, cell.i);
      break;
    case Cell::Kind::kFloat:
      sqlite3_result_double(ctx, cell.f);
      break;
    case Cell::Kind::kText:
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
  m.xColumn = ColumnValue;
  m.xRowid = Rowid;
  return m;
}

const sqlite3_module kCatalogModule = MakeModule();

void DestroyAux(void* p) { delete static_cast<ModuleAux*>(p); }

}  // namespace

void CatalogEngine::SetSession(SessionCatalogContext* session, std::string database,
                               std::string user, int32_t backend_pid) {
  input_.session = session;
  input_.database = std::move(database);
  input_.user = std::move(user);
  input_.backend_pid = backend_pid;
  cache_.clear();
}

int CatalogEngine::Register(sqlite3* db) {
  for (const RelationDef& r : catalog::Relations()) {
    auto* aux = new (std::nothrow) ModuleAux{&r, this};
    if (aux == nullptr) return SQLITE_NOMEM;
    int rc = sqlite3_create_module_v2(db, r.table_name, &kCatalogModule, aux, DestroyAux);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = RegisterCatalogFunctions(db, this);
  return rc == SQLITE_OK ? RegisterUnnest(db) : rc;
}

const CatalogSchemaModel& CatalogEngine::Model(Status* error) {
  int64_t v = source_->version();
  if (!loaded_ || v != version_) {
    CatalogSchemaModel fresh;
    Status st = source_->Load(&fresh);
    if (!st.ok()) {
      if (error != nullptr) *error = std::move(st);
      return model_;
    }
    model_ = std::move(fresh);
    version_ = v;
    loaded_ = true;
    cache_.clear();
  }
  return model_;
}

std::shared_ptr<const std::vector<Row>> CatalogEngine::Rows(const RelationDef& rel, Status* error) {
  const CatalogSchemaModel& model = Model(error);
  if (!rel.session_state) {
    auto it = cache_.find(&rel);
    if (it != cache_.end()) return it->second;
  }
  auto rows = std::make_shared<std::vector<Row>>();
  input_.model = &model;
  rel.generate(input_, *rows);
  if (!rel.session_state) cache_[&rel] = rows;
  return rows;
}

}  // namespace pgw
