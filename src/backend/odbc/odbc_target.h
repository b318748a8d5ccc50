// Where the ODBC backend connects: the `--backend` URI parsed into an ODBC connection string,
// plus the dialect the URI implies. Accepted forms:
//   odbc:DSN=name;UID=u;PWD=p            a data source from odbc.ini
//   odbc:DRIVER=/path/or/name;KEY=v;...  DSN-less, any driver
//   iris://user:password@host[:port]/NAMESPACE[?Key=Value&...]
//        shorthand for the InterSystems IRIS ODBC driver (port 1972 by default), expanded to
//        DRIVER={<iris_driver>};HOST=..;PORT=..;NAMESPACE=..;UID=..;PWD=.. (key names from
//        https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=BNETODBC_unixodbc
//        and ...?KEY=BNETODBC_parms); query parameters are appended as further attributes.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "iris_pgwire/backend.h"

namespace pgw::odbc {

inline constexpr char kDefaultIrisDriver[] = "InterSystems IRIS ODBC35";
inline constexpr int kDefaultIrisPort = 1972;

struct OdbcTarget {
  std::string connection_string;   // for SQLDriverConnect
  std::optional<Dialect> dialect;  // implied by the URI (iris:// -> kIris)
};

// Parses `uri` (with its "odbc:" or "iris://" prefix). 22023 on malformed input.
[[nodiscard]] Result<OdbcTarget> ParseOdbcTarget(std::string_view uri,
                                                 std::string_view iris_driver = kDefaultIrisDriver);

// Key/value attributes of an ODBC connection string (braced values unescaped), in order.
using Attributes = std::vector<std::pair<std::string, std::string>>;
[[nodiscard]] Result<Attributes> ParseConnectionString(std::string_view conn);
// Serializes attributes, bracing values that need it ({a;b} with '}' doubled).
std::string FormatConnectionString(const Attributes& attrs);
// `conn` with `key` set to `value` (replacing an existing key, case-insensitively).
[[nodiscard]] Result<std::string> WithAttribute(std::string_view conn, std::string_view key,
                                                std::string_view value);
// `conn` with the values of PWD/Password attributes replaced by "***" (for logs).
std::string MaskPasswords(std::string_view conn);

// "iris" | "postgres" | "sqlite" (22023 otherwise).
[[nodiscard]] Result<Dialect> ParseDialectName(std::string_view name);
// The dialect of a target from SQLGetInfo(SQL_DBMS_NAME), if recognized.
std::optional<Dialect> DialectFromDbmsName(std::string_view dbms_name);

}  // namespace pgw::odbc
