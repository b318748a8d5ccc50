#include "session/deadline_scheduler.h"

namespace pgw {

DeadlineScheduler::DeadlineScheduler() : thread_([this] { Run(); }) {}

DeadlineScheduler::~DeadlineScheduler() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

DeadlineScheduler::Id DeadlineScheduler::Schedule(std::chrono::milliseconds after,
                                                  std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  Id id = next_id_++;
  Clock::time_point when = Clock::now() + after;
  queue_.emplace(std::make_pair(when, id), std::move(fn));
  due_[id] = when;
  cv_.notify_all();
  return id;
}

void DeadlineScheduler::Cancel(Id id) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = due_.find(id);
  if (it != due_.end()) {
    queue_.erase(std::make_pair(it->second, id));
    due_.erase(it);
  }
  done_cv_.wait(lock, [&] { return running_ != id; });
}

void DeadlineScheduler::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    // A copy: wait_until reads its deadline again after waking, and a Cancel() during the wait
    // may have erased the entry it would otherwise refer to (found by the ASan step).
    const Clock::time_point when = first->first.first;
    if (when > Clock::now()) {
      cv_.wait_until(lock, when);
      continue;
    }
    Id id = first->first.second;
    std::function<void()> fn = std::move(first->second);
    queue_.erase(first);
    due_.erase(id);
    running_ = id;
    lock.unlock();
    fn();
    lock.lock();
    running_ = 0;
    done_cv_.notify_all();
  }
}

}  // namespace pgw
