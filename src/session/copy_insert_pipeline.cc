// The COPY FROM insert pipeline: a bounded queue of row batches and one inserter thread.
#include "session/copy_insert_pipeline.h"

#include <system_error>

#include "common/sqlstate.h"

namespace pgw {

CopyInsertPipeline::CopyInsertPipeline(BulkSink& sink, size_t num_columns,
                                       const std::atomic<bool>& cancel)
    : sink_(sink),
      num_columns_(num_columns),
      cancel_(cancel),
      current_(NewCopyBatch(num_columns_)) {}

CopyInsertPipeline::~CopyInsertPipeline() { StopThread(); }

Status CopyInsertPipeline::Reserve(size_t bytes) {
  RowBatch& b = *current_;
  if (b.rows() >= kCopyBatchRows || b.bytes.size() + bytes > b.bytes.capacity()) {
    if (b.rows() > 0) PGW_RETURN_IF_ERROR(Submit());
    // An empty batch may grow: no row views its bytes yet.
    if (bytes > current_->bytes.capacity()) current_->bytes.reserve(bytes);
  }
  return Status::OK();
}

bool CopyInsertPipeline::Write(RowBatch& batch) {
  Status st;
  BulkWriteResult r;
  if (cancel_.load(std::memory_order_relaxed)) {
    st = Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  } else {
    st = sink_.Write(batch, &r);
  }
  inserted_.fetch_add(r.inserted, std::memory_order_relaxed);
  excluded_.fetch_add(r.excluded, std::memory_order_relaxed);
  if (st.ok()) return true;
  std::lock_guard<std::mutex> lock(mu_);
  if (!failed_) {
    failed_ = true;
    error_ = std::move(st);
    error_line_ = r.failed_row < batch.lines.size() && error_.sqlstate() != sqlstate::kQueryCanceled
                      ? batch.lines[r.failed_row]
                      : 0;
  }
  return false;
}

void CopyInsertPipeline::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping with nothing left
    std::unique_ptr<RowBatch> b = std::move(queued_.front());
    queued_.pop_front();
    bool ok = !failed_ && !stop_;
    writing_ = true;
    lock.unlock();
    if (ok) ok = Write(*b);
    b->Clear();
    lock.lock();
    writing_ = false;
    free_.push_back(std::move(b));
    cv_.notify_all();
  }
}

Status CopyInsertPipeline::Submit() {
  std::unique_lock<std::mutex> lock(mu_);
  if (failed_) return error_;
  if (!thread_.joinable() && !inline_) {
    try {
      thread_ = std::thread([this] { Run(); });
    } catch (const std::system_error&) {
      inline_ = true;  // no thread to be had: insert on this one, one batch at a time
    }
  }
  if (inline_) {
    lock.unlock();
    bool ok = Write(*current_);
    current_->Clear();
    lock.lock();
    return ok ? Status::OK() : error_;
  }
  queued_.push_back(std::move(current_));
  cv_.notify_all();
  if (free_.empty() && allocated_ < kCopyBatchesInFlight) {
    ++allocated_;
    lock.unlock();
    current_ = NewCopyBatch(num_columns_);
    return Status::OK();
  }
  cv_.wait(lock, [&] { return failed_ || !free_.empty(); });
  if (!free_.empty()) {
    current_ = std::move(free_.front());
    free_.pop_front();
  } else {
    current_ = NewCopyBatch(
        num_columns_);  // failed: the COPY stops; keep the invariant that a batch exists
  }
  if (failed_) return error_;
  return Status::OK();
}

Status CopyInsertPipeline::Finish() {
  if (!thread_.joinable()) {  // never started, or inline_
    if (current_->rows() > 0) Write(*current_);
    current_->Clear();
    std::lock_guard<std::mutex> lock(mu_);
    return failed_ ? error_ : Status::OK();
  }
  PGW_RETURN_IF_ERROR(current_->rows() > 0 ? Submit() : Status::OK());
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return failed_ || (queued_.empty() && !writing_); });
  return failed_ ? error_ : Status::OK();
}

}  // namespace pgw
