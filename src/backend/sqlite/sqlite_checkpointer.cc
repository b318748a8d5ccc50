// The background WAL checkpointer of a file database.
#include "backend/sqlite/sqlite_checkpointer.h"

#include <cstring>
#include <system_error>

namespace pgw {

WalCheckpointer::WalCheckpointer(std::string uri, const char* vfs)
    : uri_(std::move(uri)), vfs_(vfs) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WalCheckpointer::Attach(sqlite3* db) { sqlite3_wal_hook(db, &WalCheckpointer::WalHook, this); }

int WalCheckpointer::WalHook(void* arg, sqlite3* /*db*/, const char* schema, int wal_pages) {
  if (wal_pages >= kCheckpointPages && std::strcmp(schema, "main") == 0) {
    static_cast<WalCheckpointer*>(arg)->Wake();
  }
  return SQLITE_OK;
}

void WalCheckpointer::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    pending_ = true;
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { Run(); });
      } catch (const std::system_error&) {
        // No thread to be had: the WAL keeps growing until one can be started (the next
        // commit past the threshold tries again), and the last connection's close
        // checkpoints it.
        return;
      }
    }
  }
  cv_.notify_one();
}

void WalCheckpointer::Run() {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  if (sqlite3_open_v2(uri_.c_str(), &db, flags, vfs_) != SQLITE_OK) {
    // Without a connection there is nothing to do: the database file's own connections still
    // checkpoint it when the last one closes.
    sqlite3_close_v2(db);
    return;
  }
  // A connection opens the WAL at its first read: until then a checkpoint does nothing.
  (void)sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || pending_; });
    if (stop_) break;
    pending_ = false;
    lock.unlock();
    // PASSIVE: copies the frames no reader still needs, waits for no lock; a busy outcome
    // (another checkpoint, or the WAL being restarted) is simply tried again on the next wake.
    (void)sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
  lock.unlock();
  sqlite3_close_v2(db);
}

}  // namespace pgw
