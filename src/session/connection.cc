#include "session/connection.h"

#include "net/as_tuple.h"
#include <asio/dispatch.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <sys/socket.h>
#include <chrono>

#include "common/log.h"
#include "net/run_blocking.h"

namespace pgw {

using asio::ip::tcp;

struct ConnectionSet::Live {
  tcp::socket* socket = nullptr;
  ProtocolSession* session = nullptr;
  std::atomic<bool> stop{false};
  std::atomic<bool> busy{false};
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
    // Wake an idle connection out of its read, on its own strand.
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

asio::awaitable<void> ServeConnection(tcp::socket socket, ConnectionDeps deps) {
  asio::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  ProtocolSession session(*deps.ctx, ClientInfo{.address = ec ? "" : remote.address().to_string()});
  auto live = std::make_shared<ConnectionSet::Live>();
  live->socket = &socket;
  live->session = &session;
  deps.connections->Add(live);

  std::string in;
  size_t in_start = 0;
  std::string out;
  auto read_buf = std::make_unique<std::array<char, 16384>>();
  bool need_input = true;
  asio::steady_timer retry_timer(socket.get_executor());
  std::chrono::milliseconds retry_pause{1};
  // authentication_timeout: a client that has not logged in by then is disconnected, as
  // PostgreSQL does (silently). The handler runs on this connection's strand.
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
      if (in_start == in.size()) {
        in.clear();
        in_start = 0;
      } else if (in_start > 65536) {
        in.erase(0, in_start);
        in_start = 0;
      }
      if (live->stop.load()) {
        ProtocolSession::AppendShutdownNotice(&out);
        co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
        break;
      }
      auto [rec, n] = co_await socket.async_read_some(asio::buffer(*read_buf),
                                                      kUseTuple);
      if (rec) {
        if (rec == asio::error::operation_aborted && live->stop.load() && !session.closed()) {
          out.clear();
          ProtocolSession::AppendShutdownNotice(&out);
          co_await asio::async_write(socket, asio::buffer(out),
                                     kUseTuple);
        }
        break;
      }
      in.append(read_buf->data(), n);
    }
    std::string_view view(in.data() + in_start, in.size() - in_start);
    live->busy.store(true);
    int fd = socket.native_handle();
    ProtocolSession::Step step = co_await RunBlocking(*deps.workers, [&session, &view, &out, fd] {
      ProtocolSession::Step st = session.Process(&view, &out);
      // Send the response from here, without waiting for the I/O thread to wake up: the
      // socket has no other operation in flight while the session is being processed.
      // Whatever the kernel does not take now is written asynchronously below.
      if (!out.empty()) {
        ssize_t n = ::send(fd, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) out.erase(0, static_cast<size_t>(n));
      }
      return st;
    });
    live->busy.store(false);
    in_start = in.size() - view.size();
    if (!out.empty()) {
      auto [wec, wn] =
          co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
      if (wec) break;
      out.clear();
      if (out.capacity() > (1u << 20)) out.shrink_to_fit();  // give big results' memory back
    }
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
