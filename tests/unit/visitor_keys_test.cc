// Visitor-token keys: rotation with a grace period, shared through the data dir.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/http.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kNow = 1'800'000'000'000, kHour = 3'600'000, kDay = 24 * kHour;

class VisitorKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    security::init();
    char tmpl[] = "/tmp/sb-keys-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
  Env& env_ = real_env();
};

TEST_F(VisitorKeysTest, FirstStartCreatesAPrivateKeyRing) {
  VisitorKeys keys(env_, dir_, 30 * kDay, kNow);
  struct stat st {};
  ASSERT_EQ(::stat(keyring_path(dir_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto token = keys.issue(3, "visitor-1", kNow);
  auto claims = keys.verify(token, kNow + 1);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->workspace_id, 3);
  EXPECT_EQ(claims->visitor_id, "visitor-1");
  EXPECT_EQ(claims->expires_at, kNow + 30 * kDay);
  EXPECT_FALSE(keys.verify(token, kNow + 30 * kDay));  // expired
}

TEST_F(VisitorKeysTest, TheSameRingIsUsedAfterARestartAndByASecondProcess) {
  VisitorKeys first(env_, dir_, kDay, kNow);
  VisitorKeys second(env_, dir_, kDay, kNow);
  EXPECT_TRUE(second.verify(first.issue(1, "v", kNow), kNow));
  EXPECT_TRUE(first.verify(second.issue(1, "v", kNow), kNow));
}

TEST_F(VisitorKeysTest, RotationKeepsOldTokensForTheGracePeriodOnly) {
  VisitorKeys keys(env_, dir_, 30 * kDay, kNow, /*recheck_ms=*/0);
  auto old_token = keys.issue(1, "v", kNow);
  auto rotated = rotate_keys(env_, dir_, kNow + kHour, 2 * kHour);
  EXPECT_EQ(rotated.accepted_keys, 2u);
  auto new_token = keys.issue(1, "v", kNow + kHour + 1);  // a running server picks it up
  EXPECT_NE(new_token.substr(0, 12), old_token.substr(0, 12));
  EXPECT_NE(new_token.find(rotated.new_key_id), std::string::npos);
  EXPECT_TRUE(keys.verify(old_token, kNow + 2 * kHour));
  EXPECT_TRUE(keys.verify(new_token, kNow + 2 * kHour));
  EXPECT_FALSE(keys.verify(old_token, kNow + 3 * kHour));  // grace over
  EXPECT_TRUE(keys.verify(new_token, kNow + 3 * kHour));
}

TEST_F(VisitorKeysTest, RotationWithoutGraceRejectsOldTokensAtOnce) {
  VisitorKeys keys(env_, dir_, 30 * kDay, kNow, 0);
  auto old_token = keys.issue(1, "v", kNow);
  rotate_keys(env_, dir_, kNow + 1, 0);
  EXPECT_FALSE(keys.verify(old_token, kNow + 2));
  EXPECT_TRUE(keys.verify(keys.issue(1, "v", kNow + 2), kNow + 3));
}

TEST_F(VisitorKeysTest, KeysPastTheirGraceAreDroppedFromTheFile) {
  VisitorKeys keys(env_, dir_, kDay, kNow);
  rotate_keys(env_, dir_, kNow + 1, kHour);
  rotate_keys(env_, dir_, kNow + 2, kHour);
  EXPECT_EQ(load_keyring(env_, keyring_path(dir_)).keys.size(), 3u);
  EXPECT_EQ(rotate_keys(env_, dir_, kNow + 2 * kHour, kHour).accepted_keys, 2u);
}

TEST_F(VisitorKeysTest, UpgradeDeletesTheOldSecretFile) {
  // The single key of earlier versions was readable through the web root.
  { std::ofstream(fs::path(dir_) / "secret.key") << std::string(64, 'a'); }
  VisitorKeys keys(env_, dir_, kDay, kNow);
  EXPECT_FALSE(fs::exists(fs::path(dir_) / "secret.key"));
  EXPECT_TRUE(fs::exists(keyring_path(dir_)));
}

TEST_F(VisitorKeysTest, ACorruptRingStopsTheStartInsteadOfMintingKeys) {
  { std::ofstream(keyring_path(dir_)) << "{not json"; }
  EXPECT_THROW(VisitorKeys(env_, dir_, kDay, kNow), std::runtime_error);
}

TEST(KeyRingRules, SigningKeyIsTheNewestNotRetired) {
  KeyRing ring;
  EXPECT_EQ(ring.signing(), nullptr);
  ring.rotate({"a", "sa", 1, 0}, 10, 100);
  ring.rotate({"b", "sb", 2, 0}, 20, 100);
  ASSERT_NE(ring.signing(), nullptr);
  EXPECT_EQ(ring.signing()->id, "b");
  EXPECT_EQ(ring.accepted_secret("a", 119), "sa");
  EXPECT_EQ(ring.accepted_secret("a", 120), std::nullopt);
  EXPECT_EQ(ring.accepted_secret("b", 1'000'000), "sb");
  EXPECT_EQ(ring.accepted_secret("c", 0), std::nullopt);
}

}  // namespace
}  // namespace sb
