// A real nats-server for one test (tests/bus/natsserver.sh): started by the
// constructor, killed by stop() or the destructor; restart() brings it back
// on the same port, as a crashed server comes back. A watchdog removes it if
// the test process dies first.
#pragma once

#include <cstddef>
#include <string>

namespace sb::bustest {

class NatsServer {
 public:
  // Throws std::runtime_error with the server's log when it cannot start.
  // max_payload 0: the server's default; a user: clients must sign in as it.
  explicit NatsServer(std::size_t max_payload = 0, std::string user = "", std::string pass = "");
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  void stop();     // kill -9, like a crash
  void restart();  // a fresh server on the same port
  int port() const { return port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

 private:
  void start(int port);
  std::size_t max_payload_;
  std::string user_, pass_;
  std::string dir_;
  int port_ = 0;
};

}  // namespace sb::bustest
