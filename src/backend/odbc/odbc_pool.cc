// The connection pool of one (user, database): acquire, release, health, backoff.
#include "backend/odbc/odbc_pool.h"

#include <algorithm>
#include <vector>

#include "common/log.h"
#include "common/sqlstate.h"

namespace pgw::odbc {
namespace {

bool IsLoginRefused(const Status& st) { return st.sqlstate().rfind("28", 0) == 0; }

}  // namespace

Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

OdbcPool::OdbcPool(std::shared_ptr<Environment> env, std::string connection_string,
                   std::optional<Dialect> dialect, PoolOptions options)
    : env_(std::move(env)),
      connection_string_(std::move(connection_string)),
      dialect_(dialect),
      options_(options) {}

OdbcPool::~OdbcPool() = default;

bool OdbcPool::Expired(const OdbcConnection& c, Clock::time_point now) const {
  return c.broken() || (options_.max_lifetime_s > 0 &&
                        now - c.created() > std::chrono::seconds(options_.max_lifetime_s));
}

Result<std::unique_ptr<OdbcConnection>> OdbcPool::Connect() {
  Result<std::unique_ptr<OdbcConnection>> c =
      OdbcConnection::Open(env_, connection_string_, dialect_, options_.login_timeout_s);
  std::lock_guard<std::mutex> lock(mu_);
  if (c.ok()) {
    ++counters_.connects;
    backoff_ms_ = 0;
    retry_at_ = {};
    last_error_.clear();
    return c;
  }
  ++counters_.failed_connects;
  if (!IsLoginRefused(c.status())) {
    // The target is unreachable: later connects wait, doubling up to backoff_max_ms.
    backoff_ms_ = backoff_ms_ == 0 ? options_.backoff_initial_ms
                                   : std::min(backoff_ms_ * 2, options_.backoff_max_ms);
    retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
    last_error_.assign(c.status().message());
    PGW_LOG_WARN("ODBC connect failed (next attempt in {} ms): {}", backoff_ms_, last_error_);
  }
  return c;
}

Result<std::shared_ptr<Lease>> OdbcPool::Acquire() {
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<OdbcConnection> c = std::move(idle_.back());
      idle_.pop_back();
      Clock::time_point now = Clock::now();
      bool ok = !Expired(*c, now);
      if (ok && now - c->last_used() >= std::chrono::milliseconds(options_.validate_idle_ms)) {
        lock.unlock();
        ok = c->Ping().ok();
        lock.lock();
      }
      if (!ok) {
        --open_;
        ++counters_.discarded;
        lock.unlock();
        c.reset();  // disconnect outside the lock
        lock.lock();
        continue;
      }
      c->Touch();
      return std::make_shared<Lease>(shared_from_this(), std::move(c));
    }
    if (open_ < options_.size + options_.overflow) {
      if (Clock::now() < retry_at_) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(retry_at_ - Clock::now());
        return Status::Error(sqlstate::kConnectionFailure,
                             "the target database is unavailable: " + last_error_)
            .WithDetail("The next connection attempt is in " + std::to_string(wait.count()) +
                        " ms.");
      }
      ++open_;
      lock.unlock();
      Result<std::unique_ptr<OdbcConnection>> c = Connect();
      lock.lock();
      if (!c.ok()) {
        --open_;
        freed_.notify_one();
        return c.status();
      }
      return std::make_shared<Lease>(shared_from_this(), std::move(*c));
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size + options_.overflow) {
      return Status::Error(sqlstate::kTooManyConnections,
                           "timed out after " + std::to_string(options_.acquire_timeout_ms) +
                               " ms waiting for a connection to the target database")
          .WithHint("All " + std::to_string(options_.size + options_.overflow) +
                    " pooled connections are in use; raise --pool-size or --pool-overflow.");
    }
  }
}

void OdbcPool::Release(std::unique_ptr<OdbcConnection> conn) {
  // A connection comes back clean: no transaction left open.
  if (!conn->broken() && !conn->autocommit()) {
    if (!conn->EndTransaction(false).ok() || !conn->SetAutocommit(true).ok()) conn->MarkBroken();
  }
  std::unique_ptr<OdbcConnection> close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Clock::time_point now = Clock::now();
    if (Expired(*conn, now) || open_ > options_.size) {
      --open_;
      if (conn->broken()) ++counters_.discarded;
      close = std::move(conn);
    } else {
      conn->Touch();
      idle_.push_back(std::move(conn));
    }
  }
  freed_.notify_one();
  close.reset();
}

void OdbcPool::Maintain() {
  std::deque<std::unique_ptr<OdbcConnection>> check;
  bool probe = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    check.swap(idle_);
    probe = backoff_ms_ > 0 && Clock::now() >= retry_at_ && open_ == 0;
  }
  std::vector<std::unique_ptr<OdbcConnection>> keep;
  int dropped = 0;
  for (auto& c : check) {
    Clock::time_point now = Clock::now();
    bool idle_too_long = options_.idle_timeout_s > 0 &&
                         now - c->last_used() > std::chrono::seconds(options_.idle_timeout_s);
    if (Expired(*c, now) || idle_too_long || !c->Ping().ok()) {
      ++dropped;
      c.reset();
      continue;
    }
    keep.push_back(std::move(c));
  }
  if (probe) {
    // The target failed earlier and nobody asked since: find out whether it is back.
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++open_;
    }
    Result<std::unique_ptr<OdbcConnection>> c = Connect();
    std::lock_guard<std::mutex> lock(mu_);
    if (c.ok()) {
      keep.push_back(std::move(*c));
    } else {
      --open_;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_ -= dropped;
    counters_.discarded += dropped;
    // Sessions may have returned connections meanwhile: keep the most recent at the back.
    for (auto it = keep.rbegin(); it != keep.rend(); ++it) idle_.push_front(std::move(*it));
    while (static_cast<int>(idle_.size()) > options_.size) {
      idle_.pop_front();
      --open_;
    }
  }
  freed_.notify_all();
}

PoolStats OdbcPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PoolStats s = counters_;
  s.open = open_;
  s.idle = static_cast<int>(idle_.size());
  return s;
}

}  // namespace pgw::odbc
