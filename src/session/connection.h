// The I/O side of a client connection: one coroutine per socket, on one I/O thread's loop for
// its whole life, that reads bytes, runs its ProtocolSession on them (inline first; on the
// backend worker pool as soon as the session says the work may block, so blocking backend calls
// never run on an I/O thread), and writes what the session produced. ConnectionSet tracks live connections so a
// shutdown can end them: idle ones at once with 57P01, busy ones when their statement finishes
// or, after the grace period, by cancelling it.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "net/tls_context.h"
#include "net/worker_pool.h"
#include "session/session.h"

namespace pgw {

class ConnectionSet {
 public:
  struct Live;
  // Stops every connection: idle ones now, busy ones after their statement. With
  // cancel_running, running statements are cancelled first.
  void ShutdownAll(bool cancel_running);
  size_t size() const;
  void Add(const std::shared_ptr<Live>& c);
  void Remove(const std::shared_ptr<Live>& c);

 private:
  mutable std::mutex mu_;
  std::set<std::shared_ptr<Live>> live_;
};

struct ConnectionDeps {
  GatewayContext* ctx = nullptr;
  WorkerPool* workers = nullptr;
  // Startup (SCRAM, opening the backend session, CancelRequest) and closing run here, apart
  // from statements: logins and cancels keep their own warm threads. Null = `workers`.
  WorkerPool* session_workers = nullptr;
  ConnectionSet* connections = nullptr;
  int authentication_timeout_s = 60;
  // TLS: null = not configured (SSLRequest is answered 'N'). Otherwise SSLRequest gets 'S' and a
  // ClientHello as the first bytes starts direct TLS; the session then runs over TLS with
  // ClientInfo::tls and this channel binding hash (auth/tls_server_end_point.h).
  TlsServerContext* tls = nullptr;
  std::string tls_server_end_point;
};

asio::awaitable<void> ServeConnection(asio::ip::tcp::socket socket, ConnectionDeps deps);

}  // namespace pgw
