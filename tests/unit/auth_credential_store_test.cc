// CredentialStore against real files in a scratch directory: SetPassword/Load/Lookup round trips,
// file mode, in-place replacement, and malformed lines reported by number without their content.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "auth/credential_store.h"

namespace pgw {
namespace {

class CredentialStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgw_auth_store_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/users.txt";
  }
  void TearDown() override {
    for (const std::string& f : Files()) ::unlink((dir_ + "/" + f).c_str());
    ::rmdir(dir_.c_str());
  }

  void Write(const std::string& content) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << content;
  }
  std::string Read() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return out;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") out.push_back(name);
    }
    ::closedir(d);
    return out;
  }
  mode_t Mode() const {
    struct stat st {};
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return st.st_mode & 0777;
  }

  // True when `v` is a verifier of `password` (recomputed with the verifier's own salt).
  static bool Verifies(const ScramVerifier& v, std::string_view password) {
    ScramVerifier again = MakeScramVerifier(password, v.iterations, v.salt);
    return again.stored_key == v.stored_key && again.server_key == v.server_key;
  }

  std::string dir_, path_;
};

constexpr char kSecret[] =
    "SCRAM-SHA-256$4096:9pO1SkNxChCdq5S0XarGZA==$CaN5XnfxIphpf262EzQisYVntnkmWq3dxVDZ9qrVw1M=:"
    "fDfQwXV5fWI6zXg+86HPx7LFCLQNoTgOaQAqixoJBRw=";  // PostgreSQL 15's verifier of 'secret'

TEST_F(CredentialStoreTest, MissingFileIsAnEmptyStore) {
  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  EXPECT_TRUE(store.empty());
  EXPECT_EQ(store.Lookup("alice"), std::nullopt);
}

TEST_F(CredentialStoreTest, SetPasswordThenLoadAndLookup) {
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "wonderland").ok());
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "bob", "builder").ok());
  EXPECT_EQ(Mode(), 0600u);
  EXPECT_EQ(Read().find("wonderland"), std::string::npos);  // never the password itself

  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  EXPECT_FALSE(store.empty());
  std::optional<ScramVerifier> alice = store.Lookup("alice");
  std::optional<ScramVerifier> bob = store.Lookup("bob");
  ASSERT_TRUE(alice && bob);
  EXPECT_TRUE(Verifies(*alice, "wonderland"));
  EXPECT_FALSE(Verifies(*alice, "builder"));
  EXPECT_TRUE(Verifies(*bob, "builder"));
  EXPECT_EQ(alice->iterations, kDefaultScramIterations);
  EXPECT_EQ(alice->salt.size(), 16u);
}

TEST_F(CredentialStoreTest, LookupIsCaseSensitive) {
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "pw").ok());
  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  EXPECT_TRUE(store.Lookup("alice").has_value());
  EXPECT_FALSE(store.Lookup("Alice").has_value());
  EXPECT_FALSE(store.Lookup("ALICE").has_value());
  EXPECT_FALSE(store.Lookup("alic").has_value());
}

TEST_F(CredentialStoreTest, SetPasswordReplacesInPlaceAndKeepsOtherLines) {
  Write("# users of the gateway\n\"carol\" \"" + std::string(kSecret) + "\"\n\n");
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "one").ok());
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "two").ok());
  std::string text = Read();
  EXPECT_EQ(text.rfind("# users of the gateway\n\"carol\" \"" + std::string(kSecret) + "\"\n", 0),
            0u);
  EXPECT_EQ(text.find("\"alice\""), text.rfind("\"alice\""));  // exactly one alice line

  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  EXPECT_TRUE(Verifies(*store.Lookup("alice"), "two"));
  EXPECT_FALSE(Verifies(*store.Lookup("alice"), "one"));
  EXPECT_TRUE(Verifies(*store.Lookup("carol"), "secret"));
}

TEST_F(CredentialStoreTest, ModeIsForcedTo0600AndNoTemporaryFilesRemain) {
  Write("");
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "pw").ok());
  EXPECT_EQ(Mode(), 0600u);
  EXPECT_EQ(Files(), std::vector<std::string>{"users.txt"});
}

TEST_F(CredentialStoreTest, QuotesInUserNamesAreEscaped) {
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "we\"ird user", "pw").ok());
  EXPECT_NE(Read().find("\"we\"\"ird user\" "), std::string::npos);
  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  ASSERT_TRUE(store.Lookup("we\"ird user").has_value());
  EXPECT_TRUE(Verifies(*store.Lookup("we\"ird user"), "pw"));
}

TEST_F(CredentialStoreTest, RejectsUnrepresentableUserNames) {
  EXPECT_FALSE(CredentialStore::SetPassword(path_, "", "pw").ok());
  EXPECT_FALSE(CredentialStore::SetPassword(path_, "a\nb", "pw").ok());
  EXPECT_FALSE(CredentialStore::SetPassword(path_, std::string_view("a\0b", 3), "pw").ok());
  EXPECT_TRUE(Files().empty());
}

TEST_F(CredentialStoreTest, CommentsBlankLinesWhitespaceAndCrlf) {
  Write("# comment\r\n\r\n   \t\n  \"alice\"\t \"" + std::string(kSecret) +
        "\"  # trailing comment\r\n\"bob\" \"" + kSecret + "\"");
  CredentialStore store;
  Status s = store.Load(path_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(store.Lookup("alice").has_value());
  EXPECT_TRUE(store.Lookup("bob").has_value());
}

TEST_F(CredentialStoreTest, MalformedLinesNameTheLineButNotTheField) {
  const std::vector<std::string> bad_lines = {
      "\"bob\" \"md5c4ca4238a0b923820dcc509a6f75849b\"",  // not a SCRAM verifier
      "\"bob\" \"plaintext-password\"",                   // not a SCRAM verifier
      "bob \"" + std::string(kSecret) + "\"",             // unquoted user
      "\"bob\" " + std::string(kSecret),                  // unquoted verifier
      "\"bob\"",                                          // missing second field
      "\"bob\" \"" + std::string(kSecret),                // unterminated quote
      "\"bob\" \"" + std::string(kSecret) + "\" extra",   // trailing text
      "\"\" \"" + std::string(kSecret) + "\"",            // empty user name
  };
  for (const std::string& bad : bad_lines) {
    Write("# header\n\n\"alice\" \"" + std::string(kSecret) + "\"\n" + bad + "\n");
    CredentialStore store;
    Status s = store.Load(path_);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.sqlstate(), "F0000") << bad;
    EXPECT_NE(s.message().find("line 4"), std::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find("md5c4ca"), std::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find("plaintext-password"), std::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find("CaN5Xnfx"), std::string_view::npos) << s.message();
    EXPECT_TRUE(store.empty());
  }
}

TEST_F(CredentialStoreTest, DuplicateUserIsAnError) {
  Write("\"alice\" \"" + std::string(kSecret) + "\"\n\"alice\" \"" + kSecret + "\"\n");
  CredentialStore store;
  Status s = store.Load(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 2"), std::string_view::npos) << s.message();
}

TEST_F(CredentialStoreTest, FailedReloadKeepsTheOldUsers) {
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "pw").ok());
  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  Write("\"bob\" \"not a verifier\"\n");
  EXPECT_FALSE(store.Load(path_).ok());
  EXPECT_TRUE(store.Lookup("alice").has_value());
  EXPECT_FALSE(store.Lookup("bob").has_value());
}

TEST_F(CredentialStoreTest, ReloadReplacesTheUsers) {
  ASSERT_TRUE(CredentialStore::SetPassword(path_, "alice", "pw").ok());
  CredentialStore store;
  ASSERT_TRUE(store.Load(path_).ok());
  Write("\"bob\" \"" + std::string(kSecret) + "\"\n");
  ASSERT_TRUE(store.Load(path_).ok());
  EXPECT_FALSE(store.Lookup("alice").has_value());
  EXPECT_TRUE(store.Lookup("bob").has_value());
}

TEST_F(CredentialStoreTest, SetPasswordRefusesToRewriteAMalformedFile) {
  Write("\"bob\" \"not a verifier\"\ngarbage\n");
  Status s = CredentialStore::SetPassword(path_, "alice", "pw");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 1"), std::string_view::npos) << s.message();
  EXPECT_EQ(Read(), "\"bob\" \"not a verifier\"\ngarbage\n");
}

}  // namespace
}  // namespace pgw
