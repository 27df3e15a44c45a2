// The NATS client protocol as the server speaks it, parsed incrementally and
// without I/O: bytes in, complete operations out. The input is untrusted, so
// every control line and payload is bounded, and the first violation stops
// the parser for good (the connection must be closed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb::bus {

struct ServerOp {
  enum class Kind { info, msg, ping, pong, ok, err };
  Kind kind = Kind::ping;
  std::string subject;  // msg
  std::uint64_t sid = 0;
  std::string reply;  // msg, may be empty
  // msg: the payload; info: its JSON; err: the server's message, unquoted.
  std::string body;
};

class NatsParser {
 public:
  NatsParser(std::size_t max_control_line, std::size_t max_payload)
      : max_line_(max_control_line), max_payload_(max_payload) {}

  // Parses `data`, appending each complete operation to `out`; a partial one
  // waits for more. False once the input broke the protocol (error() says
  // how); the operations before the fault are still in `out`.
  bool feed(std::string_view data, std::vector<ServerOp>& out);
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }
  // The largest MSG payload accepted from now on (the INFO's max_payload).
  void set_max_payload(std::size_t n) { max_payload_ = n; }

 private:
  bool control_line(std::string_view line, std::vector<ServerOp>& out);
  bool msg_line(std::string_view args);
  bool fail(std::string why);

  std::size_t max_line_;
  std::size_t max_payload_;
  std::string buffer_;  // bytes not yet consumed
  bool in_payload_ = false;
  std::size_t payload_size_ = 0;
  ServerOp pending_;  // the MSG whose payload is awaited
  std::string error_;
};

}  // namespace sb::bus
