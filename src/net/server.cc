#include "net/server.h"

#include "net/as_tuple.h"
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/sqlstate.h"

namespace pgw {

using asio::ip::tcp;

TcpServer::TcpServer(IoThreads& io, Handler handler)
    : io_(io), handler_(std::move(handler)) {}

Status TcpServer::Listen(const std::string& host, uint16_t port, int backlog) {
  asio::error_code ec;
  tcp::resolver resolver(io_.main());
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec) {
    return Status::Error(sqlstate::kConfigFileError,
                         "could not resolve listen address \"" + host + "\": " + ec.message());
  }
  for (const auto& entry : results) {
    auto acc = std::make_unique<tcp::acceptor>(io_.main());
    acc->open(entry.endpoint().protocol(), ec);
    if (ec) continue;
    acc->set_option(tcp::acceptor::reuse_address(true), ec);
    acc->bind(entry.endpoint(), ec);
    if (ec) {
      return Status::Error(sqlstate::kConfigFileError,
                           "could not bind to " + entry.endpoint().address().to_string() + ":" +
                               std::to_string(port) + ": " + ec.message());
    }
    acc->listen(backlog, ec);
    if (ec) return Status::Error(sqlstate::kConfigFileError, "could not listen: " + ec.message());
    PGW_LOG_INFO("listening on {}:{}", acc->local_endpoint().address().to_string(),
                 acc->local_endpoint().port());
    acceptors_.push_back(std::move(acc));
    if (port == 0) break;  // an ephemeral port is bound once, on the first address
  }
  if (acceptors_.empty()) {
    return Status::Error(sqlstate::kConfigFileError, "no usable listen address for " + host);
  }
  return Status::OK();
}

uint16_t TcpServer::port() const {
  return acceptors_.empty() ? 0 : acceptors_.front()->local_endpoint().port();
}

void TcpServer::Start() {
  for (auto& acc : acceptors_) {
    asio::co_spawn(io_.main(), AcceptLoop(*acc), asio::detached);
  }
}

void TcpServer::Stop() {
  asio::post(io_.main(), [this] {
    for (auto& acc : acceptors_) {
      asio::error_code ec;
      acc->close(ec);
    }
  });
}

asio::awaitable<void> TcpServer::AcceptLoop(tcp::acceptor& acceptor) {
  while (acceptor.is_open()) {
    asio::io_context& loop = io_.Next();
    auto [ec, socket] = co_await acceptor.async_accept(loop.get_executor(), kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      PGW_LOG_WARN("accept failed: {}", ec.message());
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    asio::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    asio::co_spawn(loop, handler_(std::move(socket)), asio::detached);
  }
}

}  // namespace pgw
