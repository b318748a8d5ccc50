// pgw_generate_series: an eponymous virtual table whose hidden columns start/stop/step are the
// function arguments.
#include "backend/sqlite/sqlite_series.h"

#include <sqlite3.h>

#include <cstdint>
#include <new>

#include "backend/sqlite/sqlite_errors.h"

namespace pgw {
namespace {

enum Column { kValue = 0, kStart = 1, kStop = 2, kStep = 3 };
// idxNum bits: which hidden arguments were passed, in argv order start, stop, step.
constexpr int kHasStart = 1, kHasStop = 2, kHasStep = 4;

struct SeriesCursor {
  sqlite3_vtab_cursor base;
  int64_t value = 0;
  int64_t stop = 0;
  int64_t step = 1;
  int64_t rowid = 0;
  bool eof = true;
};

int Connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(
      db, "CREATE TABLE x(value bigint, start HIDDEN, stop HIDDEN, step HIDDEN)");
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
  int arg_for[4] = {-1, -1, -1, -1};  // constraint index per hidden column
  bool unusable_required = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.iColumn < kStart || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c.usable) {
      unusable_required = true;
      continue;
    }
    arg_for[c.iColumn] = i;
  }
  int idx = 0, argv_index = 0;
  const int bits[4] = {0, kHasStart, kHasStop, kHasStep};
  for (int col = kStart; col <= kStep; ++col) {
    if (arg_for[col] < 0) continue;
    idx |= bits[col];
    info->aConstraintUsage[arg_for[col]].argvIndex = ++argv_index;
    info->aConstraintUsage[arg_for[col]].omit = 1;
  }
  if ((idx & (kHasStart | kHasStop)) != (kHasStart | kHasStop)) {
    // Arguments not available in this plan: make SQLite pick one where they are.
    if (unusable_required) return SQLITE_CONSTRAINT;
    info->estimatedCost = 1e300;
    info->estimatedRows = 0;
    info->idxNum = idx;
    return SQLITE_OK;
  }
  info->idxNum = idx;
  info->estimatedCost = 1000;
  info->estimatedRows = 1000;
  return SQLITE_OK;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* cur = new (std::nothrow) SeriesCursor();
  if (cur == nullptr) return SQLITE_NOMEM;
  *out = &cur->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* base) {
  delete reinterpret_cast<SeriesCursor*>(base);
  return SQLITE_OK;
}

bool Finished(const SeriesCursor& c) { return c.step > 0 ? c.value > c.stop : c.value < c.stop; }

int Filter(sqlite3_vtab_cursor* base, int idx, const char*, int argc, sqlite3_value** argv) {
  auto* cur = reinterpret_cast<SeriesCursor*>(base);
  cur->eof = true;
  cur->rowid = 1;
  if ((idx & (kHasStart | kHasStop)) != (kHasStart | kHasStop)) {
    sqlite3_free(base->pVtab->zErrMsg);
    base->pVtab->zErrMsg = sqlite3_mprintf(
        "%c42883function generate_series requires start and stop arguments", kSqlstateMarker);
    return SQLITE_ERROR;
  }
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return SQLITE_OK;  // no rows
  }
  cur->value = sqlite3_value_int64(argv[0]);
  cur->stop = sqlite3_value_int64(argv[1]);
  cur->step = (idx & kHasStep) ? sqlite3_value_int64(argv[2]) : 1;
  if (cur->step == 0) {
    sqlite3_free(base->pVtab->zErrMsg);
    base->pVtab->zErrMsg = sqlite3_mprintf("%c22023step size cannot equal zero", kSqlstateMarker);
    return SQLITE_ERROR;
  }
  cur->eof = Finished(*cur);
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* base) {
  auto* cur = reinterpret_cast<SeriesCursor*>(base);
  int64_t next;
  if (__builtin_add_overflow(cur->value, cur->step, &next)) {
    cur->eof = true;
    return SQLITE_OK;
  }
  cur->value = next;
  ++cur->rowid;
  cur->eof = Finished(*cur);
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* base) { return reinterpret_cast<SeriesCursor*>(base)->eof; }

int ColumnValue(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int col) {
  auto* cur = reinterpret_cast<SeriesCursor*>(base);
  switch (col) {
    case kValue:
      sqlite3_result_int64(ctx, cur->value);
      break;
    case kStop:
      sqlite3_result_int64(ctx, cur->stop);
      break;
    case kStep:
      sqlite3_result_int64(ctx, cur->step);
      break;
    default:
      sqlite3_result_null(ctx);
      break;
  }
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* base, sqlite_int64* rowid) {
  *rowid = reinterpret_cast<SeriesCursor*>(base)->rowid;
  return SQLITE_OK;
}

sqlite3_module MakeModule() {
  sqlite3_module m = {};
  m.iVersion = 0;
  m.xCreate = nullptr;  // eponymous only
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

const sqlite3_module kSeriesModule = MakeModule();

}  // namespace

int RegisterGenerateSeries(sqlite3* db) {
  return sqlite3_create_module(db, "pgw_generate_series", &kSeriesModule, nullptr);
}

}  // namespace pgw
