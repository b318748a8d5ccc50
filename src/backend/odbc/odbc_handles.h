// RAII owners of ODBC handles (environment, connection, statement) and the reading of their
// diagnostic records. A Handle frees its SQLHANDLE when destroyed; a connection Handle also
// disconnects first. Handles are move-only values; an ODBC handle is used by one thread at a
// time, except SQLCancel on a statement handle, which the ODBC specification allows from any
// thread while the statement runs.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pgw::odbc {

// One diagnostic record (SQLGetDiagRec).
struct DiagRecord {
  std::string sqlstate;   // five characters, ODBC's (or the driver's) SQLSTATE
  SQLINTEGER native = 0;  // driver/target specific error code
  std::string message;
};

// At most kMaxDiagRecords records of `handle`.
inline constexpr int kMaxDiagRecords = 8;
std::vector<DiagRecord> ReadDiagnostics(SQLSMALLINT type, SQLHANDLE handle);

class Handle {
 public:
  Handle() = default;
  Handle(SQLSMALLINT type, SQLHANDLE h) : type_(type), h_(h) {}
  ~Handle() { Reset(); }
  Handle(Handle&& o) noexcept : type_(o.type_), h_(o.h_), connected_(o.connected_) {
    o.h_ = SQL_NULL_HANDLE;
    o.connected_ = false;
  }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // Allocates a handle of `type` under `parent` (SQL_NULL_HANDLE for an environment). An
  // environment is set to ODBC 3 behaviour.
  [[nodiscard]] static Result<Handle> Allocate(SQLSMALLINT type, SQLHANDLE parent);

  SQLHANDLE get() const { return h_; }
  SQLSMALLINT type() const { return type_; }
  explicit operator bool() const { return h_ != SQL_NULL_HANDLE; }
  // A connection handle that SQLDriverConnect succeeded on: disconnected before it is freed.
  void set_connected() { connected_ = true; }
  std::vector<DiagRecord> Diagnostics() const { return ReadDiagnostics(type_, h_); }
  void Reset();

 private:
  SQLSMALLINT type_ = SQL_HANDLE_ENV;
  SQLHANDLE h_ = SQL_NULL_HANDLE;
  bool connected_ = false;
};

// The process's ODBC environment, shared by every connection of a backend.
class Environment {
 public:
  [[nodiscard]] static Result<std::shared_ptr<Environment>> Create();
  SQLHENV get() const { return env_.get(); }

 private:
  Handle env_;
};

inline bool Succeeded(SQLRETURN rc) { return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO; }

}  // namespace pgw::odbc
