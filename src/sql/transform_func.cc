// Function calls, casts (:: / CAST / typed literals) and SQL value functions
// (CURRENT_TIMESTAMP, CURRENT_USER, ...).
#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "common/sqlstate.h"
#include "sql/transformer.h"
#include "types/pg_types.h"
#include "types/value_codec.h"

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

// Aggregates whose result does not depend on the order of their input rows.
bool IsOrderInsensitiveAggregate(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "avg",      "bit_and",        "bit_or",      "bit_xor",    "bool_and", "bool_or",
      "corr",     "count",          "covar_pop",   "covar_samp", "every",    "max",
      "min",      "regr_avgx",      "regr_avgy",   "regr_count", "regr_r2",  "regr_slope",
      "stddev",   "stddev_pop",     "stddev_samp", "sum",        "var_pop",  "var_samp",
      "variance", "regr_intercept", "regr_sxx",    "regr_sxy",   "regr_syy"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
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
  if (f->n_funcname == 2 && StringValue(f->funcname[0]) == "information_schema" &&
      StringValue(f->funcname[1]) == "_pg_expandarray") {
    first = 1;
  }
  if (f->n_funcname - first != 1) {
    return Unsupported("schema-qualified functions", f->location);
  }
  std::string_view name = StringValue(f->funcname[first]);
  if (f->agg_within_group) return Unsupported("WITHIN GROUP", f->location);
  if (f->func_variadic) return Unsupported("VARIADIC", f->location);
  if (name == "unnest" || name == "generate_subscripts" || name == "_pg_expandarray") {
    bool handled = false;
    PGW_RETURN_IF_ERROR(SetReturningCall(f, name, out, t, handled));
    if (handled) return Status::OK();
  }
  if (name == "generate_series" || name == "unnest" || name == "json_each" ||
      name == "jsonb_each" || name == "regexp_matches" || name == "generate_subscripts" ||
      name == "_pg_expandarray") {
    return Unsupported(fmt::format("set-returning function {} in this position", name),
                       f->location);
  }
  const FunctionMapping* m = d_.LookupFunction(name);
  if (m != nullptr &&
      (m->shape == FunctionShape::kArrayAgg || m->shape == FunctionShape::kStringAgg)) {
    return OrderedAggregate(f, *m, out, t);
  }
  if (f->n_agg_order > 0) {
    if (f->agg_distinct) {
      return Unsupported("DISTINCT with ORDER BY inside aggregate calls", f->location);
    }
    // Aggregates whose result cannot depend on the input order: the ORDER BY is dropped.
    if (!IsOrderInsensitiveAggregate(name)) {
      return Unsupported("ORDER BY inside aggregate calls", f->location);
    }
  }
  if (name == "extract" || name == "date_part") return Extract(f, name, out, t);
  if (name == "date_trunc") return DateTrunc(f, out, t);
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
      case FunctionShape::kArrayAgg:
      case FunctionShape::kStringAgg:
        return Status::Error(sqlstate::kInternalError, "ordered aggregate not dispatched");
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
        m->pg_name == "strpos" || m->pg_name == "position" || m->pg_name == "replace") {
      for (size_t i = 0; i < f->n_args; ++i) HintParam(f->args[i], ExprType{oid::kText, -1});
    }
  }
  return Status::OK();
}

Status Transformer::OrderedAggregate(const PgQuery__FuncCall* f, const FunctionMapping& m,
                                     std::string& out, ExprType& t) {
  bool is_array = m.shape == FunctionShape::kArrayAgg;
  std::string_view name = m.pg_name;
  if (f->agg_distinct) {
    if (f->n_agg_order > 0) {
      return Unsupported("DISTINCT with ORDER BY inside aggregate calls", f->location);
    }
    return Unsupported(fmt::format("{}(DISTINCT ...)", name), f->location);
  }
  if (f->over != nullptr) {
    return Unsupported(fmt::format("{} as a window function", name), f->location);
  }
  size_t want = is_array ? 1 : 2;
  if (f->agg_star || f->n_args != want) {
    return Status::Error(sqlstate::kUndefinedFunction,
                         fmt::format("function {} with this argument count does not exist", name))
        .WithPosition(f->location + 1);
  }
  out.append(m.target_name);
  out.push_back('(');
  ExprType value;
  PGW_RETURN_IF_ERROR(Expr(f->args[0], out, value));
  out.append(", ");
  if (is_array) {
    // The element type decides how the backend quotes elements; unknown -> text.
    Oid elem = value.oid;
    const TypeInfo* info = elem == 0 ? nullptr : LookupType(elem);
    if (info == nullptr || info->array_oid == 0 || elem == oid::kUnknown) {
      elem = oid::kText;
      info = LookupType(elem);
    }
    out.append(std::to_string(elem));
    t = ExprType{info != nullptr ? info->array_oid : oid::kTextArray, -1};
  } else {
    ExprType sep;
    PGW_RETURN_IF_ERROR(Expr(f->args[1], out, sep));
    HintParam(f->args[0], ExprType{oid::kText, -1});
    HintParam(f->args[1], ExprType{oid::kText, -1});
    t = ExprType{oid::kText, -1};
  }
  PGW_RETURN_IF_ERROR(AggregateSortKeys(f->agg_order, f->n_agg_order, out));
  out.push_back(')');
  if (f->agg_filter != nullptr) {
    out.append(" FILTER (WHERE ");
    ExprType ft;
    PGW_RETURN_IF_ERROR(Expr(f->agg_filter, out, ft));
    out.push_back(')');
  }
  return Status::OK();
}

Status Transformer::AggregateSortKeys(Node* const* items, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__SortBy* sb = items[i]->sort_by;
    if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING) {
      return Unsupported("ORDER BY ... USING", sb->location);
    }
    bool desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    // PostgreSQL's default: NULLs sort as larger than any value.
    bool nulls_first = desc;
    if (sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) nulls_first = true;
    if (sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST) nulls_first = false;
    out.append(", ");
    ExprType kt;
    PGW_RETURN_IF_ERROR(Expr(sb->node, out, kt));
    out.append(desc ? ", 1" : ", 0");
    out.append(nulls_first ? ", 1" : ", 0");
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
  if (IsRegType(target.oid)) return RegTypeCast(c, target.oid, out, t);
  t = ExprType{target.oid, target.typmod};
  const Node* arg = c->arg;
  auto emit_cast = [&](std::string_view inner) {
    return d_.AppendCast(out, inner, target.oid, target.typmod);
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
      return Status::OK();
    }
    return emit_cast(lit);
  }
  if (arg->node_case == PG_QUERY__NODE__NODE_PARAM_REF) {
    // A parameter's value arrives already converted to its declared type.
    HintParam(arg, t);
    std::string inner;
    ExprType pt;
    PGW_RETURN_IF_ERROR(ParamRef(arg->param_ref, inner, pt));
    if (pt.oid == target.oid && target.typmod < 0) {
      out.append(inner);
      return Status::OK();
    }
    return emit_cast(inner);
  }
  std::string inner;
  ExprType st;
  PGW_RETURN_IF_ERROR(Expr(arg, inner, st));
  const bool text_target = target.oid == oid::kText || target.oid == oid::kVarchar ||
                           target.oid == oid::kName || target.oid == oid::kBpchar;
  if (st.oid == target.oid && st.typmod == target.typmod && st.oid != 0) {
    out.append(inner);
  } else if (IsRegType(st.oid) &&
             (target.oid == oid::kOid || target.oid == oid::kInt8 || target.oid == oid::kInt4)) {
    out.append(inner);  // a reg* value is its oid
  } else if (IsRegType(st.oid) && text_target && target.typmod < 0) {
    size_t start = out.size();
    out.append(inner);
    RegTypeOutput(st.oid, start, out);
  } else if (st.oid == oid::kBool && (target.oid == oid::kText || target.oid == oid::kVarchar) &&
             target.typmod < 0) {
    out.append(d_.BoolOutFunction());
    out.push_back('(');
    out.append(inner);
    out.push_back(')');
  } else {
    return emit_cast(inner);
  }
  return Status::OK();
}

Status Transformer::ValueFunction(const PgQuery__SQLValueFunction* v, std::string& out,
                                  ExprType& t) {
  auto cast_now = [&](Oid type, int32_t typmod) {
    t = ExprType{type, typmod};
    return d_.AppendCast(out, d_.NowFunction(), type, typmod);
  };
  switch (v->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
      out.append(d_.CurrentDateFunction());
      t.oid = oid::kDate;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
      return cast_now(oid::kTimetz, -1);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
      return cast_now(oid::kTimetz, v->typmod);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
      out.append(d_.NowFunction());
      t.oid = oid::kTimestamptz;
      return Status::OK();
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
      return cast_now(oid::kTimestamptz, v->typmod);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
      return cast_now(oid::kTime, -1);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
      return cast_now(oid::kTime, v->typmod);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
      return cast_now(oid::kTimestamp, -1);
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
      return cast_now(oid::kTimestamp, v->typmod);
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

// --- date/time on storage forms (types/value_codec.h): date 'YYYY-MM-DD', timestamp
// 'YYYY-MM-DD HH:MM:SS[.ffffff]', timestamptz the same plus '+00' (UTC). Only what maps exactly
// onto text slicing and SQLite's date functions at whole-second precision is translated.
namespace pgw::sql {
namespace {

bool IsTimestampType(Oid o) { return o == oid::kTimestamp || o == oid::kTimestamptz; }

bool IsIntegerType(Oid o) { return o == oid::kInt2 || o == oid::kInt4 || o == oid::kInt8; }

// An interval constant without months/days/seconds split: 'interval '...'' or '...'::interval.
struct IntervalParts {
  int64_t months = 0;
  int64_t days = 0;
  int64_t seconds = 0;
};

// The text of `n` when it is a string constant cast to plain interval (no field typmods).
bool IntervalConstant(const Node* n, std::string_view* text) {
  if (n == nullptr || n->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) return false;
  const PgQuery__TypeCast* c = n->type_cast;
  if (c->arg == nullptr || c->arg->node_case != PG_QUERY__NODE__NODE_A_CONST) return false;
  const PgQuery__AConst* k = c->arg->a_const;
  if (k->isnull || k->val_case != PG_QUERY__A__CONST__VAL_SVAL) return false;
  const PgQuery__TypeName* tn = c->type_name;
  if (tn == nullptr || tn->n_typmods > 0 || tn->n_array_bounds > 0) return false;
  if (LastName(tn->names, tn->n_names) != "interval") return false;
  *text = k->sval->sval;
  return true;
}

bool ParseInt(std::string_view s, int64_t* v) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

// Splits an interval in PostgreSQL's output form ("1 year 2 mons -3 days +04:05:06.5").
// False when it has fractional seconds (not exact at SQLite's precision) or is unexpected.
bool SplitInterval(std::string_view text, IntervalParts* out) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    size_t sp = text.find(' ');
    std::string_view w = text.substr(0, sp);
    if (!w.empty()) words.push_back(w);
    if (sp == std::string_view::npos) break;
    text.remove_prefix(sp + 1);
  }
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.find(':') != std::string_view::npos) {
      bool negative = w[0] == '-';
      if (w[0] == '-' || w[0] == '+') w.remove_prefix(1);
      if (w.find('.') != std::string_view::npos) return false;
      size_t c1 = w.find(':');
      size_t c2 = w.find(':', c1 + 1);
      if (c2 == std::string_view::npos) return false;
      int64_t h = 0, m = 0, s = 0;
      if (!ParseInt(w.substr(0, c1), &h) || !ParseInt(w.substr(c1 + 1, c2 - c1 - 1), &m) ||
          !ParseInt(w.substr(c2 + 1), &s)) {
        return false;
      }
      int64_t total = h * 3600 + m * 60 + s;
      out->seconds += negative ? -total : total;
      continue;
    }
    if (i + 1 >= words.size()) return false;
    int64_t v = 0;
    if (!ParseInt(w, &v)) return false;
    std::string_view unit = words[++i];
    if (unit == "year" || unit == "years") {
      out->months += v * 12;
    } else if (unit == "mon" || unit == "mons") {
      out->months += v;
    } else if (unit == "day" || unit == "days") {
      out->days += v;
    } else {
      return false;
    }
  }
  return true;
}

// `base` (timestamp text 'YYYY-MM-DD HH:MM:SS...') shifted by `p`, PostgreSQL's way: months
// first (the day clamped to the target month's length), then days, then the time.
std::string ShiftTimestamp(const std::string& base, const IntervalParts& p) {
  std::string r = base;
  if (p.months != 0) {
    std::string shifted = fmt::format("date(substr({}, 1, 10), '{:+} months')", r, p.months);
    // SQLite carries an overflowing day into the next month: step back to the month's end.
    std::string clamped = fmt::format(
        "date(substr({}, 1, 10), '{:+} months', 'start of month', "
        "'-1 day')",
        r, p.months);
    r = fmt::format(
        "(CASE WHEN substr({0}, 9) = substr({1}, 9, 2) THEN {0} ELSE {2} END || "
        "substr({1}, 11))",
        shifted, r, clamped);
  }
  if (p.seconds != 0) {
    r = fmt::format("(datetime(substr({0}, 1, 19), '{1:+} seconds') || substr({0}, 20))", r,
                    p.days * 86400 + p.seconds);
  } else if (p.days != 0) {
    r = fmt::format("(date(substr({0}, 1, 10), '{1:+} days') || substr({0}, 11))", r, p.days);
  }
  return r;
}

}  // namespace

Status Transformer::DateTimeArithmetic(const PgQuery__AExpr* e, std::string_view op,
                                       std::string& out, ExprType& t, bool& handled) {
  handled = false;
  std::string ls, rs;
  ExprType lt, rt;
  PGW_RETURN_IF_ERROR(Operand(e->lexpr, ls, lt));
  PGW_RETURN_IF_ERROR(Operand(e->rexpr, rs, rt));
  bool plus = op == "+";
  if (op != "+" && op != "-") return Status::OK();
  // date +/- integer -> date; integer + date -> date.
  auto integer = [](const Node* n, ExprType nt) {
    return IsIntegerType(nt.oid) || (nt.oid == 0 && n->node_case == PG_QUERY__NODE__NODE_PARAM_REF);
  };
  if (lt.oid == oid::kDate && integer(e->rexpr, rt)) {
    HintParam(e->rexpr, ExprType{oid::kInt4, -1});
    out.append(plus ? fmt::format("date({}, {} || ' days')", ls, rs)
                    : fmt::format("date({}, (-{}) || ' days')", ls, rs));
    t = ExprType{oid::kDate, -1};
    handled = true;
    return Status::OK();
  }
  if (plus && rt.oid == oid::kDate && integer(e->lexpr, lt)) {
    HintParam(e->lexpr, ExprType{oid::kInt4, -1});
    out.append(fmt::format("date({}, {} || ' days')", rs, ls));
    t = ExprType{oid::kDate, -1};
    handled = true;
    return Status::OK();
  }
  // date - date -> integer days.
  if (!plus && lt.oid == oid::kDate && rt.oid == oid::kDate) {
    out.append(fmt::format("CAST(round(julianday({}) - julianday({})) AS INTEGER)", ls, rs));
    t = ExprType{oid::kInt4, -1};
    handled = true;
    return Status::OK();
  }
  // date/timestamp/timestamptz +/- interval constant (and interval + ...).
  const Node* interval_node = e->rexpr;
  std::string base = ls;
  Oid base_type = lt.oid;
  if (plus && lt.oid == oid::kInterval && rt.oid != oid::kInterval) {
    interval_node = e->lexpr;
    base = rs;
    base_type = rt.oid;
  }
  if (base_type != oid::kDate && !IsTimestampType(base_type)) return Status::OK();
  std::string_view text;
  if (!IntervalConstant(interval_node, &text)) return Status::OK();
  std::string scratch;
  PGW_TRY(Value normalized, CastValue(Value::Text(text), oid::kInterval, -1, &scratch));
  IntervalParts parts;
  if (normalized.kind != Value::Kind::kText || !SplitInterval(normalized.s, &parts)) {
    return Status::OK();
  }
  if (!plus) parts = IntervalParts{-parts.months, -parts.days, -parts.seconds};
  if (base_type == oid::kDate) {
    base = fmt::format("({} || ' 00:00:00')", base);
    base_type = oid::kTimestamp;
  }
  out.append(ShiftTimestamp(base, parts));
  t = ExprType{base_type, -1};
  handled = true;
  return Status::OK();
}

namespace {

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return r;
}

// The string constant `n` (lower-cased), if it is one.
bool FieldConstant(const Node* n, std::string* field) {
  if (n == nullptr || n->node_case != PG_QUERY__NODE__NODE_A_CONST) return false;
  const PgQuery__AConst* k = n->a_const;
  if (k->isnull || k->val_case != PG_QUERY__A__CONST__VAL_SVAL) return false;
  *field = Lower(k->sval->sval);
  return true;
}

std::string_view TypeWords(Oid o) {
  switch (o) {
    case oid::kDate:
      return "date";
    case oid::kTimestamp:
      return "timestamp without time zone";
    default:
      return "timestamp with time zone";
  }
}

}  // namespace

Status Transformer::Extract(const PgQuery__FuncCall* f, std::string_view name, std::string& out,
                            ExprType& t) {
  bool is_extract = name == "extract";
  std::string field;
  if (f->n_args != 2 || f->agg_star || f->over != nullptr || !FieldConstant(f->args[0], &field)) {
    return Unsupported(fmt::format("{} with these arguments", name), f->location);
  }
  std::string x;
  ExprType xt;
  PGW_RETURN_IF_ERROR(Expr(f->args[1], x, xt));
  if (xt.oid != oid::kDate && !IsTimestampType(xt.oid)) {
    return Unsupported(fmt::format("{} from this type", name), f->location);
  }
  bool is_date = xt.oid == oid::kDate;
  bool time_field = field == "hour" || field == "minute" || field == "second" ||
                    field == "milliseconds" || field == "microseconds";
  if (is_extract && is_date && time_field) {
    return Status::Error(sqlstate::kFeatureNotSupported,
                         fmt::format("unit \"{}\" not supported for type date", field));
  }
  // `ts`: the value as timestamp text without a zone suffix.
  std::string ts = is_date                       ? fmt::format("({} || ' 00:00:00')", x)
                   : xt.oid == oid::kTimestamptz ? fmt::format("substr({0}, 1, length({0}) - 3)", x)
                                                 : x;
  auto part = [&](int from, int len) {
    return fmt::format("CAST(substr({}, {}, {}) AS INTEGER)", ts, from, len);
  };
  // Microseconds of the second, as an integer.
  std::string micros = fmt::format("CAST(substr(substr({}, 21) || '000000', 1, 6) AS INTEGER)", ts);
  std::string e;
  if (field == "year") {
    e = part(1, 4);
  } else if (field == "month") {
    e = part(6, 2);
  } else if (field == "day") {
    e = part(9, 2);
  } else if (field == "hour") {
    e = part(12, 2);
  } else if (field == "minute") {
    e = part(15, 2);
  } else if (field == "quarter") {
    e = fmt::format("(({} + 2) / 3)", part(6, 2));
  } else if (field == "decade") {
    e = fmt::format("({} / 10)", part(1, 4));
  } else if (field == "century") {
    e = fmt::format("(({} + 99) / 100)", part(1, 4));
  } else if (field == "millennium") {
    e = fmt::format("(({} + 999) / 1000)", part(1, 4));
  } else if (field == "dow") {
    e = fmt::format("CAST(strftime('%w', substr({}, 1, 10)) AS INTEGER)", ts);
  } else if (field == "isodow") {
    e = fmt::format("((CAST(strftime('%w', substr({}, 1, 10)) AS INTEGER) + 6) % 7 + 1)", ts);
  } else if (field == "doy") {
    e = fmt::format("CAST(strftime('%j', substr({}, 1, 10)) AS INTEGER)", ts);
  } else if (field == "epoch" && is_date) {
    e = fmt::format("unixepoch({})", x);
  } else if (field == "epoch") {
    // numeric with six decimals; before 1970 the fraction counts toward zero.
    std::string secs = fmt::format("unixepoch(substr({}, 1, 19))", ts);
    e = fmt::format(
        "(CASE WHEN {0} < 0 AND {1} > 0 THEN '-' || (-({0} + 1)) || '.' || printf('%06d', "
        "1000000 - {1}) ELSE {0} || '.' || printf('%06d', {1}) END)",
        secs, micros);
  } else if (field == "second") {
    e = fmt::format("({} || '.' || printf('%06d', {}))", part(18, 2), micros);
  } else if (field == "milliseconds") {
    e = fmt::format("(({0} * 1000 + {1} / 1000) || '.' || printf('%03d', {1} % 1000))", part(18, 2),
                    micros);
  } else if (field == "microseconds") {
    e = fmt::format("({} * 1000000 + {})", part(18, 2), micros);
  } else {
    return Unsupported(fmt::format("{} of \"{}\" from {}", name, field, TypeWords(xt.oid)),
                       f->location);
  }
  if (is_extract) {
    out.append(e);
    t = ExprType{oid::kNumeric, -1};
  } else {
    out.append(fmt::format("CAST({} AS REAL)", e));
    t = ExprType{oid::kFloat8, -1};
  }
  return Status::OK();
}

Status Transformer::DateTrunc(const PgQuery__FuncCall* f, std::string& out, ExprType& t) {
  std::string field;
  if (f->n_args != 2 || f->agg_star || f->over != nullptr || !FieldConstant(f->args[0], &field)) {
    return Unsupported("date_trunc with these arguments", f->location);
  }
  std::string x;
  ExprType xt;
  PGW_RETURN_IF_ERROR(Expr(f->args[1], x, xt));
  if (xt.oid != oid::kDate && !IsTimestampType(xt.oid)) {
    return Unsupported("date_trunc of this type", f->location);
  }
  std::string ts = xt.oid == oid::kDate ? fmt::format("({} || ' 00:00:00')", x) : x;
  std::string e;
  if (field == "second") {
    e = fmt::format("substr({}, 1, 19)", ts);
  } else if (field == "minute") {
    e = fmt::format("substr({}, 1, 16) || ':00'", ts);
  } else if (field == "hour") {
    e = fmt::format("substr({}, 1, 13) || ':00:00'", ts);
  } else if (field == "day") {
    e = fmt::format("substr({}, 1, 10) || ' 00:00:00'", ts);
  } else if (field == "week") {
    e = fmt::format("date(substr({}, 1, 10), '-6 days', 'weekday 1') || ' 00:00:00'", ts);
  } else if (field == "month") {
    e = fmt::format("substr({}, 1, 7) || '-01 00:00:00'", ts);
  } else if (field == "quarter") {
    e = fmt::format(
        "substr({0}, 1, 5) || printf('%02d', (CAST(substr({0}, 6, 2) AS INTEGER) - 1) / 3 * 3 + "
        "1) || '-01 00:00:00'",
        ts);
  } else if (field == "year") {
    e = fmt::format("substr({}, 1, 4) || '-01-01 00:00:00'", ts);
  } else {
    return Unsupported(fmt::format("date_trunc to \"{}\"", field), f->location);
  }
  // date_trunc(date) is date_trunc(timestamptz); the session time zone is UTC.
  Oid result = xt.oid == oid::kTimestamp ? oid::kTimestamp : oid::kTimestamptz;
  if (result == oid::kTimestamptz) e.append(" || '+00'");
  out.push_back('(');
  out.append(e);
  out.push_back(')');
  t = ExprType{result, -1};
  return Status::OK();
}

}  // namespace pgw::sql
