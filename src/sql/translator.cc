// Translate(): parses the input once and transforms each statement with the dialect chosen
// by the options.
#include "sql/translator.h"

#include <fmt/format.h>
#include <pg_query/pg_query.pb-c.h>

#include "common/sqlstate.h"
#include "sql/parser.h"
#include "sql/sql_dialect.h"
#include "sql/transformer.h"

namespace pgw {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

Result<std::vector<TranslatedStatement>> Translate(std::string_view pg_sql,
                                                   const TranslateOptions& opts) {
  const sql::SqlDialect* dialect = sql::DialectFor(opts.dialect);
  if (dialect == nullptr) {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "the translator has no SQL dialect for this backend yet");
  }
  PGW_TRY(std::unique_ptr<ParseTree> tree, ParseTree::Parse(pg_sql));
  const PgQuery__ParseResult& root = tree->root();
  std::vector<TranslatedStatement> result;
  if (root.n_stmts == 0) {
    TranslatedStatement empty;
    empty.kind = StatementKind::kEmpty;
    empty.stmt_len = static_cast<int>(pg_sql.size());
    result.push_back(std::move(empty));
    return result;
  }
  result.reserve(root.n_stmts);
  for (size_t i = 0; i < root.n_stmts; ++i) {
    const PgQuery__RawStmt* raw = root.stmts[i];
    TranslatedStatement st;
    // stmt_len 0 means "to the end of the input". Leading white space (after the previous
    // ';') is not part of the statement.
    int location = raw->stmt_location;
    int end = raw->stmt_len != 0 ? location + raw->stmt_len : static_cast<int>(pg_sql.size());
    while (location < end && IsSpace(pg_sql[static_cast<size_t>(location)])) ++location;
    st.stmt_location = location;
    st.stmt_len = end - location;
    sql::Transformer transformer(pg_sql, opts, *dialect);
    PGW_RETURN_IF_ERROR(transformer.Statement(raw->stmt, st));
    result.push_back(std::move(st));
  }
  return result;
}

}  // namespace pgw
