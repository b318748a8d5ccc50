#include "net/worker_pool.h"

#include <pthread.h>

#include <utility>

namespace pgw {

WorkerPool::WorkerPool(Options options) : options_(std::move(options)) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < options_.warm; ++i) StartThreadLocked();
  if (options_.max > options_.warm && options_.start_delay.count() > 0) {
    supervisor_ = std::thread([this] { SupervisorLoop(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  has_work_.notify_all();
  supervisor_wake_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  // No thread is started once stopping_ is set, so the list is stable; retired threads are
  // still joinable.
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Post(std::unique_ptr<Task> task) {
  bool wake_supervisor = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    JoinRetiredLocked();
    queue_.push_back(Queued{std::move(task), Clock::now()});
    if (queue_.size() > static_cast<size_t>(idle_) && live_ < options_.max) {
      if (options_.start_delay.count() == 0) {
        StartThreadLocked();
      } else if (supervisor_parked_) {
        supervisor_parked_ = false;
        wake_supervisor = true;
      }
    }
  }
  has_work_.notify_one();
  if (wake_supervisor) supervisor_wake_.notify_one();
}

int WorkerPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_;
}

void WorkerPool::StartThreadLocked() {
  ++live_;
  ++idle_;  // counted as free until it takes a task, so no second thread starts for that task
  threads_.emplace_back();
  auto self = std::prev(threads_.end());
  *self = std::thread([this, self] { WorkerLoop(self); });
}

void WorkerPool::JoinRetiredLocked() {
  for (auto it : retired_) {
    it->join();  // the thread has left WorkerLoop, or is about to: it holds nothing of ours
    threads_.erase(it);
  }
  retired_.clear();
}

void WorkerPool::SupervisorLoop() {
  pthread_setname_np(pthread_self(), "pgw-pool-grow");
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (queue_.size() <= static_cast<size_t>(idle_) || live_ >= options_.max) {
      // Nothing waits for a thread (or none may start): sleep until Post() says otherwise.
      // A thread counted idle may still be on its way to the queue, so look again after a
      // while rather than trusting the count forever.
      supervisor_parked_ = true;
      supervisor_wake_.wait_for(lock, options_.idle_retire);
      supervisor_parked_ = false;
      continue;
    }
    // queue_[idle_] is the oldest task that no idle thread will take.
    Clock::time_point due = queue_[static_cast<size_t>(idle_)].posted + options_.start_delay;
    if (Clock::now() >= due) {
      StartThreadLocked();
      continue;
    }
    supervisor_wake_.wait_until(lock, due);
  }
}

void WorkerPool::WorkerLoop(std::list<std::thread>::iterator self) {
  pthread_setname_np(pthread_self(), options_.name.substr(0, 15).c_str());
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!queue_.empty()) {
      std::unique_ptr<Task> task = std::move(queue_.front().task);
      queue_.pop_front();
      --idle_;
      lock.unlock();
      task->Run();
      task.reset();  // a completion handler may own a coroutine frame: destroy it unlocked
      lock.lock();
      ++idle_;
      continue;
    }
    if (stopping_) return;
    if (has_work_.wait_for(lock, options_.idle_retire) == std::cv_status::timeout &&
        queue_.empty() && !stopping_ && live_ > options_.warm) {
      --live_;
      --idle_;
      retired_.push_back(self);
      return;
    }
  }
}

}  // namespace pgw
