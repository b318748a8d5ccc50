// PostgreSQL's string functions on the SQLite backend (sqlite_strings.h). Expected values were
// taken from PostgreSQL 15 (C.UTF-8 database); booleans appear here in storage form (1/0).
#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

class SqliteStringsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::OpenBackend();
    ASSERT_NE(backend_, nullptr);
    s_ = testing::Connect(*backend_);
    ASSERT_NE(s_, nullptr);
  }
  std::string One(const std::string& sql, std::vector<Value> params = {}) {
    return testing::One(*s_, sql, std::move(params));
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<BackendSession> s_;
};

TEST_F(SqliteStringsTest, Repeat) {
  EXPECT_EQ(One("SELECT repeat('ab', 3)"), "ababab");
  EXPECT_EQ(One("SELECT repeat('x', 0)"), "");
  EXPECT_EQ(One("SELECT repeat('x', -2)"), "");
  EXPECT_EQ(One("SELECT repeat(NULL, 2)"), "NULL");
  EXPECT_EQ(One("SELECT repeat('é', 2)"), "éé");
  EXPECT_EQ(One("SELECT repeat('ab', 600000000)"), "54000: requested length too large");
}

TEST_F(SqliteStringsTest, LpadAndRpad) {
  EXPECT_EQ(One("SELECT lpad('hi', 5)"), "   hi");
  EXPECT_EQ(One("SELECT lpad('hi', 5, 'xy')"), "xyxhi");
  EXPECT_EQ(One("SELECT lpad('hello', 3)"), "hel");
  EXPECT_EQ(One("SELECT lpad('héllo', 2)"), "hé");
  EXPECT_EQ(One("SELECT lpad('hi', 5, '')"), "hi");
  EXPECT_EQ(One("SELECT lpad('hi', -1, 'x')"), "");
  EXPECT_EQ(One("SELECT lpad('ñ', 3, 'é')"), "ééñ");
  EXPECT_EQ(One("SELECT lpad('hi', 5, NULL)"), "NULL");
  EXPECT_EQ(One("SELECT lpad('hi', NULL)"), "NULL");
  EXPECT_EQ(One("SELECT rpad('hi', 5)"), "hi   ");
  EXPECT_EQ(One("SELECT rpad('hi', 5, 'xy')"), "hixyx");
  EXPECT_EQ(One("SELECT rpad('hello', 3)"), "hel");
  EXPECT_EQ(One("SELECT rpad('héllo', 2)"), "hé");
  EXPECT_EQ(One("SELECT rpad('hi', 0)"), "");
  EXPECT_EQ(One("SELECT lpad('x', 2000000000)"), "54000: requested length too large");
}

TEST_F(SqliteStringsTest, LeftRightReverse) {
  EXPECT_EQ(One("SELECT \"left\"('abcde', 2)"), "ab");
  EXPECT_EQ(One("SELECT pgw_left('abcde', -2)"), "abc");
  EXPECT_EQ(One("SELECT pgw_left('héllo', 2)"), "hé");
  EXPECT_EQ(One("SELECT pgw_left('abc', 10)"), "abc");
  EXPECT_EQ(One("SELECT pgw_left('abc', -10)"), "");
  EXPECT_EQ(One("SELECT pgw_left('abc', 0)"), "");
  EXPECT_EQ(One("SELECT \"right\"('abcde', 2)"), "de");
  EXPECT_EQ(One("SELECT pgw_right('abcde', -2)"), "cde");
  EXPECT_EQ(One("SELECT pgw_right('héllo', 4)"), "éllo");
  EXPECT_EQ(One("SELECT pgw_right('abc', 10)"), "abc");
  EXPECT_EQ(One("SELECT pgw_right('abc', -10)"), "");
  EXPECT_EQ(One("SELECT pgw_right('abc', -9223372036854775807 - 1)"), "");
  EXPECT_EQ(One("SELECT pgw_right(NULL, 1)"), "NULL");
  EXPECT_EQ(One("SELECT reverse('abc')"), "cba");
  EXPECT_EQ(One("SELECT reverse('héllo')"), "olléh");
  EXPECT_EQ(One("SELECT reverse('a😀b')"), "b😀a");
  EXPECT_EQ(One("SELECT reverse('')"), "");
}

TEST_F(SqliteStringsTest, SplitPart) {
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', 2)"), "b");
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', 4)"), "");
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', -1)"), "c");
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', -2)"), "b");
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', -3)"), "a");
  EXPECT_EQ(One("SELECT split_part('a,b,c', ',', -4)"), "");
  EXPECT_EQ(One("SELECT split_part('a,b,c', '', 1)"), "a,b,c");
  EXPECT_EQ(One("SELECT split_part('a,b,c', '', 2)"), "");
  EXPECT_EQ(One("SELECT split_part('a,b,c', '', -1)"), "a,b,c");
  EXPECT_EQ(One("SELECT split_part('', ',', 1)"), "");
  EXPECT_EQ(One("SELECT split_part('a~~b~~c', '~~', 3)"), "c");
  EXPECT_EQ(One("SELECT split_part('abc', 'abc', 1)"), "");
  EXPECT_EQ(One("SELECT split_part('abc', 'abc', 2)"), "");
  EXPECT_EQ(One("SELECT split_part('a,b', ',', 0)"), "22023: field position must not be zero");
  EXPECT_EQ(One("SELECT split_part('a,b', NULL, 1)"), "NULL");
}

TEST_F(SqliteStringsTest, Initcap) {
  EXPECT_EQ(One("SELECT initcap('hello wORLD foo_bar 3rd éte')"), "Hello World Foo_Bar 3rd Éte");
  EXPECT_EQ(One("SELECT initcap('ÉCOLE élève')"), "École Élève");
  EXPECT_EQ(One("SELECT initcap('a-b c.d')"), "A-B C.D");
  EXPECT_EQ(One("SELECT initcap('hello   world')"), "Hello   World");
  EXPECT_EQ(One("SELECT initcap('ABC1DEF g2h')"), "Abc1def G2h");
  EXPECT_EQ(One("SELECT initcap('o''neil')"), "O'Neil");
  EXPECT_EQ(One("SELECT initcap('ǆabc')"), "Ǆabc");
  EXPECT_EQ(One("SELECT initcap('')"), "");
}

TEST_F(SqliteStringsTest, Md5) {
  EXPECT_EQ(One("SELECT md5('abc')"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(One("SELECT md5('')"), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(One("SELECT md5('héllo')"), "be50e8478cf24ff3595bc7307fb91b50");
  EXPECT_EQ(One("SELECT md5(?1)", {Value::Blob("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(One("SELECT md5(NULL)"), "NULL");
}

TEST_F(SqliteStringsTest, ChrAndAscii) {
  EXPECT_EQ(One("SELECT chr(65)"), "A");
  EXPECT_EQ(One("SELECT chr(233)"), "é");
  EXPECT_EQ(One("SELECT chr(8364)"), "€");
  EXPECT_EQ(One("SELECT chr(128512)"), "😀");
  EXPECT_EQ(One("SELECT chr(0)"), "54000: null character not permitted");
  EXPECT_EQ(One("SELECT chr(-1)"), "22023: character number must be positive");
  EXPECT_EQ(One("SELECT chr(1114112)"),
            "54000: requested character too large for encoding: 1114112");
  EXPECT_EQ(One("SELECT chr(55296)"), "54000: requested character not valid for encoding: 55296");
  EXPECT_EQ(One("SELECT ascii('A')"), "65");
  EXPECT_EQ(One("SELECT ascii('é')"), "233");
  EXPECT_EQ(One("SELECT ascii('')"), "0");
  EXPECT_EQ(One("SELECT ascii('€x')"), "8364");
  EXPECT_EQ(One("SELECT ascii(NULL)"), "NULL");
}

TEST_F(SqliteStringsTest, StartsWithAndTranslate) {
  EXPECT_EQ(One("SELECT starts_with('hello', 'he')"), "1");
  EXPECT_EQ(One("SELECT starts_with('hello', 'lo')"), "0");
  EXPECT_EQ(One("SELECT starts_with('hello', '')"), "1");
  EXPECT_EQ(One("SELECT starts_with('', 'a')"), "0");
  EXPECT_EQ(One("SELECT starts_with(NULL, 'a')"), "NULL");
  EXPECT_EQ(One("SELECT translate('12345', '143', 'ax')"), "a2x5");
  EXPECT_EQ(One("SELECT translate('héllo', 'él', 'EL')"), "hELLo");
  EXPECT_EQ(One("SELECT translate('abc', 'aa', 'xy')"), "xbc");
  EXPECT_EQ(One("SELECT translate('abc', '', 'x')"), "abc");
  EXPECT_EQ(One("SELECT translate('abc', 'abc', '')"), "");
  EXPECT_EQ(One("SELECT translate('a😀c', '😀', 'x')"), "axc");
}

TEST_F(SqliteStringsTest, ConcatWsAndBtrim) {
  EXPECT_EQ(One("SELECT concat_ws(',', 'a', NULL, 'b')"), "a,b");
  EXPECT_EQ(One("SELECT concat_ws(NULL, 'a', 'b')"), "NULL");
  EXPECT_EQ(One("SELECT concat_ws('-', 1, 2.5, 0.1)"), "1-2.5-0.1");
  EXPECT_EQ(One("SELECT concat_ws(',', NULL)"), "");
  EXPECT_EQ(One("SELECT concat_ws('', 'a', 'b')"), "ab");
  EXPECT_EQ(One("SELECT btrim('xxhixx', 'x')"), "hi");
  EXPECT_EQ(One("SELECT btrim('  hi  ')"), "hi");
  EXPECT_EQ(One("SELECT btrim('abcba', 'ab')"), "c");
  EXPECT_EQ(One("SELECT btrim('éhié', 'é')"), "hi");
  EXPECT_EQ(One("SELECT btrim('xx', 'x')"), "");
  EXPECT_EQ(One("SELECT btrim('abc', '')"), "abc");
  EXPECT_EQ(One("SELECT btrim(NULL, 'x')"), "NULL");
}

TEST_F(SqliteStringsTest, ToHex) {
  EXPECT_EQ(One("SELECT to_hex(255)"), "ff");
  EXPECT_EQ(One("SELECT to_hex(-1)"), "ffffffff");
  EXPECT_EQ(One("SELECT to_hex(0)"), "0");
  EXPECT_EQ(One("SELECT to_hex(2147483647)"), "7fffffff");
  EXPECT_EQ(One("SELECT to_hex(4294967295)"), "ffffffff");
  EXPECT_EQ(One("SELECT to_hex(-2147483648)"), "80000000");
  EXPECT_EQ(One("SELECT to_hex(-2147483649)"), "ffffffff7fffffff");
  EXPECT_EQ(One("SELECT to_hex(9223372036854775807)"), "7fffffffffffffff");
  EXPECT_EQ(One("SELECT to_hex(-9223372036854775807 - 1)"), "8000000000000000");
}

bool IsV4Uuid(const std::string& u) {
  if (u.size() != 36) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? u[i] != '-'
             : !(std::isdigit(static_cast<unsigned char>(u[i])) || (u[i] >= 'a' && u[i] <= 'f'))) {
      return false;
    }
  }
  return u[14] == '4' && (u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
}

TEST_F(SqliteStringsTest, GenRandomUuidIsRandomV4) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string u = One("SELECT gen_random_uuid()");
    EXPECT_TRUE(IsV4Uuid(u)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 20u);
  // Not deterministic: two calls in one row differ.
  EXPECT_EQ(One("SELECT gen_random_uuid() = gen_random_uuid()"), "0");
}

}  // namespace
}  // namespace pgw
