// CopyProgressSource: the COPY commands running in the server, as pg_stat_progress_copy shows
// them. The session layer publishes them (session/copy_progress.h); a backend's catalog reads
// them through this interface, so backends need not know the session. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "types/pg_types.h"

namespace pgw {

// One row of pg_stat_progress_copy (PostgreSQL 15's columns; datid is the backend's own).
struct CopyProgressRow {
  int32_t pid = 0;
  std::string datname;
  Oid relid = 0;        // 0 for COPY (query) TO
  std::string command;  // "COPY FROM" or "COPY TO"
  std::string type;     // "FILE", "PROGRAM", "PIPE" (STDIN/STDOUT) or "CALLBACK"
  int64_t bytes_processed = 0;
  int64_t bytes_total = 0;  // size of the file for COPY FROM a file, else 0
  int64_t tuples_processed = 0;
  int64_t tuples_excluded = 0;  // rows a COPY FROM ... WHERE skipped
};

class CopyProgressSource {
 public:
  virtual ~CopyProgressSource() = default;
  // A consistent-enough picture of the COPY commands running now, ordered by pid.
  virtual std::vector<CopyProgressRow> Snapshot() const = 0;
};

}  // namespace pgw
