// The COPY TO fetch pipeline: one fetcher thread and a bounded queue of row batches.
#include "session/copy_fetch_pipeline.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "common/sqlstate.h"

namespace pgw {
namespace {

bool HasPayload(const Value& v) {
  return v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob;
}

// Copies the cursor's rows into a batch: payloads are appended to the batch's bytes (which may
// grow: the views are set once the batch is complete), up to kCopyBatchRows rows or
// kCopyBatchBytes bytes.
class BatchSink final : public RowSink {
 public:
  explicit BatchSink(RowBatch& batch, std::vector<size_t>& offsets)
      : batch_(batch), offsets_(offsets) {
    offsets_.clear();
  }

  bool OnRow(std::span<const Value> row) override {
    const size_t n = batch_.num_columns;
    const size_t have = std::min(n, row.size());
    for (size_t i = 0; i < have; ++i) {
      const Value& v = row[i];
      if (HasPayload(v)) {
        offsets_.push_back(batch_.bytes.size());
        batch_.bytes.append(v.s);
        batch_.values.push_back(Value{v.kind, 0, 0, {}});
      } else {
        batch_.values.push_back(v);
      }
    }
    for (size_t i = have; i < n; ++i) batch_.values.push_back(Value::Null());
    batch_.lines.push_back(static_cast<int64_t>(batch_.lines.size()) + 1);
    return batch_.rows() < kCopyBatchRows && batch_.bytes.size() < kCopyBatchBytes;
  }

  // Points the payload values at the batch's bytes, now that they no longer move.
  void Seal() {
    size_t k = 0;
    for (Value& v : batch_.values) {
      if (!HasPayload(v)) continue;
      size_t begin = offsets_[k++];
      size_t end = k < offsets_.size() ? offsets_[k] : batch_.bytes.size();
      v.s = std::string_view(batch_.bytes).substr(begin, end - begin);
    }
  }

 private:
  RowBatch& batch_;
  std::vector<size_t>& offsets_;  // where each payload starts in batch_.bytes
};

}  // namespace

CopyFetchPipeline::CopyFetchPipeline(Cursor& cursor, size_t num_columns,
                                     const std::atomic<bool>& cancel)
    : cursor_(cursor), num_columns_(num_columns), cancel_(cancel) {}

CopyFetchPipeline::~CopyFetchPipeline() { StopThread(); }

Status CopyFetchPipeline::Fill(RowBatch& batch, bool* done) {
  batch.Clear();
  *done = false;
  if (cancel_.load(std::memory_order_relaxed)) {
    return Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  BatchSink sink(batch, offsets_);
  Result<FetchResult> r = cursor_.Fetch(0, sink);
  sink.Seal();
  if (!r.ok()) return r.status();
  *done = r->done;
  return Status::OK();
}

void CopyFetchPipeline::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !free_.empty() || allocated_ < kCopyBatchesInFlight; });
    if (stop_) return;
    std::unique_ptr<RowBatch> b;
    if (!free_.empty()) {
      b = std::move(free_.front());
      free_.pop_front();
    } else {
      ++allocated_;
    }
    lock.unlock();
    if (!b) b = NewCopyBatch(num_columns_);
    bool done = false;
    Status st = Fill(*b, &done);
    lock.lock();
    if (!st.ok()) {
      error_ = std::move(st);
    } else if (b->rows() > 0) {
      ready_.push_back(std::move(b));
    }
    done_ = done || !error_.ok();
    cv_.notify_all();
    if (done_) return;
  }
}

Result<const RowBatch*> CopyFetchPipeline::Next() {
  if (!started_) {
    // The first batch is fetched here: a small export needs no thread.
    started_ = true;
    allocated_ = 1;
    current_ = NewCopyBatch(num_columns_);
    bool done = false;
    PGW_RETURN_IF_ERROR(Fill(*current_, &done));
    if (!done) {
      try {
        thread_ = std::thread([this] { Run(); });
      } catch (const std::system_error&) {
        // No thread to be had: the caller fetches each batch itself (below).
      }
    } else {
      done_ = true;
    }
    if (current_->rows() > 0) return current_.get();
    if (done) return static_cast<const RowBatch*>(nullptr);
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (current_) {
    free_.push_back(std::move(current_));  // the caller is through with it
    cv_.notify_all();
  }
  if (!thread_.joinable()) {
    // Inline (done, or no thread): fetch here.
    if (done_) return static_cast<const RowBatch*>(nullptr);
    current_ = std::move(free_.front());
    free_.pop_front();
    lock.unlock();
    bool done = false;
    PGW_RETURN_IF_ERROR(Fill(*current_, &done));
    done_ = done;
    if (current_->rows() > 0) return current_.get();
    return static_cast<const RowBatch*>(nullptr);
  }
  cv_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    current_ = std::move(ready_.front());
    ready_.pop_front();
    return current_.get();
  }
  if (!error_.ok()) return error_;
  return static_cast<const RowBatch*>(nullptr);
}

}  // namespace pgw
