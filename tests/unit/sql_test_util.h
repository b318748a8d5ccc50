// Shared helpers for the sql_* translator tests: a fixed in-memory SchemaLookup and
// one-statement translation shortcuts.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sql/translator.h"

namespace pgw::testing {

class FakeSchema : public SchemaLookup {
 public:
  FakeSchema() {
    Add("pgbench_accounts", {{"aid", oid::kInt4},
                             {"bid", oid::kInt4},
                             {"abalance", oid::kInt4},
                             {"filler", oid::kBpchar}});
    Add("pgbench_branches",
        {{"bid", oid::kInt4}, {"bbalance", oid::kInt4}, {"filler", oid::kBpchar}});
    Add("pgbench_tellers", {{"tid", oid::kInt4},
                            {"bid", oid::kInt4},
                            {"tbalance", oid::kInt4},
                            {"filler", oid::kBpchar}});
    Add("pgbench_history", {{"tid", oid::kInt4},
                            {"bid", oid::kInt4},
                            {"aid", oid::kInt4},
                            {"delta", oid::kInt4},
                            {"mtime", oid::kTimestamp},
                            {"filler", oid::kBpchar}});
    Add("users", {{"id", oid::kInt8},
                  {"name", oid::kText},
                  {"age", oid::kInt4},
                  {"active", oid::kBool},
                  {"score", oid::kNumeric},
                  {"created", oid::kTimestamptz}});
    Add("orders", {{"id", oid::kInt4},
                   {"user_id", oid::kInt8},
                   {"amount", oid::kNumeric},
                   {"note", oid::kVarchar}});
  }
  std::optional<ColumnTypeInfo> ColumnType(std::string_view table,
                                           std::string_view column) const override {
    auto t = tables_.find(std::string(table));
    if (t == tables_.end()) return std::nullopt;
    for (const auto& [name, type] : t->second) {
      if (name == column) return ColumnTypeInfo{type, -1};
    }
    return std::nullopt;
  }
  std::vector<std::string> TableColumns(std::string_view table) const override {
    std::vector<std::string> cols;
    auto t = tables_.find(std::string(table));
    if (t == tables_.end()) return cols;
    for (const auto& [name, type] : t->second) cols.push_back(name);
    return cols;
  }

 private:
  void Add(std::string name, std::vector<std::pair<std::string, Oid>> cols) {
    tables_[std::move(name)] = std::move(cols);
  }
  std::map<std::string, std::vector<std::pair<std::string, Oid>>> tables_;
};

inline const FakeSchema& Schema() {
  static const FakeSchema schema;
  return schema;
}

// Translates `sql`, which must hold exactly one statement, with the fake schema.
inline TranslatedStatement One(std::string_view sql, bool with_schema = true,
                               bool parameterize = false) {
  TranslateOptions opts;
  opts.schema = with_schema ? &Schema() : nullptr;
  opts.parameterize_literals = parameterize;
  auto r = Translate(sql, opts);
  EXPECT_TRUE(r.ok()) << sql << " -> " << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_EQ(r->size(), 1u) << sql;
  if (r->empty()) return {};
  return std::move((*r)[0]);
}

inline std::string Sql(std::string_view sql, bool with_schema = true) {
  return One(sql, with_schema).sql;
}

// The error of translating `sql` (OK status if it translated).
inline Status Error(std::string_view sql, bool with_schema = true) {
  TranslateOptions opts;
  opts.schema = with_schema ? &Schema() : nullptr;
  auto r = Translate(sql, opts);
  return r.status();
}

struct Case {
  const char* pg;
  const char* sqlite;
};

}  // namespace pgw::testing
