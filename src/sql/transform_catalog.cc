// The constructs catalog queries use: casts to the reg* types (name <-> oid through the catalog,
// with search_path semantics and PostgreSQL's errors), their output as names, regular
// expression matches (~, ~*, !~, !~*, OPERATOR(pg_catalog.~)) and `= ANY(array)` over
// array-valued expressions. The dialect names the runtime functions (SqlDialect::CatalogFunction).
#include <fmt/format.h>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

struct RegFunctions {
  CatalogFn in;
  CatalogFn out;
};

RegFunctions FunctionsFor(Oid t) {
  switch (t) {
    case oid::kRegclass:
      return {CatalogFn::kRegclassIn, CatalogFn::kRegclassOut};
    case oid::kRegtype:
      return {CatalogFn::kRegtypeIn, CatalogFn::kRegtypeOut};
    case oid::kRegnamespace:
      return {CatalogFn::kRegnamespaceIn, CatalogFn::kRegnamespaceOut};
    case oid::kRegrole:
      return {CatalogFn::kRegroleIn, CatalogFn::kRegroleOut};
    default:  // regproc, regprocedure
      return {CatalogFn::kRegprocIn, CatalogFn::kRegprocOut};
  }
}

bool IsIntegerLike(Oid t) {
  return t == oid::kOid || t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8 || IsRegType(t);
}

}  // namespace

bool IsRegType(Oid t) {
  return t == oid::kRegclass || t == oid::kRegtype || t == oid::kRegproc ||
         t == oid::kRegprocedure || t == oid::kRegnamespace || t == oid::kRegrole;
}

Result<std::string_view> Transformer::CatalogRuntime(CatalogFn f) const {
  std::string_view fn = d_.CatalogFunction(f);
  if (fn.empty()) return Unsupported("the PostgreSQL catalog");
  return fn;
}

void Transformer::RegTypeOutput(Oid t, size_t start, std::string& out) const {
  std::string inner = out.substr(start);
  out.resize(start);
  std::string_view fn = d_.CatalogFunction(FunctionsFor(t).out);
  if (fn.empty()) return;  // no catalog on this target: the value stays an oid
  out.append(fn);
  out.push_back('(');
  out.append(inner);
  out.push_back(')');
}

Status Transformer::RegTypeCast(const PgQuery__TypeCast* c, Oid target, std::string& out,
                                ExprType& t) {
  const Node* arg = c->arg;
  std::string inner;
  ExprType at;
  if (arg->node_case == PG_QUERY__NODE__NODE_PARAM_REF) {
    // A parameter cast to a reg* type is a name (or an oid in text form) to look up.
    HintParam(arg, ExprType{oid::kText, -1});
    PGW_RETURN_IF_ERROR(ParamRef(arg->param_ref, inner, at));
    at = ExprType{oid::kText, -1};
  } else if (arg->node_case == PG_QUERY__NODE__NODE_A_CONST) {
    // The constant decides the result: it stays inline.
    bool saved = parameterize_;
    parameterize_ = false;
    Status st = Const(arg->a_const, inner, at);
    parameterize_ = saved;
    PGW_RETURN_IF_ERROR(std::move(st));
  } else {
    PGW_RETURN_IF_ERROR(Expr(arg, inner, at));
  }
  t = ExprType{target, -1};
  if (at.oid != 0 && IsIntegerLike(at.oid)) {
    out.append(inner);  // an oid is already the value
    return Status::OK();
  }
  PGW_TRY(std::string_view fn, CatalogRuntime(FunctionsFor(target).in));
  out.append(fn);
  out.push_back('(');
  out.append(inner);
  out.push_back(')');
  return Status::OK();
}

Status Transformer::RegexMatch(const PgQuery__AExpr* e, std::string_view op, std::string& out,
                               ExprType& t) {
  const bool negated = op[0] == '!';
  const bool icase = op.back() == '*';
  if (negated) out.append("NOT ");
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kRegexMatch));
  out.append(fn);
  out.push_back('(');
  ExprType lt, rt;
  PGW_RETURN_IF_ERROR(Expr(e->lexpr, out, lt));
  out.append(", ");
  PGW_RETURN_IF_ERROR(Expr(e->rexpr, out, rt));
  out.append(icase ? ", 'i')" : ", '')");
  HintParam(e->lexpr, ExprType{oid::kText, -1});
  HintParam(e->rexpr, ExprType{oid::kText, -1});
  t = ExprType{oid::kBool, -1};
  return Status::OK();
}

Status Transformer::ArrayMembership(const PgQuery__AExpr* e, bool any, std::string& out,
                                    ExprType& t) {
  if (!any) out.append("NOT ");
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kArrayContains));
  out.append(fn);
  out.push_back('(');
  ExprType lt, rt;
  std::string left;
  PGW_RETURN_IF_ERROR(Expr(e->lexpr, left, lt));
  PGW_RETURN_IF_ERROR(Expr(e->rexpr, out, rt));
  out.append(", ");
  out.append(left);
  out.push_back(')');
  if (lt.oid != 0) {
    if (const TypeInfo* info = LookupType(lt.oid); info != nullptr && info->array_oid != 0) {
      HintParam(e->rexpr, ExprType{info->array_oid, -1});
    }
  }
  if (rt.oid != 0) {
    if (const TypeInfo* info = LookupType(rt.oid); info != nullptr && info->element_oid != 0) {
      HintParam(e->lexpr, ExprType{info->element_oid, -1});
    }
  }
  t = ExprType{oid::kBool, -1};
  return Status::OK();
}

}  // namespace pgw::sql

namespace pgw::sql {

Status Transformer::ArraySubquery(const PgQuery__SubLink* s, std::string& out, ExprType& t) {
  const Node* q = s->subselect;
  const PgQuery__SelectStmt* sub =
      q != nullptr && q->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ? q->select_stmt : nullptr;
  if (sub == nullptr || sub->op != PG_QUERY__SET_OPERATION__SETOP_NONE || sub->n_values_lists > 0 ||
      sub->with_clause != nullptr || sub->n_target_list != 1 || sub->n_group_clause > 0 ||
      sub->having_clause != nullptr || sub->n_distinct_clause > 0 || sub->limit_count != nullptr ||
      sub->limit_offset != nullptr || sub->n_window_clause > 0) {
    return Unsupported("this ARRAY(subquery)", s->location);
  }
  const FunctionMapping* agg = d_.LookupFunction("array_agg");
  if (agg == nullptr) return Unsupported("ARRAY(subquery)", s->location);
  PushScope();
  struct Pop {
    Transformer* t;
    ~Pop() { t->PopScope(); }
  } pop{this};
  std::string from;
  PGW_RETURN_IF_ERROR(FromList(sub->from_clause, sub->n_from_clause, from));
  std::string value;
  ExprType vt;
  PGW_RETURN_IF_ERROR(Expr(sub->target_list[0]->res_target->val, value, vt));
  Oid elem = vt.oid;
  const TypeInfo* info = elem == 0 ? nullptr : LookupType(elem);
  if (info == nullptr || info->array_oid == 0 || elem == oid::kUnknown) {
    elem = oid::kText;
    info = LookupType(elem);
  }
  // ARRAY() of no rows is an empty array, where array_agg() gives NULL.
  out.append("(SELECT coalesce(");
  out.append(agg->target_name);
  out.push_back('(');
  out.append(value);
  out.append(", ");
  out.append(std::to_string(elem));
  PGW_RETURN_IF_ERROR(AggregateSortKeys(sub->sort_clause, sub->n_sort_clause, out));
  out.append("), '{}')");
  if (!from.empty()) {
    out.append(" FROM ");
    out.append(from);
  }
  if (sub->where_clause != nullptr) {
    out.append(" WHERE ");
    ExprType wt;
    PGW_RETURN_IF_ERROR(Expr(sub->where_clause, out, wt));
  }
  out.push_back(')');
  t = ExprType{info != nullptr ? info->array_oid : oid::kTextArray, -1};
  return Status::OK();
}

Status Transformer::UnnestFunction(const PgQuery__RangeFunction* r, const PgQuery__FuncCall* f,
                                   std::string& out, bool no_rows) {
  if (f->n_args != 1 || f->agg_star || f->over != nullptr) {
    return Unsupported("unnest with several arguments", f->location);
  }
  const bool has_alias =
      r->alias != nullptr && r->alias->aliasname != nullptr && r->alias->aliasname[0] != '\0';
  std::string alias = has_alias ? r->alias->aliasname : "unnest";
  std::string column = r->alias != nullptr && r->alias->n_colnames > 0
                           ? std::string(StringValue(r->alias->colnames[0]))
                           : alias;
  ExprType at;
  std::string arg;
  PGW_RETURN_IF_ERROR(Expr(f->args[0], arg, at));
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kUnnest));
  out.append(fn);
  out.push_back('(');
  out.append(no_rows ? "NULL" : arg);
  out.append(") AS ");
  d_.AppendIdentifier(out, alias);
  // The function's columns are `value` and `ordinality`: references are rewritten to them.
  RangeEntry entry;
  entry.alias = alias;
  ResultColumnHint h;
  h.name = column;
  if (const TypeInfo* info = at.oid == 0 ? nullptr : LookupType(at.oid))
    h.type_oid = info->element_oid;
  entry.columns.push_back(h);
  std::string ref;
  d_.AppendIdentifier(ref, alias);
  entry.inline_sql.push_back(ref + ".value");
  if (r->ordinality) {
    ResultColumnHint o;
    o.name = r->alias != nullptr && r->alias->n_colnames > 1
                 ? std::string(StringValue(r->alias->colnames[1]))
                 : "ordinality";
    o.type_oid = oid::kInt8;
    entry.columns.push_back(o);
    entry.inline_sql.push_back(ref + ".ordinality");
  }
  entry.known = true;
  entry.inlined = true;
  scopes_.back().entries.push_back(std::move(entry));
  return Status::OK();
}

}  // namespace pgw::sql

namespace pgw::sql {

Status Transformer::Subscript(const PgQuery__AIndirection* a, std::string& out, ExprType& t) {
  if (a->n_indirection == 1 && a->indirection[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
    return FieldSelection(a, out, t);
  }
  if (a->n_indirection != 1 || a->indirection[0]->node_case != PG_QUERY__NODE__NODE_A_INDICES ||
      a->indirection[0]->a_indices->is_slice || a->indirection[0]->a_indices->uidx == nullptr) {
    return Unsupported("array slices and field selection");
  }
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kArrayElement));
  out.append(fn);
  out.push_back('(');
  ExprType at, it;
  PGW_RETURN_IF_ERROR(Expr(a->arg, out, at));
  out.append(", ");
  const Node* index = a->indirection[0]->a_indices->uidx;
  PGW_RETURN_IF_ERROR(Expr(index, out, it));
  out.push_back(')');
  HintParam(index, ExprType{oid::kInt4, -1});
  t = ExprType{};
  if (at.oid == oid::kInt2Vector) t.oid = oid::kInt2;
  if (at.oid == oid::kOidVector) t.oid = oid::kOid;
  if (const TypeInfo* info = at.oid == 0 ? nullptr : LookupType(at.oid)) {
    if (info->element_oid != 0) t.oid = info->element_oid;
  }
  return Status::OK();
}

}  // namespace pgw::sql

namespace pgw::sql {
namespace {

// unnest(x) or generate_subscripts(x, 1) written directly as a SELECT list item.
const PgQuery__FuncCall* SetReturningItem(const Node* n) {
  if (n == nullptr || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return nullptr;
  const PgQuery__FuncCall* f = n->func_call;
  std::string_view schema = f->n_funcname == 2 ? StringValue(f->funcname[0]) : "";
  size_t first = schema == "pg_catalog" || schema == "information_schema" ? 1 : 0;
  if (f->n_funcname - first != 1 || f->over != nullptr || f->agg_star) return nullptr;
  std::string_view name = StringValue(f->funcname[first]);
  if ((name == "unnest" || name == "_pg_expandarray") && f->n_args == 1) return f;
  if (name == "generate_subscripts" && f->n_args == 2) return f;
  return nullptr;
}

}  // namespace

Status Transformer::SetReturningTargets(const PgQuery__SelectStmt* s, std::string& from) {
  const PgQuery__FuncCall* srf = nullptr;
  for (size_t i = 0; i < s->n_target_list; ++i) {
    const Node* v = s->target_list[i]->res_target->val;
    // (information_schema._pg_expandarray(a)).n: the call under a field selection.
    if (v != nullptr && v->node_case == PG_QUERY__NODE__NODE_A_INDIRECTION)
      v = v->a_indirection->arg;
    const PgQuery__FuncCall* f = SetReturningItem(v);
    if (f != nullptr && srf == nullptr) srf = f;
  }
  if (srf == nullptr) return Status::OK();
  if (s->n_group_clause > 0 || s->n_distinct_clause > 0) {
    return Unsupported("set-returning functions with GROUP BY or DISTINCT", srf->location);
  }
  SrfJoin j;
  ExprType at;
  PGW_RETURN_IF_ERROR(Expr(srf->args[0], j.arg_sql, at));
  if (const TypeInfo* info = at.oid == 0 ? nullptr : LookupType(at.oid)) {
    j.element = info->element_oid;
  }
  if (at.oid == oid::kInt2Vector) j.element = oid::kInt2;
  if (at.oid == oid::kOidVector) j.element = oid::kOid;
  j.alias = "pgw_srf" + std::to_string(srf_joins_.size());
  j.scope = static_cast<int>(scopes_.size()) - 1;
  if (!from.empty()) from.append(", ");
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kUnnest));
  from.append(fn);
  from.push_back('(');
  from.append(j.arg_sql);
  from.append(") AS ");
  d_.AppendIdentifier(from, j.alias);
  srf_joins_.push_back(std::move(j));
  return Status::OK();
}

Status Transformer::SetReturningCall(const PgQuery__FuncCall* f, std::string_view name,
                                     std::string& out, ExprType& t, bool& handled) {
  handled = false;
  if (srf_joins_.empty() || srf_joins_.back().scope != static_cast<int>(scopes_.size()) - 1) {
    return Status::OK();
  }
  const SrfJoin& j = srf_joins_.back();
  if ((name != "generate_subscripts" && f->n_args != 1) ||
      (name == "generate_subscripts" && f->n_args != 2)) {
    return Status::OK();
  }
  std::string arg;
  ExprType at;
  PGW_RETURN_IF_ERROR(Expr(f->args[0], arg, at));
  if (arg != j.arg_sql) {
    return Unsupported("set-returning functions over different arrays in one SELECT list",
                       f->location);
  }
  if (name == "generate_subscripts") {
    const Node* dim = f->args[1];
    if (dim->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        dim->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL || dim->a_const->ival->ival != 1) {
      return Unsupported("generate_subscripts of a dimension other than 1", f->location);
    }
  }
  std::string ref;
  d_.AppendIdentifier(ref, j.alias);
  if (name == "_pg_expandarray") {
    // A record (x, n) in its text form "(x,n)"; field selections read the join's columns.
    out.append("('(' || coalesce(" + ref + ".value, '') || ',' || " + ref + ".ordinality || ')')");
    t = ExprType{oid::kRecord, kExpandArrayRecord};
  } else {
    out.append(ref);
    out.append(name == "unnest" ? ".value" : ".subscript");
    t = ExprType{name == "unnest" ? j.element : oid::kInt4, -1};
  }
  handled = true;
  return Status::OK();
}

}  // namespace pgw::sql

namespace pgw::sql {

Status Transformer::FieldSelection(const PgQuery__AIndirection* a, std::string& out, ExprType& t) {
  std::string_view field = StringValue(a->indirection[0]);
  std::string inner;
  ExprType rt;
  PGW_RETURN_IF_ERROR(Expr(a->arg, inner, rt));
  if (rt.oid != oid::kRecord || rt.typmod != kExpandArrayRecord || (field != "x" && field != "n")) {
    return Unsupported("field selection from this expression");
  }
  const SrfJoin* j = srf_joins_.empty() ? nullptr : &srf_joins_.back();
  const Node* arg = a->arg;
  if (j != nullptr && arg->node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
      j->scope == static_cast<int>(scopes_.size()) - 1) {
    // The call itself: read the join's columns.
    d_.AppendIdentifier(out, j->alias);
    out.append(field == "x" ? ".value" : ".ordinality");
    t = ExprType{field == "x" ? j->element : oid::kInt4, -1};
    return Status::OK();
  }
  PGW_TRY(std::string_view fn, CatalogRuntime(CatalogFn::kRecordField));
  out.append(fn);
  out.push_back('(');
  out.append(inner);
  out.append(field == "x" ? ", 1)" : ", 2)");
  t = ExprType{field == "x" ? Oid{0} : oid::kInt4, -1};
  return Status::OK();
}

}  // namespace pgw::sql
