// ProtocolSession's query flows: simple Query (with PostgreSQL's implicit transaction for
// multi-statement strings), the extended protocol (Parse/Bind/Describe/Execute/Close/Sync),
// and the statements the session runs itself (transaction control, SET/SHOW, cursors).
#include <algorithm>
#include <cstring>
#include <utility>

#include "common/log.h"
#include "common/sqlstate.h"
#include "session/copy_flow.h"
#include "copy/utf8_check.h"
#include "session/error_mapper.h"
#include "session/error_position.h"
#include "session/session.h"
#include "session/session_internal.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

// Writes each row as a DataRow straight into the output buffer.
class WireRowSink final : public RowSink {
 public:
  WireRowSink(const std::vector<ColumnDesc>& cols, const std::vector<int16_t>& formats,
              std::string* out)
      : cols_(cols), formats_(formats), out_(out) {}

  bool OnRow(std::span<const Value> row) override {
    size_t start = BeginDataRow(static_cast<int16_t>(row.size()), out_);
    for (size_t i = 0; i < row.size(); ++i) {
      const Value& v = row[i];
      if (v.is_null()) {
        AppendNullField(out_);
        continue;
      }
      size_t f = BeginField(out_);
      Oid type = i < cols_.size() ? cols_[i].type_oid : oid::kText;
      int32_t typmod = i < cols_.size() ? cols_[i].typmod : -1;
      auto fmt = (i < formats_.size() && formats_[i] == 1) ? WireFormat::kBinary
                                                            : WireFormat::kText;
      Status st = EncodeValue(type, typmod, v, fmt, out_);
      if (!st.ok()) {
        error_ = std::move(st);
        out_->resize(start);
        return false;
      }
      EndField(f, out_);
    }
    EndDataRow(start, out_);
    ++rows_;
    return out_->size() < kOutputFlushThreshold;
  }

  const Status& error() const { return error_; }
  uint64_t rows() const { return rows_; }

 private:
  const std::vector<ColumnDesc>& cols_;
  const std::vector<int16_t>& formats_;
  std::string* out_;
  Status error_;
  uint64_t rows_ = 0;
};

bool IsTransactionControl(StatementKind k) {
  switch (k) {
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint:
    case StatementKind::kRelease:
    case StatementKind::kRollbackTo:
      return true;
    default:
      return false;
  }
}

// Statements the backend executes (everything else is handled by the session).
bool RunsOnBackend(StatementKind k) {
  switch (k) {
    case StatementKind::kQuery:
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kDdl:
    case StatementKind::kUtility:
    case StatementKind::kDeclareCursor:
      return true;
    default:
      return false;
  }
}

// Allowed in an aborted transaction (everything else is 25P02).
bool AllowedWhenFailed(StatementKind k) {
  return k == StatementKind::kRollback || k == StatementKind::kCommit ||
         k == StatementKind::kRollbackTo || k == StatementKind::kEmpty;
}

Status FailedTransactionError() {
  return Status::Error(sqlstate::kInFailedSqlTransaction,
                       "current transaction is aborted, commands ignored until end of "
                       "transaction block");
}

Status Warning(const char* code, std::string msg) {
  return Status::Error(code, std::move(msg)).WithSeverity(Severity::kWarning);
}

std::vector<ColumnDesc> TextColumns(std::initializer_list<std::string> names) {
  std::vector<ColumnDesc> cols;
  for (const auto& n : names) {
    ColumnDesc c;
    c.name = n;
    c.type_oid = oid::kText;
    cols.push_back(std::move(c));
  }
  return cols;
}

void AppendTextRow(const std::vector<std::string>& values, std::string* out) {
  size_t row = BeginDataRow(static_cast<int16_t>(values.size()), out);
  for (const auto& v : values) {
    size_t f = BeginField(out);
    out->append(v);
    EndField(f, out);
  }
  EndDataRow(row, out);
}

Status CanceledStatus() {
  return Status::Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
}

}  // namespace

// SQLite keeps numeric values as 64-bit integers or doubles: a value with more significant
// digits than a double holds would be rounded when stored. Refuse it instead of losing digits.
Status CheckSqliteNumeric(const Value& v) {
  if (v.kind != Value::Kind::kText) return Status::OK();
  int digits = 0;
  bool leading = true;
  bool integral_only = true;
  size_t trailing_zeros = 0;
  for (char c : v.s) {
    if (c == '.') {
      integral_only = false;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
    trailing_zeros = c == '0' ? trailing_zeros + 1 : 0;
  }
  if (!integral_only) digits -= static_cast<int>(trailing_zeros);
  if (digits <= 15) return Status::OK();
  return Status::Error(sqlstate::kNumericValueOutOfRange,
                       "numeric value \"" + std::string(v.s) +
                           "\" has more significant digits than the SQLite backend stores "
                           "exactly")
      .WithDetail("The SQLite backend stores numeric as a 64-bit integer or a double "
                  "(15 significant digits).")
      .WithHint("Round the value, or use the IRIS backend for exact numeric.");
}

namespace {

// At debug level, each statement that reads the catalog is logged (which catalog queries a
// client sends is what the client matrix documents).
void LogCatalogQuery(int32_t pid, const SessionSettings& settings, std::string_view sql,
                     const CachedTranslation& tr) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  for (const TranslatedStatement& t : tr.statements) {
    if (!t.uses_catalog) continue;
    Result<std::string> app = settings.Show("application_name");
    spdlog::debug("catalog query pid={} application_name={} sql={}", pid,
                  app.ok() ? *app : std::string(), sql);
    return;
  }
}

}  // namespace

void LiteralsToParams(const std::vector<ScannedLiteral>& lits, std::vector<Value>* params,
                      std::vector<std::string>* storage) {
  params->clear();
  storage->clear();
  storage->reserve(lits.size());  // never reallocates below: views stay valid
  for (const ScannedLiteral& l : lits) {
    switch (l.kind) {
      case ScannedLiteral::Kind::kInteger:
        params->push_back(Value::Int(l.int_value));
        break;
      case ScannedLiteral::Kind::kFloat:
        params->push_back(Value::Float(l.float_value));
        break;
      case ScannedLiteral::Kind::kString:
        if (!l.has_escaped_quote) {
          params->push_back(Value::Text(l.raw));
        } else {
          std::string folded;
          folded.reserve(l.raw.size());
          for (size_t i = 0; i < l.raw.size(); ++i) {
            folded.push_back(l.raw[i]);
            if (l.raw[i] == '\'' && i + 1 < l.raw.size() && l.raw[i + 1] == '\'') ++i;
          }
          storage->push_back(std::move(folded));
          params->push_back(Value::Text(storage->back()));
        }
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Shared statement machinery.

Result<std::unique_ptr<BackendStatement>> ProtocolSession::PrepareBackend(
    const TranslatedStatement& t) {
  PGW_RETURN_IF_ERROR(EnsureBackend());
  return backend_->Prepare(t);
}

void ProtocolSession::AppendRowDescription(const std::vector<ColumnDesc>& cols,
                                           std::span<const int16_t> formats,
                                           std::string* out) const {
  std::vector<FieldDescription> fields(cols.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    fields[i].name = cols[i].name;
    fields[i].table_oid = cols[i].table_oid;
    fields[i].column_number = cols[i].column_number;
    fields[i].type_oid = cols[i].type_oid;
    fields[i].type_size = cols[i].typlen;
    fields[i].type_modifier = cols[i].typmod;
    fields[i].format = i < formats.size() ? formats[i] : 0;
  }
  pgw::AppendRowDescription(fields, out);
}

std::string ProtocolSession::CompletionTag(const TranslatedStatement& t, uint64_t rows) const {
  switch (t.kind) {
    case StatementKind::kInsert:
      return "INSERT 0 " + std::to_string(rows);
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kQuery:
      return t.command_tag + " " + std::to_string(rows);
    case StatementKind::kFetch:
      return (t.is_move ? "MOVE " : "FETCH ") + std::to_string(rows);
    default:
      return t.command_tag;
  }
}

Status ProtocolSession::BeginImplicit() {
  PGW_RETURN_IF_ERROR(EnsureBackend());
  PGW_RETURN_IF_ERROR(backend_->Begin());
  implicit_tx_ = true;
  StartTransaction();
  return Status::OK();
}

void ProtocolSession::StartTransaction() {
  settings_stack_.clear();
  settings_stack_.push_back(SettingsSavepoint{"", settings_});
  local_settings_.clear();
}

void ProtocolSession::EndTransaction(bool committed) {
  if (!settings_stack_.empty()) {
    const SessionSettings& at_start = settings_stack_.front().settings;
    SessionSettings before = settings_;
    if (!committed) {
      settings_ = at_start;  // SET inside a rolled-back transaction is undone
    } else {
      for (const std::string& name : local_settings_) settings_.CopyFrom(at_start, name);
    }
    for (auto& change : settings_.ReportedChanges(before)) pending_reports_.push_back(change);
    settings_stack_.clear();
    local_settings_.clear();
  }
  for (auto it = portals_.begin(); it != portals_.end();) {
    it = it->second->with_hold ? std::next(it) : ErasePortal(it);
  }
}

// After a statement failed: roll back an implicit transaction, or mark an explicit one failed.
size_t ProtocolSession::FindSettingsSavepoint(std::string_view name) const {
  for (size_t i = settings_stack_.size(); i-- > 1;) {
    if (settings_stack_[i].name == name) return i;
  }
  return 0;
}

Status ProtocolSession::OnStatementError(Status st) {
  if (st.sqlstate() == sqlstate::kQueryCanceled) queued_cancel_.store(false);  // it took effect
  if (implicit_tx_) {
    Status r = backend_->Rollback();
    (void)r;
    implicit_tx_ = false;
    EndTransaction(false);
  } else if (tx_ == TxState::kInBlock) {
    tx_ = TxState::kFailed;
  }
  return st;
}

void ProtocolSession::ReportSettings(
    const std::vector<std::pair<std::string, std::string>>& changed, std::string* out) {
  for (const auto& [name, value] : changed) AppendParameterStatus(name, value, out);
}

Result<std::shared_ptr<ProtocolSession::Prepared>> ProtocolSession::PrepareStatement(
    std::string_view sql, std::vector<uint32_t> param_types) {
  std::string key;
  key.reserve(sql.size() + 2);
  key.append("E:").append(sql);
  std::shared_ptr<const CachedTranslation> tr = ctx_.translations->Find(key);
  if (!tr) {
    TranslateOptions opts;
    opts.dialect = ctx_.backend->dialect();
    opts.schema = &ctx_.backend->schema();
    opts.catalog_engine = ctx_.backend->catalog_on_engine();
    uint64_t gen = ctx_.translations->generation();
    PGW_TRY(std::vector<TranslatedStatement> stmts, Translate(sql, opts));
    if (stmts.size() > 1) {
      return Status::Error(sqlstate::kSyntaxError,
                           "cannot insert multiple commands into a prepared statement");
    }
    tr = std::make_shared<CachedTranslation>(std::move(stmts), gen);
    ctx_.translations->Insert(std::move(key), tr);
  }
  LogCatalogQuery(key_.pid, settings_, sql, *tr);
  auto p = std::make_shared<Prepared>();
  p->translation = tr;
  p->query.assign(sql);
  p->given_param_types = param_types;
  static const TranslatedStatement kEmptyStatement;
  p->stmt = tr->statements.empty() ? &kEmptyStatement : &tr->statements.front();
  const TranslatedStatement& t = *p->stmt;
  if (RunsOnBackend(t.kind)) {
    PGW_TRY(p->backend, PrepareBackend(t));
  }
  size_t n = std::max<size_t>(t.num_params, param_types.size());
  p->param_types.assign(n, oid::kText);
  for (size_t i = 0; i < n; ++i) {
    uint32_t given = i < param_types.size() ? param_types[i] : 0;
    uint32_t inferred = i < t.param_types.size() ? t.param_types[i] : 0;
    if (p->backend && inferred == 0 && i < p->backend->param_types().size()) {
      inferred = p->backend->param_types()[i];
    }
    p->param_types[i] = given != 0 ? given : (inferred != 0 ? inferred : oid::kText);
  }
  return p;
}

// Fetches up to max_rows (<= 0: all) rows of `portal` as DataRows, under what is left of the
// statement_timeout of the statement StartStatement() began.
Status ProtocolSession::FetchPortal(Portal& portal, int64_t max_rows, std::string* out,
                                    uint64_t* rows, bool* suspended, bool* buffer_full) {
  *rows = 0;
  *suspended = false;
  *buffer_full = false;
  if (portal.done) return Status::OK();
  DeadlineScheduler::Id timer = 0;
  if (statement_deadline_set_) {
    // What is left of the statement's time: it may have waited for the client before.
    auto left = statement_deadline_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) {
      return Status::Error(sqlstate::kQueryCanceled,
                           "canceling statement due to statement timeout");
    }
    if (ctx_.deadlines != nullptr) {
      timer = ctx_.deadlines->Schedule(std::chrono::ceil<std::chrono::milliseconds>(left), [this] {
        timed_out_.store(true);
        RequestCancel();
      });
    }
  }
  Status st = FetchPortalRows(portal, max_rows, out, rows, suspended, buffer_full);
  if (timer != 0) ctx_.deadlines->Cancel(timer);
  // A timer that fired after the rows were fetched stays recorded: the statement's next
  // resume reports it (ResumeStatement).
  if (st.sqlstate() == sqlstate::kQueryCanceled && timed_out_.exchange(false)) {
    return Status::Error(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  }
  return st;
}

Status ProtocolSession::FetchPortalRows(Portal& portal, int64_t max_rows, std::string* out,
                                        uint64_t* rows, bool* suspended, bool* buffer_full) {
  Prepared& p = *portal.prepared;
  if (!portal.cursor) {
    // Parameters declared past the last one the statement uses are ignored, as in PostgreSQL.
    std::span<const Value> params(portal.params);
    size_t used =
        static_cast<size_t>(std::max(p.stmt->num_params, 0)) + p.stmt->literal_locations.size();
    if (params.size() > used) params = params.first(used);
    PGW_TRY(portal.cursor, backend_->Open(*p.backend, params));
  }
  WireRowSink sink(p.backend->columns(), portal.result_formats, out);
  Result<FetchResult> r =
      portal.cursor->Fetch(max_rows > 0 ? static_cast<uint64_t>(max_rows) : 0, sink);
  if (!sink.error().ok()) return sink.error();
  if (!r.ok()) return r.status();
  *rows = sink.rows();
  if (r->done) {
    portal.done = true;
    return Status::OK();
  }
  if (max_rows > 0 && r->rows >= static_cast<uint64_t>(max_rows)) {
    *suspended = true;
  } else {
    *buffer_full = true;
  }
  return Status::OK();
}

}  // namespace pgw

namespace pgw {

// ---------------------------------------------------------------------------------------------
// Statements the session runs itself.

Status ProtocolSession::RunSessionStatement(const TranslatedStatement& t,
                                            bool send_row_description,
                                            std::span<const int16_t> result_formats,
                                            std::string* out) {
  std::vector<std::pair<std::string, std::string>> changed;
  switch (t.kind) {
    case StatementKind::kBegin:
      if (tx_ != TxState::kIdle) {
        AppendNotice(Warning(sqlstate::kActiveSqlTransaction,
                             "there is already a transaction in progress"),
                     out);
      } else if (implicit_tx_) {
        implicit_tx_ = false;  // the implicit transaction becomes this block
        tx_ = TxState::kInBlock;
      } else {
        PGW_RETURN_IF_ERROR(EnsureBackend());
        PGW_RETURN_IF_ERROR(backend_->Begin());
        tx_ = TxState::kInBlock;
        StartTransaction();
      }
      break;
    case StatementKind::kCommit:
      if (tx_ == TxState::kFailed) {
        Status st = backend_->Rollback();
        tx_ = TxState::kIdle;
        EndTransaction(false);
        PGW_RETURN_IF_ERROR(st);
        AppendCommandComplete("ROLLBACK", out);
        return Status::OK();
      }
      if (tx_ == TxState::kIdle && !implicit_tx_) {
        AppendNotice(Warning(sqlstate::kNoActiveSqlTransaction,
                             "there is no transaction in progress"),
                     out);
        break;
      }
      {
        Status st = backend_->Commit();
        if (!st.ok()) {
          Status r = backend_->Rollback();  // a failed COMMIT ends the transaction, as in PG
          (void)r;
        }
        tx_ = TxState::kIdle;
        implicit_tx_ = false;
        EndTransaction(st.ok());
        PGW_RETURN_IF_ERROR(st);
      }
      break;
    case StatementKind::kRollback:
      if (tx_ == TxState::kIdle && !implicit_tx_) {
        AppendNotice(Warning(sqlstate::kNoActiveSqlTransaction,
                             "there is no transaction in progress"),
                     out);
        break;
      }
      {
        Status st = backend_->Rollback();
        tx_ = TxState::kIdle;
        implicit_tx_ = false;
        EndTransaction(false);
        PGW_RETURN_IF_ERROR(st);
      }
      break;
    case StatementKind::kSavepoint:
    case StatementKind::kRelease:
    case StatementKind::kRollbackTo: {
      if (tx_ == TxState::kIdle) {
        const char* what = t.kind == StatementKind::kSavepoint  ? "SAVEPOINT"
                           : t.kind == StatementKind::kRelease ? "RELEASE SAVEPOINT"
                                                               : "ROLLBACK TO SAVEPOINT";
        return Status::Error(sqlstate::kNoActiveSqlTransaction,
                             std::string(what) + " can only be used in transaction blocks");
      }
      if (t.kind == StatementKind::kSavepoint) {
        PGW_RETURN_IF_ERROR(backend_->Savepoint(t.name));
        settings_stack_.push_back(SettingsSavepoint{t.name, settings_});
      } else if (t.kind == StatementKind::kRelease) {
        PGW_RETURN_IF_ERROR(backend_->ReleaseSavepoint(t.name));
        size_t i = FindSettingsSavepoint(t.name);
        if (i > 0) settings_stack_.erase(settings_stack_.begin() + i, settings_stack_.end());
      } else {
        PGW_RETURN_IF_ERROR(backend_->RollbackToSavepoint(t.name));
        tx_ = TxState::kInBlock;
        size_t i = FindSettingsSavepoint(t.name);
        if (i > 0) {
          SessionSettings before = settings_;
          settings_ = settings_stack_[i].settings;
          settings_stack_.erase(settings_stack_.begin() + i + 1, settings_stack_.end());
          ReportSettings(settings_.ReportedChanges(before), out);
        }
      }
      break;
    }
    case StatementKind::kSet: {
      bool applied = true;
      PGW_RETURN_IF_ERROR(ApplySet(t.name, t.values, t.is_local, &changed, &applied));
      if (!applied) {
        AppendNotice(Warning(sqlstate::kNoActiveSqlTransaction,
                             "SET LOCAL can only be used in transaction blocks"),
                     out);
      }
      ReportSettings(changed, out);
      break;
    }
    case StatementKind::kReset:
      if (t.name == "all") {
        settings_.ResetAll(&changed);
      } else {
        PGW_RETURN_IF_ERROR(settings_.Reset(t.name, &changed));
      }
      ReportSettings(changed, out);
      break;
    case StatementKind::kShow: {
      std::vector<ColumnDesc> cols;
      std::vector<std::vector<std::string>> rows;
      if (t.name == "all") {
        cols = TextColumns({"name", "setting", "description"});
        rows = settings_.ShowAll();
      } else {
        PGW_TRY(std::string value, settings_.Show(t.name));
        std::string_view canon = SessionSettings::CanonicalName(t.name);
        cols = TextColumns({canon.empty() ? t.name : std::string(canon)});
        if (t.name == "session_authorization") value = params_.user;
        rows.push_back({value});
      }
      if (send_row_description) AppendRowDescription(cols, result_formats, out);
      for (const auto& r : rows) AppendTextRow(r, out);
      break;
    }
    case StatementKind::kDiscard:
      if (tx_ != TxState::kIdle) {
        return Status::Error(sqlstate::kActiveSqlTransaction,
                             "DISCARD ALL cannot run inside a transaction block");
      }
      statements_.clear();
      portals_.clear();
      settings_.ResetAll(&changed);
      ReportSettings(changed, out);
      break;
    case StatementKind::kDeallocate:
      if (t.name.empty()) {
        statements_.clear();
      } else if (statements_.erase(t.name) == 0) {
        return Status::Error(sqlstate::kInvalidSqlStatementName,
                             "prepared statement \"" + t.name + "\" does not exist");
      }
      break;
    case StatementKind::kNoOp:
      break;
    case StatementKind::kFetch: {
      auto it = portals_.find(t.name);
      if (it == portals_.end()) {
        return Status::Error(sqlstate::kInvalidCursorName,
                             "cursor \"" + t.name + "\" does not exist");
      }
      Portal& portal = *it->second;
      const auto& cols = portal.prepared->backend->columns();
      if (result_formats.size() == cols.size() && !cols.empty()) {
        portal.result_formats.assign(result_formats.begin(), result_formats.end());
      }
      if (send_row_description && !t.is_move) {
        AppendRowDescription(cols, portal.result_formats, out);
      }
      std::string discard;
      std::string* target = t.is_move ? &discard : out;
      uint64_t rows = 0;
      bool suspended = false, full = false;
      int64_t want = t.fetch_count < 0 ? 0 : t.fetch_count;
      if (want == 0 && t.fetch_count == 0) {
        AppendCommandComplete(CompletionTag(t, 0), out);
        return Status::OK();
      }
      uint64_t total = 0;
      // FETCH is a statement of its own: its statement_timeout starts here.
      PGW_RETURN_IF_ERROR(StartStatement());
      do {
        PGW_RETURN_IF_ERROR(FetchPortal(portal, want > 0 ? want - static_cast<int64_t>(total) : 0,
                                        target, &rows, &suspended, &full));
        total += rows;
        if (t.is_move) discard.clear();
      } while (full);  // FETCH results are small in practice; keep it simple and complete
      AppendCommandComplete(CompletionTag(t, total), out);
      return Status::OK();
    }
    case StatementKind::kClosePortal:
      if (t.name.empty()) {
        for (auto it = portals_.begin(); it != portals_.end();) {
          it = it->second->is_sql_cursor ? portals_.erase(it) : std::next(it);
        }
      } else {
        auto it = portals_.find(t.name);
        if (it == portals_.end() || !it->second->is_sql_cursor) {
          return Status::Error(sqlstate::kInvalidCursorName,
                               "cursor \"" + t.name + "\" does not exist");
        }
        portals_.erase(it);
      }
      break;
    default:
      return Status::Error(sqlstate::kInternalError, "statement kind not handled by the session");
  }
  AppendCommandComplete(t.command_tag, out);
  return Status::OK();
}

}  // namespace pgw

namespace pgw {

void OwnParams(ProtocolSession::Portal& portal) {
  size_t total = 0;
  for (const Value& v : portal.params) {
    if (v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob) total += v.s.size();
  }
  std::string storage;
  storage.reserve(total);
  for (Value& v : portal.params) {
    if (v.kind != Value::Kind::kText && v.kind != Value::Kind::kBlob) continue;
    size_t at = storage.size();
    storage.append(v.s);
    v.s = std::string_view(storage.data() + at, v.s.size());  // reserve() keeps data() stable
  }
  portal.storage = std::move(storage);
  portal.scratch.clear();
}

// DECLARE name CURSOR FOR query: a new portal over `from`'s statement and parameters.
Status ProtocolSession::DeclareCursor(const Portal& from, std::string* out) {
  const TranslatedStatement& t = *from.prepared->stmt;
  if (tx_ == TxState::kIdle && !implicit_tx_ && !t.with_hold) {
    return Status::Error(sqlstate::kNoActiveSqlTransaction,
                         "DECLARE CURSOR can only be used in transaction blocks");
  }
  if (portals_.count(t.name) != 0) {
    return Status::Error(sqlstate::kDuplicateCursor, "cursor \"" + t.name + "\" already exists");
  }
  auto portal = std::make_unique<Portal>();
  portal->prepared = from.prepared;
  portal->params = from.params;
  OwnParams(*portal);
  portal->is_sql_cursor = true;
  portal->with_hold = t.with_hold;
  portal->result_formats.assign(portal->prepared->backend->columns().size(), t.binary ? 1 : 0);
  portals_[t.name] = std::move(portal);
  AppendCommandComplete(t.command_tag, out);
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// Simple Query.

ProtocolSession::Step ProtocolSession::HandleQuery(std::string_view sql_in, std::string* out) {
  if (activity_) activity_->SetActive(sql_in, tx_ == TxState::kIdle);
  simple_ = std::make_unique<SimpleQuery>();
  simple_->sql.assign(sql_in);
  std::string_view sql = simple_->sql;
  std::vector<ScannedLiteral> lits;
  bool shape_ok = ScanLiterals(sql, &shape_, &lits);
  std::shared_ptr<const CachedTranslation> tr;
  std::string key;
  if (shape_ok) {
    key.reserve(shape_.size() + 2);
    key.append("S:").append(shape_);
    tr = ctx_.translations->Find(key);
  }
  bool parameterized = tr != nullptr;
  if (!tr) {
    TranslateOptions opts;
    opts.dialect = ctx_.backend->dialect();
    opts.schema = &ctx_.backend->schema();
    opts.catalog_engine = ctx_.backend->catalog_on_engine();
    opts.parameterize_literals = shape_ok;
    uint64_t gen = ctx_.translations->generation();
    Result<std::vector<TranslatedStatement>> stmts = Translate(sql, opts);
    if (!stmts.ok()) {
      AppendError(OnStatementError(stmts.status()), out);
      simple_.reset();
      AppendReady(out);
      return Step::kNeedInput;
    }
    bool match = false;
    bool any_literal = false;
    for (const auto& t : *stmts) any_literal |= !t.literal_locations.empty();
    if (shape_ok && stmts->size() == 1) {
      const auto& locs = stmts->front().literal_locations;
      match = locs.size() == lits.size();
      for (size_t i = 0; match && i < locs.size(); ++i) match = locs[i] == lits[i].location;
    }
    if (any_literal && !match) {
      // The scanner and the parser disagree on this text's constants (e.g. a negative
      // number): translate it as it is, with the constants inline.
      opts.parameterize_literals = false;
      stmts = Translate(sql, opts);
      if (!stmts.ok()) {
        AppendError(OnStatementError(stmts.status()), out);
        simple_.reset();
        AppendReady(out);
        return Step::kNeedInput;
      }
    }
    tr = std::make_shared<CachedTranslation>(std::move(*stmts), gen);
    if (match) {
      ctx_.translations->Insert(std::move(key), tr);
      parameterized = true;
    }
  }
  simple_->translation = tr;
  simple_->literal_parameterized = parameterized;
  LogCatalogQuery(key_.pid, settings_, sql, *tr);
  if (parameterized) LiteralsToParams(lits, &simple_->literal_params, &simple_->literal_storage);
  size_t nonempty = 0;
  for (const auto& t : tr->statements) nonempty += t.kind != StatementKind::kEmpty;
  simple_->multi = nonempty > 1;
  return ContinueSimpleQuery(out);
}

ProtocolSession::Step ProtocolSession::ContinueSimpleQuery(std::string* out) {
  SimpleQuery& q = *simple_;
  const auto& stmts = q.translation->statements;
  auto fail = [&](Status st) {
    LocateUndefinedName(&st, q.sql);
    AppendError(OnStatementError(std::move(st)), out);
    simple_.reset();
    AppendReady(out);
    return Step::kNeedInput;
  };
  while (q.index < stmts.size()) {
    const TranslatedStatement& t = stmts[q.index];
    if (!q.portal) {
      if (t.kind == StatementKind::kEmpty) {
        ++q.index;
        continue;
      }
      q.any_statement = true;
      if (tx_ == TxState::kFailed && !AllowedWhenFailed(t.kind)) {
        return fail(FailedTransactionError());
      }
      if (t.num_params > 0) {
        return fail(Status::Error(sqlstate::kUndefinedParameter, "there is no parameter $1"));
      }
      if (t.kind == StatementKind::kUtility && t.command_tag == "VACUUM" &&
          (tx_ != TxState::kIdle || implicit_tx_ || q.multi)) {
        return fail(Status::Error(sqlstate::kActiveSqlTransaction,
                                  "VACUUM cannot run inside a transaction block"));
      }
      if (q.multi && tx_ == TxState::kIdle && !implicit_tx_ && !IsTransactionControl(t.kind)) {
        Status st = BeginImplicit();
        if (!st.ok()) return fail(std::move(st));
      }
      if (t.kind == StatementKind::kCopy) {
        if (inline_) return Step::kOffload;  // a COPY always runs on a worker
        if (!q.copy_started) {
          q.copy_started = true;
          StartCopy(t, CopyOrigin::kSimple, out);
        }
        if (copy_) return copy_->waiting_for_data ? Step::kNeedInput : Step::kFlush;
        q.copy_started = false;
        Status st = std::exchange(copy_result_, Status());
        if (!st.ok()) {
          // COPY's errors carry no statement position (PostgreSQL reports none).
          AppendError(OnStatementError(std::move(st)), out);
          simple_.reset();
          AppendReady(out);
          return Step::kNeedInput;
        }
        ++q.index;
        continue;
      }
      if (!RunsOnBackend(t.kind)) {
        if (inline_ && !StatementMayRunInline(t, nullptr, *q.translation)) return Step::kOffload;
        Status st = RunSessionStatement(t, true, {}, out);
        if (!st.ok()) return fail(std::move(st));
        ++q.index;
        continue;
      }
      auto p = std::make_shared<Prepared>();
      p->translation = q.translation;
      p->stmt = &t;
      Result<std::unique_ptr<BackendStatement>> bs = PrepareBackend(t);
      if (!bs.ok() && InlineYield(bs.status())) return Step::kOffload;
      if (!bs.ok()) return fail(bs.status());
      if (inline_ && !StatementMayRunInline(t, bs->get(), *q.translation)) {
        return Step::kOffload;  // q stands before this statement: a worker continues here
      }
      p->backend = std::move(*bs);
      auto portal = std::make_unique<Portal>();
      portal->prepared = std::move(p);
      if (q.literal_parameterized) portal->params = q.literal_params;
      if (t.kind == StatementKind::kDeclareCursor) {
        Status st = DeclareCursor(*portal, out);
        if (!st.ok()) return fail(std::move(st));
        ++q.index;
        continue;
      }
      q.row_description_at = out->size();
      q.row_description_pending = t.returns_rows;
      if (t.returns_rows) AppendRowDescription(portal->prepared->backend->columns(), {}, out);
      q.portal = std::move(portal);
      q.rows = 0;
      q.resumed = false;
    }
    Status st;
    if (q.resumed) {
      st = ResumeStatement();
    } else {
      st = StartStatement();
      q.resumed = true;  // from here on a later call continues this statement
    }
    uint64_t rows = 0;
    bool suspended = false, full = false;
    auto started = std::chrono::steady_clock::now();
    if (st.ok()) st = FetchPortal(*q.portal, 0, out, &rows, &suspended, &full);
    if (InlineYield(st)) {
      // Nothing of this statement has been sent: take its output back, run it on a worker.
      RecordRunTime(*q.translation, t, started, true);
      out->resize(q.row_description_at);
      q.portal.reset();
      return Step::kOffload;
    }
    RecordRunTime(*q.translation, t, started, false);
    if (!st.ok() && rows == 0 && q.rows == 0 && ShouldRetry(&st)) {
      q.portal->cursor.reset();
      return Step::kRetryLater;
    }
    if (lock_wait_canceled_) {
      lock_wait_canceled_ = false;
      st = CanceledStatus();
    }
    if (!st.ok()) {
      if (q.row_description_pending && q.rows + rows == 0) out->resize(q.row_description_at);
      return fail(std::move(st));
    }
    q.rows += rows;
    if (full) {
      q.row_description_pending = false;  // flushed: it cannot be taken back any more
      return Step::kFlush;
    }
    uint64_t count = t.returns_rows ? q.rows : q.portal->cursor->rows_affected();
    AppendCommandComplete(CompletionTag(t, count), out);
    if (t.kind == StatementKind::kDdl) ctx_.translations->BumpGeneration();
    q.portal.reset();
    ++q.index;
  }
  if (implicit_tx_) {
    implicit_tx_ = false;
    Status st = backend_->Commit();
    EndTransaction(st.ok());
    if (!st.ok()) {
      Status r = backend_->Rollback();
      (void)r;
      AppendError(st, out);
    }
  }
  if (!q.any_statement) AppendEmptyQueryResponse(out);
  simple_.reset();
  AppendReady(out);
  return Step::kNeedInput;
}

}  // namespace pgw

namespace pgw {

// ---------------------------------------------------------------------------------------------
// Extended Query.

namespace {

const std::vector<ColumnDesc>* EmptyColumns() {
  static const std::vector<ColumnDesc> kNone;
  return &kNone;
}

int16_t FormatFor(const std::vector<int16_t>& formats, size_t i) {
  if (formats.empty()) return 0;
  if (formats.size() == 1) return formats[0];
  return formats[i];
}

}  // namespace

void ProtocolSession::ExtendedError(const Status& st, std::string* out) {
  AppendError(st, out);
  Status s = OnStatementError(st);
  (void)s;
  pending_exec_.reset();
  TransitionTo(State::kDiscardUntilSync);
}

Status ProtocolSession::HandleParse(const ParseMsg& m) {
  if (!m.statement.empty() && statements_.count(m.statement) != 0) {
    return Status::Error(sqlstate::kDuplicatePreparedStatement,
                         "prepared statement \"" + std::string(m.statement) +
                             "\" already exists");
  }
  if (m.statement.empty()) {
    // Drivers parse the same unnamed statement before every execution: while the schema has
    // not changed, the one we have is exactly what parsing again would give.
    auto it = statements_.find(std::string_view());
    if (it != statements_.end()) {
      const Prepared& old = *it->second;
      if (old.query == m.query && old.given_param_types == m.param_types &&
          old.translation->generation == ctx_.translations->generation()) {
        if (tx_ == TxState::kFailed && !AllowedWhenFailed(old.stmt->kind)) {
          return FailedTransactionError();
        }
        return Status::OK();
      }
    }
  }
  PGW_TRY(std::shared_ptr<Prepared> p, PrepareStatement(m.query, m.param_types));
  if (tx_ == TxState::kFailed && !AllowedWhenFailed(p->stmt->kind)) {
    return FailedTransactionError();
  }
  auto it = statements_.find(m.statement);
  if (it != statements_.end()) {
    it->second = std::move(p);
  } else {
    statements_.emplace(std::string(m.statement), std::move(p));
  }
  return Status::OK();
}

Status ProtocolSession::CheckBindTarget(std::string_view statement, size_t param_count) const {
  auto sit = statements_.find(statement);
  if (sit == statements_.end()) {
    if (statement.empty()) {
      return Status::Error(sqlstate::kInvalidSqlStatementName,
                           "unnamed prepared statement does not exist");
    }
    return Status::Error(sqlstate::kInvalidSqlStatementName,
                         "prepared statement \"" + std::string(statement) + "\" does not exist");
  }
  if (param_count != sit->second->param_types.size()) {
    return Status::Error(sqlstate::kProtocolViolation,
                         "bind message supplies " + std::to_string(param_count) +
                             " parameters, but prepared statement \"" + std::string(statement) +
                             "\" requires " + std::to_string(sit->second->param_types.size()));
  }
  return Status::OK();
}

Status ProtocolSession::BindDecodeError(std::string_view body, Status decode_error) const {
  Result<BindHeader> h = DecodeBindHeader(body);
  if (!h.ok()) return decode_error;
  Status st = CheckBindTarget(h->statement, h->param_count);
  return st.ok() ? decode_error : st;
}

Status ProtocolSession::HandleBind(const BindMsg& m, std::string_view body) {
  PGW_RETURN_IF_ERROR(CheckUtf8(m.portal));
  PGW_RETURN_IF_ERROR(CheckUtf8(m.statement));
  auto sit = statements_.find(m.statement);
  if (sit == statements_.end()) return CheckBindTarget(m.statement, m.params.size());
  std::shared_ptr<Prepared> p = sit->second;
  const TranslatedStatement& t = *p->stmt;
  if (tx_ == TxState::kFailed && !AllowedWhenFailed(t.kind)) return FailedTransactionError();
  PGW_RETURN_IF_ERROR(CheckBindTarget(m.statement, m.params.size()));
  if (!m.portal.empty() && portals_.count(m.portal) != 0) {
    return Status::Error(sqlstate::kDuplicateCursor,
                         "cursor \"" + std::string(m.portal) + "\" already exists");
  }
  std::unique_ptr<Portal> portal = TakePortal();
  portal->prepared = p;
  portal->storage.assign(body);
  const char* base = body.data();
  const size_t n = m.params.size();
  portal->params.resize(n);
  portal->scratch.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!m.params[i]) continue;  // NULL
    std::string_view wire(portal->storage.data() + (m.params[i]->data() - base),
                          m.params[i]->size());
    auto fmt = FormatFor(m.param_formats, i) == 1 ? WireFormat::kBinary : WireFormat::kText;
    // Text parameters are converted from the client encoding, so they must be UTF-8.
    if (fmt == WireFormat::kText) PGW_RETURN_IF_ERROR(CheckUtf8(wire));
    Result<Value> v = DecodeValue(p->param_types[i], wire, fmt, &portal->scratch[i]);
    if (!v.ok()) return v.status();
    if (p->param_types[i] == oid::kNumeric && ctx_.backend->dialect() == Dialect::kSqlite) {
      PGW_RETURN_IF_ERROR(CheckSqliteNumeric(*v));
    }
    portal->params[i] = *v;
  }
  size_t ncols = 0;
  if (p->backend && t.returns_rows) {
    ncols = p->backend->columns().size();
  } else if (t.kind == StatementKind::kShow) {
    ncols = t.name == "all" ? 3 : 1;
  } else if (t.kind == StatementKind::kFetch && !t.is_move) {
    auto cur = portals_.find(t.name);
    if (cur != portals_.end()) ncols = cur->second->prepared->backend->columns().size();
  }
  if (m.result_formats.size() > 1 && m.result_formats.size() != ncols) {
    return Status::Error(sqlstate::kProtocolViolation,
                         "bind message has " + std::to_string(m.result_formats.size()) +
                             " result formats but query has " + std::to_string(ncols) +
                             " columns");
  }
  portal->result_formats.resize(ncols);
  for (size_t i = 0; i < ncols; ++i) {
    int16_t f = FormatFor(m.result_formats, i);
    if (f != 0 && f != 1) {
      return Status::Error(sqlstate::kInvalidParameterValue,
                           "unsupported format code: " + std::to_string(f));
    }
    if (f == 1 && p->backend && i < p->backend->columns().size() &&
        !HasBinaryCodec(p->backend->columns()[i].type_oid)) {
      return Status::Error(sqlstate::kUndefinedFunction,
                           "no binary output function available for type " +
                               FormatType(p->backend->columns()[i].type_oid, -1));
    }
    portal->result_formats[i] = f;
  }
  auto it = portals_.find(m.portal);
  if (it != portals_.end()) {
    std::swap(it->second, portal);  // the unnamed portal is replaced
    RecyclePortal(std::move(portal));
  } else {
    InsertPortal(m.portal, std::move(portal));
  }
  return Status::OK();
}

Status ProtocolSession::HandleDescribe(const DescribeMsg& m, std::string* out) {
  const Prepared* p = nullptr;
  std::span<const int16_t> formats;
  bool is_cursor = false;  // a DECLAREd cursor: described by its query's columns
  if (m.kind == 'S') {
    auto it = statements_.find(m.name);
    if (it == statements_.end()) {
      return Status::Error(sqlstate::kInvalidSqlStatementName,
                           m.name.empty() ? std::string("unnamed prepared statement does not exist")
                                          : "prepared statement \"" + std::string(m.name) +
                                                "\" does not exist");
    }
    p = it->second.get();
    AppendParameterDescription(p->param_types, out);
  } else {
    auto it = portals_.find(m.name);
    if (it == portals_.end()) {
      return Status::Error(sqlstate::kInvalidCursorName,
                           "portal \"" + std::string(m.name) + "\" does not exist");
    }
    p = it->second->prepared.get();
    formats = it->second->result_formats;
    is_cursor = it->second->is_sql_cursor;
  }
  const TranslatedStatement& t = *p->stmt;
  const std::vector<ColumnDesc>* cols = EmptyColumns();
  std::vector<ColumnDesc> session_cols;
  if (p->backend && (is_cursor || (t.returns_rows && t.kind != StatementKind::kDeclareCursor))) {
    cols = &p->backend->columns();
  } else if (t.kind == StatementKind::kShow) {
    if (t.name == "all") {
      session_cols = TextColumns({"name", "setting", "description"});
    } else {
      std::string_view canon = SessionSettings::CanonicalName(t.name);
      session_cols = TextColumns({canon.empty() ? t.name : std::string(canon)});
    }
    cols = &session_cols;
  } else if (t.kind == StatementKind::kFetch && !t.is_move) {
    auto it = portals_.find(t.name);
    if (it != portals_.end()) cols = &it->second->prepared->backend->columns();
  }
  if (cols->empty()) {
    AppendNoData(out);
  } else if (p->backend && cols == &p->backend->columns()) {
    Prepared::RowDescriptionCache& cache = p->row_description;
    if (!cache.valid || !std::equal(formats.begin(), formats.end(), cache.formats.begin(),
                                    cache.formats.end())) {
      cache.bytes.clear();
      AppendRowDescription(*cols, formats, &cache.bytes);
      cache.formats.assign(formats.begin(), formats.end());
      cache.valid = true;
    }
    out->append(cache.bytes);
  } else {
    AppendRowDescription(*cols, formats, out);
  }
  return Status::OK();
}

ProtocolSession::Step ProtocolSession::HandleExecute(std::string_view portal_name,
                                                     int64_t max_rows, bool sync_next,
                                                     std::string* out) {
  bool resuming = max_rows < 0;
  std::string name = resuming ? pending_exec_->portal : std::string(portal_name);
  auto it = portals_.find(name);
  if (it == portals_.end()) {
    pending_exec_.reset();
    ExtendedError(Status::Error(sqlstate::kInvalidCursorName,
                                "portal \"" + name + "\" does not exist"),
                  out);
    return Step::kNeedInput;
  }
  Portal& portal = *it->second;
  const TranslatedStatement& t = *portal.prepared->stmt;
  if (inline_ && (portal.cursor || !StatementMayRunInline(t, portal.prepared->backend.get(),
                                                          *portal.prepared->translation))) {
    return OffloadFrame();  // a continued portal, or work that may block
  }
  if (!resuming) {
    if (tx_ == TxState::kFailed && !AllowedWhenFailed(t.kind)) {
      ExtendedError(FailedTransactionError(), out);
      return Step::kNeedInput;
    }
    if (t.kind == StatementKind::kEmpty) {
      AppendEmptyQueryResponse(out);
      return Step::kNeedInput;
    }
    if (t.kind == StatementKind::kCopy) {
      if (tx_ == TxState::kIdle && !implicit_tx_ && !sync_next) {
        Status st = BeginImplicit();
        if (!st.ok()) {
          ExtendedError(st, out);
          return Step::kNeedInput;
        }
      }
      StartCopy(t, CopyOrigin::kExtended, out);
      return copy_ && !copy_->waiting_for_data ? Step::kFlush : Step::kNeedInput;
    }
    if (!RunsOnBackend(t.kind)) {
      if (portal.done) {
        AppendCommandComplete(t.command_tag, out);
        return Step::kNeedInput;
      }
      // COMMIT/ROLLBACK end the transaction and with it this very portal: keep what we use.
      std::shared_ptr<Prepared> keep = portal.prepared;
      std::vector<int16_t> formats = portal.result_formats;
      portal.done = true;
      Status st = RunSessionStatement(*keep->stmt, false, formats, out);
      if (!st.ok()) ExtendedError(st, out);
      return Step::kNeedInput;
    }
    if (t.kind == StatementKind::kDeclareCursor) {
      Status st = DeclareCursor(portal, out);
      if (!st.ok()) ExtendedError(st, out);
      return Step::kNeedInput;
    }
    if (!portal.cursor && !portal.done) {
      if (t.kind == StatementKind::kUtility && t.command_tag == "VACUUM" &&
          tx_ != TxState::kIdle) {
        ExtendedError(Status::Error(sqlstate::kActiveSqlTransaction,
                                    "VACUUM cannot run inside a transaction block"),
                      out);
        return Step::kNeedInput;
      }
      if (tx_ == TxState::kIdle && !implicit_tx_ && !sync_next) {
        Status st = BeginImplicit();
        if (!st.ok()) {
          ExtendedError(st, out);
          return Step::kNeedInput;
        }
      }
    }
    if (activity_) activity_->SetActive(portal.prepared->query, tx_ == TxState::kIdle);
    pending_exec_.emplace();
    pending_exec_->portal = name;
    pending_exec_->remaining = max_rows;
  }
  Pending& pe = *pending_exec_;
  uint64_t rows = 0;
  bool suspended = false, full = false;
  auto started = std::chrono::steady_clock::now();
  Status st;
  if (resuming) {
    st = ResumeStatement();
  } else {
    st = StartStatement();
  }
  if (st.ok()) st = FetchPortal(portal, pe.remaining, out, &rows, &suspended, &full);
  if (InlineYield(st)) {
    // Nothing of it was sent (the output is taken back with the frame): run it on a worker.
    // An implicit transaction begun above stays open for it.
    RecordRunTime(*portal.prepared->translation, t, started, true);
    portal.cursor.reset();
    pending_exec_.reset();
    return OffloadFrame();
  }
  RecordRunTime(*portal.prepared->translation, t, started, false);
  if (!st.ok() && rows == 0 && pe.rows == 0 && ShouldRetry(&st)) {
    portal.cursor.reset();
    return Step::kRetryLater;  // pending_exec_ stays: Process() resumes this Execute
  }
  if (lock_wait_canceled_) {
      lock_wait_canceled_ = false;
      st = CanceledStatus();
    }
  if (!st.ok()) {
    LocateUndefinedName(&st, portal.prepared->query);
    portal.cursor.reset();
    portal.done = true;
    ExtendedError(st, out);
    return Step::kNeedInput;
  }
  pe.rows += rows;
  if (full) {
    if (pe.remaining > 0) pe.remaining -= static_cast<int64_t>(rows);
    return Step::kFlush;
  }
  if (suspended) {
    AppendPortalSuspended(out);
    pending_exec_.reset();
    return Step::kNeedInput;
  }
  uint64_t count = t.returns_rows ? pe.rows : (portal.cursor ? portal.cursor->rows_affected() : 0);
  AppendCommandComplete(CompletionTag(t, count), out);
  if (t.kind == StatementKind::kDdl) ctx_.translations->BumpGeneration();
  pending_exec_.reset();
  return Step::kNeedInput;
}

Status ProtocolSession::HandleClose(const CloseMsg& m) {
  if (m.kind == 'S') {
    statements_.erase(std::string(m.name));
  } else {
    auto it = portals_.find(m.name);
    if (it != portals_.end()) ErasePortal(it);
  }
  return Status::OK();
}

void ProtocolSession::HandleSync(std::string* out) {
  if (state_ == State::kDiscardUntilSync) TransitionTo(State::kReady);
  if (implicit_tx_) {
    implicit_tx_ = false;
    Status st = backend_->Commit();
    if (!st.ok()) {
      Status r = backend_->Rollback();
      (void)r;
      AppendError(st, out);
    }
    EndTransaction(st.ok());
  } else if (tx_ == TxState::kIdle) {
    EndTransaction(true);
  }
  AppendReady(out);
}

}  // namespace pgw
