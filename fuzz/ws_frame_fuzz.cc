// The WebSocket frame parser: whatever a client sends is a frame or a clean
// error, and a frame's fields are within their bounds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sb::parse_client_frame(text);
  if (auto* f = std::get_if<sb::ClientFrame>(&parsed)) {
    bool ping = f->type == sb::ClientFrame::Type::kPing;
    if (!ping && f->conversation_id <= 0) std::abort();
    if (f->client_id.size() > 64 || f->after_seq < 0 || f->read_seq < 0 || f->delivered_seq < 0)
      std::abort();
  } else if (std::get<sb::FrameError>(parsed).code.empty()) {
    std::abort();
  }
  return 0;
}
