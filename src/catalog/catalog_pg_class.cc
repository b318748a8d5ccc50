// pg_catalog relations describing relations: pg_namespace, pg_class, pg_attribute, pg_type,
// pg_index, pg_constraint, pg_attrdef, pg_description, pg_inherits, pg_partitioned_table.
#include <string>

#include "catalog/catalog_relations.h"
#include "types/pg_types.h"

namespace pgw::catalog {
namespace {

namespace co = catalog_oid;

// Highest built-in type oid probed when listing pg_type (the type table lives in types/).
constexpr Oid kMaxBuiltinTypeOid = 5000;
constexpr int64_t kPgClassOid = 1259;
constexpr int64_t kPgTypeOid = 1247;

bool ByVal(int64_t len) { return len == 1 || len == 2 || len == 4 || len == 8; }
const char* Align(int64_t len) { return len == 8 ? "d" : len == 2 ? "s" : len == 1 ? "c" : "i"; }
// typstorage: plain for fixed-length types, main for numeric, extended for the other varlenas.
const char* Storage(Oid type, int64_t len) {
  return len != -1 ? "p" : type == oid::kNumeric ? "m" : "x";
}

int64_t CollationOf(Oid type) {
  const TypeInfo* info = LookupType(type);
  if (info == nullptr || info->category != TypeCategory::kString) return 0;
  if (type == oid::kName) return co::kCCollation;
  if (type == oid::kChar || type == oid::kUnknown || type == oid::kCstring) return 0;
  return co::kDefaultCollation;
}

std::string Int2Vector(const std::vector<int>& v, bool braces) {
  std::string s = braces ? "{" : "";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += braces ? "," : " ";
    s += std::to_string(v[i]);
  }
  if (braces) s += "}";
  return s;
}

std::vector<int> Attnums(const CatalogRelationModel& rel, const std::vector<std::string>& cols) {
  std::vector<int> v;
  for (const std::string& c : cols) v.push_back(ColumnNumber(rel, c));
  return v;
}

// ---- pg_namespace ----

constexpr Column kNamespace[] = {
    {"oid", "oid"}, {"nspname", "name"}, {"nspowner", "oid"}, {"nspacl", "aclitem[]"}};

void GenNamespace(const ScanInput& in, std::vector<Row>& rows) {
  rows.push_back(
      {CInt(co::kPgCatalogNamespace), CText("pg_catalog"), CInt(co::kBootstrapSuperuser), CNull()});
  for (const std::string& n : in.model->namespaces) {
    rows.push_back({CInt(NamespaceOid(*in.model, n)), CText(n),
                    CInt(n == "public" ? co::kDatabaseOwnerRole : co::kBootstrapSuperuser),
                    CNull()});
  }
  rows.push_back({CInt(co::kInformationSchemaNamespace), CText("information_schema"),
                  CInt(co::kBootstrapSuperuser), CNull()});
}

// ---- pg_class ----

constexpr Column kClass[] = {
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
    {"relacl", "aclitem[]"},
    {"reloptions", "text[]"},
    {"relpartbound", "pg_node_tree"},
};

struct ClassRow {
  int64_t oid = 0;
  std::string_view name;
  int64_t nsp = 0;
  int64_t reltype = 0;
  char relkind = 'r';
  int64_t natts = 0;
  bool has_index = false;
  int64_t checks = 0;
  bool triggers = false;
};

void AddClassRow(std::vector<Row>& rows, const ClassRow& c) {
  const bool table = c.relkind == 'r';
  const int64_t am = table ? co::kHeapAm : c.relkind == 'i' ? co::kBtreeAm : 0;
  rows.push_back({CInt(c.oid),
                  CText(c.name),
                  CInt(c.nsp),
                  CInt(c.reltype),
                  CInt(0),
                  CInt(co::kBootstrapSuperuser),
                  CInt(am),
                  CInt(c.relkind == 'v' ? 0 : c.oid),
                  CInt(0),
                  CInt(0),
                  CFloat(-1),
                  CInt(0),
                  CInt(0),
                  CBool(c.has_index),
                  CBool(false),
                  CText("p"),
                  CChar(c.relkind),
                  CInt(c.natts),
                  CInt(c.checks),
                  CBool(c.relkind == 'v'),
                  CBool(c.triggers),
                  CBool(false),
                  CBool(false),
                  CBool(false),
                  CBool(true),
                  CText(table ? "d" : "n"),
                  CBool(false),
                  CInt(0),
                  CInt(0),
                  CInt(0),
                  CNull(),
                  CNull(),
                  CNull()});
}

bool InForeignKey(const CatalogSchemaModel& m, const CatalogRelationModel& rel) {
  for (const CatalogRelationModel& r : m.relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      if (k.kind != CatalogConstraintModel::Kind::kForeignKey) continue;
      if (&r == &rel ||
          (k.ref_table == rel.name && (k.ref_schema.empty() || k.ref_schema == rel.schema))) {
        return true;
      }
    }
  }
  return false;
}

void GenClass(const ScanInput& in, std::vector<Row>& rows) {
  for (const RelationDef& rel : Relations()) {
    ClassRow c;
    c.oid = rel.oid;
    c.name = rel.name;
    c.nsp = std::string_view(rel.schema) == "pg_catalog" ? co::kPgCatalogNamespace
                                                         : co::kInformationSchemaNamespace;
    c.relkind = std::string_view(rel.schema) == "pg_catalog" ? 'r' : 'v';
    c.natts = static_cast<int64_t>(rel.columns.size());
    AddClassRow(rows, c);
  }
  for (const CatalogRelationModel& r : in.model->relations) {
    const int64_t nsp = NamespaceOid(*in.model, r.schema);
    ClassRow c;
    c.oid = r.oid;
    c.name = r.name;
    c.nsp = nsp;
    c.reltype = r.type_oid;
    c.relkind = r.kind == CatalogRelationModel::Kind::kView ? 'v' : 'r';
    c.natts = static_cast<int64_t>(r.columns.size());
    c.has_index = !r.indexes.empty();
    for (const CatalogConstraintModel& k : r.constraints) {
      c.checks += k.kind == CatalogConstraintModel::Kind::kCheck;
    }
    // PostgreSQL enforces foreign keys with triggers on both tables (psql looks for foreign
    // keys only where relhastriggers is set).
    c.triggers = r.has_triggers || InForeignKey(*in.model, r);
    AddClassRow(rows, c);
    for (const CatalogIndexModel& ix : r.indexes) {
      ClassRow i;
      i.oid = ix.oid;
      i.name = ix.name;
      i.nsp = nsp;
      i.relkind = 'i';
      i.natts = static_cast<int64_t>(ix.columns.size());
      AddClassRow(rows, i);
    }
  }
}

// ---- pg_attribute ----

constexpr Column kAttribute[] = {
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
    {"attacl", "aclitem[]"},
    {"attoptions", "text[]"},
    {"attfdwoptions", "text[]"},
    {"attmissingval", "text"},
};

struct AttrRow {
  int64_t relid;
  std::string_view name;
  Oid type;
  int32_t typmod;
  int64_t attnum;
  bool notnull;
  bool has_default;
  char identity;
  char generated;
};

void AddAttributeRow(std::vector<Row>& rows, const AttrRow& a) {
  const TypeInfo* info = LookupType(a.type);
  const int64_t len = info ? info->typlen : -1;
  rows.push_back({CInt(a.relid),
                  CText(a.name),
                  CInt(a.type),
                  CInt(-1),
                  CInt(len),
                  CInt(a.attnum),
                  CInt(info && info->category == TypeCategory::kArray ? 1 : 0),
                  CInt(-1),
                  CInt(a.typmod),
                  CBool(ByVal(len)),
                  CText(Align(len)),
                  CText(Storage(a.type, len)),
                  CText(""),
                  CBool(a.notnull),
                  CBool(a.has_default),
                  CBool(false),
                  CChar(a.identity),
                  CChar(a.generated),
                  CBool(false),
                  CBool(true),
                  CInt(0),
                  CInt(CollationOf(a.type)),
                  CNull(),
                  CNull(),
                  CNull(),
                  CNull()});
}

void GenAttribute(const ScanInput& in, std::vector<Row>& rows) {
  for (const RelationDef& rel : Relations()) {
    int64_t attnum = 0;
    for (const Column& c : rel.columns) {
      DeclaredType t = ParseDeclaredType(c.type);
      AddAttributeRow(rows, {rel.oid, c.name, t.oid, t.typmod, ++attnum, true, false, 0, 0});
    }
  }
  for (const CatalogRelationModel& r : in.model->relations) {
    int64_t attnum = 0;
    for (const CatalogColumnModel& c : r.columns) {
      AddAttributeRow(rows, {r.oid, c.name, c.type_oid, c.typmod, ++attnum, c.not_null,
                             !c.default_expr.empty() || c.generated != 0, c.identity, c.generated});
    }
    for (const CatalogIndexModel& ix : r.indexes) {
      int64_t n = 0;
      for (const std::string& col : ix.columns) {
        int num = ColumnNumber(r, col);
        const CatalogColumnModel* c = num > 0 ? &r.columns[static_cast<size_t>(num - 1)] : nullptr;
        AddAttributeRow(rows, {ix.oid, col, c ? c->type_oid : oid::kText, c ? c->typmod : -1, ++n,
                               false, false, 0, 0});
      }
    }
  }
}

// ---- pg_type ----

constexpr Column kType[] = {
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
    {"typsubscript", "regproc"},
    {"typelem", "oid"},
    {"typarray", "oid"},
    {"typinput", "regproc"},
    {"typoutput", "regproc"},
    {"typreceive", "regproc"},
    {"typsend", "regproc"},
    {"typmodin", "regproc"},
    {"typmodout", "regproc"},
    {"typanalyze", "regproc"},
    {"typalign", "\"char\""},
    {"typstorage", "\"char\""},
    {"typnotnull", "boolean"},
    {"typbasetype", "oid"},
    {"typtypmod", "integer"},
    {"typndims", "integer"},
    {"typcollation", "oid"},
    {"typdefaultbin", "pg_node_tree"},
    {"typdefault", "text"},
    {"typacl", "aclitem[]"},
};

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

void GenType(const ScanInput& in, std::vector<Row>& rows) {
  for (const TypeInfo* t : BuiltinTypes()) {
    const bool array = t->category == TypeCategory::kArray;
    const std::string base = array ? "array" : t->name;
    const int64_t len = t->typlen;
    const char* align = len == 8 || (array && t->element_oid == oid::kFloat8) ? "d"
                        : len == 2                                            ? "s"
                        : len == 1 || len == -2                               ? "c"
                                                                              : "i";
    const bool preferred = t->oid == oid::kText || t->oid == oid::kFloat8 || t->oid == oid::kBool ||
                           t->oid == oid::kTimestamptz || t->oid == oid::kOid ||
                           t->oid == oid::kInterval;
    rows.push_back({CInt(t->oid),
                    CText(t->name),
                    CInt(co::kPgCatalogNamespace),
                    CInt(co::kBootstrapSuperuser),
                    CInt(len),
                    CBool(ByVal(len)),
                    CText(IsPseudoType(t->oid) ? "p" : "b"),
                    CChar(TypeCategoryCode(t->oid)),
                    CBool(preferred),
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
                    CText(array ? "array_typanalyze" : "-"),
                    CText(align),
                    CText(Storage(t->oid, len)),
                    CBool(false),
                    CInt(0),
                    CInt(-1),
                    CInt(0),
                    CInt(CollationOf(t->oid)),
                    CNull(),
                    CNull(),
                    CNull()});
  }
  for (const CatalogRelationModel& r : in.model->relations) {
    if (r.type_oid == 0) continue;
    rows.push_back({CInt(r.type_oid),
                    CText(r.name),
                    CInt(NamespaceOid(*in.model, r.schema)),
                    CInt(co::kBootstrapSuperuser),
                    CInt(-1),
                    CBool(false),
                    CText("c"),
                    CText("C"),
                    CBool(false),
                    CBool(true),
                    CText(","),
                    CInt(r.oid),
                    CText("-"),
                    CInt(0),
                    CInt(0),
                    CText("record_in"),
                    CText("record_out"),
                    CText("record_recv"),
                    CText("record_send"),
                    CText("-"),
                    CText("-"),
                    CText("-"),
                    CText("d"),
                    CText("x"),
                    CBool(false),
                    CInt(0),
                    CInt(-1),
                    CInt(0),
                    CInt(0),
                    CNull(),
                    CNull(),
                    CNull()});
  }
}

// ---- pg_index ----

constexpr Column kIndex[] = {
    {"indexrelid", "oid"},         {"indrelid", "oid"},
    {"indnatts", "smallint"},      {"indnkeyatts", "smallint"},
    {"indisunique", "boolean"},    {"indnullsnotdistinct", "boolean"},
    {"indisprimary", "boolean"},   {"indisexclusion", "boolean"},
    {"indimmediate", "boolean"},   {"indisclustered", "boolean"},
    {"indisvalid", "boolean"},     {"indcheckxmin", "boolean"},
    {"indisready", "boolean"},     {"indislive", "boolean"},
    {"indisreplident", "boolean"}, {"indkey", "int2vector"},
    {"indcollation", "oidvector"}, {"indclass", "oidvector"},
    {"indoption", "int2vector"},   {"indexprs", "pg_node_tree"},
    {"indpred", "pg_node_tree"},
};

void GenIndex(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogIndexModel& ix : r.indexes) {
      std::vector<int> keys = Attnums(r, ix.columns);
      std::string zeros, collations;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) {
          zeros += " ";
          collations += " ";
        }
        zeros += "0";
        int n = keys[i];
        Oid type = n > 0 ? r.columns[static_cast<size_t>(n - 1)].type_oid : oid::kText;
        collations += std::to_string(CollationOf(type));
      }
      const int64_t n = static_cast<int64_t>(keys.size());
      rows.push_back({CInt(ix.oid),
                      CInt(r.oid),
                      CInt(n),
                      CInt(n),
                      CBool(ix.unique),
                      CBool(false),
                      CBool(ix.primary),
                      CBool(false),
                      CBool(true),
                      CBool(false),
                      CBool(true),
                      CBool(false),
                      CBool(true),
                      CBool(true),
                      CBool(false),
                      CText(Int2Vector(keys, false)),
                      CText(collations),
                      CText(zeros),
                      CText(zeros),
                      CNull(),
                      ix.predicate.empty() ? CNull() : CText(ix.predicate)});
    }
  }
}

// ---- pg_constraint ----

constexpr Column kConstraint[] = {
    {"oid", "oid"},
    {"conname", "name"},
    {"connamespace", "oid"},
    {"contype", "\"char\""},
    {"condeferrable", "boolean"},
    {"condeferred", "boolean"},
    {"convalidated", "boolean"},
    {"conrelid", "oid"},
    {"contypid", "oid"},
    {"conindid", "oid"},
    {"conparentid", "oid"},
    {"confrelid", "oid"},
    {"confupdtype", "\"char\""},
    {"confdeltype", "\"char\""},
    {"confmatchtype", "\"char\""},
    {"conislocal", "boolean"},
    {"coninhcount", "integer"},
    {"connoinherit", "boolean"},
    {"conkey", "smallint[]"},
    {"confkey", "smallint[]"},
    {"conpfeqop", "oid[]"},
    {"conppeqop", "oid[]"},
    {"conffeqop", "oid[]"},
    {"confdelsetcols", "smallint[]"},
    {"conexclop", "oid[]"},
    {"conbin", "pg_node_tree"},
};

char ContypeOf(CatalogConstraintModel::Kind k) {
  switch (k) {
    case CatalogConstraintModel::Kind::kPrimaryKey:
      return 'p';
    case CatalogConstraintModel::Kind::kUnique:
      return 'u';
    case CatalogConstraintModel::Kind::kForeignKey:
      return 'f';
    case CatalogConstraintModel::Kind::kCheck:
      return 'c';
  }
  return 'c';
}

const CatalogRelationModel* FindByName(const CatalogSchemaModel& m, std::string_view schema,
                                       std::string_view name) {
  for (const CatalogRelationModel& r : m.relations) {
    if (r.name == name && (schema.empty() || r.schema == schema)) return &r;
  }
  return nullptr;
}

void GenConstraint(const ScanInput& in, std::vector<Row>& rows) {
  using K = CatalogConstraintModel::Kind;
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      int64_t indid = 0;
      for (const CatalogIndexModel& ix : r.indexes) {
        if (ix.name == k.index_name) indid = ix.oid;
      }
      const CatalogRelationModel* ref = nullptr;
      std::vector<int> fkey;
      if (k.kind == K::kForeignKey) {
        ref = FindByName(*in.model, k.ref_schema, k.ref_table);
        if (ref != nullptr) {
          fkey = Attnums(*ref, k.ref_columns);
          for (const CatalogIndexModel& ix : ref->indexes) {
            if (ix.unique && ix.columns == k.ref_columns) indid = ix.oid;
          }
        }
      }
      const bool fk = k.kind == K::kForeignKey;
      rows.push_back({CInt(k.oid),
                      CText(k.name),
                      CInt(NamespaceOid(*in.model, r.schema)),
                      CChar(ContypeOf(k.kind)),
                      CBool(k.deferrable),
                      CBool(k.deferred),
                      CBool(true),
                      CInt(r.oid),
                      CInt(0),
                      CInt(indid),
                      CInt(0),
                      CInt(ref ? ref->oid : 0),
                      fk ? CChar(k.on_update) : CText(" "),
                      fk ? CChar(k.on_delete) : CText(" "),
                      fk ? CChar(k.match) : CText(" "),
                      CBool(true),
                      CInt(0),
                      CBool(false),
                      CText(Int2Vector(Attnums(r, k.columns), true)),
                      fk ? CText(Int2Vector(fkey, true)) : CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      k.kind == K::kCheck ? CText(k.check_expr) : CNull()});
    }
  }
}

// ---- pg_attrdef ----

constexpr Column kAttrdef[] = {
    {"oid", "oid"}, {"adrelid", "oid"}, {"adnum", "smallint"}, {"adbin", "pg_node_tree"}};

// An attrdef row's oid: derived from the relation's oid and the column number (stable while the
// relation lives; the pg_attrdef range is disjoint from the model's oids).
constexpr int64_t kAttrdefOidBase = int64_t{1} << 40;

void GenAttrdef(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    int64_t attnum = 0;
    for (const CatalogColumnModel& c : r.columns) {
      ++attnum;
      if (c.default_expr.empty()) continue;
      rows.push_back({CInt(kAttrdefOidBase + r.oid * 2048 + attnum), CInt(r.oid), CInt(attnum),
                      CText(c.default_expr)});
    }
  }
}

// ---- pg_description ----

constexpr Column kDescription[] = {
    {"objoid", "oid"}, {"classoid", "oid"}, {"objsubid", "integer"}, {"description", "text"}};

void GenDescription(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    if (!r.comment.empty()) {
      rows.push_back({CInt(r.oid), CInt(kPgClassOid), CInt(0), CText(r.comment)});
    }
    int64_t attnum = 0;
    for (const CatalogColumnModel& c : r.columns) {
      ++attnum;
      if (!c.comment.empty()) {
        rows.push_back({CInt(r.oid), CInt(kPgClassOid), CInt(attnum), CText(c.comment)});
      }
    }
  }
}

// ---- pg_inherits, pg_partitioned_table (no inheritance or partitioning in the model) ----

constexpr Column kInherits[] = {{"inhrelid", "oid"},
                                {"inhparent", "oid"},
                                {"inhseqno", "integer"},
                                {"inhdetachpending", "boolean"}};

constexpr Column kPartitionedTable[] = {
    {"partrelid", "oid"},           {"partstrat", "\"char\""},     {"partnatts", "smallint"},
    {"partdefid", "oid"},           {"partattrs", "int2vector"},   {"partclass", "oidvector"},
    {"partcollation", "oidvector"}, {"partexprs", "pg_node_tree"},
};

void GenNothing(const ScanInput&, std::vector<Row>&) {}

// PostgreSQL 15's oids for these relations.
const RelationDef kRelations[] = {
    {"pg_catalog", "pg_namespace", "pgw_pg_namespace", 2615, kNamespace, GenNamespace, false},
    {"pg_catalog", "pg_class", "pgw_pg_class", kPgClassOid, kClass, GenClass, false},
    {"pg_catalog", "pg_attribute", "pgw_pg_attribute", 1249, kAttribute, GenAttribute, false},
    {"pg_catalog", "pg_type", "pgw_pg_type", kPgTypeOid, kType, GenType, false},
    {"pg_catalog", "pg_index", "pgw_pg_index", 2610, kIndex, GenIndex, false},
    {"pg_catalog", "pg_constraint", "pgw_pg_constraint", 2606, kConstraint, GenConstraint, false},
    {"pg_catalog", "pg_attrdef", "pgw_pg_attrdef", 2604, kAttrdef, GenAttrdef, false},
    {"pg_catalog", "pg_description", "pgw_pg_description", 2609, kDescription, GenDescription,
     false},
    {"pg_catalog", "pg_inherits", "pgw_pg_inherits", 2611, kInherits, GenNothing, false},
    {"pg_catalog", "pg_partitioned_table", "pgw_pg_partitioned_table", 3350, kPartitionedTable,
     GenNothing, false},
};

}  // namespace

std::span<const RelationDef> PgClassRelations() { return kRelations; }

}  // namespace pgw::catalog
