// Passwords, visitor tokens and random ids (libsodium).
#include <gtest/gtest.h>

#include <set>

#include "http/http.h"

namespace sb::security {
namespace {

class Security : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    init();
    hash_ = new std::string(hash_password("correct horse battery staple"));
  }
  static void TearDownTestSuite() {
    delete hash_;
    hash_ = nullptr;
  }
  static std::string* hash_;  // argon2id is deliberately slow: hash once
};
std::string* Security::hash_ = nullptr;

constexpr std::string_view kSecret = "server-secret-0123456789abcdef";

// ---------------------------------------------------------------- passwords

TEST_F(Security, PasswordHashIsSelfDescribingArgon2idAndNotThePassword) {
  EXPECT_EQ(hash_->rfind("$argon2id$", 0), 0u) << *hash_;
  EXPECT_EQ(hash_->find("correct horse"), std::string::npos);
}

TEST_F(Security, RightPasswordVerifies) {
  EXPECT_TRUE(verify_password(*hash_, "correct horse battery staple"));
}

TEST_F(Security, WrongPasswordsDoNotVerify) {
  EXPECT_FALSE(verify_password(*hash_, "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(*hash_, "Correct horse battery staple"));
  EXPECT_FALSE(verify_password(*hash_, "correct horse battery staple "));
  EXPECT_FALSE(verify_password(*hash_, ""));
}

TEST_F(Security, MalformedHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("not a hash", "not a hash"));
  EXPECT_FALSE(
      verify_password(hash_->substr(0, hash_->size() / 2), "correct horse battery staple"));
}

TEST_F(Security, SamePasswordHashesDifferentlyEachTime) {
  auto again = hash_password("correct horse battery staple");
  EXPECT_NE(again, *hash_);  // random salt
  EXPECT_TRUE(verify_password(again, "correct horse battery staple"));
}

TEST_F(Security, UnicodePasswordsVerifyExactly) {
  auto h = hash_password("пароль-Zażółć");
  EXPECT_TRUE(verify_password(h, "пароль-Zażółć"));
  EXPECT_FALSE(verify_password(h, "пароль-Zazolc"));
}

// ---------------------------------------------------------------- visitor tokens

constexpr Millis kNow = 1'800'000'000'000;
const SigningKey kKey{"k1", std::string(kSecret)};
KeyLookup only(const SigningKey& key) {
  return [key](std::string_view id) -> std::optional<std::string> {
    if (id == key.id) return key.secret;
    return std::nullopt;
  };
}
std::optional<VisitorClaims> check(std::string_view token, Millis now = kNow) {
  return verify_visitor(only(kKey), token, now);
}
std::string token_for(VisitorClaims c) {
  if (!c.expires_at) c.expires_at = kNow + 1000;
  return sign_visitor(kKey, c);
}

TEST_F(Security, VisitorTokenRoundTrips) {
  auto token = token_for({42, "visitor-abc", kNow + 5000});
  EXPECT_EQ(token.rfind("v2.k1." + std::to_string(kNow + 5000) + ".42.visitor-abc.", 0), 0u)
      << token;
  auto claims = check(token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->workspace_id, 42);
  EXPECT_EQ(claims->visitor_id, "visitor-abc");
  EXPECT_EQ(claims->expires_at, kNow + 5000);
}

TEST_F(Security, VisitorIdMayContainDots) {
  auto claims = check(token_for({7, "a.b.c"}));
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->workspace_id, 7);
  EXPECT_EQ(claims->visitor_id, "a.b.c");
}

TEST_F(Security, ExpiredTokenIsRejected) {
  auto token = token_for({42, "visitor-abc", kNow + 1000});
  EXPECT_TRUE(check(token, kNow + 999));
  EXPECT_FALSE(check(token, kNow + 1000));
  EXPECT_FALSE(check(token, kNow + 10'000'000));
}

TEST_F(Security, TokenFromAnotherSecretIsRejected) {
  auto token = sign_visitor({"k1", "another-secret"}, {42, "visitor-abc", kNow + 1000});
  EXPECT_FALSE(check(token));
}

TEST_F(Security, TokenOfAnUnknownOrRetiredKeyIsRejected) {
  auto token = sign_visitor({"k2", std::string(kSecret)}, {42, "visitor-abc", kNow + 1000});
  EXPECT_FALSE(check(token));  // same secret, but k2 is not an accepted key id
}

TEST_F(Security, ChangingAnyClaimBreaksTheSignature) {
  auto token = token_for({42, "visitor-abc", kNow + 1000});
  auto mac = token.substr(token.rfind('.'));
  auto exp = std::to_string(kNow + 1000);
  EXPECT_TRUE(check("v2.k1." + exp + ".42.visitor-abc" + mac));
  EXPECT_FALSE(check("v2.k1." + exp + ".43.visitor-abc" + mac));
  EXPECT_FALSE(check("v2.k1." + exp + ".42.visitor-abd" + mac));
  EXPECT_FALSE(check("v2.k1." + exp + ".4.2visitor-abc" + mac));
  EXPECT_FALSE(check("v2.k1." + std::to_string(kNow + 99999) + ".42.visitor-abc" + mac));
}

TEST_F(Security, EveryTamperedCharacterIsRejected) {
  auto token = token_for({42, "visitor-abc"});
  for (std::size_t i = 0; i < token.size(); ++i) {
    auto bad = token;
    bad[i] = bad[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(check(bad)) << bad;
  }
}

TEST_F(Security, TruncatedOrExtendedTokensAreRejected) {
  auto token = token_for({42, "visitor-abc"});
  for (std::size_t n = 0; n < token.size(); ++n) EXPECT_FALSE(check(token.substr(0, n))) << n;
  EXPECT_FALSE(check(token + "0"));
  EXPECT_FALSE(check(token + "."));
}

TEST_F(Security, MalformedTokensAreRejected) {
  for (const char* t : {"", ".", "v2", "v2.", "v2..", "v2...", "v2.k1", "v2.k1.1.42",
                        "v2.k1.x.42.v.00", "v1.42.x.00", "garbage", "Bearer v2.k1.1.42.x.deadbeef"})
    EXPECT_FALSE(check(t)) << t;
}

TEST_F(Security, OldUnkeyedTokensAreRejected) {
  // Tokens of the version before key ids were signed by a key that could leak.
  EXPECT_FALSE(
      check("v1.42.visitor-abc.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
}

TEST_F(Security, SignedTokenWithEmptyVisitorIdOrWorkspaceZeroIsRejected) {
  EXPECT_FALSE(check(token_for({42, ""})));
  EXPECT_FALSE(check(token_for({0, "visitor-abc"})));
}

TEST_F(Security, UppercasedSignatureIsRejected) {
  auto token = token_for({42, "visitor-abc"});
  auto dot = token.rfind('.');
  for (std::size_t i = dot + 1; i < token.size(); ++i)
    token[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(token[i])));
  EXPECT_FALSE(check(token));
}

// ---------------------------------------------------------------- helpers

TEST_F(Security, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_F(Security, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("abc", ""));
}

}  // namespace
}  // namespace sb::security
