// ALTER TABLE ... ADD PRIMARY KEY on the SQLite backend. SQLite cannot add a key to a table, so
// the table is rebuilt around it, as SQLite's documented recipe for schema changes does
// (https://sqlite.org/lang_altertable.html#otheralter): a WITHOUT ROWID copy with the key,
// the rows copied, the old table dropped, the copy renamed, the old table's indexes and
// triggers created again. A WITHOUT ROWID table finds a row by key in one B-tree search; a
// unique index beside a rowid table costs two (index, then table), which is what the portable
// translation (a unique index) gives. Tables created with their primary key are WITHOUT ROWID
// already (SqlDialect::PrimaryKeyTableSuffix), so both routes end in the same layout.
//
// Runs inside the caller's unit (a savepoint): on error nothing has changed once the caller
// rolls the unit back. Not thread-safe: the connection's thread.
#pragma once

#include "backend/sqlite/sqlite_connection.h"
#include "common/status.h"
#include "sql/translator.h"

namespace pgw {

// Rebuilds `key.table` with the key, or sets *rebuilt = false and changes nothing when the
// portable translation should run instead: another table's foreign key references this one
// (dropping it would run their ON DELETE actions), SQLite's stored definition is not a plain
// CREATE TABLE, or there is no such table (the portable statement reports 42P01, or its error
// for a view). PostgreSQL's errors otherwise: 42P16 when the table has a primary key already,
// 42703 for a key column it lacks, 42701 for a column named twice, 23502 when a key column
// holds NULL, 23505 (`could not create unique index`, with the duplicated key) when the key is
// not unique.
[[nodiscard]] Status RebuildWithPrimaryKey(SqliteConnection& conn, const PrimaryKeyRebuild& key,
                                           bool* rebuilt);

}  // namespace pgw
