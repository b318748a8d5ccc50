// INSERT (VALUES with DEFAULT, SELECT, ON CONFLICT, RETURNING), UPDATE (SET, multi-column SET,
// FROM, RETURNING) and DELETE (USING rewritten as EXISTS, RETURNING).
#include <fmt/format.h>

#include <algorithm>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

class DmlScope {
 public:
  explicit DmlScope(std::vector<Scope>& scopes) : scopes_(scopes) { scopes_.emplace_back(); }
  ~DmlScope() { scopes_.pop_back(); }
  DmlScope(const DmlScope&) = delete;
  DmlScope& operator=(const DmlScope&) = delete;

 private:
  std::vector<Scope>& scopes_;
};

bool IsDefault(const Node* n) {
  return n != nullptr && n->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT;
}

bool IsPlainValues(const PgQuery__SelectStmt* s) {
  return s->n_values_lists > 0 && s->op == PG_QUERY__SET_OPERATION__SETOP_NONE &&
         s->n_sort_clause == 0 && s->limit_count == nullptr && s->limit_offset == nullptr &&
         s->with_clause == nullptr;
}

}  // namespace

Status Transformer::DmlTarget(const PgQuery__RangeVar* rv, std::string& out, std::string& table) {
  PGW_RETURN_IF_ERROR(RangeVarRef(rv, out));
  table = scopes_.back().entries.back().table;
  return Status::OK();
}

Status Transformer::InsertStatement(const PgQuery__InsertStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kInsert;
  out.command_tag = "INSERT";
  if (s->override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE) {
    return Unsupported("OVERRIDING SYSTEM VALUE");
  }
  if (s->override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_USER_VALUE) {
    return Unsupported("OVERRIDING USER VALUE");
  }
  std::string& sql = out.sql;
  sql.reserve(input_.size() + 64);
  size_t ctes_before = ctes_.size();
  size_t added = 0;
  if (s->with_clause != nullptr) PGW_RETURN_IF_ERROR(With(s->with_clause, sql, added));
  DmlScope scope(scopes_);
  const bool insert_or_update = s->on_conflict_clause != nullptr && d_.UpsertAsInsertOrUpdate();
  if (insert_or_update) PGW_RETURN_IF_ERROR(CheckInsertOrUpdate(s));
  sql.append(insert_or_update ? "INSERT OR UPDATE INTO " : "INSERT INTO ");
  std::string table;
  PGW_RETURN_IF_ERROR(DmlTarget(s->relation, sql, table));
  std::vector<std::string> columns;
  for (size_t i = 0; i < s->n_cols; ++i) {
    const PgQuery__ResTarget* rt = s->cols[i]->res_target;
    if (rt->n_indirection > 0) {
      return Unsupported("INSERT into array elements or fields", rt->location);
    }
    columns.emplace_back(rt->name);
  }
  if (s->select_stmt == nullptr) {
    sql.append(" DEFAULT VALUES");
  } else if (s->select_stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT &&
             IsPlainValues(s->select_stmt->select_stmt)) {
    PGW_RETURN_IF_ERROR(InsertValues(s, table, std::move(columns), sql));
  } else {
    if (s->select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return Unsupported("this INSERT source");
    }
    const PgQuery__SelectStmt* sel = s->select_stmt->select_stmt;
    if (!columns.empty()) {
      sql.append(" (");
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) sql.append(", ");
        d_.AppendIdentifier(sql, columns[i]);
      }
      sql.push_back(')');
    } else if (opts_.schema != nullptr && !table.empty()) {
      columns = opts_.schema->TableColumns(table);
    }
    // Parameters selected straight into a column take the column's type.
    if (sel->op == PG_QUERY__SET_OPERATION__SETOP_NONE) {
      for (size_t i = 0; i < sel->n_target_list && i < columns.size(); ++i) {
        if (std::optional<ExprType> t = LookupColumn(table, columns[i])) {
          HintParam(sel->target_list[i]->res_target->val, *t);
        }
      }
    }
    sql.push_back(' ');
    QueryShape shape;
    if (s->on_conflict_clause != nullptr && !insert_or_update) {
      // SQLite needs a WHERE after INSERT ... SELECT ... FROM when an upsert clause follows.
      sql.append("SELECT * FROM (");
      PGW_RETURN_IF_ERROR(Select(sel, sql, shape));
      sql.append(") WHERE true");
    } else {
      PGW_RETURN_IF_ERROR(Select(sel, sql, shape));
    }
  }
  if (s->on_conflict_clause != nullptr && !insert_or_update) {
    PGW_RETURN_IF_ERROR(OnConflict(s->on_conflict_clause, table, sql));
  }
  PGW_RETURN_IF_ERROR(ReturningList(s->returning_list, s->n_returning_list, out));
  ctes_.resize(ctes_before);
  return Status::OK();
}

Status Transformer::CheckInsertOrUpdate(const PgQuery__InsertStmt* s) {
  const PgQuery__OnConflictClause* oc = s->on_conflict_clause;
  if (oc->action != PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE) {
    return Unsupported("ON CONFLICT DO NOTHING");
  }
  if (oc->where_clause != nullptr || oc->infer == nullptr ||
      (oc->infer->conname != nullptr && oc->infer->conname[0] != '\0') ||
      oc->infer->where_clause != nullptr) {
    return Unsupported("ON CONFLICT other than (key columns) DO UPDATE SET ... = EXCLUDED ...");
  }
  if (s->n_cols == 0) return Unsupported("ON CONFLICT without an INSERT column list");
  std::vector<std::string> keys;
  for (size_t i = 0; i < oc->infer->n_index_elems; ++i) {
    const PgQuery__IndexElem* e = oc->infer->index_elems[i]->index_elem;
    if (e->name == nullptr || e->name[0] == '\0')
      return Unsupported("ON CONFLICT on an expression");
    keys.emplace_back(e->name);
  }
  std::vector<std::string> updated;
  for (size_t i = 0; i < oc->n_target_list; ++i) {
    const PgQuery__ResTarget* rt = oc->target_list[i]->res_target;
    const Node* v = rt->val;
    bool from_excluded = v != nullptr && v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                         v->column_ref->n_fields == 2 &&
                         StringValue(v->column_ref->fields[0]) == "excluded" &&
                         StringValue(v->column_ref->fields[1]) == rt->name;
    if (!from_excluded || rt->n_indirection > 0) {
      return Unsupported(
          fmt::format("ON CONFLICT DO UPDATE SET {} other than EXCLUDED.{}", rt->name, rt->name));
    }
    updated.emplace_back(rt->name);
  }
  // INSERT OR UPDATE sets every inserted column: PostgreSQL must update all but the keys.
  for (size_t i = 0; i < s->n_cols; ++i) {
    std::string c = s->cols[i]->res_target->name;
    bool key = std::find(keys.begin(), keys.end(), c) != keys.end();
    bool set = std::find(updated.begin(), updated.end(), c) != updated.end();
    if (!key && !set) {
      return Unsupported(fmt::format("ON CONFLICT DO UPDATE that leaves column {} unchanged", c));
    }
  }
  return Status::OK();
}

Status Transformer::InsertValues(const PgQuery__InsertStmt* s, const std::string& table,
                                 std::vector<std::string> columns, std::string& out) {
  const PgQuery__SelectStmt* v = s->select_stmt->select_stmt;
  // SQLite has no DEFAULT inside VALUES: a column that is DEFAULT in every row is left out of
  // the column list instead.
  size_t width = v->values_lists[0]->list->n_items;
  std::vector<bool> is_default(width, false);
  bool any_default = false;
  for (size_t r = 0; r < v->n_values_lists; ++r) {
    const PgQuery__List* row = v->values_lists[r]->list;
    if (row->n_items != width) {
      return Status::Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
    }
    for (size_t i = 0; i < width; ++i) {
      bool d = IsDefault(row->items[i]);
      if (r == 0) {
        is_default[i] = d;
        any_default = any_default || d;
      } else if (d != is_default[i]) {
        return Unsupported("DEFAULT in only some rows of a multi-row VALUES");
      }
    }
  }
  bool explicit_columns = !columns.empty();
  if (!explicit_columns && opts_.schema != nullptr && !table.empty()) {
    columns = opts_.schema->TableColumns(table);
  }
  if (columns.size() > width) columns.resize(width);
  if (explicit_columns && columns.size() < width) {
    return Status::Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
  }
  if (any_default && columns.size() != width) {
    return Unsupported("DEFAULT in VALUES without a column list for an unknown table");
  }
  bool all_default = any_default;
  for (size_t i = 0; i < width; ++i) all_default = all_default && is_default[i];
  if (all_default) {
    if (v->n_values_lists > 1) return Unsupported("multi-row VALUES of only DEFAULT");
    out.append(" DEFAULT VALUES");
    return Status::OK();
  }
  if (explicit_columns || any_default) {
    out.append(" (");
    bool first = true;
    for (size_t i = 0; i < width; ++i) {
      if (is_default[i]) continue;
      if (!first) out.append(", ");
      first = false;
      d_.AppendIdentifier(out, columns[i]);
    }
    out.push_back(')');
  }
  std::vector<std::optional<ExprType>> types(width);
  for (size_t i = 0; i < columns.size(); ++i) types[i] = LookupColumn(table, columns[i]);
  out.append(" VALUES ");
  for (size_t r = 0; r < v->n_values_lists; ++r) {
    const PgQuery__List* row = v->values_lists[r]->list;
    if (r > 0) out.append(", ");
    out.push_back('(');
    bool first = true;
    for (size_t i = 0; i < width; ++i) {
      if (is_default[i]) continue;
      if (!first) out.append(", ");
      first = false;
      ExprType t;
      PGW_RETURN_IF_ERROR(Expr(row->items[i], out, t));
      if (types[i]) HintParam(row->items[i], *types[i]);
    }
    out.push_back(')');
  }
  return Status::OK();
}

Status Transformer::OnConflict(const PgQuery__OnConflictClause* oc, const std::string& table,
                               std::string& out) {
  out.append(" ON CONFLICT");
  const PgQuery__InferClause* infer = oc->infer;
  if (infer != nullptr) {
    if (infer->conname != nullptr && infer->conname[0] != '\0') {
      return Unsupported("ON CONFLICT ON CONSTRAINT", infer->location);
    }
    out.append(" (");
    for (size_t i = 0; i < infer->n_index_elems; ++i) {
      if (i > 0) out.append(", ");
      const PgQuery__IndexElem* e = infer->index_elems[i]->index_elem;
      if (e->name != nullptr && e->name[0] != '\0') {
        d_.AppendIdentifier(out, e->name);
      } else {
        ExprType t;
        PGW_RETURN_IF_ERROR(Expr(e->expr, out, t));
      }
    }
    out.push_back(')');
    if (infer->where_clause != nullptr) {
      out.append(" WHERE ");
      ExprType t;
      PGW_RETURN_IF_ERROR(Expr(infer->where_clause, out, t));
    }
  }
  if (oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING) {
    out.append(" DO NOTHING");
    return Status::OK();
  }
  if (infer == nullptr) {
    return Status::Error(sqlstate::kSyntaxError,
                         "ON CONFLICT DO UPDATE requires inference specification or "
                         "constraint name")
        .WithHint("For example, ON CONFLICT (column_name).");
  }
  // EXCLUDED is the row proposed for insertion; its own scope keeps it out of RETURNING *.
  DmlScope excluded_scope(scopes_);
  RangeEntry excluded;
  excluded.alias = "excluded";
  excluded.table = table;
  scopes_.back().entries.push_back(std::move(excluded));
  out.append(" DO UPDATE SET ");
  PGW_RETURN_IF_ERROR(SetClause(oc->target_list, oc->n_target_list, table, out));
  if (oc->where_clause != nullptr) {
    out.append(" WHERE ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(oc->where_clause, out, t));
  }
  return Status::OK();
}

Status Transformer::SetClause(Node* const* items, size_t n, const std::string& table,
                              std::string& out) {
  for (size_t i = 0; i < n;) {
    if (i > 0) out.append(", ");
    const PgQuery__ResTarget* rt = items[i]->res_target;
    if (rt->n_indirection > 0) {
      return Unsupported("assignment to array elements or fields", rt->location);
    }
    if (rt->val != nullptr && rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) {
      const PgQuery__MultiAssignRef* m = rt->val->multi_assign_ref;
      size_t count = static_cast<size_t>(m->ncolumns);
      if (count == 0 || i + count > n) {
        return Status::Error(sqlstate::kSyntaxError, "malformed multiple-column assignment");
      }
      out.push_back('(');
      for (size_t k = 0; k < count; ++k) {
        if (k > 0) out.append(", ");
        d_.AppendIdentifier(out, items[i + k]->res_target->name);
      }
      out.append(") = ");
      const Node* src = m->source;
      ExprType t;
      if (src->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
        const PgQuery__RowExpr* row = src->row_expr;
        if (row->n_args != count) {
          return Status::Error(sqlstate::kSyntaxError,
                               "number of columns does not match number of values")
              .WithPosition(row->location + 1);
        }
        out.push_back('(');
        for (size_t k = 0; k < count; ++k) {
          if (k > 0) out.append(", ");
          PGW_RETURN_IF_ERROR(Expr(row->args[k], out, t));
          if (std::optional<ExprType> ct = LookupColumn(table, items[i + k]->res_target->name)) {
            HintParam(row->args[k], *ct);
          }
        }
        out.push_back(')');
      } else if (src->node_case == PG_QUERY__NODE__NODE_SUB_LINK) {
        QueryShape shape;
        PGW_RETURN_IF_ERROR(SubQuery(src->sub_link->subselect, out, shape));
      } else {
        return Unsupported("this multiple-column assignment source");
      }
      i += count;
      continue;
    }
    d_.AppendIdentifier(out, rt->name);
    out.append(" = ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(rt->val, out, t));
    if (std::optional<ExprType> ct = LookupColumn(table, rt->name)) HintParam(rt->val, *ct);
    ++i;
  }
  return Status::OK();
}

Status Transformer::UpdateStatement(const PgQuery__UpdateStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kUpdate;
  out.command_tag = "UPDATE";
  std::string& sql = out.sql;
  sql.reserve(input_.size() + 64);
  size_t ctes_before = ctes_.size();
  size_t added = 0;
  if (s->with_clause != nullptr) PGW_RETURN_IF_ERROR(With(s->with_clause, sql, added));
  DmlScope scope(scopes_);
  sql.append("UPDATE ");
  std::string table;
  PGW_RETURN_IF_ERROR(DmlTarget(s->relation, sql, table));
  std::string from;
  PGW_RETURN_IF_ERROR(FromList(s->from_clause, s->n_from_clause, from));
  sql.append(" SET ");
  PGW_RETURN_IF_ERROR(SetClause(s->target_list, s->n_target_list, table, sql));
  if (!from.empty()) {
    sql.append(" FROM ");
    sql.append(from);
  }
  if (s->where_clause != nullptr) {
    if (s->where_clause->node_case == PG_QUERY__NODE__NODE_CURRENT_OF_EXPR) {
      return Unsupported("WHERE CURRENT OF");
    }
    sql.append(" WHERE ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(s->where_clause, sql, t));
  }
  PGW_RETURN_IF_ERROR(ReturningList(s->returning_list, s->n_returning_list, out));
  ctes_.resize(ctes_before);
  return Status::OK();
}

Status Transformer::DeleteStatement(const PgQuery__DeleteStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kDelete;
  out.command_tag = "DELETE";
  std::string& sql = out.sql;
  sql.reserve(input_.size() + 64);
  size_t ctes_before = ctes_.size();
  size_t added = 0;
  if (s->with_clause != nullptr) PGW_RETURN_IF_ERROR(With(s->with_clause, sql, added));
  DmlScope scope(scopes_);
  sql.append("DELETE FROM ");
  std::string table;
  PGW_RETURN_IF_ERROR(DmlTarget(s->relation, sql, table));
  if (s->where_clause != nullptr &&
      s->where_clause->node_case == PG_QUERY__NODE__NODE_CURRENT_OF_EXPR) {
    return Unsupported("WHERE CURRENT OF");
  }
  if (s->n_using_clause > 0) {
    // DELETE FROM t USING u WHERE cond  ==  DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE
    // cond): cond is correlated with the target row.
    DmlScope inner(scopes_);
    std::string from;
    PGW_RETURN_IF_ERROR(FromList(s->using_clause, s->n_using_clause, from));
    sql.append(" WHERE EXISTS (SELECT 1 FROM ");
    sql.append(from);
    if (s->where_clause != nullptr) {
      sql.append(" WHERE ");
      ExprType t;
      PGW_RETURN_IF_ERROR(Expr(s->where_clause, sql, t));
    }
    sql.push_back(')');
  } else if (s->where_clause != nullptr) {
    sql.append(" WHERE ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(s->where_clause, sql, t));
  }
  PGW_RETURN_IF_ERROR(ReturningList(s->returning_list, s->n_returning_list, out));
  ctes_.resize(ctes_before);
  return Status::OK();
}

}  // namespace pgw::sql
