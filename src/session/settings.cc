#include "session/settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "common/sqlstate.h"

namespace pgw {
namespace {

struct Known {
  const char* name;       // PostgreSQL's spelling (SHOW ALL, ParameterStatus)
  const char* boot;       // default value
  bool reported;          // GUC_REPORT
  bool read_only;
  const char* description;
};

// The settings the gateway knows. Reported ones are announced at startup in this order.
constexpr Known kKnown[] = {
    {"application_name", "", true, false, "Sets the application name to be reported."},
    {"client_encoding", "UTF8", true, false, "Sets the client's character set encoding."},
    {"DateStyle", "ISO, MDY", true, false, "Sets the display format for date and time values."},
    {"default_transaction_read_only", "off", true, false,
     "Sets the default read-only status of new transactions."},
    {"in_hot_standby", "off", true, true, "Shows whether hot standby is currently active."},
    {"integer_datetimes", "on", true, true, "Shows whether datetimes are integer based."},
    {"IntervalStyle", "postgres", true, false, "Sets the display format for interval values."},
    {"is_superuser", "on", true, true, "Shows whether the current user is a superuser."},
    {"server_encoding", "UTF8", true, true, "Shows the server (database) character set."},
    {"server_version", "", true, true, "Shows the server version."},
    {"session_authorization", "", true, true, "Sets the session user name."},
    {"standard_conforming_strings", "on", true, false,
     "Causes '...' strings to treat backslashes literally."},
    {"TimeZone", "UTC", true, false, "Sets the time zone for displaying timestamps."},
    // Not reported.
    {"bytea_output", "hex", false, false, "Sets the output format for bytea."},
    {"client_min_messages", "notice", false, false, "Sets the message levels sent to the client."},
    {"default_transaction_isolation", "read committed", false, false,
     "Sets the transaction isolation level of each new transaction."},
    {"extra_float_digits", "1", false, false,
     "Sets the number of digits displayed for floating-point values."},
    {"idle_in_transaction_session_timeout", "0", false, false,
     "Sets the maximum allowed idle time between queries, when in a transaction."},
    {"idle_session_timeout", "0", false, false,
     "Sets the maximum allowed idle time between queries, when not in a transaction."},
    {"lock_timeout", "0", false, false,
     "Sets the maximum allowed duration of any wait for a lock."},
    {"max_identifier_length", "63", false, true, "Shows the maximum identifier length."},
    {"max_index_keys", "32", false, true, "Shows the maximum number of index keys."},
    {"max_function_args", "100", false, true, "Shows the maximum number of function arguments."},
    {"block_size", "8192", false, true, "Shows the size of a disk block."},
    {"lc_collate", "C", false, true, "Shows the collation order locale."},
    {"lc_ctype", "C", false, true,
     "Shows the character classification and case conversion locale."},
    {"search_path", "\"$user\", public", false, false,
     "Sets the schema search order for names that are not schema-qualified."},
    {"server_version_num", "", false, true, "Shows the server version as an integer."},
    {"statement_timeout", "0", false, false, "Sets the maximum allowed duration of any statement."},
    {"synchronous_commit", "on", false, false,
     "Sets the current transaction's synchronization level."},
    {"timezone_abbreviations", "Default", false, false,
     "Selects a file of time zone abbreviations."},
    {"transaction_isolation", "read committed", false, false,
     "Sets the current transaction's isolation level."},
    {"transaction_read_only", "off", false, false,
     "Sets the current transaction's read-only status."},
    {"work_mem", "4MB", false, false, "Sets the maximum memory to be used for query workspaces."},
    {"jit", "off", false, false, "Allow JIT compilation."},
    {"row_security", "on", false, false, "Enable row security."},
    {"lc_messages", "C", false, false, "Sets the language in which messages are displayed."},
    {"lc_monetary", "C", false, false, "Sets the locale for formatting monetary amounts."},
    {"lc_numeric", "C", false, false, "Sets the locale for formatting numbers."},
    {"lc_time", "C", false, false, "Sets the locale for formatting date and time values."},
    {"max_connections", "100", false, true, "Sets the maximum number of concurrent connections."},
    {"default_text_search_config", "pg_catalog.english", false, false,
     "Sets default text search configuration."},
};

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

const Known* FindKnown(std::string_view lower) {
  for (const Known& k : kKnown) {
    if (Lower(k.name) == lower) return &k;
  }
  return nullptr;
}

Status InvalidValue(std::string_view name, std::string_view value) {
  return Status::Error(sqlstate::kInvalidParameterValue,
                       "invalid value for parameter \"" + std::string(name) + "\": \"" +
                           std::string(value) + "\"");
}

// Parses a PostgreSQL time interval setting (statement_timeout etc.) into milliseconds.
bool ParseMillis(std::string_view v, int64_t* out) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || n < 0) return false;
  std::string unit = Lower(std::string_view(p, v.data() + v.size() - p));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  int64_t mult = 1;
  if (unit.empty() || unit == "ms") mult = 1;
  else if (unit == "s") mult = 1000;
  else if (unit == "min") mult = 60000;
  else if (unit == "h") mult = 3600000;
  else if (unit == "d") mult = 86400000;
  else return false;
  *out = n * mult;
  return true;
}

// Normalizes and validates a value; returns the value to store.
Result<std::string> Validate(const Known* k, std::string_view lower_name, std::string value) {
  if (k == nullptr) return value;
  std::string lv = Lower(value);
  if (lower_name == "client_encoding") {
    // PostgreSQL compares encoding names without their punctuation ('utf-8', "UTF_8").
    std::string clean;
    for (char c : lv) {
      if (std::isalnum(static_cast<unsigned char>(c))) clean.push_back(c);
    }
    if (clean == "utf8" || clean == "unicode") return std::string("UTF8");
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "client_encoding \"" + value + "\" is not supported: only UTF8")
        .WithHint("The gateway speaks UTF8 only; set the client's encoding to UTF8.");
  }
  if (lower_name == "datestyle") {
    // Output is always ISO; accept ISO with either field order, as the ISO format ignores it.
    if (lv.find("iso") == std::string::npos && lv != "mdy" && lv != "dmy" && lv != "ymd") {
      return Status::Error(sqlstate::kFeatureNotSupported,
                           "DateStyle \"" + value + "\" is not supported: only ISO");
    }
    return std::string(lv.find("dmy") != std::string::npos ? "ISO, DMY" : "ISO, MDY");
  }
  if (lower_name == "intervalstyle") {
    if (lv != "postgres") {
      return Status::Error(sqlstate::kFeatureNotSupported,
                           "IntervalStyle \"" + value + "\" is not supported: only postgres");
    }
    return lv;
  }
  if (lower_name == "standard_conforming_strings") {
    if (lv == "on" || lv == "true" || lv == "1") return std::string("on");
    return Status::Error(sqlstate::kFeatureNotSupported,
                         "standard_conforming_strings = off is not supported");
  }
  if (lower_name == "bytea_output") {
    if (lv == "hex") return lv;
    return Status::Error(sqlstate::kFeatureNotSupported, "bytea_output \"" + value +
                                                             "\" is not supported: only hex");
  }
  if (lower_name == "statement_timeout" || lower_name == "lock_timeout" ||
      lower_name == "idle_in_transaction_session_timeout" ||
      lower_name == "idle_session_timeout") {
    int64_t ms;
    if (!ParseMillis(value, &ms)) return InvalidValue(k->name, value);
    // Shown in the largest unit that divides the value, as PostgreSQL does.
    if (ms == 0) return std::string("0");
    static constexpr std::pair<int64_t, const char*> kUnits[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}};
    for (const auto& [size, unit] : kUnits) {
      if (ms % size == 0) return std::to_string(ms / size) + unit;
    }
    return std::to_string(ms) + "ms";
  }
  if (lower_name == "extra_float_digits") {
    int n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size() || n < -15 || n > 3) {
      return InvalidValue(k->name, value);
    }
    return value;
  }
  return value;
}

}  // namespace

SessionSettings::SessionSettings(std::string server_version) {
  for (const Known& k : kKnown) {
    Entry e;
    e.boot_value = k.boot;
    e.reported = k.reported;
    values_[Lower(k.name)] = e;
  }
  values_["server_version"].boot_value = server_version;
  int major = 0, minor = 0;
  std::sscanf(server_version.c_str(), "%d.%d", &major, &minor);
  values_["server_version_num"].boot_value = std::to_string(major * 10000 + minor);
  for (auto& [name, e] : values_) e.value = e.boot_value;
}

std::string_view SessionSettings::CanonicalName(std::string_view name) {
  const Known* k = FindKnown(Lower(name));
  return k ? std::string_view(k->name) : std::string_view();
}

Status SessionSettings::Set(std::string_view name, const std::vector<std::string>& values,
                            std::vector<std::pair<std::string, std::string>>* reported) {
  std::string lower = Lower(name);
  if (lower == "time zone") lower = "timezone";
  const Known* k = FindKnown(lower);
  if (k == nullptr && lower.find('.') == std::string::npos) {
    return Status::Error(sqlstate::kUndefinedObject,
                         "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  if (k != nullptr && k->read_only) {
    return Status::Error(sqlstate::kCantChangeRuntimeParam,
                         "parameter \"" + std::string(k->name) + "\" cannot be changed");
  }
  if (values.empty()) return Reset(name, reported);
  std::string joined;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) joined += ", ";
    joined += values[i];
  }
  PGW_TRY(std::string value, Validate(k, lower, joined));
  ++version_;
  Entry& e = values_[lower];
  if (k == nullptr) e.boot_value = "";
  e.value = value;
  if (e.reported && reported) reported->emplace_back(k->name, e.value);
  return Status::OK();
}

Status SessionSettings::SetStartup(std::string_view name, const std::string& value) {
  std::vector<std::pair<std::string, std::string>> ignored;
  PGW_RETURN_IF_ERROR(Set(name, {value}, &ignored));
  std::string lower = Lower(name);
  auto it = values_.find(lower);
  if (it != values_.end()) it->second.boot_value = it->second.value;
  return Status::OK();
}

void SessionSettings::CopyFrom(const SessionSettings& other, std::string_view name) {
  std::string lower = Lower(name);
  if (lower == "time zone") lower = "timezone";
  auto it = other.values_.find(lower);
  ++version_;
  if (it == other.values_.end()) {
    values_.erase(lower);
  } else {
    values_[lower] = it->second;
  }
}

std::vector<std::pair<std::string, std::string>> SessionSettings::ReportedChanges(
    const SessionSettings& before) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Known& k : kKnown) {
    if (!k.reported) continue;
    std::string lower = Lower(k.name);
    const std::string& now = values_.at(lower).value;
    if (before.values_.at(lower).value != now) out.emplace_back(k.name, now);
  }
  return out;
}

Status SessionSettings::Reset(std::string_view name,
                              std::vector<std::pair<std::string, std::string>>* reported) {
  std::string lower = Lower(name);
  if (lower == "time zone") lower = "timezone";
  auto it = values_.find(lower);
  if (it == values_.end()) {
    if (lower.find('.') != std::string::npos) return Status::OK();
    return Status::Error(sqlstate::kUndefinedObject,
                         "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  const Known* k = FindKnown(lower);
  if (k != nullptr && k->read_only) {
    return Status::Error(sqlstate::kCantChangeRuntimeParam,
                         "parameter \"" + std::string(k->name) + "\" cannot be changed");
  }
  ++version_;
  it->second.value = it->second.boot_value;
  if (it->second.reported && reported && k) reported->emplace_back(k->name, it->second.value);
  return Status::OK();
}

void SessionSettings::ResetAll(std::vector<std::pair<std::string, std::string>>* reported) {
  ++version_;
  for (auto& [lower, e] : values_) {
    const Known* k = FindKnown(lower);
    if (k != nullptr && k->read_only) continue;
    if (e.value != e.boot_value) {
      e.value = e.boot_value;
      if (e.reported && reported && k) reported->emplace_back(k->name, e.value);
    }
  }
}

Result<std::string> SessionSettings::Show(std::string_view name) const {
  std::string lower = Lower(name);
  if (lower == "time zone") lower = "timezone";
  if (lower == "transaction isolation level") lower = "transaction_isolation";
  auto it = values_.find(lower);
  if (it == values_.end()) {
    return Status::Error(sqlstate::kUndefinedObject,
                         "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  return it->second.value;
}

std::vector<std::vector<std::string>> SessionSettings::ShowAll() const {
  std::vector<std::vector<std::string>> rows;
  for (const CatalogSetting& s : CatalogRows()) {
    // SHOW prints the value with its unit, as the setting was given.
    rows.push_back({s.name, values_.at(Lower(s.name)).value, s.short_desc});
  }
  return rows;
}

namespace {

// pg_settings' vartype, unit and setting (in the unit) of a known setting's value.
void Describe(const Known& k, const std::string& value, CatalogSetting* s) {
  std::string lower = Lower(k.name);
  s->vartype = "string";
  s->setting = value;
  if (value == "on" || value == "off") s->vartype = "bool";
  if (lower.find("timeout") != std::string::npos) {
    int64_t ms = 0;
    ParseMillis(value, &ms);
    s->setting = std::to_string(ms);
    s->unit = "ms";
    s->vartype = "integer";
  } else if (lower == "work_mem") {
    s->setting = value == "4MB" ? "4096" : value;
    s->unit = "kB";
    s->vartype = "integer";
  } else if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
               return (c >= '0' && c <= '9') || c == '-';
             })) {
    s->vartype = "integer";
  }
  if (lower == "intervalstyle" || lower == "client_min_messages" || lower == "bytea_output" ||
      lower == "default_transaction_isolation" || lower == "synchronous_commit" ||
      lower == "transaction_isolation") {
    s->vartype = "enum";
  }
}

}  // namespace

std::vector<CatalogSetting> SessionSettings::CatalogRows() const {
  std::vector<CatalogSetting> rows;
  for (const Known& k : kKnown) {
    const Entry& e = values_.at(Lower(k.name));
    CatalogSetting s;
    s.name = k.name;
    Describe(k, e.value, &s);
    s.category = k.reported ? "Client Connection Defaults" : "Statement Behavior";
    s.short_desc = k.description;
    std::string lower = Lower(k.name);
    s.context = lower == "max_connections" ? "postmaster" : k.read_only ? "internal" : "user";
    s.source = e.value == e.boot_value ? "default" : "session";
    s.boot_val = e.boot_value;
    s.reset_val = e.boot_value;
    rows.push_back(std::move(s));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return Lower(a.name) < Lower(b.name); });
  return rows;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::Reportable() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Known& k : kKnown) {
    if (k.reported) out.emplace_back(k.name, values_.at(Lower(k.name)).value);
  }
  return out;
}

int64_t SessionSettings::statement_timeout_ms() const {
  return Millis("statement_timeout", &statement_timeout_);
}

int64_t SessionSettings::Millis(std::string_view name, CachedMillis* cache) const {
  if (cache->version == version_) return cache->ms;
  cache->version = version_;
  cache->ms = 0;
  auto it = values_.find(name);  // heterogeneous: no std::string key is built
  if (it != values_.end()) ParseMillis(it->second.value, &cache->ms);
  return cache->ms;
}

int64_t SessionSettings::lock_timeout_ms() const {
  return Millis("lock_timeout", &lock_timeout_);
}

int64_t SessionSettings::idle_in_transaction_timeout_ms() const {
  return Millis("idle_in_transaction_session_timeout", &idle_in_transaction_);
}

int64_t SessionSettings::idle_session_timeout_ms() const {
  return Millis("idle_session_timeout", &idle_session_);
}

}  // namespace pgw
