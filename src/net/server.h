// TcpServer: the generic part of serving: listening sockets and accept loops, each accepted
// socket handed to a connection coroutine on the next I/O thread's loop. It knows bytes and sockets, not
// the PostgreSQL protocol. Shutdown means: stop accepting (Stop), while the protocol layer
// decides how to end its live connections. Thread-safe: Stop may be called from any thread.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "net/io_threads.h"

namespace pgw {

class TcpServer {
 public:
  using Handler = std::function<asio::awaitable<void>(asio::ip::tcp::socket)>;

  TcpServer(IoThreads& io, Handler handler);

  // Binds and listens on host:port (port 0 = ephemeral). Host may be a name or an address.
  [[nodiscard]] Status Listen(const std::string& host, uint16_t port, int backlog = 1024);
  // Port bound by the first listener.
  uint16_t port() const;
  void Start();
  void Stop();

 private:
  asio::awaitable<void> AcceptLoop(asio::ip::tcp::acceptor& acceptor);

  IoThreads& io_;
  Handler handler_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
};

}  // namespace pgw
