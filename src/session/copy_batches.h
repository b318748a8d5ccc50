// What COPY's two pipelines (copy_insert_pipeline.h, copy_fetch_pipeline.h) share: the named
// limits of their row batches, and the thread each runs beside the session with the lock,
// condition and stop flag that coordinate them. Thread-safety as the pipelines document.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>

#include "iris_pgwire/backend.h"

namespace pgw {

// Named limits of a pipeline: a batch is handed over at this many rows or bytes of payload (a
// single larger row gets a batch of its own), and this many batches exist per COPY.
inline constexpr size_t kCopyBatchRows = 2000;
inline constexpr size_t kCopyBatchBytes = 256 * 1024;
inline constexpr size_t kCopyBatchesInFlight = 4;

// An empty batch of `num_columns` columns with room for a full batch.
std::unique_ptr<RowBatch> NewCopyBatch(size_t num_columns);

class CopyPipelineThread {
 protected:
  CopyPipelineThread() = default;
  ~CopyPipelineThread() = default;
  CopyPipelineThread(const CopyPipelineThread&) = delete;
  CopyPipelineThread& operator=(const CopyPipelineThread&) = delete;

  // Sets stop_, wakes the thread and joins it. The derived destructor calls it first, while
  // its own members still exist.
  void StopThread();

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace pgw
