// The registry behind pg_stat_progress_copy.
#include "session/copy_progress.h"

namespace pgw {

std::shared_ptr<CopyProgressRegistry::Entry> CopyProgressRegistry::Start(
    const CopyProgressRow& row) {
  auto entry = std::make_shared<Entry>();
  entry->fixed_ = row;
  std::lock_guard<std::mutex> lock(mu_);
  running_.emplace(row.pid, entry);
  return entry;
}

void CopyProgressRegistry::Finish(const std::shared_ptr<Entry>& entry) {
  if (!entry) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto [begin, end] = running_.equal_range(entry->fixed_.pid);
  for (auto it = begin; it != end; ++it) {
    if (it->second == entry) {
      running_.erase(it);
      return;
    }
  }
}

std::vector<CopyProgressRow> CopyProgressRegistry::Snapshot() const {
  std::vector<CopyProgressRow> rows;
  std::lock_guard<std::mutex> lock(mu_);
  rows.reserve(running_.size());
  for (const auto& [pid, e] : running_) {
    CopyProgressRow r = e->fixed_;
    r.bytes_processed = e->bytes_processed_.load(std::memory_order_relaxed);
    r.tuples_processed = e->tuples_processed_.load(std::memory_order_relaxed);
    r.tuples_excluded = e->tuples_excluded_.load(std::memory_order_relaxed);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace pgw
