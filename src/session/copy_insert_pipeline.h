// CopyInsertPipeline: COPY FROM's overlap of decoding and inserting. The session's thread
// fills row batches (decoding and converting fields) and submits them; a thread of the pipeline
// writes them to the backend's BulkSink, so the two run on two cores. Memory is bounded: there
// are kCopyBatchesInFlight batches in all, and Submit() blocks while none is free, which is
// also what stops the session from reading the client faster than the backend absorbs. A COPY
// smaller than one batch never starts the thread: Finish() writes it inline.
//
// Thread-safety: one thread (the session's) calls every method; the inserter thread only
// calls the sink. The sink, and the cancel flag the inserter polls before each batch, must
// outlive the pipeline.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "iris_pgwire/backend.h"
#include "session/copy_batches.h"

namespace pgw {

class CopyInsertPipeline : private CopyPipelineThread {
 public:
  CopyInsertPipeline(BulkSink& sink, size_t num_columns, const std::atomic<bool>& cancel);
  // Stops the inserter after the batch it is writing, and joins it.
  ~CopyInsertPipeline();
  CopyInsertPipeline(const CopyInsertPipeline&) = delete;
  CopyInsertPipeline& operator=(const CopyInsertPipeline&) = delete;

  // The batch being filled. Its `bytes` never reallocates while rows view it: before adding a
  // row, call Reserve(bytes the row needs).
  RowBatch& batch() { return *current_; }
  // Makes room for a row with `bytes` of payload: submits the current batch first when it is
  // full or the row does not fit. Errors as Submit().
  [[nodiscard]] Status Reserve(size_t bytes);
  // Hands the current batch to the inserter and starts a fresh one; blocks while no batch is
  // free. Returns the inserter's error once it has failed (then the COPY must stop).
  [[nodiscard]] Status Submit();
  // Writes what is left (the current batch included), waits for the inserter and returns its
  // first error.
  [[nodiscard]] Status Finish();

  // Rows written so far (updated by the inserter; for progress reports).
  uint64_t inserted() const { return inserted_.load(std::memory_order_relaxed); }
  uint64_t excluded() const { return excluded_.load(std::memory_order_relaxed); }
  // After an error from the sink: the input line of the row that failed (0 if none).
  int64_t error_line() const { return error_line_; }

 private:
  void Run();
  // Writes one batch (either thread) and records the outcome; false on error.
  bool Write(RowBatch& batch);

  BulkSink& sink_;
  const size_t num_columns_;
  const std::atomic<bool>& cancel_;
  std::unique_ptr<RowBatch> current_;
  std::atomic<uint64_t> inserted_{0};
  std::atomic<uint64_t> excluded_{0};

  std::deque<std::unique_ptr<RowBatch>> queued_;  // guarded by mu_
  std::deque<std::unique_ptr<RowBatch>> free_;    // guarded by mu_
  size_t allocated_ = 1;                          // batches in existence; guarded by mu_
  bool writing_ = false;                          // the inserter holds a batch; guarded by mu_
  bool failed_ = false;                           // guarded by mu_
  bool inline_ = false;     // the thread could not be started: batches are written by Submit
  Status error_;            // set once failed_; guarded by mu_
  int64_t error_line_ = 0;  // set with error_
};

}  // namespace pgw
