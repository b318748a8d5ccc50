// DeadlineScheduler: one thread that runs callbacks when their deadline passes (statement
// timeouts: the callback cancels the session's running statement). Cancel() guarantees that
// once it returns the callback is neither running nor will run, so a session can cancel its
// timer and be destroyed safely. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace pgw {

class DeadlineScheduler {
 public:
  using Id = uint64_t;
  DeadlineScheduler();
  ~DeadlineScheduler();
  DeadlineScheduler(const DeadlineScheduler&) = delete;
  DeadlineScheduler& operator=(const DeadlineScheduler&) = delete;

  Id Schedule(std::chrono::milliseconds after, std::function<void()> fn);
  void Cancel(Id id);

 private:
  using Clock = std::chrono::steady_clock;
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> queue_;
  std::map<Id, Clock::time_point> due_;
  Id next_id_ = 1;
  Id running_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace pgw
