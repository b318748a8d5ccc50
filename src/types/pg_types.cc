// The built-in type table (values checked against PostgreSQL 15's pg_type) and the lookups by
// OID and by name.
#include "types/pg_types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <string>

#include "types/type_names.h"

namespace pgw {
namespace {

using C = TypeCategory;

// clang-format off
constexpr TypeInfo kTypes[] = {
    {oid::kBool, "bool", "boolean", 1, C::kBool, 1000, 0},
    {oid::kBytea, "bytea", "bytea", -1, C::kBytea, 1001, 0},
    {oid::kChar, "char", "\"char\"", 1, C::kString, 1002, 0},
    {oid::kName, "name", "name", 64, C::kString, 1003, 0},
    {oid::kInt8, "int8", "bigint", 8, C::kInteger, 1016, 0},
    {oid::kInt2, "int2", "smallint", 2, C::kInteger, 1005, 0},
    {oid::kInt2Vector, "int2vector", "int2vector", -1, C::kOther, 1006, 0},
    {oid::kInt4, "int4", "integer", 4, C::kInteger, 1007, 0},
    {oid::kRegproc, "regproc", "regproc", 4, C::kInteger, 1008, 0},
    {oid::kText, "text", "text", -1, C::kString, 1009, 0},
    {oid::kOid, "oid", "oid", 4, C::kInteger, 1028, 0},
    {oid::kOidVector, "oidvector", "oidvector", -1, C::kOther, 1013, 0},
    {oid::kJson, "json", "json", -1, C::kJson, 199, 0},
    {oid::kXml, "xml", "xml", -1, C::kString, 143, 0},
    {oid::kPgNodeTree, "pg_node_tree", "pg_node_tree", -1, C::kString, 0, 0},
    {oid::kFloat4, "float4", "real", 4, C::kFloat, 1021, 0},
    {oid::kFloat8, "float8", "double precision", 8, C::kFloat, 1022, 0},
    {oid::kUnknown, "unknown", "unknown", -2, C::kString, 0, 0},
    {oid::kMoney, "money", "money", 8, C::kOther, 791, 0},
    {oid::kInet, "inet", "inet", -1, C::kOther, 1041, 0},
    {oid::kAclitem, "aclitem", "aclitem", 12, C::kOther, 1034, 0},
    {oid::kBpchar, "bpchar", "character", -1, C::kString, 1014, 0},
    {oid::kVarchar, "varchar", "character varying", -1, C::kString, 1015, 0},
    {oid::kDate, "date", "date", 4, C::kDate, 1182, 0},
    {oid::kTime, "time", "time without time zone", 8, C::kTime, 1183, 0},
    {oid::kTimestamp, "timestamp", "timestamp without time zone", 8, C::kTimestamp, 1115, 0},
    {oid::kTimestamptz, "timestamptz", "timestamp with time zone", 8, C::kTimestamptz, 1185, 0},
    {oid::kInterval, "interval", "interval", 16, C::kInterval, 1187, 0},
    {oid::kTimetz, "timetz", "time with time zone", 12, C::kOther, 1270, 0},
    {oid::kBit, "bit", "bit", -1, C::kOther, 1561, 0},
    {oid::kVarbit, "varbit", "bit varying", -1, C::kOther, 1563, 0},
    {oid::kNumeric, "numeric", "numeric", -1, C::kNumeric, 1231, 0},
    {oid::kRegprocedure, "regprocedure", "regprocedure", 4, C::kInteger, 2207, 0},
    {oid::kRegclass, "regclass", "regclass", 4, C::kInteger, 2210, 0},
    {oid::kRegtype, "regtype", "regtype", 4, C::kInteger, 2211, 0},
    {oid::kRecord, "record", "record", -1, C::kOther, 2287, 0},
    {oid::kCstring, "cstring", "cstring", -2, C::kString, 1263, 0},
    {oid::kAny, "any", "\"any\"", 4, C::kOther, 0, 0},
    {oid::kVoid, "void", "void", 4, C::kOther, 0, 0},
    {oid::kUuid, "uuid", "uuid", 16, C::kUuid, 2951, 0},
    {oid::kJsonb, "jsonb", "jsonb", -1, C::kJsonb, 3807, 0},
    {oid::kRegnamespace, "regnamespace", "regnamespace", 4, C::kInteger, 4090, 0},
    {oid::kRegrole, "regrole", "regrole", 4, C::kInteger, 4097, 0},
    {oid::kVector, "vector", "vector", -1, C::kVector, 0, 0},
    // Array types.
    {143, "_xml", "xml[]", -1, C::kArray, 0, oid::kXml},
    {199, "_json", "json[]", -1, C::kArray, 0, oid::kJson},
    {791, "_money", "money[]", -1, C::kArray, 0, oid::kMoney},
    {oid::kBoolArray, "_bool", "boolean[]", -1, C::kArray, 0, oid::kBool},
    {1001, "_bytea", "bytea[]", -1, C::kArray, 0, oid::kBytea},
    {1002, "_char", "\"char\"[]", -1, C::kArray, 0, oid::kChar},
    {1003, "_name", "name[]", -1, C::kArray, 0, oid::kName},
    {oid::kInt2Array, "_int2", "smallint[]", -1, C::kArray, 0, oid::kInt2},
    {1006, "_int2vector", "int2vector[]", -1, C::kArray, 0, oid::kInt2Vector},
    {oid::kInt4Array, "_int4", "integer[]", -1, C::kArray, 0, oid::kInt4},
    {1008, "_regproc", "regproc[]", -1, C::kArray, 0, oid::kRegproc},
    {oid::kTextArray, "_text", "text[]", -1, C::kArray, 0, oid::kText},
    {1013, "_oidvector", "oidvector[]", -1, C::kArray, 0, oid::kOidVector},
    {1014, "_bpchar", "character[]", -1, C::kArray, 0, oid::kBpchar},
    {oid::kVarcharArray, "_varchar", "character varying[]", -1, C::kArray, 0, oid::kVarchar},
    {oid::kInt8Array, "_int8", "bigint[]", -1, C::kArray, 0, oid::kInt8},
    {oid::kFloat4Array, "_float4", "real[]", -1, C::kArray, 0, oid::kFloat4},
    {oid::kFloat8Array, "_float8", "double precision[]", -1, C::kArray, 0, oid::kFloat8},
    {oid::kOidArray, "_oid", "oid[]", -1, C::kArray, 0, oid::kOid},
    {1034, "_aclitem", "aclitem[]", -1, C::kArray, 0, oid::kAclitem},
    {1041, "_inet", "inet[]", -1, C::kArray, 0, oid::kInet},
    {1115, "_timestamp", "timestamp without time zone[]", -1, C::kArray, 0, oid::kTimestamp},
    {1182, "_date", "date[]", -1, C::kArray, 0, oid::kDate},
    {1183, "_time", "time without time zone[]", -1, C::kArray, 0, oid::kTime},
    {1185, "_timestamptz", "timestamp with time zone[]", -1, C::kArray, 0, oid::kTimestamptz},
    {1187, "_interval", "interval[]", -1, C::kArray, 0, oid::kInterval},
    {1231, "_numeric", "numeric[]", -1, C::kArray, 0, oid::kNumeric},
    {1263, "_cstring", "cstring[]", -1, C::kArray, 0, oid::kCstring},
    {1270, "_timetz", "time with time zone[]", -1, C::kArray, 0, oid::kTimetz},
    {1561, "_bit", "bit[]", -1, C::kArray, 0, oid::kBit},
    {1563, "_varbit", "bit varying[]", -1, C::kArray, 0, oid::kVarbit},
    {2207, "_regprocedure", "regprocedure[]", -1, C::kArray, 0, oid::kRegprocedure},
    {2210, "_regclass", "regclass[]", -1, C::kArray, 0, oid::kRegclass},
    {2211, "_regtype", "regtype[]", -1, C::kArray, 0, oid::kRegtype},
    {2287, "_record", "record[]", -1, C::kArray, 0, oid::kRecord},
    {2951, "_uuid", "uuid[]", -1, C::kArray, 0, oid::kUuid},
    {3807, "_jsonb", "jsonb[]", -1, C::kArray, 0, oid::kJsonb},
    {4090, "_regnamespace", "regnamespace[]", -1, C::kArray, 0, oid::kRegnamespace},
    {4097, "_regrole", "regrole[]", -1, C::kArray, 0, oid::kRegrole},
};

// SQL spellings and aliases beyond typname and format_type() names.
struct Alias {
  const char* name;
  Oid oid;
};
constexpr Alias kAliases[] = {
    {"int", oid::kInt4},        {"integer", oid::kInt4},      {"serial", oid::kInt4},
    {"serial4", oid::kInt4},    {"bigserial", oid::kInt8},    {"serial8", oid::kInt8},
    {"smallserial", oid::kInt2}, {"serial2", oid::kInt2},     {"float", oid::kFloat8},
    {"double precision", oid::kFloat8}, {"char", oid::kBpchar}, {"character", oid::kBpchar},
    {"\"char\"", oid::kChar},   {"decimal", oid::kNumeric},   {"dec", oid::kNumeric},
    {"time without time zone", oid::kTime}, {"time with time zone", oid::kTimetz},
    {"timestamp without time zone", oid::kTimestamp},
    {"timestamp with time zone", oid::kTimestamptz},
    {"bit varying", oid::kVarbit}, {"char varying", oid::kVarchar},
    {"\"any\"", oid::kAny},
};
// clang-format on

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

const TypeInfo* LookupType(Oid type_oid) {
  // Built once (thread-safe static init); lookups are on the per-value path of every result
  // and every COPY, so built-in oids are one array index away.
  constexpr Oid kDirect = 8192;
  static const auto kTables = [] {
    struct Tables {
      std::array<const TypeInfo*, kDirect> direct{};
      std::array<const TypeInfo*, std::size(kTypes)> by_oid{};
    } t;
    for (size_t i = 0; i < t.by_oid.size(); ++i) {
      t.by_oid[i] = &kTypes[i];
      if (kTypes[i].oid < kDirect) t.direct[kTypes[i].oid] = &kTypes[i];
    }
    std::sort(t.by_oid.begin(), t.by_oid.end(),
              [](const TypeInfo* a, const TypeInfo* b) { return a->oid < b->oid; });
    return t;
  }();
  if (type_oid < kDirect) return kTables.direct[type_oid];
  auto it = std::lower_bound(kTables.by_oid.begin(), kTables.by_oid.end(), type_oid,
                             [](const TypeInfo* t, Oid o) { return t->oid < o; });
  return (it != kTables.by_oid.end() && (*it)->oid == type_oid) ? *it : nullptr;
}

const TypeInfo* LookupTypeByName(std::string_view name) {
  std::string norm = NormalizeTypeName(name);
  for (const Alias& a : kAliases) {
    if (norm == a.name) return LookupType(a.oid);
  }
  for (const TypeInfo& t : kTypes) {
    if (EqualsIgnoreCase(norm, t.name) || EqualsIgnoreCase(norm, t.sql_name)) return &t;
  }
  return nullptr;
}

}  // namespace pgw
