// One target connection: connect, capabilities, direct execution, the statement cache.
#include "backend/odbc/odbc_connection.h"

#include <algorithm>

#include "backend/odbc/odbc_errors.h"
#include "backend/odbc/odbc_target.h"
#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

// A failed SQLDriverConnect: the login was refused, or the target could not be reached.
Status ConnectFailure(const std::vector<DiagRecord>& diags) {
  std::string message = diags.empty() ? "no diagnostic from the driver" : diags.front().message;
  std::string state = diags.empty() ? "" : diags.front().sqlstate;
  std::string detail = "ODBC SQLSTATE " + (state.empty() ? std::string("none") : state);
  if (ContainsNoCase(message, "password authentication failed") ||
      ContainsNoCase(message, "access denied") || ContainsNoCase(message, "invalid password")) {
    return Status::Error(sqlstate::kInvalidPassword,
                         "the target database refused the login: " + message)
        .WithDetail(std::move(detail));
  }
  if (state.rfind("28", 0) == 0 || ContainsNoCase(message, "authentication") ||
      ContainsNoCase(message, "role") || ContainsNoCase(message, "login")) {
    return Status::Error(sqlstate::kInvalidAuthorizationSpecification,
                         "the target database refused the login: " + message)
        .WithDetail(std::move(detail));
  }
  return Status::Error("08001", "could not connect to the target database: " + message)
      .WithDetail(std::move(detail));
}

std::string GetInfoString(SQLHDBC dbc, SQLUSMALLINT what) {
  char buf[256] = {0};
  SQLSMALLINT len = 0;
  if (!Succeeded(SQLGetInfo(dbc, what, buf, sizeof buf, &len))) return {};
  return std::string(
      buf, std::min<size_t>(static_cast<size_t>(std::max<SQLSMALLINT>(len, 0)), sizeof buf - 1));
}

}  // namespace

Result<std::unique_ptr<OdbcConnection>> OdbcConnection::Open(std::shared_ptr<Environment> env,
                                                             const std::string& connection_string,
                                                             std::optional<Dialect> dialect,
                                                             int login_timeout_seconds) {
  std::unique_ptr<OdbcConnection> c(new OdbcConnection());
  c->env_ = std::move(env);
  PGW_TRY(c->dbc_, Handle::Allocate(SQL_HANDLE_DBC, c->env_->get()));
  if (login_timeout_seconds > 0) {
    SQLSetConnectAttr(c->dbc(), SQL_ATTR_LOGIN_TIMEOUT,
                      reinterpret_cast<SQLPOINTER>(static_cast<intptr_t>(login_timeout_seconds)),
                      0);
  }
  SQLCHAR out[1024];
  SQLSMALLINT out_len = 0;
  std::string in = connection_string;
  SQLRETURN rc = SQLDriverConnect(c->dbc(), nullptr, reinterpret_cast<SQLCHAR*>(in.data()),
                                  static_cast<SQLSMALLINT>(in.size()), out, sizeof out, &out_len,
                                  SQL_DRIVER_NOPROMPT);
  if (!Succeeded(rc)) return ConnectFailure(c->dbc_.Diagnostics());
  c->dbc_.set_connected();
  c->dbms_name_ = GetInfoString(c->dbc(), SQL_DBMS_NAME);
  if (dialect.has_value()) {
    c->dialect_ = *dialect;
  } else if (std::optional<Dialect> d = DialectFromDbmsName(c->dbms_name_)) {
    c->dialect_ = *d;
  } else {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "the ODBC target \"" + c->dbms_name_ +
                             "\" has no SQL dialect here: choose one with --dialect "
                             "iris|postgres|sqlite");
  }
  SQLUINTEGER gd = 0;
  if (Succeeded(SQLGetInfo(c->dbc(), SQL_GETDATA_EXTENSIONS, &gd, sizeof gd, nullptr))) {
    c->getdata_in_blocks_ = (gd & SQL_GD_BLOCK) != 0;
  }
  return c;
}

OdbcConnection::~OdbcConnection() {
  cache_.clear();
  lru_.clear();  // statements before their connection
}

Status OdbcConnection::Failure(SQLSMALLINT type, SQLHANDLE h, std::string_view what) {
  std::vector<DiagRecord> diags = ReadDiagnostics(type, h);
  if (IsConnectionLost(diags)) {
    broken_ = true;
    return MapOdbcDiagnostics(diags, dialect_, what);
  }
  // Some drivers report a follow-up error once the socket is gone ("no query has been
  // executed"); the driver's own view of the connection settles it.
  SQLUINTEGER dead = SQL_CD_FALSE;
  if (Succeeded(SQLGetConnectAttr(dbc(), SQL_ATTR_CONNECTION_DEAD, &dead, 0, nullptr)) &&
      dead == SQL_CD_TRUE) {
    broken_ = true;
    Status st = MapOdbcDiagnostics(diags, dialect_, what);
    return Status::Error(
        sqlstate::kConnectionFailure,
        "connection to the target database was lost: " + std::string(st.message()));
  }
  return MapOdbcDiagnostics(diags, dialect_, what);
}

Status OdbcConnection::ExecuteDirect(std::string_view sql) {
  PGW_TRY(Handle stmt, Handle::Allocate(SQL_HANDLE_STMT, dbc()));
  std::string text(sql);
  SQLRETURN rc = SQLExecDirect(stmt.get(), reinterpret_cast<SQLCHAR*>(text.data()),
                               static_cast<SQLINTEGER>(text.size()));
  if (!Succeeded(rc) && rc != SQL_NO_DATA) return Failure(SQL_HANDLE_STMT, stmt.get(), "execute");
  return Status::OK();
}

Status OdbcConnection::SetAutocommit(bool on) {
  if (on == autocommit_) return Status::OK();
  SQLRETURN rc = SQLSetConnectAttr(dbc(), SQL_ATTR_AUTOCOMMIT,
                                   reinterpret_cast<SQLPOINTER>(static_cast<uintptr_t>(
                                       on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF)),
                                   0);
  if (!Succeeded(rc)) return Failure(SQL_HANDLE_DBC, dbc(), "set autocommit");
  autocommit_ = on;
  return Status::OK();
}

Status OdbcConnection::EndTransaction(bool commit) {
  SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc(), commit ? SQL_COMMIT : SQL_ROLLBACK);
  if (!Succeeded(rc)) return Failure(SQL_HANDLE_DBC, dbc(), commit ? "commit" : "roll back");
  return Status::OK();
}

Status OdbcConnection::Ping() { return ExecuteDirect("SELECT 1"); }

Result<std::unique_ptr<PreparedHandle>> OdbcConnection::PrepareNew(const std::string& sql) {
  auto p = std::make_unique<PreparedHandle>();
  PGW_TRY(p->stmt, Handle::Allocate(SQL_HANDLE_STMT, dbc()));
  std::string text = sql;
  SQLRETURN rc = SQLPrepare(p->stmt.get(), reinterpret_cast<SQLCHAR*>(text.data()),
                            static_cast<SQLINTEGER>(text.size()));
  if (!Succeeded(rc)) return Failure(SQL_HANDLE_STMT, p->stmt.get(), "prepare");
  SQLSMALLINT ncols = 0;
  rc = SQLNumResultCols(p->stmt.get(), &ncols);
  if (!Succeeded(rc)) return Failure(SQL_HANDLE_STMT, p->stmt.get(), "describe");
  for (SQLUSMALLINT i = 1; i <= static_cast<SQLUSMALLINT>(std::max<SQLSMALLINT>(ncols, 0)); ++i) {
    SQLCHAR name[256] = {0};
    SQLSMALLINT name_len = 0, sql_type = 0, scale = 0, nullable = 0;
    SQLULEN size = 0;
    rc = SQLDescribeCol(p->stmt.get(), i, name, sizeof name, &name_len, &sql_type, &size, &scale,
                        &nullable);
    if (!Succeeded(rc)) return Failure(SQL_HANDLE_STMT, p->stmt.get(), "describe a column");
    char type_name[128] = {0};
    SQLSMALLINT type_len = 0;
    SQLColAttribute(p->stmt.get(), i, SQL_DESC_TYPE_NAME, type_name, sizeof type_name, &type_len,
                    nullptr);
    ColumnType t = MapResultColumn(sql_type, size, scale, type_name, dialect_);
    ColumnDesc d;
    d.name.assign(
        reinterpret_cast<char*>(name),
        std::min<size_t>(static_cast<size_t>(std::max<SQLSMALLINT>(name_len, 0)), sizeof name - 1));
    d.type_oid = t.oid;
    d.typmod = t.typmod;
    const TypeInfo* info = LookupType(t.oid);
    d.typlen = info != nullptr ? info->typlen : -1;
    d.column_number = 0;
    p->columns.push_back(std::move(d));
    p->types.push_back(t);
  }
  SQLSMALLINT nparams = 0;
  if (Succeeded(SQLNumParams(p->stmt.get(), &nparams))) {
    for (SQLUSMALLINT i = 1; i <= static_cast<SQLUSMALLINT>(std::max<SQLSMALLINT>(nparams, 0));
         ++i) {
      SQLSMALLINT sql_type = 0, digits = 0, nullable = 0;
      SQLULEN size = 0;
      Oid type = 0;
      if (Succeeded(SQLDescribeParam(p->stmt.get(), i, &sql_type, &size, &digits, &nullable)) &&
          sql_type != SQL_CHAR && sql_type != SQL_VARCHAR && sql_type != SQL_WCHAR &&
          sql_type != SQL_WVARCHAR && sql_type != SQL_UNKNOWN_TYPE) {
        type = MapResultColumn(sql_type, size, digits, "", dialect_).oid;
      }
      p->marker_types.push_back(type);
    }
  }
  return p;
}

Result<PreparedHandle*> OdbcConnection::Prepare(const std::string& sql, uint64_t generation,
                                                std::unique_ptr<PreparedHandle>* owned) {
  if (generation != generation_) {
    // Prepared statements may describe columns that DDL has changed since: start over, keeping
    // the ones open cursors still use alive until their cursors are done.
    for (auto it = lru_.begin(); it != lru_.end();) {
      if (it->second->busy) {
        ++it;
        continue;
      }
      cache_.erase(it->first);
      it = lru_.erase(it);
    }
    generation_ = generation;
  }
  if (auto it = cache_.find(sql); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    PreparedHandle* p = it->second->second.get();
    if (!p->busy) return p;
    PGW_TRY(*owned, PrepareNew(sql));
    return owned->get();
  }
  PGW_TRY(std::unique_ptr<PreparedHandle> p, PrepareNew(sql));
  lru_.emplace_front(sql, std::move(p));
  cache_.emplace(lru_.front().first, lru_.begin());
  while (lru_.size() > kMaxCachedStatements) {
    auto last = std::prev(lru_.end());
    if (last->second->busy) break;
    cache_.erase(last->first);
    lru_.erase(last);
  }
  return lru_.front().second.get();
}

}  // namespace pgw::odbc
