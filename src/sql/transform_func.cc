// Function calls, casts (:: / CAST / typed literals) and SQL value functions
// (CURRENT_TIMESTAMP, CURRENT_USER, ...).
#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

bool IsSerialName(std::string_view n) {
  return n == "serial" || n == "bigserial" || n == "smallserial" || n == "serial4" ||
         n == "serial8" || n == "serial2";
}

ExprType RuleType(const FunctionMapping& m, const std::vector<ExprType>& args) {
  Oid first = args.empty() ? 0 : args[0].oid;
  switch (m.rule) {
    case ResultTypeRule::kFixed:
      return ExprType{m.type, -1};
    case ResultTypeRule::kFirstArg:
      return ExprType{first, -1};
    case ResultTypeRule::kSum:
      switch (first) {
        case oid::kInt2:
        case oid::kInt4:
          return ExprType{oid::kInt8, -1};
        case oid::kInt8:
        case oid::kNumeric:
          return ExprType{oid::kNumeric, -1};
        case oid::kFloat4:
          return ExprType{oid::kFloat4, -1};
        case oid::kFloat8:
          return ExprType{oid::kFloat8, -1};
        default:
          return {};
      }
    case ResultTypeRule::kAvg:
      return ExprType{first == oid::kFloat4 || first == oid::kFloat8 ? oid::kFloat8 : oid::kNumeric,
                      -1};
    case ResultTypeRule::kRound:
      return ExprType{first == oid::kFloat4 || first == oid::kFloat8 ? oid::kFloat8 : oid::kNumeric,
                      -1};
  }
  return {};
}

bool IsSimpleIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

// Casting a constant to one of these types leaves its text unchanged in storage form.
bool TextLikeWithoutLimit(ExprType t) {
  return (t.oid == oid::kText || t.oid == oid::kVarchar || t.oid == oid::kBpchar ||
          t.oid == oid::kUnknown) &&
         t.typmod < 0;
}

bool IntegerFits(Oid target, int64_t v) {
  switch (target) {
    case oid::kInt2:
      return v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max();
    case oid::kInt4:
      return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
    case oid::kInt8:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<ResolvedType> ResolveTypeName(const PgQuery__TypeName* tn) {
  if (tn == nullptr) return Status::Error(sqlstate::kInternalError, "missing type name");
  if (tn->pct_type) return Status::Error(sqlstate::kFeatureNotSupported, "%TYPE is not supported");
  size_t first = 0;
  if (tn->n_names == 2 && StringValue(tn->names[0]) == "pg_catalog") first = 1;
  if (tn->n_names - first != 1) {
    std::string full;
    for (size_t i = 0; i < tn->n_names; ++i) {
      if (i > 0) full.push_back('.');
      full.append(StringValue(tn->names[i]));
    }
    return Status::Error(sqlstate::kUndefinedObject,
                         fmt::format("type \"{}\" does not exist", full))
        .WithPosition(tn->location + 1);
  }
  std::string_view base = StringValue(tn->names[first]);
  bool serial = IsSerialName(base);
  if (!serial && LookupTypeByName(base) == nullptr) {
    return Status::Error(sqlstate::kUndefinedObject,
                         fmt::format("type \"{}\" does not exist", base))
        .WithPosition(tn->location + 1);
  }
  std::string declared(base);
  // interval's typmods encode field ranges; only the plain precision form is kept.
  if (tn->n_typmods > 0 && base != "interval") {
    declared.push_back('(');
    for (size_t i = 0; i < tn->n_typmods; ++i) {
      const Node* m = tn->typmods[i];
      if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
          m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL) {
        return Status::Error(sqlstate::kSyntaxError, "type modifiers must be simple constants");
      }
      if (i > 0) declared.push_back(',');
      declared.append(std::to_string(m->a_const->ival->ival));
    }
    declared.push_back(')');
  }
  if (tn->n_array_bounds > 0) declared.append("[]");
  DeclaredType dt = ParseDeclaredType(declared);
  ResolvedType r;
  r.oid = dt.oid;
  r.typmod = dt.typmod;
  r.is_serial = dt.is_serial || serial;
  r.pg_spelling = FormatType(dt.oid, dt.typmod);
  return r;
}

Status Transformer::FuncCall(const PgQuery__FuncCall* f, std::string& out, ExprType& t) {
  size_t first = 0;
  if (f->n_funcname == 2 && StringValue(f->funcname[0]) == "pg_catalog") first = 1;
  if (f->n_funcname - first != 1) {
    return Unsupported("schema-qualified functions", f->location);
  }
  std::string_view name = StringValue(f->funcname[first]);
  if (f->agg_within_group) return Unsupported("WITHIN GROUP", f->location);
  if (f->func_variadic) return Unsupported("VARIADIC", f->location);
  if (f->n_agg_order > 0) return Unsupported("ORDER BY inside aggregate calls", f->location);
  if (name == "generate_series" || name == "unnest" || name == "json_each" ||
      name == "jsonb_each" || name == "regexp_matches") {
    return Unsupported(fmt::format("set-returning function {} in this position", name),
                       f->location);
  }
  const FunctionMapping* m = d_.LookupFunction(name);
  std::vector<ExprType> types;
  if (m == nullptr) {
    // Emitted as written: the backend reports an unknown function itself.
    if (IsSimpleIdentifier(name)) {
      out.append(name);
    } else {
      d_.AppendIdentifier(out, name);
    }
  } else {
    switch (m->shape) {
      case FunctionShape::kNoArgs:
        out.append(m->target_name);
        out.append("()");
        t = ExprType{m->type, -1};
        return Status::OK();
      case FunctionShape::kRandom:
        // random() in PostgreSQL is float8 in [0, 1); SQLite's is a signed 64-bit integer.
        out.append("(random() / 18446744073709551616.0 + 0.5)");
        t = ExprType{oid::kFloat8, -1};
        return Status::OK();
      case FunctionShape::kConcat: {
        out.push_back('(');
        for (size_t i = 0; i < f->n_args; ++i) {
          if (i > 0) out.append(" || ");
          out.append("coalesce(");
          ExprType at;
          PGW_RETURN_IF_ERROR(Expr(f->args[i], out, at));
          out.append(", '')");
        }
        if (f->n_args == 0) out.append("''");
        out.push_back(')');
        t = ExprType{oid::kText, -1};
        return Status::OK();
      }
      case FunctionShape::kRename:
        out.append(m->target_name);
        break;
    }
  }
  out.push_back('(');
  if (f->agg_star) {
    out.push_back('*');
  } else {
    if (f->agg_distinct) out.append("DISTINCT ");
    PGW_RETURN_IF_ERROR(ExprList(f->args, f->n_args, out, &types));
  }
  out.push_back(')');
  if (f->agg_filter != nullptr) {
    out.append(" FILTER (WHERE ");
    ExprType ft;
    PGW_RETURN_IF_ERROR(Expr(f->agg_filter, out, ft));
    out.push_back(')');
  }
  if (f->over != nullptr) PGW_RETURN_IF_ERROR(WindowSpec(f->over, out));
  if (m != nullptr) {
    t = RuleType(*m, types);
    if (m->pg_name == "length" || m->pg_name == "lower" || m->pg_name == "upper" ||
        m->pg_name == "strpos" || m->pg_name == "position" || m->pg_name == "replace" ||
        m->pg_name == "string_agg") {
      for (size_t i = 0; i < f->n_args; ++i) HintParam(f->args[i], ExprType{oid::kText, -1});
    }
  }
  return Status::OK();
}

namespace {

// parsenodes.h FRAMEOPTION_* bits.
constexpr int kFrameNonDefault = 0x00001;
constexpr int kFrameRange = 0x00002;
constexpr int kFrameRows = 0x00004;
constexpr int kFrameGroups = 0x00008;
constexpr int kFrameBetween = 0x00010;
constexpr int kFrameStartUnboundedPreceding = 0x00020;
constexpr int kFrameEndUnboundedFollowing = 0x00100;
constexpr int kFrameStartCurrentRow = 0x00200;
constexpr int kFrameEndCurrentRow = 0x00400;
constexpr int kFrameStartOffsetPreceding = 0x00800;
constexpr int kFrameEndOffsetPreceding = 0x01000;
constexpr int kFrameStartOffsetFollowing = 0x02000;
constexpr int kFrameEndOffsetFollowing = 0x04000;
constexpr int kFrameExcludeCurrentRow = 0x08000;
constexpr int kFrameExcludeGroup = 0x10000;
constexpr int kFrameExcludeTies = 0x20000;

}  // namespace

Status Transformer::WindowSpec(const PgQuery__WindowDef* w, std::string& out) {
  if (w->name != nullptr && w->name[0] != '\0') {
    return Unsupported("named windows", w->location);
  }
  if (w->refname != nullptr && w->refname[0] != '\0') {
    return Unsupported("named windows", w->location);
  }
  out.append(" OVER (");
  bool space = false;
  if (w->n_partition_clause > 0) {
    out.append("PARTITION BY ");
    PGW_RETURN_IF_ERROR(ExprList(w->partition_clause, w->n_partition_clause, out, nullptr));
    space = true;
  }
  if (w->n_order_clause > 0) {
    if (space) out.push_back(' ');
    out.append("ORDER BY ");
    PGW_RETURN_IF_ERROR(SortClause(w->order_clause, w->n_order_clause, out));
    space = true;
  }
  int f = w->frame_options;
  if (f & kFrameNonDefault) {
    if (space) out.push_back(' ');
    out.append((f & kFrameRows) ? "ROWS " : (f & kFrameGroups) ? "GROUPS " : "RANGE ");
    (void)kFrameRange;
    auto bound = [&](bool start) -> Status {
      ExprType t;
      if (start ? (f & kFrameStartUnboundedPreceding) : false) {
        out.append("UNBOUNDED PRECEDING");
      } else if (!start && (f & kFrameEndUnboundedFollowing)) {
        out.append("UNBOUNDED FOLLOWING");
      } else if (start ? (f & kFrameStartCurrentRow) : (f & kFrameEndCurrentRow)) {
        out.append("CURRENT ROW");
      } else if (start ? (f & kFrameStartOffsetPreceding) : (f & kFrameEndOffsetPreceding)) {
        PGW_RETURN_IF_ERROR(Operand(start ? w->start_offset : w->end_offset, out, t));
        out.append(" PRECEDING");
      } else if (start ? (f & kFrameStartOffsetFollowing) : (f & kFrameEndOffsetFollowing)) {
        PGW_RETURN_IF_ERROR(Operand(start ? w->start_offset : w->end_offset, out, t));
        out.append(" FOLLOWING");
      } else {
        return Unsupported("this window frame", w->location);
      }
      return Status::OK();
    };
    if (f & kFrameBetween) {
      out.append("BETWEEN ");
      PGW_RETURN_IF_ERROR(bound(true));
      out.append(" AND ");
      PGW_RETURN_IF_ERROR(bound(false));
    } else {
      PGW_RETURN_IF_ERROR(bound(true));
    }
    if (f & kFrameExcludeCurrentRow) out.append(" EXCLUDE CURRENT ROW");
    if (f & kFrameExcludeGroup) out.append(" EXCLUDE GROUP");
    if (f & kFrameExcludeTies) out.append(" EXCLUDE TIES");
  }
  out.push_back(')');
  return Status::OK();
}

Status Transformer::TypeCast(const PgQuery__TypeCast* c, std::string& out, ExprType& t) {
  PGW_TRY(ResolvedType target, ResolveTypeName(c->type_name));
  if (target.is_serial) {
    return Status::Error(sqlstate::kUndefinedObject,
                         fmt::format("type \"{}\" does not exist",
                                     LastName(c->type_name->names, c->type_name->n_names)));
  }
  t = ExprType{target.oid, target.typmod};
  const Node* arg = c->arg;
  auto emit_cast = [&](std::string_view inner) {
    out.append(d_.CastFunction());
    out.push_back('(');
    out.append(inner);
    out.append(", ");
    out.append(std::to_string(target.oid));
    out.append(", ");
    out.append(std::to_string(target.typmod));
    out.push_back(')');
  };
  if (arg->node_case == PG_QUERY__NODE__NODE_A_CONST) {
    // Constants under a cast stay inline (the output depends on them): fold when the storage
    // form is the constant's own text, else let the backend convert and validate.
    const PgQuery__AConst* k = arg->a_const;
    bool saved = parameterize_;
    parameterize_ = false;
    std::string lit;
    ExprType kt;
    Status st = Const(k, lit, kt);
    parameterize_ = saved;
    PGW_RETURN_IF_ERROR(std::move(st));
    bool fold = false;
    if (k->isnull) {
      fold = true;
    } else if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
      fold = TextLikeWithoutLimit(t);
    } else if (k->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
      fold = IntegerFits(target.oid, k->ival->ival);
    } else if (k->val_case == PG_QUERY__A__CONST__VAL_FVAL && kt.oid == oid::kInt8) {
      int64_t v = 0;
      std::string_view text = k->fval->fval;
      if (!text.empty() && text[0] == '+') text.remove_prefix(1);
      std::from_chars(text.data(), text.data() + text.size(), v);
      fold = IntegerFits(target.oid, v);
    } else if (k->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL) {
      fold = target.oid == oid::kBool;
    }
    if (fold) {
      out.append(lit);
    } else {
      emit_cast(lit);
    }
    return Status::OK();
  }
  if (arg->node_case == PG_QUERY__NODE__NODE_PARAM_REF) {
    // A parameter's value arrives already converted to its declared type.
    HintParam(arg, t);
    std::string inner;
    ExprType pt;
    PGW_RETURN_IF_ERROR(ParamRef(arg->param_ref, inner, pt));
    if (pt.oid == target.oid && target.typmod < 0) {
      out.append(inner);
    } else {
      emit_cast(inner);
    }
    return Status::OK();
  }
  std::string inner;
  ExprType st;
  PGW_RETURN_IF_ERROR(Expr(arg, inner, st));
  if (st.oid == target.oid && st.typmod == target.typmod && st.oid != 0) {
    out.append(inner);
  } else if (st.oid == oid::kBool && (target.oid == oid::kText || target.oid == oid::kVarchar) &&
             target.typmod < 0) {
    out.append(d_.BoolOutFunction());
    out.push_back('(');
    out.append(inner);
    out.push_back(')');
  } else {
    emit_cast(inner);
  }
  return Status::OK();
}

Status Transformer::ValueFunction(const PgQuery__SQLValueFunction* v, std::string& out,
                                  ExprType& t) {
  auto cast_now = [&](Oid type, int32_t typmod) {
    out.append(d_.CastFunction());
    out.push_back('(');
    out.append(d_.NowFunction());
    out.append(fmt::format(", {}, {})", type, typmod));
    t = ExprType{type, typmod};
  };
  switch (v->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
      out.append(d_.CurrentDateFunction());
      t.oid = oid::kDate;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
      cast_now(oid::kTimetz, -1);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
      cast_now(oid::kTimetz, v->typmod);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
      out.append(d_.NowFunction());
      t.oid = oid::kTimestamptz;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
      cast_now(oid::kTimestamptz, v->typmod);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
      cast_now(oid::kTime, -1);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
      cast_now(oid::kTime, v->typmod);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
      cast_now(oid::kTimestamp, -1);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
      cast_now(oid::kTimestamp, v->typmod);
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
      out.append(d_.CurrentUserFunction());
      t.oid = oid::kName;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
      out.append(d_.SessionUserFunction());
      t.oid = oid::kName;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
      out.append(d_.CurrentDatabaseFunction());
      t.oid = oid::kName;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
      out.append(d_.CurrentSchemaFunction());
      t.oid = oid::kName;
      return Status::OK();
    default:
      return Unsupported("this SQL value function", v->location);
  }
}

}  // namespace pgw::sql
