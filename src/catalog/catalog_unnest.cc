// pgw_unnest(array): unnest() in FROM as an eponymous virtual table over an array in text form
// (or an int2vector/oidvector); columns `value` (NULL for NULL elements), `ordinality` (1-based)
// and `subscript` (generate_subscripts: from 1, from 0 for the vector types); the hidden column
// `arr` is the argument. NULL or an empty array gives no rows.
#include <sqlite3.h>

#include <new>
#include <string>
#include <vector>

#include "catalog/catalog_engine.h"
#include "types/array_text.h"

namespace pgw {
namespace {

enum Column { kValue = 0, kOrdinality = 1, kSubscript = 2, kArr = 3 };

struct UnnestCursor {
  sqlite3_vtab_cursor base;
  std::vector<ArrayElement> elements;
  size_t pos = 0;
  int64_t lower = 1;
};

int Connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(
      db, "CREATE TABLE x(value, ordinality bigint, subscript integer, arr HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  auto* vtab = static_cast<sqlite3_vtab*>(sqlite3_malloc(sizeof(sqlite3_vtab)));
  if (vtab == nullptr) return SQLITE_NOMEM;
  *vtab = {};
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *out = vtab;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.iColumn != kArr || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c.usable) return SQLITE_CONSTRAINT;  // plan where the argument is known
    info->aConstraintUsage[i].argvIndex = 1;
    info->aConstraintUsage[i].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 10;
    info->estimatedRows = 10;
    return SQLITE_OK;
  }
  info->idxNum = 0;
  info->estimatedCost = 1e300;
  return SQLITE_OK;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* cur = new (std::nothrow) UnnestCursor();
  if (cur == nullptr) return SQLITE_NOMEM;
  *out = &cur->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* base) {
  delete reinterpret_cast<UnnestCursor*>(base);
  return SQLITE_OK;
}

int Filter(sqlite3_vtab_cursor* base, int idx, const char*, int argc, sqlite3_value** argv) {
  auto* cur = reinterpret_cast<UnnestCursor*>(base);
  cur->elements.clear();
  cur->pos = 0;
  if (idx == 1 && argc == 1 && sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    const unsigned char* t = sqlite3_value_text(argv[0]);
    std::string_view text(reinterpret_cast<const char*>(t),
                          static_cast<size_t>(sqlite3_value_bytes(argv[0])));
    cur->elements = ArrayElements(text);
    cur->lower = text.find('{') == std::string_view::npos ? 0 : 1;
  }
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<UnnestCursor*>(base)->pos;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* base) {
  auto* cur = reinterpret_cast<UnnestCursor*>(base);
  return cur->pos >= cur->elements.size();
}

int ColumnValue(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int col) {
  auto* cur = reinterpret_cast<UnnestCursor*>(base);
  const ArrayElement& e = cur->elements[cur->pos];
  if (col == kOrdinality) {
    sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(cur->pos + 1));
  } else if (col == kSubscript) {
    sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(cur->pos) + cur->lower);
  } else if (col == kValue && !e.null) {
    sqlite3_result_text64(ctx, e.text.data(), e.text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else {
    sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* base, sqlite_int64* rowid) {
  *rowid = static_cast<sqlite_int64>(reinterpret_cast<UnnestCursor*>(base)->pos + 1);
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

const sqlite3_module kUnnestModule = MakeModule();

}  // namespace

int RegisterUnnest(sqlite3* db) {
  return sqlite3_create_module(db, "pgw_unnest", &kUnnestModule, nullptr);
}

}  // namespace pgw
