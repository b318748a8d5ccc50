// Golden tests of the InterSystems IRIS dialect: PostgreSQL in, IRIS SQL out. Each test names
// the IRIS SQL reference page it relies on, as
//   https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=<key>
// No IRIS server runs here: these pin the SQL the gateway sends; the README says what has been
// run against a real IRIS.
#include <gtest/gtest.h>

#include <string>

#include "sql/translator.h"

namespace pgw {
namespace {

TranslatedStatement Iris(std::string_view sql, bool parameterize = false) {
  TranslateOptions opts;
  opts.dialect = Dialect::kIris;
  opts.parameterize_literals = parameterize;
  auto r = Translate(sql, opts);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  if (!r.ok() || r->size() != 1) return {};
  return r->front();
}

Status IrisError(std::string_view sql) {
  TranslateOptions opts;
  opts.dialect = Dialect::kIris;
  auto r = Translate(sql, opts);
  EXPECT_FALSE(r.ok()) << sql << " translated to " << (r.ok() ? r->front().sql : "");
  return r.ok() ? Status::OK() : r.status();
}

// KEY=RSQL_limit: LIMIT count [OFFSET start]; a count is required.
TEST(IrisDialect, LimitOffset) {
  EXPECT_EQ(Iris("SELECT a FROM t LIMIT 10 OFFSET 5").sql,
            "SELECT \"a\" AS \"a\" FROM \"t\" LIMIT 10 OFFSET 5");
  EXPECT_EQ(Iris("SELECT a FROM t OFFSET 3").sql,
            "SELECT \"a\" AS \"a\" FROM \"t\" LIMIT 9223372036854775807 OFFSET 3");
}

// KEY=RSQL_datatype (BIT is %Library.Boolean, 0/1): booleans as 1 and 0.
TEST(IrisDialect, Booleans) {
  EXPECT_EQ(Iris("SELECT a FROM t WHERE ok = true OR ok = false").sql,
            "SELECT \"a\" AS \"a\" FROM \"t\" WHERE (\"ok\" = 1) OR (\"ok\" = 0)");
}

// KEY=RSQL_cast: CAST(x AS type) with IRIS's type names (KEY=RSQL_datatype); a typed literal
// is a cast of its text.
TEST(IrisDialect, Casts) {
  EXPECT_EQ(Iris("SELECT x::int, x::bigint, x::numeric(10,2), x::varchar(5), x::text FROM t").sql,
            "SELECT CAST(\"x\" AS INTEGER) AS \"x\", CAST(\"x\" AS BIGINT) AS \"x\", "
            "CAST(\"x\" AS NUMERIC(10,2)) AS \"x\", CAST(\"x\" AS VARCHAR(5)) AS \"x\", "
            "CAST(\"x\" AS VARCHAR(3641144)) AS \"x\" FROM \"t\"");
  EXPECT_EQ(Iris("SELECT x::boolean, x::float8, x::date FROM t").sql,
            "SELECT CAST(\"x\" AS BIT) AS \"x\", CAST(\"x\" AS DOUBLE) AS \"x\", "
            "CAST(\"x\" AS DATE) AS \"x\" FROM \"t\"");
}

// KEY=RSQL_cast, RSQL_datatype (DATE, TIME, TIMESTAMP): date/time literals and parameters.
TEST(IrisDialect, DateTimeLiteralsAndParameters) {
  EXPECT_EQ(Iris("SELECT DATE '2024-02-29', TIMESTAMP '2024-02-29 10:11:12', TIME '10:11:12'").sql,
            "SELECT CAST('2024-02-29' AS DATE) AS \"date\", "
            "CAST('2024-02-29 10:11:12' AS TIMESTAMP) AS \"timestamp\", "
            "CAST('10:11:12' AS TIME) AS \"time\"");
  TranslatedStatement p = Iris("SELECT a FROM t WHERE d = $1::date AND ts < $2::timestamptz");
  EXPECT_EQ(p.sql, "SELECT \"a\" AS \"a\" FROM \"t\" WHERE (\"d\" = ?1) AND (\"ts\" < ?2)");
  ASSERT_EQ(p.param_types.size(), 2u);
  EXPECT_EQ(p.param_types[0], oid::kDate);  // bound as SQL_TYPE_DATE by the ODBC backend
  EXPECT_EQ(p.param_types[1], oid::kTimestamptz);
}

// KEY=RSQL_like (LIKE ... ESCAPE), RSQL_lower: ILIKE compares lower-cased text.
TEST(IrisDialect, Ilike) {
  EXPECT_EQ(Iris("SELECT a FROM t WHERE name ILIKE 'ab%'").sql,
            "SELECT \"a\" AS \"a\" FROM \"t\" WHERE lower(\"name\") LIKE lower('ab%') ESCAPE '\\'");
}

// KEY=RSQL_substring, RSQL_length, RSQL_instr, RSQL_replace, RSQL_lpad, RSQL_now,
// RSQL_coalesce (function names are not case-sensitive), RSQL_ceiling: common string,
// numeric and date functions.
TEST(IrisDialect, Functions) {
  EXPECT_EQ(Iris("SELECT substr(s, 2, 3), length(s), strpos(s, 'x'), replace(s, 'a', 'b'), "
                 "lpad(s, 5, '0'), coalesce(s, 'none'), ceil(n), now() FROM t")
                .sql,
            "SELECT SUBSTRING(\"s\", 2, 3) AS \"substr\", LENGTH(\"s\") AS \"length\", "
            "INSTR(\"s\", 'x') AS \"strpos\", REPLACE(\"s\", 'a', 'b') AS \"replace\", "
            "LPAD(\"s\", 5, '0') AS \"lpad\", coalesce(\"s\", 'none') AS \"coalesce\", "
            "CEILING(\"n\") AS \"ceil\", NOW() AS \"now\" FROM \"t\"");
}

// KEY=GSQL_langelements ("Arithmetic Operators"): `\` divides integers, `/` gives a decimal
// result, and operators apply strictly left to right (so every operation is parenthesized).
TEST(IrisDialect, ArithmeticAndIntegerDivision) {
  EXPECT_EQ(Iris("SELECT 7 / 2, 7.0 / 2, 1 + 2 * 3").sql,
            "SELECT (7 \\ 2) AS \"?column?\", (7.0 / 2) AS \"?column?\", 1 + (2 * 3) AS "
            "\"?column?\"");
}

// KEY=RSQL_createtable (IDENTITY), RSQL_datatype (the DDL types): CREATE TABLE type mapping.
TEST(IrisDialect, CreateTableTypes) {
  EXPECT_EQ(Iris("CREATE TABLE p (id serial PRIMARY KEY, name text NOT NULL, code varchar(10), "
                 "photo bytea, amount numeric(10,2), seen timestamptz, doc json, tag uuid, "
                 "ok boolean)")
                .sql,
            "CREATE TABLE \"p\" (\"id\" BIGINT IDENTITY PRIMARY KEY, \"name\" VARCHAR(3641144) "
            "NOT NULL, \"code\" VARCHAR(10), \"photo\" VARBINARY(3641144), \"amount\" "
            "NUMERIC(10,2), \"seen\" TIMESTAMP, \"doc\" VARCHAR(3641144), \"tag\" VARCHAR(36), "
            "\"ok\" BIT)");
  EXPECT_EQ(Iris("CREATE TABLE q (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)").sql,
            "CREATE TABLE \"q\" (\"id\" BIGINT IDENTITY PRIMARY KEY)");
}

// KEY=RSQL_insertorupdate: INSERT OR UPDATE updates the row whose unique key matches, which is
// PostgreSQL's ON CONFLICT (key) DO UPDATE SET every other column = EXCLUDED.column.
TEST(IrisDialect, OnConflictBecomesInsertOrUpdate) {
  EXPECT_EQ(Iris("INSERT INTO kv (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = "
                 "EXCLUDED.v")
                .sql,
            "INSERT OR UPDATE INTO \"kv\" (\"k\", \"v\") VALUES (?1, ?2)");
  EXPECT_EQ(IrisError("INSERT INTO kv (k, v) VALUES (1, 2) ON CONFLICT DO NOTHING").sqlstate(),
            "0A000");
  Status partial = IrisError(
      "INSERT INTO kv (k, v, w) VALUES (1, 2, 3) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v");
  EXPECT_EQ(partial.sqlstate(), "0A000");
  EXPECT_NE(partial.message().find("leaves column w unchanged"), std::string::npos)
      << partial.message();
  EXPECT_EQ(IrisError("INSERT INTO kv (k, v) VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = 7")
                .sqlstate(),
            "0A000");
}

// KEY=RSQL_datatype (VECTOR), RSQL_tovector: vector(n) columns and '[..]' values.
TEST(IrisDialect, VectorTypeAndValues) {
  EXPECT_EQ(
      Iris("CREATE TABLE items (id int PRIMARY KEY, embedding vector(384))").sql,
      "CREATE TABLE \"items\" (\"id\" INTEGER PRIMARY KEY, \"embedding\" VECTOR(DOUBLE, 384))");
  EXPECT_EQ(Iris("SELECT '[1,2,3]'::vector").sql,
            "SELECT TO_VECTOR('[1,2,3]', DOUBLE) AS \"vector\"");
}

// KEY=RSQL_vectorcosine, RSQL_vectordotproduct: pgvector's distance operators. VECTOR_COSINE
// is a similarity (<=> is 1 - it), <#> is the negative inner product, and <-> (Euclidean
// distance, no IRIS function) is sqrt(a.a - 2 a.b + b.b).
TEST(IrisDialect, VectorDistances) {
  EXPECT_EQ(Iris("SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 5").sql,
            "SELECT \"id\" AS \"id\" FROM \"items\" ORDER BY (1 - VECTOR_COSINE(\"embedding\", "
            "TO_VECTOR(?1, DOUBLE))) NULLS LAST LIMIT 5");
  EXPECT_EQ(Iris("SELECT embedding <#> '[1,0]' FROM items").sql,
            "SELECT (0 - VECTOR_DOT_PRODUCT(\"embedding\", TO_VECTOR('[1,0]', DOUBLE))) AS "
            "\"?column?\" FROM \"items\"");
  EXPECT_EQ(Iris("SELECT a <-> b FROM items").sql,
            "SELECT SQRT((VECTOR_DOT_PRODUCT(\"a\", \"a\") - (2 * VECTOR_DOT_PRODUCT(\"a\", "
            "\"b\"))) + VECTOR_DOT_PRODUCT(\"b\", \"b\")) AS \"?column?\" FROM \"items\"");
}

// Literals of a simple query are bound, never inlined: IRIS cannot compile SQL with very long
// literals (IRIS_NOTES), and a vector literal is the longest of them.
TEST(IrisDialect, LiteralsBecomeParameters) {
  std::string longtext(5000, 'x');
  TranslatedStatement t =
      Iris("SELECT id FROM items WHERE note = '" + longtext + "' ORDER BY embedding <=> '[1,2]'",
           /*parameterize=*/true);
  EXPECT_EQ(t.sql,
            "SELECT \"id\" AS \"id\" FROM \"items\" WHERE \"note\" = ?1 ORDER BY (1 - "
            "VECTOR_COSINE(\"embedding\", TO_VECTOR(?2, DOUBLE))) NULLS LAST");
  EXPECT_EQ(t.literal_locations.size(), 2u);
}

// KEY=GSQL_vecsearch ("HNSW index"): USING hnsw -> AS HNSW(Distance=..., M, efConstruction).
TEST(IrisDialect, HnswIndex) {
  EXPECT_EQ(Iris("CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops) "
                 "WITH (m = 16, ef_construction = 64)")
                .sql,
            "CREATE INDEX \"items_hnsw\" ON \"items\" (\"embedding\") AS HNSW(Distance='Cosine', "
            "M=16, efConstruction=64)");
  EXPECT_EQ(Iris("CREATE INDEX ip ON items USING hnsw (embedding vector_ip_ops)").sql,
            "CREATE INDEX \"ip\" ON \"items\" (\"embedding\") AS HNSW(Distance='DotProduct')");
  Status l2 = IrisError("CREATE INDEX l2 ON items USING hnsw (embedding vector_l2_ops)");
  EXPECT_EQ(l2.sqlstate(), "0A000");
  EXPECT_NE(l2.message().find("vector_l2_ops"), std::string::npos);
  EXPECT_NE(l2.info().hint.find("vector_cosine_ops"), std::string::npos);
  EXPECT_EQ(
      IrisError("CREATE INDEX g ON items USING ivfflat (embedding vector_cosine_ops)").sqlstate(),
      "0A000");
}

// What IRIS cannot express is refused with 0A000 naming it.
TEST(IrisDialect, RefusedConstructs) {
  // KEY=RSQL_insert: no RETURNING clause.
  Status ret = IrisError("INSERT INTO t (a) VALUES (1) RETURNING a");
  EXPECT_EQ(ret.sqlstate(), "0A000");
  EXPECT_NE(ret.message().find("RETURNING"), std::string::npos);
  EXPECT_EQ(IrisError("SELECT generate_series(1, 3)").sqlstate(), "0A000");
  EXPECT_EQ(IrisError("SELECT x::interval FROM t").sqlstate(), "0A000");
  EXPECT_EQ(IrisError("SELECT relname FROM pg_catalog.pg_class").sqlstate(), "0A000");
}

// Transaction control is the session's (SQL_ATTR_AUTOCOMMIT / SQLEndTran on the ODBC
// connection); savepoints are SAVEPOINT / ROLLBACK TO SAVEPOINT SQL (KEY=RSQL_savepoint).
TEST(IrisDialect, TransactionStatementsAreSessionStatements) {
  EXPECT_EQ(Iris("BEGIN").kind, StatementKind::kBegin);
  EXPECT_EQ(Iris("SAVEPOINT a").kind, StatementKind::kSavepoint);
  EXPECT_EQ(Iris("ROLLBACK TO SAVEPOINT a").kind, StatementKind::kRollbackTo);
}

}  // namespace
}  // namespace pgw
