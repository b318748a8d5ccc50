// The list of catalog relations and the helpers their generators share (definitions as
// pg_get_indexdef / pg_get_constraintdef print them, quote_ident, format_type).
#include "catalog/catalog_relations.h"

#include <algorithm>
#include <array>

#include "types/pg_types.h"

namespace pgw::catalog {
namespace {

// PostgreSQL keywords that quote_ident() quotes (reserved and type/function-name keywords that
// commonly appear as column names).
constexpr std::string_view kQuotedKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "between",
    "bigint",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "column",
    "constraint",
    "create",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "from",
    "grant",
    "greatest",
    "group",
    "having",
    "in",
    "initially",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "leading",
    "least",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "nchar",
    "none",
    "not",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "row",
    "select",
    "session_user",
    "setof",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

std::string ColumnList(const std::vector<std::string>& cols) {
  std::string s;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) s += ", ";
    s += QuoteIdentifier(cols[i]);
  }
  return s;
}

}  // namespace

std::span<const RelationDef> Relations() {
  static const std::vector<RelationDef> all = [] {
    std::vector<RelationDef> v;
    for (auto group : {PgClassRelations(), PgMiscRelations(), ProgressCopyRelations(),
                        InformationSchemaRelations()}) {
      v.insert(v.end(), group.begin(), group.end());
    }
    return v;
  }();
  return all;
}

const RelationDef* FindRelation(std::string_view table_name) {
  for (const RelationDef& r : Relations()) {
    if (table_name == r.table_name) return &r;
  }
  return nullptr;
}

const RelationDef* FindRelation(std::string_view schema, std::string_view name) {
  for (const RelationDef& r : Relations()) {
    if (schema == r.schema && name == r.name) return &r;
  }
  return nullptr;
}

std::string FormatTypeName(Oid type, int32_t typmod) { return FormatType(type, typmod); }

int64_t NamespaceOid(const CatalogSchemaModel& model, std::string_view schema) {
  if (schema == "pg_catalog") return catalog_oid::kPgCatalogNamespace;
  if (schema == "public" || schema.empty()) return catalog_oid::kPublicNamespace;
  if (schema == "information_schema") return catalog_oid::kInformationSchemaNamespace;
  // Further user schemas: a stable oid per position below the model's object oids.
  for (size_t i = 0; i < model.namespaces.size(); ++i) {
    if (model.namespaces[i] == schema) return 2300 + static_cast<int64_t>(i);
  }
  return 0;
}

const CatalogRelationModel* FindRelationByOid(const CatalogSchemaModel& model, int64_t oid) {
  for (const CatalogRelationModel& r : model.relations) {
    if (r.oid == oid) return &r;
  }
  return nullptr;
}

int ColumnNumber(const CatalogRelationModel& rel, std::string_view column) {
  for (size_t i = 0; i < rel.columns.size(); ++i) {
    if (rel.columns[i].name == column) return static_cast<int>(i + 1);
  }
  return 0;
}

std::string QuoteIdentifier(std::string_view name) {
  bool safe = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) safe = false;
  }
  if (safe && std::find(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), name) ==
                  std::end(kQuotedKeywords)) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string IndexDefinition(const CatalogRelationModel& rel, const CatalogIndexModel& index) {
  std::string s = index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  s += QuoteIdentifier(index.name);
  s += " ON ";
  s += QuoteIdentifier(rel.schema);
  s += ".";
  s += QuoteIdentifier(rel.name);
  s += " USING btree (";
  s += ColumnList(index.columns);
  s += ")";
  if (!index.predicate.empty()) s += " WHERE " + index.predicate;
  return s;
}

std::string ConstraintDefinition(const CatalogConstraintModel& c) {
  switch (c.kind) {
    case CatalogConstraintModel::Kind::kPrimaryKey:
      return "PRIMARY KEY (" + ColumnList(c.columns) + ")";
    case CatalogConstraintModel::Kind::kUnique:
      return "UNIQUE (" + ColumnList(c.columns) + ")";
    case CatalogConstraintModel::Kind::kCheck:
      return "CHECK (" + c.check_expr + ")";
    case CatalogConstraintModel::Kind::kForeignKey: {
      std::string s = "FOREIGN KEY (" + ColumnList(c.columns) + ") REFERENCES ";
      if (!c.ref_schema.empty() && c.ref_schema != "public") {
        s += QuoteIdentifier(c.ref_schema) + ".";
      }
      s += QuoteIdentifier(c.ref_table) + "(" + ColumnList(c.ref_columns) + ")";
      if (c.match == 'f') s += " MATCH FULL";
      // NO ACTION is the default and not printed.
      if (c.on_update != 'a') s += std::string(" ON UPDATE ") + ForeignKeyAction(c.on_update);
      if (c.on_delete != 'a') s += std::string(" ON DELETE ") + ForeignKeyAction(c.on_delete);
      if (c.deferrable) s += " DEFERRABLE";
      if (c.deferred) s += " INITIALLY DEFERRED";
      return s;
    }
  }
  return "";
}

const char* ForeignKeyAction(char code) {
  switch (code) {
    case 'r':
      return "RESTRICT";
    case 'c':
      return "CASCADE";
    case 'n':
      return "SET NULL";
    case 'd':
      return "SET DEFAULT";
    default:
      return "NO ACTION";
  }
}

char TypeCategoryCode(Oid type) {
  const TypeInfo* t = LookupType(type);
  if (t == nullptr) return 'U';
  switch (t->category) {
    case TypeCategory::kBool:
      return 'B';
    case TypeCategory::kInteger:
    case TypeCategory::kFloat:
    case TypeCategory::kNumeric:
      return 'N';
    case TypeCategory::kString:
      return type == oid::kUnknown || type == oid::kCstring ? 'X' : 'S';
    case TypeCategory::kDate:
    case TypeCategory::kTime:
    case TypeCategory::kTimestamp:
    case TypeCategory::kTimestamptz:
      return 'D';
    case TypeCategory::kInterval:
      return 'T';
    case TypeCategory::kArray:
      return 'A';
    case TypeCategory::kBytea:
    case TypeCategory::kUuid:
    case TypeCategory::kJson:
    case TypeCategory::kJsonb:
    case TypeCategory::kVector:
    case TypeCategory::kOther:
      return type == oid::kRecord || type == oid::kVoid || type == oid::kAny ? 'P' : 'U';
  }
  return 'U';
}

}  // namespace pgw::catalog
