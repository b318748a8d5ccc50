// Handle allocation, release and diagnostic records.
#include "backend/odbc/odbc_handles.h"

#include "common/sqlstate.h"

namespace pgw::odbc {

std::vector<DiagRecord> ReadDiagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::vector<DiagRecord> out;
  if (handle == SQL_NULL_HANDLE) return out;
  for (SQLSMALLINT i = 1; i <= kMaxDiagRecords; ++i) {
    SQLCHAR state[6] = {0};
    SQLINTEGER native = 0;
    SQLCHAR text[1024] = {0};
    SQLSMALLINT len = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, i, state, &native, text, sizeof text, &len);
    if (rc == SQL_NO_DATA || !Succeeded(rc)) break;
    DiagRecord r;
    r.sqlstate.assign(reinterpret_cast<char*>(state));
    r.native = native;
    size_t n =
        std::min<size_t>(static_cast<size_t>(std::max<SQLSMALLINT>(len, 0)), sizeof text - 1);
    r.message.assign(reinterpret_cast<char*>(text), n);
    out.push_back(std::move(r));
  }
  return out;
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    Reset();
    type_ = o.type_;
    h_ = o.h_;
    connected_ = o.connected_;
    o.h_ = SQL_NULL_HANDLE;
    o.connected_ = false;
  }
  return *this;
}

void Handle::Reset() {
  if (h_ == SQL_NULL_HANDLE) return;
  if (type_ == SQL_HANDLE_DBC && connected_) SQLDisconnect(h_);
  SQLFreeHandle(type_, h_);
  h_ = SQL_NULL_HANDLE;
  connected_ = false;
}

Result<Handle> Handle::Allocate(SQLSMALLINT type, SQLHANDLE parent) {
  SQLHANDLE h = SQL_NULL_HANDLE;
  SQLRETURN rc = SQLAllocHandle(type, parent, &h);
  if (!Succeeded(rc) || h == SQL_NULL_HANDLE) {
    std::string why;
    if (parent != SQL_NULL_HANDLE) {
      SQLSMALLINT parent_type = type == SQL_HANDLE_STMT ? SQL_HANDLE_DBC : SQL_HANDLE_ENV;
      for (const DiagRecord& d : ReadDiagnostics(parent_type, parent)) why += ": " + d.message;
    }
    return Status::Error(sqlstate::kOutOfMemory, "could not allocate an ODBC handle" + why);
  }
  Handle out(type, h);
  if (type == SQL_HANDLE_ENV) {
    rc = SQLSetEnvAttr(h, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    if (!Succeeded(rc)) {
      return Status::Error(sqlstate::kInternalError, "the ODBC driver manager refused ODBC 3");
    }
  }
  return out;
}

Result<std::shared_ptr<Environment>> Environment::Create() {
  auto env = std::make_shared<Environment>();
  PGW_TRY(env->env_, Handle::Allocate(SQL_HANDLE_ENV, SQL_NULL_HANDLE));
  return env;
}

}  // namespace pgw::odbc
