// The catalog SQL functions, registered on every connection that runs catalog SQL. The
// translator emits these names (sql/catalog_functions.h lists the mapping):
//
//   pgw_format_type(oid, typmod)            format_type()
//   pgw_pg_get_expr(expr, relid [, pretty]) pg_get_expr(): the stored expression text
//   pgw_pg_get_indexdef(oid [, col, pretty]) pg_get_indexdef()
//   pgw_pg_get_constraintdef(oid [, pretty]) pg_get_constraintdef()
//   pgw_pg_get_viewdef(oid [, pretty])       pg_get_viewdef()
//   pgw_pg_get_userbyid(oid)                 pg_get_userbyid()
//   pgw_visible(oid)                         pg_table_is_visible() and friends
//   pgw_obj_description(oid [, catalog]), pgw_col_description(oid, attnum),
//   pgw_shobj_description(oid, catalog)      comments (NULL when none)
//   pgw_pg_encoding_to_char(int)             'UTF8' for 6, 'SQL_ASCII' for 0
//   pgw_true(...)                            has_*_privilege, pg_has_role: the session user is
//                                            a superuser
//   pgw_pg_postmaster_start_time(), pgw_pg_is_in_recovery()
//   pgw_array_to_string(array, sep [, null]) array_to_string() over array text
//   pgw_array_contains(array, value)         value = ANY(array) over array or vector text
//   pgw_regex(subject, pattern, flags)       ~ ~* !~ !~* (flags "i" for case-insensitive)
//   pgw_current_setting(name [, missing_ok]), pgw_set_config(name, value, is_local)
//   pgw_to_regclass(text), pgw_regclass(text) / pgw_regclass_out(oid)   ::regclass, 42P01
//   pgw_regtype(text) / pgw_regtype_out(oid)                             ::regtype, 42704
//   pgw_regproc(text) / pgw_regproc_out(oid)                             ::regproc, 42883
//   pgw_regnamespace(text) / pgw_regnamespace_out(oid), pgw_regrole(text) / pgw_regrole_out(oid)
#include <regex>
#include <string>

#include "catalog/catalog_engine.h"
#include "catalog/sqlite_function_args.h"
#include "common/sqlstate.h"
#include "types/array_text.h"
#include "types/pg_types.h"

namespace pgw {
namespace {

using catalog::FindRelation;
using catalog::QuoteIdentifier;

CatalogEngine& Engine(sqlite3_context* c) {
  return *static_cast<CatalogEngine*>(sqlite3_user_data(c));
}

bool IsNull(sqlite3_value* v) { return sqlite3_value_type(v) == SQLITE_NULL; }

void Fail(sqlite3_context* c, const Status& st) {
  SetFunctionError(c, st.sqlstate(), st.message());
}

const CatalogSchemaModel* ModelOf(sqlite3_context* c) {
  Status error;
  const CatalogSchemaModel& m = Engine(c).Model(&error);
  if (!error.ok()) {
    Fail(c, error);
    return nullptr;
  }
  return &m;
}

// ---- names: "Name" / name / schema.name, as PostgreSQL's identifier parsing reads them ----

std::vector<std::string> SplitQualifiedName(std::string_view s, bool* ok) {
  std::vector<std::string> parts;
  std::string cur;
  *ok = true;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  for (;;) {
    cur.clear();
    if (i < s.size() && s[i] == '"') {
      for (++i;; ++i) {
        if (i >= s.size()) {
          *ok = false;
          return parts;
        }
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            cur += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        cur += s[i];
      }
    } else {
      while (i < s.size() && s[i] != '.' && s[i] != ' ') {
        char ch = s[i++];
        cur += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
      }
      if (cur.empty()) *ok = false;
    }
    parts.push_back(cur);
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  if (i != s.size()) *ok = false;
  return parts;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// An output function's argument that already is a name (catalog columns keep some reg* values
// as names): returned as it is. True when handled (NULL included).
bool AlreadyName(sqlite3_context* c, sqlite3_value* v) {
  if (IsNull(v)) {
    sqlite3_result_null(c);
    return true;
  }
  if (sqlite3_value_numeric_type(v) == SQLITE_INTEGER && sqlite3_value_int64(v) == 0) {
    ResultText(c, "-");  // InvalidOid prints as "-" in every reg* type
    return true;
  }
  if (sqlite3_value_type(v) != SQLITE_TEXT || AllDigits(TextArg(v))) return false;
  ResultText(c, TextArg(v));
  return true;
}

// Oid of relation `name` in `schema` ("" = search path: pg_catalog, then public).
int64_t FindRelationOid(const CatalogSchemaModel& m, std::string_view schema,
                        std::string_view name) {
  if (schema.empty() || schema == "pg_catalog" || schema == "information_schema") {
    const catalog::RelationDef* r = FindRelation(schema.empty() ? "pg_catalog" : schema, name);
    if (r != nullptr) return r->oid;
    if (!schema.empty()) return 0;
  }
  for (const CatalogRelationModel& r : m.relations) {
    if (!schema.empty() ? r.schema != schema : r.schema != "public") continue;
    if (r.name == name) return r.oid;
    for (const CatalogIndexModel& ix : r.indexes) {
      if (ix.name == name) return ix.oid;
    }
  }
  return 0;
}

void RegclassIn(sqlite3_context* c, sqlite3_value* arg, bool missing_null) {
  if (IsNull(arg)) return sqlite3_result_null(c);
  std::string_view text = TextArg(arg);
  if (sqlite3_value_type(arg) == SQLITE_INTEGER || AllDigits(text)) {
    return sqlite3_result_int64(c, sqlite3_value_int64(arg));
  }
  bool ok = false;
  std::vector<std::string> parts = SplitQualifiedName(text, &ok);
  if (!ok || parts.empty() || parts.size() > 3) {
    return SetFunctionError(c, sqlstate::kInvalidName, "invalid name syntax");
  }
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  std::string schema = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  int64_t oid = FindRelationOid(*m, schema, parts.back());
  if (oid != 0) return sqlite3_result_int64(c, oid);
  if (missing_null) return sqlite3_result_null(c);
  SetFunctionError(c, sqlstate::kUndefinedTable,
                   "relation \"" + std::string(text) + "\" does not exist");
}

void Regclass(sqlite3_context* c, int, sqlite3_value** argv) { RegclassIn(c, argv[0], false); }
void ToRegclass(sqlite3_context* c, int, sqlite3_value** argv) { RegclassIn(c, argv[0], true); }

void RegclassOut(sqlite3_context* c, int, sqlite3_value** argv) {
  if (AlreadyName(c, argv[0])) return;
  int64_t oid = sqlite3_value_int64(argv[0]);
  for (const catalog::RelationDef& r : catalog::Relations()) {
    if (r.oid != oid) continue;
    std::string name = QuoteIdentifier(r.name);
    if (std::string_view(r.schema) != "pg_catalog") name = std::string(r.schema) + "." + name;
    return ResultText(c, name);
  }
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    std::string_view name;
    if (r.oid == oid) name = r.name;
    for (const CatalogIndexModel& ix : r.indexes) {
      if (ix.oid == oid) name = ix.name;
    }
    if (name.empty()) continue;
    std::string out = QuoteIdentifier(name);
    if (r.schema != "public") out = QuoteIdentifier(r.schema) + "." + out;
    return ResultText(c, out);
  }
  ResultText(c, std::to_string(oid));
}

// ---- regtype ----

void Regtype(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  std::string text(TextArg(argv[0]));
  if (AllDigits(text)) return sqlite3_result_int64(c, sqlite3_value_int64(argv[0]));
  std::string name = text;
  bool array = false;
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0) {
    array = true;
    name.resize(name.size() - 2);
  }
  if (size_t paren = name.find('('); paren != std::string::npos) {
    size_t close = name.find(')', paren);
    name.erase(paren, close == std::string::npos ? std::string::npos : close - paren + 1);
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.rfind("pg_catalog.", 0) == 0) name.erase(0, 11);
  if (const TypeInfo* t = LookupTypeByName(name)) {
    Oid o = array ? t->array_oid : t->oid;
    if (o != 0) return sqlite3_result_int64(c, o);
  }
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    if (!array && r.name == name) return sqlite3_result_int64(c, r.type_oid);
  }
  SetFunctionError(c, sqlstate::kUndefinedObject, "type \"" + text + "\" does not exist");
}

void RegtypeOut(sqlite3_context* c, int, sqlite3_value** argv) {
  if (AlreadyName(c, argv[0])) return;
  int64_t oid = sqlite3_value_int64(argv[0]);
  if (LookupType(static_cast<Oid>(oid)) != nullptr) {
    return ResultText(c, FormatType(static_cast<Oid>(oid), -1));
  }
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    if (r.type_oid == oid) return ResultText(c, QuoteIdentifier(r.name));
  }
  ResultText(c, std::to_string(oid));
}

// ---- regproc, regnamespace, regrole ----

std::shared_ptr<const std::vector<catalog::Row>> ProcRows(sqlite3_context* c) {
  Status error;
  auto rows = Engine(c).Rows(*FindRelation("pgw_pg_proc"), &error);
  if (!error.ok()) Fail(c, error);
  return error.ok() ? rows : nullptr;
}

void Regproc(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  std::string text(TextArg(argv[0]));
  if (AllDigits(text)) return sqlite3_result_int64(c, sqlite3_value_int64(argv[0]));
  std::string name = text.rfind("pg_catalog.", 0) == 0 ? text.substr(11) : text;
  auto rows = ProcRows(c);
  if (!rows) return;
  for (const catalog::Row& r : *rows) {
    if (r[1].s == name) return sqlite3_result_int64(c, r[0].i);
  }
  SetFunctionError(c, sqlstate::kUndefinedFunction, "function \"" + text + "\" does not exist");
}

void RegprocOut(sqlite3_context* c, int, sqlite3_value** argv) {
  if (AlreadyName(c, argv[0])) return;
  int64_t oid = sqlite3_value_int64(argv[0]);
  if (oid == 0) return ResultText(c, "-");
  auto rows = ProcRows(c);
  if (!rows) return;
  for (const catalog::Row& r : *rows) {
    if (r[0].i == oid) return ResultText(c, r[1].s);
  }
  ResultText(c, std::to_string(oid));
}

void Regnamespace(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  std::string text(TextArg(argv[0]));
  if (AllDigits(text)) return sqlite3_result_int64(c, sqlite3_value_int64(argv[0]));
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  if (int64_t oid = catalog::NamespaceOid(*m, text); oid != 0) {
    return sqlite3_result_int64(c, oid);
  }
  SetFunctionError(c, sqlstate::kInvalidSchemaName, "schema \"" + text + "\" does not exist");
}

void RegnamespaceOut(sqlite3_context* c, int, sqlite3_value** argv) {
  if (AlreadyName(c, argv[0])) return;
  int64_t oid = sqlite3_value_int64(argv[0]);
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (std::string_view n : {"pg_catalog", "public", "information_schema"}) {
    if (catalog::NamespaceOid(*m, n) == oid) return ResultText(c, n);
  }
  for (const std::string& n : m->namespaces) {
    if (catalog::NamespaceOid(*m, n) == oid) return ResultText(c, QuoteIdentifier(n));
  }
  ResultText(c, std::to_string(oid));
}

void Regrole(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  std::string text(TextArg(argv[0]));
  if (AllDigits(text)) return sqlite3_result_int64(c, sqlite3_value_int64(argv[0]));
  if (text == Engine(c).user()) return sqlite3_result_int64(c, catalog_oid::kBootstrapSuperuser);
  SetFunctionError(c, sqlstate::kUndefinedObject, "role \"" + text + "\" does not exist");
}

void UserById(sqlite3_context* c, int, sqlite3_value** argv) {
  if (AlreadyName(c, argv[0])) return;
  int64_t oid = sqlite3_value_int64(argv[0]);
  if (oid == catalog_oid::kBootstrapSuperuser) return ResultText(c, Engine(c).user());
  if (oid == catalog_oid::kDatabaseOwnerRole) return ResultText(c, "pg_database_owner");
  ResultText(c, "unknown (OID=" + std::to_string(oid) + ")");
}

// ---- definitions ----

void FormatTypeFn(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  Oid type = static_cast<Oid>(sqlite3_value_int64(argv[0]));
  int32_t typmod = IsNull(argv[1]) ? -1 : static_cast<int32_t>(sqlite3_value_int64(argv[1]));
  if (LookupType(type) != nullptr) return ResultText(c, FormatType(type, typmod));
  RegtypeOut(c, 1, argv);
}

void GetExpr(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  ResultText(c, TextArg(argv[0]));
}

void GetIndexdef(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  int64_t oid = sqlite3_value_int64(argv[0]);
  int64_t column = argc >= 2 && !IsNull(argv[1]) ? sqlite3_value_int64(argv[1]) : 0;
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    for (const CatalogIndexModel& ix : r.indexes) {
      if (ix.oid != oid) continue;
      if (column > 0) {
        if (static_cast<size_t>(column) > ix.columns.size()) return ResultText(c, "");
        return ResultText(c, QuoteIdentifier(ix.columns[static_cast<size_t>(column - 1)]));
      }
      return ResultText(c, catalog::IndexDefinition(r, ix));
    }
  }
  sqlite3_result_null(c);
}

void GetConstraintdef(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  int64_t oid = sqlite3_value_int64(argv[0]);
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      if (k.oid == oid) return ResultText(c, catalog::ConstraintDefinition(k));
    }
  }
  sqlite3_result_null(c);
}

void GetViewdef(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  const bool by_name = sqlite3_value_type(argv[0]) == SQLITE_TEXT && !AllDigits(TextArg(argv[0]));
  for (const CatalogRelationModel& r : m->relations) {
    if (r.kind != CatalogRelationModel::Kind::kView) continue;
    if (by_name ? r.name == TextArg(argv[0]) : r.oid == sqlite3_value_int64(argv[0])) {
      return ResultText(c, r.view_definition);
    }
  }
  sqlite3_result_null(c);
}

// ---- comments ----

void ObjDescription(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  int64_t oid = sqlite3_value_int64(argv[0]);
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  for (const CatalogRelationModel& r : m->relations) {
    if (r.oid == oid && !r.comment.empty()) return ResultText(c, r.comment);
  }
  sqlite3_result_null(c);
}

void ColDescription(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  const CatalogSchemaModel* m = ModelOf(c);
  if (m == nullptr) return;
  const CatalogRelationModel* r = catalog::FindRelationByOid(*m, sqlite3_value_int64(argv[0]));
  int64_t attnum = sqlite3_value_int64(argv[1]);
  if (r == nullptr || attnum < 1 || static_cast<size_t>(attnum) > r->columns.size()) {
    return sqlite3_result_null(c);
  }
  const std::string& comment = r->columns[static_cast<size_t>(attnum - 1)].comment;
  if (comment.empty()) return sqlite3_result_null(c);
  ResultText(c, comment);
}

void AlwaysNull(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_null(c); }
void AlwaysTrue(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_int(c, 1); }
void AlwaysFalse(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_int(c, 0); }

void Visible(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  sqlite3_result_int(c, 1);
}

void Zero(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_int(c, 0); }

void QuoteIdent(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  ResultText(c, QuoteIdentifier(TextArg(argv[0])));
}

// pg_size_pretty(bigint), PostgreSQL 15's rounding and units.
void SizePretty(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  int64_t size = sqlite3_value_int64(argv[0]);
  constexpr int64_t kLimit = 10 * 1024;
  constexpr int64_t kLimit2 = kLimit * 2 - 1;
  auto abs = [](int64_t v) { return v < 0 ? -v : v; };
  auto half_rounded = [](int64_t v) { return (v + (v < 0 ? -1 : 1)) / 2; };
  if (abs(size) < kLimit) return ResultText(c, std::to_string(size) + " bytes");
  size >>= 9;  // one extra bit for rounding
  for (const char* unit : {"kB", "MB", "GB", "TB"}) {
    if (abs(size) < kLimit2 || std::string_view(unit) == "TB") {
      return ResultText(c, std::to_string(half_rounded(size)) + " " + unit);
    }
    size >>= 10;
  }
}

void EncodingToChar(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  int64_t e = sqlite3_value_int64(argv[0]);
  ResultText(c, e == 6 ? "UTF8" : e == 0 ? "SQL_ASCII" : "");
}

void PostmasterStartTime(sqlite3_context* c, int, sqlite3_value**) {
  SessionCatalogContext* s = Engine(c).session();
  if (s == nullptr) return sqlite3_result_null(c);
  int64_t us = s->server_start_us();
  int64_t secs = us / 1000000;
  sqlite3_stmt* stmt = nullptr;
  sqlite3* db = sqlite3_context_db_handle(c);
  if (sqlite3_prepare_v2(db,
                         "SELECT strftime('%Y-%m-%d %H:%M:%S', ?1, 'unixepoch') || "
                         "CASE WHEN ?2 = 0 THEN '' ELSE rtrim(printf('.%06d', ?2), '0') END || "
                         "'+00'",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite3_result_null(c);
  }
  sqlite3_bind_int64(stmt, 1, secs);
  sqlite3_bind_int64(stmt, 2, us % 1000000);
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    ResultText(c, reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  } else {
    sqlite3_result_null(c);
  }
  sqlite3_finalize(stmt);
}

// ---- arrays ----

void ArrayToString(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  std::string_view sep = TextArg(argv[1]);
  const bool has_null = argc > 2 && !IsNull(argv[2]);
  std::string null_text = has_null ? std::string(TextArg(argv[2])) : "";
  std::string out;
  bool first = true;
  for (const ArrayElement& e : ArrayElements(TextArg(argv[0]))) {
    if (e.null && !has_null) continue;
    if (!first) out += sep;
    first = false;
    out += e.null ? null_text : e.text;
  }
  ResultText(c, out);
}

void ArrayContains(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  std::string want(TextArg(argv[1]));
  bool saw_null = false;
  for (const ArrayElement& e : ArrayElements(TextArg(argv[0]))) {
    if (e.null) {
      saw_null = true;
    } else if (e.text == want) {
      return sqlite3_result_int(c, 1);
    }
  }
  if (saw_null) return sqlite3_result_null(c);
  sqlite3_result_int(c, 0);
}

// arr[i]: 1-based for arrays, 0-based for the vector types (their text has no braces).
void ArrayElementAt(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  std::string_view text = TextArg(argv[0]);
  const bool vector = text.find('{') == std::string_view::npos;
  std::vector<pgw::ArrayElement> elems = ArrayElements(text);
  int64_t i = sqlite3_value_int64(argv[1]) - (vector ? 0 : 1);
  if (i < 0 || static_cast<size_t>(i) >= elems.size() || elems[static_cast<size_t>(i)].null) {
    return sqlite3_result_null(c);
  }
  ResultText(c, elems[static_cast<size_t>(i)].text);
}

// array_lower / array_upper / array_length (dimension 1 only) and cardinality.
void ArrayBound(sqlite3_context* c, sqlite3_value* arr, char which) {
  if (IsNull(arr)) return sqlite3_result_null(c);
  std::string_view text = TextArg(arr);
  const bool vector = text.find('{') == std::string_view::npos;
  int64_t n = static_cast<int64_t>(ArrayElements(text).size());
  if (n == 0 && which != 'c') return sqlite3_result_null(c);
  const int64_t lower = vector ? 0 : 1;
  switch (which) {
    case 'l':
      return sqlite3_result_int64(c, lower);
    case 'u':
      return sqlite3_result_int64(c, lower + n - 1);
    default:
      return sqlite3_result_int64(c, n);
  }
}

void ArrayLower(sqlite3_context* c, int, sqlite3_value** argv) { ArrayBound(c, argv[0], 'l'); }
void ArrayUpper(sqlite3_context* c, int, sqlite3_value** argv) { ArrayBound(c, argv[0], 'u'); }
void ArrayLength(sqlite3_context* c, int, sqlite3_value** argv) { ArrayBound(c, argv[0], 'n'); }
void Cardinality(sqlite3_context* c, int, sqlite3_value** argv) { ArrayBound(c, argv[0], 'c'); }

// A field (1-based position) of a record in its text form "(a,b,...)" (unquoted fields).
void RecordField(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  std::string_view s = TextArg(argv[0]);
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return sqlite3_result_null(c);
  s = s.substr(1, s.size() - 2);
  int64_t want = sqlite3_value_int64(argv[1]);
  for (int64_t i = 1; i <= want; ++i) {
    size_t comma = s.find(',');
    std::string_view field = s.substr(0, comma);
    if (i == want) return field.empty() ? sqlite3_result_null(c) : ResultText(c, field);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  sqlite3_result_null(c);
}

// ---- regular expressions ----

void DeleteRegex(void* p) { delete static_cast<std::regex*>(p); }

void Regex(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(c);
  auto* re = static_cast<std::regex*>(sqlite3_get_auxdata(c, 1));
  if (re == nullptr) {
    auto flags = std::regex::ECMAScript;
    if (TextArg(argv[2]).find('i') != std::string_view::npos) flags |= std::regex::icase;
    try {
      re = new std::regex(std::string(TextArg(argv[1])), flags);
    } catch (const std::regex_error& e) {
      return SetFunctionError(c, sqlstate::kInvalidRegularExpression,
                              std::string("invalid regular expression: ") + e.what());
    }
    sqlite3_set_auxdata(c, 1, re, DeleteRegex);
    re = static_cast<std::regex*>(sqlite3_get_auxdata(c, 1));
    if (re == nullptr) return sqlite3_result_error_nomem(c);
  }
  std::string subject(TextArg(argv[0]));
  sqlite3_result_int(c, std::regex_search(subject, *re) ? 1 : 0);
}

// ---- settings ----

void CurrentSetting(sqlite3_context* c, int argc, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(c);
  SessionCatalogContext* s = Engine(c).session();
  std::string name(TextArg(argv[0]));
  bool missing_ok = argc > 1 && sqlite3_value_int(argv[1]) != 0;
  if (s == nullptr) return sqlite3_result_null(c);
  bool found = true;
  Result<std::string> v = s->CurrentSetting(name, missing_ok, &found);
  if (!v.ok()) return Fail(c, v.status());
  if (!found) return sqlite3_result_null(c);
  ResultText(c, *v);
}

void SetConfig(sqlite3_context* c, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) {
    return SetFunctionError(c, sqlstate::kNullValueNotAllowed, "SET requires parameter name");
  }
  SessionCatalogContext* s = Engine(c).session();
  if (s == nullptr) return sqlite3_result_null(c);
  std::string value = IsNull(argv[1]) ? "" : std::string(TextArg(argv[1]));
  Result<std::string> v =
      s->SetConfig(std::string(TextArg(argv[0])), value, sqlite3_value_int(argv[2]) != 0);
  if (!v.ok()) return Fail(c, v.status());
  ResultText(c, *v);
}

using ScalarFn = void (*)(sqlite3_context*, int, sqlite3_value**);

struct FunctionDef {
  const char* name;
  int nargs;  // -1 = any
  bool deterministic;
  ScalarFn fn;
};

constexpr FunctionDef kFunctions[] = {
    {"pgw_format_type", 2, true, FormatTypeFn},
    {"pgw_pg_get_expr", -1, false, GetExpr},
    {"pgw_pg_get_indexdef", -1, false, GetIndexdef},
    {"pgw_pg_get_constraintdef", -1, false, GetConstraintdef},
    {"pgw_pg_get_viewdef", -1, false, GetViewdef},
    {"pgw_pg_get_userbyid", 1, false, UserById},
    {"pgw_visible", 1, true, Visible},
    {"pgw_obj_description", -1, false, ObjDescription},
    {"pgw_col_description", 2, false, ColDescription},
    {"pgw_shobj_description", 2, true, AlwaysNull},
    {"pgw_pg_encoding_to_char", 1, true, EncodingToChar},
    {"pgw_true", -1, true, AlwaysTrue},
    {"pgw_zero", -1, true, Zero},
    {"pgw_quote_ident", 1, true, QuoteIdent},
    {"pgw_pg_size_pretty", 1, true, SizePretty},
    {"pgw_false", -1, true, AlwaysFalse},
    {"pgw_null", -1, true, AlwaysNull},
    {"pgw_pg_postmaster_start_time", 0, false, PostmasterStartTime},
    {"pgw_array_to_string", 2, true, ArrayToString},
    {"pgw_array_to_string", 3, true, ArrayToString},
    {"pgw_array_contains", 2, true, ArrayContains},
    {"pgw_array_element", 2, true, ArrayElementAt},
    {"pgw_record_field", 2, true, RecordField},
    {"pgw_array_lower", 2, true, ArrayLower},
    {"pgw_array_upper", 2, true, ArrayUpper},
    {"pgw_array_length", 2, true, ArrayLength},
    {"pgw_cardinality", 1, true, Cardinality},
    {"pgw_regex", 3, true, Regex},
    {"pgw_current_setting", 1, false, CurrentSetting},
    {"pgw_current_setting", 2, false, CurrentSetting},
    {"pgw_set_config", 3, false, SetConfig},
    {"pgw_regclass", 1, false, Regclass},
    {"pgw_to_regclass", 1, false, ToRegclass},
    {"pgw_regclass_out", 1, false, RegclassOut},
    {"pgw_regtype", 1, false, Regtype},
    {"pgw_regtype_out", 1, false, RegtypeOut},
    {"pgw_regproc", 1, false, Regproc},
    {"pgw_regproc_out", 1, false, RegprocOut},
    {"pgw_regnamespace", 1, false, Regnamespace},
    {"pgw_regnamespace_out", 1, false, RegnamespaceOut},
    {"pgw_regrole", 1, false, Regrole},
    {"pgw_regrole_out", 1, false, UserById},
};

}  // namespace

int RegisterCatalogFunctions(sqlite3* db, CatalogEngine* engine) {
  for (const FunctionDef& f : kFunctions) {
    int flags = SQLITE_UTF8 | (f.deterministic ? SQLITE_DETERMINISTIC : 0);
    int rc = sqlite3_create_function_v2(db, f.name, f.nargs, flags, engine, f.fn, nullptr, nullptr,
                                        nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace pgw
