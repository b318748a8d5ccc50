// Transformer: turns one libpg_query statement into a TranslatedStatement in a SqlDialect. One
// member function per node kind, grouped in one file per statement kind (transform_*.cc), all
// dispatched from Transformer::Statement. Internal to pgw_sql (the only place besides parser.cc
// that sees pg_query's protobuf structs). A Transformer serves one statement of one Translate
// call: not thread-safe, cheap to construct.
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/sql_dialect.h"
#include "sql/translator.h"

namespace pgw::sql {

using Node = PgQuery__Node;

// Marker bytes around a parameterized literal's input offset in the SQL being built; replaced
// by placeholders once every literal of the statement is known (see FinishLiterals).
inline constexpr char kLiteralMarkBegin = '\x01';
inline constexpr char kLiteralMarkEnd = '\x02';

struct ExprType {
  Oid oid = 0;
  int32_t typmod = -1;
};

// ExprType::typmod of a record whose layout the translator knows: the (x, n) rows of
// information_schema._pg_expandarray, carried as their text form "(x,n)".
inline constexpr int32_t kExpandArrayRecord = 1;

// What a query returns: one hint per column, or unknown (a `*` that could not be expanded).
struct QueryShape {
  std::vector<ResultColumnHint> columns;
  bool known = true;
};

// A relation visible in a FROM scope.
struct RangeEntry {
  std::string alias;                      // qualifier of its columns
  std::string table;                      // user table for SchemaLookup; empty if derived
  std::vector<ResultColumnHint> columns;  // derived relations / CTEs / functions
  std::vector<std::string> inline_sql;    // inlined LATERAL: the SQL of each column
  bool known = false;                     // column list known (for `*` expansion)
  bool inlined = false;
};

struct Scope {
  std::vector<RangeEntry> entries;
  bool star_ok = true;  // `*` may be expanded: all entries known, no USING / NATURAL joins
};

struct CteInfo {
  std::string name;
  QueryShape shape;
};

class Transformer {
 public:
  Transformer(std::string_view input, const TranslateOptions& opts, const SqlDialect& dialect)
      : input_(input), opts_(opts), d_(dialect) {}

  // Fills `out` (kind, sql, tag, hints, params, ...) from one parsed statement.
  [[nodiscard]] Status Statement(const Node* stmt, TranslatedStatement& out);

 private:
  friend class DepthGuard;

  // Literal parameterization is off when the input itself contains marker bytes.
  bool CanParameterize() const {
    return opts_.parameterize_literals && input_.find(kLiteralMarkBegin) == std::string_view::npos;
  }

  // --- errors
  Status Unsupported(std::string_view what) const;
  Status Unsupported(std::string_view what, int location) const;

  // Statements of a dialect that PassesThrough(): classified, sent as written
  // (transform_passthrough.cc). `handled` false for statements the session runs itself.
  Status PassThrough(const Node* stmt, TranslatedStatement& out, bool& handled);

  // --- statements (transform_select.cc / transform_dml.cc / transform_ddl.cc /
  // transform_utility.cc)
  Status QueryStatement(const PgQuery__SelectStmt* s, TranslatedStatement& out);
  Status InsertStatement(const PgQuery__InsertStmt* s, TranslatedStatement& out);
  Status UpdateStatement(const PgQuery__UpdateStmt* s, TranslatedStatement& out);
  Status DeleteStatement(const PgQuery__DeleteStmt* s, TranslatedStatement& out);
  Status CreateTable(const PgQuery__CreateStmt* s, TranslatedStatement& out);
  Status CreateTableAs(const PgQuery__CreateTableAsStmt* s, TranslatedStatement& out);
  Status DropStatement(const PgQuery__DropStmt* s, TranslatedStatement& out);
  Status TruncateStatement(const PgQuery__TruncateStmt* s, TranslatedStatement& out);
  Status AlterTable(const PgQuery__AlterTableStmt* s, TranslatedStatement& out);
  Status RenameStatement(const PgQuery__RenameStmt* s, TranslatedStatement& out);
  Status CreateIndex(const PgQuery__IndexStmt* s, TranslatedStatement& out);
  Status CreateView(const PgQuery__ViewStmt* s, TranslatedStatement& out);
  Status VacuumStatement(const PgQuery__VacuumStmt* s, TranslatedStatement& out);
  Status CreateExtension(const PgQuery__CreateExtensionStmt* s, TranslatedStatement& out);
  Status TransactionStatement(const PgQuery__TransactionStmt* s, TranslatedStatement& out);
  Status VariableSet(const PgQuery__VariableSetStmt* s, TranslatedStatement& out);
  Status VariableShow(const PgQuery__VariableShowStmt* s, TranslatedStatement& out);
  Status DeclareCursor(const PgQuery__DeclareCursorStmt* s, TranslatedStatement& out);
  Status FetchStatement(const PgQuery__FetchStmt* s, TranslatedStatement& out);
  Status CopyStatement(const PgQuery__CopyStmt* s, TranslatedStatement& out);  // transform_copy.cc

  // --- queries (transform_select.cc)
  // `rename`: output column names imposed from outside (alias column lists), may be null.
  Status Select(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                const std::vector<std::string>* rename = nullptr);
  Status SimpleSelect(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                      const std::vector<std::string>* rename);
  Status SetOperation(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                      const std::vector<std::string>* rename);
  Status ValuesList(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                    const std::vector<std::string>* rename);
  // A set-operation arm: emitted bare when SQLite accepts it there, else as a subquery.
  Status SetOperand(const PgQuery__SelectStmt* s, bool nested_ok, std::string& out,
                    QueryShape& shape, const std::vector<std::string>* rename);
  Status With(const PgQuery__WithClause* w, std::string& out, size_t& ctes_added);
  Status TargetList(Node* const* items, size_t n, std::string& out, QueryShape& shape,
                    const std::vector<std::string>* rename);
  Status ExpandStar(const PgQuery__ColumnRef* ref, std::string& out, QueryShape& shape, bool& first,
                    bool& expanded);
  Status SortClause(Node* const* items, size_t n, std::string& out);
  Status GroupClause(Node* const* items, size_t n, std::string& out);
  Status LimitClause(const PgQuery__SelectStmt* s, std::string& out);
  // Appends " RETURNING ..." (nothing when n == 0) and marks `stmt` as returning rows.
  Status ReturningList(Node* const* items, size_t n, TranslatedStatement& stmt);

  // --- DML pieces (transform_dml.cc)
  // SET list of UPDATE / ON CONFLICT DO UPDATE against user table `table`.
  Status SetClause(Node* const* items, size_t n, const std::string& table, std::string& out);
  Status OnConflict(const PgQuery__OnConflictClause* oc, const std::string& table,
                    std::string& out);
  // Emits the target relation of a DML statement and registers it in the current scope;
  // `table` receives the user table name.
  Status DmlTarget(const PgQuery__RangeVar* rv, std::string& out, std::string& table);
  Status InsertValues(const PgQuery__InsertStmt* s, const std::string& table,
                      std::vector<std::string> columns, std::string& out);
  // For SqlDialect::UpsertAsInsertOrUpdate: OK when `s`'s ON CONFLICT clause is exactly
  // "update every other inserted column from EXCLUDED", else 0A000 naming what differs.
  Status CheckInsertOrUpdate(const PgQuery__InsertStmt* s);

  // --- FROM (transform_from.cc)
  Status FromList(Node* const* items, size_t n, std::string& out);
  // Appends nothing (and sets `dropped`) for an inlined LATERAL subquery.
  Status FromItem(const Node* item, std::string& out, bool& dropped);
  Status RangeVarRef(const PgQuery__RangeVar* rv, std::string& out);
  Status JoinExpr(const PgQuery__JoinExpr* j, std::string& out, bool& dropped);
  Status RangeSubselect(const PgQuery__RangeSubselect* r, std::string& out, bool& dropped);
  Status RangeFunction(const PgQuery__RangeFunction* r, std::string& out);
  // Relation name in the dialect: strips "public", maps catalog relations; sets `user_table`
  // to the name SchemaLookup knows (empty for catalog relations).
  Status RelationName(const PgQuery__RangeVar* rv, std::string& out, std::string& user_table);
  void PushScope() { scopes_.emplace_back(); }
  void PopScope() { scopes_.pop_back(); }
  const CteInfo* FindCte(std::string_view name) const;

  // --- expressions (transform_expr.cc, transform_func.cc)
  Status Expr(const Node* n, std::string& out, ExprType& t);
  // Like Expr, parenthesized when `n` is an operator expression (operand position).
  Status Operand(const Node* n, std::string& out, ExprType& t);
  Status Const(const PgQuery__AConst* c, std::string& out, ExprType& t);
  Status AExpr(const PgQuery__AExpr* e, std::string& out, ExprType& t);
  Status BinaryOp(const PgQuery__AExpr* e, std::string_view op, std::string& out, ExprType& t);
  // Replaces `sql` (the translation of `n`) by a boolean literal when `n` is a string constant
  // compared with a boolean (`flag = 'f'`).
  void BooleanConstant(const Node* n, ExprType other, std::string& sql) const;
  Status LikeExpr(const PgQuery__AExpr* e, bool ilike, std::string& out, ExprType& t);
  Status InExpr(const PgQuery__AExpr* e, std::string& out, ExprType& t);
  // pgvector's <=>, <#>, <-> through SqlDialect::AppendVectorDistance.
  Status VectorDistance(const PgQuery__AExpr* e, std::string_view op, std::string& out,
                        ExprType& t);
  Status BoolExpr(const PgQuery__BoolExpr* e, std::string& out, ExprType& t);
  Status ColumnRef(const PgQuery__ColumnRef* c, std::string& out, ExprType& t);
  Status ParamRef(const PgQuery__ParamRef* p, std::string& out, ExprType& t);
  Status SubLink(const PgQuery__SubLink* s, std::string& out, ExprType& t);
  Status CaseExpr(const PgQuery__CaseExpr* c, std::string& out, ExprType& t);
  Status MinMax(const PgQuery__MinMaxExpr* m, std::string& out, ExprType& t);
  Status FuncCall(const PgQuery__FuncCall* f, std::string& out, ExprType& t);
  // array_agg / string_agg: the dialect's order-aware aggregate with the ORDER BY keys as
  // arguments (value, elem_oid | separator, [key, desc, nulls_first]...).
  Status OrderedAggregate(const PgQuery__FuncCall* f, const FunctionMapping& m, std::string& out,
                          ExprType& t);
  // The ORDER BY keys of an order-aware aggregate as its trailing arguments
  // (", key, desc, nulls_first" for each).
  Status AggregateSortKeys(Node* const* items, size_t n, std::string& out);
  // unnest(x) / generate_subscripts(x, 1) in a SELECT list (transform_catalog.cc): one
  // pgw_unnest(x) joined to the FROM list, the calls read its columns. `from` receives the join.
  Status SetReturningTargets(const PgQuery__SelectStmt* s, std::string& from);
  // The call `f` as a column of that join; `handled` false when `f` is no such call.
  Status SetReturningCall(const PgQuery__FuncCall* f, std::string_view name, std::string& out,
                          ExprType& t, bool& handled);
  // (record).field for the records the translator knows the layout of (transform_catalog.cc).
  Status FieldSelection(const PgQuery__AIndirection* a, std::string& out, ExprType& t);
  // arr[i] (transform_catalog.cc).
  Status Subscript(const PgQuery__AIndirection* a, std::string& out, ExprType& t);
  // ARRAY(SELECT x FROM ... [ORDER BY ...]) as the array_agg of x (transform_catalog.cc).
  Status ArraySubquery(const PgQuery__SubLink* s, std::string& out, ExprType& t);
  // unnest(array) in FROM (transform_catalog.cc); `no_rows`: a set-returning catalog function
  // that returns nothing here, with unnest's shape.
  Status UnnestFunction(const PgQuery__RangeFunction* r, const PgQuery__FuncCall* f,
                        std::string& out, bool no_rows);
  // generate_series(start, stop [, step]) arguments, comma-separated, and the series type.
  Status SeriesArguments(const PgQuery__FuncCall* f, std::string& args, Oid& type);
  // SELECT generate_series(...) [AS name] without FROM: true in `handled` when `s` has that
  // shape (then `out`/`shape` hold the translation).
  Status TargetListSeries(const PgQuery__SelectStmt* s, std::string& out, QueryShape& shape,
                          const std::vector<std::string>* rename, bool& handled);
  // Date/time arithmetic on storage forms (date +/- integer, date - date, date/timestamp
  // +/- constant interval); `handled` false when the operands are not date/time.
  Status DateTimeArithmetic(const PgQuery__AExpr* e, std::string_view op, std::string& out,
                            ExprType& t, bool& handled);
  Status Extract(const PgQuery__FuncCall* f, std::string_view name, std::string& out, ExprType& t);
  Status DateTrunc(const PgQuery__FuncCall* f, std::string& out, ExprType& t);
  Status TypeCast(const PgQuery__TypeCast* c, std::string& out, ExprType& t);
  // A cast to regclass/regtype/regproc/regnamespace/regrole (transform_catalog.cc).
  Status RegTypeCast(const PgQuery__TypeCast* c, Oid target, std::string& out, ExprType& t);
  // `x ~ pattern` and friends (transform_catalog.cc).
  Status RegexMatch(const PgQuery__AExpr* e, std::string_view op, std::string& out, ExprType& t);
  // `x = ANY(array)` / `x <> ALL(array)` over an array-valued expression (transform_catalog.cc).
  Status ArrayMembership(const PgQuery__AExpr* e, bool any, std::string& out, ExprType& t);
  // Wraps the expression at out[start..] in the output function of reg* type `t`, so the
  // client sees the name as PostgreSQL prints it (transform_catalog.cc).
  void RegTypeOutput(Oid t, size_t start, std::string& out) const;
  // The dialect's runtime function for `f`; 0A000 when the dialect has no catalog.
  Result<std::string_view> CatalogRuntime(CatalogFn f) const;
  Status WindowSpec(const PgQuery__WindowDef* w, std::string& out);
  Status ValueFunction(const PgQuery__SQLValueFunction* v, std::string& out, ExprType& t);
  Status ExprList(Node* const* items, size_t n, std::string& out, std::vector<ExprType>* types);
  Status SubQuery(const Node* query, std::string& out, QueryShape& shape);
  // The type of a column reference, when the scopes can tell.
  std::optional<ExprType> ColumnType(const PgQuery__ColumnRef* c) const;
  std::optional<ExprType> LookupColumn(std::string_view table, std::string_view column) const;
  // If `n` is a $n parameter of unknown type, records `t` as its type.
  void HintParam(const Node* n, ExprType t);

  // --- DDL pieces (transform_ddl.cc)
  Status ColumnDef(const PgQuery__ColumnDef* c, const std::vector<std::string>& pk_columns,
                   std::string& out, bool& pk_consumed);
  Status TableConstraint(const PgQuery__Constraint* c, std::string& out);
  Status ColumnConstraint(const PgQuery__Constraint* c, std::string& out);
  Status ForeignKeyTail(const PgQuery__Constraint* c, std::string& out);
  void NameList(Node* const* items, size_t n, std::string& out);

  std::string_view input_;
  const TranslateOptions& opts_;
  const SqlDialect& d_;
  int depth_ = 0;
  // Stack address at construction: DepthGuard measures the stack used below it.
  uintptr_t stack_base_ = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // Named limit: the highest $n a statement may reference. A Bind carries at most 65535 values
  // (an int16 count), so a higher $n could never be bound; refusing it also bounds
  // param_types_ (found by fuzz_translator: `$1385450599` asked for 5 GB).
  static constexpr int kMaxParamNumber = 65535;
  int max_param_ = 0;
  std::vector<Oid> param_types_;
  bool parameterize_ = false;  // literals of this statement become parameters
  bool emitted_marker_ = false;
  // While translating RETURNING: the DML target's alias, whose qualifier SQLite's RETURNING
  // does not accept (columns of the target are emitted unqualified).
  std::string returning_target_;
  std::vector<Scope> scopes_;
  std::vector<CteInfo> ctes_;
  int select_nesting_ = 0;  // Select() calls on the stack (1 = the statement's own query)
  // The set-returning call of the SELECT list being translated (SetReturningTargets).
  struct SrfJoin {
    std::string arg_sql;  // its argument, translated
    std::string alias;
    Oid element = 0;
    int scope = -1;  // index in scopes_ of the SELECT it belongs to
  };
  std::vector<SrfJoin> srf_joins_;
  bool uses_catalog_ = false;  // a catalog relation was referenced
};

// Raises the nesting depth for its lifetime; ok() is false past kMaxTransformDepth.
class DepthGuard {
 public:
  explicit DepthGuard(Transformer& t) : t_(t) { ++t_.depth_; }
  ~DepthGuard() { --t_.depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool ok() const {
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    uintptr_t used = t_.stack_base_ > here ? t_.stack_base_ - here : here - t_.stack_base_;
    return t_.depth_ <= kMaxTransformDepth && used <= kMaxTransformStackBytes;
  }

 private:
  Transformer& t_;
};

Status StackDepthExceeded();

// regclass, regtype, regproc, regprocedure, regnamespace, regrole.
bool IsRegType(Oid t);

// --- small helpers over pg_query nodes (transformer.cc)
std::string_view StringValue(const Node* n);  // String node's value, else ""
// PostgreSQL's name for an output column computed from `n` (FigureColname); column_name.cc.
std::string FigureColumnName(const Node* n);
// Last component of a dotted name list (function names, type names).
std::string_view LastName(Node* const* names, size_t n);
// A type name resolved to PostgreSQL's OID/typmod and its canonical spelling.
struct ResolvedType {
  Oid oid = 0;
  int32_t typmod = -1;
  bool is_serial = false;
  std::string pg_spelling;  // format_type() spelling, e.g. "character varying(20)"
};
// 42704 `type "x" does not exist` for unknown names.
Result<ResolvedType> ResolveTypeName(const PgQuery__TypeName* tn);

// Replaces literal markers in `sql` by placeholders numbered after `first_number`, recording
// the literals' input offsets (ascending) in `locations`.
void FinishLiterals(std::string& sql, int first_number, const SqlDialect& d,
                    std::vector<int>& locations);

}  // namespace pgw::sql
