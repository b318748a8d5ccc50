// CopyFetchPipeline: COPY TO's overlap of fetching and encoding, the mirror of
// CopyInsertPipeline. A thread of the pipeline steps the backend cursor and copies its rows
// into row batches (the values' bytes owned by the batch); the session's thread takes the
// batches in order and encodes them, so the two run on two cores. Memory is bounded: there
// are kCopyBatchesInFlight batches in all, and the fetcher waits while none is free (which is
// what keeps rows from being produced faster than the socket drains). An export that fits in
// one batch never starts the thread: the first batch is fetched by the caller.
//
// Thread-safety: one thread (the session's) calls every method; the fetcher thread only calls
// the cursor. The cursor, and the cancel flag the fetcher polls before each batch, must outlive
// the pipeline; nothing else may use the cursor's backend session while the pipeline exists.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "iris_pgwire/backend.h"
#include "session/copy_batches.h"

namespace pgw {

class CopyFetchPipeline : private CopyPipelineThread {
 public:
  CopyFetchPipeline(Cursor& cursor, size_t num_columns, const std::atomic<bool>& cancel);
  // Stops the fetcher after the batch it is filling, and joins it.
  ~CopyFetchPipeline();
  CopyFetchPipeline(const CopyFetchPipeline&) = delete;
  CopyFetchPipeline& operator=(const CopyFetchPipeline&) = delete;

  // The next batch of rows, in the cursor's order; nullptr once the rows are exhausted. The
  // batch stays valid until the next call. Errors are the cursor's (57014 when cancelled).
  [[nodiscard]] Result<const RowBatch*> Next();

 private:
  // Fills `batch` from the cursor (either thread). Returns the cursor's outcome; *done when
  // the rows are exhausted.
  Status Fill(RowBatch& batch, bool* done);
  void Run();

  Cursor& cursor_;
  const size_t num_columns_;
  const std::atomic<bool>& cancel_;
  std::unique_ptr<RowBatch> current_;  // the batch the caller holds
  // Fill's scratch: where each payload starts in the batch's bytes. Fill runs on one thread at
  // a time (the caller's before the fetcher starts or when there is none, else the fetcher's).
  std::vector<size_t> offsets_;

  std::deque<std::unique_ptr<RowBatch>> ready_;  // guarded by mu_
  std::deque<std::unique_ptr<RowBatch>> free_;   // guarded by mu_
  size_t allocated_ = 0;                         // guarded by mu_
  bool started_ = false;                         // the first batch was handed out
  bool done_ = false;                            // the fetcher is through; guarded by mu_
  Status error_;                                 // the fetcher's error; guarded by mu_
};

}  // namespace pgw
