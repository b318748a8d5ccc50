// WalCheckpointer: moves WAL checkpoints of a file database off the sessions' threads. With
// SQLite's default autocheckpoint, the statement whose commit takes the WAL past 1000 pages
// copies the whole WAL into the database file before it returns: a 1,000,000-row COPY FROM
// waited about 0.5 s for that after its last row. PostgreSQL's own checkpointer process does
// this work in the background; so does this thread. Every session connection registers
// WalHook (which replaces SQLite's autocheckpoint); a commit that leaves kCheckpointPages or
// more in the WAL wakes the thread, which runs a PASSIVE checkpoint on a connection of its own
// (it never blocks readers or the writer, and copies what no reader still needs).
//
// Thread-safety: WalHook may be called from any thread; the object must outlive
// every connection that registered it (they hold it by shared_ptr).
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace pgw {

// Pages in the WAL after a commit that start a checkpoint: SQLite's autocheckpoint default.
inline constexpr int kCheckpointPages = 1000;

class WalCheckpointer {
 public:
  // `uri` and `vfs` as the sessions open the database (vfs may be null: the default).
  WalCheckpointer(std::string uri, const char* vfs);
  // Stops the thread after the checkpoint it runs, if any, and closes its connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Registers the hook on `db` (a connection in WAL mode).
  void Attach(sqlite3* db);
  // sqlite3_wal_hook callback: `arg` is the WalCheckpointer.
  static int WalHook(void* arg, sqlite3* db, const char* schema, int wal_pages);

 private:
  void Run();
  void Wake();

  const std::string uri_;
  const char* const vfs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;  // guarded by mu_
  bool stop_ = false;     // guarded by mu_
  std::thread thread_;    // started by the first Wake
};

}  // namespace pgw
