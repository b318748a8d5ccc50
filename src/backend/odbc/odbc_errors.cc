// ODBC diagnostics -> PostgreSQL SQLSTATEs (see odbc_errors.h).
#include "backend/odbc/odbc_errors.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

struct StateMapping {
  std::string_view odbc;
  std::string_view pg;
};

// ODBC 3 SQLSTATEs (Appendix A of the ODBC reference) whose PostgreSQL counterpart differs.
constexpr std::array kOdbcStates = {
    StateMapping{"07002", "08P01"},  // COUNT field incorrect (parameter count)
    StateMapping{"21S01", "42601"},  // insert value list does not match column list
    StateMapping{"21S02", "42601"},  // degree of derived table does not match column list
    StateMapping{"22018", "22P02"},  // invalid character value for cast specification
    StateMapping{"22019", "22025"},  // invalid escape character
    StateMapping{"22025", "22025"},  // invalid escape sequence
    StateMapping{"24000", "34000"},  // invalid cursor state
    StateMapping{"28000", "28000"},  // invalid authorization specification
    StateMapping{"3B001", "3B001"},  // savepoint exception
    StateMapping{"3B002", "3B001"}, StateMapping{"40001", "40001"},  // serialization failure
    StateMapping{"40003", "08006"},                                  // statement completion unknown
    StateMapping{"42000", "42601"},  // syntax error or access violation
    StateMapping{"42S01", "42P07"},  // base table or view already exists
    StateMapping{"42S02", "42P01"},  // base table or view not found
    StateMapping{"42S11", "42P07"},  // index already exists
    StateMapping{"42S12", "42704"},  // index not found
    StateMapping{"42S21", "42701"},  // column already exists
    StateMapping{"42S22", "42703"},  // column not found
    StateMapping{"HY008", "57014"},  // operation canceled
    StateMapping{"HYC00", "0A000"},  // optional feature not implemented
    StateMapping{"HYT00", "57014"},  // timeout expired
    StateMapping{"IM001", "0A000"},  // driver does not support this function
};

// IRIS SQLCODEs (as the positive native error ODBC reports) with a PostgreSQL counterpart;
// https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=RERR_sql
struct NativeMapping {
  int code;
  std::string_view pg;
};
constexpr std::array kIrisCodes = {
    NativeMapping{1, "42601"},    // invalid SQL statement
    NativeMapping{12, "42601"},   // a term expected
    NativeMapping{25, "42601"},   // input encountered after end of query
    NativeMapping{29, "42703"},   // field not found in the applicable tables
    NativeMapping{30, "42P01"},   // table or view not found
    NativeMapping{104, "22P02"},  // field validation failed in INSERT
    NativeMapping{105, "22P02"},  // field validation failed in UPDATE
    NativeMapping{108, "23502"},  // required field missing
    NativeMapping{110, "55P03"},  // locking conflict in filing
    NativeMapping{112, "42501"},  // access violation
    NativeMapping{114, "55P03"},  // one or more matching rows is locked by another user
    NativeMapping{119, "23505"},  // UNIQUE or PRIMARY KEY constraint failed on INSERT
    NativeMapping{120, "23505"},  // ... on UPDATE
    NativeMapping{121, "23503"},  // FOREIGN KEY constraint failed on INSERT
    NativeMapping{122, "23503"}, NativeMapping{123, "23503"},
    NativeMapping{124, "23503"},  // ... on DELETE of a referenced row
    NativeMapping{201, "42P07"},  // table or view name not unique
    NativeMapping{306, "42701"},  // column with this name already exists
    NativeMapping{324, "42P07"},  // index with this name already defined
    NativeMapping{333, "42704"},  // no such index defined
    NativeMapping{359, "42883"},  // SQL function not found
};

// SQLite messages as sqliteodbc reports them (HY000 + message).
constexpr std::array kSqliteMessages = {
    StateMapping{"no such table", "42P01"},
    StateMapping{"no such column", "42703"},
    StateMapping{"no such function", "42883"},
    StateMapping{"already exists", "42P07"},
    StateMapping{"UNIQUE constraint failed", "23505"},
    StateMapping{"NOT NULL constraint failed", "23502"},
    StateMapping{"FOREIGN KEY constraint failed", "23503"},
    StateMapping{"CHECK constraint failed", "23514"},
    StateMapping{"syntax error", "42601"},
    StateMapping{"database is locked", "55P03"},
    StateMapping{"interrupted", "57014"},
};

// Driver messages that mean the connection is gone, whatever SQLSTATE came with them.
constexpr std::array<std::string_view, 7> kLostConnectionMessages = {
    "server closed the connection",
    "no connection to the server",
    "could not send",
    "connection is dead",
    "terminating connection",
    "communication link failure",
    "connection reset",
};

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

bool IsPgSqlstate(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z');
         });
}

// "[unixODBC][Driver]ERROR: relation "t" does not exist;\nError while executing the query"
// -> `relation "t" does not exist`.
std::string CleanMessage(std::string_view m) {
  while (!m.empty() && m.front() == '[') {
    size_t close = m.find(']');
    if (close == std::string_view::npos) break;
    m.remove_prefix(close + 1);
  }
  for (std::string_view prefix : {"ERROR:", "FATAL:"}) {
    if (m.rfind(prefix, 0) == 0) {
      m.remove_prefix(prefix.size());
      break;
    }
  }
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.front()))) m.remove_prefix(1);
  if (size_t tail = m.find(";\nError while"); tail != std::string_view::npos) m = m.substr(0, tail);
  if (size_t nl = m.find('\n'); nl != std::string_view::npos) m = m.substr(0, nl);
  while (!m.empty() && (std::isspace(static_cast<unsigned char>(m.back())) || m.back() == ';')) {
    m.remove_suffix(1);
  }
  return std::string(m);
}

std::string_view FromOdbcState(std::string_view odbc) {
  for (const StateMapping& s : kOdbcStates) {
    if (s.odbc == odbc) return s.pg;
  }
  if (odbc.rfind("08", 0) == 0) return sqlstate::kConnectionFailure;
  if (odbc.rfind("22", 0) == 0 || odbc.rfind("23", 0) == 0 || odbc.rfind("25", 0) == 0 ||
      odbc.rfind("40", 0) == 0 || odbc.rfind("0A", 0) == 0) {
    return odbc;  // data exception, integrity, transaction state: same codes in both
  }
  return sqlstate::kInternalError;
}

std::string_view MapOne(const DiagRecord& d, Dialect dialect) {
  switch (dialect) {
    case Dialect::kPostgres:
      // psqlODBC passes the server's SQLSTATE through for errors the server raised.
      if (IsPgSqlstate(d.sqlstate) && d.sqlstate.rfind("HY", 0) != 0 &&
          d.sqlstate.rfind("IM", 0) != 0 && d.sqlstate.rfind("01", 0) != 0) {
        return d.sqlstate;
      }
      break;
    case Dialect::kIris: {
      int code = d.native < 0 ? -d.native : d.native;
      for (const NativeMapping& n : kIrisCodes) {
        if (n.code == code) return n.pg;
      }
      break;
    }
    case Dialect::kSqlite:
      for (const StateMapping& s : kSqliteMessages) {
        if (ContainsNoCase(d.message, s.odbc)) return s.pg;
      }
      break;
  }
  return FromOdbcState(d.sqlstate);
}

}  // namespace

bool IsConnectionLost(std::span<const DiagRecord> diags) {
  for (const DiagRecord& d : diags) {
    if (d.sqlstate.rfind("08", 0) == 0 || d.sqlstate == "57P01" || d.sqlstate == "57P02" ||
        d.sqlstate == "57P03" || d.sqlstate == "40003") {
      return true;
    }
    for (std::string_view m : kLostConnectionMessages) {
      if (ContainsNoCase(d.message, m)) return true;
    }
  }
  return false;
}

Status MapOdbcDiagnostics(std::span<const DiagRecord> diags, Dialect dialect,
                          std::string_view what) {
  // The first record that is not a warning carries the error.
  const DiagRecord* first = nullptr;
  for (const DiagRecord& d : diags) {
    if (d.sqlstate.rfind("01", 0) != 0) {
      first = &d;
      break;
    }
  }
  if (first == nullptr && !diags.empty()) first = &diags.front();
  if (first == nullptr) {
    return Status::Error(sqlstate::kInternalError, std::string("the ODBC driver failed to ") +
                                                       std::string(what) +
                                                       " without a diagnostic record");
  }
  std::string message = CleanMessage(first->message);
  if (message.empty()) message = "ODBC error while trying to " + std::string(what);
  std::string detail = "ODBC SQLSTATE " + first->sqlstate;
  if (first->native != 0) detail += ", native error " + std::to_string(first->native);
  if (IsConnectionLost(diags)) {
    return Status::Error(sqlstate::kConnectionFailure,
                         "connection to the target database was lost: " + message)
        .WithDetail(std::move(detail));
  }
  std::string_view state = MapOne(*first, dialect);
  // A SQLSTATE the target chose itself needs no explanation; a mapped one names its origin.
  if (state == first->sqlstate) return Status::Error(state, std::move(message));
  return Status::Error(state, std::move(message)).WithDetail(std::move(detail));
}

}  // namespace pgw::odbc
