// RFC 6238 appendix B test vectors (SHA-1, last six digits) and the rules on top.
#include "totp/totp.h"

#include <gtest/gtest.h>

namespace sb::totp {
namespace {

const std::string kSecret = "12345678901234567890";

TEST(Totp, MatchesTheRfcVectors) {
  EXPECT_EQ(code_at(kSecret, 59), "287082");
  EXPECT_EQ(code_at(kSecret, 1111111109), "081804");
  EXPECT_EQ(code_at(kSecret, 2000000000), "279037");
  EXPECT_EQ(base32(kSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, AcceptsOneStepOfDriftAndEachStepOnce) {
  const std::int64_t now = 1111111109;
  auto step = verify(kSecret, code_at(kSecret, now), now, 0);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, now / 30);
  EXPECT_TRUE(verify(kSecret, code_at(kSecret, now - 30), now, 0));  // a slow phone
  EXPECT_TRUE(verify(kSecret, code_at(kSecret, now + 30), now, 0));  // a fast one
  EXPECT_FALSE(verify(kSecret, code_at(kSecret, now - 90), now, 0));
  EXPECT_FALSE(verify(kSecret, code_at(kSecret, now), now, *step)) << "replayed";
  EXPECT_FALSE(verify(kSecret, "12345", now, 0));
  EXPECT_FALSE(verify(kSecret, "12a456", now, 0));
}

TEST(Totp, OtpauthUrlNamesIssuerAndAccount) {
  EXPECT_EQ(otpauth_url("Switchboard (Demo Shop)", "anna@demo.test", kSecret),
            "otpauth://totp/Switchboard%20%28Demo%20Shop%29:anna@demo.test?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Switchboard%20%28Demo%20Shop%29&algorithm="
            "SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace sb::totp
