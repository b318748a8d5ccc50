// Pass-through: for a target that speaks PostgreSQL's SQL itself (psqlODBC), the statements
// that run on the backend are sent exactly as the client wrote them. The transformer only
// classifies them (kind, command tag, whether rows come back, the highest $n); session
// statements (BEGIN, SET, SHOW, ...) are still handled by the gateway as for every backend.
#include <protobuf-c/protobuf-c.h>

#include <cctype>

#include "common/sqlstate.h"
#include "sql/node_walk.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

// Highest $n anywhere below `m`.
int MaxParamNumber(const ProtobufCMessage* m) {
  int best = 0;
  auto visit = [&](const ProtobufCMessage* n) {
    if (n->descriptor != &pg_query__param_ref__descriptor) return true;
    best = std::max(best, reinterpret_cast<const PgQuery__ParamRef*>(n)->number);
    return false;
  };
  WalkMessages(m, visit);
  return best;
}

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

// The word starting at `i` (IsIdentStart(text[i])), upper-cased; `i` moves past it.
std::string TakeWord(std::string_view text, size_t& i) {
  std::string w;
  while (i < text.size() && IsIdentChar(text[i])) {
    w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++]))));
  }
  return w;
}

// The query of `DECLARE name ... CURSOR [WITH[OUT] HOLD] FOR query`: the text after the FOR
// that follows CURSOR (the grammar allows only HOLD options between them).
std::string_view DeclaredQuery(std::string_view stmt) {
  size_t i = 0;
  bool after_cursor = false;
  while (i < stmt.size()) {
    char c = stmt[i];
    if (c == '"') {
      size_t end = stmt.find('"', i + 1);
      i = end == std::string_view::npos ? stmt.size() : end + 1;
      continue;
    }
    if (!IsIdentStart(c)) {
      ++i;
      continue;
    }
    std::string word = TakeWord(stmt, i);
    if (word == "CURSOR") after_cursor = true;
    if (after_cursor && word == "FOR") return stmt.substr(i);
  }
  return {};
}

// "CREATE TABLE", "DROP INDEX", ...: PostgreSQL's tag for most DDL is its first two keywords,
// without the modifiers in between.
std::string GenericTag(std::string_view stmt) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < stmt.size() && words.size() < 8) {
    if (!IsIdentStart(stmt[i])) {
      if (stmt[i] == '(' || stmt[i] == '"' || stmt[i] == ';') break;
      ++i;
      continue;
    }
    words.push_back(TakeWord(stmt, i));
  }
  if (words.empty()) return "";
  static const char* const kModifiers[] = {
      "OR",       "REPLACE",      "UNIQUE",       "TEMP",    "TEMPORARY",  "GLOBAL",   "LOCAL",
      "UNLOGGED", "MATERIALIZED", "CONCURRENTLY", "TRUSTED", "PROCEDURAL", "RECURSIVE"};
  std::string tag = words[0];
  if (tag == "TRUNCATE") return "TRUNCATE TABLE";
  if (tag == "DO" || tag == "GRANT" || tag == "REVOKE" || tag == "LOCK" || tag == "COMMENT") {
    return tag == "LOCK" ? "LOCK TABLE" : tag;
  }
  for (size_t k = 1; k < words.size(); ++k) {
    bool modifier = false;
    for (const char* m : kModifiers) modifier |= words[k] == m;
    if (modifier) continue;
    tag += " " + words[k];
    break;
  }
  return tag;
}

}  // namespace

Status Transformer::PassThrough(const Node* stmt, TranslatedStatement& out, bool& handled) {
  handled = true;
  std::string_view source =
      input_.substr(static_cast<size_t>(out.stmt_location), static_cast<size_t>(out.stmt_len));
  auto run = [&](StatementKind kind, std::string tag, bool rows) {
    out.kind = kind;
    out.command_tag = std::move(tag);
    out.returns_rows = rows;
    out.sql.assign(source);
  };
  switch (stmt->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
      if (stmt->select_stmt->into_clause != nullptr) {
        run(StatementKind::kDdl, "SELECT", false);
      } else {
        run(StatementKind::kQuery, "SELECT", true);
      }
      break;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
      run(StatementKind::kInsert, "INSERT", stmt->insert_stmt->n_returning_list > 0);
      break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      run(StatementKind::kUpdate, "UPDATE", stmt->update_stmt->n_returning_list > 0);
      break;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      run(StatementKind::kDelete, "DELETE", stmt->delete_stmt->n_returning_list > 0);
      break;
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
      run(StatementKind::kQuery, "EXPLAIN", true);
      break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
      run(StatementKind::kDdl, "SELECT", false);
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      run(StatementKind::kUtility, stmt->vacuum_stmt->is_vacuumcmd ? "VACUUM" : "ANALYZE", false);
      break;
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
      run(StatementKind::kUtility, "CHECKPOINT", false);
      break;
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT: {
      PGW_RETURN_IF_ERROR(DeclareCursor(stmt->declare_cursor_stmt, out));
      std::string_view query = DeclaredQuery(source);
      if (query.empty()) return Unsupported("this DECLARE CURSOR form");
      out.sql.assign(query);
      out.result_hints.clear();
      break;
    }
    case PG_QUERY__NODE__NODE_CREATE_STMT:
    case PG_QUERY__NODE__NODE_DROP_STMT:
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
    case PG_QUERY__NODE__NODE_RENAME_STMT:
    case PG_QUERY__NODE__NODE_INDEX_STMT:
    case PG_QUERY__NODE__NODE_VIEW_STMT:
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
    case PG_QUERY__NODE__NODE_DO_STMT:
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_LOCK_STMT:
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
      run(StatementKind::kDdl, GenericTag(source), false);
      break;
    default:
      handled = false;  // session statements: classified as for every backend
      return Status::OK();
  }
  max_param_ = std::max(max_param_, MaxParamNumber(&stmt->base));
  return Status::OK();
}

}  // namespace pgw::sql
