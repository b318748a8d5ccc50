// ParseTree: the only wrapper around libpg_query (and the only code that includes pg_query.h
// besides the translator's node visitors). Parses PostgreSQL SQL into the protobuf tree and
// owns it. Syntax errors become 42601 with the 1-based cursor position PostgreSQL reports.
// Thread-safe (libpg_query keeps per-thread memory contexts).
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"

struct PgQuery__ParseResult;

namespace pgw {

class ParseTree {
 public:
  ~ParseTree();
  ParseTree(const ParseTree&) = delete;
  ParseTree& operator=(const ParseTree&) = delete;

  [[nodiscard]] static Result<std::unique_ptr<ParseTree>> Parse(std::string_view sql);

  const PgQuery__ParseResult& root() const { return *root_; }

 private:
  explicit ParseTree(PgQuery__ParseResult* root) : root_(root) {}
  PgQuery__ParseResult* root_;
};

}  // namespace pgw
