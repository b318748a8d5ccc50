// Access rules: tokenizing and parsing a pg_hba.conf-style file, and matching a connection.
// The grammar and keywords follow PostgreSQL's hba.c; what the gateway cannot honour (group
// membership, host names, samehost/samenet, other methods, rule options) is refused at load
// time with the file and line, never silently ignored.
#include "auth/hba.h"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/sqlstate.h"

namespace pgw {
namespace {

struct Token {
  std::string text;
  bool quoted = false;
};
using Field = std::vector<Token>;  // comma-separated list

Status ParseError(const std::string& source, int line, std::string what) {
  return Status::Error(sqlstate::kConfigFileError,
                       source + ":" + std::to_string(line) + ": " + std::move(what));
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Splits one line into fields of comma-separated tokens. '#' outside quotes ends the line.
// Returns false (with *error) on an unterminated quote.
bool TokenizeLine(std::string_view line, std::vector<Field>* fields, std::string* error) {
  size_t i = 0;
  bool continue_field = false;  // the previous token ended with a comma
  while (true) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i >= line.size() || line[i] == '#') break;
    Token tok;
    if (line[i] == '"') {
      size_t end = line.find('"', i + 1);
      if (end == std::string_view::npos) {
        *error = "unterminated quoted string";
        return false;
      }
      tok.text = std::string(line.substr(i + 1, end - i - 1));
      tok.quoted = true;
      i = end + 1;
    } else {
      size_t start = i;
      while (i < line.size() && !IsBlank(line[i]) && line[i] != ',' && line[i] != '#') ++i;
      tok.text = std::string(line.substr(start, i - start));
    }
    if (continue_field && !fields->empty()) {
      fields->back().push_back(std::move(tok));
    } else {
      fields->push_back(Field{std::move(tok)});
    }
    continue_field = i < line.size() && line[i] == ',';
    if (continue_field) ++i;
  }
  return true;
}

bool IsKeyword(const Token& t, std::string_view word) { return !t.quoted && t.text == word; }

// Parses `text` as a CIDR prefix length for an address of `bits` bits.
bool ParsePrefix(std::string_view text, int bits, int* prefix) {
  if (text.empty() || text.size() > 3) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > bits) return false;
  *prefix = v;
  return true;
}

// A netmask such as 255.255.255.0 -> 24; false unless its one bits are contiguous.
bool MaskToPrefix(const IpAddress& mask, int* prefix) {
  int n = 0;
  bool zero_seen = false;
  for (size_t i = 0; i < mask.size(); ++i) {
    for (int b = 7; b >= 0; --b) {
      bool one = (mask.bytes[i] >> b) & 1;
      if (one && zero_seen) return false;
      if (one) ++n;
      if (!one) zero_seen = true;
    }
  }
  *prefix = n;
  return true;
}

bool PrefixMatches(const IpAddress& a, const IpAddress& net, int prefix) {
  if (a.v6 != net.v6) return false;
  int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (a.bytes[i] != net.bytes[i]) return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (net.bytes[full] & mask);
}

bool NameMatches(const std::vector<HbaRule::Name>& names, std::string_view value,
                 std::string_view user, bool database) {
  for (const HbaRule::Name& n : names) {
    if (n.keyword) {
      if (n.text == "all") return true;
      if (database && n.text == "sameuser" && value == user) return true;
      continue;  // "replication": the gateway has no replication connections
    }
    if (n.text == value) return true;
  }
  return false;
}

Result<std::string> ReadWholeFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(
        errno == ENOENT ? sqlstate::kUndefinedFile : sqlstate::kIoError,
        std::string("could not open ") + what + " \"" + path + "\": " + std::strerror(errno));
  }
  std::string data;
  char buf[8192];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxHbaFileBytes) {
      return Status::Error(sqlstate::kConfigFileError,
                           std::string(what) + " \"" + path + "\" is larger than " +
                               std::to_string(kMaxHbaFileBytes) + " bytes");
    }
  }
  if (in.bad()) {
    return Status::Error(sqlstate::kIoError,
                         std::string("could not read ") + what + " \"" + path + "\"");
  }
  return data;
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Parses one rules file (or the text of a shorthand) line by line.
class RuleParser {
 public:
  RuleParser(const std::string& source, const std::string& include_dir,
             const HbaRules::IncludeReader& read_include)
      : source_(source), include_dir_(include_dir), read_include_(read_include) {}

  Status ParseText(std::string_view text, std::vector<HbaRule>* rules) {
    int line_no = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos) nl = text.size();
      ++line_no;
      std::vector<Field> fields;
      std::string error;
      if (!TokenizeLine(text.substr(start, nl - start), &fields, &error)) {
        return ParseError(source_, line_no, error);
      }
      if (!fields.empty()) {
        HbaRule rule;
        PGW_RETURN_IF_ERROR(ParseRule(fields, line_no, &rule));
        rules->push_back(std::move(rule));
      }
      start = nl + 1;
    }
    return Status::OK();
  }

 private:
  Status Error(int line, std::string what) const { return ParseError(source_, line, what); }

  Status ParseRule(const std::vector<Field>& fields, int line, HbaRule* rule) {
    rule->source = source_;
    rule->line = line;
    size_t f = 0;
    PGW_RETURN_IF_ERROR(ParseType(Single(fields[f++]), line, rule));
    if (fields.size() < f + 1) return Error(line, "end-of-line before database specification");
    PGW_RETURN_IF_ERROR(ParseNames(fields[f++], line, /*database=*/true, 0, &rule->databases));
    if (fields.size() < f + 1) return Error(line, "end-of-line before role specification");
    PGW_RETURN_IF_ERROR(ParseNames(fields[f++], line, /*database=*/false, 0, &rule->users));
    if (rule->type != HbaConnectionType::kLocal) {
      if (fields.size() < f + 1) return Error(line, "end-of-line before IP address specification");
      PGW_RETURN_IF_ERROR(ParseAddress(fields, line, &f, rule));
    }
    if (fields.size() < f + 1) {
      return Error(line, "end-of-line before authentication method");
    }
    PGW_RETURN_IF_ERROR(ParseMethod(Single(fields[f++]), line, rule));
    if (f < fields.size()) {
      return Error(line, "authentication option \"" + fields[f].front().text +
                             "\" is not supported (rules take no options)");
    }
    return Status::OK();
  }

  // The single token of a field that may not be a list; "," (never a token) when it is one.
  static std::string Single(const Field& field) {
    return field.size() == 1 ? field.front().text : std::string(",");
  }

  Status ParseType(const std::string& t, int line, HbaRule* rule) const {
    if (t == "local")
      rule->type = HbaConnectionType::kLocal;
    else if (t == "host")
      rule->type = HbaConnectionType::kHost;
    else if (t == "hostssl")
      rule->type = HbaConnectionType::kHostSsl;
    else if (t == "hostnossl")
      rule->type = HbaConnectionType::kHostNoSsl;
    else if (t == "hostgssenc")
      rule->type = HbaConnectionType::kHostGssEnc;
    else if (t == "hostnogssenc")
      rule->type = HbaConnectionType::kHostNoGssEnc;
    else if (t == ",")
      return Error(line, "multiple values specified for connection type");
    else
      return Error(line, "invalid connection type \"" + t + "\"");
    return Status::OK();
  }

  Status ParseNames(const Field& field, int line, bool database, int depth,
                    std::vector<HbaRule::Name>* out) const {
    for (const Token& t : field) {
      if (!t.quoted && t.text.size() > 1 && t.text[0] == '@') {
        PGW_RETURN_IF_ERROR(Include(t.text.substr(1), line, database, depth, out));
        continue;
      }
      if (t.text.empty()) return Error(line, "empty name in list");
      if (!database && !t.quoted && t.text[0] == '+') {
        return Error(line, "group membership (\"" + t.text +
                               "\") is not supported: the gateway has no roles");
      }
      if (database && (IsKeyword(t, "samerole") || IsKeyword(t, "samegroup"))) {
        return Error(line, "\"" + t.text + "\" is not supported: the gateway has no roles");
      }
      bool keyword = IsKeyword(t, "all") ||
                     (database && (IsKeyword(t, "sameuser") || IsKeyword(t, "replication")));
      out->push_back({t.text, keyword});
    }
    return Status::OK();
  }

  Status Include(const std::string& name, int line, bool database, int depth,
                 std::vector<HbaRule::Name>* out) const {
    if (depth >= kMaxHbaIncludeDepth) {
      return Error(line, "@" + name + ": includes nested deeper than " +
                             std::to_string(kMaxHbaIncludeDepth) + " levels");
    }
    std::string path = !name.empty() && name[0] == '/' ? name : include_dir_ + "/" + name;
    Result<std::string> text = read_include_
                                   ? read_include_(path)
                                   : Result<std::string>(Status::Error(sqlstate::kConfigFileError,
                                                                       "includes are not allowed"));
    if (!text.ok()) return Error(line, "@" + name + ": " + std::string(text.status().message()));
    // The included file: names separated by blanks, commas or line breaks; # comments.
    size_t start = 0;
    std::string_view all = *text;
    while (start <= all.size()) {
      size_t nl = all.find('\n', start);
      if (nl == std::string_view::npos) nl = all.size();
      std::vector<Field> fields;
      std::string error;
      if (!TokenizeLine(all.substr(start, nl - start), &fields, &error)) {
        return Error(line, "@" + name + ": " + error);
      }
      for (const Field& f : fields) {
        PGW_RETURN_IF_ERROR(ParseNames(f, line, database, depth + 1, out));
      }
      start = nl + 1;
    }
    return Status::OK();
  }

  Status ParseAddress(const std::vector<Field>& fields, int line, size_t* f, HbaRule* rule) const {
    const Field& field = fields[(*f)++];
    if (field.size() != 1) return Error(line, "multiple values specified for host address");
    const Token& t = field.front();
    if (IsKeyword(t, "all")) {
      rule->any_address = true;
      return Status::OK();
    }
    if (IsKeyword(t, "samehost") || IsKeyword(t, "samenet")) {
      return Error(line, "\"" + t.text + "\" is not supported: use an address with /prefix");
    }
    size_t slash = t.text.find('/');
    std::string addr_text = t.text.substr(0, slash);
    std::optional<IpAddress> addr = IpAddress::Parse(addr_text);
    if (!addr) {
      return Error(line, "invalid IP address \"" + addr_text +
                             "\" (host names are not supported: use an address with /prefix)");
    }
    rule->address = *addr;
    int bits = static_cast<int>(addr->size() * 8);
    if (slash != std::string::npos) {
      if (!ParsePrefix(std::string_view(t.text).substr(slash + 1), bits, &rule->prefix)) {
        return Error(line, "invalid CIDR mask in address \"" + t.text + "\"");
      }
      return Status::OK();
    }
    // No /prefix: the next field is a netmask.
    if (*f >= fields.size()) return Error(line, "end-of-line before netmask specification");
    const Field& mask_field = fields[(*f)++];
    std::optional<IpAddress> mask =
        mask_field.size() == 1 ? IpAddress::Parse(mask_field.front().text) : std::nullopt;
    if (!mask || mask->v6 != addr->v6 || !MaskToPrefix(*mask, &rule->prefix)) {
      return Error(line, "invalid IP mask \"" + mask_field.front().text + "\"");
    }
    return Status::OK();
  }

  Status ParseMethod(const std::string& m, int line, HbaRule* rule) const {
    if (m == "trust")
      rule->method = AuthMethod::kTrust;
    else if (m == "reject")
      rule->method = AuthMethod::kReject;
    else if (m == "scram-sha-256" || m == "md5")
      rule->method = AuthMethod::kScramSha256;
    else if (m == "password")
      rule->method = AuthMethod::kPassword;
    else if (m == ",")
      return Error(line, "multiple values specified for authentication type");
    else
      return Error(line, "authentication method \"" + m + "\" is not supported");
    if (rule->method == AuthMethod::kPassword && rule->type != HbaConnectionType::kHostSsl) {
      // The password travels in clear text: only under TLS.
      return Error(line,
                   "the password method sends the password in clear text: it is allowed "
                   "on hostssl rules only");
    }
    return Status::OK();
  }

  const std::string& source_;
  const std::string& include_dir_;
  const HbaRules::IncludeReader& read_include_;
};

}  // namespace

std::string_view AuthMethodName(AuthMethod m) {
  switch (m) {
    case AuthMethod::kTrust:
      return "trust";
    case AuthMethod::kReject:
      return "reject";
    case AuthMethod::kScramSha256:
      return "scram-sha-256";
    case AuthMethod::kPassword:
      return "password";
  }
  return "reject";
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  std::string s(text);
  IpAddress a;
  if (::inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (::inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), kMapped, sizeof(kMapped)) == 0) {
    IpAddress v4;
    std::memcpy(v4.bytes.data(), a.bytes.data() + 12, 4);
    return v4;
  }
  a.v6 = true;
  return a;
}

bool HbaRule::Matches(const HbaClient& c) const {
  switch (type) {
    case HbaConnectionType::kLocal:
      if (!c.local) return false;
      break;
    case HbaConnectionType::kHost:
    case HbaConnectionType::kHostNoGssEnc:
      if (c.local) return false;
      break;
    case HbaConnectionType::kHostSsl:
      if (c.local || !c.tls) return false;
      break;
    case HbaConnectionType::kHostNoSsl:
      if (c.local || c.tls) return false;
      break;
    case HbaConnectionType::kHostGssEnc:
      return false;
  }
  if (type != HbaConnectionType::kLocal && !any_address) {
    if (!c.address || !PrefixMatches(*c.address, address, prefix)) return false;
  }
  return NameMatches(databases, c.database, c.user, true) &&
         NameMatches(users, c.user, c.user, false);
}

Result<HbaRules> HbaRules::Parse(std::string_view text, const std::string& source,
                                 const std::string& include_dir,
                                 const IncludeReader& read_include) {
  HbaRules rules;
  RuleParser parser(source, include_dir, read_include);
  PGW_RETURN_IF_ERROR(parser.ParseText(text, &rules.rules_));
  return rules;
}

Result<HbaRules> HbaRules::LoadFile(const std::string& path) {
  PGW_TRY(std::string text, ReadWholeFile(path, "rules file"));
  return Parse(text, path, DirName(path),
               [](const std::string& p) { return ReadWholeFile(p, "included file"); });
}

std::string HbaRules::AuthModeRulesText(std::string_view mode) {
  if (mode == "auto") {
    return "local    all  all                 trust\n"
           "host     all  all  127.0.0.0/8    trust\n"
           "host     all  all  ::1/128        trust\n"
           "hostssl  all  all  all            scram-sha-256\n";
  }
  if (mode == "trust") {
    return "local    all  all                 trust\n"
           "host     all  all  all            trust\n";
  }
  if (mode == "scram-sha-256") {
    return "local    all  all                 scram-sha-256\n"
           "host     all  all  all            scram-sha-256\n";
  }
  return "";
}

Result<HbaRules> HbaRules::ForAuthMode(std::string_view mode) {
  std::string text = AuthModeRulesText(mode);
  if (text.empty()) {
    return Status::Error(
        sqlstate::kConfigFileError,
        "invalid auth \"" + std::string(mode) + "\": expected auto, trust or scram-sha-256");
  }
  return Parse(text, "--auth " + std::string(mode), ".", nullptr);
}

const HbaRule* HbaRules::Match(const HbaClient& client) const {
  for (const HbaRule& r : rules_) {
    if (r.Matches(client)) return &r;
  }
  return nullptr;
}

}  // namespace pgw
