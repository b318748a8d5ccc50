// The type table, name lookup, ParseDeclaredType and FormatType. Expected OIDs, typmods and
// spellings were read from PostgreSQL 15 (pg_type, pg_attribute and format_type()).
#include <gtest/gtest.h>

#include <string>

#include "types/pg_types.h"

namespace pgw {
namespace {

TEST(TypesPgTypesTest, TableMatchesPgType) {
  const TypeInfo* t = LookupType(oid::kInt4);
  ASSERT_NE(t, nullptr);
  EXPECT_STREQ(t->name, "int4");
  EXPECT_STREQ(t->sql_name, "integer");
  EXPECT_EQ(t->typlen, 4);
  EXPECT_EQ(t->array_oid, 1007u);
  EXPECT_EQ(LookupType(oid::kName)->typlen, 64);
  EXPECT_EQ(LookupType(oid::kUnknown)->typlen, -2);
  EXPECT_EQ(LookupType(oid::kInterval)->typlen, 16);
  EXPECT_EQ(LookupType(oid::kJson)->array_oid, 199u);
  EXPECT_EQ(LookupType(oid::kTimestamptz)->array_oid, 1185u);
  EXPECT_EQ(LookupType(1185)->element_oid, oid::kTimestamptz);
  EXPECT_EQ(LookupType(oid::kVarcharArray)->category, TypeCategory::kArray);
  EXPECT_EQ(LookupType(99999), nullptr);
}

TEST(TypesPgTypesTest, EveryDeclaredOidIsKnown) {
  const Oid all[] = {oid::kBool,         oid::kBytea,        oid::kChar,         oid::kName,
                     oid::kInt8,         oid::kInt2,         oid::kInt2Vector,   oid::kInt4,
                     oid::kRegproc,      oid::kText,         oid::kOid,          oid::kOidVector,
                     oid::kJson,         oid::kXml,          oid::kPgNodeTree,   oid::kFloat4,
                     oid::kFloat8,       oid::kUnknown,      oid::kMoney,        oid::kInet,
                     oid::kBoolArray,    oid::kInt2Array,    oid::kInt4Array,    oid::kTextArray,
                     oid::kVarcharArray, oid::kInt8Array,    oid::kFloat4Array,  oid::kFloat8Array,
                     oid::kOidArray,     oid::kAclitem,      oid::kBpchar,       oid::kVarchar,
                     oid::kDate,         oid::kTime,         oid::kTimestamp,    oid::kTimestamptz,
                     oid::kInterval,     oid::kTimetz,       oid::kBit,          oid::kVarbit,
                     oid::kNumeric,      oid::kRegprocedure, oid::kRegclass,     oid::kRegtype,
                     oid::kRecord,       oid::kCstring,      oid::kAny,          oid::kVoid,
                     oid::kUuid,         oid::kJsonb,        oid::kRegnamespace, oid::kRegrole,
                     oid::kVector};
  for (Oid o : all) {
    const TypeInfo* t = LookupType(o);
    ASSERT_NE(t, nullptr) << o;
    EXPECT_EQ(t->oid, o);
    // Unquoted "char" is SQL's character(1); pg_type's "char" needs the quotes.
    if (o != oid::kChar) {
      EXPECT_EQ(LookupTypeByName(t->name), t) << t->name;
    }
    if (t->array_oid != 0) {
      EXPECT_EQ(LookupType(t->array_oid)->element_oid, o) << t->name;
    }
  }
}

TEST(TypesPgTypesTest, LookupByNameAcceptsSqlSpellings) {
  struct {
    const char* name;
    Oid oid;
  } cases[] = {
      {"integer", oid::kInt4},
      {"INT", oid::kInt4},
      {"int4", oid::kInt4},
      {"smallint", oid::kInt2},
      {"bigint", oid::kInt8},
      {"real", oid::kFloat4},
      {"double precision", oid::kFloat8},
      {"Double   Precision", oid::kFloat8},
      {"float", oid::kFloat8},
      {"float8", oid::kFloat8},
      {"boolean", oid::kBool},
      {"bool", oid::kBool},
      {"character varying", oid::kVarchar},
      {"varchar", oid::kVarchar},
      {"character", oid::kBpchar},
      {"char", oid::kBpchar},
      {"bpchar", oid::kBpchar},
      {"\"char\"", oid::kChar},
      {"text", oid::kText},
      {"bytea", oid::kBytea},
      {"date", oid::kDate},
      {"time", oid::kTime},
      {"time without time zone", oid::kTime},
      {"timestamp", oid::kTimestamp},
      {"timestamp without time zone", oid::kTimestamp},
      {"timestamp with time zone", oid::kTimestamptz},
      {"timestamptz", oid::kTimestamptz},
      {"interval", oid::kInterval},
      {"numeric", oid::kNumeric},
      {"decimal", oid::kNumeric},
      {"uuid", oid::kUuid},
      {"json", oid::kJson},
      {"jsonb", oid::kJsonb},
      {"oid", oid::kOid},
      {"name", oid::kName},
      {"regclass", oid::kRegclass},
      {"serial", oid::kInt4},
      {"bigserial", oid::kInt8},
      {"smallserial", oid::kInt2},
      {"integer[]", oid::kInt4Array},
      {"_int4", oid::kInt4Array},
  };
  for (const auto& c : cases) {
    const TypeInfo* t = LookupTypeByName(c.name);
    ASSERT_NE(t, nullptr) << c.name;
    EXPECT_EQ(t->oid, c.oid) << c.name;
  }
  EXPECT_EQ(LookupTypeByName("nosuchtype"), nullptr);
}

TEST(TypesPgTypesTest, ParseDeclaredType) {
  struct {
    const char* declared;
    Oid oid;
    int32_t typmod;
    bool serial;
  } cases[] = {
      {"VARCHAR(20)", oid::kVarchar, 24, false},
      {"character varying(20)", oid::kVarchar, 24, false},
      {"  varchar ( 20 )  ", oid::kVarchar, 24, false},
      {"varchar", oid::kVarchar, -1, false},
      {"numeric(10,2)", oid::kNumeric, ((10 << 16) | 2) + 4, false},
      {"numeric(10, 2)", oid::kNumeric, ((10 << 16) | 2) + 4, false},
      {"numeric(10)", oid::kNumeric, 655364, false},
      {"decimal(8)", oid::kNumeric, 524292, false},
      {"dec(4,1)", oid::kNumeric, 262149, false},
      {"numeric(5,-2)", oid::kNumeric, 329730, false},
      {"numeric", oid::kNumeric, -1, false},
      {"char(5)", oid::kBpchar, 9, false},
      {"char", oid::kBpchar, 5, false},
      {"\"char\"", oid::kChar, -1, false},
      {"int[]", oid::kInt4Array, -1, false},
      {"integer[]", oid::kInt4Array, -1, false},
      {"int[3][4]", oid::kInt4Array, -1, false},
      {"int array", oid::kInt4Array, -1, false},
      {"varchar(20)[]", oid::kVarcharArray, 24, false},
      {"timestamp(3) with time zone", oid::kTimestamptz, 3, false},
      {"timestamptz(2)", oid::kTimestamptz, 2, false},
      {"TIMESTAMP WITHOUT TIME ZONE", oid::kTimestamp, -1, false},
      {"time(2) with time zone", oid::kTimetz, 2, false},
      {"interval(3)", oid::kInterval, 2147418115, false},
      {"interval day", oid::kInterval, 589823, false},
      {"interval hour to second(2)", oid::kInterval, 469762050, false},
      {"vector(384)", oid::kVector, 384, false},
      {"serial", oid::kInt4, -1, true},
      {"BIGSERIAL", oid::kInt8, -1, true},
      {"smallserial", oid::kInt2, -1, true},
      {"float(24)", oid::kFloat4, -1, false},
      {"float(25)", oid::kFloat8, -1, false},
      {"double precision", oid::kFloat8, -1, false},
      {"bit", oid::kBit, 1, false},
      {"bit varying(4)", oid::kVarbit, 4, false},
      {"date[]", 1182, -1, false},
      {"mystery", oid::kText, -1, false},
      {"", oid::kText, -1, false},
  };
  for (const auto& c : cases) {
    DeclaredType d = ParseDeclaredType(c.declared);
    EXPECT_EQ(d.oid, c.oid) << c.declared;
    EXPECT_EQ(d.typmod, c.typmod) << c.declared;
    EXPECT_EQ(d.is_serial, c.serial) << c.declared;
  }
}

TEST(TypesPgTypesTest, FormatTypeMatchesPostgres) {
  struct {
    Oid oid;
    int32_t typmod;
    const char* expected;
  } cases[] = {
      {oid::kVarchar, 24, "character varying(20)"},
      {oid::kVarchar, -1, "character varying"},
      {oid::kBpchar, 9, "character(5)"},
      {oid::kBpchar, -1, "bpchar"},
      {oid::kNumeric, 655366, "numeric(10,2)"},
      {oid::kNumeric, 655364, "numeric(10,0)"},
      {oid::kNumeric, 329730, "numeric(5,-2)"},
      {oid::kNumeric, -1, "numeric"},
      {oid::kTimestamptz, 3, "timestamp(3) with time zone"},
      {oid::kTimestamptz, -1, "timestamp with time zone"},
      {oid::kTime, 3, "time(3) without time zone"},
      {oid::kTimestamp, 0, "timestamp(0) without time zone"},
      {oid::kTimetz, 2, "time(2) with time zone"},
      {oid::kInterval, 2147418115, "interval(3)"},
      {oid::kInterval, 589823, "interval day"},
      {oid::kInterval, 469762050, "interval hour to second(2)"},
      {oid::kInterval, static_cast<int32_t>((6u << 16) | 0xFFFF), "interval year to month"},
      {oid::kInterval, -1, "interval"},
      {oid::kBit, 5, "bit(5)"},
      {oid::kVarbit, 5, "bit varying(5)"},
      {oid::kVarcharArray, 24, "character varying(20)[]"},
      {1231, 655366, "numeric(10,2)[]"},
      {oid::kInt4, -1, "integer"},
      {oid::kInt4, 5, "integer"},
      {oid::kInt2, -1, "smallint"},
      {oid::kInt8, -1, "bigint"},
      {oid::kFloat4, -1, "real"},
      {oid::kFloat8, -1, "double precision"},
      {oid::kBool, -1, "boolean"},
      {oid::kChar, -1, "\"char\""},
      {oid::kAny, -1, "\"any\""},
      {oid::kInt4Array, -1, "integer[]"},
      {oid::kInt2Vector, -1, "int2vector"},
      {oid::kVector, 384, "vector(384)"},
      {oid::kInvalid, -1, "-"},
      {99999, -1, "???"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatType(c.oid, c.typmod), c.expected) << c.oid << " " << c.typmod;
  }
}

TEST(TypesPgTypesTest, DeclaredTypeRoundTripsThroughFormatType) {
  const char* spellings[] = {"character varying(20)",
                             "numeric(10,2)",
                             "character(5)",
                             "timestamp(3) with time zone",
                             "interval day to second(3)",
                             "bigint",
                             "double precision",
                             "integer[]"};
  for (const char* s : spellings) {
    DeclaredType d = ParseDeclaredType(s);
    EXPECT_EQ(FormatType(d.oid, d.typmod), s);
  }
}

}  // namespace
}  // namespace pgw
