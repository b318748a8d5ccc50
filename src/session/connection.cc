#include "session/connection.h"

#include <sys/socket.h>

#include <algorithm>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <cstring>
#include <type_traits>

#include "common/log.h"
#include "common/sqlstate.h"
#include "net/as_tuple.h"
#include "net/input_buffer.h"
#include "net/run_blocking.h"
#include "protocol/startup.h"

namespace pgw {

using asio::ip::tcp;

struct ConnectionSet::Live {
  tcp::socket* socket = nullptr;
  ProtocolSession* session = nullptr;
  std::atomic<bool> stop{false};
  std::atomic<bool> busy{false};  // the session runs on a worker thread right now
};

void ConnectionSet::Add(const std::shared_ptr<Live>& c) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.insert(c);
}

void ConnectionSet::Remove(const std::shared_ptr<Live>& c) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.erase(c);
}

size_t ConnectionSet::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.size();
}

void ConnectionSet::ShutdownAll(bool cancel_running) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& c : live_) {
    c->stop.store(true);
    if (cancel_running && c->busy.load()) c->session->RequestCancel();
    // Wake an idle connection out of its read, on its own I/O thread.
    std::weak_ptr<Live> weak = c;
    asio::post(c->socket->get_executor(), [weak] {
      if (auto l = weak.lock()) {
        if (!l->busy.load()) {
          asio::error_code ec;
          l->socket->cancel(ec);
        }
      }
    });
  }
}

namespace {

// Sends what the kernel takes now without waiting; the rest stays in `out`.
void SendNow(int fd, std::string* out) {
  if (out->empty()) return;
  ssize_t n = ::send(fd, out->data(), out->size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n > 0) out->erase(0, static_cast<size_t>(n));
}

using TlsStream = asio::ssl::stream<tcp::socket&>;

// The plain socket sends straight from the kernel call (SendNow); a TLS stream's bytes go
// through OpenSSL, only from the connection's own coroutine.
template <class Stream>
constexpr bool kPlain = std::is_same_v<Stream, tcp::socket>;

// Runs the protocol over `stream` (the TCP socket itself or TLS over it) until the connection
// ends. `in` may already hold bytes read during TLS negotiation.
template <class Stream>
asio::awaitable<void> RunSession(Stream& stream, tcp::socket& socket, InputBuffer& in,
                                 ClientInfo client, ConnectionDeps& deps,
                                 asio::steady_timer& auth_timer) {
  ProtocolSession session(*deps.ctx, std::move(client));
  auto live = std::make_shared<ConnectionSet::Live>();
  live->socket = &socket;
  live->session = &session;
  deps.connections->Add(live);
  const int fd = socket.native_handle();

  std::string out;
  bool need_input = in.size() == 0;
  asio::steady_timer retry_timer(socket.get_executor());
  std::chrono::milliseconds retry_pause{1};
  bool auth_pending = true;
  // idle_in_transaction_session_timeout / idle_session_timeout: armed only while waiting for a
  // client message with a timeout set. `read_no` tells a stale expiry (queued just as the read
  // completed) from the current one.
  asio::steady_timer idle_timer(socket.get_executor());
  uint64_t read_no = 0;
  bool idle_expired = false;
  for (;;) {
    if (need_input) {
      if (live->stop.load()) {
        ProtocolSession::AppendShutdownNotice(&out);
        co_await asio::async_write(stream, asio::buffer(out), kUseTuple);
        break;
      }
      const ProtocolSession::IdleTimeout idle = session.idle_timeout();
      if (idle.ms > 0) {
        idle_timer.expires_after(std::chrono::milliseconds(idle.ms));
        idle_timer.async_wait(
            [&socket, &idle_expired, &read_no, mine = read_no](const asio::error_code& tec) {
              if (tec || mine != read_no) return;
              idle_expired = true;
              asio::error_code ignored;
              socket.cancel(ignored);
            });
      }
      std::span<char> room = in.PrepareRead();
      session.SetWaitingForInput(true);
      auto [rec, n] =
          co_await stream.async_read_some(asio::buffer(room.data(), room.size()), kUseTuple);
      session.SetWaitingForInput(false);
      if (idle.ms > 0) {
        ++read_no;  // an expiry queued from now on is stale
        idle_timer.cancel();
      }
      if (rec) {
        if (idle_expired) {
          out.clear();
          ProtocolSession::AppendIdleTimeoutFatal(idle.in_transaction, &out);
          co_await asio::async_write(stream, asio::buffer(out), kUseTuple);
        } else if (rec == asio::error::operation_aborted && live->stop.load() &&
                   !session.closed()) {
          out.clear();
          ProtocolSession::AppendShutdownNotice(&out);
          co_await asio::async_write(stream, asio::buffer(out), kUseTuple);
        }
        break;
      }
      in.CommitRead(n, room.size());
    }
    std::string_view view = in.data();
    // Cheap work runs right here; the session says kOffload before anything that may block,
    // and then runs again on a worker thread (see ProtocolSession, "Placement").
    ProtocolSession::Step step = session.Process(&view, &out, Placement::kInline);
    if (step == ProtocolSession::Step::kOffload) {
      live->busy.store(true);
      WorkerPool& pool =
          session.in_startup() && deps.session_workers ? *deps.session_workers : *deps.workers;
      step = co_await RunBlocking(pool, [&session, &view, &out, fd] {
        ProtocolSession::Step st = session.Process(&view, &out, Placement::kWorker);
        // Send from here, without waiting for the I/O thread to wake up: the socket has no
        // other operation in flight while the session is being processed.
        if constexpr (kPlain<Stream>) SendNow(fd, &out);
        return st;
      });
      live->busy.store(false);
    } else if constexpr (kPlain<Stream>) {
      SendNow(fd, &out);
    }
    in.Consume(in.size() - view.size());
    if (!out.empty()) {
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), kUseTuple);
      if (wec) break;
    }
    out.clear();
    if (out.capacity() > (64u << 10)) out.shrink_to_fit();  // give big results' memory back
    if (auth_pending && !session.in_startup()) {
      auth_timer.cancel();
      auth_pending = false;
    }
    if (step == ProtocolSession::Step::kClose) break;
    bool delay = step == ProtocolSession::Step::kDelay;
    if (step == ProtocolSession::Step::kRetryLater || delay) {
      // A lock is busy: wait here, on the I/O side, instead of holding a backend thread. A
      // failed login's answer waits out --auth-failure-delay-ms (kDelay) the same way.
      retry_timer.expires_after(delay ? session.delay() : retry_pause);
      co_await retry_timer.async_wait(kUseTuple);
      if (!delay) retry_pause = std::min(retry_pause * 2, std::chrono::milliseconds(20));
      need_input = false;
      continue;
    }
    retry_pause = std::chrono::milliseconds(1);
    need_input = step == ProtocolSession::Step::kNeedInput;
  }
  ++read_no;  // a pending idle expiry is stale now
  idle_timer.cancel();
  live->busy.store(true);
  co_await RunBlocking(deps.session_workers ? *deps.session_workers : *deps.workers, [&session] {
    session.Close();
    return 0;
  });
  deps.connections->Remove(live);
}

int32_t ReadInt32(const unsigned char* p) {
  return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
                              (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}

// What the first bytes of a connection ask for, when a certificate is configured.
enum class Opening : uint8_t { kPlain, kSslRequest, kDirectTls, kClosed };

// Decides how the connection starts: a TLS ClientHello straight away (PostgreSQL 17's direct
// TLS), an SSLRequest (answered 'S'; a GSSENCRequest before it is answered 'N'), or a plain
// startup, whose first bytes are then left in `in` for the session.
asio::awaitable<Opening> Negotiate(tcp::socket& socket, InputBuffer& in) {
  for (int round = 0; round < 2; ++round) {  // at most GSSENCRequest, then SSLRequest
    auto [wec] = co_await socket.async_wait(tcp::socket::wait_read, kUseTuple);
    if (wec) co_return Opening::kClosed;
    unsigned char first[2];
    ssize_t peeked = ::recv(socket.native_handle(), first, sizeof first, MSG_PEEK);
    if (peeked <= 0) co_return Opening::kClosed;
    // 0x16 = TLS handshake record, then the major version 3: no startup packet begins so (its
    // length would be over 369 MB).
    if (peeked == 2 && first[0] == 0x16 && first[1] == 0x03) co_return Opening::kDirectTls;
    unsigned char head[8];
    auto [rec, n] = co_await asio::async_read(socket, asio::buffer(head), kUseTuple);
    if (rec) co_return Opening::kClosed;
    const int32_t len = ReadInt32(head), code = ReadInt32(head + 4);
    if (len == 8 && code == kSslRequestCode) co_return Opening::kSslRequest;
    if (len == 8 && code == kGssEncRequestCode) {
      const char no = 'N';
      auto [nec, nn] = co_await asio::async_write(socket, asio::buffer(&no, 1), kUseTuple);
      if (nec) co_return Opening::kClosed;
      continue;
    }
    std::span<char> room = in.PrepareRead();
    std::memcpy(room.data(), head, sizeof head);
    in.CommitRead(sizeof head, room.size());
    co_return Opening::kPlain;
  }
  co_return Opening::kPlain;  // a second GSSENCRequest: the session answers what follows
}

// Reads and drops the bytes already waiting on the socket; true if there were any. They came
// before the TLS handshake, unencrypted, so they must not reach the handshake or the session.
bool DropPendingBytes(tcp::socket& socket) {
  bool any = false;
  char scratch[4096];
  for (int i = 0; i < 64; ++i) {  // bounded: a sender that keeps going fails the handshake
    ssize_t n = ::recv(socket.native_handle(), scratch, sizeof scratch, MSG_DONTWAIT);
    if (n <= 0) break;
    any = true;
  }
  return any;
}

// Sends a FATAL error to the client over `stream` (best effort) before the connection closes.
template <class Stream>
asio::awaitable<void> SendFatal(Stream& stream, const Status& status) {
  std::string out;
  ProtocolSession::AppendFatalStatus(status, &out);
  co_await asio::async_write(stream, asio::buffer(out), kUseTuple);
}

}  // namespace

asio::awaitable<void> ServeConnection(tcp::socket socket, ConnectionDeps deps) {
  asio::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  ClientInfo client{.address = ec ? "" : remote.address().to_string()};
  // authentication_timeout: a client that has not logged in by then is disconnected, as
  // PostgreSQL does (silently); it covers the TLS negotiation too. The handler runs on this
  // connection's I/O thread.
  asio::steady_timer auth_timer(socket.get_executor());
  auth_timer.expires_after(std::chrono::seconds(deps.authentication_timeout_s));
  auth_timer.async_wait([&socket](const asio::error_code& tec) {
    if (tec) return;  // cancelled: the client logged in (or the connection ended)
    asio::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.cancel(ignored);
  });
  InputBuffer in;
  Opening opening = Opening::kPlain;
  if (deps.tls != nullptr) opening = co_await Negotiate(socket, in);
  if (opening == Opening::kPlain) {
    co_await RunSession(socket, socket, in, std::move(client), deps, auth_timer);
  } else if (opening != Opening::kClosed) {
    bool go = true;
    bool injected = false;
    if (opening == Opening::kSslRequest) {
      // Bytes that came with the SSLRequest were not encrypted: a man-in-the-middle may have
      // injected them. As PostgreSQL does, they are refused after the handshake, over TLS.
      injected = DropPendingBytes(socket);
      const char yes = 'S';
      auto [sec, sn] = co_await asio::async_write(socket, asio::buffer(&yes, 1), kUseTuple);
      go = !sec;
    }
    if (go) {
      TlsStream tls(socket, deps.tls->context());
      auto [hec] = co_await tls.async_handshake(TlsStream::server, kUseTuple);
      if (hec) {
        PGW_LOG_DEBUG("TLS handshake with {} failed: {}", client.address, hec.message());
      } else if (injected) {
        co_await SendFatal(tls, Status::Error(sqlstate::kProtocolViolation,
                                              "received unencrypted data after SSL request"));
      } else if (opening == Opening::kDirectTls && !NegotiatedPostgresAlpn(tls.native_handle())) {
        // PostgreSQL 17 refuses direct TLS without ALPN: the client may not be a PostgreSQL
        // client at all (protocol confusion).
        co_await SendFatal(tls, Status::Error(sqlstate::kProtocolViolation,
                                              "received direct SSL connection request without "
                                              "ALPN protocol negotiation extension"));
      } else {
        client.tls = true;
        client.tls_server_end_point = deps.tls_server_end_point;
        co_await RunSession(tls, socket, in, std::move(client), deps, auth_timer);
      }
    }
  }
  auth_timer.cancel();
  asio::error_code cec;
  socket.shutdown(tcp::socket::shutdown_both, cec);
  socket.close(cec);
}

}  // namespace pgw
