// COPY statements through the translator: both option syntaxes become the same option items,
// COPY (query) TO gets its query translated, COPY FROM ... WHERE its condition.
#include <gtest/gtest.h>

#include "sql/translator.h"
#include "sql_test_util.h"

namespace pgw {
namespace {

using testing::Error;
using testing::One;

const CopySpec& Spec(const TranslatedStatement& t) {
  static const CopySpec kNone;
  EXPECT_EQ(t.kind, StatementKind::kCopy);
  return t.copy ? *t.copy : kNone;
}

std::string Describe(const CopyOptionItem& item) {
  std::string s = item.name + "=";
  switch (item.arg.kind) {
    case CopyOptionArg::Kind::kNone:
      return s + "<none>";
    case CopyOptionArg::Kind::kString:
      return s + item.arg.str;
    case CopyOptionArg::Kind::kStar:
      return s + "*";
    case CopyOptionArg::Kind::kList: {
      s += "(";
      for (size_t i = 0; i < item.arg.list.size(); ++i) {
        if (i > 0) s += ",";
        s += item.arg.list[i];
      }
      return s + ")";
    }
  }
  return s;
}

std::vector<std::string> Options(const CopySpec& spec) {
  std::vector<std::string> out;
  for (const CopyOptionItem& item : spec.options) out.push_back(Describe(item));
  return out;
}

TEST(SqlCopy, FromStdinWithColumns) {
  TranslatedStatement t = One("COPY users (id, name) FROM STDIN");
  const CopySpec& s = Spec(t);
  EXPECT_EQ(t.command_tag, "COPY");
  EXPECT_EQ(s.relation, "users");
  EXPECT_EQ(s.relation_location, 5);
  EXPECT_TRUE(s.is_from);
  EXPECT_FALSE(s.is_program);
  EXPECT_TRUE(s.filename.empty());
  EXPECT_EQ(s.columns, (std::vector<std::string>{"id", "name"}));
  EXPECT_TRUE(s.options.empty());
  EXPECT_FALSE(t.returns_rows);
}

TEST(SqlCopy, NewOptionSyntax) {
  TranslatedStatement t =
      One("COPY users TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL 'x', "
          "QUOTE '''', ESCAPE '\\', FORCE_QUOTE (id, name), ENCODING 'UTF8', FREEZE)");
  EXPECT_EQ(Options(Spec(t)),
            (std::vector<std::string>{"format=csv", "header=true", "delimiter=;", "null=x",
                                      "quote='", "escape=\\", "force_quote=(id,name)",
                                      "encoding=UTF8", "freeze=<none>"}));
  EXPECT_FALSE(Spec(t).is_from);
}

TEST(SqlCopy, OldOptionSyntaxMeansTheSame) {
  TranslatedStatement t =
      One("COPY users FROM STDIN WITH CSV HEADER DELIMITER ';' NULL 'x' QUOTE '\"' "
          "FORCE NOT NULL name");
  EXPECT_EQ(Options(Spec(t)),
            (std::vector<std::string>{"format=csv", "header=true", "delimiter=;", "null=x",
                                      "quote=\"", "force_not_null=(name)"}));
  EXPECT_EQ(Options(Spec(One("COPY users TO STDOUT CSV FORCE QUOTE *"))),
            (std::vector<std::string>{"format=csv", "force_quote=*"}));
  EXPECT_EQ(Options(Spec(One("COPY users TO STDOUT BINARY"))),
            (std::vector<std::string>{"format=binary"}));
}

TEST(SqlCopy, HeaderMatchAndNumbersAsText) {
  EXPECT_EQ(Options(Spec(One("COPY users FROM STDIN (HEADER match, FORMAT csv)"))),
            (std::vector<std::string>{"header=match", "format=csv"}));
  EXPECT_EQ(Options(Spec(One("COPY users FROM STDIN (HEADER 1)"))),
            (std::vector<std::string>{"header=1"}));
}

TEST(SqlCopy, OptionLocationsForErrorPositions) {
  TranslatedStatement t = One("COPY users FROM STDIN (FORMAT csv, HEADER)");
  ASSERT_EQ(Spec(t).options.size(), 2u);
  EXPECT_EQ(Spec(t).options[0].location, 23);
  EXPECT_EQ(Spec(t).options[1].location, 35);
}

TEST(SqlCopy, FilesAndPrograms) {
  TranslatedStatement in = One("COPY users FROM '/tmp/in.csv' (FORMAT csv)");
  const CopySpec& f = Spec(in);  // the spec lives as long as its statement
  EXPECT_EQ(f.filename, "/tmp/in.csv");
  EXPECT_FALSE(f.is_program);
  TranslatedStatement p = One("COPY users TO PROGRAM 'gzip > /tmp/x.gz'");
  EXPECT_TRUE(Spec(p).is_program);
  EXPECT_EQ(Spec(p).filename, "gzip > /tmp/x.gz");
}

TEST(SqlCopy, QueryToIsTranslated) {
  TranslatedStatement t = One("COPY (SELECT id, name FROM users WHERE age > 3) TO STDOUT");
  EXPECT_TRUE(Spec(t).relation.empty());
  EXPECT_EQ(t.command_tag, "COPY");
  EXPECT_FALSE(t.returns_rows);
  EXPECT_EQ(t.sql,
            "SELECT \"id\" AS \"id\", \"name\" AS \"name\" FROM \"users\" WHERE \"age\" > 3");
  ASSERT_EQ(t.result_hints.size(), 2u);
  EXPECT_EQ(t.result_hints[1].name, "name");
}

TEST(SqlCopy, WhereConditionInTheDialect) {
  TranslatedStatement t = One("COPY users (id, age) FROM STDIN WHERE age >= 18 AND id % 2 = 0");
  EXPECT_EQ(Spec(t).where_sql, "(\"age\" >= 18) AND (pgw_mod(\"id\", 2) = 0)");
}

TEST(SqlCopy, SchemaIsKept) {
  EXPECT_EQ(Spec(One("COPY public.users TO STDOUT")).schema, "public");
  EXPECT_EQ(Spec(One("COPY pg_catalog.pg_class TO STDOUT")).relation, "pg_class");
}

TEST(SqlCopy, ReturningQueriesAreRefused) {
  Status st = Error("COPY (DELETE FROM users RETURNING id) TO STDOUT");
  EXPECT_EQ(st.sqlstate(), "0A000");
  EXPECT_NE(st.message().find("RETURNING"), std::string_view::npos) << st.ToString();
}

}  // namespace
}  // namespace pgw
