// ParseTree: libpg_query's protobuf parse tree, owned, plus the mapping of parser errors to
// PostgreSQL's SQLSTATEs and cursor positions.
#include "sql/parser.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <string>

#include "common/sqlstate.h"

namespace pgw {
namespace {

// The parser reports a few errors with their own SQLSTATE; everything else it raises is a
// syntax error in PostgreSQL too (scan.l / gram.y use ERRCODE_SYNTAX_ERROR).
std::string_view ParserErrorSqlstate(std::string_view message) {
  if (message.starts_with("stack depth limit exceeded")) return sqlstate::kStatementTooComplex;
  if (message.starts_with("invalid Unicode") || message.starts_with("invalid unicode")) {
    return sqlstate::kSyntaxError;
  }
  return sqlstate::kSyntaxError;
}

}  // namespace

ParseTree::~ParseTree() {
  if (root_ != nullptr) pg_query__parse_result__free_unpacked(root_, nullptr);
}

Result<std::unique_ptr<ParseTree>> ParseTree::Parse(std::string_view sql) {
  // libpg_query needs a NUL-terminated string; an embedded NUL ends the text as in PostgreSQL
  // (which rejects it at the protocol layer before it gets here).
  std::string text(sql);
  PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text.c_str());
  if (parsed.error != nullptr) {
    std::string message = parsed.error->message != nullptr ? parsed.error->message : "syntax error";
    int cursor = parsed.error->cursorpos;
    pg_query_free_protobuf_parse_result(parsed);
    Status st = Status::Error(ParserErrorSqlstate(message), std::move(message));
    if (st.sqlstate() == sqlstate::kStatementTooComplex) {
      return std::move(st).WithHint(
          "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after "
          "ensuring the platform's stack depth limit is adequate.");
    }
    if (cursor > 0) return std::move(st).WithPosition(cursor);
    return st;
  }
  PgQuery__ParseResult* root = pg_query__parse_result__unpack(
      nullptr, parsed.parse_tree.len, reinterpret_cast<const uint8_t*>(parsed.parse_tree.data));
  pg_query_free_protobuf_parse_result(parsed);
  if (root == nullptr) {
    return Status::Error(sqlstate::kInternalError, "could not decode the parse tree");
  }
  return std::unique_ptr<ParseTree>(new ParseTree(root));
}

}  // namespace pgw
