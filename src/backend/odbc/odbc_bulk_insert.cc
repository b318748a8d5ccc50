// COPY FROM through ODBC parameter arrays (see odbc_bulk_insert.h).
#include "backend/odbc/odbc_bulk_insert.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "backend/odbc/odbc_relation.h"
#include "backend/odbc/odbc_session.h"
#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

bool HasPayload(const Value& v) {
  return v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob;
}

// Bytes one row of a column takes in its bound buffer (payload + NUL for character data).
size_t CellBytes(const Value& v) { return HasPayload(v) ? v.s.size() + 1 : sizeof(int64_t); }

// How a column of one execution is bound: every non-null value of one kind binds natively;
// a mix of kinds binds as text.
Value::Kind BoundKind(const RowBatch& batch, size_t col, size_t begin, size_t end) {
  Value::Kind kind = Value::Kind::kNull;
  for (size_t r = begin; r < end; ++r) {
    const Value& v = batch.row(r)[col];
    if (v.is_null()) continue;
    if (kind == Value::Kind::kNull) {
      kind = v.kind;
    } else if (kind != v.kind) {
      return Value::Kind::kText;
    }
  }
  return kind == Value::Kind::kNull ? Value::Kind::kText : kind;
}

std::string AsText(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kInt:
      return std::to_string(v.i);
    case Value::Kind::kFloat: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.f);
      return buf;
    }
    default:
      return std::string(v.s);
  }
}

}  // namespace

Result<std::unique_ptr<BulkSink>> OdbcBulkSink::Open(OdbcSession& session,
                                                     const BulkInsertSpec& spec) {
  const bool postgres = session.dialect() == Dialect::kPostgres;
  std::string sql = "INSERT INTO " + QuoteIdentifier(spec.table);
  if (spec.columns.empty()) {
    sql += " DEFAULT VALUES";
  } else {
    sql += " (";
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += QuoteIdentifier(spec.columns[i].name);
    }
    sql += ")";
    // PostgreSQL's COPY writes given values into GENERATED ALWAYS identity columns; its
    // INSERT does so only when told.
    if (postgres) sql += " OVERRIDING SYSTEM VALUE";
    if (spec.where_sql.empty()) {
      sql += " VALUES ";
    } else {
      // The row as a derived table named like the target, so the condition sees the columns
      // by name; PostgreSQL needs the markers' types there (psqlODBC sends text as unknown).
      sql += " SELECT * FROM (SELECT ";
      for (size_t i = 0; i < spec.columns.size(); ++i) {
        if (i > 0) sql += ", ";
        const TypeInfo* type = LookupType(spec.columns[i].type_oid);
        if (postgres && type != nullptr) {
          sql += "CAST(? AS " + std::string(type->sql_name) + ")";
        } else {
          sql += "?";
        }
        sql += " AS " + QuoteIdentifier(spec.columns[i].name);
      }
      sql += ") AS " + QuoteIdentifier(spec.table) + " WHERE (" + spec.where_sql + ")";
    }
  }
  std::string group_sql;
  size_t group_rows = 1;
  if (!spec.columns.empty() && spec.where_sql.empty()) {
    std::string row = "(";
    for (size_t i = 0; i < spec.columns.size(); ++i) row += i > 0 ? ", ?" : "?";
    row += ")";
    group_rows = std::max<size_t>(1, std::min(kGroupRows, kMaxGroupParams / spec.columns.size()));
    group_sql = sql;
    for (size_t r = 0; r < group_rows; ++r) group_sql += r > 0 ? ", " + row : row;
    sql += row;
  }
  std::unique_ptr<OdbcBulkSink> sink(new OdbcBulkSink(session, spec, std::move(sql)));
  if (group_rows > 1) {
    sink->group_sql_ = std::move(group_sql);
    sink->group_rows_ = group_rows;
  }
  {
    PGW_TRY(std::shared_ptr<Lease> lease, session.StatementLease());
    std::unique_ptr<PreparedHandle> owned;
    Status st = lease->conn().Prepare(sink->sql_, session.generation(), &owned).status();
    session.StatementDone();
    PGW_RETURN_IF_ERROR(st);
  }
  return std::unique_ptr<BulkSink>(std::move(sink));
}

bool OdbcBulkSink::ArraysSupported(SQLHSTMT h) {
  if (arrays_ < 0) {
    // SQLGetInfo(SQL_PARAM_ARRAY_ROW_COUNTS) is no test: SQL_PARC_NO_BATCH only says the row
    // count is one total for the array (psqlODBC, sqliteodbc report it and take arrays). A
    // driver that cannot take arrays refuses the attribute or keeps it at 1.
    SQLULEN size = 0;
    SQLRETURN rc = SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(2), 0);
    if (Succeeded(rc)) rc = SQLGetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, &size, 0, nullptr);
    arrays_ = Succeeded(rc) && size == 2 ? 1 : 0;
    SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(1), 0);
  }
  return arrays_ == 1;
}

size_t OdbcBulkSink::ChunkEnd(const RowBatch& batch, size_t begin) const {
  const size_t n = batch.num_columns;
  std::vector<size_t> widths(n, 0);
  size_t end = begin;
  while (end < batch.rows() && end - begin < kBulkRows) {
    std::span<const Value> row = batch.row(end);
    size_t row_width = 0;
    for (size_t c = 0; c < n; ++c) row_width += std::max(widths[c], CellBytes(row[c]));
    if (end > begin && row_width * (end - begin + 1) > kBulkBytes) break;
    for (size_t c = 0; c < n; ++c) widths[c] = std::max(widths[c], CellBytes(row[c]));
    ++end;
  }
  return end;
}

void OdbcBulkSink::Fill(const RowBatch& batch, size_t begin, size_t end) {
  const size_t rows = end - begin;
  const size_t n = batch.num_columns;
  columns_.resize(n);
  for (size_t c = 0; c < n; ++c) {
    Column& col = columns_[c];
    const Value::Kind kind = BoundKind(batch, c, begin, end);
    const bool native = kind != Value::Kind::kText;  // every non-null value is of `kind`
    col.text.clear();
    size_t width = sizeof(int64_t);
    if (kind == Value::Kind::kText || kind == Value::Kind::kBlob) {
      width = 1;
      for (size_t r = begin; r < end; ++r) {
        const Value& v = batch.row(r)[c];
        if (v.is_null()) continue;
        if (!native && !HasPayload(v)) {
          col.text.push_back(AsText(v));
          width = std::max(width, col.text.back().size() + 1);
        } else {
          width = std::max(width, v.s.size() + 1);
        }
      }
    }
    col.width = width;
    col.data.resize(width * rows);
    col.ind.resize(rows);
    size_t next_text = 0;
    size_t longest = 0;
    for (size_t r = 0; r < rows; ++r) {
      const Value& v = batch.row(begin + r)[c];
      char* cell = col.data.data() + r * width;
      if (v.is_null()) {
        col.ind[r] = SQL_NULL_DATA;
      } else if (kind == Value::Kind::kInt) {
        std::memcpy(cell, &v.i, sizeof v.i);
        col.ind[r] = sizeof v.i;
      } else if (kind == Value::Kind::kFloat) {
        std::memcpy(cell, &v.f, sizeof v.f);
        col.ind[r] = sizeof v.f;
      } else {
        std::string_view s = HasPayload(v) ? v.s : std::string_view(col.text[next_text++]);
        if (!s.empty()) std::memcpy(cell, s.data(), s.size());
        cell[s.size()] = '\0';
        col.ind[r] = static_cast<SQLLEN>(s.size());
        longest = std::max(longest, s.size());
      }
    }
    // The parameter's C and SQL types as the cursor binds a value of this kind and length.
    Value like = Value::Null();
    if (kind == Value::Kind::kInt) {
      like = Value::Int(0);
    } else if (kind == Value::Kind::kFloat) {
      like = Value::Float(0);
    } else {
      std::string_view len_only(col.data.data(), longest);
      like = kind == Value::Kind::kBlob ? Value::Blob(len_only) : Value::Text(len_only);
    }
    col.type = MapParam(spec_.columns[c].type_oid, like);
  }
}

Status OdbcBulkSink::Bind(OdbcConnection& conn, SQLHSTMT h, size_t row, size_t rows) {
  const size_t n = columns_.size();
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < n; ++c) {
      Column& col = columns_[c];
      const ParamType& pt = col.type;
      SQLLEN buffer_len =
          pt.c_type == SQL_C_CHAR || pt.c_type == SQL_C_BINARY ? static_cast<SQLLEN>(col.width) : 0;
      SQLRETURN rc = SQLBindParameter(h, static_cast<SQLUSMALLINT>(r * n + c + 1), SQL_PARAM_INPUT,
                                      pt.c_type, pt.sql_type, pt.column_size, pt.decimal_digits,
                                      col.data.data() + (row + r) * col.width, buffer_len,
                                      col.ind.data() + row + r);
      if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "bind a COPY column");
    }
  }
  return Status::OK();
}

Status OdbcBulkSink::Run(OdbcConnection& conn, SQLHSTMT h, size_t sets) {
  SQLRETURN rc = SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE,
                                reinterpret_cast<SQLPOINTER>(static_cast<uintptr_t>(sets)), 0);
  if (!Succeeded(rc)) return conn.Failure(SQL_HANDLE_STMT, h, "set up parameter arrays");
  {
    RunningStatement running(session_.cancel_slot(), h);
    rc = SQLExecute(h);
  }
  if (rc != SQL_NO_DATA && !Succeeded(rc))
    return conn.Failure(SQL_HANDLE_STMT, h, "insert COPY rows");
  last_count_ = 0;
  if (rc != SQL_NO_DATA && !Succeeded(SQLRowCount(h, &last_count_))) last_count_ = 0;
  SQLFreeStmt(h, SQL_CLOSE);
  return Status::OK();
}

Status OdbcBulkSink::WriteChunk(OdbcConnection& conn, SQLHSTMT h, SQLHSTMT group, size_t rows) {
  size_t r = 0;
  if (group != SQL_NULL_HSTMT) {
    for (; r + group_rows_ <= rows; r += group_rows_) {
      PGW_RETURN_IF_ERROR(Bind(conn, group, r, group_rows_));
      PGW_RETURN_IF_ERROR(Run(conn, group, 1));
    }
  }
  if (r == rows) return Status::OK();
  if (arrays_ == 1) {
    PGW_RETURN_IF_ERROR(Bind(conn, h, r, 1));
    return Run(conn, h, rows - r);
  }
  for (; r < rows; ++r) {
    PGW_RETURN_IF_ERROR(Bind(conn, h, r, 1));
    PGW_RETURN_IF_ERROR(Run(conn, h, 1));
  }
  return Status::OK();
}

Status OdbcBulkSink::Write(const RowBatch& batch, BulkWriteResult* result) {
  result->inserted = 0;
  result->excluded = 0;
  result->failed_row = 0;
  if (batch.rows() == 0) return Status::OK();
  PGW_TRY(std::shared_ptr<Lease> lease, session_.StatementLease());
  OdbcConnection& conn = lease->conn();
  std::unique_ptr<PreparedHandle> owned;
  PGW_TRY(PreparedHandle * p, conn.Prepare(sql_, session_.generation(), &owned));
  std::unique_ptr<PreparedHandle> group_owned;
  PreparedHandle* g = nullptr;
  p->busy = true;
  if (!group_sql_.empty() && batch.rows() >= group_rows_) {
    Result<PreparedHandle*> gr = conn.Prepare(group_sql_, session_.generation(), &group_owned);
    if (!gr.ok()) {
      p->busy = false;
      session_.StatementDone();
      return gr.status();
    }
    g = *gr;
    g->busy = true;
  }
  SQLHSTMT h = p->stmt.get();
  ArraysSupported(h);
  // With a WHERE condition each row is its own execution: its row count says whether the
  // condition kept it.
  const bool filtered = !spec_.where_sql.empty();
  Status st;
  for (size_t begin = 0; begin < batch.rows() && st.ok();) {
    size_t end = filtered ? begin + 1 : ChunkEnd(batch, begin);
    Fill(batch, begin, end);
    if (end - begin == 1) {
      st = Bind(conn, h, 0, 1);
      if (st.ok()) st = Run(conn, h, 1);
      if (!st.ok()) {
        result->failed_row = begin;
        break;
      }
      SQLLEN count = filtered ? last_count_ : 1;
      result->inserted += count > 0 ? 1 : 0;
      result->excluded += count > 0 ? 0 : 1;
      begin = end;
      continue;
    }
    // Several rows per execution: under a savepoint, so that a failure can be undone and the
    // rows re-run one at a time to find the one the error is about.
    const bool sp = conn.ExecuteDirect("SAVEPOINT pgw_copy_rows").ok();
    st = WriteChunk(conn, h, g == nullptr ? SQL_NULL_HSTMT : g->stmt.get(), end - begin);
    if (!st.ok()) {
      result->failed_row = begin;
      if (sp && !conn.broken() && conn.ExecuteDirect("ROLLBACK TO SAVEPOINT pgw_copy_rows").ok()) {
        for (size_t r = 0; r < end - begin; ++r) {
          Status row = Bind(conn, h, r, 1);
          if (row.ok()) row = Run(conn, h, 1);
          if (!row.ok()) {
            st = std::move(row);
            result->failed_row = begin + r;
            break;
          }
        }
      }
      break;
    }
    if (sp && session_.dialect() != Dialect::kIris) {
      // InterSystems IRIS has no RELEASE SAVEPOINT (see OdbcSession::ReleaseSavepoint).
      st = conn.ExecuteDirect("RELEASE SAVEPOINT pgw_copy_rows");
      if (!st.ok()) break;
    }
    result->inserted += end - begin;
    begin = end;
  }
  // The handles are cached for other statements of the connection: back to one row, no binds.
  for (PreparedHandle* ph : {p, g}) {
    if (ph == nullptr) continue;
    SQLHSTMT x = ph->stmt.get();
    SQLFreeStmt(x, SQL_CLOSE);
    SQLFreeStmt(x, SQL_RESET_PARAMS);
    SQLSetStmtAttr(x, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(1), 0);
    ph->busy = false;
  }
  session_.StatementDone();
  return st;
}

}  // namespace pgw::odbc
