// ProtocolSession drives one client connection from the startup packet to Terminate, as a
// synchronous state machine over bytes: Process() consumes complete frames from the input,
// appends responses to the output, and says whether it needs more input, wants the output
// flushed before continuing (bounded memory for large results), or is done. It never touches a
// socket, so the I/O coroutine (session/connection.h) decides on which thread it runs and
// tests can drive it directly.
//
// Placement. Process() is first called on the connection's I/O thread (Placement::kInline).
// There it does only work that cannot block: decoding, binding, session statements, and
// read-only statements of a backend that supports time slices, under a slice of
// kInlineSliceMicros. Anything else (startup and authentication, writes, COPY, statements that
// were slow last time, a statement whose slice expired) makes it stop before that work,
// leaving the session exactly as if the work had not started, and return kOffload: the
// connection then calls Process() again on a backend worker thread (Placement::kWorker),
// where everything runs. So a long statement never stalls the I/O thread, and a short one
// costs no thread hand-off (see README, "Design notes").
//
// Not thread-safe: one thread at a time calls Process()/Close(). RequestCancel() may be called
// from any thread. The GatewayContext must outlive every session.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credential_store.h"
#include "auth/hba.h"
#include "auth/scram.h"
#include "common/status.h"
#include "iris_pgwire/backend.h"
#include "protocol/backend_messages.h"
#include "protocol/frontend.h"
#include "protocol/startup.h"
#include "session/cancel_registry.h"
#include "session/connection_limits.h"
#include "session/deadline_scheduler.h"
#include "session/session_registry.h"
#include "session/settings.h"
#include "session/translation_cache.h"
#include "sql/translator.h"

namespace pgw {

class CopyProgressRegistry;
struct CopyRow;  // copy/copy_decoder.h

// Who may COPY to or from server files (PostgreSQL's pg_read_server_files and
// pg_write_server_files roles) and programs (pg_execute_server_program): user names, "*" for
// every user. Nobody by default; others get 42501.
struct CopyServerAccess {
  std::vector<std::string> file_users;
  std::vector<std::string> program_users;
};

// Shared by all sessions of a server.
struct GatewayContext {
  Backend* backend = nullptr;
  CredentialStore* users = nullptr;
  CancelRegistry* cancels = nullptr;
  TranslationCache* translations = nullptr;
  DeadlineScheduler* deadlines = nullptr;  // statement_timeout; may be null
  HbaStore* hba = nullptr;                 // access rules: which method for which client
  ConnectionLimits* limits = nullptr;      // per-user / per-database caps; may be null
  // After a failed login the session waits this long before answering (PostgreSQL's
  // auth_delay), without holding a thread: see Step::kDelay.
  int auth_failure_delay_ms = 0;
  // Defaults of idle_in_transaction_session_timeout / idle_session_timeout (ms, 0 = off).
  int idle_in_transaction_session_timeout_ms = 0;
  int idle_session_timeout_ms = 0;
  std::string server_version = "15.0";
  int max_connections = 100;
  // Server-wide cap on how long a statement may wait for a lock in total (the backend waits
  // only short slices; the session retries between them without holding a backend thread),
  // then 55P03. 0 = no cap: as in PostgreSQL, a wait ends by cancel, statement_timeout or the
  // session's lock_timeout.
  int lock_wait_ms = 0;
  std::atomic<int>* active_connections = nullptr;
  std::atomic<bool>* shutting_down = nullptr;
  CopyProgressRegistry* copy_progress = nullptr;  // pg_stat_progress_copy; may be null
  CopyServerAccess copy_access;
};

// What the transport knows about the client, for the access rules.
struct ClientInfo {
  bool local = false;    // Unix-domain socket (reported as "[local]")
  std::string address;   // TCP peer address ("127.0.0.1", "::1"); "" when unknown
  bool tls = false;      // the connection is encrypted
  // tls-server-end-point channel binding data (auth/tls_server_end_point.h) when tls.
  std::string tls_server_end_point;
};

// Output flushed (and Process() returns kFlush) once a response grows past this.
inline constexpr size_t kOutputFlushThreshold = 256 * 1024;
// How long one inline Process() call may run backend statements before they move to a worker.
inline constexpr int32_t kInlineSliceMicros = 500;
// Query and Parse messages longer than this are translated on a worker (parsing is linear but
// not free).
inline constexpr size_t kInlineMaxQueryBytes = 16 * 1024;

enum class Placement : uint8_t {
  kInline,  // on the connection's I/O thread: never block
  kWorker,  // on a backend worker thread: anything goes
};

class ProtocolSession {
 public:
  enum class Step : uint8_t {
    kNeedInput,  // no complete frame left; read more
    kFlush,      // write the output, then call Process() again before reading
    kClose,      // write the output, then close the connection
    kRetryLater, // a lock was busy: call Process() again after a short pause (no input read)
    kOffload,    // only from kInline: call Process() again at once with kWorker (no input read)
    kDelay,      // write the output, wait delay() without reading, then call Process() again
  };

  // Implementation types, defined in session_internal.h.
  class CatalogView;  // session_catalog.cc
  struct Prepared;
  struct Portal;
  struct SimpleQuery;
  // An Execute in progress across Process() calls (suspended on a full output buffer).
  struct Pending {
    std::string portal;
    int64_t remaining = 0;  // rows still allowed by max_rows (0 = unlimited)
    uint64_t rows = 0;      // rows sent by this Execute so far
  };
  struct CopyRun;

  ProtocolSession(GatewayContext& ctx, ClientInfo client);
  ~ProtocolSession();
  ProtocolSession(const ProtocolSession&) = delete;
  ProtocolSession& operator=(const ProtocolSession&) = delete;

  // Consumes complete frames from the front of `*input` (advancing it) and appends responses
  // to `*out`.
  Step Process(std::string_view* input, std::string* out, Placement where = Placement::kWorker);
  // The client went away or the server is stopping: roll back, release the backend session.
  void Close();
  // Appends the FATAL 57P01 sent to sessions when the server shuts down.
  static void AppendShutdownNotice(std::string* out);
  // A FATAL ErrorResponse for `status`, for the transport to send before it closes (e.g. a
  // refused TLS negotiation).
  static void AppendFatalStatus(const Status& status, std::string* out);
  // Thread-safe: interrupts the running statement, if any.
  void RequestCancel();
  // The connection starts (true) or stops (false) waiting for the client's next message.
  // Between statements a CancelRequest then has nothing to cancel; in COPY FROM STDIN it still
  // cancels the COPY, as in PostgreSQL.
  void SetWaitingForInput(bool waiting);
  // True after a Terminate or a fatal error.
  bool closed() const { return state_ == State::kClosed; }
  // True while waiting in startup / authentication (for authentication_timeout).
  bool in_startup() const {
    return state_ == State::kStartup || state_ == State::kAuthSasl ||
           state_ == State::kAuthPassword;
  }
  // While the connection waits for the next client message: the idle timeout that applies
  // (0 = none): idle_in_transaction_session_timeout inside a transaction block,
  // idle_session_timeout outside one; none during startup, COPY or a suspended query.
  struct IdleTimeout {
    int64_t ms = 0;
    bool in_transaction = false;
  };
  IdleTimeout idle_timeout() const;
  // The FATAL sent when that timeout expires (25P03 / 57P05, PostgreSQL's messages).
  static void AppendIdleTimeoutFatal(bool in_transaction, std::string* out);
  // After Step::kDelay: how long to wait before calling Process() again.
  std::chrono::milliseconds delay() const { return delay_; }

 private:
  enum class State : uint8_t {
    kStartup,       // expecting SSLRequest / GSSENCRequest / StartupMessage / CancelRequest
    kAuthSasl,      // expecting SASLInitialResponse or SASLResponse
    kAuthPassword,  // expecting a clear-text PasswordMessage (the `password` method, TLS only)
    kReady,         // normal operation
    kDiscardUntilSync,  // extended-protocol error: skip to Sync
    kClosed,
  };
  enum class TxState : uint8_t { kIdle, kInBlock, kFailed };

  void TransitionTo(State next);

  // The frame loop of Process().
  Step ProcessFrames(std::string_view* input, std::string* out);

  // Startup and authentication.
  Step HandleStartupPacket(std::string_view body, std::string* out);
  Step HandleStartupMessage(const StartupMessage& m, std::string* out);
  Step Authenticate(std::string* out);
  Step HandleSasl(std::string_view body, std::string* out);
  Step HandlePassword(std::string_view body, std::string* out);
  Step FinishAuthentication(std::string* out);
  Step FailStartup(const Status& status, std::string* out);
  // A failed login: the FATAL goes out after auth_failure_delay_ms (Step::kDelay), if set.
  Step FailAuthentication(const Status& status, std::string* out);
  Status RefusedByRules(bool rejected) const;

  // Placement (placement.cc). Whether the frame may be handled inline, judged before it is
  // touched; then, for the statement it runs, whether that may run inline.
  bool FrameMayRunInline(char type, std::string_view body) const;
  bool StatementMayRunInline(const TranslatedStatement& t, const BackendStatement* bs,
                             const CachedTranslation& tr) const;
  // Records how long statement `t` of `tr` ran; a statement whose slice expired is recorded as
  // slow, so it starts on a worker next time.
  static void RecordRunTime(const CachedTranslation& tr, const TranslatedStatement& t,
                            std::chrono::steady_clock::time_point start, bool slice_expired);
  // Returned by a handler that stopped before changing anything: the frame is not consumed.
  Step OffloadFrame() {
    offload_unconsumed_ = true;
    return Step::kOffload;
  }
  // True when `st` means "the time slice expired or a lock was busy" during inline work.
  bool InlineYield(const Status& st) const { return inline_ && st.retryable(); }

  // Frames after startup.
  Step HandleFrame(char type, std::string_view body, std::string_view rest, std::string* out);
  Step HandleQuery(std::string_view sql, std::string* out);
  Step ContinueSimpleQuery(std::string* out);
  Status HandleParse(const ParseMsg& m);
  Status HandleBind(const BindMsg& m, std::string_view body);
  // The error for a Bind that did not decode, in PostgreSQL's order (statement, count, values).
  Status BindDecodeError(std::string_view body, Status decode_error) const;
  Status CheckBindTarget(std::string_view statement, size_t param_count) const;
  Status HandleDescribe(const DescribeMsg& m, std::string* out);
  // Returns kFlush when suspended on a full output buffer.
  Step HandleExecute(std::string_view portal, int64_t max_rows, bool autocommit_ok,
                     std::string* out);
  Status HandleClose(const CloseMsg& m);
  Status DeclareCursor(const Portal& from, std::string* out);
  void HandleSync(std::string* out);
  void ExtendedError(const Status& st, std::string* out);

  // Statement machinery shared by both protocols.
  Result<std::shared_ptr<Prepared>> PrepareStatement(std::string_view sql,
                                                     std::vector<uint32_t> param_types);
  Result<std::unique_ptr<BackendStatement>> PrepareBackend(const TranslatedStatement& t);
  // Runs a statement the session handles itself; appends its result rows (if any) and tag.
  Status RunSessionStatement(const TranslatedStatement& t, bool send_row_description,
                             std::span<const int16_t> result_formats, std::string* out);
  // Fetches from a portal, writing DataRows; sets *suspended when the row limit was hit.
  Status FetchPortal(Portal& portal, int64_t max_rows, std::string* out, uint64_t* rows,
                     bool* suspended, bool* buffer_full);
  Status FetchPortalRows(Portal& portal, int64_t max_rows, std::string* out, uint64_t* rows,
                         bool* suspended, bool* buffer_full);
  std::string CompletionTag(const TranslatedStatement& t, uint64_t rows) const;
  void AppendRowDescription(const std::vector<ColumnDesc>& cols,
                            std::span<const int16_t> formats, std::string* out) const;
  Status EnsureBackend();
  void AppendReady(std::string* out);
  Status BeginImplicit();
  void StartTransaction();
  // Closes transaction-scoped portals; undoes SET (rollback) or SET LOCAL (commit).
  void EndTransaction(bool committed);
  size_t FindSettingsSavepoint(std::string_view name) const;
  Status OnStatementError(Status st);

  // COPY (copy_flow.cc; COPY FROM in copy_in.cc, COPY TO in copy_out.cc). StartCopy begins the
  // statement; it ends in EndCopy, at once or after CopyData frames / output flushes. Its
  // outcome reaches the client as CommandComplete or, for the extended protocol, through
  // ExtendedError; for a simple Query it is left in copy_result_ for ContinueSimpleQuery.
  enum class CopyOrigin : uint8_t { kSimple, kExtended };
  void StartCopy(const TranslatedStatement& t, CopyOrigin origin, std::string* out);
  Status BeginCopyFrom(CopyRun& run, std::string* out);
  Status BeginCopyTo(const TranslatedStatement& t, CopyRun& run, std::string* out);
  // A frame received while COPY FROM STDIN waits for data.
  Step HandleCopyInFrame(char type, std::string_view body, std::string* out);
  Status CopyInData(std::string_view bytes, bool finished);
  Status CopyInRow(const CopyRow& row);
  Status CopyInFinish();
  Status RunCopyFromFile();
  // COPY TO: fetches and encodes until the output is full (kFlush) or the rows end.
  Step ContinueCopyOut(std::string* out);
  Status RunCopyToFile();
  Status OpenCopyBracket(CopyRun& run);
  Status CloseCopyBracket(CopyRun& run, Status st);
  void EndCopy(Status st, std::string* out);
  // The client went away (Close): stop the COPY and undo it.
  void AbortCopy();
  Status CopyCanceled() const;
  void ReportSettings(const std::vector<std::pair<std::string, std::string>>& changed,
                      std::string* out);
  // SET name = value (SET LOCAL when `is_local`) with PostgreSQL's transaction semantics;
  // ParameterStatus for reported settings goes to `changed`. `*applied` false when SET LOCAL
  // outside a transaction block had no effect (PostgreSQL warns).
  Status ApplySet(const std::string& name, const std::vector<std::string>& values, bool is_local,
                  std::vector<std::pair<std::string, std::string>>* changed, bool* applied);
  // Registers the session in pg_stat_activity and hands the backend its catalog view.
  void StartActivity();

  GatewayContext& ctx_;
  ClientInfo client_;
  bool counted_ = false;
  bool limits_counted_ = false;    // counted in ctx_.limits
  std::string delayed_output_;     // a failed login's FATAL, sent after delay_
  std::chrono::milliseconds delay_{0};
  State state_ = State::kStartup;
  TxState tx_ = TxState::kIdle;
  bool implicit_tx_ = false;  // backend transaction opened implicitly (multi-statement Query)
  SessionParams params_;
  SessionSettings settings_;
  // Settings as they were at transaction start ([0]) and at each savepoint, so a rollback
  // undoes SET like PostgreSQL does.
  struct SettingsSavepoint {
    std::string name;
    SessionSettings settings;
  };
  std::vector<SettingsSavepoint> settings_stack_;
  std::vector<std::string> local_settings_;  // SET LOCAL names of this transaction
  // ParameterStatus messages owed to the client, sent before the next ReadyForQuery.
  std::vector<std::pair<std::string, std::string>> pending_reports_;
  std::unique_ptr<ScramServer> scram_;
  bool sasl_first_done_ = false;
  std::shared_ptr<SessionCatalogContext> catalog_view_;  // a CatalogView
  std::shared_ptr<SessionActivity> activity_;
  std::unique_ptr<BackendSession> backend_;
  CancelRegistry::Key key_{0, 0};
  bool registered_ = false;
  std::map<std::string, std::shared_ptr<Prepared>, std::less<>> statements_;
  using PortalMap = std::map<std::string, std::unique_ptr<Portal>, std::less<>>;
  PortalMap portals_;
  // The unnamed portal is replaced on every execution and dropped at every transaction end:
  // one erased portal and one map node are kept for reuse instead of being freed (portals.cc).
  std::unique_ptr<Portal> spare_portal_;
  PortalMap::node_type spare_node_;
  std::unique_ptr<Portal> TakePortal();
  void InsertPortal(std::string_view name, std::unique_ptr<Portal> portal);
  PortalMap::iterator ErasePortal(PortalMap::iterator it);
  void RecyclePortal(std::unique_ptr<Portal> portal);
  BindMsg bind_msg_;  // every Bind is decoded into this, reusing its memory
  std::unique_ptr<SimpleQuery> simple_;     // a simple Query in progress (suspended on output)
  std::optional<Pending> pending_exec_;     // an Execute suspended on output
  std::unique_ptr<CopyRun> copy_;           // a COPY in progress
  Status copy_result_;                      // outcome of a simple Query's COPY (EndCopy)
  std::atomic<bool> copy_cancel_{false};    // set by RequestCancel, polled by COPY
  // Set by RequestCancel; cleared when a statement starts and checked when it resumes (after a
  // full output buffer or a lock wait), so a cancel that lands between two fetches of a long
  // result, while no backend call runs, still stops it.
  std::atomic<bool> query_cancel_{false};
  // A cancel that arrived while the client's message waited for a worker (no statement running
  // yet): the next statement to start ends with 57014 (StartStatement). PostgreSQL has no such
  // queue, but its backend would be running that statement. Dropped once the connection waits
  // for input again, and ignored while it waits: then there is nothing to cancel.
  std::atomic<bool> queued_cancel_{false};
  std::atomic<bool> waiting_for_input_{true};
  std::atomic<bool> timed_out_{false};  // the running statement hit statement_timeout
  std::atomic<bool> cancel_pending_{false};  // cancel that arrived while waiting for a lock
  std::chrono::steady_clock::time_point lock_wait_since_{};
  bool lock_waiting_ = false;
  bool lock_wait_canceled_ = false;
  // True when `*st` is a busy lock and the statement may still wait: the caller then returns
  // kRetryLater with its state intact. A wait ends, as in PostgreSQL, only by cancel,
  // statement_timeout or lock_timeout (then `*st` becomes 55P03 "canceling statement due to
  // lock timeout"); --busy-timeout-ms, when set, caps it server-wide (55P03 with the SQLite
  // detail).
  bool ShouldRetry(Status* st);
  // The longest a lock wait may last: the smaller of lock_timeout and --busy-timeout-ms, the
  // ones that are set (0: no limit).
  int64_t LockWaitLimitMs() const;
  // A statement starts (clears a cancel meant for an earlier one, sets its statement_timeout
  // deadline) or resumes: then the cancel (or statement timeout) that came since its last
  // fetch, if any, as the error to report. Each FetchPortal arms the timer for what is left of
  // the deadline, as PostgreSQL times the whole statement, not each part of it between two
  // waits for the client.
  // Begins a statement; 57014 when a cancel for it arrived while it was queued.
  [[nodiscard]] Status StartStatement();
  Status ResumeStatement();
  std::chrono::steady_clock::time_point statement_deadline_{};
  bool statement_deadline_set_ = false;  // statement_timeout was on when the statement started
  // Scratch reused per simple query to avoid allocations on the hot path.
  std::string shape_;
  bool inline_ = false;              // inside a Process(kInline) call
  bool offload_unconsumed_ = false;  // set by OffloadFrame()
};

}  // namespace pgw
