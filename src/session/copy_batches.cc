// Row batches and the pipeline thread shared by COPY's insert and fetch pipelines.
#include "session/copy_batches.h"

namespace pgw {

std::unique_ptr<RowBatch> NewCopyBatch(size_t num_columns) {
  auto b = std::make_unique<RowBatch>();
  b->num_columns = num_columns;
  b->values.reserve(kCopyBatchRows * num_columns);
  b->lines.reserve(kCopyBatchRows);
  b->bytes.reserve(kCopyBatchBytes);
  return b;
}

void CopyPipelineThread::StopThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pgw
