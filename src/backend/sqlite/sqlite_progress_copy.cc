// pg_stat_progress_copy: one row per COPY running in the server, with PostgreSQL 15's columns,
// read from the session layer's CopyProgressSource at every scan.
#include "backend/sqlite/sqlite_progress_copy.h"

#include "backend/sqlite/sqlite_functions.h"
#include "iris_pgwire/copy_progress.h"

namespace pgw {
namespace {

constexpr CatalogColumn kColumns[] = {
    {"pid", "integer"},
    {"datid", "oid"},
    {"datname", "name"},
    {"relid", "oid"},
    {"command", "text"},
    {"type", "text"},
    {"bytes_processed", "bigint"},
    {"bytes_total", "bigint"},
    {"tuples_processed", "bigint"},
    {"tuples_excluded", "bigint"},
};

void Generate(CatalogScan& scan) {
  if (scan.ctx == nullptr || scan.ctx->copy_progress == nullptr) return;
  for (const CopyProgressRow& p : scan.ctx->copy_progress->Snapshot()) {
    scan.rows.push_back({CInt(p.pid), CInt(kDatabaseOid), CText(p.datname), CInt(p.relid),
                         CText(p.command), CText(p.type), CInt(p.bytes_processed),
                         CInt(p.bytes_total), CInt(p.tuples_processed), CInt(p.tuples_excluded)});
  }
}

// PostgreSQL 15's pg_stat_progress_copy is a view; any stable oid serves.
const CatalogRelation kProgressCopy = {"pg_stat_progress_copy", "pgw_pg_stat_progress_copy", 12002,
                                       kColumns, Generate};

}  // namespace

const CatalogRelation& ProgressCopyRelation() { return kProgressCopy; }

}  // namespace pgw
