// The pg_stat_progress_copy catalog relation (registered with the other catalog relations by
// sqlite_catalog.cc): the COPY commands running in the server, from
// SqliteFunctionContext::copy_progress. Thread-safety as the catalog's.
#pragma once

#include "backend/sqlite/sqlite_catalog.h"

namespace pgw {

const CatalogRelation& ProgressCopyRelation();

}  // namespace pgw
