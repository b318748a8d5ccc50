// Backend URI and connection-string parsing, dialect names.
#include "backend/odbc/odbc_target.h"

#include <gtest/gtest.h>

namespace pgw::odbc {
namespace {

TEST(OdbcTarget, DsnAndDriverStringsPassThrough) {
  auto t = ParseOdbcTarget("odbc:DSN=iris;UID=a;PWD=b");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->connection_string, "DSN=iris;UID=a;PWD=b");
  EXPECT_FALSE(t->dialect.has_value());
  auto d = ParseOdbcTarget("odbc:DRIVER={PostgreSQL ANSI};Server=127.0.0.1;Port=5432");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->connection_string, "DRIVER={PostgreSQL ANSI};Server=127.0.0.1;Port=5432");
}

TEST(OdbcTarget, NeedsDsnOrDriver) {
  auto t = ParseOdbcTarget("odbc:Server=x;UID=a");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().sqlstate(), "22023");
  EXPECT_FALSE(ParseOdbcTarget("mysql:foo").ok());
}

TEST(OdbcTarget, IrisShorthandExpandsToTheDriverKeys) {
  auto t =
      ParseOdbcTarget("iris://_SYSTEM:S%3Bcret@db.example:51773/USER", "InterSystems IRIS ODBC35");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->connection_string,
            "DRIVER=InterSystems IRIS ODBC35;HOST=db.example;PORT=51773;NAMESPACE=USER;"
            "UID=_SYSTEM;PWD={S;cret}");
  ASSERT_TRUE(t->dialect.has_value());
  EXPECT_EQ(*t->dialect, Dialect::kIris);
}

TEST(OdbcTarget, IrisDefaultsPortAndTakesExtraAttributes) {
  auto t =
      ParseOdbcTarget("iris://u:p@[::1]/SAMPLES?Query%20Timeout=1&Static%20Cursors=0", "My Driver");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->connection_string,
            "DRIVER=My Driver;HOST=::1;PORT=1972;NAMESPACE=SAMPLES;UID=u;PWD=p;"
            "Query Timeout=1;Static Cursors=0");
}

TEST(OdbcTarget, IrisMalformed) {
  EXPECT_FALSE(ParseOdbcTarget("iris://host/USER").ok());            // no user@
  EXPECT_FALSE(ParseOdbcTarget("iris://u:p@host").ok());             // no namespace
  EXPECT_FALSE(ParseOdbcTarget("iris://u:p@host:99999/USER").ok());  // port out of range
  EXPECT_FALSE(ParseOdbcTarget("iris://u:p@host:12x/USER").ok());
  EXPECT_FALSE(ParseOdbcTarget("iris://u:%zz@host/USER").ok());  // bad escape
  EXPECT_FALSE(ParseOdbcTarget("iris://u:p@host/USER?novalue").ok());
}

TEST(ConnectionString, BracedValuesRoundTrip) {
  auto a = ParseConnectionString("DRIVER={a;b}};c};UID= x ;PWD={};");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].second, "a;b};c");
  EXPECT_EQ((*a)[1].second, "x");
  EXPECT_EQ((*a)[2].second, "");
  EXPECT_EQ(FormatConnectionString(*a), "DRIVER={a;b}};c};UID=x;PWD=");
  EXPECT_FALSE(ParseConnectionString("DRIVER={unterminated").ok());
  EXPECT_FALSE(ParseConnectionString("novalue").ok());
}

TEST(ConnectionString, WithAttributeReplacesCaseInsensitively) {
  auto s = WithAttribute("DSN=x;uid=old;PWD=p", "UID", "alice");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "DSN=x;uid=alice;PWD=p");
  auto t = WithAttribute("DSN=x", "PWD", "a;b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "DSN=x;PWD={a;b}");
}

TEST(ConnectionString, MaskPasswords) {
  EXPECT_EQ(MaskPasswords("DSN=x;UID=a;PWD={se;cret};Password=p2"),
            "DSN=x;UID=a;PWD=***;Password=***");
}

TEST(Dialects, NamesAndDbmsDetection) {
  EXPECT_EQ(ParseDialectName("iris").value(), Dialect::kIris);
  EXPECT_EQ(ParseDialectName("postgres").value(), Dialect::kPostgres);
  EXPECT_EQ(ParseDialectName("sqlite").value(), Dialect::kSqlite);
  EXPECT_FALSE(ParseDialectName("oracle").ok());
  EXPECT_EQ(DialectFromDbmsName("PostgreSQL"), Dialect::kPostgres);
  EXPECT_EQ(DialectFromDbmsName("SQLite"), Dialect::kSqlite);
  EXPECT_EQ(DialectFromDbmsName("InterSystems IRIS"), Dialect::kIris);
  EXPECT_EQ(DialectFromDbmsName("Oracle"), std::nullopt);
}

}  // namespace
}  // namespace pgw::odbc
