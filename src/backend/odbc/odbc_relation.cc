// Table descriptions from the ODBC catalog functions (see odbc_relation.h).
#include "backend/odbc/odbc_relation.h"

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

// One text cell of the current row (nullopt for NULL); catalog results are small.
Result<std::optional<std::string>> Cell(OdbcConnection& conn, SQLHSTMT h, SQLUSMALLINT col) {
  std::string out;
  char buf[1024];
  for (;;) {
    SQLLEN ind = 0;
    SQLRETURN rc = SQLGetData(h, col, SQL_C_CHAR, buf, sizeof buf, &ind);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
    if (ind == SQL_NULL_DATA) return std::optional<std::string>();
    size_t got = (ind == SQL_NO_TOTAL || static_cast<size_t>(ind) >= sizeof buf)
                     ? sizeof buf - 1
                     : static_cast<size_t>(ind);
    out.append(buf, got);
    if (rc == SQL_SUCCESS) break;
  }
  return std::optional<std::string>(std::move(out));
}

struct CatalogRow {
  std::vector<std::optional<std::string>> cells;
};

// Runs a catalog function on a fresh statement and reads columns 1..`ncols` of every row whose
// column `name_col` is `name` (exactly, or case-insensitively when no row is exact).
template <typename Call>
Result<std::vector<CatalogRow>> CatalogRows(OdbcConnection& conn, std::string_view what,
                                            SQLUSMALLINT ncols, SQLUSMALLINT name_col,
                                            std::string_view name, Call call) {
  PGW_TRY(Handle stmt, Handle::Allocate(SQL_HANDLE_STMT, conn.dbc()));
  SQLHSTMT h = stmt.get();
  if (!Succeeded(call(h))) return conn.Failure(SQL_HANDLE_STMT, h, what);
  std::vector<CatalogRow> exact;
  std::vector<CatalogRow> folded;
  for (;;) {
    SQLRETURN rc = SQLFetch(h);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, what);
    CatalogRow row;
    for (SQLUSMALLINT c = 1; c <= ncols; ++c) {
      PGW_TRY(std::optional<std::string> v, Cell(conn, h, c));
      row.cells.push_back(std::move(v));
    }
    const std::optional<std::string>& n = row.cells[name_col - 1];
    if (!n) continue;
    if (*n == name) {
      exact.push_back(std::move(row));
    } else if (n->size() == name.size() && strncasecmp(n->data(), name.data(), name.size()) == 0) {
      folded.push_back(std::move(row));
    }
  }
  SQLFreeStmt(h, SQL_CLOSE);
  return exact.empty() ? folded : exact;
}

int ToInt(const std::optional<std::string>& s) { return s ? std::atoi(s->c_str()) : 0; }

SQLCHAR* Chars(std::string& s) { return reinterpret_cast<SQLCHAR*>(s.data()); }

// PostgreSQL targets: what SQLColumns cannot say (declared typmods, identity and generated
// columns, the relation's oid) from the server's own catalog, over the ODBC description.
Status OverlayPostgresCatalog(OdbcConnection& conn, const std::string& schema, RelationInfo* info) {
  static const char kSql[] =
      "SELECT a.attname, a.atttypid, a.atttypmod, CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
      "CASE WHEN a.atthasdef OR a.attidentity <> '' THEN 1 ELSE 0 END, "
      "CASE WHEN a.attgenerated <> '' THEN 1 ELSE 0 END, c.oid "
      "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped";
  PGW_TRY(Handle stmt, Handle::Allocate(SQL_HANDLE_STMT, conn.dbc()));
  SQLHSTMT h = stmt.get();
  std::string args[2] = {schema, info->name};
  SQLLEN lens[2];
  for (SQLUSMALLINT i = 0; i < 2; ++i) {
    lens[i] = static_cast<SQLLEN>(args[i].size());
    SQLRETURN rc = SQLBindParameter(h, i + 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
                                    std::max<SQLULEN>(args[i].size(), 1), 0, args[i].data(),
                                    lens[i], &lens[i]);
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
  }
  std::string sql = kSql;
  if (!Succeeded(SQLExecDirect(h, Chars(sql), SQL_NTS))) {
    return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
  }
  for (;;) {
    SQLRETURN rc = SQLFetch(h);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "read the target's catalog");
    std::optional<std::string> cells[7];
    for (SQLUSMALLINT c = 0; c < 7; ++c) {
      PGW_TRY(cells[c], Cell(conn, h, c + 1));
    }
    info->oid = static_cast<Oid>(std::strtoul(cells[6].value_or("0").c_str(), nullptr, 10));
    for (RelationColumn& col : info->columns) {
      if (!cells[0] || col.name != *cells[0]) continue;
      Oid type = static_cast<Oid>(std::strtoul(cells[1].value_or("0").c_str(), nullptr, 10));
      if (LookupType(type) != nullptr) {
        col.type_oid = type;
        col.typmod = ToInt(cells[2]);
      }
      col.not_null = ToInt(cells[3]) == 1;
      col.has_default = ToInt(cells[4]) == 1;
      col.generated = ToInt(cells[5]) == 1;
    }
  }
  return Status::OK();
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

Result<RelationInfo> DescribeOdbcRelation(OdbcConnection& conn, std::string_view schema,
                                          std::string_view name) {
  if (schema == "pg_catalog") {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "COPY of the system catalog relation \"" + std::string(name) +
                             "\" is not supported by the ODBC backend");
  }
  // PostgreSQL targets: the default schema of a gateway client is public. IRIS and SQLite:
  // the connection's default schema (any schema, matched by name).
  std::string schema_arg = conn.dialect() == Dialect::kPostgres ? "public" : "";
  const bool with_schema = !schema_arg.empty();
  std::string table(name);
  auto schema_ptr = [&]() -> SQLCHAR* { return with_schema ? Chars(schema_arg) : nullptr; };
  const SQLSMALLINT schema_len = with_schema ? SQL_NTS : 0;

  PGW_TRY(std::vector<CatalogRow> tables,
          CatalogRows(conn, "list the target's tables", 4, 3, name, [&](SQLHSTMT h) {
            return SQLTables(h, nullptr, 0, schema_ptr(), schema_len, Chars(table), SQL_NTS,
                             nullptr, 0);
          }));
  const CatalogRow* found = nullptr;
  for (const CatalogRow& t : tables) {
    const std::string type = t.cells[3].value_or("");
    if (strcasecmp(type.c_str(), "TABLE") == 0 || strcasecmp(type.c_str(), "VIEW") == 0) {
      found = &t;
      break;
    }
  }
  if (found == nullptr) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "relation \"" + std::string(name) + "\" does not exist");
  }
  RelationInfo info;
  info.name = *found->cells[2];
  info.kind = strcasecmp(found->cells[3]->c_str(), "VIEW") == 0 ? RelationInfo::Kind::kView
                                                                : RelationInfo::Kind::kTable;
  std::optional<std::string> found_schema = found->cells[1];
  std::string exact_name = info.name;
  std::string col_schema = found_schema.value_or("");
  PGW_TRY(std::vector<CatalogRow> cols,
          CatalogRows(conn, "describe the target's columns", 17, 3, info.name, [&](SQLHSTMT h) {
            return SQLColumns(h, nullptr, 0, found_schema ? Chars(col_schema) : nullptr,
                              found_schema ? SQL_NTS : 0, Chars(exact_name), SQL_NTS, nullptr, 0);
          }));
  // Only the table found above (a pattern may match others in other schemas).
  std::erase_if(cols, [&](const CatalogRow& c) {
    return c.cells[2] != found->cells[2] || (found_schema && c.cells[1] != found_schema);
  });
  std::stable_sort(cols.begin(), cols.end(), [](const CatalogRow& a, const CatalogRow& b) {
    return ToInt(a.cells[16]) < ToInt(b.cells[16]);
  });
  for (const CatalogRow& c : cols) {
    RelationColumn rc;
    rc.name = c.cells[3].value_or("");
    ColumnType t = MapResultColumn(static_cast<SQLSMALLINT>(ToInt(c.cells[4])),
                                   static_cast<SQLULEN>(std::max(ToInt(c.cells[6]), 0)),
                                   static_cast<SQLSMALLINT>(ToInt(c.cells[8])),
                                   c.cells[5].value_or(""), conn.dialect());
    rc.type_oid = t.oid;
    rc.typmod = t.typmod;
    rc.not_null = ToInt(c.cells[10]) == SQL_NO_NULLS;
    rc.has_default = c.cells[12].has_value() && !c.cells[12]->empty();
    info.columns.push_back(std::move(rc));
  }
  if (info.columns.empty()) {
    return Status::Error(sqlstate::kUndefinedTable,
                         "relation \"" + std::string(name) + "\" does not exist");
  }
  if (conn.dialect() == Dialect::kPostgres && found_schema) {
    PGW_RETURN_IF_ERROR(OverlayPostgresCatalog(conn, *found_schema, &info));
  }
  return info;
}

}  // namespace pgw::odbc
