// COPY: the statement as written (relation, column list, direction, file or program, options,
// WHERE) for the session's COPY flow; COPY (query) TO also gets its query translated.
#include <string>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// An option argument as ProcessCopyOptions reads it: strings, numbers and booleans as text,
// `*`, or a list of names.
CopyOptionArg OptionArg(const Node* n) {
  CopyOptionArg arg;
  if (n == nullptr) return arg;
  switch (n->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
      arg.kind = CopyOptionArg::Kind::kString;
      arg.str = n->string->sval;
      break;
    case PG_QUERY__NODE__NODE_INTEGER:
      arg.kind = CopyOptionArg::Kind::kString;
      arg.str = std::to_string(n->integer->ival);
      break;
    case PG_QUERY__NODE__NODE_FLOAT:
      arg.kind = CopyOptionArg::Kind::kString;
      arg.str = n->float_->fval;
      break;
    case PG_QUERY__NODE__NODE_BOOLEAN:
      arg.kind = CopyOptionArg::Kind::kString;
      arg.str = n->boolean->boolval ? "true" : "false";
      break;
    case PG_QUERY__NODE__NODE_A_STAR:
      arg.kind = CopyOptionArg::Kind::kStar;
      break;
    case PG_QUERY__NODE__NODE_LIST:
      arg.kind = CopyOptionArg::Kind::kList;
      for (size_t i = 0; i < n->list->n_items; ++i) {
        arg.list.emplace_back(StringValue(n->list->items[i]));
      }
      break;
    default:
      // Any other node (a type name, ...) is not a valid argument: PostgreSQL's defGet*
      // functions reject it as they would a missing one.
      break;
  }
  return arg;
}

}  // namespace

Status Transformer::CopyStatement(const PgQuery__CopyStmt* s, TranslatedStatement& out) {
  auto spec = std::make_shared<CopySpec>();
  spec->is_from = s->is_from;
  spec->is_program = s->is_program;
  if (s->filename != nullptr) spec->filename = s->filename;
  for (size_t i = 0; i < s->n_attlist; ++i) spec->columns.emplace_back(StringValue(s->attlist[i]));
  for (size_t i = 0; i < s->n_options; ++i) {
    const Node* n = s->options[i];
    if (n->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
    CopyOptionItem item;
    item.name = n->def_elem->defname;
    item.arg = OptionArg(n->def_elem->arg);
    item.location = n->def_elem->location;
    spec->options.push_back(std::move(item));
  }
  if (s->query != nullptr) {
    // COPY (query) TO: PostgreSQL also takes INSERT/UPDATE/DELETE ... RETURNING here.
    if (s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return Unsupported("COPY (INSERT/UPDATE/DELETE ... RETURNING) TO");
    }
    PGW_RETURN_IF_ERROR(QueryStatement(s->query->select_stmt, out));
  } else if (s->relation != nullptr) {
    const PgQuery__RangeVar* rv = s->relation;
    if (rv->catalogname != nullptr && rv->catalogname[0] != '\0') {
      return Unsupported("cross-database references", rv->location);
    }
    spec->relation = rv->relname;
    if (rv->schemaname != nullptr) spec->schema = rv->schemaname;
    spec->relation_location = rv->location;
    if (s->where_clause != nullptr) {
      // The condition sees the relation's columns by name, as in PostgreSQL.
      PushScope();
      std::string target;
      Status st = RangeVarRef(rv, target);
      ExprType t;
      if (st.ok()) st = Expr(s->where_clause, spec->where_sql, t);
      PopScope();
      PGW_RETURN_IF_ERROR(std::move(st));
    }
  }
  out.kind = StatementKind::kCopy;
  out.command_tag = "COPY";
  out.returns_rows = false;
  out.name = spec->relation;
  out.copy = std::move(spec);
  return Status::OK();
}

}  // namespace pgw::sql
