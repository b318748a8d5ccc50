// Access rules: parsing (every field kind, every refusal with file:line), matching (type, TLS,
// database, user, CIDR for IPv4 and IPv6, first rule wins), @file includes, and the rule sets the
// --auth shorthands stand for.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "auth/hba.h"

namespace pgw {
namespace {

Result<HbaRules> ParseText(std::string_view text, std::map<std::string, std::string> files = {}) {
  return HbaRules::Parse(text, "hba.conf", "/etc/pgw",
                         [files](const std::string& path) -> Result<std::string> {
                           auto it = files.find(path);
                           if (it == files.end()) {
                             return Status::Error("58P01", "no such file \"" + path + "\"");
                           }
                           return it->second;
                         });
}

HbaRules MustParse(std::string_view text, std::map<std::string, std::string> files = {}) {
  Result<HbaRules> r = ParseText(text, std::move(files));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : HbaRules();
}

HbaClient Tcp(std::string_view addr, std::string_view user = "alice", std::string_view db = "app",
              bool tls = false) {
  HbaClient c;
  c.address = IpAddress::Parse(addr);
  EXPECT_TRUE(c.address.has_value()) << addr;
  c.user = user;
  c.database = db;
  c.tls = tls;
  return c;
}

// The method of the first matching rule, or "none".
std::string MethodFor(const HbaRules& rules, const HbaClient& c) {
  const HbaRule* r = rules.Match(c);
  return r ? std::string(AuthMethodName(r->method)) : "none";
}

std::string ErrorOf(std::string_view text, std::map<std::string, std::string> files = {}) {
  Result<HbaRules> r = ParseText(text, std::move(files));
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().sqlstate(), "F0000") << r.status().ToString();
  return std::string(r.status().message());
}

TEST(HbaParse, CommentsBlankLinesAndFields) {
  HbaRules rules = MustParse(
      "# comment\n"
      "\n"
      "local all all trust   # trailing comment\n"
      "host  app,\"all\" alice,bob 10.0.0.0/8 scram-sha-256\n"
      "hostssl all all ::/0 password\n");
  ASSERT_EQ(rules.rules().size(), 3u);
  const HbaRule& r = rules.rules()[1];
  EXPECT_EQ(r.type, HbaConnectionType::kHost);
  ASSERT_EQ(r.databases.size(), 2u);
  EXPECT_FALSE(r.databases[1].keyword) << "a quoted \"all\" is a plain name";
  EXPECT_EQ(r.users.size(), 2u);
  EXPECT_EQ(r.prefix, 8);
  EXPECT_EQ(r.line, 4);
  EXPECT_EQ(r.source, "hba.conf");
}

TEST(HbaParse, SpacesAfterCommasContinueTheList) {
  HbaRules rules = MustParse("host app, other alice, bob all trust\n");
  ASSERT_EQ(rules.rules().size(), 1u);
  EXPECT_EQ(rules.rules()[0].databases.size(), 2u);
  EXPECT_EQ(rules.rules()[0].users.size(), 2u);
}

TEST(HbaParse, SeparateNetmask) {
  HbaRules rules = MustParse("host all all 192.168.1.0 255.255.255.0 trust\n");
  ASSERT_EQ(rules.rules().size(), 1u);
  EXPECT_EQ(rules.rules()[0].prefix, 24);
  EXPECT_EQ(MethodFor(rules, Tcp("192.168.1.77")), "trust");
  EXPECT_EQ(MethodFor(rules, Tcp("192.168.2.1")), "none");
}

TEST(HbaParse, Md5IsScramForScramStoredPasswords) {
  HbaRules rules = MustParse("host all all all md5\n");
  EXPECT_EQ(MethodFor(rules, Tcp("10.1.2.3")), "scram-sha-256");
}

TEST(HbaParse, ErrorsNameFileAndLine) {
  EXPECT_EQ(ErrorOf("local all all trust\nhots all all all trust\n"),
            "hba.conf:2: invalid connection type \"hots\"");
  EXPECT_EQ(ErrorOf("host all\n"), "hba.conf:1: end-of-line before role specification");
  EXPECT_EQ(ErrorOf("host all all\n"), "hba.conf:1: end-of-line before IP address specification");
  EXPECT_EQ(ErrorOf("host all all all\n"), "hba.conf:1: end-of-line before authentication method");
  EXPECT_EQ(ErrorOf("local all all ldap\n"),
            "hba.conf:1: authentication method \"ldap\" is not supported");
  EXPECT_EQ(ErrorOf("host all all all trust clientcert=verify-ca\n"),
            "hba.conf:1: authentication option \"clientcert=verify-ca\" is not supported (rules "
            "take no options)");
  EXPECT_EQ(ErrorOf("host \"app all all trust\n"), "hba.conf:1: unterminated quoted string");
  EXPECT_EQ(ErrorOf("host,local all all all trust\n"),
            "hba.conf:1: multiple values specified for connection type");
  EXPECT_EQ(ErrorOf("host all all all trust,reject\n"),
            "hba.conf:1: multiple values specified for authentication type");
}

TEST(HbaParse, AddressErrors) {
  EXPECT_EQ(ErrorOf("host all all 10.0.0.0/33 trust\n"),
            "hba.conf:1: invalid CIDR mask in address \"10.0.0.0/33\"");
  EXPECT_EQ(ErrorOf("host all all ::1/129 trust\n"),
            "hba.conf:1: invalid CIDR mask in address \"::1/129\"");
  EXPECT_EQ(ErrorOf("host all all 10.0.0.0/ trust\n"),
            "hba.conf:1: invalid CIDR mask in address \"10.0.0.0/\"");
  EXPECT_EQ(ErrorOf("host all all db.example.com trust\n"),
            "hba.conf:1: invalid IP address \"db.example.com\" (host names are not supported: use "
            "an address with /prefix)");
  EXPECT_EQ(ErrorOf("host all all 10.0.0.0 255.0.255.0 trust\n"),
            "hba.conf:1: invalid IP mask \"255.0.255.0\"");
  EXPECT_EQ(ErrorOf("host all all 10.0.0.0 ffff:: trust\n"),
            "hba.conf:1: invalid IP mask \"ffff::\"");
  EXPECT_EQ(ErrorOf("host all all samehost trust\n"),
            "hba.conf:1: \"samehost\" is not supported: use an address with /prefix");
  EXPECT_EQ(ErrorOf("host all all 1.2.3.4,5.6.7.8/32 trust\n"),
            "hba.conf:1: multiple values specified for host address");
}

TEST(HbaParse, GroupsAndRolesAreRefusedClearly) {
  EXPECT_EQ(
      ErrorOf("host all +admins all trust\n"),
      "hba.conf:1: group membership (\"+admins\") is not supported: the gateway has no roles");
  EXPECT_EQ(ErrorOf("host samerole all all trust\n"),
            "hba.conf:1: \"samerole\" is not supported: the gateway has no roles");
  // Quoted, "+admins" is just a user name.
  HbaRules rules = MustParse("host all \"+admins\" all trust\n");
  EXPECT_EQ(MethodFor(rules, Tcp("10.0.0.1", "+admins")), "trust");
}

TEST(HbaParse, PasswordOnlyOnHostssl) {
  for (const char* type : {"host", "hostnossl", "local"}) {
    std::string line = std::string(type) + " all all " +
                       (std::string(type) == "local" ? "" : "all ") + "password\n";
    EXPECT_EQ(ErrorOf(line),
              "hba.conf:1: the password method sends the password in clear text: it is allowed on "
              "hostssl rules only")
        << type;
  }
  MustParse("hostssl all all all password\n");
}

TEST(HbaMatch, ConnectionTypeAndTls) {
  HbaRules rules = MustParse(
      "hostssl   all all all scram-sha-256\n"
      "hostnossl all all 127.0.0.1/32 trust\n");
  EXPECT_EQ(MethodFor(rules, Tcp("10.0.0.1", "a", "d", true)), "scram-sha-256");
  EXPECT_EQ(MethodFor(rules, Tcp("10.0.0.1", "a", "d", false)), "none");
  EXPECT_EQ(MethodFor(rules, Tcp("127.0.0.1", "a", "d", false)), "trust");
  EXPECT_EQ(MethodFor(rules, Tcp("127.0.0.1", "a", "d", true)), "scram-sha-256");
  HbaClient local;
  local.local = true;
  local.user = "a";
  local.database = "d";
  EXPECT_EQ(MethodFor(rules, local), "none") << "host rules never match a Unix socket";
  EXPECT_EQ(MethodFor(MustParse("local all all reject\n"), local), "reject");
}

TEST(HbaMatch, GssEncRulesNeverMatchAndNoGssEncIsHost) {
  HbaRules rules = MustParse(
      "hostgssenc all all all trust\n"
      "hostnogssenc all all all reject\n");
  EXPECT_EQ(MethodFor(rules, Tcp("10.0.0.1")), "reject");
}

TEST(HbaMatch, FirstMatchWins) {
  HbaRules rules = MustParse(
      "host all bob all reject\n"
      "host all all 10.0.0.0/8 trust\n"
      "host all all all scram-sha-256\n");
  EXPECT_EQ(MethodFor(rules, Tcp("10.1.1.1", "bob")), "reject");
  EXPECT_EQ(MethodFor(rules, Tcp("10.1.1.1", "alice")), "trust");
  EXPECT_EQ(MethodFor(rules, Tcp("11.1.1.1", "alice")), "scram-sha-256");
  const HbaRule* r = rules.Match(Tcp("11.1.1.1"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->line, 3);
}

TEST(HbaMatch, DatabaseKeywords) {
  HbaRules ok = MustParse(
      "host sameuser all all trust\n"
      "host replication all all reject\n"
      "host \"sameuser\" all all scram-sha-256\n");
  EXPECT_EQ(MethodFor(ok, Tcp("10.0.0.1", "alice", "alice")), "trust");
  EXPECT_EQ(MethodFor(ok, Tcp("10.0.0.1", "alice", "app")), "none")
      << "replication matches no ordinary connection";
  EXPECT_EQ(MethodFor(ok, Tcp("10.0.0.1", "alice", "sameuser")), "scram-sha-256");
}

TEST(HbaMatch, Ipv4Cidr) {
  HbaRules r = MustParse(
      "host all all 192.168.0.0/16 trust\n"
      "host all all 10.1.2.3/32 scram-sha-256\n"
      "host all all 172.16.0.0/12 reject\n");
  EXPECT_EQ(MethodFor(r, Tcp("192.168.255.1")), "trust");
  EXPECT_EQ(MethodFor(r, Tcp("192.169.0.1")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("10.1.2.3")), "scram-sha-256");
  EXPECT_EQ(MethodFor(r, Tcp("10.1.2.4")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("172.31.255.255")), "reject");
  EXPECT_EQ(MethodFor(r, Tcp("172.32.0.0")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("::ffff:192.168.1.1")), "trust") << "IPv4-mapped is IPv4";
  EXPECT_EQ(MethodFor(r, Tcp("::1")), "none") << "an IPv6 client never matches an IPv4 rule";
}

TEST(HbaMatch, Ipv6Cidr) {
  HbaRules r = MustParse(
      "host all all ::1/128 trust\n"
      "host all all fd00::/8 scram-sha-256\n"
      "host all all 2001:db8:abcd::/49 reject\n");
  EXPECT_EQ(MethodFor(r, Tcp("::1")), "trust");
  EXPECT_EQ(MethodFor(r, Tcp("::2")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("fdff:1::5")), "scram-sha-256");
  EXPECT_EQ(MethodFor(r, Tcp("fe00::1")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("2001:db8:abcd:7fff::1")), "reject");
  EXPECT_EQ(MethodFor(r, Tcp("2001:db8:abcd:8000::1")), "none") << "bit 49 differs";
  EXPECT_EQ(MethodFor(r, Tcp("127.0.0.1")), "none");
}

TEST(HbaMatch, UnknownAddressMatchesOnlyAll) {
  HbaRules r = MustParse(
      "host all all 0.0.0.0/0 trust\n"
      "host all all all reject\n");
  HbaClient c;
  c.user = "a";
  c.database = "d";
  EXPECT_EQ(MethodFor(r, c), "reject");
}

TEST(HbaInclude, FilesListNamesAndNest) {
  std::map<std::string, std::string> files = {
      {"/etc/pgw/admins", "alice, bob\n# comment\ncarol @more\n"},
      {"/etc/pgw/more", "dave"},
      {"/abs/dbs", "app1 app2"},
  };
  HbaRules r = MustParse("host @/abs/dbs @admins all trust\n", files);
  EXPECT_EQ(MethodFor(r, Tcp("10.0.0.1", "dave", "app2")), "trust");
  EXPECT_EQ(MethodFor(r, Tcp("10.0.0.1", "carol", "app1")), "trust");
  EXPECT_EQ(MethodFor(r, Tcp("10.0.0.1", "eve", "app1")), "none");
  EXPECT_EQ(MethodFor(r, Tcp("10.0.0.1", "alice", "app3")), "none");
}

TEST(HbaInclude, MissingFileAndDeepNestingAreErrors) {
  EXPECT_EQ(ErrorOf("host all @nope all trust\n"),
            "hba.conf:1: @nope: no such file \"/etc/pgw/nope\"");
  std::map<std::string, std::string> loop = {{"/etc/pgw/self", "@self"}};
  EXPECT_EQ(ErrorOf("host all @self all trust\n", loop),
            "hba.conf:1: @self: includes nested deeper than 10 levels");
}

TEST(HbaShorthand, AutoTrustsLoopbackOnlyAndWantsTlsElsewhere) {
  Result<HbaRules> r = HbaRules::ForAuthMode("auto");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(MethodFor(*r, Tcp("127.0.0.1")), "trust");
  EXPECT_EQ(MethodFor(*r, Tcp("127.8.9.10")), "trust");
  EXPECT_EQ(MethodFor(*r, Tcp("::1")), "trust");
  EXPECT_EQ(MethodFor(*r, Tcp("10.0.0.5")), "none") << "nothing off loopback without TLS";
  EXPECT_EQ(MethodFor(*r, Tcp("10.0.0.5", "a", "d", true)), "scram-sha-256");
  EXPECT_EQ(MethodFor(*r, Tcp("2001:db8::1", "a", "d", true)), "scram-sha-256");
}

TEST(HbaShorthand, TrustAndScram) {
  Result<HbaRules> trust = HbaRules::ForAuthMode("trust");
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(MethodFor(*trust, Tcp("10.0.0.5")), "trust");
  Result<HbaRules> scram = HbaRules::ForAuthMode("scram-sha-256");
  ASSERT_TRUE(scram.ok());
  EXPECT_EQ(MethodFor(*scram, Tcp("127.0.0.1")), "scram-sha-256");
  EXPECT_EQ(MethodFor(*scram, Tcp("10.0.0.5")), "scram-sha-256");
  Result<HbaRules> bad = HbaRules::ForAuthMode("md5");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "invalid auth \"md5\": expected auto, trust or scram-sha-256");
}

TEST(HbaStoreTest, ReplaceKeepsOldSnapshotsValid) {
  HbaStore store(MustParse("host all all all trust\n"));
  std::shared_ptr<const HbaRules> before = store.Snapshot();
  store.Replace(MustParse("host all all all reject\n"));
  EXPECT_EQ(MethodFor(*before, Tcp("10.0.0.1")), "trust");
  EXPECT_EQ(MethodFor(*store.Snapshot(), Tcp("10.0.0.1")), "reject");
}

TEST(HbaFile, LoadFileResolvesIncludesBesideIt) {
  char tmpl[] = "/tmp/pgw_hba_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  {
    FILE* f = std::fopen((dir + "/rules.conf").c_str(), "w");
    std::fputs("host all @users 10.0.0.0/8 trust\nhost all all all reject\n", f);
    std::fclose(f);
    f = std::fopen((dir + "/users").c_str(), "w");
    std::fputs("alice\n", f);
    std::fclose(f);
  }
  Result<HbaRules> r = HbaRules::LoadFile(dir + "/rules.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(MethodFor(*r, Tcp("10.2.3.4", "alice")), "trust");
  EXPECT_EQ(MethodFor(*r, Tcp("10.2.3.4", "bob")), "reject");
  Result<HbaRules> missing = HbaRules::LoadFile(dir + "/absent.conf");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().sqlstate(), "58P01");
  std::remove((dir + "/rules.conf").c_str());
  std::remove((dir + "/users").c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace pgw
