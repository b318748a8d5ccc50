// IoThreads: the I/O threads, each running its own single-threaded event loop (io_context).
// A connection lives on one loop for its whole life (its coroutine, socket and timers), so the
// I/O path needs no strands and takes no locks; new connections are spread round-robin. Loop 0
// also runs the listeners and signal handling. Thread-safe: Next() and Stop() may be called from
// any thread.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace pgw {

class IoThreads {
 public:
  // REQUIRES: n >= 1.
  explicit IoThreads(int n);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  asio::io_context& main() { return *loops_.front(); }
  // The loop for the next new connection.
  asio::io_context& Next();
  size_t size() const { return loops_.size(); }

  // Runs loop 0 on the calling thread and the others on their own threads; returns once Stop()
  // was called and every loop has returned.
  void Run();
  void Stop();

 private:
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  std::vector<Guard> guards_;  // keep loops without connections running until Stop()
  std::vector<std::thread> threads_;
  std::atomic<size_t> next_{0};
};

}  // namespace pgw
