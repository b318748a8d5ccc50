// COPY FROM: checks against the target table, then bytes -> CopyDecoder rows -> fields converted
// to the columns' storage form (PostgreSQL's input functions and typmods, with its CONTEXT
// lines) -> NOT NULL checks -> row batches -> the insert pipeline -> the backend's BulkSink.
#include <algorithm>
#include <cstdint>

#include "common/sqlstate.h"
#include "protocol/copy_messages.h"
#include "session/copy_flow.h"
#include "session/session_internal.h"
#include "types/value_codec.h"

namespace pgw {
namespace {

bool HasPayload(const Value& v) {
  return v.kind == Value::Kind::kText || v.kind == Value::Kind::kBlob;
}

// 42703 unless every FORCE_NOT_NULL / FORCE_NULL name is a column of the table.
Status CheckForceColumns(const RelationInfo& rel, const std::vector<std::string>& names) {
  if (names.empty()) return Status::OK();
  return CopyColumnIndexes(rel, names).status();
}

}  // namespace

Status ProtocolSession::BeginCopyFrom(CopyRun& run, std::string* out) {
  const CopySpec& spec = *run.spec;
  PGW_TRY(run.rel, backend_->DescribeRelation(spec.schema, spec.relation));
  run.relname = run.rel.name;
  PGW_TRY(run.opts, ParseCopyOptions(true, spec.options));
  PGW_TRY(std::vector<size_t> idx, CopyColumnIndexes(run.rel, spec.columns));
  PGW_RETURN_IF_ERROR(CheckForceColumns(run.rel, run.opts.force_not_null));
  PGW_RETURN_IF_ERROR(CheckForceColumns(run.rel, run.opts.force_null));
  for (size_t i : idx) {
    const RelationColumn& c = run.rel.columns[i];
    run.targets.push_back(c);
    run.columns.push_back(CopyColumn{c.name, c.type_oid, c.typmod});
  }
  PGW_TRY(run.decoder, CopyDecoder::Create(run.opts, run.columns));
  if (run.rel.kind == RelationInfo::Kind::kView) {
    return Status::Error("42809", "cannot copy to view \"" + run.rel.name + "\"")
        .WithHint("To enable copying to a view, provide an INSTEAD OF INSERT trigger.");
  }
  if (run.rel.kind == RelationInfo::Kind::kCatalog) {
    return Status::Error(
        sqlstate::kFeatureNotSupported,
        "COPY into the system catalog relation \"" + run.rel.name + "\" is not supported");
  }
  // Which table column each COPY column is, for NOT NULL checks and whole-row DETAILs.
  run.table_order.assign(run.rel.columns.size(), SIZE_MAX);
  for (size_t k = 0; k < idx.size(); ++k) run.table_order[idx[k]] = k;
  run.whole_rows = idx.size() == run.rel.columns.size();
  for (size_t j = 0; j < run.rel.columns.size(); ++j) {
    const RelationColumn& c = run.rel.columns[j];
    if (run.table_order[j] == SIZE_MAX && c.not_null && !c.has_default && !c.generated) {
      run.missing_not_null = &c;
      break;
    }
  }
  // The sink is prepared before the bracket opens, so that the COPY's first write is the
  // first statement of its transaction (a busy lock can then be waited out and retried).
  BulkInsertSpec bulk;
  bulk.table = run.rel.name;
  bulk.columns = run.targets;
  bulk.where_sql = spec.where_sql;
  bulk.lock_wait_ms = static_cast<int>(std::min<int64_t>(LockWaitLimitMs(), INT32_MAX));
  PGW_TRY(run.sink, backend_->OpenBulkInsert(bulk));
  PGW_RETURN_IF_ERROR(OpenCopyBracket(run));
  run.pipeline = std::make_unique<CopyInsertPipeline>(*run.sink, run.targets.size(), copy_cancel_);
  run.scratch.resize(run.targets.size());
  run.values.resize(run.targets.size());
  if (spec.filename.empty()) {
    AppendCopyInResponse(run.opts.binary(), static_cast<int16_t>(run.targets.size()), out);
    run.waiting_for_data = true;
  }
  return Status::OK();
}

Status ProtocolSession::CopyInData(std::string_view bytes, bool finished) {
  CopyRun& run = *copy_;
  CopyDecoder& d = *run.decoder;
  if (!bytes.empty()) d.Feed(bytes);
  if (finished) d.Finish();
  CopyRow row;
  for (;;) {
    Result<CopyDecoder::Step> step = d.Next(&row);
    // Rows before a failing line may still fail in the backend: the first error in the input
    // wins, whichever thread finds it.
    auto first_error = [&](Status st) {
      Status inserted = CopyInFinish();
      return inserted.ok() ? st : inserted;
    };
    if (!step.ok()) {
      std::string context;
      if (d.line() == 0) {
        // The binary header: PostgreSQL reads it before its error context is in place.
      } else if (run.opts.binary()) {
        context = d.error_column().empty() ? CopyLineContext(run.relname, d.line(), std::nullopt)
                                           : CopyFieldContext(run.relname, d.line(),
                                                              d.error_column(), std::nullopt, true);
      } else {
        context = CopyLineContext(run.relname, d.line(),
                                  d.has_error_line()
                                      ? std::optional<std::string_view>(d.error_line_text())
                                      : std::nullopt);
      }
      return first_error(WithCopyContext(step.status(), context));
    }
    if (*step != CopyDecoder::Step::kRow) break;
    Status st = CopyInRow(row);
    if (!st.ok()) return first_error(std::move(st));
  }
  if (run.progress) {
    // Rows accepted so far (the insert thread may still be writing some of them).
    int64_t excluded = static_cast<int64_t>(run.pipeline->excluded());
    run.progress->SetTuples(static_cast<int64_t>(run.rows_seen) - excluded, excluded);
  }
  return Status::OK();
}

Status ProtocolSession::CopyInRow(const CopyRow& row) {
  CopyRun& run = *copy_;
  const bool binary = run.opts.binary();
  const WireFormat fmt = binary ? WireFormat::kBinary : WireFormat::kText;
  const bool sqlite = ctx_.backend->dialect() == Dialect::kSqlite;
  const size_t n = run.targets.size();
  size_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::optional<std::string_view>& field = row.fields[i];
    if (!field) {
      run.values[i] = Value::Null();
      continue;
    }
    const RelationColumn& c = run.targets[i];
    Result<Value> v = DecodeColumnInput(c.type_oid, c.typmod, *field, fmt, &run.scratch[i]);
    Status st = v.status();
    if (st.ok() && sqlite && c.type_oid == oid::kNumeric) st = CheckSqliteNumeric(*v);
    if (!st.ok()) {
      return WithCopyContext(std::move(st),
                             CopyFieldContext(run.relname, row.line, c.name, field, binary));
    }
    run.values[i] = *v;
    if (HasPayload(*v)) bytes += v->s.size();
  }
  // ExecConstraints: NOT NULL in column order, before the row is written.
  for (size_t j = 0; j < run.rel.columns.size(); ++j) {
    const RelationColumn& c = run.rel.columns[j];
    if (!c.not_null) continue;
    size_t k = run.table_order[j];
    if (k == SIZE_MAX ? &c != run.missing_not_null : !run.values[k].is_null()) continue;
    Status st = Status::Error(sqlstate::kNotNullViolation, "null value in column \"" + c.name +
                                                               "\" of relation \"" + run.relname +
                                                               "\" violates not-null constraint");
    if (run.whole_rows) {
      std::string detail = "Failing row contains (";
      for (size_t t = 0; t < run.rel.columns.size(); ++t) {
        if (t > 0) detail += ", ";
        const Value& v = run.values[run.table_order[t]];
        const RelationColumn& tc = run.rel.columns[t];
        if (v.is_null() ||
            !EncodeValue(tc.type_oid, tc.typmod, v, WireFormat::kText, &detail).ok()) {
          detail += "null";
        }
      }
      st = std::move(st).WithDetail(detail + ").");
    }
    return WithCopyContext(
        std::move(st),
        CopyLineContext(run.relname, row.line,
                        binary ? std::nullopt : std::optional<std::string_view>(row.text)));
  }
  PGW_RETURN_IF_ERROR(run.pipeline->Reserve(bytes));
  RowBatch& b = run.pipeline->batch();
  for (size_t i = 0; i < n; ++i) {
    Value v = run.values[i];
    if (HasPayload(v)) {
      size_t at = b.bytes.size();
      b.bytes.append(v.s);
      v.s = std::string_view(b.bytes.data() + at, v.s.size());
    }
    b.values.push_back(v);
  }
  b.lines.push_back(row.line);
  ++run.rows_seen;
  return Status::OK();
}

Status ProtocolSession::CopyInFinish() {
  CopyRun& run = *copy_;
  Status st = run.pipeline->Finish();
  run.rows = run.pipeline->inserted();
  if (run.progress) {
    run.progress->SetTuples(static_cast<int64_t>(run.rows),
                            static_cast<int64_t>(run.pipeline->excluded()));
  }
  if (st.ok() || run.pipeline->error_line() == 0) return st;
  return WithCopyContext(std::move(st),
                         CopyLineContext(run.relname, run.pipeline->error_line(), std::nullopt));
}

Status ProtocolSession::RunCopyFromFile() {
  CopyRun& run = *copy_;
  std::string chunk(kCopyFileChunk, '\0');
  for (;;) {
    if (copy_cancel_.load()) return CopyCanceled();
    PGW_TRY(size_t n, run.file->Read(chunk.data(), chunk.size()));
    if (run.progress) run.progress->AddBytes(static_cast<int64_t>(n));
    PGW_RETURN_IF_ERROR(CopyInData(std::string_view(chunk.data(), n), n == 0));
    if (n == 0) return CopyInFinish();
  }
}

}  // namespace pgw
