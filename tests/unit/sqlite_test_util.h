// Helpers for the SQLite backend tests: statements in the translator's SQLite dialect built by
// hand, and a RowSink that renders rows as text ("NULL", "42", "1.5", "abc").
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/sqlite/sqlite_backend.h"
#include "iris_pgwire/backend.h"
#include "sql/translator.h"

namespace pgw::testing {

using Rows = std::vector<std::vector<std::string>>;

inline TranslatedStatement Stmt(StatementKind kind, std::string sql,
                                std::vector<ResultColumnHint> hints = {}) {
  TranslatedStatement t;
  t.kind = kind;
  t.sql = std::move(sql);
  t.result_hints = std::move(hints);
  t.returns_rows = kind == StatementKind::kQuery || !t.result_hints.empty();
  return t;
}

inline std::string Render(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return "NULL";
    case Value::Kind::kInt:
      return std::to_string(v.i);
    case Value::Kind::kFloat: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%g", v.f);
      return buf;
    }
    case Value::Kind::kText:
      return std::string(v.s);
    case Value::Kind::kBlob: {
      std::string out = "\\x";
      char buf[4];
      for (unsigned char c : v.s) {
        std::snprintf(buf, sizeof(buf), "%02x", c);
        out += buf;
      }
      return out;
    }
  }
  return "?";
}

class CollectSink : public RowSink {
 public:
  explicit CollectSink(size_t stop_after = 0) : stop_after_(stop_after) {}
  bool OnRow(std::span<const Value> row) override {
    std::vector<std::string> r;
    for (const Value& v : row) r.push_back(Render(v));
    rows.push_back(std::move(r));
    return stop_after_ == 0 || rows.size() % stop_after_ != 0;
  }
  Rows rows;

 private:
  size_t stop_after_;
};

// Prepares, opens and fetches everything.
inline Result<Rows> Query(BackendSession& s, const std::string& sql, std::vector<Value> params = {},
                          StatementKind kind = StatementKind::kQuery) {
  PGW_TRY(auto stmt, s.Prepare(Stmt(kind, sql)));
  PGW_TRY(auto cursor, s.Open(*stmt, params));
  CollectSink sink;
  for (int guard = 0; guard < 1000000; ++guard) {
    PGW_TRY(FetchResult r, cursor->Fetch(0, sink));
    if (r.done) break;
  }
  return sink.rows;
}

// Runs a statement that returns no rows; returns rows_affected.
inline Result<uint64_t> Exec(BackendSession& s, const std::string& sql,
                             StatementKind kind = StatementKind::kDdl,
                             std::vector<Value> params = {}) {
  PGW_TRY(auto stmt, s.Prepare(Stmt(kind, sql)));
  PGW_TRY(auto cursor, s.Open(*stmt, params));
  CollectSink sink;
  for (int guard = 0; guard < 1000000; ++guard) {
    PGW_TRY(FetchResult r, cursor->Fetch(0, sink));
    if (r.done) break;
  }
  return cursor->rows_affected();
}

// The single value of a one-row, one-column query; the error's "SQLSTATE: message" otherwise.
inline std::string One(BackendSession& s, const std::string& sql, std::vector<Value> params = {}) {
  auto r = Query(s, sql, std::move(params));
  if (!r.ok()) return std::string(r.status().sqlstate()) + ": " + std::string(r.status().message());
  if (r->size() != 1 || (*r)[0].size() != 1) return "<shape>";
  return (*r)[0][0];
}

inline std::unique_ptr<Backend> OpenBackend(const std::string& path = ":memory:",
                                            int busy_timeout_ms = 10000) {
  SqliteOptions options;
  options.path = path;
  options.busy_timeout_ms = busy_timeout_ms;
  auto r = OpenSqliteBackend(options);
  if (!r.ok()) return nullptr;
  return std::move(r).value();
}

inline std::unique_ptr<BackendSession> Connect(Backend& b, const std::string& user = "alice",
                                               const std::string& db = "appdb") {
  SessionParams p;
  p.user = user;
  p.database = db;
  p.backend_pid = 4242;
  auto r = b.Connect(p);
  if (!r.ok()) return nullptr;
  return std::move(r).value();
}

// A fresh temporary database path (removed, with -wal/-shm, by the destructor).
class TempDbPath {
 public:
  TempDbPath() {
    char tmpl[] = "/tmp/pgw-sqlite-test-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0) close(fd);
    path_ = tmpl;
    Remove();
  }
  ~TempDbPath() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::remove((path_ + suffix).c_str());
    }
  }
  std::string path_;
};

}  // namespace pgw::testing
