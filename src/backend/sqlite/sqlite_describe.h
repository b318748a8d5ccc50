// Describing prepared SQLite statements the way PostgreSQL's RowDescription and
// ParameterDescription would: result column names, type OIDs/typmods (the translator's hints
// first, then the declared column types, which are PostgreSQL type names, else text), and for
// plain column references the source table's oid and attribute number. Runs on the owning
// connection's thread.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "backend/sqlite/sqlite_statement_cache.h"
#include "sql/translator.h"

namespace pgw {

// Parameter types only (statements without a SQLite statement: scripts, empty SQL).
std::shared_ptr<const StatementDescription> ParamsOnly(const TranslatedStatement& t);

std::shared_ptr<const StatementDescription> DescribeStatement(sqlite3* db, sqlite3_stmt* stmt,
                                                              const TranslatedStatement& t,
                                                              int reprepare_count);

// Whether `d` was computed for the same hints and parameter types and the statement has not
// been re-prepared (schema change) since.
bool DescriptionMatches(const StatementDescription& d, const TranslatedStatement& t,
                        int reprepare_count);

}  // namespace pgw
