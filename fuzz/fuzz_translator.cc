// The SQL translator: any text is parsed with PostgreSQL's grammar and translated for SQLite,
// or refused with an error; never a crash, never unbounded recursion.
#include <cstdint>
#include <string>
#include <string_view>

#include "sql/translator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string sql(reinterpret_cast<const char*>(data), size);
  if (sql.find('\0') != std::string::npos) return 0;  // the wire never delivers one
  pgw::TranslateOptions opts;
  opts.dialect = pgw::Dialect::kSqlite;
  (void)pgw::Translate(sql, opts);
  opts.parameterize_literals = true;
  (void)pgw::Translate(sql, opts);
  return 0;
}
