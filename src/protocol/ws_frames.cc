#include "protocol/ws_frames.h"

#include <algorithm>

namespace sb {
namespace {

namespace json = boost::json;

std::optional<ClientFrame::Type> type_of(std::string_view name) {
  using T = ClientFrame::Type;
  if (name == "ping") return T::kPing;
  if (name == "subscribe") return T::kSubscribe;
  if (name == "send") return T::kSend;
  if (name == "typing") return T::kTyping;
  if (name == "receipt") return T::kReceipt;
  return std::nullopt;
}

std::int64_t non_negative(const json::object& o, std::string_view key) {
  return std::max<std::int64_t>(0, json_int(o, key).value_or(0));
}

}  // namespace

std::variant<ClientFrame, FrameError> parse_client_frame(std::string_view text) {
  if (text.size() > kMaxClientFrameBytes)
    return FrameError{"too_large", "frames may be at most 256 KiB", ""};
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 16;  // a frame is shallow; deep nesting only costs stack
  auto v = json::parse(text, ec, {}, opts);
  if (ec || !v.is_object()) return FrameError{"invalid_json", "frames must be JSON objects", ""};
  auto& o = v.as_object();
  ClientFrame f;
  f.client_id = json_string(o, "client_id").value_or("");
  if (f.client_id.size() > 64) return FrameError{"bad_request", "client_id is too long", ""};
  auto type = type_of(json_string(o, "type").value_or(""));
  if (!type) return FrameError{"bad_request", "unknown frame type", f.client_id};
  f.type = *type;
  if (f.type == ClientFrame::Type::kPing) return f;
  auto id = json_int(o, "conversation_id");
  if (!id || *id <= 0) return FrameError{"bad_request", "conversation_id is required", f.client_id};
  f.conversation_id = *id;
  f.after_seq = non_negative(o, "after_seq");
  f.typing = json_bool(o, "typing").value_or(false);
  f.delivered_seq = non_negative(o, "delivered_seq");
  f.read_seq = non_negative(o, "read_seq");
  if (f.type == ClientFrame::Type::kSend) f.message = std::move(o);
  return f;
}

}  // namespace sb
