// RunBlocking: runs a blocking function on a worker pool and resumes the calling coroutine on
// its own executor with the result. This is how blocking backend work (SQLite, ODBC) stays off
// the I/O threads: the I/O thread only ever waits, never blocks. Built on co_spawn, whose
// completion is delivered through the caller's executor (its strand), as Asio specifies.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace pgw {

template <typename F>
asio::awaitable<std::invoke_result_t<F&>> RunBlocking(asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F&>;
  co_return co_await asio::co_spawn(
      pool.get_executor(), [&f]() -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

}  // namespace pgw
