// WorkerPool: a task does not wait for a busy thread to finish below the cap, the cap bounds the
// threads, idle extra threads retire, and the destructor runs what was posted. Waits are
// bounded (kPatience) so that a broken pool fails the test instead of hanging it; nothing here
// measures speed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "net/worker_pool.h"

namespace pgw {
namespace {

constexpr std::chrono::seconds kPatience{20};

// A gate that tasks block on until it opens, counting who has arrived.
class Gate {
 public:
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    ++arrived_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool WaitArrived(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return arrived_ >= n; });
  }
  int arrived() {
    std::lock_guard<std::mutex> lock(mu_);
    return arrived_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;
  bool open_ = false;
};

class WorkerPoolGrowth : public ::testing::TestWithParam<int> {};

// With a start delay (the default) and without one.
TEST_P(WorkerPoolGrowth, TaskRunsWhileEveryWarmThreadIsBusy) {
  WorkerPool pool({.warm = 2, .max = 16, .start_delay = std::chrono::microseconds(GetParam())});
  Gate long_tasks;
  for (int i = 0; i < 6; ++i) pool.Post([&] { long_tasks.Pass(); });
  // All six run at once: the pool started four threads beyond the two warm ones.
  ASSERT_TRUE(long_tasks.WaitArrived(6));
  Gate short_task;
  pool.Post([&] { short_task.Pass(); });
  EXPECT_TRUE(short_task.WaitArrived(1)) << "a task waited behind busy threads";
  EXPECT_EQ(pool.threads(), 7);
  short_task.Open();
  long_tasks.Open();
}

INSTANTIATE_TEST_SUITE_P(StartDelay, WorkerPoolGrowth, ::testing::Values(0, 2000));

TEST(WorkerPool, CapBoundsThreads) {
  WorkerPool pool({.warm = 1, .max = 2});
  Gate busy;
  pool.Post([&] { busy.Pass(); });
  pool.Post([&] { busy.Pass(); });
  ASSERT_TRUE(busy.WaitArrived(2));
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) pool.Post([&] { ++done; });
  EXPECT_EQ(pool.threads(), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(done.load(), 0) << "a task ran beyond the cap";
  busy.Open();
  auto until = std::chrono::steady_clock::now() + kPatience;
  while (done.load() < 5 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(done.load(), 5);
  EXPECT_EQ(pool.threads(), 2);
}

TEST(WorkerPool, IdleExtraThreadsRetireDownToTheWarmCount) {
  WorkerPool pool({.warm = 1, .max = 8, .idle_retire = std::chrono::milliseconds(20)});
  Gate gate;
  for (int i = 0; i < 4; ++i) pool.Post([&] { gate.Pass(); });
  ASSERT_TRUE(gate.WaitArrived(4));
  EXPECT_EQ(pool.threads(), 4);
  gate.Open();
  auto until = std::chrono::steady_clock::now() + kPatience;
  while (pool.threads() > 1 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(pool.threads(), 1);
  // Retired threads are joined on the next post; the pool still works.
  Gate after;
  pool.Post([&] { after.Pass(); });
  EXPECT_TRUE(after.WaitArrived(1));
  after.Open();
}

// Also: tasks leave the queue in posting order (one thread, so they run in that order).
TEST(WorkerPool, DestructorRunsEveryPostedTaskInOrder) {
  std::vector<int> ran;  // only the pool's one thread touches it until the pool is gone
  {
    WorkerPool pool({.warm = 1, .max = 1});
    for (int i = 0; i < 100; ++i) {
      pool.Post([&ran, i] { ran.push_back(i); });
    }
  }
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[i], i);
}

TEST(WorkerPool, MoveOnlyTasks) {
  std::atomic<int> seen{0};
  {
    WorkerPool pool({.warm = 1, .max = 1});
    auto value = std::make_unique<int>(42);
    pool.Post([&seen, value = std::move(value)] { seen = *value; });
  }
  EXPECT_EQ(seen.load(), 42);
}

}  // namespace
}  // namespace pgw
