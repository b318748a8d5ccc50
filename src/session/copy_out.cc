// COPY TO: the table's columns (or the query) as a backend cursor -> rows encoded as PostgreSQL
// 15's COPY TO writes them -> one CopyData message per row (the protocol's rule, which clients
// rely on), stopping once the output buffer holds kOutputFlushThreshold bytes so that the
// connection drains it first (kFlush) -- or into a server file or program in kCopyDataChunk
// writes.
#include "common/sqlstate.h"
#include "copy/copy_encoder.h"
#include "protocol/copy_messages.h"
#include "session/copy_flow.h"
#include "session/session_internal.h"

namespace pgw {
namespace {

// PostgreSQL's quote_identifier for the SELECT the gateway runs for COPY table TO.
void AppendIdentifier(std::string_view name, std::string* out) {
  out->push_back('"');
  for (char c : name) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Encodes the cursor's rows into `out`: one CopyData message per row, as PostgreSQL sends them
// and as clients expect (psycopg parses each message as one row), or plain bytes for a file.
// `pending` (the binary signature) goes in front of the first row. Stops the fetch once `out`
// holds `limit` bytes.
class CopyOutSink final : public RowSink {
 public:
  CopyOutSink(const CopyOptions& opts, const std::vector<CopyColumn>& columns, bool framed,
              size_t limit, std::string* pending, std::string* out)
      : opts_(opts),
        columns_(columns),
        framed_(framed),
        limit_(limit),
        pending_(pending),
        out_(out) {}

  bool OnRow(std::span<const Value> row) override {
    size_t at = out_->size();
    if (framed_) BeginCopyData(out_);
    out_->append(*pending_);
    error_ = AppendCopyRow(opts_, columns_, row.subspan(0, columns_.size()), out_);
    if (!error_.ok()) {
      out_->resize(at);
      return false;
    }
    pending_->clear();
    if (framed_) EndCopyData(at, out_);
    ++rows_;
    return out_->size() < limit_;
  }

  const Status& error() const { return error_; }
  uint64_t rows() const { return rows_; }

 private:
  const CopyOptions& opts_;
  const std::vector<CopyColumn>& columns_;
  const bool framed_;
  const size_t limit_;
  std::string* pending_;
  std::string* out_;
  Status error_;
  uint64_t rows_ = 0;
};

}  // namespace

Status ProtocolSession::BeginCopyTo(const TranslatedStatement& t, CopyRun& run, std::string* out) {
  const CopySpec& spec = *run.spec;
  std::vector<std::string> names;
  if (!spec.relation.empty()) {
    PGW_TRY(run.rel, backend_->DescribeRelation(spec.schema, spec.relation));
    run.relname = run.rel.name;
    PGW_TRY(run.opts, ParseCopyOptions(false, spec.options));
    if (run.rel.kind == RelationInfo::Kind::kView) {
      return Status::Error("42809", "cannot copy from view \"" + run.rel.name + "\"")
          .WithHint("Try the COPY (SELECT ...) TO variant.");
    }
    PGW_TRY(std::vector<size_t> idx, CopyColumnIndexes(run.rel, spec.columns));
    if (!run.opts.force_quote.empty()) {
      PGW_RETURN_IF_ERROR(CopyColumnIndexes(run.rel, run.opts.force_quote).status());
    }
    // SELECT "a", "b" FROM [schema.]"t", through the translator like any query.
    std::string sql = "SELECT ";
    for (size_t k = 0; k < idx.size(); ++k) {
      if (k > 0) sql += ", ";
      AppendIdentifier(run.rel.columns[idx[k]].name, &sql);
      names.push_back(run.rel.columns[idx[k]].name);
    }
    if (idx.empty()) sql += "NULL";
    sql += " FROM ";
    if (run.rel.kind == RelationInfo::Kind::kCatalog) sql += "pg_catalog.";
    AppendIdentifier(run.rel.name, &sql);
    TranslateOptions topts;
    topts.dialect = ctx_.backend->dialect();
    topts.schema = &ctx_.backend->schema();
    PGW_TRY(std::vector<TranslatedStatement> stmts, Translate(sql, topts));
    PGW_TRY(run.statement, PrepareBackend(stmts.front()));
  } else {
    PGW_TRY(run.opts, ParseCopyOptions(false, spec.options));
    PGW_TRY(run.statement, PrepareBackend(t));
    for (const ColumnDesc& c : run.statement->columns()) names.push_back(c.name);
    for (const std::string& name : run.opts.force_quote) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        return Status::Error(sqlstate::kUndefinedColumn, "column \"" + name + "\" does not exist");
      }
    }
  }
  const std::vector<ColumnDesc>& cols = run.statement->columns();
  for (size_t i = 0; i < names.size() && i < cols.size(); ++i) {
    run.columns.push_back(CopyColumn{names[i], cols[i].type_oid, cols[i].typmod});
  }
  PGW_RETURN_IF_ERROR(CheckForceQuoteColumns(run.opts, run.columns));
  PGW_TRY(run.cursor, backend_->OpenExport(*run.statement, {}));
  if (spec.filename.empty()) {
    AppendCopyOutResponse(run.opts.binary(), static_cast<int16_t>(run.columns.size()), out);
  }
  return Status::OK();
}

ProtocolSession::Step ProtocolSession::ContinueCopyOut(std::string* out) {
  CopyRun& run = *copy_;
  if (copy_cancel_.load()) {
    EndCopy(CopyCanceled(), out);
    return Step::kNeedInput;
  }
  const size_t before = out->size();
  if (!run.prologue_done) {
    // The text/CSV header line is a message of its own; the binary signature travels with the
    // first row (or the trailer), as in PostgreSQL.
    AppendCopyPrologue(run.opts, run.columns, &run.pending);
    if (!run.opts.binary() && !run.pending.empty()) {
      AppendCopyData(run.pending, out);
      run.pending.clear();
    }
    run.prologue_done = true;
  }
  CopyOutSink sink(run.opts, run.columns, true, kOutputFlushThreshold, &run.pending, out);
  Result<FetchResult> r = run.cursor->Fetch(0, sink);
  run.rows += sink.rows();
  if (run.progress) {
    run.progress->AddBytes(static_cast<int64_t>(out->size() - before));
    run.progress->SetTuples(static_cast<int64_t>(run.rows), 0);
  }
  Status st = sink.error().ok() ? r.status() : sink.error();
  if (!st.ok()) {
    EndCopy(std::move(st), out);
    return Step::kNeedInput;
  }
  if (!r->done) return Step::kFlush;
  AppendCopyEpilogue(run.opts, &run.pending);
  if (!run.pending.empty()) AppendCopyData(run.pending, out);
  AppendCopyDone(out);
  EndCopy(Status::OK(), out);
  return Step::kNeedInput;
}

Status ProtocolSession::RunCopyToFile() {
  CopyRun& run = *copy_;
  std::string buf;
  AppendCopyPrologue(run.opts, run.columns, &buf);
  std::string none;
  for (;;) {
    if (copy_cancel_.load()) return CopyCanceled();
    CopyOutSink sink(run.opts, run.columns, false, kCopyDataChunk, &none, &buf);
    Result<FetchResult> r = run.cursor->Fetch(0, sink);
    run.rows += sink.rows();
    PGW_RETURN_IF_ERROR(sink.error());
    PGW_RETURN_IF_ERROR(r.status());
    if (r->done) AppendCopyEpilogue(run.opts, &buf);
    PGW_RETURN_IF_ERROR(run.file->Write(buf));
    if (run.progress) {
      run.progress->AddBytes(static_cast<int64_t>(buf.size()));
      run.progress->SetTuples(static_cast<int64_t>(run.rows), 0);
    }
    buf.clear();
    if (r->done) return Status::OK();
  }
}

}  // namespace pgw
