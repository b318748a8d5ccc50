// pg_catalog relations about everything but relations: pg_proc (the functions the gateway
// supports), pg_database, pg_roles, pg_user, pg_settings, pg_am, pg_collation, pg_tablespace,
// pg_extension, pg_enum, pg_sequence, pg_stat_activity, pg_locks, and the always-empty
// relations psql's \d consults (pg_trigger, pg_policy, pg_statistic_ext, publications, ...).
//
// pg_stat_progress_copy has a file of its own (catalog_progress_copy.cc).
#include <cstdio>
#include <string>

#include "catalog/catalog_relations.h"
#include "types/datetime_fields.h"

namespace pgw::catalog {
namespace {

namespace co = catalog_oid;

constexpr int64_t kUtf8Encoding = 6;
constexpr int64_t kSqlLanguage = 14;
constexpr int64_t kInternalLanguage = 12;

// timestamptz storage form of microseconds since the Unix epoch.
Cell Timestamptz(int64_t us) {
  if (us == 0) return CNull();
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  int64_t y = 0;
  int m = 0, d = 0;
  codec::CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(sod / 3600),
                        static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
  std::string s(buf, static_cast<size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return CText(s + "+00");
}

// ---- pg_proc ----

constexpr Column kProc[] = {
    {"oid", "oid"},
    {"proname", "name"},
    {"pronamespace", "oid"},
    {"proowner", "oid"},
    {"prolang", "oid"},
    {"procost", "real"},
    {"prorows", "real"},
    {"provariadic", "oid"},
    {"prosupport", "regproc"},
    {"prokind", "\"char\""},
    {"prosecdef", "boolean"},
    {"proleakproof", "boolean"},
    {"proisstrict", "boolean"},
    {"proretset", "boolean"},
    {"provolatile", "\"char\""},
    {"proparallel", "\"char\""},
    {"pronargs", "smallint"},
    {"pronargdefaults", "smallint"},
    {"prorettype", "oid"},
    {"proargtypes", "oidvector"},
    {"proallargtypes", "oid[]"},
    {"proargmodes", "\"char\"[]"},
    {"proargnames", "text[]"},
    {"proargdefaults", "pg_node_tree"},
    {"protrftypes", "oid[]"},
    {"prosrc", "text"},
    {"probin", "text"},
    {"prosqlbody", "pg_node_tree"},
    {"proconfig", "text[]"},
    {"proacl", "aclitem[]"},
};

struct Proc {
  int64_t oid;  // PostgreSQL 15's oid of the same signature
  const char* name;
  char kind;  // 'f' function, 'a' aggregate, 'w' window
  char volatility;
  bool retset;
  Oid rettype;
  const char* argtypes;  // oidvector text
  int nargs;
};

// The PostgreSQL functions the gateway implements (a representative signature of each).
constexpr Proc kProcs[] = {
    {1396, "abs", 'f', 'i', false, 20, "20", 1},
    {2335, "array_agg", 'a', 'i', false, 2277, "2776", 1},
    {395, "array_to_string", 'f', 's', false, 25, "2277 25", 2},
    {2100, "avg", 'a', 'i', false, 1700, "20", 1},
    {2803, "count", 'a', 'i', false, 20, "", 0},
    {861, "current_database", 'f', 's', false, 19, "", 0},
    {1402, "current_schema", 'f', 's', false, 19, "", 0},
    {1403, "current_schemas", 'f', 's', false, 1003, "16", 1},
    {2077, "current_setting", 'f', 's', false, 25, "25", 1},
    {1081, "format_type", 'f', 's', false, 25, "26 23", 2},
    {3259, "gen_random_uuid", 'f', 'v', false, 2950, "", 0},
    {1067, "generate_series", 'f', 'i', true, 23, "23 23", 2},
    {1922, "has_table_privilege", 'f', 's', false, 16, "25 25", 2},
    {870, "lower", 'f', 'i', false, 25, "25", 1},
    {2116, "max", 'a', 'i', false, 23, "23", 1},
    {2132, "min", 'a', 'i', false, 23, "23", 1},
    {1299, "now", 'f', 's', false, 1184, "", 0},
    {2026, "pg_backend_pid", 'f', 's', false, 23, "", 0},
    {1716, "pg_get_expr", 'f', 's', false, 25, "194 26", 2},
    {1643, "pg_get_indexdef", 'f', 's', false, 25, "26", 1},
    {1387, "pg_get_constraintdef", 'f', 's', false, 25, "26", 1},
    {1642, "pg_get_userbyid", 'f', 's', false, 19, "26", 1},
    {1640, "pg_get_viewdef", 'f', 's', false, 25, "25", 1},
    {3051, "pg_is_in_recovery", 'f', 'v', false, 16, "", 0},
    {2560, "pg_postmaster_start_time", 'f', 's', false, 1184, "", 0},
    {2171, "pg_sleep", 'f', 'v', false, 2278, "701", 1},
    {2079, "pg_table_is_visible", 'f', 's', false, 16, "26", 1},
    {2080, "pg_type_is_visible", 'f', 's', false, 16, "26", 1},
    {1619, "pg_typeof", 'f', 's', false, 2206, "2276", 1},
    {1215, "obj_description", 'f', 's', false, 25, "26 19", 2},
    {1216, "col_description", 'f', 's', false, 25, "26 23", 2},
    {1993, "shobj_description", 'f', 's', false, 25, "26 19", 2},
    {1597, "pg_encoding_to_char", 'f', 's', false, 19, "23", 1},
    {2078, "set_config", 'f', 'v', false, 25, "25 25 16", 3},
    {2108, "sum", 'a', 'i', false, 1700, "20", 1},
    {3538, "string_agg", 'a', 'i', false, 25, "25 25", 2},
    {2331, "unnest", 'f', 'i', true, 2283, "2277", 1},
    {871, "upper", 'f', 'i', false, 25, "25", 1},
    {89, "version", 'f', 's', false, 25, "", 0},
};

void GenProc(const ScanInput&, std::vector<Row>& rows) {
  for (const Proc& p : kProcs) {
    rows.push_back({CInt(p.oid),
                    CText(p.name),
                    CInt(co::kPgCatalogNamespace),
                    CInt(co::kBootstrapSuperuser),
                    CInt(p.kind == 'f' ? kInternalLanguage : kSqlLanguage),
                    CFloat(1),
                    CFloat(p.retset ? 1000 : 0),
                    CInt(0),
                    CText("-"),
                    CChar(p.kind),
                    CBool(false),
                    CBool(false),
                    CBool(p.kind == 'f'),
                    CBool(p.retset),
                    CChar(p.volatility),
                    CText("s"),
                    CInt(p.nargs),
                    CInt(0),
                    CInt(p.rettype),
                    CText(p.argtypes),
                    CNull(),
                    CNull(),
                    CNull(),
                    CNull(),
                    CNull(),
                    CText(p.name),
                    CNull(),
                    CNull(),
                    CNull(),
                    CNull()});
  }
}

// ---- pg_database ----

constexpr Column kDatabase[] = {
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
    {"datacl", "aclitem[]"},
};

void GenDatabase(const ScanInput& in, std::vector<Row>& rows) {
  rows.push_back({CInt(co::kDatabase), CText(in.database), CInt(co::kBootstrapSuperuser),
                  CInt(kUtf8Encoding), CText("c"), CBool(false), CBool(true), CInt(-1), CInt(0),
                  CInt(1), CInt(co::kDefaultTablespace), CText("C"), CText("C"), CNull(), CNull(),
                  CNull()});
}

// ---- pg_roles, pg_user ----

constexpr Column kRoles[] = {
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

// The session user is a superuser (the gateway has no finer privileges to show); the other
// attributes are false, as for a role created WITH SUPERUSER LOGIN.
void GenRoles(const ScanInput& in, std::vector<Row>& rows) {
  rows.push_back({CText(in.user), CBool(true), CBool(true), CBool(false), CBool(false), CBool(true),
                  CBool(false), CInt(-1), CText("********"), CNull(), CBool(false), CNull(),
                  CInt(co::kBootstrapSuperuser)});
  rows.push_back({CText("pg_database_owner"), CBool(false), CBool(true), CBool(false), CBool(false),
                  CBool(false), CBool(false), CInt(-1), CText("********"), CNull(), CBool(false),
                  CNull(), CInt(co::kDatabaseOwnerRole)});
}

constexpr Column kUser[] = {
    {"usename", "name"},     {"usesysid", "oid"},         {"usecreatedb", "boolean"},
    {"usesuper", "boolean"}, {"userepl", "boolean"},      {"usebypassrls", "boolean"},
    {"passwd", "text"},      {"valuntil", "timestamptz"}, {"useconfig", "text[]"},
};

void GenUser(const ScanInput& in, std::vector<Row>& rows) {
  rows.push_back({CText(in.user), CInt(co::kBootstrapSuperuser), CBool(false), CBool(true),
                  CBool(false), CBool(false), CText("********"), CNull(), CNull()});
}

// ---- pg_settings ----

constexpr Column kSettings[] = {
    {"name", "text"},
    {"setting", "text"},
    {"unit", "text"},
    {"category", "text"},
    {"short_desc", "text"},
    {"extra_desc", "text"},
    {"context", "text"},
    {"vartype", "text"},
    {"source", "text"},
    {"min_val", "text"},
    {"max_val", "text"},
    {"enumvals", "text[]"},
    {"boot_val", "text"},
    {"reset_val", "text"},
    {"sourcefile", "text"},
    {"sourceline", "integer"},
    {"pending_restart", "boolean"},
};

Cell TextOrNull(const std::string& s) { return s.empty() ? CNull() : CText(s); }

void GenSettings(const ScanInput& in, std::vector<Row>& rows) {
  if (in.session == nullptr) return;
  for (const CatalogSetting& s : in.session->Settings()) {
    rows.push_back({CText(s.name), CText(s.setting), TextOrNull(s.unit), CText(s.category),
                    CText(s.short_desc), CNull(), CText(s.context), CText(s.vartype),
                    CText(s.source), CNull(), CNull(), CNull(), CText(s.boot_val),
                    CText(s.reset_val), CNull(), CNull(), CBool(false)});
  }
}

// ---- pg_am, pg_collation, pg_tablespace, pg_extension ----

constexpr Column kAm[] = {
    {"oid", "oid"}, {"amname", "name"}, {"amhandler", "regproc"}, {"amtype", "\"char\""}};

void GenAm(const ScanInput&, std::vector<Row>& rows) {
  rows.push_back({CInt(co::kHeapAm), CText("heap"), CText("heap_tableam_handler"), CText("t")});
  rows.push_back({CInt(co::kBtreeAm), CText("btree"), CText("bthandler"), CText("i")});
}

constexpr Column kCollation[] = {
    {"oid", "oid"},
    {"collname", "name"},
    {"collnamespace", "oid"},
    {"collowner", "oid"},
    {"collprovider", "\"char\""},
    {"collisdeterministic", "boolean"},
    {"collencoding", "integer"},
    {"collcollate", "text"},
    {"collctype", "text"},
    {"colliculocale", "text"},
    {"collversion", "text"},
};

void GenCollation(const ScanInput&, std::vector<Row>& rows) {
  const std::pair<int64_t, const char*> colls[] = {
      {co::kDefaultCollation, "default"}, {co::kCCollation, "C"}, {co::kPosixCollation, "POSIX"}};
  for (const auto& [oid, name] : colls) {
    const bool dflt = oid == co::kDefaultCollation;
    rows.push_back({CInt(oid), CText(name), CInt(co::kPgCatalogNamespace),
                    CInt(co::kBootstrapSuperuser), CText(dflt ? "d" : "c"), CBool(true), CInt(-1),
                    dflt ? CNull() : CText(name), dflt ? CNull() : CText(name), CNull(), CNull()});
  }
}

constexpr Column kTablespace[] = {{"oid", "oid"},
                                  {"spcname", "name"},
                                  {"spcowner", "oid"},
                                  {"spcacl", "aclitem[]"},
                                  {"spcoptions", "text[]"}};

void GenTablespace(const ScanInput&, std::vector<Row>& rows) {
  rows.push_back({CInt(co::kDefaultTablespace), CText("pg_default"), CInt(co::kBootstrapSuperuser),
                  CNull(), CNull()});
  rows.push_back({CInt(co::kGlobalTablespace), CText("pg_global"), CInt(co::kBootstrapSuperuser),
                  CNull(), CNull()});
}

constexpr Column kExtension[] = {
    {"oid", "oid"},          {"extname", "name"},           {"extowner", "oid"},
    {"extnamespace", "oid"}, {"extrelocatable", "boolean"}, {"extversion", "text"},
    {"extconfig", "oid[]"},  {"extcondition", "text[]"},
};

void GenExtension(const ScanInput&, std::vector<Row>& rows) {
  rows.push_back({CInt(co::kPlpgsqlExtension), CText("plpgsql"), CInt(co::kBootstrapSuperuser),
                  CInt(co::kPgCatalogNamespace), CBool(false), CText("1.0"), CNull(), CNull()});
}

// ---- pg_enum, pg_sequence (no enums or sequences in the model) ----

constexpr Column kEnum[] = {
    {"oid", "oid"}, {"enumtypid", "oid"}, {"enumsortorder", "real"}, {"enumlabel", "name"}};

constexpr Column kSequence[] = {
    {"seqrelid", "oid"},  {"seqtypid", "oid"},  {"seqstart", "bigint"}, {"seqincrement", "bigint"},
    {"seqmax", "bigint"}, {"seqmin", "bigint"}, {"seqcache", "bigint"}, {"seqcycle", "boolean"},
};

// ---- pg_stat_activity, pg_locks ----

constexpr Column kStatActivity[] = {
    {"datid", "oid"},
    {"datname", "name"},
    {"pid", "integer"},
    {"leader_pid", "integer"},
    {"usesysid", "oid"},
    {"usename", "name"},
    {"application_name", "text"},
    {"client_addr", "inet"},
    {"client_hostname", "text"},
    {"client_port", "integer"},
    {"backend_start", "timestamptz"},
    {"xact_start", "timestamptz"},
    {"query_start", "timestamptz"},
    {"state_change", "timestamptz"},
    {"wait_event_type", "text"},
    {"wait_event", "text"},
    {"state", "text"},
    {"backend_xid", "xid"},
    {"backend_xmin", "xid"},
    {"query_id", "bigint"},
    {"query", "text"},
    {"backend_type", "text"},
};

void GenStatActivity(const ScanInput& in, std::vector<Row>& rows) {
  if (in.session == nullptr) return;
  for (const CatalogActivity& a : in.session->Activity()) {
    rows.push_back({CInt(co::kDatabase),
                    CText(a.database),
                    CInt(a.pid),
                    CNull(),
                    CInt(co::kBootstrapSuperuser),
                    CText(a.user),
                    CText(a.application_name),
                    TextOrNull(a.client_addr),
                    CNull(),
                    a.client_port >= 0 ? CInt(a.client_port) : CInt(-1),
                    Timestamptz(a.backend_start_us),
                    Timestamptz(a.xact_start_us),
                    Timestamptz(a.query_start_us),
                    Timestamptz(a.state_change_us),
                    a.state == "active" ? CNull() : CText("Client"),
                    a.state == "active" ? CNull() : CText("ClientRead"),
                    CText(a.state),
                    CNull(),
                    CNull(),
                    CNull(),
                    CText(a.query),
                    CText("client backend")});
  }
}

constexpr Column kLocks[] = {
    {"locktype", "text"},
    {"database", "oid"},
    {"relation", "oid"},
    {"page", "integer"},
    {"tuple", "smallint"},
    {"virtualxid", "text"},
    {"transactionid", "xid"},
    {"classid", "oid"},
    {"objid", "oid"},
    {"objsubid", "smallint"},
    {"virtualtransaction", "text"},
    {"pid", "integer"},
    {"mode", "text"},
    {"granted", "boolean"},
    {"fastpath", "boolean"},
    {"waitstart", "timestamptz"},
};

// ---- relations psql's \d consults that are always empty here ----

constexpr Column kTrigger[] = {
    {"oid", "oid"},
    {"tgrelid", "oid"},
    {"tgparentid", "oid"},
    {"tgname", "name"},
    {"tgfoid", "oid"},
    {"tgtype", "smallint"},
    {"tgenabled", "\"char\""},
    {"tgisinternal", "boolean"},
    {"tgconstrrelid", "oid"},
    {"tgconstrindid", "oid"},
    {"tgconstraint", "oid"},
    {"tgdeferrable", "boolean"},
    {"tginitdeferred", "boolean"},
    {"tgnargs", "smallint"},
    {"tgattr", "int2vector"},
    {"tgargs", "bytea"},
    {"tgqual", "pg_node_tree"},
    {"tgoldtable", "name"},
    {"tgnewtable", "name"},
};

constexpr Column kPolicy[] = {
    {"oid", "oid"},
    {"polname", "name"},
    {"polrelid", "oid"},
    {"polcmd", "\"char\""},
    {"polpermissive", "boolean"},
    {"polroles", "oid[]"},
    {"polqual", "pg_node_tree"},
    {"polwithcheck", "pg_node_tree"},
};

constexpr Column kStatisticExt[] = {
    {"oid", "oid"},
    {"stxrelid", "oid"},
    {"stxname", "name"},
    {"stxnamespace", "oid"},
    {"stxowner", "oid"},
    {"stxstattarget", "integer"},
    {"stxkeys", "int2vector"},
    {"stxkind", "\"char\"[]"},
    {"stxexprs", "pg_node_tree"},
};

constexpr Column kPublication[] = {
    {"oid", "oid"},
    {"pubname", "name"},
    {"pubowner", "oid"},
    {"puballtables", "boolean"},
    {"pubinsert", "boolean"},
    {"pubupdate", "boolean"},
    {"pubdelete", "boolean"},
    {"pubtruncate", "boolean"},
    {"pubviaroot", "boolean"},
};

constexpr Column kPublicationRel[] = {{"oid", "oid"},
                                      {"prpubid", "oid"},
                                      {"prrelid", "oid"},
                                      {"prqual", "pg_node_tree"},
                                      {"prattrs", "int2vector"}};

constexpr Column kPublicationNamespace[] = {{"oid", "oid"}, {"pnpubid", "oid"}, {"pnnspid", "oid"}};

constexpr Column kForeignTable[] = {
    {"ftrelid", "oid"}, {"ftserver", "oid"}, {"ftoptions", "text[]"}};

constexpr Column kRewrite[] = {
    {"oid", "oid"},
    {"rulename", "name"},
    {"ev_class", "oid"},
    {"ev_type", "\"char\""},
    {"ev_enabled", "\"char\""},
    {"is_instead", "boolean"},
    {"ev_qual", "pg_node_tree"},
    {"ev_action", "pg_node_tree"},
};

constexpr Column kAuthMembers[] = {{"oid", "oid"},
                                   {"roleid", "oid"},
                                   {"member", "oid"},
                                   {"grantor", "oid"},
                                   {"admin_option", "boolean"}};

constexpr Column kDepend[] = {
    {"classid", "oid"},  {"objid", "oid"},           {"objsubid", "integer"}, {"refclassid", "oid"},
    {"refobjid", "oid"}, {"refobjsubid", "integer"}, {"deptype", "\"char\""},
};

constexpr Column kRange[] = {
    {"rngtypid", "oid"},       {"rngsubtype", "oid"}, {"rngmultitypid", "oid"},
    {"rngcollation", "oid"},   {"rngsubopc", "oid"},  {"rngcanonical", "regproc"},
    {"rngsubdiff", "regproc"},
};

void GenNothing(const ScanInput&, std::vector<Row>&) {}

const RelationDef kRelations[] = {
    {"pg_catalog", "pg_proc", "pgw_pg_proc", 1255, kProc, GenProc, false},
    {"pg_catalog", "pg_database", "pgw_pg_database", 1262, kDatabase, GenDatabase, true},
    {"pg_catalog", "pg_roles", "pgw_pg_roles", 12001, kRoles, GenRoles, true},
    {"pg_catalog", "pg_user", "pgw_pg_user", 12005, kUser, GenUser, true},
    {"pg_catalog", "pg_settings", "pgw_pg_settings", 12010, kSettings, GenSettings, true},
    {"pg_catalog", "pg_am", "pgw_pg_am", 2601, kAm, GenAm, false},
    {"pg_catalog", "pg_collation", "pgw_pg_collation", 3456, kCollation, GenCollation, false},
    {"pg_catalog", "pg_tablespace", "pgw_pg_tablespace", 1213, kTablespace, GenTablespace, false},
    {"pg_catalog", "pg_extension", "pgw_pg_extension", 3079, kExtension, GenExtension, false},
    {"pg_catalog", "pg_enum", "pgw_pg_enum", 3501, kEnum, GenNothing, false},
    {"pg_catalog", "pg_sequence", "pgw_pg_sequence", 2224, kSequence, GenNothing, false},
    {"pg_catalog", "pg_stat_activity", "pgw_pg_stat_activity", 12020, kStatActivity,
     GenStatActivity, true},
    {"pg_catalog", "pg_locks", "pgw_pg_locks", 12030, kLocks, GenNothing, false},
    {"pg_catalog", "pg_trigger", "pgw_pg_trigger", 2620, kTrigger, GenNothing, false},
    {"pg_catalog", "pg_policy", "pgw_pg_policy", 3256, kPolicy, GenNothing, false},
    {"pg_catalog", "pg_statistic_ext", "pgw_pg_statistic_ext", 3381, kStatisticExt, GenNothing,
     false},
    {"pg_catalog", "pg_publication", "pgw_pg_publication", 6104, kPublication, GenNothing, false},
    {"pg_catalog", "pg_publication_rel", "pgw_pg_publication_rel", 6106, kPublicationRel,
     GenNothing, false},
    {"pg_catalog", "pg_publication_namespace", "pgw_pg_publication_namespace", 6237,
     kPublicationNamespace, GenNothing, false},
    {"pg_catalog", "pg_foreign_table", "pgw_pg_foreign_table", 3118, kForeignTable, GenNothing,
     false},
    {"pg_catalog", "pg_rewrite", "pgw_pg_rewrite", 2618, kRewrite, GenNothing, false},
    {"pg_catalog", "pg_auth_members", "pgw_pg_auth_members", 1261, kAuthMembers, GenNothing, false},
    {"pg_catalog", "pg_depend", "pgw_pg_depend", 2608, kDepend, GenNothing, false},
    {"pg_catalog", "pg_range", "pgw_pg_range", 3541, kRange, GenNothing, false},
};

}  // namespace

std::span<const RelationDef> PgMiscRelations() { return kRelations; }

}  // namespace pgw::catalog
