// The building blocks of catalog relations: a cell, the rows of one scan, and the generator
// that fills them. Each relation in sqlite_catalog_relations.cc is a column list plus one
// generator; the virtual-table module in sqlite_catalog.cc serves them all. Not thread-safe:
// one scan on one connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace pgw {

struct SqliteFunctionContext;

struct CatalogCell {
  enum class Kind : uint8_t { kNull, kInt, kFloat, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double f = 0;
  std::string s;
};

inline CatalogCell CInt(int64_t v) { return {CatalogCell::Kind::kInt, v, 0, {}}; }
inline CatalogCell CBool(bool v) { return CInt(v ? 1 : 0); }
inline CatalogCell CFloat(double v) { return {CatalogCell::Kind::kFloat, 0, v, {}}; }
inline CatalogCell CText(std::string_view v) {
  return {CatalogCell::Kind::kText, 0, 0, std::string(v)};
}
inline CatalogCell CNull() { return {}; }

using CatalogRow = std::vector<CatalogCell>;

// One schema object (table, view or index) as the catalog shows it.
struct SchemaObject {
  std::string type;  // "table", "view", "index"
  std::string name;
  std::string tbl_name;  // for indexes: the indexed table
  std::string sql;
  int64_t oid = 0;
};

// What a generator may read, and where it writes.
struct CatalogScan {
  sqlite3* db = nullptr;
  const SqliteFunctionContext* ctx = nullptr;
  std::vector<CatalogRow> rows;

  // User-visible schema objects (pgw_* and sqlite_* hidden) with their stable oids.
  const std::vector<SchemaObject>& Objects();

 private:
  bool loaded_ = false;
  std::vector<SchemaObject> objects_;
};

using CatalogGenerator = void (*)(CatalogScan& scan);

// Stable oid of an object missing from pgw_oids (created behind the gateway's back): a hash of
// kind and name above the range pgw_oids hands out.
int64_t FallbackOid(std::string_view kind, std::string_view name);

}  // namespace pgw
