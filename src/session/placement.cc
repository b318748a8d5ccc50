// Placement: which work ProtocolSession may do inline on the connection's I/O thread. The rule
// is a whitelist: what is not known to be cheap and non-blocking goes to a worker thread.
#include <algorithm>
#include <limits>

#include "protocol/frontend.h"
#include "session/session.h"
#include "session/session_internal.h"

namespace pgw {
namespace {

// Position of `t` among tr's statements (a translation holds one or a few), or npos.
size_t IndexOf(const CachedTranslation& tr, const TranslatedStatement& t) {
  for (size_t i = 0; i < tr.statements.size(); ++i) {
    if (&tr.statements[i] == &t) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool ProtocolSession::FrameMayRunInline(char type, std::string_view body) const {
  if (state_ == State::kDiscardUntilSync && type != msg::kSync && type != msg::kTerminate) {
    return true;  // skipped unread
  }
  switch (type) {
    case msg::kBind:
    case msg::kDescribe:
    case msg::kClose:
    case msg::kFlush:
      return true;
    case msg::kQuery:
    case msg::kParse:
      return body.size() <= kInlineMaxQueryBytes;
    case msg::kExecute:
      return true;  // HandleExecute judges the portal's statement
    case msg::kSync:
      return !implicit_tx_ || !backend_->HasWrites();
    default:
      return false;  // Terminate (closes the backend session), COPY, function calls, unknown
  }
}

bool ProtocolSession::StatementMayRunInline(const TranslatedStatement& t,
                                            const BackendStatement* bs,
                                            const CachedTranslation& tr) const {
  // Once the transaction has written, ending or continuing it may do I/O.
  if (backend_->HasWrites()) return false;
  switch (t.kind) {
    case StatementKind::kEmpty:
    case StatementKind::kSet:
    case StatementKind::kReset:
    case StatementKind::kShow:
    case StatementKind::kNoOp:
    case StatementKind::kDeallocate:
    case StatementKind::kDiscard:
    case StatementKind::kClosePortal:
    case StatementKind::kDeclareCursor:  // declares only; FETCH runs it
    case StatementKind::kBegin:
    case StatementKind::kSavepoint:
    case StatementKind::kCommit:  // of a transaction without writes
    case StatementKind::kRollback:
    case StatementKind::kRelease:
    case StatementKind::kRollbackTo:
      return true;
    case StatementKind::kQuery: {
      // Catalog SQL builds its schema model on first use: seldom cheap, so never inline.
      if (bs == nullptr || !bs->read_only() || t.uses_catalog) return false;
      size_t i = IndexOf(tr, t);
      return i < tr.run_us.size() &&
             tr.run_us[i].load(std::memory_order_relaxed) < kInlineSliceMicros;
    }
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kDdl:
    case StatementKind::kUtility:
    case StatementKind::kCopy:
    case StatementKind::kFetch:
      return false;
  }
  return false;
}

void ProtocolSession::RecordRunTime(const CachedTranslation& tr, const TranslatedStatement& t,
                                    std::chrono::steady_clock::time_point start,
                                    bool slice_expired) {
  size_t i = IndexOf(tr, t);
  if (i >= tr.run_us.size()) return;  // not one of tr's statements (the empty statement)
  int32_t us = std::numeric_limits<int32_t>::max();
  if (!slice_expired) {
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    us = static_cast<int32_t>(std::min<int64_t>(elapsed.count(), us));
  }
  tr.run_us[i].store(us, std::memory_order_relaxed);
}

}  // namespace pgw
