#include "net/io_threads.h"

#include <algorithm>

namespace pgw {

IoThreads::IoThreads(int n) {
  for (int i = 0; i < std::max(1, n); ++i) {
    // Concurrency hint 1: each loop is run by exactly one thread.
    loops_.push_back(std::make_unique<asio::io_context>(1));
    guards_.push_back(asio::make_work_guard(*loops_.back()));
  }
}

IoThreads::~IoThreads() {
  Stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

asio::io_context& IoThreads::Next() {
  return *loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
}

void IoThreads::Run() {
  for (size_t i = 1; i < loops_.size(); ++i) {
    threads_.emplace_back([this, i] { loops_[i]->run(); });
  }
  loops_.front()->run();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void IoThreads::Stop() {
  for (auto& g : guards_) g.reset();
  for (auto& l : loops_) l->stop();
}

}  // namespace pgw
