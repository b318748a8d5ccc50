// information_schema: schemata, tables, columns, views, table_constraints, key_column_usage,
// referential_constraints, constraint_column_usage, routines, parameters. Columns are declared
// with the domains' base types (sql_identifier -> name, cardinal_number -> integer,
// character_data / yes_or_no -> character varying).
#include <string>

#include "catalog/catalog_relations.h"
#include "types/pg_types.h"

namespace pgw::catalog {
namespace {

constexpr const char* kId = "name";
constexpr const char* kNum = "integer";
constexpr const char* kStr = "character varying";

Cell YesNo(bool b) { return CText(b ? "YES" : "NO"); }

bool Visible(const CatalogRelationModel&) { return true; }

// ---- schemata ----

constexpr Column kSchemata[] = {
    {"catalog_name", kId},
    {"schema_name", kId},
    {"schema_owner", kId},
    {"default_character_set_catalog", kId},
    {"default_character_set_schema", kId},
    {"default_character_set_name", kId},
    {"sql_path", kStr},
};

void GenSchemata(const ScanInput& in, std::vector<Row>& rows) {
  std::vector<std::string> names = {"information_schema", "pg_catalog"};
  for (const std::string& n : in.model->namespaces) names.push_back(n);
  for (const std::string& n : names) {
    rows.push_back(
        {CText(in.database), CText(n), CText(in.user), CNull(), CNull(), CNull(), CNull()});
  }
}

// ---- tables ----

constexpr Column kTables[] = {
    {"table_catalog", kId},
    {"table_schema", kId},
    {"table_name", kId},
    {"table_type", kStr},
    {"self_referencing_column_name", kId},
    {"reference_generation", kStr},
    {"user_defined_type_catalog", kId},
    {"user_defined_type_schema", kId},
    {"user_defined_type_name", kId},
    {"is_insertable_into", kStr},
    {"is_typed", kStr},
    {"commit_action", kStr},
};

void GenTables(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    if (!Visible(r)) continue;
    const bool view = r.kind == CatalogRelationModel::Kind::kView;
    rows.push_back({CText(in.database), CText(r.schema), CText(r.name),
                    CText(view ? "VIEW" : "BASE TABLE"), CNull(), CNull(), CNull(), CNull(),
                    CNull(), YesNo(!view), CText("NO"), CNull()});
  }
}

// ---- columns ----

constexpr Column kColumns[] = {
    {"table_catalog", kId},
    {"table_schema", kId},
    {"table_name", kId},
    {"column_name", kId},
    {"ordinal_position", kNum},
    {"column_default", kStr},
    {"is_nullable", kStr},
    {"data_type", kStr},
    {"character_maximum_length", kNum},
    {"character_octet_length", kNum},
    {"numeric_precision", kNum},
    {"numeric_precision_radix", kNum},
    {"numeric_scale", kNum},
    {"datetime_precision", kNum},
    {"interval_type", kStr},
    {"interval_precision", kNum},
    {"character_set_catalog", kId},
    {"character_set_schema", kId},
    {"character_set_name", kId},
    {"collation_catalog", kId},
    {"collation_schema", kId},
    {"collation_name", kId},
    {"domain_catalog", kId},
    {"domain_schema", kId},
    {"domain_name", kId},
    {"udt_catalog", kId},
    {"udt_schema", kId},
    {"udt_name", kId},
    {"scope_catalog", kId},
    {"scope_schema", kId},
    {"scope_name", kId},
    {"maximum_cardinality", kNum},
    {"dtd_identifier", kId},
    {"is_self_referencing", kStr},
    {"is_identity", kStr},
    {"identity_generation", kStr},
    {"identity_start", kStr},
    {"identity_increment", kStr},
    {"identity_maximum", kStr},
    {"identity_minimum", kStr},
    {"identity_cycle", kStr},
    {"is_generated", kStr},
    {"generation_expression", kStr},
    {"is_updatable", kStr},
};

// information_schema's data_type: the SQL name without modifiers ("ARRAY" for arrays,
// "USER-DEFINED" for types outside the standard).
std::string DataType(Oid type) {
  const TypeInfo* t = LookupType(type);
  if (t == nullptr) return "USER-DEFINED";
  if (t->category == TypeCategory::kArray) return "ARRAY";
  if (t->category == TypeCategory::kVector) return "USER-DEFINED";
  return t->sql_name;
}

struct NumericFacts {
  Cell precision, radix, scale, datetime_precision, char_max, char_octet;
};

NumericFacts FactsOf(Oid type, int32_t typmod) {
  NumericFacts f{CNull(), CNull(), CNull(), CNull(), CNull(), CNull()};
  switch (type) {
    case oid::kInt2:
      f = {CInt(16), CInt(2), CInt(0), CNull(), CNull(), CNull()};
      break;
    case oid::kInt4:
      f = {CInt(32), CInt(2), CInt(0), CNull(), CNull(), CNull()};
      break;
    case oid::kInt8:
      f = {CInt(64), CInt(2), CInt(0), CNull(), CNull(), CNull()};
      break;
    case oid::kFloat4:
      f = {CInt(24), CInt(2), CNull(), CNull(), CNull(), CNull()};
      break;
    case oid::kFloat8:
      f = {CInt(53), CInt(2), CNull(), CNull(), CNull(), CNull()};
      break;
    case oid::kNumeric:
      if (typmod >= 4) {
        f.precision = CInt(((typmod - 4) >> 16) & 0xffff);
        f.scale = CInt((typmod - 4) & 0xffff);
      }
      f.radix = CInt(10);
      break;
    case oid::kVarchar:
    case oid::kBpchar:
      if (typmod >= 4) {
        f.char_max = CInt(typmod - 4);
        f.char_octet = CInt((typmod - 4) * 4);
      } else {
        f.char_octet = CInt(1073741824);
      }
      break;
    case oid::kText:
      f.char_octet = CInt(1073741824);
      break;
    case oid::kDate:
      f.datetime_precision = CInt(0);
      break;
    case oid::kTime:
    case oid::kTimetz:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kInterval:
      f.datetime_precision = CInt(typmod >= 0 ? typmod : 6);
      break;
    default:
      break;
  }
  return f;
}

void GenColumns(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    if (!Visible(r)) continue;
    int64_t pos = 0;
    for (const CatalogColumnModel& c : r.columns) {
      ++pos;
      const TypeInfo* t = LookupType(c.type_oid);
      NumericFacts f = FactsOf(c.type_oid, c.typmod);
      const bool collatable = t != nullptr && t->category == TypeCategory::kString &&
                              c.type_oid != oid::kName && c.type_oid != oid::kChar;
      rows.push_back({CText(in.database),
                      CText(r.schema),
                      CText(r.name),
                      CText(c.name),
                      CInt(pos),
                      c.default_expr.empty() || c.generated ? CNull() : CText(c.default_expr),
                      YesNo(!c.not_null),
                      CText(DataType(c.type_oid)),
                      f.char_max,
                      f.char_octet,
                      f.precision,
                      f.radix,
                      f.scale,
                      f.datetime_precision,
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      collatable ? CText(in.database) : CNull(),
                      collatable ? CText("pg_catalog") : CNull(),
                      collatable ? CText("default") : CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CText(in.database),
                      CText("pg_catalog"),
                      CText(t ? t->name : "text"),
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CText(std::to_string(pos)),
                      CText("NO"),
                      YesNo(c.identity != 0),
                      c.identity == 'a'   ? CText("ALWAYS")
                      : c.identity == 'd' ? CText("BY DEFAULT")
                                          : CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CNull(),
                      CText("NO"),
                      CText(c.generated ? "ALWAYS" : "NEVER"),
                      c.generated ? CText(c.default_expr) : CNull(),
                      YesNo(r.kind == CatalogRelationModel::Kind::kTable)});
    }
  }
}

// ---- views ----

constexpr Column kViews[] = {
    {"table_catalog", kId},
    {"table_schema", kId},
    {"table_name", kId},
    {"view_definition", kStr},
    {"check_option", kStr},
    {"is_updatable", kStr},
    {"is_insertable_into", kStr},
    {"is_trigger_updatable", kStr},
    {"is_trigger_deletable", kStr},
    {"is_trigger_insertable_into", kStr},
};

void GenViews(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    if (r.kind != CatalogRelationModel::Kind::kView) continue;
    rows.push_back({CText(in.database), CText(r.schema), CText(r.name), CText(r.view_definition),
                    CText("NONE"), CText("NO"), CText("NO"), CText("NO"), CText("NO"),
                    CText("NO")});
  }
}

// ---- table_constraints, key_column_usage, referential_constraints,
// constraint_column_usage ----

const char* ConstraintType(CatalogConstraintModel::Kind k) {
  switch (k) {
    case CatalogConstraintModel::Kind::kPrimaryKey:
      return "PRIMARY KEY";
    case CatalogConstraintModel::Kind::kUnique:
      return "UNIQUE";
    case CatalogConstraintModel::Kind::kForeignKey:
      return "FOREIGN KEY";
    case CatalogConstraintModel::Kind::kCheck:
      return "CHECK";
  }
  return "CHECK";
}

constexpr Column kTableConstraints[] = {
    {"constraint_catalog", kId}, {"constraint_schema", kId}, {"constraint_name", kId},
    {"table_catalog", kId},      {"table_schema", kId},      {"table_name", kId},
    {"constraint_type", kStr},   {"is_deferrable", kStr},    {"initially_deferred", kStr},
    {"enforced", kStr},          {"nulls_distinct", kStr},
};

void GenTableConstraints(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      const bool keyish = k.kind == CatalogConstraintModel::Kind::kPrimaryKey ||
                          k.kind == CatalogConstraintModel::Kind::kUnique;
      rows.push_back({CText(in.database), CText(r.schema), CText(k.name), CText(in.database),
                      CText(r.schema), CText(r.name), CText(ConstraintType(k.kind)),
                      YesNo(k.deferrable), YesNo(k.deferred), CText("YES"),
                      keyish ? CText("YES") : CNull()});
    }
  }
}

constexpr Column kKeyColumnUsage[] = {
    {"constraint_catalog", kId},
    {"constraint_schema", kId},
    {"constraint_name", kId},
    {"table_catalog", kId},
    {"table_schema", kId},
    {"table_name", kId},
    {"column_name", kId},
    {"ordinal_position", kNum},
    {"position_in_unique_constraint", kNum},
};

void GenKeyColumnUsage(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      if (k.kind == CatalogConstraintModel::Kind::kCheck) continue;
      for (size_t i = 0; i < k.columns.size(); ++i) {
        const bool fk = k.kind == CatalogConstraintModel::Kind::kForeignKey;
        rows.push_back({CText(in.database), CText(r.schema), CText(k.name), CText(in.database),
                        CText(r.schema), CText(r.name), CText(k.columns[i]),
                        CInt(static_cast<int64_t>(i + 1)),
                        fk ? CInt(static_cast<int64_t>(i + 1)) : CNull()});
      }
    }
  }
}

// The name of the unique constraint a foreign key references.
std::string ReferencedConstraint(const CatalogSchemaModel& m, const CatalogConstraintModel& fk) {
  for (const CatalogRelationModel& r : m.relations) {
    if (r.name != fk.ref_table) continue;
    for (const CatalogConstraintModel& k : r.constraints) {
      if ((k.kind == CatalogConstraintModel::Kind::kPrimaryKey ||
           k.kind == CatalogConstraintModel::Kind::kUnique) &&
          k.columns == fk.ref_columns) {
        return k.name;
      }
    }
  }
  return "";
}

constexpr Column kReferentialConstraints[] = {
    {"constraint_catalog", kId},
    {"constraint_schema", kId},
    {"constraint_name", kId},
    {"unique_constraint_catalog", kId},
    {"unique_constraint_schema", kId},
    {"unique_constraint_name", kId},
    {"match_option", kStr},
    {"update_rule", kStr},
    {"delete_rule", kStr},
};

void GenReferentialConstraints(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      if (k.kind != CatalogConstraintModel::Kind::kForeignKey) continue;
      std::string unique = ReferencedConstraint(*in.model, k);
      rows.push_back({CText(in.database), CText(r.schema), CText(k.name), CText(in.database),
                      CText(k.ref_schema.empty() ? r.schema : k.ref_schema),
                      unique.empty() ? CNull() : CText(unique),
                      CText(k.match == 'f' ? "FULL" : "NONE"), CText(ForeignKeyAction(k.on_update)),
                      CText(ForeignKeyAction(k.on_delete))});
    }
  }
}

constexpr Column kConstraintColumnUsage[] = {
    {"table_catalog", kId},   {"table_schema", kId},       {"table_name", kId},
    {"column_name", kId},     {"constraint_catalog", kId}, {"constraint_schema", kId},
    {"constraint_name", kId},
};

void GenConstraintColumnUsage(const ScanInput& in, std::vector<Row>& rows) {
  for (const CatalogRelationModel& r : in.model->relations) {
    for (const CatalogConstraintModel& k : r.constraints) {
      // PostgreSQL lists the referenced columns for foreign keys, the own columns otherwise.
      const bool fk = k.kind == CatalogConstraintModel::Kind::kForeignKey;
      const std::vector<std::string>& cols = fk ? k.ref_columns : k.columns;
      const std::string& table = fk ? k.ref_table : r.name;
      for (const std::string& col : cols) {
        rows.push_back({CText(in.database), CText(r.schema), CText(table), CText(col),
                        CText(in.database), CText(r.schema), CText(k.name)});
      }
    }
  }
}

// ---- routines, parameters (built-in functions live in pg_catalog, which PostgreSQL lists
// too; no user-defined routines exist) ----

constexpr Column kRoutines[] = {
    {"specific_catalog", kId},  {"specific_schema", kId},     {"specific_name", kId},
    {"routine_catalog", kId},   {"routine_schema", kId},      {"routine_name", kId},
    {"routine_type", kStr},     {"data_type", kStr},          {"type_udt_name", kId},
    {"routine_body", kStr},     {"routine_definition", kStr}, {"external_language", kStr},
    {"is_deterministic", kStr}, {"security_type", kStr},
};

constexpr Column kParameters[] = {
    {"specific_catalog", kId},  {"specific_schema", kId},    {"specific_name", kId},
    {"ordinal_position", kNum}, {"parameter_mode", kStr},    {"is_result", kStr},
    {"as_locator", kStr},       {"parameter_name", kId},     {"data_type", kStr},
    {"udt_name", kId},          {"parameter_default", kStr},
};

void GenNothing(const ScanInput&, std::vector<Row>&) {}

const RelationDef kRelations[] = {
    {"information_schema", "schemata", "pgw_is_schemata", 13100, kSchemata, GenSchemata, true},
    {"information_schema", "tables", "pgw_is_tables", 13101, kTables, GenTables, true},
    {"information_schema", "columns", "pgw_is_columns", 13102, kColumns, GenColumns, true},
    {"information_schema", "views", "pgw_is_views", 13103, kViews, GenViews, true},
    {"information_schema", "table_constraints", "pgw_is_table_constraints", 13104,
     kTableConstraints, GenTableConstraints, true},
    {"information_schema", "key_column_usage", "pgw_is_key_column_usage", 13105, kKeyColumnUsage,
     GenKeyColumnUsage, true},
    {"information_schema", "referential_constraints", "pgw_is_referential_constraints", 13106,
     kReferentialConstraints, GenReferentialConstraints, true},
    {"information_schema", "constraint_column_usage", "pgw_is_constraint_column_usage", 13107,
     kConstraintColumnUsage, GenConstraintColumnUsage, true},
    {"information_schema", "routines", "pgw_is_routines", 13108, kRoutines, GenNothing, false},
    {"information_schema", "parameters", "pgw_is_parameters", 13109, kParameters, GenNothing,
     false},
};

}  // namespace

std::span<const RelationDef> InformationSchemaRelations() { return kRelations; }

}  // namespace pgw::catalog
