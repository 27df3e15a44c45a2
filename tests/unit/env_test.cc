// The Env seam: the real one's random bytes and files, the test double's
// virtual clock, seeded randomness and private root.
#include "env/env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

namespace sb {
namespace {

TEST(RealEnv, RandomHexHasTwoCharsPerByteAndOnlyHexDigits) {
  EXPECT_EQ(real_env().random_hex(0), "");
  for (std::size_t n : {1u, 16u, 32u}) {
    auto s = real_env().random_hex(n);
    EXPECT_EQ(s.size(), 2 * n);
    EXPECT_EQ(s.find_first_not_of("0123456789abcdef"), std::string::npos) << s;
  }
}

TEST(RealEnv, RandomHexValuesAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) seen.insert(real_env().random_hex(16));
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(TestEnvClock, MovesOnlyWhenAdvanced) {
  TestEnv env(1'000);
  EXPECT_EQ(env.now_ms(), 1'000);
  EXPECT_EQ(env.now_ms(), 1'000);
  env.advance(250);
  EXPECT_EQ(env.now_ms(), 1'250);
  env.set_now(5);
  EXPECT_EQ(env.now_ms(), 5);
}

TEST(TestEnvRandom, TheSameSeedGivesTheSameBytes) {
  TestEnv a(0, 7), b(0, 7), c(0, 8);
  auto first = a.random_hex(16);
  EXPECT_EQ(first, b.random_hex(16));
  EXPECT_NE(first, c.random_hex(16));
  EXPECT_NE(first, a.random_hex(16));  // a sequence, not one value
}

TEST(TestEnvFiles, LiveUnderItsRootAndAreWrittenPrivately) {
  TestEnv env;
  env.write_file("/data/keys.json", "one");
  auto real = env.root() / "data/keys.json";
  struct stat st {};
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(env.read_file("/data/keys.json"), "one");
  EXPECT_FALSE(env.create_file("/data/keys.json", "two"));  // never replaces
  EXPECT_EQ(env.read_file("/data/keys.json"), "one");
  auto stamp = env.file_stamp("/data/keys.json");
  EXPECT_NE(stamp, 0);
  env.write_file("/data/keys.json", "three");
  EXPECT_NE(env.file_stamp("/data/keys.json"), stamp);
  EXPECT_TRUE(env.rename_file("/data/keys.json", "/data/old/keys.json"));
  EXPECT_EQ(env.read_file("/data/keys.json"), std::nullopt);
  EXPECT_EQ(env.read_file("/data/old/keys.json"), "three");
  EXPECT_TRUE(env.remove_file("/data/old/keys.json"));
  EXPECT_FALSE(env.remove_file("/data/old/keys.json"));
  EXPECT_EQ(env.file_stamp("/data/old/keys.json"), 0);
}

TEST(TimeZonesThroughEnv, ReadTheZoneFileOnceFromTheEnv) {
  TestEnv env;
  TimeZones zones(env);
  EXPECT_TRUE(zones.get("UTC"));                // built in, no file
  EXPECT_FALSE(zones.get("Europe/Rome"));       // not under the test root
  EXPECT_FALSE(zones.get("../../etc/passwd"));  // never outside zoneinfo
  auto rome = real_env().read_file("/usr/share/zoneinfo/Europe/Rome");
  ASSERT_TRUE(rome);
  TestEnv with_rome;
  with_rome.write_file("/usr/share/zoneinfo/Europe/Rome", *rome);
  TimeZones loaded(with_rome);
  auto tz = loaded.get("Europe/Rome");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_seconds_at(1'700'000'000'000), 3600);  // November: CET
}

}  // namespace
}  // namespace sb
