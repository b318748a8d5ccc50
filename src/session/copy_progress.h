// CopyProgressRegistry: the COPY commands running in this server, published by the sessions'
// COPY flows and read by pg_stat_progress_copy (through CopyProgressSource, so backends never
// see the session layer). A COPY holds its Entry for its whole run and updates the counters
// with relaxed atomic stores (no lock on the data path); Snapshot() takes the registry's lock
// only to list the entries. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "iris_pgwire/copy_progress.h"

namespace pgw {

class CopyProgressRegistry final : public CopyProgressSource {
 public:
  class Entry {
   public:
    void AddBytes(int64_t n) { bytes_processed_.fetch_add(n, std::memory_order_relaxed); }
    void SetTuples(int64_t processed, int64_t excluded) {
      tuples_processed_.store(processed, std::memory_order_relaxed);
      tuples_excluded_.store(excluded, std::memory_order_relaxed);
    }

   private:
    friend class CopyProgressRegistry;
    CopyProgressRow fixed_;  // pid, datname, relid, command, type, bytes_total
    std::atomic<int64_t> bytes_processed_{0};
    std::atomic<int64_t> tuples_processed_{0};
    std::atomic<int64_t> tuples_excluded_{0};
  };

  // Publishes a COPY; the counters of `row` other than bytes_total are ignored. The entry is
  // listed until Finish(entry).
  std::shared_ptr<Entry> Start(const CopyProgressRow& row);
  void Finish(const std::shared_ptr<Entry>& entry);

  std::vector<CopyProgressRow> Snapshot() const override;

 private:
  mutable std::mutex mu_;
  std::multimap<int32_t, std::shared_ptr<Entry>> running_;  // by pid; guarded by mu_
};

}  // namespace pgw
