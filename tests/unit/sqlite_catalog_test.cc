// The catalog virtual tables: rows for user tables, views and indexes; stable oids across
// sessions and reopen; PostgreSQL column types; the pgbench catalog query in translated form.
#include <gtest/gtest.h>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Exec;
using testing::Query;
using testing::Rows;
using testing::Stmt;

constexpr char kSchema[] =
    "CREATE TABLE \"accounts\" (\"aid\" integer PRIMARY KEY, \"bid\" integer NOT NULL, "
    "\"abalance\" integer DEFAULT 0, \"filler\" character(84), CHECK (\"abalance\" > -100));"
    "CREATE INDEX \"accounts_bid\" ON \"accounts\" (\"bid\");"
    "CREATE VIEW \"rich\" AS SELECT \"aid\" FROM \"accounts\" WHERE \"abalance\" > 100";

class SqliteCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend(path_.path());
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_, "alice", "appdb");
    ASSERT_NE(s_, nullptr);
    ASSERT_TRUE(Exec(*s_, kSchema).ok());
  }
  Rows Q(const std::string& sql) {
    auto r = Query(*s_, sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << sql;
    return r.ok() ? *r : Rows{};
  }
  testing::TempDbPath path_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteCatalogTest, Namespaces) {
  EXPECT_EQ(Q("SELECT \"oid\", \"nspname\" FROM \"pgw_pg_namespace\" ORDER BY \"oid\""),
            (Rows{{"11", "pg_catalog"}, {"2200", "public"}, {"13000", "information_schema"}}));
}

TEST_F(SqliteCatalogTest, ClassRowsForUserObjects) {
  Rows rows =
      Q("SELECT \"relname\", \"relkind\", \"relnamespace\", \"relnatts\", \"relhasindex\", "
        "\"relpersistence\", \"relam\", \"relchecks\", \"relispartition\" FROM \"pgw_pg_class\" "
        "WHERE \"relnamespace\" = 2200 ORDER BY \"relname\"");
  // The INTEGER PRIMARY KEY has its index, named as PostgreSQL names it.
  EXPECT_EQ(rows, (Rows{{"accounts", "r", "2200", "4", "1", "p", "2", "1", "0"},
                        {"accounts_bid", "i", "2200", "1", "0", "p", "403", "0", "0"},
                        {"accounts_pkey", "i", "2200", "1", "0", "p", "403", "0", "0"},
                        {"rich", "v", "2200", "1", "0", "p", "0", "0", "0"}}));
  // Internal tables are hidden.
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_class\" WHERE \"relname\" LIKE 'pgw\\_%' ESCAPE "
              "'\\' OR \"relname\" LIKE 'sqlite\\_%' ESCAPE '\\'"),
            (Rows{{"0"}}));
  // The catalog lists itself in pg_catalog.
  EXPECT_EQ(Q("SELECT \"oid\", \"relnamespace\" FROM \"pgw_pg_class\" WHERE \"relname\" = "
              "'pg_class'"),
            (Rows{{"1259", "11"}}));
}

TEST_F(SqliteCatalogTest, UserOidsAreAssignedAndStable) {
  Rows first =
      Q("SELECT \"relname\", \"oid\" FROM \"pgw_pg_class\" WHERE \"relnamespace\" = "
        "2200 ORDER BY \"relname\"");
  ASSERT_EQ(first.size(), 4u);
  for (const auto& row : first) EXPECT_GE(std::stoll(row[1]), 16384) << row[0];
  EXPECT_NE(first[0][1], first[1][1]);
  // Another session sees the same oids.
  auto other = testing::Connect(*backend_);
  auto again = Query(*other,
                     "SELECT \"relname\", \"oid\" FROM \"pgw_pg_class\" WHERE "
                     "\"relnamespace\" = 2200 ORDER BY \"relname\"");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, first);
  // New objects get new oids; old ones keep theirs across reopen.
  ASSERT_TRUE(Exec(*s_, "CREATE TABLE \"later\" (\"x\" integer)").ok());
  s_.reset();
  other.reset();
  backend_.reset();
  backend_ = testing::OpenBackend(path_.path());
  s_ = testing::Connect(*backend_);
  Rows reopened =
      Q("SELECT \"relname\", \"oid\" FROM \"pgw_pg_class\" WHERE \"relnamespace\" = "
        "2200 AND \"relname\" <> 'later' ORDER BY \"relname\"");
  EXPECT_EQ(reopened, first);
  Rows later = Q("SELECT \"oid\" FROM \"pgw_pg_class\" WHERE \"relname\" = 'later'");
  ASSERT_EQ(later.size(), 1u);
  for (const auto& row : first) EXPECT_NE(row[1], later[0][0]);
}

TEST_F(SqliteCatalogTest, Attributes) {
  Rows rows =
      Q("SELECT \"a\".\"attname\", \"a\".\"atttypid\", \"a\".\"attnum\", \"a\".\"atttypmod\", "
        "\"a\".\"attnotnull\", \"a\".\"atthasdef\", \"a\".\"attlen\", \"a\".\"attisdropped\" "
        "FROM \"pgw_pg_attribute\" AS \"a\" JOIN \"pgw_pg_class\" AS \"c\" ON \"c\".\"oid\" = "
        "\"a\".\"attrelid\" WHERE \"c\".\"relname\" = 'accounts' ORDER BY \"a\".\"attnum\"");
  EXPECT_EQ(rows, (Rows{{"aid", "23", "1", "-1", "1", "0", "4", "0"},
                        {"bid", "23", "2", "-1", "1", "0", "4", "0"},
                        {"abalance", "23", "3", "-1", "0", "1", "4", "0"},
                        {"filler", "1042", "4", "88", "0", "0", "-1", "0"}}));
}

TEST_F(SqliteCatalogTest, TypesDatabaseAndRoles) {
  EXPECT_EQ(Q("SELECT \"typname\", \"typlen\", \"typtype\", \"typcategory\", \"typarray\", "
              "\"typnamespace\" FROM \"pgw_pg_type\" WHERE \"oid\" = 23"),
            (Rows{{"int4", "4", "b", "N", "1007", "11"}}));
  EXPECT_EQ(Q("SELECT \"typelem\" FROM \"pgw_pg_type\" WHERE \"typname\" = '_text'"),
            (Rows{{"25"}}));
  EXPECT_EQ(Q("SELECT \"datname\", \"encoding\", \"datallowconn\", \"datistemplate\" FROM "
              "\"pgw_pg_database\""),
            (Rows{{"appdb", "6", "1", "0"}}));
  EXPECT_EQ(Q("SELECT \"rolname\", \"rolsuper\", \"oid\" FROM \"pgw_pg_roles\""),
            (Rows{{"alice", "1", "10"}, {"pg_database_owner", "0", "6171"}}));
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_inherits\""), (Rows{{"0"}}));
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_partitioned_table\""), (Rows{{"0"}}));
}

TEST_F(SqliteCatalogTest, ColumnsReportPostgresTypes) {
  auto stmt = s_->Prepare(Stmt(StatementKind::kQuery,
                               "SELECT \"oid\", \"relname\", \"relkind\", \"relnatts\", "
                               "\"relhasindex\", \"reltuples\" FROM \"pgw_pg_class\""));
  ASSERT_TRUE(stmt.ok());
  std::vector<Oid> types;
  for (const ColumnDesc& c : (*stmt)->columns()) types.push_back(c.type_oid);
  EXPECT_EQ(types, (std::vector<Oid>{oid::kOid, oid::kName, oid::kChar, oid::kInt2, oid::kBool,
                                     oid::kFloat4}));
}

TEST_F(SqliteCatalogTest, ResultColumnsNameTheirSourceTable) {
  Rows oid = Q("SELECT \"oid\" FROM \"pgw_pg_class\" WHERE \"relname\" = 'accounts'");
  ASSERT_EQ(oid.size(), 1u);
  auto stmt = s_->Prepare(Stmt(StatementKind::kQuery,
                               "SELECT \"bid\", \"aid\" + 1, \"a\".\"filler\" FROM "
                               "\"accounts\" AS \"a\""));
  ASSERT_TRUE(stmt.ok());
  const auto& cols = (*stmt)->columns();
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(std::to_string(cols[0].table_oid), oid[0][0]);
  EXPECT_EQ(cols[0].column_number, 2);
  EXPECT_EQ(cols[1].table_oid, 0u);  // an expression has no source column
  EXPECT_EQ(cols[1].column_number, 0);
  EXPECT_EQ(cols[2].column_number, 4);
  auto cat = s_->Prepare(Stmt(StatementKind::kQuery, "SELECT \"relkind\" FROM \"pgw_pg_class\""));
  ASSERT_TRUE(cat.ok());
  EXPECT_EQ((*cat)->columns()[0].table_oid, 1259u);
  EXPECT_EQ((*cat)->columns()[0].column_number, 17);
}

TEST_F(SqliteCatalogTest, MissingCatalogRelationNamedAsInPostgres) {
  Status st = Query(*s_, "SELECT * FROM \"pgw_pg_nonexistent\"").status();
  EXPECT_EQ(st.sqlstate(), "42P01");
  EXPECT_EQ(st.message(), "relation \"pg_nonexistent\" does not exist");
}

TEST_F(SqliteCatalogTest, PgbenchCatalogQuery) {
  // pgbench's partition probe, as the translator writes it (LATERAL unnest inlined).
  const std::string sql =
      "SELECT pgw_array_position(pgw_current_schemas(1), \"n\".\"nspname\"), "
      "\"p\".\"partstrat\", count(\"i\".\"inhparent\") FROM \"pgw_pg_class\" AS \"c\" "
      "JOIN \"pgw_pg_namespace\" AS \"n\" ON (\"n\".\"oid\" = \"c\".\"relnamespace\") "
      "LEFT JOIN \"pgw_pg_partitioned_table\" AS \"p\" ON (\"p\".\"partrelid\" = \"c\".\"oid\") "
      "LEFT JOIN \"pgw_pg_inherits\" AS \"i\" ON (\"c\".\"oid\" = \"i\".\"inhparent\") "
      "WHERE \"c\".\"relname\" = ?1 AND pgw_array_position(pgw_current_schemas(1), "
      "\"n\".\"nspname\") IS NOT NULL GROUP BY 1, 2 ORDER BY 1 ASC LIMIT 1";
  auto rows = Query(*s_, sql, {Value::Text("accounts")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"2", "NULL", "0"}}));
  rows = Query(*s_, sql, {Value::Text("missing")});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_F(SqliteCatalogTest, DroppedObjectsDisappear) {
  ASSERT_TRUE(Exec(*s_, "DROP VIEW \"rich\"").ok());
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_class\" WHERE \"relname\" = 'rich'"), (Rows{{"0"}}));
}

}  // namespace
}  // namespace pgw

namespace pgw {
namespace {

using testing::Exec;
using testing::Query;
using testing::Rows;

// Keys, defaults, information_schema and the catalog functions over a schema with a foreign
// key, as PostgreSQL names and prints them.
class SqliteCatalogKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend(path_.path());
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_, "alice", "appdb");
    ASSERT_NE(s_, nullptr);
    ASSERT_TRUE(Exec(*s_,
                     "CREATE TABLE \"p\" (\"id\" integer PRIMARY KEY, \"code\" varchar(8) "
                     "UNIQUE, \"note\" text DEFAULT 'x', \"on\" boolean DEFAULT 1);"
                     "CREATE TABLE \"c\" (\"id\" bigint PRIMARY KEY, \"p_id\" integer NOT NULL "
                     "REFERENCES \"p\" (\"id\") ON DELETE CASCADE)")
                    .ok());
  }
  Rows Q(const std::string& sql) {
    auto r = Query(*s_, sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << sql;
    return r.ok() ? *r : Rows{};
  }
  testing::TempDbPath path_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteCatalogKeysTest, ConstraintsAndTheirDefinitions) {
  EXPECT_EQ(Q("SELECT \"conname\", \"contype\", \"conkey\", \"confkey\", \"confdeltype\", "
              "pgw_pg_get_constraintdef(\"oid\") FROM \"pgw_pg_constraint\" ORDER BY \"conname\""),
            (Rows{{"c_p_id_fkey", "f", "{2}", "{1}", "c",
                   "FOREIGN KEY (p_id) REFERENCES p(id) ON DELETE CASCADE"},
                  {"c_pkey", "p", "{1}", "NULL", " ", "PRIMARY KEY (id)"},
                  {"p_code_key", "u", "{2}", "NULL", " ", "UNIQUE (code)"},
                  {"p_pkey", "p", "{1}", "NULL", " ", "PRIMARY KEY (id)"}}));
  EXPECT_EQ(Q("SELECT pgw_pg_get_indexdef(\"indexrelid\"), \"indkey\", \"indisprimary\" FROM "
              "\"pgw_pg_index\" WHERE \"indrelid\" = pgw_regclass('p') ORDER BY 1"),
            (Rows{{"CREATE UNIQUE INDEX p_code_key ON public.p USING btree (code)", "2", "0"},
                  {"CREATE UNIQUE INDEX p_pkey ON public.p USING btree (id)", "1", "1"}}));
}

TEST_F(SqliteCatalogKeysTest, DefaultsAsPgGetExprPrintsThem) {
  EXPECT_EQ(Q("SELECT \"adnum\", pgw_pg_get_expr(\"adbin\", \"adrelid\") FROM "
              "\"pgw_pg_attrdef\" WHERE \"adrelid\" = pgw_regclass('p') ORDER BY 1"),
            (Rows{{"3", "'x'::text"}, {"4", "true"}}));
}

TEST_F(SqliteCatalogKeysTest, InformationSchema) {
  EXPECT_EQ(Q("SELECT \"column_name\", \"data_type\", \"is_nullable\", "
              "\"character_maximum_length\" FROM \"pgw_is_columns\" WHERE \"table_name\" = 'p' "
              "ORDER BY \"ordinal_position\""),
            (Rows{{"id", "integer", "NO", "NULL"},
                  {"code", "character varying", "YES", "8"},
                  {"note", "text", "YES", "NULL"},
                  {"on", "boolean", "YES", "NULL"}}));
  EXPECT_EQ(Q("SELECT \"constraint_name\", \"update_rule\", \"delete_rule\", "
              "\"unique_constraint_name\" FROM \"pgw_is_referential_constraints\""),
            (Rows{{"c_p_id_fkey", "NO ACTION", "CASCADE", "p_pkey"}}));
  EXPECT_EQ(Q("SELECT \"table_name\", \"table_type\" FROM \"pgw_is_tables\" ORDER BY 1"),
            (Rows{{"c", "BASE TABLE"}, {"p", "BASE TABLE"}}));
}

TEST_F(SqliteCatalogKeysTest, RegclassResolvesOnTheSearchPathOr42P01) {
  Rows oid = Q("SELECT \"oid\" FROM \"pgw_pg_class\" WHERE \"relname\" = 'p'");
  ASSERT_EQ(oid.size(), 1u);
  EXPECT_EQ(Q("SELECT pgw_regclass('p'), pgw_regclass('public.p'), pgw_regclass('\"p\"')"),
            (Rows{{oid[0][0], oid[0][0], oid[0][0]}}));
  EXPECT_EQ(Q("SELECT pgw_regclass('pg_class'), pgw_regclass_out(1259), pgw_regclass_out(" +
              oid[0][0] + "), pgw_to_regclass('nope')"),
            (Rows{{"1259", "pg_class", "p", "NULL"}}));
  Status st = Query(*s_, "SELECT pgw_regclass('nope')").status();
  EXPECT_EQ(st.sqlstate(), "42P01");
  EXPECT_EQ(st.message(), "relation \"nope\" does not exist");
  st = Query(*s_, "SELECT pgw_regtype('nosuchtype')").status();
  EXPECT_EQ(st.sqlstate(), "42704");
  EXPECT_EQ(Q("SELECT pgw_regtype('character varying'), pgw_regtype_out(1043), "
              "pgw_format_type(1043, 12)"),
            (Rows{{"1043", "character varying", "character varying(8)"}}));
}

TEST_F(SqliteCatalogKeysTest, DdlIsVisibleAtTheNextScan) {
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_attribute\" WHERE \"attrelid\" = "
              "pgw_regclass('c')"),
            (Rows{{"2"}}));
  auto other = testing::Connect(*backend_);
  ASSERT_TRUE(Exec(*other, "ALTER TABLE \"c\" ADD COLUMN \"extra\" text").ok());
  EXPECT_EQ(Q("SELECT count(*) FROM \"pgw_pg_attribute\" WHERE \"attrelid\" = "
              "pgw_regclass('c')"),
            (Rows{{"3"}}));
}

}  // namespace
}  // namespace pgw
