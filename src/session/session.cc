// ProtocolSession: startup, authentication and message dispatch. The query flows live in
// query_flow.cc.
#include "session/session.h"

#include "common/log.h"
#include "common/sqlstate.h"
#include "copy/utf8_check.h"
#include "protocol/frame.h"
#include "session/error_mapper.h"
#include "session/copy_flow.h"
#include "session/error_position.h"
#include "session/session_internal.h"

namespace pgw {

ProtocolSession::ProtocolSession(GatewayContext& ctx, ClientInfo client)
    : ctx_(ctx), client_(std::move(client)), settings_(ctx.server_version) {
  // Values checked at start (main.cc), so these cannot fail.
  if (ctx.idle_in_transaction_session_timeout_ms > 0) {
    (void)settings_.SetStartup("idle_in_transaction_session_timeout",
                               std::to_string(ctx.idle_in_transaction_session_timeout_ms));
  }
  if (ctx.idle_session_timeout_ms > 0) {
    (void)settings_.SetStartup("idle_session_timeout", std::to_string(ctx.idle_session_timeout_ms));
  }
}

ProtocolSession::IdleTimeout ProtocolSession::idle_timeout() const {
  if (state_ != State::kReady || copy_ || simple_ || pending_exec_) return {};
  if (tx_ != TxState::kIdle) return {settings_.idle_in_transaction_timeout_ms(), true};
  return {settings_.idle_session_timeout_ms(), false};
}

void ProtocolSession::AppendIdleTimeoutFatal(bool in_transaction, std::string* out) {
  AppendFatal(in_transaction
                  ? Status::Error("25P03",
                                  "terminating connection due to idle-in-transaction timeout")
                  : Status::Error("57P05", "terminating connection due to idle-session timeout"),
              out);
}

ProtocolSession::~ProtocolSession() { Close(); }

void ProtocolSession::TransitionTo(State next) { state_ = next; }

void ProtocolSession::Close() {
  AbortCopy();
  simple_.reset();
  pending_exec_.reset();
  portals_.clear();
  statements_.clear();
  if (backend_ && (tx_ != TxState::kIdle || implicit_tx_)) {
    Status st = backend_->Rollback();  // a vanished client's transaction never commits
    (void)st;
  }
  tx_ = TxState::kIdle;
  implicit_tx_ = false;
  backend_.reset();
  if (activity_) {
    SessionRegistry::Instance().Unregister(key_.pid);
    activity_.reset();
  }
  if (registered_) {
    ctx_.cancels->Unregister(key_.pid);
    registered_ = false;
  }
  if (counted_) {
    ctx_.active_connections->fetch_sub(1);
    counted_ = false;
  }
  if (limits_counted_) {
    ctx_.limits->Release(params_.user, params_.database);
    limits_counted_ = false;
  }
  TransitionTo(State::kClosed);
}

void ProtocolSession::AppendFatalStatus(const Status& status, std::string* out) {
  AppendFatal(status, out);
}

void ProtocolSession::AppendShutdownNotice(std::string* out) {
  AppendFatal(Status::Error(sqlstate::kAdminShutdown,
                            "terminating connection due to administrator command"),
              out);
}

bool ProtocolSession::ShouldRetry(Status* st) {
  if (!st->retryable()) {
    lock_waiting_ = false;
    return false;
  }
  auto now = std::chrono::steady_clock::now();
  if (!lock_waiting_) {
    lock_waiting_ = true;
    lock_wait_since_ = now;
    cancel_pending_.store(false);
  }
  if (cancel_pending_.exchange(false)) {
    lock_waiting_ = false;
    lock_wait_canceled_ = true;
    return false;
  }
  const int64_t limit = LockWaitLimitMs();
  if (limit > 0 && now - lock_wait_since_ >= std::chrono::milliseconds(limit)) {
    lock_waiting_ = false;
    if (limit == settings_.lock_timeout_ms()) {
      *st = Status::Error(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout");
    }
    return false;
  }
  return true;
}

int64_t ProtocolSession::LockWaitLimitMs() const {
  const int64_t lock_timeout = settings_.lock_timeout_ms();
  const int64_t cap = ctx_.lock_wait_ms;
  if (lock_timeout > 0 && cap > 0) return std::min(lock_timeout, cap);
  return lock_timeout > 0 ? lock_timeout : cap;
}

Status ProtocolSession::StartStatement() {
  query_cancel_.store(false);
  timed_out_.store(false);
  const int64_t ms = settings_.statement_timeout_ms();
  statement_deadline_set_ = ms > 0;
  if (ms > 0) {
    statement_deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  }
  if (queued_cancel_.exchange(false)) {
    return Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  return Status::OK();
}

Status ProtocolSession::ResumeStatement() {
  if (!query_cancel_.exchange(false)) return Status::OK();
  lock_waiting_ = false;  // the statement ends here: a lock wait of it is over too
  cancel_pending_.store(false);
  const bool timed_out = timed_out_.exchange(false);
  return Status::Error(sqlstate::kQueryCanceled,
                       timed_out ? "canceling statement due to statement timeout"
                                 : "canceling statement due to user request");
}

void ProtocolSession::SetWaitingForInput(bool waiting) {
  if (waiting && !copy_) {
    queued_cancel_.store(false);
    waiting_for_input_.store(true);
  } else {
    waiting_for_input_.store(false);
  }
}

void ProtocolSession::RequestCancel() {
  if (waiting_for_input_.load()) return;  // idle: nothing to cancel
  queued_cancel_.store(true);
  query_cancel_.store(true);
  if (lock_waiting_) cancel_pending_.store(true);
  copy_cancel_.store(true);  // a COPY polls this between messages and batches
  // backend_ is set once before the key is registered and reset only after Unregister, and the
  // registry serializes Cancel against Unregister, so this pointer is stable here.
  if (BackendSession* b = backend_.get()) b->Cancel();
}

ProtocolSession::Step ProtocolSession::Process(std::string_view* input, std::string* out,
                                               Placement where) {
  if (where == Placement::kInline) {
    // Startup (SCRAM, opening the backend session) and work suspended earlier run on workers,
    // and so does everything of a backend that cannot work under time slices.
    if (state_ == State::kStartup || state_ == State::kAuthSasl ||
        state_ == State::kAuthPassword || !backend_ ||
        !backend_->SupportsTimeSlices() || pending_exec_ || simple_ || copy_) {
      return Step::kOffload;
    }
    backend_->SetTimeSlice(std::chrono::steady_clock::now() +
                           std::chrono::microseconds(kInlineSliceMicros));
    inline_ = true;
    Step s = ProcessFrames(input, out);
    inline_ = false;
    if (backend_) backend_->ClearTimeSlice();
    return s;
  }
  if (delay_.count() > 0) {  // a failed login waited out its delay: answer and close
    out->append(delayed_output_);
    delayed_output_.clear();
    delay_ = std::chrono::milliseconds(0);
    Close();
    return Step::kClose;
  }
  // Finish work suspended on a full output buffer (or handed over by an inline call) first.
  if (copy_ && !copy_->waiting_for_data) {
    Step s = ContinueCopyOut(out);
    if (s != Step::kNeedInput) return s;
  }
  if (pending_exec_) {
    Step s = HandleExecute(pending_exec_->portal, -1, true, out);
    if (s != Step::kNeedInput) return s;
  }
  if (simple_) {
    Step s = ContinueSimpleQuery(out);
    if (s != Step::kNeedInput) return s;
  }
  return ProcessFrames(input, out);
}

ProtocolSession::Step ProtocolSession::ProcessFrames(std::string_view* input, std::string* out) {
  while (state_ != State::kClosed) {
    if (state_ == State::kStartup) {
      SplitResult r = SplitStartupFrame(*input);
      if (r.outcome == SplitOutcome::kNeedMore) return Step::kNeedInput;
      if (r.outcome == SplitOutcome::kError) return FailStartup(r.error, out);
      input->remove_prefix(r.frame.total_size);
      Step s = HandleStartupPacket(r.frame.body, out);
      if (s != Step::kNeedInput) return s;
      continue;
    }
    bool authenticating = state_ == State::kAuthSasl || state_ == State::kAuthPassword;
    uint32_t limit = authenticating ? kMaxAuthMessageLength : kMaxMessageLength;
    SplitResult r = SplitFrame(*input, limit);
    if (r.outcome == SplitOutcome::kNeedMore) return Step::kNeedInput;
    if (r.outcome == SplitOutcome::kError) {
      AppendFatal(r.error, out);
      Close();
      return Step::kClose;
    }
    if (authenticating) {
      input->remove_prefix(r.frame.total_size);
      if (r.frame.type != msg::kPassword) {
        const char* what = state_ == State::kAuthSasl ? "SASL response" : "password response";
        return FailStartup(Status::Error(sqlstate::kProtocolViolation,
                                         std::string("expected ") + what +
                                             ", got message type " +
                                             std::to_string(static_cast<int>(r.frame.type))),
                           out);
      }
      Step s = state_ == State::kAuthSasl ? HandleSasl(r.frame.body, out)
                                          : HandlePassword(r.frame.body, out);
      if (s != Step::kNeedInput) return s;
      continue;
    }
    if (copy_ && copy_->waiting_for_data) {
      // COPY FROM STDIN (on a worker: an inline call hands every COPY over).
      input->remove_prefix(r.frame.total_size);
      Step s = HandleCopyInFrame(r.frame.type, r.frame.body, out);
      if (s != Step::kNeedInput) return s;
      if (out->size() >= kOutputFlushThreshold) return Step::kFlush;
      continue;
    }
    if (inline_ && !FrameMayRunInline(r.frame.type, r.frame.body)) return Step::kOffload;
    // The frame stays in the input until handled: an inline handler may give it back.
    std::string_view rest = input->substr(r.frame.total_size);
    size_t out_mark = out->size();
    Step s = HandleFrame(r.frame.type, r.frame.body, rest, out);
    if (offload_unconsumed_) {
      offload_unconsumed_ = false;
      out->resize(out_mark);
      return Step::kOffload;
    }
    input->remove_prefix(r.frame.total_size);
    if (s != Step::kNeedInput) return s;
    if (out->size() >= kOutputFlushThreshold) return Step::kFlush;
  }
  return Step::kClose;
}

ProtocolSession::Step ProtocolSession::FailStartup(const Status& status, std::string* out) {
  AppendFatal(status, out);
  Close();
  return Step::kClose;
}

ProtocolSession::Step ProtocolSession::HandleStartupPacket(std::string_view body,
                                                           std::string* out) {
  Result<StartupPacket> packet = DecodeStartupPacket(body);
  if (!packet.ok()) return FailStartup(packet.status(), out);
  if (std::holds_alternative<SslRequest>(*packet) ||
      std::holds_alternative<GssEncRequest>(*packet)) {
    out->push_back('N');  // TLS and GSS encryption are not offered (yet)
    return Step::kFlush;
  }
  if (const auto* cancel = std::get_if<CancelRequest>(&*packet)) {
    ctx_.cancels->Cancel(cancel->pid, cancel->secret);
    Close();
    return Step::kClose;  // PostgreSQL answers a cancel request with silence
  }
  return HandleStartupMessage(std::get<StartupMessage>(*packet), out);
}

ProtocolSession::Step ProtocolSession::HandleStartupMessage(const StartupMessage& m,
                                                            std::string* out) {
  std::vector<std::string> unsupported;
  for (const auto& [k, v] : m.params) {
    if (k.rfind("_pq_.", 0) == 0) unsupported.push_back(k);
  }
  if (m.minor > 0 || !unsupported.empty()) {
    AppendNegotiateProtocolVersion(0, unsupported, out);
  }
  const std::string* user = m.Find("user");
  if (user == nullptr || user->empty()) {
    return FailStartup(Status::Error(sqlstate::kInvalidAuthorizationSpecification,
                                     "no PostgreSQL user name specified in startup packet"),
                       out);
  }
  params_.user = *user;
  const std::string* db = m.Find("database");
  params_.database = (db && !db->empty()) ? *db : *user;
  if (const std::string* app = m.Find("application_name")) params_.application_name = *app;

  if (ctx_.shutting_down && ctx_.shutting_down->load()) {
    return FailStartup(
        Status::Error("57P03", "the database system is shutting down"), out);
  }
  int now = ctx_.active_connections->fetch_add(1) + 1;
  counted_ = true;
  if (now > ctx_.max_connections) {
    return FailStartup(Status::Error(sqlstate::kTooManyConnections,
                                     "sorry, too many clients already"),
                       out);
  }
  // Startup parameters other than user/database are settings, applied after authentication.
  for (const auto& [k, v] : m.params) {
    if (k == "user" || k == "database" || k == "replication" || k.rfind("_pq_.", 0) == 0) {
      continue;
    }
    if (k == "options") continue;  // "-c name=value" pairs: handled below
    Status st = settings_.SetStartup(k, v);
    if (!st.ok() && st.sqlstate() != sqlstate::kUndefinedObject) return FailStartup(st, out);
  }
  if (const std::string* opts = m.Find("options")) {
    // Accept "-c name=value" and "--name=value" as libpq sends them.
    std::string_view rest = *opts;
    while (!rest.empty()) {
      size_t sp = rest.find(' ');
      std::string_view tok = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      if (tok == "-c") continue;
      if (tok.rfind("--", 0) == 0) tok.remove_prefix(2);
      if (tok.rfind("-c", 0) == 0) tok.remove_prefix(2);
      size_t eq = tok.find('=');
      if (eq == std::string_view::npos) continue;
      Status st = settings_.SetStartup(tok.substr(0, eq), std::string(tok.substr(eq + 1)));
      if (!st.ok()) return FailStartup(st, out);
    }
  }

  return Authenticate(out);
}

// PostgreSQL's messages (auth.c) for a connection no rule admits or a reject rule refuses.
Status ProtocolSession::RefusedByRules(bool rejected) const {
  std::string host = client_.local ? "[local]" : client_.address;
  std::string msg = std::string(rejected ? "pg_hba.conf rejects connection"
                                         : "no pg_hba.conf entry") +
                    " for host \"" + host + "\", user \"" + params_.user + "\", database \"" +
                    params_.database + "\", " +
                    (client_.tls ? "SSL encryption" : "no encryption");
  return Status::Error(sqlstate::kInvalidAuthorizationSpecification, std::move(msg));
}

// Asks the access rules (a snapshot: a reload meanwhile does not affect this login) which
// method applies, and starts it.
ProtocolSession::Step ProtocolSession::Authenticate(std::string* out) {
  HbaClient who;
  who.local = client_.local;
  who.tls = client_.tls;
  if (!client_.local) who.address = IpAddress::Parse(client_.address);
  who.user = params_.user;
  who.database = params_.database;
  std::shared_ptr<const HbaRules> rules = ctx_.hba->Snapshot();
  const HbaRule* rule = rules->Match(who);
  AuthMethod method = rule ? rule->method : AuthMethod::kReject;
  switch (method) {
    case AuthMethod::kReject:
      PGW_LOG_WARN("connection refused by access rules host={} user={} database={} rule={}",
                   client_.local ? "[local]" : client_.address, params_.user, params_.database,
                   rule ? rule->source + ":" + std::to_string(rule->line) : "none");
      return FailStartup(RefusedByRules(rule != nullptr), out);
    case AuthMethod::kTrust:
      return FinishAuthentication(out);
    case AuthMethod::kScramSha256: {
      scram_ = std::make_unique<ScramServer>(ctx_.users->Lookup(params_.user), params_.user,
                                             client_.tls ? client_.tls_server_end_point : "");
      std::vector<std::string_view> mechs = scram_->Mechanisms();
      AppendAuthenticationSasl(mechs, out);
      TransitionTo(State::kAuthSasl);
      return Step::kFlush;
    }
    case AuthMethod::kPassword:
      AppendAuthenticationCleartextPassword(out);
      TransitionTo(State::kAuthPassword);
      return Step::kFlush;
  }
  return FailStartup(RefusedByRules(true), out);
}

ProtocolSession::Step ProtocolSession::FailAuthentication(const Status& status,
                                                          std::string* out) {
  PGW_LOG_WARN("authentication failed user={} reason={}", params_.user, status.sqlstate());
  if (ctx_.auth_failure_delay_ms <= 0) return FailStartup(status, out);
  AppendFatal(status, &delayed_output_);
  delay_ = std::chrono::milliseconds(ctx_.auth_failure_delay_ms);
  return Step::kDelay;
}

ProtocolSession::Step ProtocolSession::HandlePassword(std::string_view body, std::string* out) {
  Result<PasswordMsg> m = DecodePassword(body);
  if (!m.ok()) return FailStartup(m.status(), out);
  // An unknown user costs the same PBKDF2 work as a known one, and fails the same way.
  std::optional<ScramVerifier> v = ctx_.users->Lookup(params_.user);
  bool ok = ScramPasswordMatches(v ? *v : MockScramVerifier(params_.user), m->password);
  if (!ok || !v || m->password.empty()) {
    return FailAuthentication(
        Status::Error(sqlstate::kInvalidPassword,
                      "password authentication failed for user \"" + params_.user + "\""),
        out);
  }
  return FinishAuthentication(out);
}

ProtocolSession::Step ProtocolSession::HandleSasl(std::string_view body, std::string* out) {
  if (!sasl_first_done_) {
    Result<SaslInitialResponseMsg> m = DecodeSaslInitialResponse(body);
    if (!m.ok()) return FailStartup(m.status(), out);
    Result<std::string> reply =
        scram_->HandleClientFirst(m->mechanism, m->data.value_or(std::string_view()));
    if (!reply.ok()) return FailAuthentication(reply.status(), out);
    sasl_first_done_ = true;
    AppendAuthenticationSaslContinue(*reply, out);
    return Step::kFlush;
  }
  Result<std::string> reply = scram_->HandleClientFinal(body);
  if (!reply.ok()) return FailAuthentication(reply.status(), out);
  AppendAuthenticationSaslFinal(*reply, out);
  scram_.reset();
  return FinishAuthentication(out);
}

ProtocolSession::Step ProtocolSession::FinishAuthentication(std::string* out) {
  AppendAuthenticationOk(out);
  if (ctx_.limits != nullptr) {  // counted after login, as PostgreSQL counts roles and databases
    Status st = ctx_.limits->Acquire(params_.user, params_.database);
    if (!st.ok()) return FailStartup(st, out);
    limits_counted_ = true;
  }
  key_ = ctx_.cancels->Register([this] { RequestCancel(); });
  params_.backend_pid = key_.pid;
  StartActivity();
  Status st = EnsureBackend();
  if (!st.ok()) {
    ctx_.cancels->Unregister(key_.pid);
    return FailStartup(st, out);
  }
  registered_ = true;
  for (auto& [name, value] : settings_.Reportable()) {
    if (name == "session_authorization") {
      AppendParameterStatus(name, params_.user, out);
    } else {
      AppendParameterStatus(name, value, out);
    }
  }
  AppendBackendKeyData(key_.pid, key_.secret, out);
  TransitionTo(State::kReady);
  AppendReady(out);
  PGW_LOG_DEBUG("session started pid={} user={} database={}", key_.pid, params_.user,
                params_.database);
  return Step::kFlush;
}

Status ProtocolSession::EnsureBackend() {
  if (backend_) return Status::OK();
  PGW_TRY(backend_, ctx_.backend->Connect(params_));
  return Status::OK();
}

void ProtocolSession::AppendReady(std::string* out) {
  ReportSettings(pending_reports_, out);
  pending_reports_.clear();
  TxStatus s = TxStatus::kIdle;
  if (tx_ == TxState::kInBlock) s = TxStatus::kInTransaction;
  if (tx_ == TxState::kFailed) s = TxStatus::kFailed;
  if (activity_) {
    activity_->SetIdle(tx_ == TxState::kIdle      ? "idle"
                       : tx_ == TxState::kInBlock ? "idle in transaction"
                                                  : "idle in transaction (aborted)",
                       tx_ != TxState::kIdle);
  }
  AppendReadyForQuery(s, out);
}

ProtocolSession::Step ProtocolSession::HandleFrame(char type, std::string_view body,
                                                   std::string_view rest, std::string* out) {
  if (state_ == State::kDiscardUntilSync && type != msg::kSync && type != msg::kTerminate) {
    return Step::kNeedInput;
  }
  switch (type) {
    case msg::kQuery: {
      // As PostgreSQL: a malformed Query or text that is not UTF-8 is an ERROR, and the
      // session goes on.
      Result<QueryMsg> m = DecodeQuery(body);
      Status st = m.ok() ? CheckUtf8(m->sql) : m.status();
      if (!st.ok()) {
        AppendError(st, out);
        AppendReady(out);
        return Step::kNeedInput;
      }
      return HandleQuery(m->sql, out);
    }
    case msg::kParse: {
      Result<ParseMsg> m = DecodeParse(body);
      Status st = m.ok() ? CheckUtf8(m->statement) : m.status();
      if (st.ok()) st = CheckUtf8(m->query);
      if (st.ok()) st = HandleParse(*m);
      if (InlineYield(st)) return OffloadFrame();
      if (m.ok()) LocateUndefinedName(&st, m->query);
      if (!st.ok()) {
        ExtendedError(st, out);
      } else {
        AppendParseComplete(out);
      }
      return Step::kNeedInput;
    }
    case msg::kBind: {
      Status st = DecodeBindInto(body, &bind_msg_);
      st = st.ok() ? HandleBind(bind_msg_, body) : BindDecodeError(body, std::move(st));
      if (!st.ok()) {
        ExtendedError(st, out);
      } else {
        AppendBindComplete(out);
      }
      return Step::kNeedInput;
    }
    case msg::kDescribe: {
      Result<DescribeMsg> m = DecodeDescribe(body);
      Status st = m.ok() ? HandleDescribe(*m, out) : m.status();
      if (!st.ok()) ExtendedError(st, out);
      return Step::kNeedInput;
    }
    case msg::kExecute: {
      Result<ExecuteMsg> m = DecodeExecute(body);
      if (!m.ok()) {
        ExtendedError(m.status(), out);
        return Step::kNeedInput;
      }
      // Autocommit is exact when Sync follows at once: nothing after this Execute could fail
      // and roll it back. Otherwise the statements up to Sync share one implicit transaction.
      bool sync_next = !rest.empty() && rest.front() == msg::kSync;
      return HandleExecute(m->portal, m->max_rows, sync_next, out);
    }
    case msg::kClose: {
      Result<CloseMsg> m = DecodeClose(body);
      Status st = m.ok() ? HandleClose(*m) : m.status();
      if (!st.ok()) {
        ExtendedError(st, out);
      } else {
        AppendCloseComplete(out);
      }
      return Step::kNeedInput;
    }
    case msg::kSync:
      if (Status st = ExpectEmpty(body, type); !st.ok()) {
        ExtendedError(st, out);
        TransitionTo(State::kReady);
        AppendReady(out);
        return Step::kNeedInput;
      }
      HandleSync(out);
      return Step::kNeedInput;
    case msg::kFlush:
      return Step::kFlush;
    case msg::kTerminate:
      Close();
      return Step::kClose;
    case msg::kCopyData:
    case msg::kCopyDone:
    case msg::kCopyFail:
      return Step::kNeedInput;  // ignored outside COPY, as PostgreSQL does
    case msg::kFunctionCall:
      ExtendedError(Status::Error(sqlstate::kFeatureNotSupported,
                                  "the fast-path function call interface is not supported"),
                    out);
      if (state_ == State::kDiscardUntilSync) TransitionTo(State::kReady);
      AppendReady(out);
      return Step::kNeedInput;
    default:
      AppendFatal(Status::Error(sqlstate::kProtocolViolation,
                                "invalid frontend message type " +
                                    std::to_string(static_cast<unsigned char>(type))),
                  out);
      Close();
      return Step::kClose;
  }
}

}  // namespace pgw
