// SessionSettings: the millisecond settings asked before every statement follow every way the
// settings change (SET, RESET, RESET ALL, a transaction's snapshot restored, SET LOCAL's
// CopyFrom), though they are cached between changes.
#include "session/settings.h"

#include <gtest/gtest.h>

namespace pgw {
namespace {

void SetOne(SessionSettings& s, const char* name, const char* value) {
  std::vector<std::pair<std::string, std::string>> reported;
  ASSERT_TRUE(s.Set(name, {value}, &reported).ok()) << name << " = " << value;
}

TEST(SessionSettings, TimeoutsFollowEveryChange) {
  SessionSettings s("15.0");
  EXPECT_EQ(s.statement_timeout_ms(), 0);
  SetOne(s, "statement_timeout", "5s");
  EXPECT_EQ(s.statement_timeout_ms(), 5000);
  SessionSettings snapshot = s;  // BEGIN keeps one
  SetOne(s, "statement_timeout", "250");
  SetOne(s, "idle_session_timeout", "1min");
  EXPECT_EQ(s.statement_timeout_ms(), 250);
  EXPECT_EQ(s.idle_session_timeout_ms(), 60000);
  s = snapshot;  // ROLLBACK
  EXPECT_EQ(s.statement_timeout_ms(), 5000);
  EXPECT_EQ(s.idle_session_timeout_ms(), 0);
  SessionSettings local = s;
  SetOne(local, "idle_in_transaction_session_timeout", "2s");
  s.CopyFrom(local, "idle_in_transaction_session_timeout");
  EXPECT_EQ(s.idle_in_transaction_timeout_ms(), 2000);
  ASSERT_TRUE(s.Reset("statement_timeout", nullptr).ok());
  EXPECT_EQ(s.statement_timeout_ms(), 0);
  SetOne(s, "statement_timeout", "3s");
  EXPECT_EQ(s.statement_timeout_ms(), 3000);
  s.ResetAll(nullptr);
  EXPECT_EQ(s.statement_timeout_ms(), 0);
  EXPECT_EQ(s.idle_in_transaction_timeout_ms(), 0);
}

}  // namespace
}  // namespace pgw
