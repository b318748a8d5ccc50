// Server files and programs for COPY, with PostgreSQL's errors.
#include "session/copy_file.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <cstring>

#include "common/sqlstate.h"

namespace pgw {
namespace {

// errcode_for_file_access.
const char* FileAccessCode(int err) {
  switch (err) {
    case ENOENT:
      return sqlstate::kUndefinedFile;
    case EACCES:
    case EPERM:
    case EROFS:
      return sqlstate::kInsufficientPrivilege;
    case EEXIST:
      return "58P02";  // duplicate_file
    case ENOTDIR:
    case EISDIR:
    case ENOTEMPTY:
      return "42809";  // wrong_object_type
    case ENOSPC:
      return sqlstate::kDiskFull;
    case ENFILE:
    case EMFILE:
      return "53000";  // insufficient_resources
    case EIO:
      return sqlstate::kIoError;
    default:
      return sqlstate::kInternalError;
  }
}

Status FileError(int err, std::string message) {
  return Status::Error(FileAccessCode(err), std::move(message) + ": " + std::strerror(err));
}

// Writing to a program that has exited raises SIGPIPE, which would end the server: block it on
// this thread while writing, and swallow one that became pending.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
};

}  // namespace

Result<std::unique_ptr<CopyFileEndpoint>> CopyFileEndpoint::Open(const std::string& target,
                                                                 bool program, bool for_reading) {
  if (program) {
    FILE* f = ::popen(target.c_str(), for_reading ? "r" : "w");
    if (f == nullptr) return FileError(errno, "could not execute command \"" + target + "\"");
    return std::unique_ptr<CopyFileEndpoint>(new CopyFileEndpoint(target, true, f));
  }
  if (!for_reading && (target.empty() || target[0] != '/')) {
    return Status::Error("42602", "relative path not allowed for COPY to file");
  }
  FILE* f = std::fopen(target.c_str(), for_reading ? "rb" : "wb");
  if (f == nullptr) {
    int err = errno;
    Status st = FileError(
        err, "could not open file \"" + target + "\" for " + (for_reading ? "reading" : "writing"));
    if (err == ENOENT || err == EACCES) {
      st = std::move(st).WithHint(
          for_reading ? "COPY FROM instructs the PostgreSQL server process to read a file. You "
                        "may want a client-side facility such as psql's \\copy."
                      : "COPY TO instructs the PostgreSQL server process to write a file. You "
                        "may want a client-side facility such as psql's \\copy.");
    }
    return st;
  }
  std::unique_ptr<CopyFileEndpoint> e(new CopyFileEndpoint(target, false, f));
  struct stat sb;
  if (::fstat(::fileno(f), &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) {
      return Status::Error("42809", "\"" + target + "\" is a directory");
    }
    if (for_reading) e->size_ = static_cast<int64_t>(sb.st_size);
  }
  return e;
}

CopyFileEndpoint::~CopyFileEndpoint() {
  if (f_ == nullptr) return;
  if (program_) {
    ::pclose(f_);
  } else {
    std::fclose(f_);
  }
}

Result<size_t> CopyFileEndpoint::Read(char* buf, size_t n) {
  size_t got = std::fread(buf, 1, n, f_);
  if (got == 0 && std::ferror(f_)) {
    return FileError(
        errno, program_ ? "could not read from COPY program" : "could not read from COPY file");
  }
  return got;
}

Status CopyFileEndpoint::Write(std::string_view bytes) {
  if (bytes.empty()) return Status::OK();
  SigpipeGuard guard;
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) {
    return FileError(errno,
                     program_ ? "could not write to COPY program" : "could not write to COPY file");
  }
  return Status::OK();
}

Status CopyFileEndpoint::Close() {
  FILE* f = f_;
  f_ = nullptr;
  if (!program_) {
    if (std::fclose(f) != 0) return FileError(errno, "could not close file \"" + target_ + "\"");
    return Status::OK();
  }
  int status = 0;
  {
    SigpipeGuard guard;  // the final flush may meet a program that has exited
    status = ::pclose(f);
  }
  if (status == -1) return FileError(errno, "could not close pipe to external command");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::OK();
  std::string detail =
      WIFEXITED(status)
          ? "child process exited with exit code " + std::to_string(WEXITSTATUS(status))
          : "child process was terminated by signal " + std::to_string(WTERMSIG(status));
  return Status::Error("38000", "program \"" + target_ + "\" failed").WithDetail(detail);
}

}  // namespace pgw
