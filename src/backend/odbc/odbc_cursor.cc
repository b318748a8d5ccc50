// Execution and block fetching of one ODBC statement.
#include "backend/odbc/odbc_cursor.h"

#include <algorithm>
#include <cstring>

#include "common/sqlstate.h"

namespace pgw::odbc {

void CancelSlot::Enter(SQLHSTMT stmt) {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = stmt;
}

void CancelSlot::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = SQL_NULL_HSTMT;
}

void CancelSlot::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  // SQLCancel is the one ODBC call meant to come from another thread while the statement runs.
  if (running_ != SQL_NULL_HSTMT) {
    cancelled_ = true;
    SQLCancel(running_);
  }
}

OdbcCursor::~OdbcCursor() { Finish(); }

Status OdbcCursor::Fail(std::string_view what) {
  Status st = lease_->conn().Failure(SQL_HANDLE_STMT, prepared_->stmt.get(), what);
  if (cancel_ != nullptr && cancel_->TakeCancelled() && st.sqlstate() != sqlstate::kQueryCanceled) {
    st = Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  Finish();
  return st;
}

void OdbcCursor::Finish() {
  if (prepared_ != nullptr) {
    SQLHSTMT h = prepared_->stmt.get();
    SQLFreeStmt(h, SQL_CLOSE);
    if (block_) {
      SQLFreeStmt(h, SQL_UNBIND);
      SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(1), 0);
      SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, nullptr, 0);
    }
    SQLFreeStmt(h, SQL_RESET_PARAMS);
    prepared_->busy = false;
    prepared_ = nullptr;
  }
  owned_.reset();
  buffers_.clear();
  done_ = true;
  lease_.reset();  // the connection goes back to the pool unless the session holds it
}

Result<std::unique_ptr<OdbcCursor>> OdbcCursor::Execute(
    std::shared_ptr<Lease> lease, PreparedHandle* prepared, std::unique_ptr<PreparedHandle> owned,
    const OdbcStatement& stmt, std::span<const Value> params, std::shared_ptr<CancelSlot> cancel) {
  auto c = std::make_unique<OdbcCursor>();
  c->lease_ = std::move(lease);
  c->prepared_ = prepared;
  c->owned_ = std::move(owned);
  c->cancel_ = std::move(cancel);
  if (c->cancel_ != nullptr) (void)c->cancel_->TakeCancelled();  // a cancel of an earlier statement
  c->prepared_->busy = true;
  c->done_ = false;
  SQLHSTMT h = prepared->stmt.get();
  const size_t n = stmt.markers.size();
  c->ints_.assign(n, 0);
  c->floats_.assign(n, 0);
  c->lengths_.assign(n, 0);
  static char kEmpty[1] = {0};
  for (size_t i = 0; i < n; ++i) {
    size_t pi = static_cast<size_t>(stmt.markers[i] - 1);
    if (pi >= params.size()) {
      c->Finish();
      return Status::Error(sqlstate::kProtocolViolation,
                           "bind message supplies " + std::to_string(params.size()) +
                               " parameters, but the statement needs " +
                               std::to_string(stmt.markers[i]));
    }
    const Value& v = params[pi];
    Oid type = pi < stmt.param_types().size() ? stmt.param_types()[pi] : 0;
    ParamType pt = MapParam(type, v);
    SQLPOINTER data = kEmpty;
    SQLLEN buffer_len = 0;
    switch (v.kind) {
      case Value::Kind::kNull:
        c->lengths_[i] = SQL_NULL_DATA;
        break;
      case Value::Kind::kInt:
        c->ints_[i] = v.i;
        data = &c->ints_[i];
        break;
      case Value::Kind::kFloat:
        c->floats_[i] = v.f;
        data = &c->floats_[i];
        break;
      case Value::Kind::kText:
      case Value::Kind::kBlob:
        if (!v.s.empty()) data = const_cast<char*>(v.s.data());
        buffer_len = static_cast<SQLLEN>(v.s.size());
        c->lengths_[i] = buffer_len;
        break;
    }
    SQLRETURN rc = SQLBindParameter(h, static_cast<SQLUSMALLINT>(i + 1), SQL_PARAM_INPUT, pt.c_type,
                                    pt.sql_type, pt.column_size, pt.decimal_digits, data,
                                    buffer_len, &c->lengths_[i]);
    if (!Succeeded(rc)) return c->Fail("bind a parameter");
  }
  SQLRETURN rc;
  {
    RunningStatement running(c->cancel_.get(), h);
    rc = SQLExecute(h);
  }
  if (rc == SQL_NO_DATA) {  // UPDATE/DELETE that matched no row
    c->Finish();
    return c;
  }
  if (!Succeeded(rc)) return c->Fail("execute");
  if (prepared->columns.empty()) {
    SQLLEN count = 0;
    if (Succeeded(SQLRowCount(h, &count)) && count > 0) {
      c->rows_affected_ = static_cast<uint64_t>(count);
    }
    c->Finish();
    return c;
  }
  PGW_RETURN_IF_ERROR(c->SetUpFetch());
  return c;
}

Status OdbcCursor::SetUpFetch() {
  SQLHSTMT h = prepared_->stmt.get();
  const std::vector<ColumnType>& types = prepared_->types;
  size_t width = 0;
  bool bounded = true;
  for (const ColumnType& t : types) {
    if (t.max_bytes == 0) bounded = false;
    width += t.max_bytes + sizeof(SQLLEN);
  }
  row_.assign(types.size(), Value::Null());
  long_values_.assign(types.size(), std::string());
  if (!bounded) return Status::OK();  // one row per SQLFetch, every column by SQLGetData
  block_ = true;
  rows_per_fetch_ = std::clamp<size_t>(kBlockBytes / std::max<size_t>(width, 1), 1, kMaxBlockRows);
  buffers_.resize(types.size());
  SQLRETURN rc = SQLSetStmtAttr(h, SQL_ATTR_ROW_BIND_TYPE,
                                reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
  if (Succeeded(rc)) {
    rc = SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE,
                        reinterpret_cast<SQLPOINTER>(static_cast<uintptr_t>(rows_per_fetch_)), 0);
  }
  if (Succeeded(rc)) rc = SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, &fetched_, 0);
  if (!Succeeded(rc)) return Fail("set up a block cursor");
  for (size_t i = 0; i < types.size(); ++i) {
    ColumnBuffer& b = buffers_[i];
    b.width = types[i].max_bytes;
    b.data.assign(b.width * rows_per_fetch_, 0);
    b.ind.assign(rows_per_fetch_, 0);
    rc = SQLBindCol(h, static_cast<SQLUSMALLINT>(i + 1), types[i].c_type, b.data.data(),
                    static_cast<SQLLEN>(b.width), b.ind.data());
    if (!Succeeded(rc)) return Fail("bind a result column");
  }
  return Status::OK();
}

Status OdbcCursor::GetData(SQLUSMALLINT col, SQLSMALLINT c_type, std::string& out, bool& null) {
  SQLHSTMT h = prepared_->stmt.get();
  out.clear();
  null = false;
  if (c_type == SQL_C_SBIGINT || c_type == SQL_C_DOUBLE) {
    char buf[8];
    SQLLEN ind = 0;
    SQLRETURN rc = SQLGetData(h, col, c_type, buf, sizeof buf, &ind);
    if (!Succeeded(rc)) return Fail("read a column");
    if (ind == SQL_NULL_DATA) {
      null = true;
    } else {
      out.assign(buf, sizeof buf);
    }
    return Status::OK();
  }
  // Variable length: read in pieces until the driver has no more (01004 means "more").
  char buf[16384];
  for (;;) {
    SQLLEN ind = 0;
    SQLRETURN rc = SQLGetData(h, col, c_type, buf, sizeof buf, &ind);
    if (rc == SQL_NO_DATA) break;
    if (!Succeeded(rc)) return Fail("read a column");
    if (ind == SQL_NULL_DATA) {
      null = true;
      return Status::OK();
    }
    size_t room = c_type == SQL_C_CHAR ? sizeof buf - 1 : sizeof buf;
    size_t got =
        (ind == SQL_NO_TOTAL || static_cast<size_t>(ind) > room) ? room : static_cast<size_t>(ind);
    out.append(buf, got);
    if (rc == SQL_SUCCESS) break;
  }
  return Status::OK();
}

Status OdbcCursor::ReadRow(size_t r) {
  const std::vector<ColumnType>& types = prepared_->types;
  for (size_t i = 0; i < types.size(); ++i) {
    const ColumnType& t = types[i];
    const char* cell = nullptr;
    size_t len = 0;
    bool null = false;
    if (block_) {
      ColumnBuffer& b = buffers_[i];
      SQLLEN ind = b.ind[r];
      cell = b.data.data() + r * b.width;
      size_t room = t.c_type == SQL_C_CHAR ? b.width - 1 : b.width;
      if (ind == SQL_NULL_DATA) {
        null = true;
      } else if (t.c_type == SQL_C_SBIGINT || t.c_type == SQL_C_DOUBLE) {
        len = 8;
      } else if (ind == SQL_NO_TOTAL || static_cast<size_t>(ind) > room) {
        // Longer than the driver described: read the whole value of this row.
        if (!lease_->conn().getdata_in_blocks()) {
          return Status::Error(sqlstate::kProgramLimitExceeded,
                               "column \"" + prepared_->columns[i].name +
                                   "\" holds a value longer than the ODBC driver described");
        }
        SQLRETURN rc = SQLSetPos(prepared_->stmt.get(), static_cast<SQLSETPOSIROW>(r + 1),
                                 SQL_POSITION, SQL_LOCK_NO_CHANGE);
        if (!Succeeded(rc)) return Fail("position on a row");
        PGW_RETURN_IF_ERROR(
            GetData(static_cast<SQLUSMALLINT>(i + 1), t.c_type, long_values_[i], null));
        cell = long_values_[i].data();
        len = long_values_[i].size();
      } else {
        len = static_cast<size_t>(ind);
      }
    } else {
      PGW_RETURN_IF_ERROR(
          GetData(static_cast<SQLUSMALLINT>(i + 1), t.c_type, long_values_[i], null));
      cell = long_values_[i].data();
      len = long_values_[i].size();
    }
    if (null) {
      row_[i] = Value::Null();
      continue;
    }
    switch (t.c_type) {
      case SQL_C_SBIGINT: {
        int64_t v;
        std::memcpy(&v, cell, sizeof v);
        row_[i] = Value::Int(v);
        break;
      }
      case SQL_C_DOUBLE: {
        double v;
        std::memcpy(&v, cell, sizeof v);
        row_[i] = Value::Float(v);
        break;
      }
      case SQL_C_BINARY:
        row_[i] = Value::Blob(std::string_view(cell, len));
        break;
      default:
        row_[i] = Value::Text(std::string_view(cell, len));
        break;
    }
  }
  return Status::OK();
}

Result<FetchResult> OdbcCursor::Fetch(uint64_t max_rows, RowSink& sink) {
  FetchResult r;
  if (done_) {
    r.done = true;
    return r;
  }
  SQLHSTMT h = prepared_->stmt.get();
  while (max_rows == 0 || r.rows < max_rows) {
    if (next_ >= fetched_) {
      SQLRETURN rc;
      {
        RunningStatement running(cancel_.get(), h);
        rc = SQLFetch(h);
      }
      if (rc == SQL_NO_DATA) {
        Finish();
        r.done = true;
        return r;
      }
      if (!Succeeded(rc)) return Fail("fetch");
      if (!block_) fetched_ = 1;
      next_ = 0;
      if (fetched_ == 0) continue;
    }
    PGW_RETURN_IF_ERROR(ReadRow(next_));
    ++next_;
    ++r.rows;
    if (!sink.OnRow(row_)) break;
  }
  return r;
}

}  // namespace pgw::odbc
