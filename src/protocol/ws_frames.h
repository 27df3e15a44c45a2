// Part of protocol/, exported by protocol/protocol.h: what a WebSocket client may send, parsed and
// checked before anything acts on it. Pure (no I/O), so it is fuzzed on its own.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "core/core.h"

namespace sb {

constexpr std::size_t kMaxClientFrameBytes = 256 * 1024;

struct ClientFrame {
  enum class Type { kPing, kSubscribe, kSend, kTyping, kReceipt } type = Type::kPing;
  Id conversation_id = 0;  // all but ping
  std::string client_id;
  std::int64_t after_seq = 0;                    // subscribe
  bool typing = false;                           // typing
  std::int64_t delivered_seq = 0, read_seq = 0;  // receipt
  boost::json::object message;                   // send: body, client_id, attachment_ids
};

struct FrameError {
  std::string code, message, client_id;
};

std::variant<ClientFrame, FrameError> parse_client_frame(std::string_view text);

}  // namespace sb
