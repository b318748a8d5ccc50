// Backend URI and ODBC connection-string parsing.
#include "backend/odbc/odbc_target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Status Malformed(std::string_view what) {
  return Status::Error(sqlstate::kInvalidParameterValue, std::string(what));
}

// RFC 3986 percent-decoding of one URI component.
Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    int v = 0;
    if (i + 2 >= s.size()) {
      return Malformed("invalid percent-encoding in iris:// URI");
    }
    auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc() || p != s.data() + i + 3) {
      return Malformed("invalid percent-encoding in iris:// URI");
    }
    out.push_back(static_cast<char>(v));
    i += 2;
  }
  return out;
}

bool IsPasswordKey(std::string_view key) {
  return EqualsNoCase(key, "PWD") || EqualsNoCase(key, "Password");
}

Result<OdbcTarget> ParseIris(std::string_view rest, std::string_view driver) {
  // user:password@host[:port]/NAMESPACE[?k=v&...]
  size_t at =
      rest.rfind('@', rest.find('/') == std::string_view::npos ? rest.size() : rest.find('/'));
  if (at == std::string_view::npos) {
    return Malformed("iris:// URI needs user:password@host/NAMESPACE");
  }
  std::string_view userinfo = rest.substr(0, at);
  std::string_view hostpart = rest.substr(at + 1);
  size_t colon = userinfo.find(':');
  PGW_TRY(std::string user, PercentDecode(userinfo.substr(0, colon)));
  std::string password;
  if (colon != std::string_view::npos) {
    PGW_TRY(password, PercentDecode(userinfo.substr(colon + 1)));
  }
  std::string_view query;
  if (size_t q = hostpart.find('?'); q != std::string_view::npos) {
    query = hostpart.substr(q + 1);
    hostpart = hostpart.substr(0, q);
  }
  size_t slash = hostpart.find('/');
  if (slash == std::string_view::npos || slash + 1 == hostpart.size()) {
    return Malformed("iris:// URI needs a namespace: iris://user:password@host:1972/NAMESPACE");
  }
  PGW_TRY(std::string ns, PercentDecode(hostpart.substr(slash + 1)));
  std::string_view hostport = hostpart.substr(0, slash);
  std::string host;
  std::string_view port_text;
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos)
      return Malformed("unterminated [IPv6] host in iris:// URI");
    host.assign(hostport.substr(1, close - 1));
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return Malformed("unexpected text after ] in iris:// URI");
      port_text = hostport.substr(close + 2);
    }
  } else {
    size_t c = hostport.rfind(':');
    host.assign(hostport.substr(0, c));
    if (c != std::string_view::npos) port_text = hostport.substr(c + 1);
  }
  if (host.empty()) return Malformed("iris:// URI needs a host");
  int port = kDefaultIrisPort;
  if (!port_text.empty()) {
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port <= 0 ||
        port > 65535) {
      return Malformed("invalid port \"" + std::string(port_text) + "\" in iris:// URI");
    }
  }
  Attributes attrs = {{"DRIVER", std::string(driver)},
                      {"HOST", host},
                      {"PORT", std::to_string(port)},
                      {"NAMESPACE", ns},
                      {"UID", user},
                      {"PWD", password}};
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (kv.empty()) continue;
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Malformed("iris:// URI parameter \"" + std::string(kv) + "\" needs key=value");
    }
    PGW_TRY(std::string key, PercentDecode(kv.substr(0, eq)));
    PGW_TRY(std::string value, PercentDecode(kv.substr(eq + 1)));
    attrs.emplace_back(std::move(key), std::move(value));
  }
  OdbcTarget t;
  t.connection_string = FormatConnectionString(attrs);
  t.dialect = Dialect::kIris;
  return t;
}

}  // namespace

Result<Attributes> ParseConnectionString(std::string_view conn) {
  Attributes out;
  size_t i = 0;
  while (i < conn.size()) {
    if (conn[i] == ';' || std::isspace(static_cast<unsigned char>(conn[i]))) {
      ++i;
      continue;
    }
    size_t eq = conn.find('=', i);
    if (eq == std::string_view::npos) {
      return Malformed("ODBC connection string attribute \"" + Trim(conn.substr(i)) +
                       "\" needs KEY=value");
    }
    std::string key = Trim(conn.substr(i, eq - i));
    if (key.empty()) return Malformed("empty key in ODBC connection string");
    i = eq + 1;
    while (i < conn.size() && conn[i] == ' ') ++i;
    std::string value;
    if (i < conn.size() && conn[i] == '{') {
      ++i;
      bool closed = false;
      while (i < conn.size()) {
        if (conn[i] == '}') {
          if (i + 1 < conn.size() && conn[i + 1] == '}') {
            value.push_back('}');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        value.push_back(conn[i++]);
      }
      if (!closed) return Malformed("unterminated {value} in ODBC connection string");
      while (i < conn.size() && conn[i] != ';') {
        if (!std::isspace(static_cast<unsigned char>(conn[i]))) {
          return Malformed("unexpected text after }value in ODBC connection string");
        }
        ++i;
      }
    } else {
      size_t end = conn.find(';', i);
      if (end == std::string_view::npos) end = conn.size();
      value = Trim(conn.substr(i, end - i));
      i = end;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::string FormatConnectionString(const Attributes& attrs) {
  std::string out;
  for (const auto& [key, value] : attrs) {
    if (!out.empty()) out.push_back(';');
    out.append(key).push_back('=');
    bool brace = value.find_first_of(";{}") != std::string::npos ||
                 (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!brace) {
      out.append(value);
      continue;
    }
    out.push_back('{');
    for (char c : value) {
      out.push_back(c);
      if (c == '}') out.push_back('}');
    }
    out.push_back('}');
  }
  return out;
}

Result<std::string> WithAttribute(std::string_view conn, std::string_view key,
                                  std::string_view value) {
  PGW_TRY(Attributes attrs, ParseConnectionString(conn));
  bool found = false;
  for (auto& [k, v] : attrs) {
    if (EqualsNoCase(k, key)) {
      v.assign(value);
      found = true;
    }
  }
  if (!found) attrs.emplace_back(std::string(key), std::string(value));
  return FormatConnectionString(attrs);
}

std::string MaskPasswords(std::string_view conn) {
  Result<Attributes> attrs = ParseConnectionString(conn);
  if (!attrs.ok()) return "<unparsable connection string>";
  for (auto& [k, v] : *attrs) {
    if (IsPasswordKey(k)) v = "***";
  }
  return FormatConnectionString(*attrs);
}

Result<OdbcTarget> ParseOdbcTarget(std::string_view uri, std::string_view iris_driver) {
  if (uri.rfind("iris://", 0) == 0) return ParseIris(uri.substr(7), iris_driver);
  if (uri.rfind("odbc:", 0) != 0) {
    return Malformed("ODBC backend URI must start with odbc: or iris://");
  }
  std::string_view conn = uri.substr(5);
  PGW_TRY(Attributes attrs, ParseConnectionString(conn));
  bool has_target = std::any_of(attrs.begin(), attrs.end(), [](const auto& kv) {
    return EqualsNoCase(kv.first, "DSN") || EqualsNoCase(kv.first, "DRIVER") ||
           EqualsNoCase(kv.first, "FILEDSN");
  });
  if (!has_target) {
    return Malformed("ODBC connection string needs DSN=... or DRIVER=...");
  }
  OdbcTarget t;
  t.connection_string.assign(conn);
  return t;
}

Result<Dialect> ParseDialectName(std::string_view name) {
  if (name == "iris") return Dialect::kIris;
  if (name == "postgres" || name == "postgresql") return Dialect::kPostgres;
  if (name == "sqlite") return Dialect::kSqlite;
  return Malformed("invalid dialect \"" + std::string(name) +
                   "\": expected iris, postgres or sqlite");
}

std::optional<Dialect> DialectFromDbmsName(std::string_view dbms) {
  std::string lower;
  for (char c : dbms)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.find("postgres") != std::string::npos) return Dialect::kPostgres;
  if (lower.find("sqlite") != std::string::npos) return Dialect::kSqlite;
  if (lower.find("iris") != std::string::npos || lower.find("intersystems") != std::string::npos ||
      lower.find("cache") != std::string::npos) {
    return Dialect::kIris;
  }
  return std::nullopt;
}

}  // namespace pgw::odbc
