// Transformer: the statement dispatch (one switch on the node kind), error helpers, and the
// literal-marker pass shared by all statement kinds.
#include "sql/transformer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "common/sqlstate.h"

namespace pgw::sql {

Status StackDepthExceeded() {
  return Status::Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
      .WithHint(
          "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after "
          "ensuring the platform's stack depth limit is adequate.");
}

Status Transformer::Unsupported(std::string_view what) const {
  return Status::Error(sqlstate::kFeatureNotSupported,
                       fmt::format("{} is not supported by the {} backend", what, d_.name()));
}

Status Transformer::Unsupported(std::string_view what, int location) const {
  Status st = Unsupported(what);
  if (location >= 0) return std::move(st).WithPosition(location + 1);
  return st;
}

std::string_view StringValue(const Node* n) {
  if (n == nullptr || n->node_case != PG_QUERY__NODE__NODE_STRING) return {};
  return n->string->sval;
}

std::string_view LastName(Node* const* names, size_t n) {
  if (n == 0) return {};
  return StringValue(names[n - 1]);
}

void FinishLiterals(std::string& sql, int first_number, const SqlDialect& d,
                    std::vector<int>& locations) {
  // Collect the distinct literal offsets (a literal may be emitted twice, e.g. when a LATERAL
  // column is inlined), number them in input order, then rewrite.
  std::vector<int> found;
  for (size_t i = sql.find(kLiteralMarkBegin); i != std::string::npos;
       i = sql.find(kLiteralMarkBegin, i + 1)) {
    int loc = 0;
    std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), loc);
    found.push_back(loc);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::string out;
  out.reserve(sql.size() + 8);
  size_t pos = 0;
  for (size_t i = sql.find(kLiteralMarkBegin); i != std::string::npos;
       i = sql.find(kLiteralMarkBegin, pos)) {
    out.append(sql, pos, i - pos);
    size_t end = sql.find(kLiteralMarkEnd, i);
    int loc = 0;
    std::from_chars(sql.data() + i + 1, sql.data() + end, loc);
    int k = static_cast<int>(std::lower_bound(found.begin(), found.end(), loc) - found.begin());
    d.AppendPlaceholder(out, first_number + k + 1);
    pos = end + 1;
  }
  out.append(sql, pos, std::string::npos);
  sql = std::move(out);
  locations = std::move(found);
}

namespace {

void NoOp(TranslatedStatement& out, std::string_view tag) {
  out.kind = StatementKind::kNoOp;
  out.command_tag = tag;
}

std::string_view DiscardTag(PgQuery__DiscardMode m, std::string& name) {
  switch (m) {
    case PG_QUERY__DISCARD_MODE__DISCARD_PLANS:
      name = "plans";
      return "DISCARD PLANS";
    case PG_QUERY__DISCARD_MODE__DISCARD_SEQUENCES:
      name = "sequences";
      return "DISCARD SEQUENCES";
    case PG_QUERY__DISCARD_MODE__DISCARD_TEMP:
      name = "temp";
      return "DISCARD TEMP";
    default:
      name = "all";
      return "DISCARD ALL";
  }
}

}  // namespace

Status Transformer::Statement(const Node* stmt, TranslatedStatement& out) {
  if (stmt == nullptr) {
    out.kind = StatementKind::kEmpty;
    return Status::OK();
  }
  Status st;
  if (d_.PassesThrough()) {
    bool handled = false;
    PGW_RETURN_IF_ERROR(PassThrough(stmt, out, handled));
    if (handled) {
      out.num_params = max_param_;
      out.param_types.assign(static_cast<size_t>(max_param_), 0);
      return Status::OK();
    }
  }
  switch (stmt->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
      parameterize_ = CanParameterize();
      st = QueryStatement(stmt->select_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
      parameterize_ = CanParameterize();
      st = InsertStatement(stmt->insert_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      parameterize_ = CanParameterize();
      st = UpdateStatement(stmt->update_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      parameterize_ = CanParameterize();
      st = DeleteStatement(stmt->delete_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      st = CreateTable(stmt->create_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
      st = CreateTableAs(stmt->create_table_as_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      st = DropStatement(stmt->drop_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
      st = TruncateStatement(stmt->truncate_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      st = AlterTable(stmt->alter_table_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      st = RenameStatement(stmt->rename_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      st = CreateIndex(stmt->index_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
      st = CreateView(stmt->view_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      st = VacuumStatement(stmt->vacuum_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
      out.kind = StatementKind::kUtility;
      out.command_tag = "CHECKPOINT";
      break;
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
      st = CreateExtension(stmt->create_extension_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      st = TransactionStatement(stmt->transaction_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
      st = VariableSet(stmt->variable_set_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
      st = VariableShow(stmt->variable_show_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
      out.kind = StatementKind::kDiscard;
      out.command_tag = DiscardTag(stmt->discard_stmt->target, out.name);
      break;
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT: {
      out.kind = StatementKind::kDeallocate;
      const char* name = stmt->deallocate_stmt->name;
      out.name = name != nullptr ? name : "";
      out.command_tag = out.name.empty() ? "DEALLOCATE ALL" : "DEALLOCATE";
      break;
    }
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
      NoOp(out, "LISTEN");
      break;
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT:
      NoOp(out, "UNLISTEN");
      break;
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
      NoOp(out, "NOTIFY");
      break;
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
      st = DeclareCursor(stmt->declare_cursor_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_FETCH_STMT:
      st = FetchStatement(stmt->fetch_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT: {
      out.kind = StatementKind::kClosePortal;
      const char* name = stmt->close_portal_stmt->portalname;
      out.name = name != nullptr ? name : "";
      out.command_tag = out.name.empty() ? "CLOSE CURSOR ALL" : "CLOSE CURSOR";
      break;
    }
    case PG_QUERY__NODE__NODE_COPY_STMT:
      st = CopyStatement(stmt->copy_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
      return Unsupported("EXPLAIN");
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
      return Unsupported("CREATE SCHEMA");
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
      return Unsupported("PREPARE");
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
      return Unsupported("EXECUTE");
    case PG_QUERY__NODE__NODE_MERGE_STMT:
      return Unsupported("MERGE");
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
      return Unsupported("CREATE SEQUENCE");
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
      return Unsupported("CREATE FUNCTION");
    case PG_QUERY__NODE__NODE_DO_STMT:
      return Unsupported("DO");
    case PG_QUERY__NODE__NODE_LOCK_STMT:
      return Unsupported("LOCK");
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
      return Unsupported("GRANT/REVOKE");
    default:
      return Unsupported("this statement");
  }
  PGW_RETURN_IF_ERROR(std::move(st));
  out.uses_catalog = uses_catalog_;
  out.num_params = max_param_;
  param_types_.resize(static_cast<size_t>(max_param_), 0);
  out.param_types = std::move(param_types_);
  if (emitted_marker_) FinishLiterals(out.sql, out.num_params, d_, out.literal_locations);
  return Status::OK();
}

}  // namespace pgw::sql
