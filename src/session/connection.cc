#include "session/connection.h"

#include <sys/socket.h>

#include <algorithm>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <chrono>

#include "common/log.h"
#include "net/as_tuple.h"
#include "net/input_buffer.h"
#include "net/run_blocking.h"

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

}  // namespace

asio::awaitable<void> ServeConnection(tcp::socket socket, ConnectionDeps deps) {
  asio::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  ProtocolSession session(*deps.ctx, ClientInfo{.address = ec ? "" : remote.address().to_string()});
  auto live = std::make_shared<ConnectionSet::Live>();
  live->socket = &socket;
  live->session = &session;
  deps.connections->Add(live);
  const int fd = socket.native_handle();

  InputBuffer in;
  std::string out;
  bool need_input = true;
  asio::steady_timer retry_timer(socket.get_executor());
  std::chrono::milliseconds retry_pause{1};
  // authentication_timeout: a client that has not logged in by then is disconnected, as
  // PostgreSQL does (silently). The handler runs on this connection's I/O thread.
  asio::steady_timer auth_timer(socket.get_executor());
  bool auth_pending = true;
  auth_timer.expires_after(std::chrono::seconds(deps.authentication_timeout_s));
  auth_timer.async_wait([&socket](const asio::error_code& tec) {
    if (tec) return;  // cancelled: the client logged in (or the connection ended)
    asio::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.cancel(ignored);
  });
  for (;;) {
    if (need_input) {
      if (live->stop.load()) {
        ProtocolSession::AppendShutdownNotice(&out);
        co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
        break;
      }
      std::span<char> room = in.PrepareRead();
      auto [rec, n] =
          co_await socket.async_read_some(asio::buffer(room.data(), room.size()), kUseTuple);
      if (rec) {
        if (rec == asio::error::operation_aborted && live->stop.load() && !session.closed()) {
          out.clear();
          ProtocolSession::AppendShutdownNotice(&out);
          co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
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
      step = co_await RunBlocking(*deps.workers, [&session, &view, &out, fd] {
        ProtocolSession::Step st = session.Process(&view, &out, Placement::kWorker);
        // Send from here, without waiting for the I/O thread to wake up: the socket has no
        // other operation in flight while the session is being processed.
        SendNow(fd, &out);
        return st;
      });
      live->busy.store(false);
    } else {
      SendNow(fd, &out);
    }
    in.Consume(in.size() - view.size());
    if (!out.empty()) {
      auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
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
  auth_timer.cancel();
  live->busy.store(true);
  co_await RunBlocking(*deps.workers, [&session] {
    session.Close();
    return 0;
  });
  deps.connections->Remove(live);
  asio::error_code cec;
  socket.shutdown(tcp::socket::shutdown_both, cec);
  socket.close(cec);
}

}  // namespace pgw
