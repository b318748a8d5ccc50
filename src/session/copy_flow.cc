// The life of a COPY command: who may touch server files and programs, the transaction bracket
// that makes COPY FROM atomic, statement_timeout, pg_stat_progress_copy, and how it ends:
// CommandComplete, an error reported the way its protocol needs, or undone when the client
// goes away.
#include "session/copy_flow.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "common/sqlstate.h"
#include "protocol/backend_messages.h"
#include "session/error_mapper.h"
#include "session/session_internal.h"

namespace pgw {
namespace {

constexpr char kCopySavepoint[] = "pgw_copy";

bool Listed(const std::vector<std::string>& users, std::string_view user) {
  return std::any_of(users.begin(), users.end(),
                     [&](const std::string& u) { return u == "*" || u == user; });
}

// PostgreSQL's limit_printout_length: at most kCopyContextDisplay bytes, cut on a character
// boundary, then "...".
std::string LimitPrintout(std::string_view s) {
  if (s.size() <= kCopyContextDisplay) return std::string(s);
  size_t len = kCopyContextDisplay;
  while (len > 0 && (static_cast<unsigned char>(s[len]) & 0xC0) == 0x80) --len;
  return std::string(s.substr(0, len)) + "...";
}

// DoCopy's privilege checks, with the gateway's configuration in place of PostgreSQL's roles.
Status CheckServerAccess(const CopySpec& spec, const CopyServerAccess& access,
                         std::string_view user) {
  if (spec.filename.empty()) return Status::OK();
  const char* what = nullptr;
  if (spec.is_program) {
    if (!Listed(access.program_users, user)) {
      what =
          "must be superuser or have privileges of the pg_execute_server_program role to "
          "COPY to or from an external program";
    }
  } else if (!Listed(access.file_users, user)) {
    what = spec.is_from ? "must be superuser or have privileges of the pg_read_server_files "
                          "role to COPY from a file"
                        : "must be superuser or have privileges of the pg_write_server_files "
                          "role to COPY to a file";
  }
  if (what == nullptr) return Status::OK();
  return Status::Error(sqlstate::kInsufficientPrivilege, what)
      .WithHint(
          "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for "
          "anyone.");
}

}  // namespace

std::string CopyFieldContext(std::string_view relname, int64_t line, std::string_view column,
                             const std::optional<std::string_view>& value, bool binary) {
  std::string s = "COPY " + std::string(relname) + ", line " + std::to_string(line) + ", column " +
                  std::string(column);
  if (binary) return s;
  if (!value) return s + ": null input";
  return s + ": \"" + LimitPrintout(*value) + "\"";
}

std::string CopyLineContext(std::string_view relname, int64_t line,
                            const std::optional<std::string_view>& text) {
  std::string s = "COPY " + std::string(relname) + ", line " + std::to_string(line);
  if (!text) return s;
  return s + ": \"" + LimitPrintout(*text) + "\"";
}

Result<std::vector<size_t>> CopyColumnIndexes(const RelationInfo& rel,
                                              const std::vector<std::string>& names) {
  std::vector<size_t> idx;
  if (names.empty()) {
    for (size_t i = 0; i < rel.columns.size(); ++i) {
      if (!rel.columns[i].generated) idx.push_back(i);
    }
    return idx;
  }
  for (const std::string& name : names) {
    auto it = std::find_if(rel.columns.begin(), rel.columns.end(),
                           [&](const RelationColumn& c) { return c.name == name; });
    if (it == rel.columns.end()) {
      return Status::Error(sqlstate::kUndefinedColumn, "column \"" + name + "\" of relation \"" +
                                                           rel.name + "\" does not exist");
    }
    if (it->generated) {
      return Status::Error(sqlstate::kInvalidColumnReference,
                           "column \"" + name + "\" is a generated column")
          .WithDetail("Generated columns cannot be used in COPY.");
    }
    size_t i = static_cast<size_t>(it - rel.columns.begin());
    if (std::find(idx.begin(), idx.end(), i) != idx.end()) {
      return Status::Error(sqlstate::kDuplicateColumn,
                           "column \"" + name + "\" specified more than once");
    }
    idx.push_back(i);
  }
  return idx;
}

Status WithCopyContext(Status st, std::string_view context) {
  if (st.ok() || context.empty()) return st;
  ErrorInfo& info = st.mutable_info();
  if (!info.context.empty()) info.context += "\n";
  info.context += context;
  return st;
}

Status ProtocolSession::CopyCanceled() const {
  return Status::Error(sqlstate::kQueryCanceled,
                       timed_out_.load() ? "canceling statement due to statement timeout"
                                         : "canceling statement due to user request");
}

void ProtocolSession::StartCopy(const TranslatedStatement& t, CopyOrigin origin, std::string* out) {
  copy_ = std::make_unique<CopyRun>();
  CopyRun& run = *copy_;
  run.origin = origin;
  run.spec = t.copy;
  copy_cancel_.store(false);
  timed_out_.store(false);
  const CopySpec& spec = *run.spec;
  Status st = CheckServerAccess(spec, ctx_.copy_access, params_.user);
  if (st.ok()) st = EnsureBackend();
  int64_t timeout_ms = settings_.statement_timeout_ms();
  if (st.ok() && timeout_ms > 0 && ctx_.deadlines != nullptr) {
    run.timer = ctx_.deadlines->Schedule(std::chrono::milliseconds(timeout_ms), [this] {
      timed_out_.store(true);
      RequestCancel();
    });
  }
  if (st.ok()) st = spec.is_from ? BeginCopyFrom(run, out) : BeginCopyTo(t, run, out);
  if (st.ok() && !spec.filename.empty()) {
    Result<std::unique_ptr<CopyFileEndpoint>> f =
        CopyFileEndpoint::Open(spec.filename, spec.is_program, spec.is_from);
    if (f.ok()) {
      run.file = std::move(*f);
    } else {
      st = f.status();
    }
  }
  if (st.ok() && ctx_.copy_progress != nullptr) {
    CopyProgressRow row;
    row.pid = params_.backend_pid;
    row.datname = params_.database;
    row.relid = run.rel.oid;
    row.command = spec.is_from ? "COPY FROM" : "COPY TO";
    row.type = spec.filename.empty() ? "PIPE" : (spec.is_program ? "PROGRAM" : "FILE");
    row.bytes_total = run.file ? run.file->size() : 0;
    run.progress = ctx_.copy_progress->Start(row);
  }
  if (!st.ok()) {
    EndCopy(std::move(st), out);
    return;
  }
  if (spec.is_from) {
    if (run.file) EndCopy(RunCopyFromFile(), out);
    return;  // STDIN: CopyData follows
  }
  if (run.file) {
    EndCopy(RunCopyToFile(), out);
    return;
  }
  (void)ContinueCopyOut(out);  // ends the COPY itself, or leaves it suspended on output
}

Status ProtocolSession::OpenCopyBracket(CopyRun& run) {
  if (tx_ != TxState::kIdle || implicit_tx_) {
    PGW_RETURN_IF_ERROR(backend_->Savepoint(kCopySavepoint));
    run.bracket = CopyRun::Bracket::kSavepoint;
  } else {
    PGW_RETURN_IF_ERROR(backend_->Begin());
    run.bracket = CopyRun::Bracket::kTransaction;
  }
  return Status::OK();
}

// Commits (st OK) or undoes the COPY's own transaction or savepoint.
Status ProtocolSession::CloseCopyBracket(CopyRun& run, Status st) {
  switch (run.bracket) {
    case CopyRun::Bracket::kNone:
      break;
    case CopyRun::Bracket::kTransaction:
      if (st.ok()) {
        st = backend_->Commit();
        if (!st.ok()) (void)backend_->Rollback();
      } else {
        (void)backend_->Rollback();
      }
      break;
    case CopyRun::Bracket::kSavepoint:
      if (st.ok()) {
        st = backend_->ReleaseSavepoint(kCopySavepoint);
      } else {
        (void)backend_->RollbackToSavepoint(kCopySavepoint);
        (void)backend_->ReleaseSavepoint(kCopySavepoint);
      }
      break;
  }
  run.bracket = CopyRun::Bracket::kNone;
  return st;
}

void ProtocolSession::EndCopy(Status st, std::string* out) {
  CopyRun& run = *copy_;
  if (run.timer != 0) ctx_.deadlines->Cancel(run.timer);
  if (timed_out_.exchange(false) && st.sqlstate() == sqlstate::kQueryCanceled) {
    st.mutable_info().message = "canceling statement due to statement timeout";
  }
  // The insert thread and the cursor go first: nothing may use the backend session while the
  // transaction ends.
  if (!st.ok() && run.fetch) backend_->Cancel();  // the fetch thread stops at once
  run.pipeline.reset();
  run.sink.reset();
  run.batch = nullptr;
  run.fetch.reset();
  run.cursor.reset();
  run.statement.reset();
  if (run.file) {
    Status closed = run.file->Close();
    if (st.ok()) st = std::move(closed);
    run.file.reset();
  }
  st = CloseCopyBracket(run, std::move(st));
  if (ctx_.copy_progress != nullptr) ctx_.copy_progress->Finish(run.progress);
  const uint64_t rows = run.rows;
  const CopyOrigin origin = run.origin;
  copy_.reset();
  if (st.ok()) {
    AppendCommandComplete("COPY " + std::to_string(rows), out);
  } else if (origin == CopyOrigin::kExtended) {
    ExtendedError(st, out);
  }
  if (origin == CopyOrigin::kSimple) copy_result_ = std::move(st);
}

void ProtocolSession::AbortCopy() {
  if (!copy_) return;
  copy_cancel_.store(true);
  if (backend_) backend_->Cancel();  // an insert in progress stops at once
  std::string discard;
  EndCopy(Status::Error(sqlstate::kConnectionFailure, "client went away during COPY"), &discard);
  copy_result_ = Status();
}

ProtocolSession::Step ProtocolSession::HandleCopyInFrame(char type, std::string_view body,
                                                         std::string* out) {
  Status st;
  switch (type) {
    case msg::kCopyData:
      if (copy_cancel_.load()) {
        st = WithCopyContext(
            CopyCanceled(),
            CopyLineContext(copy_->relname, copy_->decoder->line() + 1, std::nullopt));
        break;
      }
      if (copy_->progress) copy_->progress->AddBytes(static_cast<int64_t>(body.size()));
      st = CopyInData(body, false);
      if (st.ok()) return Step::kNeedInput;
      break;
    case msg::kCopyDone:
      st = CopyInData({}, true);
      if (st.ok()) st = CopyInFinish();
      break;
    case msg::kCopyFail: {
      Result<CopyFailMsg> m = DecodeCopyFail(body);
      st = m.ok() ? Status::Error(sqlstate::kQueryCanceled,
                                  "COPY from stdin failed: " + std::string(m->message))
                  : m.status();
      break;
    }
    case msg::kFlush:
    case msg::kSync:
      // Ignored during COPY FROM STDIN, as PostgreSQL does: libpq may send them right after
      // a COPY it did not know was one.
      return Step::kNeedInput;
    case msg::kTerminate:
      Close();
      return Step::kClose;
    default: {
      // PostgreSQL reports the message, then gives up on the connection: it cannot tell where
      // the client's next message starts.
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned>(static_cast<uint8_t>(type)));
      st = WithCopyContext(
          Status::Error(sqlstate::kProtocolViolation,
                        std::string("unexpected message type ") + hex + " during COPY from stdin"),
          CopyLineContext(copy_->relname, copy_->decoder->line() + 1, std::nullopt));
      const CopyOrigin origin = copy_->origin;
      EndCopy(std::move(st), out);
      if (origin == CopyOrigin::kSimple) AppendError(std::exchange(copy_result_, Status()), out);
      AppendFatal(Status::Error(sqlstate::kProtocolViolation,
                                "terminating connection because protocol synchronization was lost"),
                  out);
      Close();
      return Step::kClose;
    }
  }
  if (!st.ok() && st.info().context.empty() && type != msg::kCopyData && type != msg::kCopyDone) {
    // PostgreSQL was reading the next line when this arrived.
    st = WithCopyContext(std::move(st),
                         CopyLineContext(copy_->relname, copy_->decoder->line() + 1, std::nullopt));
  }
  EndCopy(std::move(st), out);
  // A simple Query goes on with its next statement (or ends with ReadyForQuery).
  if (simple_) return ContinueSimpleQuery(out);
  return Step::kNeedInput;
}

}  // namespace pgw
