// FROM clauses (tables, catalog relations, joins, subqueries, LATERAL inlining,
// generate_series) and the scopes that resolve column references against them.
#include <fmt/format.h>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// PostgreSQL accepts catalog relations unqualified (search_path starts with pg_catalog).
bool LooksLikeCatalogRelation(std::string_view name) { return name.starts_with("pg_"); }

std::vector<std::string> AliasColumns(const PgQuery__Alias* alias) {
  std::vector<std::string> names;
  if (alias == nullptr) return names;
  names.reserve(alias->n_colnames);
  for (size_t i = 0; i < alias->n_colnames; ++i) {
    names.emplace_back(StringValue(alias->colnames[i]));
  }
  return names;
}

bool HasAlias(const PgQuery__Alias* alias) {
  return alias != nullptr && alias->aliasname != nullptr && alias->aliasname[0] != '\0';
}

// A LATERAL subquery that is just a list of expressions: its columns can be inlined.
bool InlinableLateral(const PgQuery__SelectStmt* s) {
  if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE) return false;
  if (s->n_from_clause > 0 || s->where_clause != nullptr || s->n_group_clause > 0 ||
      s->having_clause != nullptr || s->n_sort_clause > 0 || s->limit_count != nullptr ||
      s->limit_offset != nullptr || s->n_distinct_clause > 0 || s->n_values_lists > 0 ||
      s->with_clause != nullptr || s->n_window_clause > 0 || s->into_clause != nullptr) {
    return false;
  }
  for (size_t i = 0; i < s->n_target_list; ++i) {
    const Node* v = s->target_list[i]->res_target->val;
    if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
      const PgQuery__ColumnRef* c = v->column_ref;
      if (c->n_fields > 0 && c->fields[c->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR) {
        return false;
      }
    }
  }
  return true;
}

bool IsTrueConstant(const Node* n) {
  return n != nullptr && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
         n->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL && n->a_const->boolval->boolval;
}

}  // namespace

const CteInfo* Transformer::FindCte(std::string_view name) const {
  for (size_t i = ctes_.size(); i > 0; --i) {
    if (ctes_[i - 1].name == name) return &ctes_[i - 1];
  }
  return nullptr;
}

Status Transformer::RelationName(const PgQuery__RangeVar* rv, std::string& out,
                                 std::string& user_table) {
  user_table.clear();
  std::string_view schema = rv->schemaname != nullptr ? rv->schemaname : "";
  std::string_view rel = rv->relname;
  if (rv->catalogname != nullptr && rv->catalogname[0] != '\0') {
    return Unsupported("cross-database references", rv->location);
  }
  // Catalog relations: `user_table` is the dialect's name, whose columns SchemaLookup knows.
  if (schema == "pg_catalog" ||
      (schema.empty() && LooksLikeCatalogRelation(rel) && FindCte(rel) == nullptr &&
       (opts_.schema == nullptr || opts_.schema->TableColumns(rel).empty()))) {
    user_table = d_.CatalogRelation(rel);
    if (user_table.empty()) return Unsupported(fmt::format("pg_catalog.{}", rel), rv->location);
    d_.AppendIdentifier(out, user_table);
    uses_catalog_ = true;
    return Status::OK();
  }
  if (schema == "information_schema") {
    user_table = d_.InformationSchemaRelation(rel);
    if (user_table.empty()) {
      return Unsupported(fmt::format("information_schema.{}", rel), rv->location);
    }
    d_.AppendIdentifier(out, user_table);
    uses_catalog_ = true;
    return Status::OK();
  }
  if (schema.empty() || schema == "public") {
    d_.AppendIdentifier(out, rel);
    user_table = rel;
    return Status::OK();
  }
  return Status::Error(sqlstate::kUndefinedTable,
                       fmt::format("relation \"{}.{}\" does not exist", schema, rel))
      .WithPosition(rv->location + 1);
}

Status Transformer::FromList(Node* const* items, size_t n, std::string& out) {
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    std::string item;
    bool dropped = false;
    PGW_RETURN_IF_ERROR(FromItem(items[i], item, dropped));
    if (dropped) continue;
    if (!first) out.append(", ");
    out.append(item);
    first = false;
  }
  return Status::OK();
}

Status Transformer::FromItem(const Node* item, std::string& out, bool& dropped) {
  DepthGuard guard(*this);
  if (!guard.ok()) return StackDepthExceeded();
  dropped = false;
  switch (item->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR:
      return RangeVarRef(item->range_var, out);
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
      return JoinExpr(item->join_expr, out, dropped);
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
      return RangeSubselect(item->range_subselect, out, dropped);
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
      return RangeFunction(item->range_function, out);
    case PG_QUERY__NODE__NODE_RANGE_TABLE_SAMPLE:
      return Unsupported("TABLESAMPLE", item->range_table_sample->location);
    default:
      return Unsupported("this FROM item");
  }
}

Status Transformer::RangeVarRef(const PgQuery__RangeVar* rv, std::string& out) {
  Scope& scope = scopes_.back();
  RangeEntry entry;
  std::string_view rel = rv->relname;
  if (rv->alias != nullptr && rv->alias->n_colnames > 0) {
    return Unsupported("column aliases on a table", rv->location);
  }
  const CteInfo* cte =
      (rv->schemaname == nullptr || rv->schemaname[0] == '\0') ? FindCte(rel) : nullptr;
  if (cte != nullptr) {
    d_.AppendIdentifier(out, rel);
    entry.columns = cte->shape.columns;
    entry.known = cte->shape.known;
  } else {
    const bool catalog_before = uses_catalog_;
    uses_catalog_ = false;
    PGW_RETURN_IF_ERROR(RelationName(rv, out, entry.table));
    const bool is_catalog = uses_catalog_;
    uses_catalog_ = uses_catalog_ || catalog_before;
    if (is_catalog && !HasAlias(rv->alias)) {
      // Keep the PostgreSQL name as the qualifier of a mapped catalog relation.
      out.append(" AS ");
      d_.AppendIdentifier(out, rel);
    }
    if (!entry.table.empty() && opts_.schema != nullptr) {
      for (std::string& col : opts_.schema->TableColumns(entry.table)) {
        ResultColumnHint h;
        h.name = std::move(col);
        entry.columns.push_back(std::move(h));
      }
      entry.known = !entry.columns.empty();
    }
  }
  if (HasAlias(rv->alias)) {
    out.append(" AS ");
    d_.AppendIdentifier(out, rv->alias->aliasname);
    entry.alias = rv->alias->aliasname;
  } else {
    entry.alias = rel;
  }
  if (!entry.known) scope.star_ok = false;
  scope.entries.push_back(std::move(entry));
  return Status::OK();
}

Status Transformer::JoinExpr(const PgQuery__JoinExpr* j, std::string& out, bool& dropped) {
  if (HasAlias(j->alias) || HasAlias(j->join_using_alias)) {
    return Unsupported("aliases on JOIN clauses");
  }
  std::string left;
  bool left_dropped = false;
  PGW_RETURN_IF_ERROR(FromItem(j->larg, left, left_dropped));
  if (left_dropped) return Unsupported("LATERAL subqueries on the left of a JOIN");
  std::string right;
  bool right_dropped = false;
  PGW_RETURN_IF_ERROR(FromItem(j->rarg, right, right_dropped));
  if (right_dropped) {
    // An inlined LATERAL subquery yields exactly one row: joining it is the identity when the
    // join keeps every left row.
    bool trivial = (j->quals == nullptr || IsTrueConstant(j->quals)) && j->n_using_clause == 0 &&
                   !j->is_natural &&
                   (j->jointype == PG_QUERY__JOIN_TYPE__JOIN_INNER ||
                    j->jointype == PG_QUERY__JOIN_TYPE__JOIN_LEFT);
    if (!trivial) return Unsupported("LATERAL subqueries with join conditions");
    out.append(left);
    dropped = false;
    return Status::OK();
  }
  out.append(left);
  if (j->is_natural) out.append(" NATURAL");
  switch (j->jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_INNER:
      out.append(j->quals == nullptr && j->n_using_clause == 0 && !j->is_natural ? " CROSS JOIN "
                                                                                 : " JOIN ");
      break;
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
      out.append(" LEFT JOIN ");
      break;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
      out.append(" RIGHT JOIN ");
      break;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
      out.append(" FULL JOIN ");
      break;
    default:
      return Unsupported("this join type");
  }
  bool nested = j->rarg->node_case == PG_QUERY__NODE__NODE_JOIN_EXPR;
  if (nested) out.push_back('(');
  out.append(right);
  if (nested) out.push_back(')');
  if (j->n_using_clause > 0 || j->is_natural) scopes_.back().star_ok = false;
  if (j->n_using_clause > 0) {
    out.append(" USING (");
    NameList(j->using_clause, j->n_using_clause, out);
    out.push_back(')');
  } else if (j->quals != nullptr) {
    out.append(" ON ");
    ExprType qt;
    PGW_RETURN_IF_ERROR(Expr(j->quals, out, qt));
  }
  return Status::OK();
}

Status Transformer::RangeSubselect(const PgQuery__RangeSubselect* r, std::string& out,
                                   bool& dropped) {
  if (r->subquery == nullptr || r->subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this subquery in FROM");
  }
  const PgQuery__SelectStmt* sub = r->subquery->select_stmt;
  std::vector<std::string> rename = AliasColumns(r->alias);
  RangeEntry entry;
  entry.alias = HasAlias(r->alias) ? r->alias->aliasname : "";
  if (r->lateral) {
    if (!InlinableLateral(sub)) return Unsupported("LATERAL subqueries");
    for (size_t i = 0; i < sub->n_target_list; ++i) {
      const PgQuery__ResTarget* rt = sub->target_list[i]->res_target;
      std::string sql;
      ExprType t;
      PGW_RETURN_IF_ERROR(Expr(rt->val, sql, t));
      ResultColumnHint h;
      if (i < rename.size()) {
        h.name = rename[i];
      } else if (rt->name != nullptr && rt->name[0] != '\0') {
        h.name = rt->name;
      } else {
        h.name = FigureColumnName(rt->val);
      }
      h.type_oid = t.oid;
      h.typmod = t.typmod;
      entry.columns.push_back(std::move(h));
      entry.inline_sql.push_back(std::move(sql));
    }
    entry.inlined = true;
    entry.known = true;
    scopes_.back().entries.push_back(std::move(entry));
    dropped = true;
    return Status::OK();
  }
  QueryShape shape;
  out.push_back('(');
  PGW_RETURN_IF_ERROR(Select(sub, out, shape, rename.empty() ? nullptr : &rename));
  out.push_back(')');
  if (!entry.alias.empty()) {
    out.append(" AS ");
    d_.AppendIdentifier(out, entry.alias);
  }
  entry.columns = std::move(shape.columns);
  entry.known = shape.known;
  if (!entry.known) scopes_.back().star_ok = false;
  scopes_.back().entries.push_back(std::move(entry));
  return Status::OK();
}

Status Transformer::RangeFunction(const PgQuery__RangeFunction* r, std::string& out) {
  if (r->lateral) return Unsupported("LATERAL functions");
  if (r->is_rowsfrom || r->n_functions != 1) return Unsupported("ROWS FROM");
  if (r->n_coldeflist > 0) return Unsupported("column definition lists");
  const Node* item = r->functions[0];
  const Node* fn = item;
  if (item->node_case == PG_QUERY__NODE__NODE_LIST && item->list->n_items > 0) {
    fn = item->list->items[0];
    if (item->list->n_items > 1 && item->list->items[1] != nullptr &&
        item->list->items[1]->node_case == PG_QUERY__NODE__NODE_LIST &&
        item->list->items[1]->list->n_items > 0) {
      return Unsupported("column definition lists");
    }
  }
  if (fn == nullptr || fn->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) {
    return Unsupported("this function in FROM");
  }
  const PgQuery__FuncCall* f = fn->func_call;
  size_t first = 0;
  if (f->n_funcname == 2 && StringValue(f->funcname[0]) == "pg_catalog") first = 1;
  std::string_view name = f->n_funcname - first == 1 ? StringValue(f->funcname[first]) : "";
  if (name == "unnest") return UnnestFunction(r, f, out, false);
  // No relation is a partition here: its ancestors are no rows.
  if (name == "pg_partition_ancestors") return UnnestFunction(r, f, out, true);
  if (name != "generate_series") {
    return Unsupported(fmt::format("function {} in FROM", name.empty() ? "call" : name),
                       f->location);
  }
  if (r->ordinality) return Unsupported("WITH ORDINALITY");
  std::string alias = HasAlias(r->alias) ? r->alias->aliasname : "generate_series";
  std::string column = r->alias != nullptr && r->alias->n_colnames > 0
                           ? std::string(StringValue(r->alias->colnames[0]))
                           : alias;
  std::string args;
  Oid type = oid::kInt4;
  PGW_RETURN_IF_ERROR(SeriesArguments(f, args, type));
  if (d_.GenerateSeriesFunction().empty()) return Unsupported("generate_series");
  RangeEntry entry;
  entry.alias = alias;
  ResultColumnHint h;
  h.name = column;
  h.type_oid = type;
  entry.columns.push_back(std::move(h));
  entry.known = true;
  if (!scopes_.back().entries.empty()) {
    // The arguments may read earlier FROM items, which a subquery could not see: the table
    // function itself, its column read under the alias's name.
    out.append(d_.GenerateSeriesFunction());
    out.push_back('(');
    out.append(args);
    out.append(") AS ");
    d_.AppendIdentifier(out, alias);
    std::string ref;
    d_.AppendIdentifier(ref, alias);
    entry.inline_sql.push_back(ref + "." + std::string(d_.GenerateSeriesColumn()));
    entry.inlined = true;
  } else {
    out.append("(SELECT ");
    out.append(d_.GenerateSeriesColumn());
    out.append(" AS ");
    d_.AppendIdentifier(out, column);
    out.append(" FROM ");
    out.append(d_.GenerateSeriesFunction());
    out.push_back('(');
    out.append(args);
    out.append(")) AS ");
    d_.AppendIdentifier(out, alias);
  }
  scopes_.back().entries.push_back(std::move(entry));
  return Status::OK();
}

Status Transformer::SeriesArguments(const PgQuery__FuncCall* f, std::string& args, Oid& type) {
  if (f->n_args < 2 || f->n_args > 3 || f->agg_star || f->n_agg_order > 0 || f->agg_distinct) {
    return Status::Error(sqlstate::kUndefinedFunction,
                         "function generate_series with this argument count does not exist")
        .WithPosition(f->location + 1);
  }
  if (f->over != nullptr || f->agg_filter != nullptr) {
    return Unsupported("generate_series with OVER or FILTER", f->location);
  }
  std::vector<ExprType> types;
  PGW_RETURN_IF_ERROR(ExprList(f->args, f->n_args, args, &types));
  type = oid::kInt4;
  for (const ExprType& t : types) {
    switch (t.oid) {
      case oid::kDate:
      case oid::kTimestamp:
      case oid::kTimestamptz:
      case oid::kInterval:
        return Unsupported("generate_series over dates and timestamps", f->location);
      case oid::kInt8:
        if (type != oid::kNumeric) type = oid::kInt8;
        break;
      case oid::kNumeric:
        type = oid::kNumeric;
        break;
      default:
        break;
    }
  }
  for (size_t i = 0; i < f->n_args; ++i) HintParam(f->args[i], ExprType{type, -1});
  return Status::OK();
}

void Transformer::NameList(Node* const* items, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.append(", ");
    d_.AppendIdentifier(out, StringValue(items[i]));
  }
}

std::optional<ExprType> Transformer::LookupColumn(std::string_view table,
                                                  std::string_view column) const {
  if (opts_.schema == nullptr) return std::nullopt;
  std::optional<ColumnTypeInfo> info = opts_.schema->ColumnType(table, column);
  if (!info) return std::nullopt;
  return ExprType{info->type_oid, info->typmod};
}

namespace {

const ResultColumnHint* FindColumn(const RangeEntry& e, std::string_view name, size_t* index) {
  for (size_t i = 0; i < e.columns.size(); ++i) {
    if (e.columns[i].name == name) {
      if (index != nullptr) *index = i;
      return &e.columns[i];
    }
  }
  return nullptr;
}

}  // namespace

std::optional<ExprType> Transformer::ColumnType(const PgQuery__ColumnRef* c) const {
  if (c->n_fields == 0) return std::nullopt;
  std::string_view col = StringValue(c->fields[c->n_fields - 1]);
  std::string_view qual = c->n_fields >= 2 ? StringValue(c->fields[c->n_fields - 2]) : "";
  if (col.empty()) return std::nullopt;
  for (size_t s = scopes_.size(); s > 0; --s) {
    for (const RangeEntry& e : scopes_[s - 1].entries) {
      if (!qual.empty() && e.alias != qual) continue;
      std::optional<ExprType> t;
      if (!e.table.empty()) {
        t = LookupColumn(e.table, col);
      } else if (const ResultColumnHint* h = FindColumn(e, col, nullptr)) {
        t = ExprType{h->type_oid, h->typmod};
      }
      if (t) return t;
      if (!qual.empty()) return std::nullopt;
    }
  }
  return std::nullopt;
}

Status Transformer::ColumnRef(const PgQuery__ColumnRef* c, std::string& out, ExprType& t) {
  size_t n = c->n_fields;
  if (n == 0) return Status::Error(sqlstate::kInternalError, "empty column reference");
  bool star = c->fields[n - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR;
  if (n > 4 || (n == 4 && !star) || (n == 3 && !star && [&] {
        std::string_view schema = StringValue(c->fields[0]);
        return schema != "public" && schema != "pg_catalog";
      }())) {
    return Unsupported("this column reference", c->location);
  }
  std::string_view col = star ? "" : StringValue(c->fields[n - 1]);
  std::string_view qual;
  if (star && n >= 2) qual = StringValue(c->fields[n - 2]);
  if (!star && n >= 2) qual = StringValue(c->fields[n - 2]);
  // Inlined LATERAL columns.
  if (!star) {
    for (size_t s = scopes_.size(); s > 0; --s) {
      for (const RangeEntry& e : scopes_[s - 1].entries) {
        if (!e.inlined || (!qual.empty() && e.alias != qual)) continue;
        size_t index = 0;
        if (const ResultColumnHint* h = FindColumn(e, col, &index)) {
          out.push_back('(');
          out.append(e.inline_sql[index]);
          out.push_back(')');
          t = ExprType{h->type_oid, h->typmod};
          return Status::OK();
        }
      }
    }
  }
  if (!qual.empty() && qual != returning_target_) {
    d_.AppendIdentifier(out, qual);
    out.push_back('.');
  }
  if (star) {
    out.push_back('*');
    return Status::OK();
  }
  d_.AppendIdentifier(out, col);
  if (std::optional<ExprType> ct = ColumnType(c)) t = *ct;
  return Status::OK();
}

}  // namespace pgw::sql
