// Translate(): parses the input once and transforms each statement with the dialect chosen
// by the options.
#include "sql/translator.h"

#include <fmt/format.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/sqlstate.h"
#include "sql/node_walk.h"
#include "sql/parser.h"
#include "sql/sql_dialect.h"
#include "sql/transformer.h"

namespace pgw {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view LastName(PgQuery__Node* const* names, size_t n) {
  if (n == 0 || names[n - 1]->node_case != PG_QUERY__NODE__NODE_STRING) return {};
  return names[n - 1]->string->sval;
}

std::string_view FirstName(PgQuery__Node* const* names, size_t n) {
  if (n < 2 || names[0]->node_case != PG_QUERY__NODE__NODE_STRING) return {};
  return names[0]->string->sval;
}

// Functions about the session or the catalog whose answer the gateway gives, not the target.
bool IsSessionFunction(std::string_view schema, std::string_view name) {
  if (name == "pg_sleep" || name == "pg_typeof" || name == "pg_column_size") return false;
  if (schema == "pg_catalog") return true;
  if (!schema.empty()) return false;
  static constexpr std::string_view kNames[] = {
      "version",         "current_setting", "set_config",      "format_type",
      "obj_description", "col_description", "shobj_description", "current_database",
      "current_schema",  "current_schemas", "to_regclass",     "to_regtype",
      "to_regproc",      "to_regnamespace", "to_regrole"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return name.starts_with("pg_") || name.ends_with("_privilege");
}

bool IsCatalogType(std::string_view name) {
  static constexpr std::string_view kTypes[] = {"regclass", "regtype",     "regproc",
                                                "regprocedure", "regnamespace", "regrole",
                                                "regoper",  "regoperator", "regconfig"};
  for (std::string_view t : kTypes) {
    if (t == name) return true;
  }
  return false;
}

// What a SELECT reads: catalog relations, the target's tables, session functions.
struct CatalogUse {
  bool catalog_relation = false;
  bool session_function = false;
  int user_relation_location = -1;  // first table of the target's; -1 = none
  std::string user_relation;
};

CatalogUse FindCatalogUse(const PgQuery__Node* stmt) {
  std::vector<std::string_view> ctes;
  auto collect = [&](const ProtobufCMessage* m) {
    if (m->descriptor == &pg_query__common_table_expr__descriptor) {
      ctes.push_back(reinterpret_cast<const PgQuery__CommonTableExpr*>(m)->ctename);
    }
    return true;
  };
  sql::WalkMessages(&stmt->base, collect);
  CatalogUse use;
  auto visit = [&](const ProtobufCMessage* m) {
    const ProtobufCMessageDescriptor* d = m->descriptor;
    if (d == &pg_query__range_var__descriptor) {
      const auto* rv = reinterpret_cast<const PgQuery__RangeVar*>(m);
      std::string_view schema = rv->schemaname != nullptr ? rv->schemaname : "";
      std::string_view rel = rv->relname != nullptr ? rv->relname : "";
      if (schema == "pg_catalog" || schema == "information_schema" ||
          (schema.empty() && rel.starts_with("pg_"))) {
        use.catalog_relation = true;
      } else if (!schema.empty() || std::find(ctes.begin(), ctes.end(), rel) == ctes.end()) {
        if (use.user_relation_location < 0) {
          use.user_relation_location = rv->location;
          use.user_relation.assign(rel);
        }
      }
    } else if (d == &pg_query__func_call__descriptor) {
      const auto* f = reinterpret_cast<const PgQuery__FuncCall*>(m);
      std::string_view name = LastName(f->funcname, f->n_funcname);
      std::string_view schema = FirstName(f->funcname, f->n_funcname);
      if (IsSessionFunction(schema, name)) use.session_function = true;
    } else if (d == &pg_query__type_name__descriptor) {
      const auto* t = reinterpret_cast<const PgQuery__TypeName*>(m);
      if (IsCatalogType(LastName(t->names, t->n_names))) use.session_function = true;
    } else if (d == &pg_query__sqlvalue_function__descriptor) {
      switch (reinterpret_cast<const PgQuery__SQLValueFunction*>(m)->op) {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
          use.session_function = true;
          break;
        default:
          break;
      }
    }
    return true;
  };
  sql::WalkMessages(&stmt->base, visit);
  return use;
}

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
    const sql::SqlDialect* use = dialect;
    if (opts.catalog_engine && raw->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT &&
        raw->stmt->select_stmt->into_clause == nullptr) {
      CatalogUse cu = FindCatalogUse(raw->stmt);
      if (cu.catalog_relation && cu.user_relation_location >= 0) {
        return Status::Error(sqlstate::kFeatureNotSupported,
                             fmt::format("a query that reads the system catalog and the table "
                                         "\"{}\" of the {} target is not supported",
                                         cu.user_relation, dialect->name()))
            .WithHint("Query the catalog and the table in separate statements.")
            .WithPosition(cu.user_relation_location + 1);
      }
      if (cu.catalog_relation || (cu.session_function && cu.user_relation_location < 0)) {
        use = sql::DialectFor(Dialect::kSqlite);
        st.on_catalog_engine = true;
      }
    }
    TranslateOptions stmt_opts = opts;
    if (st.on_catalog_engine) stmt_opts.dialect = Dialect::kSqlite;
    sql::Transformer transformer(pg_sql, stmt_opts, *use);
    PGW_RETURN_IF_ERROR(transformer.Statement(raw->stmt, st));
    result.push_back(std::move(st));
  }
  return result;
}

}  // namespace pgw
