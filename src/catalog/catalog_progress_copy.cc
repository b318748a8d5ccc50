// pg_stat_progress_copy: one row per COPY running in the server, with PostgreSQL 15's columns,
// read at every scan from the session layer (SessionCatalogContext::CopyProgress).
#include "catalog/catalog_relations.h"
#include "iris_pgwire/copy_progress.h"

namespace pgw::catalog {
namespace {

constexpr Column kColumns[] = {
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

void Generate(const ScanInput& in, std::vector<Row>& rows) {
  if (in.session == nullptr) return;
  for (const CopyProgressRow& p : in.session->CopyProgress()) {
    rows.push_back({CInt(p.pid), CInt(catalog_oid::kDatabase), CText(p.datname), CInt(p.relid),
                    CText(p.command), CText(p.type), CInt(p.bytes_processed),
                    CInt(p.bytes_total), CInt(p.tuples_processed), CInt(p.tuples_excluded)});
  }
}

// PostgreSQL 15's pg_stat_progress_copy is a view; any stable oid serves.
constexpr RelationDef kRelations[] = {
    {"pg_catalog", "pg_stat_progress_copy", "pgw_pg_stat_progress_copy", 12002, kColumns, Generate,
     true},
};

}  // namespace

std::span<const RelationDef> ProgressCopyRelations() { return kRelations; }

}  // namespace pgw::catalog
