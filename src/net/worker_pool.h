// WorkerPool: threads for blocking work (SQLite and ODBC calls, logins) that grow with demand.
// A task never waits long behind busy threads while the pool is below its cap: when the oldest
// queued task has waited start_delay, a thread is started for it (a supervisor thread watches
// the queue). Threads beyond the warm count retire after idle_retire of idleness. So a
// session's statement runs within start_delay even when every thread is busy with a long
// statement, as with PostgreSQL's process per session; a fixed pool made it wait until one of
// them ended.
//
// Why wait start_delay instead of starting a thread at once: under a load of short tasks
// (pgbench -S), the warm threads take queued tasks one after another without sleeping, while
// more threads each need a wake-up per task. Starting at once looked about 10% slower in
// pgbench -S -M prepared on 2 cores (README, "Backend threads grow with demand"; the runs vary
// nearly as much); a queue wait of 2 ms is far above what short tasks cause.
//
// The cap exists only as a bound: the gateway gives at most one task per connection at a time
// (ServeConnection waits for its task), so a cap of max_connections is never reached in
// practice. At the cap, tasks queue in posting order.
//
// Thread-safe. The destructor runs every task already posted, then joins all threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pgw {

class WorkerPool {
 public:
  // A unit of work. Move-only work (a coroutine's completion handler) fits in a subclass.
  class Task {
   public:
    virtual ~Task() = default;
    virtual void Run() = 0;
  };

  struct Options {
    std::string name = "pgw-worker";  // thread name, for ps/top/gdb (at most 15 characters)
    int warm = 2;                     // started up front, never retired
    int max = 64;                     // REQUIRES: max >= warm >= 1
    std::chrono::milliseconds idle_retire{5000};
    // How long the oldest queued task may wait before a thread is started for it (0 = start
    // one at once whenever no thread is idle).
    std::chrono::microseconds start_delay{2000};
  };

  explicit WorkerPool(Options options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Post(std::unique_ptr<Task> task);

  // Posts any callable (copied or moved into the task).
  template <typename F>
  void Post(F f) {
    struct Fn final : Task {
      explicit Fn(F fn) : fn(std::move(fn)) {}
      void Run() override { fn(); }
      F fn;
    };
    Post(std::unique_ptr<Task>(new Fn(std::move(f))));
  }

  // Live threads (for tests and the startup log).
  int threads() const;
  const Options& options() const { return options_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Queued {
    std::unique_ptr<Task> task;
    Clock::time_point posted;
  };

  void StartThreadLocked();
  void WorkerLoop(std::list<std::thread>::iterator self);
  void SupervisorLoop();
  void JoinRetiredLocked();

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable supervisor_wake_;
  std::deque<Queued> queue_;
  std::list<std::thread> threads_;
  // Threads that retired and wait to be joined (they no longer touch the pool once listed).
  std::vector<std::list<std::thread>::iterator> retired_;
  int live_ = 0;  // threads not retired
  int idle_ = 0;  // threads waiting for work
  bool stopping_ = false;
  bool supervisor_parked_ = false;  // waiting without a deadline: Post() must wake it
  std::thread supervisor_;
};

}  // namespace pgw
