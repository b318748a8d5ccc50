// ProtocolSession's front door, driven byte by byte against the real embedded backend: the access
// rules decide the method (trust, reject, no matching rule, SCRAM, clear-text password over TLS),
// failed logins look alike and are answered after the configured delay without blocking, and the
// per-user / per-database caps refuse with PostgreSQL's messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auth/credential_store.h"
#include "auth/hba.h"
#include "backend/sqlite/sqlite_backend.h"
#include "common/byte_io.h"
#include "protocol/startup.h"
#include "session/session.h"

namespace pgw {
namespace {

struct Msg {
  char type;
  std::string body;
};

std::vector<Msg> Split(std::string_view out) {
  std::vector<Msg> msgs;
  while (out.size() >= 5) {
    ByteReader r(out.substr(1, 4));
    uint32_t len = 0;
    EXPECT_TRUE(r.ReadUInt32(&len));
    msgs.push_back({out[0], std::string(out.substr(5, len - 4))});
    out.remove_prefix(1 + len);
  }
  EXPECT_TRUE(out.empty());
  return msgs;
}

std::string Types(const std::vector<Msg>& msgs) {
  std::string t;
  for (const Msg& m : msgs) t += m.type;
  return t;
}

// The 'M' (or other) field of an ErrorResponse body.
std::string Field(const Msg& m, char code) {
  size_t pos = 0;
  while (pos < m.body.size() && m.body[pos] != '\0') {
    size_t end = m.body.find('\0', pos + 1);
    if (m.body[pos] == code) return m.body.substr(pos + 1, end - pos - 1);
    pos = end + 1;
  }
  return "";
}

int32_t AuthCode(const Msg& m) {
  ByteReader r(m.body);
  int32_t code = -1;
  EXPECT_TRUE(r.ReadInt32(&code));
  return code;
}

std::string Startup(const std::string& user, const std::string& db) {
  std::string body;
  ByteWriter w(&body);
  w.PutInt32(kProtocolVersion3);
  w.PutCString("user");
  w.PutCString(user);
  w.PutCString("database");
  w.PutCString(db);
  w.PutByte(0);
  std::string packet;
  ByteWriter p(&packet);
  p.PutInt32(static_cast<int32_t>(body.size() + 4));
  p.PutBytes(body);
  return packet;
}

std::string PasswordMessage(const std::string& password) {
  std::string out;
  ByteWriter w(&out);
  w.PutByte('p');
  w.PutInt32(static_cast<int32_t>(password.size() + 5));
  w.PutCString(password);
  return out;
}

class SessionAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgw_session_auth_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_TRUE(CredentialStore::SetPassword(dir_ + "/users", "alice", "s3cret").ok());
    ASSERT_TRUE(users_.Load(dir_ + "/users").ok());
    SqliteOptions opts;
    opts.path = ":memory:";
    Result<std::unique_ptr<Backend>> b = OpenSqliteBackend(opts);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    backend_ = std::move(b).value();
    ctx_.backend = backend_.get();
    ctx_.users = &users_;
    ctx_.cancels = &cancels_;
    ctx_.translations = &translations_;
    ctx_.active_connections = &active_;
    ctx_.shutting_down = &shutting_down_;
    SetRules("auto");
  }
  void TearDown() override {
    ::unlink((dir_ + "/users").c_str());
    ::rmdir(dir_.c_str());
  }

  void SetRules(const std::string& mode_or_text) {
    Result<HbaRules> r = HbaRules::ForAuthMode(mode_or_text);
    if (!r.ok()) r = HbaRules::Parse(mode_or_text, "test", ".", nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    hba_ = std::make_unique<HbaStore>(std::move(r).value());
    ctx_.hba = hba_.get();
  }

  std::unique_ptr<ProtocolSession> NewSession(std::string address, bool tls = false) {
    ClientInfo c;
    c.address = std::move(address);
    c.tls = tls;
    return std::make_unique<ProtocolSession>(ctx_, std::move(c));
  }

  // Feeds `bytes`; returns the messages produced and the step.
  std::vector<Msg> Feed(ProtocolSession& s, const std::string& bytes,
                        ProtocolSession::Step* step = nullptr) {
    std::string_view in = bytes;
    std::string out;
    ProtocolSession::Step st = s.Process(&in, &out);
    if (step) *step = st;
    EXPECT_TRUE(in.empty());
    return Split(out);
  }

  std::string dir_;
  CredentialStore users_;
  CancelRegistry cancels_;
  TranslationCache translations_;
  std::atomic<int> active_{0};
  std::atomic<bool> shutting_down_{false};
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<HbaStore> hba_;
  GatewayContext ctx_;
};

TEST_F(SessionAuthTest, AutoTrustsLoopback) {
  auto s = NewSession("127.0.0.1");
  std::vector<Msg> m = Feed(*s, Startup("anyone", "db"));
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.front().type, 'R');
  EXPECT_EQ(AuthCode(m.front()), 0);
  EXPECT_EQ(m.back().type, 'Z');
}

TEST_F(SessionAuthTest, AutoRefusesPlaintextOffLoopbackWithPostgresMessage) {
  auto s = NewSession("10.1.2.3");
  ProtocolSession::Step step;
  std::vector<Msg> m = Feed(*s, Startup("alice", "app"), &step);
  ASSERT_EQ(Types(m), "E");
  EXPECT_EQ(Field(m[0], 'S'), "FATAL");
  EXPECT_EQ(Field(m[0], 'C'), "28000");
  EXPECT_EQ(Field(m[0], 'M'),
            "no pg_hba.conf entry for host \"10.1.2.3\", user \"alice\", database \"app\", no "
            "encryption");
  EXPECT_EQ(step, ProtocolSession::Step::kClose);
  EXPECT_EQ(active_.load(), 0) << "the refused session gave its slot back";
}

TEST_F(SessionAuthTest, AutoAsksScramOverTlsWithPlusOffered) {
  ClientInfo c;
  c.address = "10.1.2.3";
  c.tls = true;
  c.tls_server_end_point = std::string(32, 'x');
  ProtocolSession s(ctx_, c);
  std::vector<Msg> m = Feed(s, Startup("alice", "app"));
  ASSERT_EQ(Types(m), "R");
  EXPECT_EQ(AuthCode(m[0]), 10);
  EXPECT_EQ(m[0].body.substr(4), std::string("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0", 34));
}

TEST_F(SessionAuthTest, RejectRuleUsesRejectMessage) {
  SetRules("host all mallory all reject\nhost all all all trust\n");
  auto s = NewSession("127.0.0.1");
  std::vector<Msg> m = Feed(*s, Startup("mallory", "app"));
  ASSERT_EQ(Types(m), "E");
  EXPECT_EQ(Field(m[0], 'C'), "28000");
  EXPECT_EQ(Field(m[0], 'M'),
            "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"mallory\", database "
            "\"app\", no encryption");
  auto ok = NewSession("127.0.0.1");
  EXPECT_EQ(Feed(*ok, Startup("alice", "app")).back().type, 'Z');
}

TEST_F(SessionAuthTest, ReloadedRulesApplyToNewLoginsOnly) {
  SetRules("host all all all trust\n");
  auto before = NewSession("127.0.0.1");
  ASSERT_EQ(Feed(*before, Startup("alice", "app")).back().type, 'Z');
  Result<HbaRules> strict = HbaRules::Parse("host all all all reject\n", "test", ".", nullptr);
  ASSERT_TRUE(strict.ok());
  hba_->Replace(std::move(strict).value());
  auto after = NewSession("127.0.0.1");
  EXPECT_EQ(Types(Feed(*after, Startup("alice", "app"))), "E");
  // The established session keeps working.
  std::string q;
  ByteWriter w(&q);
  w.PutByte('Q');
  w.PutInt32(13);
  w.PutCString("SELECT 1");
  EXPECT_EQ(Types(Feed(*before, q)), "TDCZ");
}

TEST_F(SessionAuthTest, PasswordMethodOverTls) {
  SetRules("hostssl all all all password\n");
  auto s = NewSession("10.0.0.9", /*tls=*/true);
  std::vector<Msg> m = Feed(*s, Startup("alice", "app"));
  ASSERT_EQ(Types(m), "R");
  EXPECT_EQ(AuthCode(m[0]), 3) << "AuthenticationCleartextPassword";
  m = Feed(*s, PasswordMessage("s3cret"));
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(AuthCode(m[0]), 0);
  EXPECT_EQ(m.back().type, 'Z');
}

TEST_F(SessionAuthTest, PasswordMethodIsNotOfferedWithoutTls) {
  SetRules("hostssl all all all password\n");
  auto s = NewSession("10.0.0.9", /*tls=*/false);
  std::vector<Msg> m = Feed(*s, Startup("alice", "app"));
  ASSERT_EQ(Types(m), "E");
  EXPECT_EQ(Field(m[0], 'C'), "28000");
}

TEST_F(SessionAuthTest, WrongPasswordAndUnknownUserFailAlike) {
  SetRules("hostssl all all all password\n");
  std::vector<std::pair<std::string, std::string>> cases = {
      {"alice", "wrong"}, {"nobody", "s3cret"}, {"alice", ""}};
  for (const auto& [user, password] : cases) {
    auto s = NewSession("10.0.0.9", true);
    ASSERT_EQ(AuthCode(Feed(*s, Startup(user, "app"))[0]), 3) << user;
    ProtocolSession::Step step;
    std::vector<Msg> m = Feed(*s, PasswordMessage(password), &step);
    ASSERT_EQ(Types(m), "E") << user;
    EXPECT_EQ(Field(m[0], 'S'), "FATAL");
    EXPECT_EQ(Field(m[0], 'C'), "28P01");
    EXPECT_EQ(Field(m[0], 'M'), "password authentication failed for user \"" + user + "\"");
    EXPECT_EQ(step, ProtocolSession::Step::kClose);
  }
}

TEST_F(SessionAuthTest, FailureIsAnsweredAfterTheDelayWithoutBlocking) {
  SetRules("hostssl all all all password\n");
  ctx_.auth_failure_delay_ms = 250;
  auto s = NewSession("10.0.0.9", true);
  Feed(*s, Startup("alice", "app"));
  ProtocolSession::Step step;
  std::vector<Msg> m = Feed(*s, PasswordMessage("wrong"), &step);
  EXPECT_TRUE(m.empty()) << "nothing is said before the delay";
  ASSERT_EQ(step, ProtocolSession::Step::kDelay);
  EXPECT_EQ(s->delay(), std::chrono::milliseconds(250));
  EXPECT_TRUE(s->in_startup());
  // The transport waits on a timer, then calls Process again (no input).
  m = Feed(*s, "", &step);
  ASSERT_EQ(Types(m), "E");
  EXPECT_EQ(Field(m[0], 'C'), "28P01");
  EXPECT_EQ(step, ProtocolSession::Step::kClose);
  EXPECT_TRUE(s->closed());
  EXPECT_EQ(active_.load(), 0);
}

TEST_F(SessionAuthTest, SuccessfulLoginIsNotDelayed) {
  SetRules("hostssl all all all password\n");
  ctx_.auth_failure_delay_ms = 250;
  auto s = NewSession("10.0.0.9", true);
  Feed(*s, Startup("alice", "app"));
  ProtocolSession::Step step;
  std::vector<Msg> m = Feed(*s, PasswordMessage("s3cret"), &step);
  EXPECT_NE(step, ProtocolSession::Step::kDelay);
  EXPECT_EQ(m.back().type, 'Z');
}

TEST_F(SessionAuthTest, PerUserAndPerDatabaseCaps) {
  ConnectionLimits limits(/*max_per_user=*/2, /*max_per_database=*/3);
  ctx_.limits = &limits;
  std::vector<std::unique_ptr<ProtocolSession>> live;
  for (int i = 0; i < 2; ++i) {
    live.push_back(NewSession("127.0.0.1"));
    ASSERT_EQ(Feed(*live.back(), Startup("alice", "app")).back().type, 'Z');
  }
  auto third = NewSession("127.0.0.1");
  std::vector<Msg> m = Feed(*third, Startup("alice", "app"));
  ASSERT_EQ(Types(m), "RE") << "PostgreSQL checks the caps after AuthenticationOk";
  EXPECT_EQ(Field(m[1], 'S'), "FATAL");
  EXPECT_EQ(Field(m[1], 'C'), "53300");
  EXPECT_EQ(Field(m[1], 'M'), "too many connections for role \"alice\"");
  live.push_back(NewSession("127.0.0.1"));
  ASSERT_EQ(Feed(*live.back(), Startup("bob", "app")).back().type, 'Z');
  auto fourth = NewSession("127.0.0.1");
  m = Feed(*fourth, Startup("carol", "app"));
  ASSERT_EQ(Types(m), "RE");
  EXPECT_EQ(Field(m[1], 'M'), "too many connections for database \"app\"");
  EXPECT_EQ(limits.UserCount("alice"), 2);
  EXPECT_EQ(limits.DatabaseCount("app"), 3);
  // Closing a session frees its place.
  live.front()->Close();
  EXPECT_EQ(limits.UserCount("alice"), 1);
  auto again = NewSession("127.0.0.1");
  EXPECT_EQ(Feed(*again, Startup("alice", "other")).back().type, 'Z');
  for (auto& s : live) s->Close();
  again->Close();
  EXPECT_EQ(limits.DatabaseCount("app"), 0);
  ctx_.limits = nullptr;
}

}  // namespace
}  // namespace pgw
