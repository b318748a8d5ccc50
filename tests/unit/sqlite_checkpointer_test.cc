// The background WAL checkpointer: a commit that fills the WAL returns without copying it, and
// the checkpointer thread copies it into the database file soon after.
#include "backend/sqlite/sqlite_checkpointer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "sqlite_test_util.h"

namespace pgw {
namespace {

using testing::Connect;
using testing::Exec;
using testing::One;
using testing::TempDbPath;

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// Waits up to 20 s for the database file to reach `bytes`.
bool WaitForFileSize(const std::string& path, int64_t bytes) {
  for (int i = 0; i < 2000; ++i) {
    if (FileSize(path) >= bytes) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

constexpr int64_t kPayloadBytes = 8 << 20;  // well past kCheckpointPages of 4 KiB pages

void WriteBigTable(BackendSession& s) {
  ASSERT_TRUE(Exec(s, "CREATE TABLE big (id integer PRIMARY KEY, payload blob)").ok());
  ASSERT_TRUE(Exec(s, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
                          std::to_string(kPayloadBytes / 8192) +
                          ") INSERT INTO big SELECT x, randomblob(8192) FROM n")
                  .ok());
}

// Opens the file database at `path` and writes the big table through a session of it.
struct Written {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<BackendSession> session;
};

Written OpenAndWrite(const std::string& path, bool exclusive) {
  SqliteOptions options;
  options.path = path;
  options.exclusive = exclusive;
  auto backend = OpenSqliteBackend(options);
  EXPECT_TRUE(backend.ok()) << backend.status().message();
  if (!backend.ok()) return {};
  Written w{std::move(*backend), nullptr};
  w.session = Connect(*w.backend);
  EXPECT_NE(w.session, nullptr);
  if (w.session != nullptr) WriteBigTable(*w.session);
  return w;
}

TEST(SqliteCheckpointer, ExclusiveFileDatabaseIsCheckpointedInTheBackground) {
  TempDbPath path;
  Written w = OpenAndWrite(path.path(), true);
  ASSERT_NE(w.session, nullptr);
  // The rows went to the WAL; the checkpointer copies them into the database file.
  EXPECT_TRUE(WaitForFileSize(path.path(), kPayloadBytes)) << FileSize(path.path());
  // And the WAL is reused afterwards instead of growing: a second write of the same size
  // leaves it no larger than twice the first.
  const int64_t wal_after_first = FileSize(path.path() + "-wal");
  ASSERT_TRUE(Exec(*w.session, "UPDATE big SET payload = randomblob(8192)").ok());
  ASSERT_TRUE(WaitForFileSize(path.path(), kPayloadBytes));
  EXPECT_LE(FileSize(path.path() + "-wal"), 2 * wal_after_first + (1 << 20));
  EXPECT_EQ(One(*w.session, "SELECT count(*) FROM big"), std::to_string(kPayloadBytes / 8192));
}

TEST(SqliteCheckpointer, SharedFileDatabaseIsCheckpointedInTheBackground) {
  TempDbPath path;
  Written w = OpenAndWrite(path.path(), false);
  ASSERT_NE(w.session, nullptr);
  EXPECT_TRUE(WaitForFileSize(path.path(), kPayloadBytes)) << FileSize(path.path());
}

TEST(SqliteCheckpointer, DestroyedWithoutEverRunning) {
  // No commit ever woke it: no thread was started, and the destructor returns at once.
  WalCheckpointer idle("/nonexistent/dir/x.db", nullptr);
}

}  // namespace
}  // namespace pgw
