// Expressions: constants, column references, parameters, operators, boolean logic, NULL and
// boolean tests, sub-links, CASE, COALESCE, GREATEST/LEAST. Function calls, casts and SQL value
// functions are in transform_func.cc.
#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// Numeric promotion rank for arithmetic result types; 0 = not a numeric type.
int NumericRank(Oid o) {
  switch (o) {
    case oid::kInt2:
      return 1;
    case oid::kInt4:
      return 2;
    case oid::kInt8:
      return 3;
    case oid::kNumeric:
      return 4;
    case oid::kFloat4:
      return 5;
    case oid::kFloat8:
      return 6;
    default:
      return 0;
  }
}

bool IsDateTime(Oid o) {
  switch (o) {
    case oid::kDate:
    case oid::kTime:
    case oid::kTimetz:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kInterval:
      return true;
    default:
      return false;
  }
}

ExprType ArithmeticType(ExprType l, ExprType r) {
  if (l.oid == 0) return ExprType{r.oid, -1};
  if (r.oid == 0) return ExprType{l.oid, -1};
  int lr = NumericRank(l.oid);
  int rr = NumericRank(r.oid);
  if (lr == 0 || rr == 0) return {};
  Oid o = lr >= rr ? l.oid : r.oid;
  if (o == oid::kFloat4) o = oid::kFloat8;  // float4 op float8 and friends
  if (lr == rr && l.oid == oid::kFloat4) o = oid::kFloat4;
  return ExprType{o, -1};
}

bool IsOperatorNode(const Node* n) {
  switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_EXPR: {
      const PgQuery__AExpr* e = n->a_expr;
      if (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) return false;
      // Operators written as function calls need no parentheses.
      std::string_view op = LastName(e->name, e->n_name);
      return !(e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && e->lexpr != nullptr &&
               (op == "/" || op == "%" || op == "^"));
    }
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
    case PG_QUERY__NODE__NODE_NULL_TEST:
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
      return true;
    case PG_QUERY__NODE__NODE_SUB_LINK:
      return n->sub_link->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK;
    case PG_QUERY__NODE__NODE_A_CONST:
      // A negative number after a unary minus would read as a comment ("--1").
      return true;
    default:
      return false;
  }
}

// Integer text fitting int64?
bool FitsInt64(std::string_view text, int64_t* value) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && p == text.data() + text.size();
}

bool IsIntegerText(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// PostgreSQL's boolean input spellings; false when `s` is none of them.
bool ParseBoolText(std::string_view s, bool* value) {
  std::string v;
  for (char c : s) {
    if (c != ' ') v.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  if (v == "t" || v == "true" || v == "y" || v == "yes" || v == "on" || v == "1") {
    *value = true;
    return true;
  }
  if (v == "f" || v == "false" || v == "n" || v == "no" || v == "off" || v == "0") {
    *value = false;
    return true;
  }
  return false;
}

}  // namespace

void Transformer::BooleanConstant(const Node* n, ExprType other, std::string& sql) const {
  if (other.oid != oid::kBool || n == nullptr || n->node_case != PG_QUERY__NODE__NODE_A_CONST ||
      n->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL) {
    return;
  }
  bool value = false;
  if (ParseBoolText(n->a_const->sval->sval, &value)) sql = d_.BoolLiteral(value);
}

Status Transformer::Operand(const Node* n, std::string& out, ExprType& t) {
  if (n != nullptr && IsOperatorNode(n)) {
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST) {
      // Only negative numbers need the parentheses.
      const PgQuery__AConst* c = n->a_const;
      bool negative = (c->val_case == PG_QUERY__A__CONST__VAL_IVAL && c->ival->ival < 0) ||
                      (c->val_case == PG_QUERY__A__CONST__VAL_FVAL && c->fval->fval[0] == '-');
      if (!negative) return Expr(n, out, t);
    }
    out.push_back('(');
    PGW_RETURN_IF_ERROR(Expr(n, out, t));
    out.push_back(')');
    return Status::OK();
  }
  return Expr(n, out, t);
}

Status Transformer::Expr(const Node* n, std::string& out, ExprType& t) {
  DepthGuard guard(*this);
  if (!guard.ok()) return StackDepthExceeded();
  t = ExprType{};
  if (n == nullptr) return Status::Error(sqlstate::kInternalError, "missing expression");
  switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
      return Const(n->a_const, out, t);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
      return ColumnRef(n->column_ref, out, t);
    case PG_QUERY__NODE__NODE_PARAM_REF:
      return ParamRef(n->param_ref, out, t);
    case PG_QUERY__NODE__NODE_A_EXPR:
      return AExpr(n->a_expr, out, t);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
      return BoolExpr(n->bool_expr, out, t);
    case PG_QUERY__NODE__NODE_NULL_TEST: {
      const PgQuery__NullTest* nt = n->null_test;
      ExprType at;
      PGW_RETURN_IF_ERROR(Operand(nt->arg, out, at));
      out.append(nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL ? " IS NULL"
                                                                       : " IS NOT NULL");
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
      const PgQuery__BooleanTest* bt = n->boolean_test;
      ExprType at;
      PGW_RETURN_IF_ERROR(Operand(bt->arg, out, at));
      HintParam(bt->arg, ExprType{oid::kBool, -1});
      switch (bt->booltesttype) {
        case PG_QUERY__BOOL_TEST_TYPE__IS_TRUE:
          out.append(" IS TRUE");
          break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE:
          out.append(" IS NOT TRUE");
          break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_FALSE:
          out.append(" IS FALSE");
          break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE:
          out.append(" IS NOT FALSE");
          break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
          out.append(" IS NULL");
          break;
        default:
          out.append(" IS NOT NULL");
          break;
      }
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
      return SubLink(n->sub_link, out, t);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
      return CaseExpr(n->case_expr, out, t);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: {
      const PgQuery__CoalesceExpr* c = n->coalesce_expr;
      out.append("coalesce(");
      std::vector<ExprType> types;
      PGW_RETURN_IF_ERROR(ExprList(c->args, c->n_args, out, &types));
      if (c->n_args == 1) out.append(", NULL");
      out.push_back(')');
      for (const ExprType& et : types) {
        if (et.oid != 0) {
          t = et;
          break;
        }
      }
      for (size_t i = 0; i < c->n_args; ++i) HintParam(c->args[i], t);
      return Status::OK();
    }
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      return MinMax(n->min_max_expr, out, t);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      return FuncCall(n->func_call, out, t);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
      return TypeCast(n->type_cast, out, t);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      return ValueFunction(n->sqlvalue_function, out, t);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: {
      const PgQuery__CollateClause* cc = n->collate_clause;
      std::string_view coll = LastName(cc->collname, cc->n_collname);
      if (coll != "C" && coll != "POSIX" && coll != "default") {
        return Unsupported(fmt::format("collation \"{}\"", coll), cc->location);
      }
      PGW_RETURN_IF_ERROR(Operand(cc->arg, out, t));
      out.append(" COLLATE BINARY");
      return Status::OK();
    }
    case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
      // INSERT ... VALUES handles DEFAULT itself; SQLite has it nowhere else.
      return Unsupported("DEFAULT in this position", n->set_to_default->location);
    case PG_QUERY__NODE__NODE_ROW_EXPR: {
      const PgQuery__RowExpr* r = n->row_expr;
      out.push_back('(');
      PGW_RETURN_IF_ERROR(ExprList(r->args, r->n_args, out, nullptr));
      out.push_back(')');
      t.oid = oid::kRecord;
      return Status::OK();
    }
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
      return Unsupported("ARRAY constructors", n->a_array_expr->location);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
      return Subscript(n->a_indirection, out, t);
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
      return Unsupported("GROUPING()");
    default:
      return Unsupported("this expression");
  }
}

Status Transformer::ExprList(Node* const* items, size_t n, std::string& out,
                             std::vector<ExprType>* types) {
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.append(", ");
    ExprType t;
    PGW_RETURN_IF_ERROR(Expr(items[i], out, t));
    if (types != nullptr) types->push_back(t);
  }
  return Status::OK();
}

Status Transformer::Const(const PgQuery__AConst* c, std::string& out, ExprType& t) {
  if (c->isnull || c->val_case == PG_QUERY__A__CONST__VAL__NOT_SET) {
    out.append("NULL");
    return Status::OK();
  }
  bool as_param = parameterize_ && c->location >= 0;
  switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
      t.oid = oid::kInt4;
      if (!as_param) {
        out.append(std::to_string(c->ival->ival));
        return Status::OK();
      }
      break;
    case PG_QUERY__A__CONST__VAL_FVAL: {
      std::string_view text = c->fval->fval;
      int64_t v = 0;
      if (IsIntegerText(text)) {
        bool fits = FitsInt64(text[0] == '+' ? text.substr(1) : text, &v);
        t.oid = fits ? oid::kInt8 : oid::kNumeric;
        if (!fits) as_param = false;  // stays exact: only int64 integers become parameters
      } else {
        t.oid = oid::kNumeric;
      }
      if (!as_param) {
        out.append(text);
        return Status::OK();
      }
      break;
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
      t.oid = oid::kBool;
      out.append(d_.BoolLiteral(c->boolval->boolval));
      return Status::OK();
    case PG_QUERY__A__CONST__VAL_SVAL:
      t.oid = oid::kText;
      if (!as_param) {
        d_.AppendString(out, c->sval->sval);
        return Status::OK();
      }
      break;
    case PG_QUERY__A__CONST__VAL_BSVAL:
      return Unsupported("bit string constants", c->location);
    default:
      out.append("NULL");
      return Status::OK();
  }
  out.push_back(kLiteralMarkBegin);
  out.append(std::to_string(c->location));
  out.push_back(kLiteralMarkEnd);
  emitted_marker_ = true;
  return Status::OK();
}

Status Transformer::ParamRef(const PgQuery__ParamRef* p, std::string& out, ExprType& t) {
  if (p->number < 1 || p->number > kMaxParamNumber) {
    return Status::Error(sqlstate::kUndefinedParameter,
                         fmt::format("there is no parameter ${}", p->number))
        .WithPosition(p->location + 1);
  }
  if (p->number > max_param_) max_param_ = p->number;
  if (param_types_.size() < static_cast<size_t>(p->number)) {
    param_types_.resize(static_cast<size_t>(p->number), 0);
  }
  d_.AppendPlaceholder(out, p->number);
  t.oid = param_types_[static_cast<size_t>(p->number) - 1];
  return Status::OK();
}

void Transformer::HintParam(const Node* n, ExprType t) {
  if (n == nullptr || t.oid == 0 || t.oid == oid::kRecord) return;
  if (n->node_case != PG_QUERY__NODE__NODE_PARAM_REF) return;
  int number = n->param_ref->number;
  if (number < 1 || number > kMaxParamNumber) return;  // ParamRef refuses it
  if (param_types_.size() < static_cast<size_t>(number)) {
    param_types_.resize(static_cast<size_t>(number), 0);
  }
  Oid& slot = param_types_[static_cast<size_t>(number) - 1];
  if (slot == 0) slot = t.oid;
}

Status Transformer::AExpr(const PgQuery__AExpr* e, std::string& out, ExprType& t) {
  std::string_view op = LastName(e->name, e->n_name);
  switch (e->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
      if (e->lexpr == nullptr) {  // prefix operator
        ExprType at;
        if (op == "-") {
          out.push_back('-');
          PGW_RETURN_IF_ERROR(Operand(e->rexpr, out, at));
          t = at;
          return Status::OK();
        }
        if (op == "+") return Operand(e->rexpr, out, t);
        if (op == "~") {
          out.push_back('~');
          return Operand(e->rexpr, out, t);
        }
        return Unsupported(fmt::format("prefix operator {}", op), e->location);
      }
      return BinaryOp(e, op, out, t);
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL: {
      bool any = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
      const Node* r = e->rexpr;
      if (r == nullptr || !((any && op == "=") || (!any && op == "<>"))) {
        return Unsupported(any ? "ANY (array)" : "ALL (array)", e->location);
      }
      if (r->node_case != PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
        return ArrayMembership(e, any, out, t);
      }
      ExprType lt;
      PGW_RETURN_IF_ERROR(Operand(e->lexpr, out, lt));
      out.append(any ? " IN (" : " NOT IN (");
      const PgQuery__AArrayExpr* arr = r->a_array_expr;
      PGW_RETURN_IF_ERROR(ExprList(arr->elements, arr->n_elements, out, nullptr));
      out.push_back(')');
      for (size_t i = 0; i < arr->n_elements; ++i) HintParam(arr->elements[i], lt);
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
      ExprType lt, rt;
      PGW_RETURN_IF_ERROR(Operand(e->lexpr, out, lt));
      out.append(e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT ? " IS NOT " : " IS ");
      PGW_RETURN_IF_ERROR(Operand(e->rexpr, out, rt));
      HintParam(e->lexpr, rt);
      HintParam(e->rexpr, lt);
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: {
      ExprType lt, rt;
      out.append("nullif(");
      PGW_RETURN_IF_ERROR(Expr(e->lexpr, out, lt));
      out.append(", ");
      PGW_RETURN_IF_ERROR(Expr(e->rexpr, out, rt));
      out.push_back(')');
      HintParam(e->lexpr, rt);
      HintParam(e->rexpr, lt);
      t = lt.oid != 0 ? lt : rt;
      return Status::OK();
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
      return InExpr(e, out, t);
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
      return LikeExpr(e, false, out, t);
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
      return LikeExpr(e, true, out, t);
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
      return Unsupported("SIMILAR TO", e->location);
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
      const Node* r = e->rexpr;
      if (r == nullptr || r->node_case != PG_QUERY__NODE__NODE_LIST || r->list->n_items != 2) {
        return Status::Error(sqlstate::kInternalError, "malformed BETWEEN");
      }
      ExprType lt, at, bt;
      PGW_RETURN_IF_ERROR(Operand(e->lexpr, out, lt));
      out.append(e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN ? " BETWEEN " : " NOT BETWEEN ");
      PGW_RETURN_IF_ERROR(Operand(r->list->items[0], out, at));
      out.append(" AND ");
      PGW_RETURN_IF_ERROR(Operand(r->list->items[1], out, bt));
      HintParam(r->list->items[0], lt);
      HintParam(r->list->items[1], lt);
      HintParam(e->lexpr, at.oid != 0 ? at : bt);
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM:
      return Unsupported("BETWEEN SYMMETRIC", e->location);
    default:
      return Unsupported("this operator", e->location);
  }
}

Status Transformer::BinaryOp(const PgQuery__AExpr* e, std::string_view op, std::string& out,
                             ExprType& t) {
  ExprType lt, rt;
  if (op == "/" && !d_.IntegerDivideOperator().empty()) {
    std::string l, r;
    PGW_RETURN_IF_ERROR(Operand(e->lexpr, l, lt));
    PGW_RETURN_IF_ERROR(Operand(e->rexpr, r, rt));
    HintParam(e->lexpr, rt);
    HintParam(e->rexpr, lt);
    t = ArithmeticType(lt, rt);
    const TypeInfo* li = LookupType(lt.oid);
    const TypeInfo* ri = LookupType(rt.oid);
    bool integers = li != nullptr && ri != nullptr && li->category == TypeCategory::kInteger &&
                    ri->category == TypeCategory::kInteger;
    out.append(fmt::format("({} {} {})", l, integers ? d_.IntegerDivideOperator() : "/", r));
    return Status::OK();
  }
  if (op == "<=>" || op == "<#>" || op == "<->") return VectorDistance(e, op, out, t);
  if (op == "/" || op == "%") {
    // A dialect without a function for it (PostgreSQL) keeps the operator.
    std::string_view fn = op == "/" ? d_.DivideFunction() : d_.ModuloFunction();
    out.append(fn);
    out.push_back('(');
    PGW_RETURN_IF_ERROR(Expr(e->lexpr, out, lt));
    out.append(fn.empty() ? fmt::format(" {} ", op) : std::string(", "));
    PGW_RETURN_IF_ERROR(Expr(e->rexpr, out, rt));
    out.push_back(')');
    HintParam(e->lexpr, rt);
    HintParam(e->rexpr, lt);
    t = ArithmeticType(lt, rt);
    return Status::OK();
  }
  if (op == "^") {
    out.append("pow(");
    PGW_RETURN_IF_ERROR(Expr(e->lexpr, out, lt));
    out.append(", ");
    PGW_RETURN_IF_ERROR(Expr(e->rexpr, out, rt));
    out.push_back(')');
    t.oid = lt.oid == oid::kNumeric || rt.oid == oid::kNumeric ? oid::kNumeric : oid::kFloat8;
    return Status::OK();
  }
  enum class Kind { kArith, kCompare, kConcat, kBitwise } kind;
  std::string_view sql_op = op;
  if (op == "+" || op == "-" || op == "*") {
    kind = Kind::kArith;
  } else if (op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=") {
    kind = Kind::kCompare;
  } else if (op == "!=") {
    kind = Kind::kCompare;
    sql_op = "<>";
  } else if (op == "||") {
    kind = Kind::kConcat;
  } else if (op == "&" || op == "|" || op == "<<" || op == ">>") {
    kind = Kind::kBitwise;
  } else if (op == "~" || op == "~*" || op == "!~" || op == "!~*") {
    return RegexMatch(e, op, out, t);
  } else {
    return Unsupported(fmt::format("operator {}", op), e->location);
  }
  size_t start = out.size();
  std::string ls, rs;
  PGW_RETURN_IF_ERROR(Operand(e->lexpr, ls, lt));
  PGW_RETURN_IF_ERROR(Operand(e->rexpr, rs, rt));
  if (kind == Kind::kCompare) {
    // boolean = 'f': the string constant is a boolean literal.
    BooleanConstant(e->rexpr, lt, rs);
    BooleanConstant(e->lexpr, rt, ls);
  }
  out.append(ls);
  out.push_back(' ');
  out.append(sql_op);
  out.push_back(' ');
  out.append(rs);
  if (kind == Kind::kArith && (IsDateTime(lt.oid) || IsDateTime(rt.oid))) {
    out.resize(start);
    bool handled = false;
    PGW_RETURN_IF_ERROR(DateTimeArithmetic(e, op, out, t, handled));
    if (handled) return Status::OK();
    return Unsupported("date/time arithmetic", e->location);
  }
  if (kind != Kind::kConcat) {
    HintParam(e->lexpr, rt);
    HintParam(e->rexpr, lt);
  }
  switch (kind) {
    case Kind::kArith:
    case Kind::kBitwise:
      t = ArithmeticType(lt, rt);
      break;
    case Kind::kCompare:
      t.oid = oid::kBool;
      break;
    case Kind::kConcat:
      t.oid = oid::kText;
      break;
  }
  return Status::OK();
}

Status Transformer::VectorDistance(const PgQuery__AExpr* e, std::string_view op, std::string& out,
                                   ExprType& t) {
  // Text (a '[..]' literal or a parameter) on either side is a vector given as text.
  auto operand = [&](const Node* n, std::string& sql) -> Status {
    ExprType et;
    bool text = n != nullptr && (n->node_case == PG_QUERY__NODE__NODE_PARAM_REF ||
                                 (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                                  n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL));
    std::string inner;
    PGW_RETURN_IF_ERROR(Operand(n, inner, et));
    if (text) {
      HintParam(n, ExprType{oid::kVector, -1});
      d_.AppendVectorValue(sql, inner);
    } else {
      sql.append(inner);
    }
    return Status::OK();
  };
  std::string l, r;
  PGW_RETURN_IF_ERROR(operand(e->lexpr, l));
  PGW_RETURN_IF_ERROR(operand(e->rexpr, r));
  if (!d_.AppendVectorDistance(out, op, l, r)) {
    return Unsupported(fmt::format("operator {}", op), e->location);
  }
  t = ExprType{oid::kFloat8, -1};
  return Status::OK();
}

Status Transformer::InExpr(const PgQuery__AExpr* e, std::string& out, ExprType& t) {
  std::string_view op = LastName(e->name, e->n_name);
  const Node* r = e->rexpr;
  if (r == nullptr || r->node_case != PG_QUERY__NODE__NODE_LIST) {
    return Unsupported("IN with this right-hand side", e->location);
  }
  if (e->lexpr != nullptr && e->lexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
    return Unsupported("row-valued IN lists", e->location);
  }
  ExprType lt;
  PGW_RETURN_IF_ERROR(Operand(e->lexpr, out, lt));
  out.append(op == "<>" ? " NOT IN (" : " IN (");
  std::vector<ExprType> types;
  PGW_RETURN_IF_ERROR(ExprList(r->list->items, r->list->n_items, out, &types));
  out.push_back(')');
  for (size_t i = 0; i < r->list->n_items; ++i) HintParam(r->list->items[i], lt);
  for (const ExprType& et : types) {
    if (et.oid != 0) {
      HintParam(e->lexpr, et);
      break;
    }
  }
  t.oid = oid::kBool;
  return Status::OK();
}

Status Transformer::LikeExpr(const PgQuery__AExpr* e, bool ilike, std::string& out, ExprType& t) {
  std::string_view op = LastName(e->name, e->n_name);
  bool negated = !op.empty() && op[0] == '!';
  const Node* pattern = e->rexpr;
  const Node* escape = nullptr;
  if (pattern != nullptr && pattern->node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
      LastName(pattern->func_call->funcname, pattern->func_call->n_funcname) == "like_escape" &&
      pattern->func_call->n_args == 2) {
    escape = pattern->func_call->args[1];
    pattern = pattern->func_call->args[0];
  }
  ExprType lt, pt, et;
  if (ilike) {
    out.append("lower(");
    PGW_RETURN_IF_ERROR(Expr(e->lexpr, out, lt));
    out.append(negated ? ") NOT LIKE lower(" : ") LIKE lower(");
    PGW_RETURN_IF_ERROR(Expr(pattern, out, pt));
    out.push_back(')');
  } else {
    PGW_RETURN_IF_ERROR(Operand(e->lexpr, out, lt));
    out.append(negated ? " NOT LIKE " : " LIKE ");
    PGW_RETURN_IF_ERROR(Operand(pattern, out, pt));
  }
  out.append(" ESCAPE ");
  if (escape != nullptr) {
    PGW_RETURN_IF_ERROR(Operand(escape, out, et));
  } else {
    d_.AppendString(out, "\\");
  }
  ExprType text{oid::kText, -1};
  HintParam(e->lexpr, text);
  HintParam(pattern, text);
  t.oid = oid::kBool;
  return Status::OK();
}

Status Transformer::BoolExpr(const PgQuery__BoolExpr* e, std::string& out, ExprType& t) {
  t.oid = oid::kBool;
  ExprType at;
  ExprType boolean{oid::kBool, -1};
  if (e->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
    out.append("NOT ");
    if (e->n_args != 1) return Status::Error(sqlstate::kInternalError, "malformed NOT");
    PGW_RETURN_IF_ERROR(Operand(e->args[0], out, at));
    HintParam(e->args[0], boolean);
    return Status::OK();
  }
  std::string_view sep = e->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ? " AND " : " OR ";
  for (size_t i = 0; i < e->n_args; ++i) {
    if (i > 0) out.append(sep);
    PGW_RETURN_IF_ERROR(Operand(e->args[i], out, at));
    HintParam(e->args[i], boolean);
  }
  return Status::OK();
}

Status Transformer::SubLink(const PgQuery__SubLink* s, std::string& out, ExprType& t) {
  QueryShape shape;
  switch (s->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
      out.append("EXISTS ");
      PGW_RETURN_IF_ERROR(SubQuery(s->subselect, out, shape));
      t.oid = oid::kBool;
      return Status::OK();
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
      PGW_RETURN_IF_ERROR(SubQuery(s->subselect, out, shape));
      if (shape.known && !shape.columns.empty()) {
        t = ExprType{shape.columns[0].type_oid, shape.columns[0].typmod};
      }
      return Status::OK();
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: {
      bool any = s->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK;
      std::string_view op = LastName(s->oper_name, s->n_oper_name);
      if (any && op.empty()) op = "=";
      if (!((any && op == "=") || (!any && op == "<>"))) {
        return Unsupported(fmt::format("{} {} (subquery)", op, any ? "ANY" : "ALL"), s->location);
      }
      if (s->testexpr != nullptr && s->testexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
        return Unsupported("row-valued IN (subquery)", s->location);
      }
      ExprType lt;
      PGW_RETURN_IF_ERROR(Operand(s->testexpr, out, lt));
      out.append(any ? " IN " : " NOT IN ");
      PGW_RETURN_IF_ERROR(SubQuery(s->subselect, out, shape));
      if (shape.known && !shape.columns.empty()) {
        HintParam(s->testexpr, ExprType{shape.columns[0].type_oid, shape.columns[0].typmod});
      }
      t.oid = oid::kBool;
      return Status::OK();
    }
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
      return ArraySubquery(s, out, t);
    default:
      return Unsupported("this kind of subquery", s->location);
  }
}

Status Transformer::SubQuery(const Node* query, std::string& out, QueryShape& shape) {
  if (query == nullptr || query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this kind of subquery");
  }
  out.push_back('(');
  PGW_RETURN_IF_ERROR(Select(query->select_stmt, out, shape));
  out.push_back(')');
  return Status::OK();
}

Status Transformer::CaseExpr(const PgQuery__CaseExpr* c, std::string& out, ExprType& t) {
  out.append("CASE");
  ExprType arg_type;
  if (c->arg != nullptr) {
    out.push_back(' ');
    PGW_RETURN_IF_ERROR(Expr(c->arg, out, arg_type));
  }
  for (size_t i = 0; i < c->n_args; ++i) {
    const PgQuery__CaseWhen* w = c->args[i]->case_when;
    ExprType wt, rt;
    out.append(" WHEN ");
    PGW_RETURN_IF_ERROR(Expr(w->expr, out, wt));
    out.append(" THEN ");
    PGW_RETURN_IF_ERROR(Expr(w->result, out, rt));
    if (c->arg != nullptr) {
      HintParam(w->expr, arg_type);
      HintParam(c->arg, wt);
    } else {
      HintParam(w->expr, ExprType{oid::kBool, -1});
    }
    if (t.oid == 0) t = rt;
  }
  if (c->defresult != nullptr) {
    ExprType dt;
    out.append(" ELSE ");
    PGW_RETURN_IF_ERROR(Expr(c->defresult, out, dt));
    if (t.oid == 0) t = dt;
  }
  out.append(" END");
  return Status::OK();
}

Status Transformer::MinMax(const PgQuery__MinMaxExpr* m, std::string& out, ExprType& t) {
  // PostgreSQL's GREATEST/LEAST ignore NULLs; SQLite's max()/min() return NULL if any argument
  // is NULL. max(coalesce(a, b, c), coalesce(b, a, c), ...) is NULL only when all are.
  std::vector<std::string> args(m->n_args);
  for (size_t i = 0; i < m->n_args; ++i) {
    ExprType at;
    PGW_RETURN_IF_ERROR(Expr(m->args[i], args[i], at));
    if (t.oid == 0) t = at;
  }
  if (args.size() == 1) {
    out.append(args[0]);
    return Status::OK();
  }
  out.append(m->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "max(" : "min(");
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.append(", ");
    out.append("coalesce(");
    out.append(args[i]);
    for (size_t j = 0; j < args.size(); ++j) {
      if (j == i) continue;
      out.append(", ");
      out.append(args[j]);
    }
    out.push_back(')');
  }
  out.push_back(')');
  for (size_t i = 0; i < m->n_args; ++i) HintParam(m->args[i], t);
  return Status::OK();
}

}  // namespace pgw::sql
