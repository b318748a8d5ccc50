// DDL: CREATE TABLE (types spelled as PostgreSQL's format_type, constraints, serial/identity
// primary keys), CREATE TABLE AS, DROP, TRUNCATE, ALTER TABLE, RENAME, CREATE INDEX,
// CREATE VIEW, VACUUM/ANALYZE and CREATE EXTENSION. Several backend statements of one PostgreSQL
// statement are joined with ";\n".
#include <fmt/format.h>

#include "common/sqlstate.h"
#include "sql/transformer.h"

namespace pgw::sql {
namespace {

constexpr std::string_view kStatementSeparator = ";\n";
constexpr char kInvalidSchemaName[] = "3F000";

bool HasConstraint(const PgQuery__ColumnDef* c, PgQuery__ConstrType type) {
  for (size_t i = 0; i < c->n_constraints; ++i) {
    const Node* n = c->constraints[i];
    if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT && n->constraint->contype == type) {
      return true;
    }
  }
  return false;
}

std::string_view FkAction(const char* action) {
  if (action == nullptr || action[0] == '\0') return {};
  switch (action[0]) {
    case 'r':
      return "RESTRICT";
    case 'c':
      return "CASCADE";
    case 'n':
      return "SET NULL";
    case 'd':
      return "SET DEFAULT";
    default:
      return {};  // 'a': NO ACTION, the default
  }
}

void Separate(std::string& sql) {
  if (!sql.empty()) sql.append(kStatementSeparator);
}

}  // namespace

Status Transformer::CreateTable(const PgQuery__CreateStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kDdl;
  out.command_tag = "CREATE TABLE";
  if (s->n_inh_relations > 0) return Unsupported("INHERITS");
  if (s->partspec != nullptr) return Unsupported("PARTITION BY");
  if (s->partbound != nullptr) return Unsupported("PARTITION OF");
  if (s->of_typename != nullptr) return Unsupported("CREATE TABLE OF");
  if (s->oncommit == PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_DELETE_ROWS ||
      s->oncommit == PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_DROP) {
    return Unsupported("ON COMMIT DELETE ROWS / DROP");
  }
  // WITH (storage options), TABLESPACE and USING access_method have no SQLite meaning and are
  // dropped.
  std::string& sql = out.sql;
  const PgQuery__RangeVar* rel = s->relation;
  bool temp = rel->relpersistence != nullptr && rel->relpersistence[0] == 't';
  sql.append(temp ? "CREATE TEMP TABLE " : "CREATE TABLE ");
  if (s->if_not_exists) sql.append("IF NOT EXISTS ");
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(rel, sql, table));
  if (table.empty()) return Unsupported("creating tables in pg_catalog", rel->location);
  // The primary key declared as a table constraint, if any.
  std::vector<std::string> pk_columns;
  auto collect_pk = [&](Node* const* items, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      const Node* e = items[i];
      if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
          e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
        for (size_t k = 0; k < e->constraint->n_keys; ++k) {
          pk_columns.emplace_back(StringValue(e->constraint->keys[k]));
        }
      }
    }
  };
  collect_pk(s->table_elts, s->n_table_elts);
  collect_pk(s->constraints, s->n_constraints);
  sql.append(" (");
  bool pk_consumed = false;
  bool first = true;
  for (size_t i = 0; i < s->n_table_elts; ++i) {
    const Node* e = s->table_elts[i];
    if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
      if (!first) sql.append(", ");
      first = false;
      PGW_RETURN_IF_ERROR(ColumnDef(e->column_def, pk_columns, sql, pk_consumed));
    }
  }
  auto table_constraints = [&](Node* const* items, size_t n) -> Status {
    for (size_t i = 0; i < n; ++i) {
      const Node* e = items[i];
      if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) continue;
      if (e->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
        return Unsupported(e->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE
                               ? "CREATE TABLE ... (LIKE ...)"
                               : "this table element");
      }
      if (pk_consumed && e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
        continue;  // became the INTEGER PRIMARY KEY column
      }
      if (!first) sql.append(", ");
      first = false;
      PGW_RETURN_IF_ERROR(TableConstraint(e->constraint, sql));
    }
    return Status::OK();
  };
  PGW_RETURN_IF_ERROR(table_constraints(s->table_elts, s->n_table_elts));
  PGW_RETURN_IF_ERROR(table_constraints(s->constraints, s->n_constraints));
  if (first) return Unsupported("tables without columns");
  sql.push_back(')');
  return Status::OK();
}

Status Transformer::ColumnDef(const PgQuery__ColumnDef* c,
                              const std::vector<std::string>& pk_columns, std::string& out,
                              bool& pk_consumed) {
  PGW_TRY(ResolvedType type, ResolveTypeName(c->type_name));
  bool identity = HasConstraint(c, PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY);
  bool auto_number = type.is_serial || identity;
  bool column_pk = HasConstraint(c, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY);
  bool table_pk = pk_columns.size() == 1 && pk_columns[0] == c->colname;
  d_.AppendIdentifier(out, c->colname);
  out.push_back(' ');
  if (auto_number) {
    if (!column_pk && !table_pk) {
      std::string what =
          identity ? fmt::format("identity column \"{}\"", c->colname)
                   : fmt::format("{} column \"{}\"",
                                 LastName(c->type_name->names, c->type_name->n_names), c->colname);
      return Unsupported(what + " that is not the primary key");
    }
    // SQLite auto-numbers only an INTEGER PRIMARY KEY (a rowid alias); see
    // SqlDialect::AutoIncrementPrimaryKey.
    out.append(d_.AutoIncrementPrimaryKey());
    if (table_pk) pk_consumed = true;
  } else {
    out.append(type.pg_spelling);
  }
  if (c->coll_clause != nullptr) {
    std::string_view coll = LastName(c->coll_clause->collname, c->coll_clause->n_collname);
    if (coll != "C" && coll != "POSIX" && coll != "default") {
      return Unsupported(fmt::format("collation \"{}\"", coll));
    }
  }
  for (size_t i = 0; i < c->n_constraints; ++i) {
    const Node* n = c->constraints[i];
    if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
    const PgQuery__Constraint* k = n->constraint;
    if (auto_number && (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
                        k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY ||
                        k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL)) {
      continue;
    }
    PGW_RETURN_IF_ERROR(ColumnConstraint(k, out));
  }
  return Status::OK();
}

Status Transformer::ColumnConstraint(const PgQuery__Constraint* k, std::string& out) {
  bool named = k->conname != nullptr && k->conname[0] != '\0';
  auto name = [&] {
    if (named) {
      out.append(" CONSTRAINT ");
      d_.AppendIdentifier(out, k->conname);
    }
  };
  ExprType t;
  switch (k->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
      name();
      out.append(" NULL");
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
      name();
      out.append(" NOT NULL");
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: {
      name();
      out.append(" DEFAULT ");
      const Node* e = k->raw_expr;
      bool literal =
          e != nullptr && e->node_case == PG_QUERY__NODE__NODE_A_CONST &&
          !(e->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL && e->a_const->ival->ival < 0) &&
          !(e->a_const->val_case == PG_QUERY__A__CONST__VAL_FVAL &&
            e->a_const->fval->fval[0] == '-');
      if (!literal) out.push_back('(');
      PGW_RETURN_IF_ERROR(Expr(e, out, t));
      if (!literal) out.push_back(')');
      return Status::OK();
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      name();
      out.append(" CHECK (");
      PGW_RETURN_IF_ERROR(Expr(k->raw_expr, out, t));
      out.push_back(')');
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
      name();
      out.append(" PRIMARY KEY");
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
      name();
      out.append(" UNIQUE");
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
      name();
      return ForeignKeyTail(k, out);
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
      name();
      out.append(" GENERATED ALWAYS AS (");
      PGW_RETURN_IF_ERROR(Expr(k->raw_expr, out, t));
      out.append(") STORED");
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
      // Only foreign keys are deferrable in SQLite; they carry the flags themselves.
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
      return Unsupported("identity columns that are not the primary key");
    default:
      return Unsupported("this column constraint", k->location);
  }
}

Status Transformer::TableConstraint(const PgQuery__Constraint* k, std::string& out) {
  if (k->conname != nullptr && k->conname[0] != '\0') {
    out.append("CONSTRAINT ");
    d_.AppendIdentifier(out, k->conname);
    out.push_back(' ');
  }
  ExprType t;
  switch (k->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
      out.append("PRIMARY KEY (");
      NameList(k->keys, k->n_keys, out);
      out.push_back(')');
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
      out.append("UNIQUE (");
      NameList(k->keys, k->n_keys, out);
      out.push_back(')');
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      out.append("CHECK (");
      PGW_RETURN_IF_ERROR(Expr(k->raw_expr, out, t));
      out.push_back(')');
      return Status::OK();
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
      out.append("FOREIGN KEY (");
      NameList(k->fk_attrs, k->n_fk_attrs, out);
      out.push_back(')');
      return ForeignKeyTail(k, out);
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
      return Unsupported("EXCLUDE constraints", k->location);
    default:
      return Unsupported("this table constraint", k->location);
  }
}

Status Transformer::ForeignKeyTail(const PgQuery__Constraint* k, std::string& out) {
  if (k->n_fk_del_set_cols > 0) return Unsupported("ON DELETE SET NULL (columns)");
  out.append(" REFERENCES ");
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(k->pktable, out, table));
  if (k->n_pk_attrs > 0) {
    out.append(" (");
    NameList(k->pk_attrs, k->n_pk_attrs, out);
    out.push_back(')');
  }
  if (std::string_view a = FkAction(k->fk_del_action); !a.empty()) {
    out.append(" ON DELETE ");
    out.append(a);
  }
  if (std::string_view a = FkAction(k->fk_upd_action); !a.empty()) {
    out.append(" ON UPDATE ");
    out.append(a);
  }
  if (k->deferrable) out.append(" DEFERRABLE");
  if (k->initdeferred) out.append(" INITIALLY DEFERRED");
  return Status::OK();
}

Status Transformer::CreateTableAs(const PgQuery__CreateTableAsStmt* s, TranslatedStatement& out) {
  if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW) {
    return Unsupported("materialized views");
  }
  if (s->query == nullptr || s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("CREATE TABLE AS with this query");
  }
  out.kind = StatementKind::kDdl;
  out.command_tag = "SELECT";
  const PgQuery__IntoClause* into = s->into;
  bool temp = into->rel->relpersistence != nullptr && into->rel->relpersistence[0] == 't';
  std::string& sql = out.sql;
  sql.append(temp ? "CREATE TEMP TABLE " : "CREATE TABLE ");
  if (s->if_not_exists) sql.append("IF NOT EXISTS ");
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(into->rel, sql, table));
  sql.append(" AS ");
  std::vector<std::string> rename;
  for (size_t i = 0; i < into->n_col_names; ++i) {
    rename.emplace_back(StringValue(into->col_names[i]));
  }
  QueryShape shape;
  if (into->skip_data) sql.append("SELECT * FROM (");
  PGW_RETURN_IF_ERROR(
      Select(s->query->select_stmt, sql, shape, rename.empty() ? nullptr : &rename));
  if (into->skip_data) sql.append(") LIMIT 0");
  return Status::OK();
}

Status Transformer::DropStatement(const PgQuery__DropStmt* s, TranslatedStatement& out) {
  std::string_view what;
  switch (s->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      what = "TABLE";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
      what = "VIEW";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      what = "INDEX";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
      out.kind = StatementKind::kNoOp;
      out.command_tag = "DROP EXTENSION";
      return Status::OK();
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
      return Unsupported("DROP SCHEMA");
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
      return Unsupported("DROP SEQUENCE");
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
      return Unsupported("DROP TYPE");
    default:
      return Unsupported("this DROP statement");
  }
  out.kind = StatementKind::kDdl;
  out.command_tag = fmt::format("DROP {}", what);
  // CASCADE / RESTRICT: SQLite drops dependent indexes and triggers itself and has no other
  // dependencies to cascade to.
  for (size_t i = 0; i < s->n_objects; ++i) {
    const Node* obj = s->objects[i];
    if (obj->node_case != PG_QUERY__NODE__NODE_LIST || obj->list->n_items == 0) {
      return Unsupported("this DROP target");
    }
    const PgQuery__List* names = obj->list;
    std::string_view name = StringValue(names->items[names->n_items - 1]);
    if (names->n_items == 2) {
      std::string_view schema = StringValue(names->items[0]);
      if (schema != "public") {
        return Status::Error(kInvalidSchemaName,
                             fmt::format("schema \"{}\" does not exist", schema));
      }
    } else if (names->n_items > 2) {
      return Unsupported("cross-database references");
    }
    Separate(out.sql);
    out.sql.append("DROP ");
    out.sql.append(what);
    if (s->missing_ok) out.sql.append(" IF EXISTS");
    out.sql.push_back(' ');
    d_.AppendIdentifier(out.sql, name);
  }
  return Status::OK();
}

Status Transformer::TruncateStatement(const PgQuery__TruncateStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kDdl;
  out.command_tag = "TRUNCATE TABLE";
  std::vector<std::string> tables;
  for (size_t i = 0; i < s->n_relations; ++i) {
    const PgQuery__RangeVar* rv = s->relations[i]->range_var;
    Separate(out.sql);
    out.sql.append("DELETE FROM ");
    std::string table;
    PGW_RETURN_IF_ERROR(RelationName(rv, out.sql, table));
    tables.push_back(std::move(table));
  }
  // Only auto-numbered tables have a counter to reset, and the counter table may not exist
  // before the first of them (SQLite): when the schema says so there is nothing to reset.
  bool has_counters =
      opts_.schema == nullptr || !opts_.schema->TableColumns(d_.IdentityCounterTable()).empty();
  if (s->restart_seqs && has_counters) {
    for (const std::string& t : tables) {
      std::string reset = d_.ResetIdentity(t);
      if (reset.empty()) continue;
      Separate(out.sql);
      out.sql.append(reset);
    }
  }
  return Status::OK();
}

Status Transformer::AlterTable(const PgQuery__AlterTableStmt* s, TranslatedStatement& out) {
  if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return Unsupported("this ALTER statement");
  if (s->missing_ok) return Unsupported("ALTER TABLE IF EXISTS");
  out.kind = StatementKind::kDdl;
  out.command_tag = "ALTER TABLE";
  std::string target;
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(s->relation, target, table));
  for (size_t i = 0; i < s->n_cmds; ++i) {
    const PgQuery__AlterTableCmd* cmd = s->cmds[i]->alter_table_cmd;
    std::string stmt;
    switch (cmd->subtype) {
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn: {
        const PgQuery__ColumnDef* def = cmd->def->column_def;
        if (cmd->missing_ok) {
          if (opts_.schema == nullptr) return Unsupported("ADD COLUMN IF NOT EXISTS");
          if (opts_.schema->ColumnType(table, def->colname).has_value()) continue;
        }
        stmt = "ALTER TABLE " + target + " ADD COLUMN ";
        bool pk_consumed = false;
        PGW_TRY(ResolvedType type, ResolveTypeName(def->type_name));
        if (type.is_serial || HasConstraint(def, PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY)) {
          return Unsupported("adding serial or identity columns");
        }
        PGW_RETURN_IF_ERROR(ColumnDef(def, {}, stmt, pk_consumed));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
        if (cmd->missing_ok) {
          if (opts_.schema == nullptr) return Unsupported("DROP COLUMN IF EXISTS");
          if (!opts_.schema->ColumnType(table, cmd->name).has_value()) continue;
        }
        stmt = "ALTER TABLE " + target + " DROP COLUMN ";
        d_.AppendIdentifier(stmt, cmd->name);
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
        const PgQuery__Constraint* k = cmd->def->constraint;
        std::string name;
        if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
          name = table + "_pkey";
        } else if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) {
          name = table;
          for (size_t c = 0; c < k->n_keys; ++c) {
            name.push_back('_');
            name.append(StringValue(k->keys[c]));
          }
          name.append("_key");
        } else if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
          return Unsupported("ALTER TABLE ... ADD FOREIGN KEY");
        } else if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
          return Unsupported("ALTER TABLE ... ADD CHECK");
        } else {
          return Unsupported("this ALTER TABLE ... ADD CONSTRAINT");
        }
        if (k->conname != nullptr && k->conname[0] != '\0') name = k->conname;
        // A unique index enforces the key; SQLite cannot add constraints to a table.
        stmt = "CREATE UNIQUE INDEX ";
        d_.AppendIdentifier(stmt, name);
        stmt.append(" ON ");
        stmt.append(target);
        stmt.append(" (");
        NameList(k->keys, k->n_keys, stmt);
        stmt.push_back(')');
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
        return Unsupported("ALTER COLUMN ... TYPE");
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        return Unsupported("ALTER COLUMN ... SET NOT NULL");
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
        return Unsupported("ALTER COLUMN ... DROP NOT NULL");
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
        return Unsupported("ALTER COLUMN ... SET/DROP DEFAULT");
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
        return Unsupported("ALTER TABLE ... DROP CONSTRAINT");
      default:
        return Unsupported("this ALTER TABLE action");
    }
    Separate(out.sql);
    out.sql.append(stmt);
  }
  return Status::OK();
}

Status Transformer::RenameStatement(const PgQuery__RenameStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kDdl;
  out.command_tag = "ALTER TABLE";
  if (s->relation == nullptr) return Unsupported("this RENAME");
  std::string table;
  switch (s->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      out.sql = "ALTER TABLE ";
      PGW_RETURN_IF_ERROR(RelationName(s->relation, out.sql, table));
      out.sql.append(" RENAME TO ");
      d_.AppendIdentifier(out.sql, s->newname);
      return Status::OK();
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
      if (s->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        return Unsupported("renaming columns of this relation kind");
      }
      out.sql = "ALTER TABLE ";
      PGW_RETURN_IF_ERROR(RelationName(s->relation, out.sql, table));
      out.sql.append(" RENAME COLUMN ");
      d_.AppendIdentifier(out.sql, s->subname);
      out.sql.append(" TO ");
      d_.AppendIdentifier(out.sql, s->newname);
      return Status::OK();
    default:
      return Unsupported("this RENAME");
  }
}

Status Transformer::CreateIndex(const PgQuery__IndexStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kDdl;
  out.command_tag = "CREATE INDEX";
  std::string target;
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(s->relation, target, table));
  std::string name = s->idxname != nullptr ? s->idxname : "";
  std::string columns;
  std::string default_name = table;
  ExprType t;
  for (size_t i = 0; i < s->n_index_params; ++i) {
    const PgQuery__IndexElem* e = s->index_params[i]->index_elem;
    if (i > 0) columns.append(", ");
    if (e->name != nullptr && e->name[0] != '\0') {
      d_.AppendIdentifier(columns, e->name);
      default_name.push_back('_');
      default_name.append(e->name);
    } else {
      columns.push_back('(');
      PGW_RETURN_IF_ERROR(Expr(e->expr, columns, t));
      columns.push_back(')');
      if (default_name.find("_expr") == std::string::npos) default_name.append("_expr");
    }
    // Operator classes (text_pattern_ops, vector_cosine_ops, ...) and NULLS FIRST/LAST have no
    // SQLite counterpart in an index definition and are dropped.
    if (e->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC) columns.append(" DESC");
    if (e->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_ASC) columns.append(" ASC");
  }
  default_name.append("_idx");
  if (name.empty()) name = default_name;
  // Access methods other than btree/hash (gin, gist, hnsw, ...) become a plain index.
  std::string& sql = out.sql;
  sql.append(s->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
  if (s->if_not_exists) sql.append("IF NOT EXISTS ");
  d_.AppendIdentifier(sql, name);
  sql.append(" ON ");
  sql.append(target);
  sql.append(" (");
  sql.append(columns);
  sql.push_back(')');
  if (s->where_clause != nullptr) {
    sql.append(" WHERE ");
    PGW_RETURN_IF_ERROR(Expr(s->where_clause, sql, t));
  }
  return Status::OK();
}

Status Transformer::CreateView(const PgQuery__ViewStmt* s, TranslatedStatement& out) {
  if (s->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__NO_CHECK_OPTION &&
      s->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__VIEW_CHECK_OPTION_UNDEFINED) {
    return Unsupported("WITH CHECK OPTION");
  }
  if (s->query == nullptr || s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this view query");
  }
  out.kind = StatementKind::kDdl;
  out.command_tag = "CREATE VIEW";
  std::string name;
  std::string table;
  PGW_RETURN_IF_ERROR(RelationName(s->view, name, table));
  std::string& sql = out.sql;
  if (s->replace) {
    sql.append("DROP VIEW IF EXISTS ");
    sql.append(name);
    sql.append(kStatementSeparator);
  }
  bool temp = s->view->relpersistence != nullptr && s->view->relpersistence[0] == 't';
  sql.append(temp ? "CREATE TEMP VIEW " : "CREATE VIEW ");
  sql.append(name);
  if (s->n_aliases > 0) {
    sql.append(" (");
    NameList(s->aliases, s->n_aliases, sql);
    sql.push_back(')');
  }
  sql.append(" AS ");
  QueryShape shape;
  return Select(s->query->select_stmt, sql, shape);
}

Status Transformer::VacuumStatement(const PgQuery__VacuumStmt* s, TranslatedStatement& out) {
  out.kind = StatementKind::kUtility;
  bool analyze = !s->is_vacuumcmd;
  out.command_tag = s->is_vacuumcmd ? "VACUUM" : "ANALYZE";
  for (size_t i = 0; i < s->n_options; ++i) {
    const Node* o = s->options[i];
    if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
        std::string_view(o->def_elem->defname) == "analyze") {
      analyze = true;
    }
  }
  // VACUUM itself has nothing to do on SQLite's behalf between statements; ANALYZE refreshes
  // the planner statistics.
  if (!analyze) return Status::OK();
  if (s->n_rels == 0) {
    out.sql = "ANALYZE";
    return Status::OK();
  }
  for (size_t i = 0; i < s->n_rels; ++i) {
    const Node* r = s->rels[i];
    if (r->node_case != PG_QUERY__NODE__NODE_VACUUM_RELATION) continue;
    Separate(out.sql);
    out.sql.append("ANALYZE ");
    std::string table;
    PGW_RETURN_IF_ERROR(RelationName(r->vacuum_relation->relation, out.sql, table));
  }
  return Status::OK();
}

Status Transformer::CreateExtension(const PgQuery__CreateExtensionStmt* s,
                                    TranslatedStatement& out) {
  std::string_view name = s->extname;
  if (name != "vector" && name != "plpgsql") {
    return Unsupported(fmt::format("extension \"{}\"", name));
  }
  out.kind = StatementKind::kNoOp;
  out.command_tag = "CREATE EXTENSION";
  return Status::OK();
}

}  // namespace pgw::sql
