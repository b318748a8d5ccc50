// COPY TO: the table's columns (or the query) as a backend cursor, fetched into row batches by
// the fetch pipeline's thread -> rows encoded here as PostgreSQL 15's COPY TO writes them -> one
// CopyData message per row (the protocol's rule, which clients rely on), stopping once the
// output buffer holds kOutputFlushThreshold bytes so that the connection drains it first
// (kFlush) -- or into a server file or program in kCopyDataChunk writes.
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
    topts.catalog_engine = ctx_.backend->catalog_on_engine();
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
  // A table's columns are encoded as the table declares them: a backend may describe a query's
  // result less exactly (psqlODBC reports jsonb results as varchar).
  const std::vector<ColumnDesc>& cols = run.statement->columns();
  for (size_t i = 0; i < names.size() && i < cols.size(); ++i) {
    Oid type = cols[i].type_oid;
    int32_t typmod = cols[i].typmod;
    if (!spec.relation.empty()) {
      for (const RelationColumn& rc : run.rel.columns) {
        if (rc.name == names[i]) {
          type = rc.type_oid;
          typmod = rc.typmod;
          break;
        }
      }
    }
    run.columns.push_back(CopyColumn{names[i], type, typmod});
  }
  PGW_RETURN_IF_ERROR(CheckForceQuoteColumns(run.opts, run.columns));
  PGW_TRY(run.cursor, backend_->OpenExport(*run.statement, {}));
  if (spec.filename.empty()) {
    AppendCopyOutResponse(run.opts.binary(), static_cast<int16_t>(run.columns.size()), out);
  }
  return Status::OK();
}

namespace {

// Encodes one row: a CopyData message of its own (`framed`, as PostgreSQL sends them and as
// clients expect: psycopg parses each message as one row) or plain bytes for a file. The
// pending binary signature goes in front of the first row.
Status EncodeCopyRow(ProtocolSession::CopyRun& run, std::span<const Value> row, bool framed,
                     std::string* out) {
  size_t at = out->size();
  if (framed) BeginCopyData(out);
  out->append(run.pending);
  Status st = AppendCopyRow(run.opts, run.columns, row.subspan(0, run.columns.size()), out);
  if (!st.ok()) {
    out->resize(at);
    return st;
  }
  run.pending.clear();
  if (framed) EndCopyData(at, out);
  ++run.rows;
  return Status::OK();
}

// Encodes rows from the fetch pipeline until `out` holds `limit` bytes (then *more) or the
// rows end.
Status EncodeCopyRows(ProtocolSession::CopyRun& run, bool framed, size_t limit,
                      const std::atomic<bool>& cancel, std::string* out, bool* more) {
  *more = false;
  if (!run.fetch) {
    run.fetch =
        std::make_unique<CopyFetchPipeline>(*run.cursor, run.statement->columns().size(), cancel);
  }
  for (;;) {
    if (run.batch == nullptr || run.batch_row == run.batch->rows()) {
      PGW_TRY(run.batch, run.fetch->Next());
      run.batch_row = 0;
      if (run.batch == nullptr) return Status::OK();
    }
    while (run.batch_row < run.batch->rows()) {
      PGW_RETURN_IF_ERROR(EncodeCopyRow(run, run.batch->row(run.batch_row++), framed, out));
      if (out->size() >= limit) {
        *more = true;
        return Status::OK();
      }
    }
  }
}

}  // namespace

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
  bool more = false;
  Status st = EncodeCopyRows(run, true, kOutputFlushThreshold, copy_cancel_, out, &more);
  if (run.progress) {
    run.progress->AddBytes(static_cast<int64_t>(out->size() - before));
    run.progress->SetTuples(static_cast<int64_t>(run.rows), 0);
  }
  if (!st.ok()) {
    EndCopy(std::move(st), out);
    return Step::kNeedInput;
  }
  if (more) return Step::kFlush;
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
  for (;;) {
    if (copy_cancel_.load()) return CopyCanceled();
    bool more = false;
    PGW_RETURN_IF_ERROR(EncodeCopyRows(run, false, kCopyDataChunk, copy_cancel_, &buf, &more));
    if (!more) AppendCopyEpilogue(run.opts, &buf);
    PGW_RETURN_IF_ERROR(run.file->Write(buf));
    if (run.progress) {
      run.progress->AddBytes(static_cast<int64_t>(buf.size()));
      run.progress->SetTuples(static_cast<int64_t>(run.rows), 0);
    }
    buf.clear();
    if (!more) return Status::OK();
  }
}

}  // namespace pgw
