// Which address is the client's: the peer's, unless the peer is a trusted proxy.
#include <gtest/gtest.h>

#include "http/http.h"

namespace sb::http {
namespace {

const std::vector<std::string> kProxies = {"127.0.0.1", "10.0.0.2"};

TEST(ClientAddress, ForwardedForCountsOnlyFromATrustedProxy) {
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", kProxies), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "", kProxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", kProxies), "198.51.100.1");
}

TEST(ClientAddress, TheRightMostUntrustedHopWinsSoAClientCannotChooseIt) {
  // The client wrote "1.2.3.4" itself; the proxy appended the real address.
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4, 198.51.100.7", kProxies), "198.51.100.7");
  // Two proxies in a row are skipped.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7, 10.0.0.2", kProxies), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", " 2001:db8::1 ", kProxies), "2001:db8::1");
}

TEST(ClientAddress, GarbageInTheHeaderIsNotAnAddress) {
  EXPECT_EQ(client_address("127.0.0.1", "<script>", kProxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "evil, 198.51.100.7", kProxies), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7, evil", kProxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", ",,,", kProxies), "127.0.0.1");
}

}  // namespace
}  // namespace sb::http
