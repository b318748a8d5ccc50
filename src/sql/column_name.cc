// FigureColumnName: PostgreSQL's rule for naming an output column that has no alias
// (parse_target.c FigureColnameInternal), on the raw parse tree.
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// Returns the strength of the name: 0 none ("?column?"), 1 weak (a type name), 2 strong.
int Figure(const Node* n, std::string& name) {
  if (n == nullptr) return 0;
  switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
      const PgQuery__ColumnRef* c = n->column_ref;
      for (size_t i = c->n_fields; i > 0; --i) {
        const Node* f = c->fields[i - 1];
        if (f->node_case == PG_QUERY__NODE__NODE_STRING) {
          name = f->string->sval;
          return 2;
        }
      }
      return 0;
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
      const PgQuery__AIndirection* ind = n->a_indirection;
      for (size_t i = ind->n_indirection; i > 0; --i) {
        const Node* f = ind->indirection[i - 1];
        if (f->node_case == PG_QUERY__NODE__NODE_STRING) {
          name = f->string->sval;
          return 2;
        }
      }
      return Figure(ind->arg, name);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      name = LastName(n->func_call->funcname, n->func_call->n_funcname);
      return 2;
    case PG_QUERY__NODE__NODE_A_EXPR:
      if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) {
        name = "nullif";
        return 2;
      }
      return 0;
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      int strength = Figure(n->type_cast->arg, name);
      if (strength <= 1 && n->type_cast->type_name != nullptr) {
        const PgQuery__TypeName* tn = n->type_cast->type_name;
        name = LastName(tn->names, tn->n_names);
        return 1;
      }
      return strength;
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
      return Figure(n->collate_clause->arg, name);
    case PG_QUERY__NODE__NODE_SUB_LINK: {
      const PgQuery__SubLink* s = n->sub_link;
      switch (s->sub_link_type) {
        case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
          name = "exists";
          return 2;
        case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
          name = "array";
          return 2;
        case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: {
          // The subquery's single target's name.
          const Node* q = s->subselect;
          while (q != nullptr && q->node_case == PG_QUERY__NODE__NODE_SELECT_STMT &&
                 q->select_stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
                 q->select_stmt->larg != nullptr) {
            // Leftmost arm names a set operation's columns.
            const PgQuery__SelectStmt* l = q->select_stmt->larg;
            while (l->op != PG_QUERY__SET_OPERATION__SETOP_NONE && l->larg != nullptr) {
              l = l->larg;
            }
            if (l->n_target_list == 0) return 0;
            const PgQuery__ResTarget* rt = l->target_list[0]->res_target;
            if (rt->name != nullptr && rt->name[0] != '\0') {
              name = rt->name;
              return 2;
            }
            return Figure(rt->val, name) == 2 ? 2 : 0;
          }
          if (q == nullptr || q->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return 0;
          const PgQuery__SelectStmt* sel = q->select_stmt;
          if (sel->n_target_list == 0) {
            if (sel->n_values_lists > 0) {
              name = "column1";
              return 2;
            }
            return 0;
          }
          const PgQuery__ResTarget* rt = sel->target_list[0]->res_target;
          if (rt->name != nullptr && rt->name[0] != '\0') {
            name = rt->name;
            return 2;
          }
          std::string inner;
          int strength = Figure(rt->val, inner);
          if (strength == 0) inner = "?column?";
          name = std::move(inner);
          return 2;
        }
        default:
          return 0;
      }
    }
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
      int strength = Figure(n->case_expr->defresult, name);
      if (strength <= 1) {
        name = "case";
        return 1;
      }
      return strength;
    }
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
      name = "array";
      return 2;
    case PG_QUERY__NODE__NODE_ROW_EXPR:
      name = "row";
      return 2;
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
      name = "coalesce";
      return 2;
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      name = n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
      return 2;
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      switch (n->sqlvalue_function->op) {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
          name = "current_date";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
          name = "current_time";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
          name = "current_timestamp";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
          name = "localtime";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
          name = "localtimestamp";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
          name = "current_role";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
          name = "current_user";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
          name = "user";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
          name = "session_user";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
          name = "current_catalog";
          return 2;
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
          name = "current_schema";
          return 2;
        default:
          return 0;
      }
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
      name = "grouping";
      return 2;
    default:
      return 0;
  }
}

}  // namespace

std::string FigureColumnName(const Node* n) {
  std::string name;
  if (Figure(n, name) == 0) return "?column?";
  return name;
}

}  // namespace pgw::sql
