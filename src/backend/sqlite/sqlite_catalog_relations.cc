// The catalog relations: for each, its columns (PostgreSQL names and types) and the generator
// computing its rows from the live schema.
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "backend/sqlite/sqlite_catalog.h"
#include "backend/sqlite/sqlite_functions.h"
#include "types/pg_types.h"

namespace pgw {
namespace {

// PostgreSQL's fixed oids for the access methods, tablespace and collations used here.
constexpr int64_t kHeapAm = 2;
constexpr int64_t kBtreeAm = 403;
constexpr int64_t kDefaultTablespace = 1663;
constexpr int64_t kDefaultCollation = 100;
constexpr int64_t kCCollation = 950;
constexpr int64_t kUtf8Encoding = 6;
// Highest built-in type oid probed when listing pg_type (the table lives in types/).
constexpr Oid kMaxBuiltinTypeOid = 5000;

std::string Text(sqlite3_stmt* stmt, int i) {
  const unsigned char* t = sqlite3_column_text(stmt, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

bool IContains(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     }) != haystack.end();
}

// Approximate count of CHECK constraints in a CREATE TABLE statement.
int64_t CountChecks(std::string_view sql) {
  int64_t n = 0;
  for (size_t i = 0; i + 5 <= sql.size(); ++i) {
    if (!IContains(sql.substr(i, 5), "check")) continue;
    size_t j = i + 5;
    while (j < sql.size() && sql[j] == ' ') ++j;
    if (j < sql.size() && sql[j] == '(' &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(sql[i - 1]))))
      ++n;
  }
  return n;
}

struct TableColumn {
  std::string name;
  std::string decl;
  bool notnull = false;
  bool has_default = false;
  bool pk = false;
  int hidden = 0;  // 0 normal, 1 hidden (virtual tables), 2/3 generated
};

std::vector<TableColumn> TableColumns(sqlite3* db, const std::string& table) {
  std::vector<TableColumn> cols;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk, hidden "
                         "FROM pragma_table_xinfo(?1)",
                         -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      TableColumn c;
      c.name = Text(stmt, 0);
      c.decl = Text(stmt, 1);
      c.notnull = sqlite3_column_int(stmt, 2) != 0;
      c.has_default = sqlite3_column_int(stmt, 3) != 0;
      c.pk = sqlite3_column_int(stmt, 4) != 0;
      c.hidden = sqlite3_column_int(stmt, 5);
      if (c.hidden != 1) cols.push_back(std::move(c));
    }
  }
  sqlite3_finalize(stmt);
  return cols;
}

int64_t CountRows(sqlite3* db, const std::string& sql, const std::string& arg) {
  sqlite3_stmt* stmt = nullptr;
  int64_t n = 0;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return n;
}

// ---- pg_namespace ----

constexpr CatalogColumn kNamespaceColumns[] = {
    {"oid", "oid"}, {"nspname", "name"}, {"nspowner", "oid"}, {"nspacl", "text[]"}};

void GenerateNamespace(CatalogScan& scan) {
  const std::pair<int64_t, const char*> rows[] = {
      {kPgCatalogNamespaceOid, "pg_catalog"},
      {kPublicNamespaceOid, "public"},
      {kInformationSchemaNamespaceOid, "information_schema"}};
  for (const auto& [oid, name] : rows) {
    scan.rows.push_back({CInt(oid), CText(name), CInt(kBootstrapSuperuserOid), CNull()});
  }
}

// ---- pg_class ----

constexpr CatalogColumn kClassColumns[] = {
    {"oid", "oid"},
    {"relname", "name"},
    {"relnamespace", "oid"},
    {"reltype", "oid"},
    {"reloftype", "oid"},
    {"relowner", "oid"},
    {"relam", "oid"},
    {"relfilenode", "oid"},
    {"reltablespace", "oid"},
    {"relpages", "integer"},
    {"reltuples", "real"},
    {"relallvisible", "integer"},
    {"reltoastrelid", "oid"},
    {"relhasindex", "boolean"},
    {"relisshared", "boolean"},
    {"relpersistence", "\"char\""},
    {"relkind", "\"char\""},
    {"relnatts", "smallint"},
    {"relchecks", "smallint"},
    {"relhasrules", "boolean"},
    {"relhastriggers", "boolean"},
    {"relhassubclass", "boolean"},
    {"relrowsecurity", "boolean"},
    {"relforcerowsecurity", "boolean"},
    {"relispopulated", "boolean"},
    {"relreplident", "\"char\""},
    {"relispartition", "boolean"},
    {"relrewrite", "oid"},
    {"relfrozenxid", "xid"},
    {"relminmxid", "xid"},
    {"relacl", "text[]"},
    {"reloptions", "text[]"},
    {"relpartbound", "text"},
};

void AddClassRow(CatalogScan& scan, int64_t oid, std::string_view name, int64_t nsp, char relkind,
                 int64_t natts, bool has_index, int64_t checks, bool triggers) {
  const bool is_table = relkind == 'r';
  const int64_t am = relkind == 'r' ? kHeapAm : relkind == 'i' ? kBtreeAm : 0;
  scan.rows.push_back({CInt(oid),
                       CText(name),
                       CInt(nsp),
                       CInt(0),
                       CInt(0),
                       CInt(kBootstrapSuperuserOid),
                       CInt(am),
                       CInt(relkind == 'v' ? 0 : oid),
                       CInt(0),
                       CInt(0),
                       CFloat(-1),
                       CInt(0),
                       CInt(0),
                       CBool(has_index),
                       CBool(false),
                       CText("p"),
                       CText(std::string(1, relkind)),
                       CInt(natts),
                       CInt(checks),
                       CBool(false),
                       CBool(triggers),
                       CBool(false),
                       CBool(false),
                       CBool(false),
                       CBool(true),
                       CText(is_table ? "d" : "n"),
                       CBool(false),
                       CInt(0),
                       CInt(0),
                       CInt(0),
                       CNull(),
                       CNull(),
                       CNull()});
}

void GenerateClass(CatalogScan& scan) {
  for (const CatalogRelation& rel : CatalogRelations()) {
    AddClassRow(scan, rel.oid, rel.pg_name, kPgCatalogNamespaceOid, 'r',
                static_cast<int64_t>(rel.columns.size()), false, 0, false);
  }
  const auto& objects = scan.Objects();
  for (const SchemaObject& o : objects) {
    if (o.type == "index") {
      int64_t natts = CountRows(scan.db, "SELECT count(*) FROM pragma_index_info(?1)", o.name);
      AddClassRow(scan, o.oid, o.name, kPublicNamespaceOid, 'i', natts, false, 0, false);
      continue;
    }
    const char relkind = o.type == "view" ? 'v' : 'r';
    int64_t natts = static_cast<int64_t>(TableColumns(scan.db, o.name).size());
    bool has_index = relkind == 'r' &&
                     CountRows(scan.db, "SELECT count(*) FROM pragma_index_list(?1)", o.name) > 0;
    bool triggers = CountRows(scan.db,
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND "
                              "tbl_name = ?1",
                              o.name) > 0;
    AddClassRow(scan, o.oid, o.name, kPublicNamespaceOid, relkind, natts, has_index,
                relkind == 'r' ? CountChecks(o.sql) : 0, triggers);
  }
}

// ---- pg_attribute ----

constexpr CatalogColumn kAttributeColumns[] = {
    {"attrelid", "oid"},
    {"attname", "name"},
    {"atttypid", "oid"},
    {"attstattarget", "integer"},
    {"attlen", "smallint"},
    {"attnum", "smallint"},
    {"attndims", "integer"},
    {"attcacheoff", "integer"},
    {"atttypmod", "integer"},
    {"attbyval", "boolean"},
    {"attalign", "\"char\""},
    {"attstorage", "\"char\""},
    {"attcompression", "\"char\""},
    {"attnotnull", "boolean"},
    {"atthasdef", "boolean"},
    {"atthasmissing", "boolean"},
    {"attidentity", "\"char\""},
    {"attgenerated", "\"char\""},
    {"attisdropped", "boolean"},
    {"attislocal", "boolean"},
    {"attinhcount", "integer"},
    {"attcollation", "oid"},
    {"attacl", "text[]"},
    {"attoptions", "text[]"},
    {"attfdwoptions", "text[]"},
    {"attmissingval", "text"},
};

int64_t CollationOf(const TypeInfo* info) {
  if (info == nullptr || info->category != TypeCategory::kString) return 0;
  return info->oid == oid::kName ? kCCollation : kDefaultCollation;
}

void AddAttributeRow(CatalogScan& scan, int64_t relid, std::string_view name, DeclaredType type,
                     int64_t attnum, bool notnull, bool has_default, bool generated) {
  const TypeInfo* info = LookupType(type.oid);
  const int64_t len = info ? info->typlen : -1;
  const bool byval = len == 1 || len == 2 || len == 4 || len == 8;
  const char* align = len == 8 ? "d" : len == 2 ? "s" : len == 1 ? "c" : "i";
  scan.rows.push_back({CInt(relid),
                       CText(name),
                       CInt(type.oid),
                       CInt(-1),
                       CInt(len),
                       CInt(attnum),
                       CInt(info && info->category == TypeCategory::kArray ? 1 : 0),
                       CInt(-1),
                       CInt(type.typmod),
                       CBool(byval),
                       CText(align),
                       CText(len == -1 ? "x" : "p"),
                       CText(""),
                       CBool(notnull),
                       CBool(has_default),
                       CBool(false),
                       CText(""),
                       CText(generated ? "s" : ""),
                       CBool(false),
                       CBool(true),
                       CInt(0),
                       CInt(CollationOf(info)),
                       CNull(),
                       CNull(),
                       CNull(),
                       CNull()});
}

void GenerateAttribute(CatalogScan& scan) {
  for (const CatalogRelation& rel : CatalogRelations()) {
    int64_t attnum = 0;
    for (const CatalogColumn& c : rel.columns) {
      AddAttributeRow(scan, rel.oid, c.name, ParseDeclaredType(c.type), ++attnum, true, false,
                      false);
    }
  }
  for (const SchemaObject& o : scan.Objects()) {
    if (o.type == "index") continue;
    int64_t attnum = 0;
    for (const TableColumn& c : TableColumns(scan.db, o.name)) {
      AddAttributeRow(scan, o.oid, c.name, ParseDeclaredType(c.decl), ++attnum, c.notnull || c.pk,
                      c.has_default, c.hidden >= 2);
    }
  }
}

// ---- pg_type ----

constexpr CatalogColumn kTypeColumns[] = {
    {"oid", "oid"},
    {"typname", "name"},
    {"typnamespace", "oid"},
    {"typowner", "oid"},
    {"typlen", "smallint"},
    {"typbyval", "boolean"},
    {"typtype", "\"char\""},
    {"typcategory", "\"char\""},
    {"typispreferred", "boolean"},
    {"typisdefined", "boolean"},
    {"typdelim", "\"char\""},
    {"typrelid", "oid"},
    {"typsubscript", "text"},
    {"typelem", "oid"},
    {"typarray", "oid"},
    {"typinput", "text"},
    {"typoutput", "text"},
    {"typreceive", "text"},
    {"typsend", "text"},
    {"typmodin", "text"},
    {"typmodout", "text"},
    {"typanalyze", "text"},
    {"typalign", "\"char\""},
    {"typstorage", "\"char\""},
    {"typnotnull", "boolean"},
    {"typbasetype", "oid"},
    {"typtypmod", "integer"},
    {"typndims", "integer"},
    {"typcollation", "oid"},
    {"typdefaultbin", "text"},
    {"typdefault", "text"},
    {"typacl", "text[]"},
};

const char* TypCategory(const TypeInfo& t) {
  switch (t.category) {
    case TypeCategory::kBool:
      return "B";
    case TypeCategory::kInteger:
    case TypeCategory::kFloat:
    case TypeCategory::kNumeric:
      return "N";
    case TypeCategory::kString:
      return t.oid == oid::kUnknown ? "X" : "S";
    case TypeCategory::kDate:
    case TypeCategory::kTime:
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz:
      return "D";
    case TypeCategory::kInterval:
      return "T";
    case TypeCategory::kArray:
      return "A";
    case TypeCategory::kBytea:
    case TypeCategory::kUuid:
    case TypeCategory::kJson:
    case TypeCategory::kJsonb:
    case TypeCategory::kVector:
    case TypeCategory::kOther:
      return "U";
  }
  return "U";
}

bool IsPseudoType(Oid o) {
  return o == oid::kUnknown || o == oid::kRecord || o == oid::kCstring || o == oid::kAny ||
         o == oid::kVoid;
}

const std::vector<const TypeInfo*>& BuiltinTypes() {
  static const std::vector<const TypeInfo*> types = [] {
    std::vector<const TypeInfo*> v;
    for (Oid o = 1; o <= kMaxBuiltinTypeOid; ++o) {
      if (const TypeInfo* t = LookupType(o)) v.push_back(t);
    }
    if (const TypeInfo* t = LookupType(oid::kVector)) v.push_back(t);
    return v;
  }();
  return types;
}

void GenerateType(CatalogScan& scan) {
  for (const TypeInfo* t : BuiltinTypes()) {
    const bool array = t->category == TypeCategory::kArray;
    const std::string base = array ? "array" : t->name;
    const int64_t len = t->typlen;
    const bool byval = len == 1 || len == 2 || len == 4 || len == 8;
    const char* align = len == 8 || (array && t->element_oid == oid::kFloat8) ? "d"
                        : len == 2                                            ? "s"
                        : len == 1 || len == -2                               ? "c"
                                                                              : "i";
    scan.rows.push_back(
        {CInt(t->oid),
         CText(t->name),
         CInt(kPgCatalogNamespaceOid),
         CInt(kBootstrapSuperuserOid),
         CInt(len),
         CBool(byval),
         CText(IsPseudoType(t->oid) ? "p" : "b"),
         CText(TypCategory(*t)),
         CBool(t->oid == oid::kText || t->oid == oid::kFloat8 || t->oid == oid::kBool ||
               t->oid == oid::kTimestamptz || t->oid == oid::kOid),
         CBool(true),
         CText(","),
         CInt(0),
         CText(array ? "array_subscript_handler" : "-"),
         CInt(t->element_oid),
         CInt(t->array_oid),
         CText(base + "_in"),
         CText(base + "_out"),
         CText(base + "_recv"),
         CText(base + "_send"),
         CText("-"),
         CText("-"),
         CText("-"),
         CText(align),
         CText(len == -1 ? "x" : "p"),
         CBool(false),
         CInt(0),
         CInt(-1),
         CInt(0),
         CInt(CollationOf(t)),
         CNull(),
         CNull(),
         CNull()});
  }
}

// ---- pg_database ----

constexpr CatalogColumn kDatabaseColumns[] = {
    {"oid", "oid"},
    {"datname", "name"},
    {"datdba", "oid"},
    {"encoding", "integer"},
    {"datlocprovider", "\"char\""},
    {"datistemplate", "boolean"},
    {"datallowconn", "boolean"},
    {"datconnlimit", "integer"},
    {"datfrozenxid", "xid"},
    {"datminmxid", "xid"},
    {"dattablespace", "oid"},
    {"datcollate", "text"},
    {"datctype", "text"},
    {"daticulocale", "text"},
    {"datcollversion", "text"},
    {"datacl", "text[]"},
};

void GenerateDatabase(CatalogScan& scan) {
  scan.rows.push_back({CInt(kDatabaseOid), CText(scan.ctx->database), CInt(kBootstrapSuperuserOid),
                       CInt(kUtf8Encoding), CText("c"), CBool(false), CBool(true), CInt(-1),
                       CInt(0), CInt(1), CInt(kDefaultTablespace), CText("C.UTF-8"),
                       CText("C.UTF-8"), CNull(), CNull(), CNull()});
}

// ---- pg_partitioned_table, pg_inherits (no partitioning or inheritance in SQLite) ----

constexpr CatalogColumn kPartitionedTableColumns[] = {
    {"partrelid", "oid"},           {"partstrat", "\"char\""},   {"partnatts", "smallint"},
    {"partdefid", "oid"},           {"partattrs", "int2vector"}, {"partclass", "oidvector"},
    {"partcollation", "oidvector"}, {"partexprs", "text"},
};

constexpr CatalogColumn kInheritsColumns[] = {{"inhrelid", "oid"},
                                              {"inhparent", "oid"},
                                              {"inhseqno", "integer"},
                                              {"inhdetachpending", "boolean"}};

void GenerateNothing(CatalogScan&) {}

// ---- pg_roles ----

constexpr CatalogColumn kRolesColumns[] = {
    {"rolname", "name"},
    {"rolsuper", "boolean"},
    {"rolinherit", "boolean"},
    {"rolcreaterole", "boolean"},
    {"rolcreatedb", "boolean"},
    {"rolcanlogin", "boolean"},
    {"rolreplication", "boolean"},
    {"rolconnlimit", "integer"},
    {"rolpassword", "text"},
    {"rolvaliduntil", "timestamptz"},
    {"rolbypassrls", "boolean"},
    {"rolconfig", "text[]"},
    {"oid", "oid"},
};

void GenerateRoles(CatalogScan& scan) {
  scan.rows.push_back({CText(scan.ctx->user), CBool(true), CBool(true), CBool(true), CBool(true),
                       CBool(true), CBool(false), CInt(-1), CText("********"), CNull(), CBool(true),
                       CNull(), CInt(kBootstrapSuperuserOid)});
}

// PostgreSQL 15's oids for these relations (pg_roles is a view; any stable oid).
const CatalogRelation kRelations[] = {
    {"pg_namespace", "pgw_pg_namespace", 2615, kNamespaceColumns, GenerateNamespace},
    {"pg_class", "pgw_pg_class", 1259, kClassColumns, GenerateClass},
    {"pg_attribute", "pgw_pg_attribute", 1249, kAttributeColumns, GenerateAttribute},
    {"pg_type", "pgw_pg_type", 1247, kTypeColumns, GenerateType},
    {"pg_database", "pgw_pg_database", 1262, kDatabaseColumns, GenerateDatabase},
    {"pg_partitioned_table", "pgw_pg_partitioned_table", 3350, kPartitionedTableColumns,
     GenerateNothing},
    {"pg_inherits", "pgw_pg_inherits", 2611, kInheritsColumns, GenerateNothing},
    {"pg_roles", "pgw_pg_roles", 12001, kRolesColumns, GenerateRoles},
};

}  // namespace

std::span<const CatalogRelation> CatalogRelations() { return kRelations; }

}  // namespace pgw
