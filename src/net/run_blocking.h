// RunBlocking: runs a blocking function on a WorkerPool and resumes the calling coroutine on its
// own executor with the result (or the exception f threw). This is how blocking backend work
// (SQLite, ODBC) stays off the I/O threads: the I/O thread only ever waits, never blocks. The
// completion is posted to the coroutine's associated executor, which counts it as outstanding
// work until then, as Asio's asynchronous operations do.
#pragma once

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/execution/outstanding_work.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>
#include <asio/use_awaitable.hpp>

#include <exception>
#include <type_traits>
#include <utility>

#include "net/worker_pool.h"

namespace pgw {

// REQUIRES: f's result is default-constructible and movable; f outlives the call (it does: the
// awaiting coroutine is suspended until the result is back).
template <typename F>
asio::awaitable<std::invoke_result_t<F&>> RunBlocking(WorkerPool& pool, F f) {
  using R = std::invoke_result_t<F&>;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(std::exception_ptr, R)>(
      [&pool, &f](auto handler) {
        auto work = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        pool.Post([&f, handler = std::move(handler), work = std::move(work)]() mutable {
          std::exception_ptr error;
          R result{};
          try {
            result = f();
          } catch (...) {
            error = std::current_exception();
          }
          asio::post(work,
                     [handler = std::move(handler), error, result = std::move(result)]() mutable {
                       std::move(handler)(error, std::move(result));
                     });
        });
      },
      asio::use_awaitable);
}

}  // namespace pgw
