// Statements the session executes itself: transaction control, SET/RESET/SHOW, and SQL-level
// cursors (DECLARE/FETCH/MOVE). They carry their arguments instead of backend SQL.
#include <fmt/format.h>

#include <cctype>
#include <limits>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// DECLARE options (parsenodes.h CURSOR_OPT_*).
constexpr int kCursorOptBinary = 0x0001;
constexpr int kCursorOptScroll = 0x0002;
constexpr int kCursorOptHold = 0x0020;

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// A SET argument as text: strings as written, numbers in their literal spelling.
Status SetValueText(const Node* n, std::string& out) {
  if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) n = n->type_cast->arg;  // TIME ZONE INTERVAL
  if (n->node_case != PG_QUERY__NODE__NODE_A_CONST) {
    return Status::Error(sqlstate::kSyntaxError, "SET value must be a constant");
  }
  const PgQuery__AConst* c = n->a_const;
  switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_SVAL:
      out = c->sval->sval;
      break;
    case PG_QUERY__A__CONST__VAL_IVAL:
      out = std::to_string(c->ival->ival);
      break;
    case PG_QUERY__A__CONST__VAL_FVAL:
      out = c->fval->fval;
      break;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
      out = c->boolval->boolval ? "on" : "off";
      break;
    default:
      return Status::Error(sqlstate::kSyntaxError, "SET value must be a constant");
  }
  return Status::OK();
}

}  // namespace

Status Transformer::TransactionStatement(const PgQuery__TransactionStmt* s,
                                         TranslatedStatement& out) {
  if (s->chain) return Unsupported("AND CHAIN");
  // Isolation level and access mode options are accepted: SQLite transactions are
  // serializable, and READ ONLY is advisory here.
  switch (s->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
      out.kind = StatementKind::kBegin;
      out.command_tag = "BEGIN";
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
      out.kind = StatementKind::kBegin;
      out.command_tag = "START TRANSACTION";
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
      out.kind = StatementKind::kCommit;
      out.command_tag = "COMMIT";
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
      out.kind = StatementKind::kRollback;
      out.command_tag = "ROLLBACK";
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
      out.kind = StatementKind::kSavepoint;
      out.command_tag = "SAVEPOINT";
      out.name = s->savepoint_name;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
      out.kind = StatementKind::kRelease;
      out.command_tag = "RELEASE";
      out.name = s->savepoint_name;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
      out.kind = StatementKind::kRollbackTo;
      out.command_tag = "ROLLBACK";
      out.name = s->savepoint_name;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
      return Unsupported("PREPARE TRANSACTION");
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
      return Unsupported("COMMIT PREPARED");
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
      return Unsupported("ROLLBACK PREPARED");
    default:
      return Unsupported("this transaction statement");
  }
  return Status::OK();
}

Status Transformer::VariableSet(const PgQuery__VariableSetStmt* s, TranslatedStatement& out) {
  std::string name = Lower(s->name != nullptr ? s->name : "");
  switch (s->kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
      out.kind = StatementKind::kSet;
      out.command_tag = "SET";
      out.name = std::move(name);
      out.is_local = s->is_local;
      for (size_t i = 0; i < s->n_args; ++i) {
        std::string v;
        PGW_RETURN_IF_ERROR(SetValueText(s->args[i], v));
        out.values.push_back(std::move(v));
      }
      return Status::OK();
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
      out.kind = StatementKind::kSet;
      out.command_tag = "SET";
      out.name = std::move(name);
      out.is_local = s->is_local;
      return Status::OK();
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI:
      // SET TRANSACTION ... / SET SESSION CHARACTERISTICS AS TRANSACTION ...
      out.kind = StatementKind::kNoOp;
      out.command_tag = "SET";
      return Status::OK();
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
      out.kind = StatementKind::kReset;
      out.command_tag = "RESET";
      out.name = std::move(name);
      return Status::OK();
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
      out.kind = StatementKind::kReset;
      out.command_tag = "RESET";
      out.name = "all";
      return Status::OK();
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT:
      return Unsupported("SET ... FROM CURRENT");
    default:
      return Unsupported("this SET statement");
  }
}

Status Transformer::VariableShow(const PgQuery__VariableShowStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kShow;
  out.command_tag = "SHOW";
  out.name = Lower(s->name);
  out.returns_rows = true;
  if (out.name == "all") {
    for (std::string_view col : {"name", "setting", "description"}) {
      ResultColumnHint h;
      h.name = col;
      h.type_oid = oid::kText;
      out.result_hints.push_back(std::move(h));
    }
  } else {
    ResultColumnHint h;
    h.name = out.name;
    h.type_oid = oid::kText;
    out.result_hints.push_back(std::move(h));
  }
  return Status::OK();
}

Status Transformer::DeclareCursor(const PgQuery__DeclareCursorStmt* s, TranslatedStatement& out) {
  if (s->options & kCursorOptScroll) return Unsupported("SCROLL cursors");
  if (s->query == nullptr || s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Status::Error(sqlstate::kSyntaxError, "cursor query must be a SELECT or VALUES");
  }
  out.kind = StatementKind::kDeclareCursor;
  out.command_tag = "DECLARE CURSOR";
  out.name = s->portalname;
  out.binary = (s->options & kCursorOptBinary) != 0;
  out.with_hold = (s->options & kCursorOptHold) != 0;
  QueryShape shape;
  PGW_RETURN_IF_ERROR(Select(s->query->select_stmt, out.sql, shape));
  if (shape.known) out.result_hints = std::move(shape.columns);
  return Status::OK();
}

Status Transformer::FetchStatement(const PgQuery__FetchStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kFetch;
  out.is_move = s->ismove;
  out.command_tag = s->ismove ? "MOVE" : "FETCH";
  out.name = s->portalname;
  if (s->direction != PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD) {
    return Unsupported("FETCH/MOVE other than FORWARD (cursors are forward-only)");
  }
  // FETCH ALL is FETCH_ALL = LONG_MAX in PostgreSQL's grammar.
  out.fetch_count = s->how_many == std::numeric_limits<int64_t>::max() ? -1 : s->how_many;
  return Status::OK();
}

}  // namespace pgw::sql
