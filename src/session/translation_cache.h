// TranslationCache: process-wide LRU of translated statements, shared by all sessions, so a
// statement text is parsed and translated once. Keys are the exact query text (extended
// protocol) or the literal-free shape of a simple query (sql/literal_scanner.h). Entries are
// immutable and shared; any DDL bumps the schema generation, which retires every entry
// translated before it (parameter types and star expansion depend on the schema).
// Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sql/translator.h"

namespace pgw {

struct CachedTranslation {
  CachedTranslation(std::vector<TranslatedStatement> stmts, uint64_t gen)
      : statements(std::move(stmts)), generation(gen), run_us(statements.size()) {}

  std::vector<TranslatedStatement> statements;
  uint64_t generation = 0;
  // The last measured run time of each statement in microseconds (0 before its first run),
  // shared by every session: a statement runs inline on an I/O thread only while it stays
  // short (ProtocolSession, "Placement").
  mutable std::vector<std::atomic<int32_t>> run_us;
};

class TranslationCache {
 public:
  explicit TranslationCache(size_t capacity = 4096) : capacity_(capacity) {}

  std::shared_ptr<const CachedTranslation> Find(std::string_view key);
  void Insert(std::string key, std::shared_ptr<const CachedTranslation> value);
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void BumpGeneration() { generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  struct Node {
    std::string key;
    std::shared_ptr<const CachedTranslation> value;
  };
  size_t capacity_;
  std::atomic<uint64_t> generation_{1};
  std::mutex mu_;
  std::list<Node> lru_;  // front = most recent
  std::unordered_map<std::string_view, std::list<Node>::iterator> index_;
};

}  // namespace pgw
