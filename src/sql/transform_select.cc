// SELECT: target lists with PostgreSQL's column names, WITH, set operations, VALUES, WHERE,
// GROUP BY, HAVING, ORDER BY with PostgreSQL's NULL ordering, LIMIT/OFFSET/FETCH FIRST.
#include <fmt/format.h>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

bool IsStar(const Node* val) {
  if (val == nullptr || val->node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return false;
  const PgQuery__ColumnRef* c = val->column_ref;
  return c->n_fields > 0 && c->fields[c->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR;
}

bool IsPositionConstant(const Node* n) {
  return n != nullptr && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
         n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL;
}

bool NeedsSubquery(const PgQuery__SelectStmt* s) {
  return s->n_sort_clause > 0 || s->limit_count != nullptr || s->limit_offset != nullptr ||
         s->with_clause != nullptr || s->n_locking_clause > 0;
}

}  // namespace

// Pops the scope pushed for one SELECT level, also on error paths.
class ScopeGuard {
 public:
  explicit ScopeGuard(std::vector<Scope>& scopes) : scopes_(scopes) { scopes_.emplace_back(); }
  ~ScopeGuard() { scopes_.pop_back(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  std::vector<Scope>& scopes_;
};

Status Transformer::QueryStatement(const PgQuery__SelectStmt* s, TranslatedStatement& out) {
  if (s->into_clause != nullptr) return Unsupported("SELECT INTO");
  out.kind = StatementKind::kQuery;
  out.command_tag = "SELECT";
  out.returns_rows = true;
  out.sql.reserve(input_.size() + 64);
  QueryShape shape;
  PGW_RETURN_IF_ERROR(Select(s, out.sql, shape));
  if (shape.known) out.result_hints = std::move(shape.columns);
  return Status::OK();
}

Status Transformer::Select(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                           const std::vector<std::string>* rename) {
  DepthGuard guard(*this);
  if (!guard.ok()) return StackDepthExceeded();
  ++select_nesting_;
  struct Unnest {
    int& n;
    ~Unnest() { --n; }
  } unnest{select_nesting_};
  size_t ctes_before = ctes_.size();
  size_t added = 0;
  Status st;
  if (s->with_clause != nullptr) st = With(s->with_clause, out, added);
  if (st.ok()) {
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE) {
      st = SetOperation(s, out, shape, rename);
    } else if (s->n_values_lists > 0) {
      st = ValuesList(s, out, shape, rename);
    } else {
      st = SimpleSelect(s, out, shape, rename);
    }
  }
  ctes_.resize(ctes_before);
  return st;
}

Status Transformer::With(const PgQuery__WithClause* w, std::string& out, size_t& added) {
  out.append(w->recursive ? "WITH RECURSIVE " : "WITH ");
  for (size_t i = 0; i < w->n_ctes; ++i) {
    const PgQuery__CommonTableExpr* cte = w->ctes[i]->common_table_expr;
    if (cte->search_clause != nullptr || cte->cycle_clause != nullptr) {
      return Unsupported("SEARCH/CYCLE clauses", cte->location);
    }
    if (cte->ctequery == nullptr || cte->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return Unsupported("data-modifying statements in WITH", cte->location);
    }
    if (i > 0) out.append(", ");
    d_.AppendIdentifier(out, cte->ctename);
    std::vector<std::string> names;
    for (size_t k = 0; k < cte->n_aliascolnames; ++k) {
      names.emplace_back(StringValue(cte->aliascolnames[k]));
    }
    if (!names.empty()) {
      out.push_back('(');
      NameList(cte->aliascolnames, cte->n_aliascolnames, out);
      out.push_back(')');
    }
    out.append(" AS ");
    if (cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways) {
      out.append("MATERIALIZED ");
    } else if (cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever) {
      out.append("NOT MATERIALIZED ");
    }
    // Registered before its body so a recursive CTE can refer to itself.
    size_t index = ctes_.size();
    ctes_.push_back(CteInfo{cte->ctename, QueryShape{{}, false}});
    ++added;
    QueryShape shape;
    out.push_back('(');
    PGW_RETURN_IF_ERROR(Select(cte->ctequery->select_stmt, out, shape));
    out.push_back(')');
    for (size_t k = 0; k < names.size() && k < shape.columns.size(); ++k) {
      shape.columns[k].name = names[k];
    }
    ctes_[index].shape = std::move(shape);
  }
  out.push_back(' ');
  return Status::OK();
}

Status Transformer::SimpleSelect(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                                 const std::vector<std::string>* rename) {
  ScopeGuard scope(scopes_);
  bool series = false;
  PGW_RETURN_IF_ERROR(TargetListSeries(s, out, shape, rename, series));
  if (series) return Status::OK();
  std::string from;
  PGW_RETURN_IF_ERROR(FromList(s->from_clause, s->n_from_clause, from));
  size_t srf_before = srf_joins_.size();
  struct SrfPop {
    std::vector<SrfJoin>& v;
    size_t n;
    ~SrfPop() { v.resize(n); }
  } srf_pop{srf_joins_, srf_before};
  PGW_RETURN_IF_ERROR(SetReturningTargets(s, from));
  out.append("SELECT ");
  if (s->n_distinct_clause > 0) {
    const Node* d0 = s->distinct_clause[0];
    if (s->n_distinct_clause == 1 &&
        (d0 == nullptr || d0->node_case == PG_QUERY__NODE__NODE__NOT_SET)) {
      out.append("DISTINCT ");
    } else {
      return Unsupported("DISTINCT ON");
    }
  }
  if (s->n_target_list == 0) return Unsupported("SELECT with an empty target list");
  PGW_RETURN_IF_ERROR(TargetList(s->target_list, s->n_target_list, out, shape, rename));
  if (!from.empty()) {
    out.append(" FROM ");
    out.append(from);
  }
  if (s->where_clause != nullptr) {
    out.append(" WHERE ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(s->where_clause, out, t));
    HintParam(s->where_clause, ExprType{oid::kBool, -1});
  }
  if (s->n_group_clause > 0) {
    out.append(" GROUP BY ");
    PGW_RETURN_IF_ERROR(GroupClause(s->group_clause, s->n_group_clause, out));
  }
  if (s->having_clause != nullptr) {
    out.append(" HAVING ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(s->having_clause, out, t));
  }
  if (s->n_window_clause > 0) return Unsupported("WINDOW clauses");
  if (s->n_sort_clause > 0) {
    out.append(" ORDER BY ");
    PGW_RETURN_IF_ERROR(SortClause(s->sort_clause, s->n_sort_clause, out));
  }
  return LimitClause(s, out);
}

Status Transformer::TargetListSeries(const PgQuery__SelectStmt* s, std::string& out,
                                     QueryShape& shape, const std::vector<std::string>* rename,
                                     bool& handled) {
  handled = false;
  if (s->n_from_clause > 0 || s->n_target_list != 1 || s->where_clause != nullptr ||
      s->n_group_clause > 0 || s->having_clause != nullptr || s->n_distinct_clause > 0 ||
      s->n_window_clause > 0) {
    return Status::OK();
  }
  const PgQuery__ResTarget* rt = s->target_list[0]->res_target;
  if (rt->val == nullptr || rt->val->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) {
    return Status::OK();
  }
  const PgQuery__FuncCall* f = rt->val->func_call;
  size_t first = 0;
  if (f->n_funcname == 2 && StringValue(f->funcname[0]) == "pg_catalog") first = 1;
  if (f->n_funcname - first != 1 || StringValue(f->funcname[first]) != "generate_series") {
    return Status::OK();
  }
  handled = true;
  // The set-returning function is the whole query: one row per value of the series.
  std::string args;
  Oid type = oid::kInt4;
  PGW_RETURN_IF_ERROR(SeriesArguments(f, args, type));
  ResultColumnHint h;
  if (rename != nullptr && !rename->empty()) {
    h.name = (*rename)[0];
  } else if (rt->name != nullptr && rt->name[0] != '\0') {
    h.name = rt->name;
  } else {
    h.name = "generate_series";
  }
  h.type_oid = type;
  if (d_.GenerateSeriesFunction().empty()) return Unsupported("generate_series");
  out.append("SELECT ");
  out.append(d_.GenerateSeriesColumn());
  out.append(" AS ");
  d_.AppendIdentifier(out, h.name);
  out.append(" FROM ");
  out.append(d_.GenerateSeriesFunction());
  out.push_back('(');
  out.append(args);
  out.push_back(')');
  shape.columns.push_back(std::move(h));
  if (s->n_sort_clause > 0) {
    out.append(" ORDER BY ");
    PGW_RETURN_IF_ERROR(SortClause(s->sort_clause, s->n_sort_clause, out));
  }
  return LimitClause(s, out);
}

Status Transformer::TargetList(Node* const* items, size_t n, std::string& out, QueryShape& shape,
                               const std::vector<std::string>* rename) {
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__ResTarget* rt = items[i]->res_target;
    if (IsStar(rt->val)) {
      bool expanded = false;
      PGW_RETURN_IF_ERROR(ExpandStar(rt->val->column_ref, out, shape, first, expanded));
      if (!expanded && rename != nullptr) return Unsupported("column aliases over *");
      continue;
    }
    if (!first) out.append(", ");
    first = false;
    ExprType t;
    size_t start = out.size();
    PGW_RETURN_IF_ERROR(Expr(rt->val, out, t));
    if (select_nesting_ == 1 && IsRegType(t.oid)) RegTypeOutput(t.oid, start, out);
    ResultColumnHint h;
    size_t index = shape.columns.size();
    if (rename != nullptr && index < rename->size()) {
      h.name = (*rename)[index];
    } else if (rt->name != nullptr && rt->name[0] != '\0') {
      h.name = rt->name;
    } else {
      h.name = FigureColumnName(rt->val);
    }
    out.append(" AS ");
    d_.AppendIdentifier(out, h.name);
    h.type_oid = t.oid;
    h.typmod = t.typmod;
    shape.columns.push_back(std::move(h));
  }
  return Status::OK();
}

Status Transformer::ExpandStar(const PgQuery__ColumnRef* ref, std::string& out, QueryShape& shape,
                               bool& first, bool& expanded) {
  std::string_view qual =
      ref->n_fields >= 2 ? StringValue(ref->fields[ref->n_fields - 2]) : std::string_view();
  const Scope& scope = scopes_.back();
  std::vector<const RangeEntry*> entries;
  bool ok = true;
  bool inlined = false;
  for (const RangeEntry& e : scope.entries) {
    if (!qual.empty() && e.alias != qual) continue;
    if (!e.known) ok = false;
    inlined = inlined || e.inlined;
    entries.push_back(&e);
  }
  if (qual.empty() && !scope.star_ok) ok = false;
  if (entries.empty()) ok = false;
  // An inlined LATERAL subquery is not in the backend's FROM: a bare * would miss it.
  if (!ok && inlined) return Unsupported("* over a LATERAL subquery");
  if (!first) out.append(", ");
  first = false;
  if (!ok) {
    if (!qual.empty()) {
      d_.AppendIdentifier(out, qual);
      out.push_back('.');
    }
    out.push_back('*');
    shape.known = false;
    expanded = false;
    return Status::OK();
  }
  bool first_col = true;
  for (const RangeEntry* e : entries) {
    for (const ResultColumnHint& col : e->columns) {
      if (!first_col) out.append(", ");
      first_col = false;
      if (e->inlined) {
        out.push_back('(');
        out.append(e->inline_sql[static_cast<size_t>(&col - e->columns.data())]);
        out.append(") AS ");
        d_.AppendIdentifier(out, col.name);
      } else {
        if (!e->alias.empty() && e->alias != returning_target_) {
          d_.AppendIdentifier(out, e->alias);
          out.push_back('.');
        }
        d_.AppendIdentifier(out, col.name);
      }
      ResultColumnHint h = col;
      if (!e->table.empty()) {
        if (std::optional<ExprType> t = LookupColumn(e->table, col.name)) {
          h.type_oid = t->oid;
          h.typmod = t->typmod;
        }
      }
      shape.columns.push_back(std::move(h));
    }
  }
  expanded = true;
  return Status::OK();
}

Status Transformer::SortClause(Node* const* items, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.append(", ");
    const PgQuery__SortBy* sb = items[i]->sort_by;
    if (IsPositionConstant(sb->node)) {
      out.append(std::to_string(sb->node->a_const->ival->ival));
    } else {
      ExprType t;
      PGW_RETURN_IF_ERROR(Expr(sb->node, out, t));
    }
    bool desc = false;
    switch (sb->sortby_dir) {
      case PG_QUERY__SORT_BY_DIR__SORTBY_ASC:
        out.append(" ASC");
        break;
      case PG_QUERY__SORT_BY_DIR__SORTBY_DESC:
        out.append(" DESC");
        desc = true;
        break;
      case PG_QUERY__SORT_BY_DIR__SORTBY_USING:
        return Unsupported("ORDER BY ... USING", sb->location);
      default:
        break;
    }
    switch (sb->sortby_nulls) {
      case PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST:
        out.append(" NULLS FIRST");
        break;
      case PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST:
        out.append(" NULLS LAST");
        break;
      default:
        // PostgreSQL sorts NULLs as larger than any value; SQLite as smaller.
        out.append(desc ? " NULLS FIRST" : " NULLS LAST");
        break;
    }
  }
  return Status::OK();
}

Status Transformer::GroupClause(Node* const* items, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.append(", ");
    const Node* item = items[i];
    if (IsPositionConstant(item)) {
      out.append(std::to_string(item->a_const->ival->ival));
      continue;
    }
    if (item->node_case == PG_QUERY__NODE__NODE_GROUPING_SET) {
      return Unsupported("GROUPING SETS, ROLLUP and CUBE");
    }
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(item, out, t));
  }
  return Status::OK();
}

Status Transformer::LimitClause(const PgQuery__SelectStmt* s, std::string& out) {
  if (s->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES) {
    return Unsupported("FETCH FIRST ... WITH TIES");
  }
  const Node* count = s->limit_count;
  bool has_count = count != nullptr &&
                   !(count->node_case == PG_QUERY__NODE__NODE_A_CONST && count->a_const->isnull);
  ExprType int8{oid::kInt8, -1};
  ExprType t;
  if (has_count) {
    out.append(" LIMIT ");
    PGW_RETURN_IF_ERROR(Expr(count, out, t));
    HintParam(count, int8);
  }
  if (s->limit_offset != nullptr) {
    if (!has_count) {
      out.append(" LIMIT ");
      out.append(d_.NoLimit());
    }
    out.append(" OFFSET ");
    PGW_RETURN_IF_ERROR(Expr(s->limit_offset, out, t));
    HintParam(s->limit_offset, int8);
  }
  return Status::OK();
}

Status Transformer::SetOperation(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                                 const std::vector<std::string>* rename) {
  std::string_view op;
  switch (s->op) {
    case PG_QUERY__SET_OPERATION__SETOP_UNION:
      op = s->all ? " UNION ALL " : " UNION ";
      break;
    case PG_QUERY__SET_OPERATION__SETOP_INTERSECT:
      if (s->all) return Unsupported("INTERSECT ALL");
      op = " INTERSECT ";
      break;
    case PG_QUERY__SET_OPERATION__SETOP_EXCEPT:
      if (s->all) return Unsupported("EXCEPT ALL");
      op = " EXCEPT ";
      break;
    default:
      return Status::Error(sqlstate::kInternalError, "unknown set operation");
  }
  if (s->larg == nullptr || s->rarg == nullptr) {
    return Status::Error(sqlstate::kInternalError, "malformed set operation");
  }
  PGW_RETURN_IF_ERROR(SetOperand(s->larg, true, out, shape, rename));
  out.append(op);
  QueryShape right;
  PGW_RETURN_IF_ERROR(SetOperand(s->rarg, false, out, right, nullptr));
  if (shape.known && right.known && right.columns.size() == shape.columns.size()) {
    for (size_t i = 0; i < shape.columns.size(); ++i) {
      if (shape.columns[i].type_oid == 0) shape.columns[i].type_oid = right.columns[i].type_oid;
    }
  }
  ScopeGuard scope(scopes_);
  if (s->n_sort_clause > 0) {
    out.append(" ORDER BY ");
    PGW_RETURN_IF_ERROR(SortClause(s->sort_clause, s->n_sort_clause, out));
  }
  return LimitClause(s, out);
}

Status Transformer::SetOperand(const PgQuery__SelectStmt* s, bool nested_ok, std::string& out,
                               QueryShape& shape, const std::vector<std::string>* rename) {
  DepthGuard guard(*this);
  if (!guard.ok()) return StackDepthExceeded();
  bool is_setop = s->op != PG_QUERY__SET_OPERATION__SETOP_NONE;
  if (NeedsSubquery(s) || (is_setop && !nested_ok)) {
    // SQLite's compound SELECT arms cannot carry ORDER BY/LIMIT/WITH and associate left to
    // right: such arms become subqueries.
    out.append("SELECT * FROM (");
    PGW_RETURN_IF_ERROR(Select(s, out, shape, rename));
    out.push_back(')');
    return Status::OK();
  }
  if (is_setop) return SetOperation(s, out, shape, rename);
  if (s->n_values_lists > 0) return ValuesList(s, out, shape, rename);
  return SimpleSelect(s, out, shape, rename);
}

Status Transformer::ValuesList(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                               const std::vector<std::string>* rename) {
  std::string values = "VALUES ";
  size_t width = 0;
  for (size_t r = 0; r < s->n_values_lists; ++r) {
    const Node* row = s->values_lists[r];
    if (row->node_case != PG_QUERY__NODE__NODE_LIST) {
      return Status::Error(sqlstate::kInternalError, "malformed VALUES");
    }
    if (r > 0) values.append(", ");
    values.push_back('(');
    std::vector<ExprType> types;
    PGW_RETURN_IF_ERROR(ExprList(row->list->items, row->list->n_items, values, &types));
    values.push_back(')');
    if (r == 0) {
      width = types.size();
      for (size_t i = 0; i < width; ++i) {
        ResultColumnHint h;
        h.name =
            rename != nullptr && i < rename->size() ? (*rename)[i] : fmt::format("column{}", i + 1);
        h.type_oid = types[i].oid;
        h.typmod = types[i].typmod;
        shape.columns.push_back(std::move(h));
      }
    } else {
      if (types.size() != width) {
        return Status::Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
      }
      for (size_t i = 0; i < width; ++i) {
        if (shape.columns[i].type_oid == 0) shape.columns[i].type_oid = types[i].oid;
      }
    }
  }
  if (rename != nullptr && !rename->empty()) {
    out.append("SELECT ");
    for (size_t i = 0; i < width; ++i) {
      if (i > 0) out.append(", ");
      out.append(fmt::format("column{} AS ", i + 1));
      d_.AppendIdentifier(out, shape.columns[i].name);
    }
    out.append(" FROM (");
    out.append(values);
    out.push_back(')');
  } else {
    out.append(values);
  }
  if (s->n_sort_clause > 0) {
    ScopeGuard scope(scopes_);
    out.append(" ORDER BY ");
    PGW_RETURN_IF_ERROR(SortClause(s->sort_clause, s->n_sort_clause, out));
  }
  return LimitClause(s, out);
}

Status Transformer::ReturningList(Node* const* items, size_t n, TranslatedStatement& stmt) {
  if (n == 0) return Status::OK();
  if (!d_.SupportsReturning()) return Unsupported("RETURNING");
  stmt.sql.append(" RETURNING ");
  if (!scopes_.empty() && !scopes_.back().entries.empty()) {
    returning_target_ = scopes_.back().entries.front().alias;
  }
  QueryShape shape;
  Status st = TargetList(items, n, stmt.sql, shape, nullptr);
  returning_target_.clear();
  PGW_RETURN_IF_ERROR(st);
  stmt.returns_rows = true;
  if (shape.known) stmt.result_hints = std::move(shape.columns);
  return Status::OK();
}

}  // namespace pgw::sql
