// The users file: parsing, loading, and rewriting it atomically with one user's new verifier.
#include "auth/credential_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <utility>
#include <vector>

#include "common/sqlstate.h"

namespace pgw {
namespace {

constexpr size_t kMaxUsersFileBytes = 16 << 20;  // a users file larger than this is refused

// One line of the users file: a user with a verifier, or nothing (blank or comment).
struct ParsedLine {
  bool has_entry = false;
  std::string user;
  std::string secret;
};

Status LineError(const std::string &path, int line_no, std::string_view what) {
  return Status::Error(sqlstate::kConfigFileError, "invalid line " + std::to_string(line_no) +
                                                       " in users file \"" + path +
                                                       "\": " + std::string(what));
}

void SkipSpaces(std::string_view line, size_t *pos) {
  while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) ++*pos;
}

// A "quoted" field starting at *pos, with "" standing for one quote character.
bool ReadQuoted(std::string_view line, size_t *pos, std::string *out) {
  if (*pos >= line.size() || line[*pos] != '"') return false;
  ++*pos;
  out->clear();
  while (*pos < line.size()) {
    char c = line[(*pos)++];
    if (c != '"') {
      out->push_back(c);
    } else if (*pos < line.size() && line[*pos] == '"') {
      out->push_back('"');
      ++*pos;
    } else {
      return true;
    }
  }
  return false;  // unterminated
}

// Error messages name the line, never its content: the second field is a secret.
Status ParseLine(const std::string &path, int line_no, std::string_view line, ParsedLine *out) {
  *out = ParsedLine();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t pos = 0;
  SkipSpaces(line, &pos);
  if (pos == line.size() || line[pos] == '#') return Status::OK();
  if (!ReadQuoted(line, &pos, &out->user)) {
    return LineError(path, line_no, "expected a quoted user name");
  }
  if (out->user.empty()) return LineError(path, line_no, "the user name is empty");
  SkipSpaces(line, &pos);
  if (!ReadQuoted(line, &pos, &out->secret)) {
    return LineError(path, line_no, "expected a quoted SCRAM-SHA-256 secret as second field");
  }
  SkipSpaces(line, &pos);
  if (pos != line.size() && line[pos] != '#') {
    return LineError(path, line_no, "unexpected text after the second field");
  }
  out->has_entry = true;
  return Status::OK();
}

// Reads the whole file; a missing file is returned as nullopt content with OK status.
Status ReadUsersFile(const std::string &path, std::optional<std::string> *content) {
  content->reset();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::OK();
    return Status::Error(sqlstate::kIoError,
                         "could not open users file \"" + path + "\": " + std::strerror(errno));
  }
  std::string data;
  char buf[8192];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxUsersFileBytes) {
      return Status::Error(sqlstate::kConfigFileError,
                           "users file \"" + path + "\" is larger than " +
                               std::to_string(kMaxUsersFileBytes) + " bytes");
    }
  }
  if (in.bad()) {
    return Status::Error(sqlstate::kIoError, "could not read users file \"" + path + "\"");
  }
  *content = std::move(data);
  return Status::OK();
}

std::vector<std::string_view> SplitLines(std::string_view data) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos) nl = data.size();
    lines.push_back(data.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(sqlstate::kIoError,
                           std::string("could not write users file: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

// Writes `data` to a fresh 0600 file beside `path` and renames it over `path`.
Status ReplaceFileAtomically(const std::string &path, std::string_view data) {
  std::string tmpl = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmpl.data());  // creates the file with mode 0600
  if (fd < 0) {
    return Status::Error(sqlstate::kIoError, "could not create temporary file \"" + tmpl +
                                                 "\": " + std::strerror(errno));
  }
  Status s = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0
                 ? WriteAll(fd, data)
                 : Status::Error(sqlstate::kIoError, "could not set mode of \"" + tmpl + "\"");
  if (s.ok() && ::fsync(fd) != 0) {
    s = Status::Error(sqlstate::kIoError, "could not fsync \"" + tmpl + "\"");
  }
  if (::close(fd) != 0 && s.ok()) {
    s = Status::Error(sqlstate::kIoError, "could not close \"" + tmpl + "\"");
  }
  if (s.ok() && ::rename(tmpl.c_str(), path.c_str()) != 0) {
    s = Status::Error(sqlstate::kIoError, "could not rename \"" + tmpl + "\" to \"" + path +
                                              "\": " + std::strerror(errno));
  }
  if (!s.ok()) ::unlink(tmpl.c_str());
  return s;
}

using UserMap = std::map<std::string, ScramVerifier, std::less<>>;

// Parses the whole file into `users`; the first bad line stops it.
Status ParseUsers(const std::string &path, std::string_view content, UserMap *users) {
  std::vector<std::string_view> lines = SplitLines(content);
  for (size_t i = 0; i < lines.size(); ++i) {
    int line_no = static_cast<int>(i + 1);
    ParsedLine parsed;
    PGW_RETURN_IF_ERROR(ParseLine(path, line_no, lines[i], &parsed));
    if (!parsed.has_entry) continue;
    Result<ScramVerifier> v = ScramVerifier::Parse(parsed.secret);
    if (!v.ok()) return LineError(path, line_no, "the second field is not a SCRAM-SHA-256 secret");
    if (!users->emplace(parsed.user, std::move(v).value()).second) {
      return LineError(path, line_no, "duplicate user \"" + parsed.user + "\"");
    }
  }
  return Status::OK();
}

}  // namespace

Status CredentialStore::Load(const std::string &path) {
  std::optional<std::string> content;
  PGW_RETURN_IF_ERROR(ReadUsersFile(path, &content));
  UserMap users;
  if (content) PGW_RETURN_IF_ERROR(ParseUsers(path, *content, &users));
  std::unique_lock lock(mu_);
  users_.swap(users);
  return Status::OK();
}

std::optional<ScramVerifier> CredentialStore::Lookup(std::string_view user) const {
  std::shared_lock lock(mu_);
  auto it = users_.find(user);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

bool CredentialStore::empty() const {
  std::shared_lock lock(mu_);
  return users_.empty();
}

Status CredentialStore::SetPassword(const std::string &path, std::string_view user,
                                    std::string_view password) {
  if (user.empty() || user.find_first_of(std::string_view("\n\r\0", 3)) != std::string::npos) {
    return Status::Error(sqlstate::kInvalidParameterValue,
                         "user name must be non-empty and must not contain line breaks or NUL");
  }
  std::optional<std::string> content;
  PGW_RETURN_IF_ERROR(ReadUsersFile(path, &content));
  std::string new_line = Quote(user) + " " + Quote(MakeScramVerifier(password).ToString());

  // Keep every other line (comments included) as it is; replace the user's line in place. A file
  // that Load would reject is left alone rather than rewritten.
  std::string out;
  bool replaced = false;
  if (content) {
    UserMap existing;
    PGW_RETURN_IF_ERROR(ParseUsers(path, *content, &existing));
    std::vector<std::string_view> lines = SplitLines(*content);
    for (size_t i = 0; i < lines.size(); ++i) {
      ParsedLine parsed;
      PGW_RETURN_IF_ERROR(ParseLine(path, static_cast<int>(i + 1), lines[i], &parsed));
      if (parsed.has_entry && parsed.user == user) {
        if (!replaced) out += new_line + "\n";
        replaced = true;
      } else {
        out += std::string(lines[i]) + "\n";
      }
    }
  }
  if (!replaced) out += new_line + "\n";
  return ReplaceFileAtomically(path, out);
}

}  // namespace pgw
