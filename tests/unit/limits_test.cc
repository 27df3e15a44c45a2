// Rate limits and failure back-off: pure, with the time passed in.
#include "limits/limits.h"

#include <gtest/gtest.h>

namespace sb::limits {
namespace {

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  RateLimiter r({60, 3});  // one a second, three at once
  EXPECT_EQ(r.take("ip", 0), 0);
  EXPECT_EQ(r.take("ip", 0), 0);
  EXPECT_EQ(r.take("ip", 0), 0);
  EXPECT_EQ(r.take("ip", 0), 1000);  // wait a second for the next
  EXPECT_EQ(r.take("ip", 500), 500);
  EXPECT_EQ(r.take("ip", 1000), 0);
  EXPECT_GT(r.take("ip", 1000), 0);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter r({60, 1});
  EXPECT_EQ(r.take("a", 0), 0);
  EXPECT_GT(r.take("a", 0), 0);
  EXPECT_EQ(r.take("b", 0), 0);
}

TEST(RateLimiter, RefusedRequestsDoNotDeepenTheDebt) {
  RateLimiter r({60, 1});
  EXPECT_EQ(r.take("a", 0), 0);
  for (int i = 0; i < 100; ++i) r.take("a", 10);
  EXPECT_EQ(r.take("a", 1000), 0);  // a flood of refused calls does not lock out for longer
}

TEST(RateLimiter, ZeroRateIsUnlimited) {
  RateLimiter r({0, 0});
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(r.take("a", 0), 0);
  EXPECT_EQ(r.keys(), 0u);
}

TEST(RateLimiter, MemoryIsBoundedUnderAFloodOfKeys) {
  RateLimiter r({60, 2}, 1000);
  for (int i = 0; i < 50'000; ++i) r.take("ip" + std::to_string(i), i);
  EXPECT_LE(r.keys(), 1000u);
}

TEST(FailureBackoff, FreeFailuresThenDoublingLocksUpToTheMaximum) {
  FailureBackoff b({3, 1000, 5000, 3'600'000});
  EXPECT_EQ(b.fail("acct", 0), 0);
  EXPECT_EQ(b.fail("acct", 0), 0);
  EXPECT_EQ(b.fail("acct", 0), 0);
  EXPECT_EQ(b.locked_for("acct", 0), 0);
  EXPECT_EQ(b.fail("acct", 10), 1000);
  EXPECT_EQ(b.locked_for("acct", 10), 1000);
  EXPECT_EQ(b.locked_for("acct", 1010), 0);
  EXPECT_EQ(b.fail("acct", 1010), 2000);
  EXPECT_EQ(b.fail("acct", 3010), 4000);
  EXPECT_EQ(b.fail("acct", 7010), 5000);  // capped
  EXPECT_EQ(b.fail("acct", 12010), 5000);
  EXPECT_EQ(b.failures("acct", 12010), 8);
}

TEST(FailureBackoff, SuccessAndTimeForgetFailures) {
  FailureBackoff b({1, 1000, 5000, 60'000});
  b.fail("a", 0);
  EXPECT_GT(b.fail("a", 0), 0);
  b.succeed("a");
  EXPECT_EQ(b.locked_for("a", 0), 0);
  EXPECT_EQ(b.fail("a", 0), 0);
  b.fail("b", 0);
  EXPECT_EQ(b.failures("b", 59'999), 1);
  EXPECT_EQ(b.failures("b", 60'000), 0);
  EXPECT_EQ(b.fail("b", 60'000), 0);  // starts over
}

TEST(FailureBackoff, MemoryIsBounded) {
  FailureBackoff b({5, 1000, 5000, 60'000}, 500);
  for (int i = 0; i < 20'000; ++i) b.fail("k" + std::to_string(i), i);
  EXPECT_EQ(b.failures("k19999", 20'000), 1);
}

TEST(RetryAfter, RoundsUpToWholeSecondsAtLeastOne) {
  EXPECT_EQ(retry_after_seconds(0), 1);
  EXPECT_EQ(retry_after_seconds(1), 1);
  EXPECT_EQ(retry_after_seconds(1000), 1);
  EXPECT_EQ(retry_after_seconds(1001), 2);
}

}  // namespace
}  // namespace sb::limits
