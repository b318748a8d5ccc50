// CopyFileEndpoint: the server side of COPY FROM/TO 'file' and FROM/TO PROGRAM 'command', with
// PostgreSQL 15's error texts (`could not open file "/x" for reading: No such file or
// directory`, `program "cmd" failed`). A program runs through /bin/sh -c with its standard
// output (COPY FROM) or input (COPY TO) connected to the COPY. Whether the user may do this at
// all is decided by the COPY flow (CopyServerAccess). Blocking; not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pgw {

class CopyFileEndpoint {
 public:
  // Opens `target` (a path, or a shell command when `program`) for reading (COPY FROM) or
  // writing (COPY TO). COPY TO a file needs an absolute path (42602), as in PostgreSQL.
  [[nodiscard]] static Result<std::unique_ptr<CopyFileEndpoint>> Open(const std::string& target,
                                                                      bool program,
                                                                      bool for_reading);
  // Closes without reporting (an abandoned COPY).
  ~CopyFileEndpoint();
  CopyFileEndpoint(const CopyFileEndpoint&) = delete;
  CopyFileEndpoint& operator=(const CopyFileEndpoint&) = delete;

  // Up to `n` bytes into `buf`; 0 at the end of the data.
  [[nodiscard]] Result<size_t> Read(char* buf, size_t n);
  [[nodiscard]] Status Write(std::string_view bytes);
  // Closes the file or waits for the program: a program that exits with a status other than 0
  // is 38000 `program "cmd" failed` with the exit status as DETAIL.
  [[nodiscard]] Status Close();

  // Size of the file being read (pg_stat_progress_copy.bytes_total); 0 for programs.
  int64_t size() const { return size_; }

 private:
  CopyFileEndpoint(std::string target, bool program, FILE* f)
      : target_(std::move(target)), program_(program), f_(f) {}

  std::string target_;
  bool program_;
  FILE* f_;
  int64_t size_ = 0;
};

}  // namespace pgw
