#include "bus/nats_parser.h"

#include <algorithm>
#include <cctype>

namespace sb::bus {
namespace {

constexpr std::size_t kMaxDigits = 18;  // fits std::uint64_t with room; sizes are far smaller

std::vector<std::string_view> fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    auto start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool number(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > kMaxDigits) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Printable for an error message: the server's bytes may be anything.
std::string shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 40))
    out += (c >= ' ' && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}

}  // namespace

bool NatsParser::fail(std::string why) {
  error_ = std::move(why);
  buffer_.clear();
  return false;
}

bool NatsParser::feed(std::string_view data, std::vector<ServerOp>& out) {
  if (failed()) return false;
  buffer_.append(data);
  std::size_t pos = 0;
  while (true) {
    if (in_payload_) {
      if (buffer_.size() - pos < payload_size_ + 2) break;
      if (buffer_.compare(pos + payload_size_, 2, "\r\n") != 0)
        return fail("MSG payload is not followed by CRLF");
      pending_.body.assign(buffer_, pos, payload_size_);
      pos += payload_size_ + 2;
      out.push_back(std::move(pending_));
      pending_ = {};
      in_payload_ = false;
      continue;
    }
    auto nl = buffer_.find('\n', pos);
    if (nl == std::string::npos) {
      if (buffer_.size() - pos > max_line_) return fail("control line longer than the limit");
      break;
    }
    if (nl - pos > max_line_) return fail("control line longer than the limit");
    if (nl == pos || buffer_[nl - 1] != '\r') return fail("control line not ended by CRLF");
    std::string_view line(buffer_.data() + pos, nl - 1 - pos);
    pos = nl + 1;
    if (!control_line(line, out)) return false;
  }
  buffer_.erase(0, pos);
  return true;
}

bool NatsParser::control_line(std::string_view line, std::vector<ServerOp>& out) {
  auto space = line.find_first_of(" \t");
  auto op = upper(line.substr(0, space));
  auto rest = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  using K = ServerOp::Kind;
  if (op == "MSG") return msg_line(rest);
  if (op == "PING" && rest.find_first_not_of(" \t") == std::string_view::npos) {
    out.push_back({K::ping});
  } else if (op == "PONG" && rest.find_first_not_of(" \t") == std::string_view::npos) {
    out.push_back({K::pong});
  } else if (op == "+OK") {
    out.push_back({K::ok});
  } else if (op == "INFO") {
    ServerOp info{K::info};
    info.body = rest;
    out.push_back(std::move(info));
  } else if (op == "-ERR") {
    ServerOp err{K::err};
    auto text = rest.substr(std::min(rest.size(), rest.find_first_not_of(" \t")));
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'')
      text = text.substr(1, text.size() - 2);
    err.body = text;
    out.push_back(std::move(err));
  } else if (op == "HMSG") {
    return fail("HMSG received, but this client asks for no headers");
  } else {
    return fail("unknown operation '" + shown(line) + "'");
  }
  return true;
}

// MSG <subject> <sid> [reply-to] <#bytes>
bool NatsParser::msg_line(std::string_view args) {
  auto f = fields(args);
  if (f.size() != 3 && f.size() != 4)
    return fail("MSG with " + std::to_string(f.size()) + " fields");
  std::uint64_t sid = 0, size = 0;
  if (!number(f[1], sid)) return fail("MSG with a bad sid '" + shown(f[1]) + "'");
  if (!number(f.back(), size)) return fail("MSG with a bad size '" + shown(f.back()) + "'");
  if (size > max_payload_)
    return fail("MSG of " + std::to_string(size) + " bytes, over the limit of " +
                std::to_string(max_payload_));
  pending_ = {ServerOp::Kind::msg};
  pending_.subject = f[0];
  pending_.sid = sid;
  if (f.size() == 4) pending_.reply = f[2];
  payload_size_ = static_cast<std::size_t>(size);
  in_payload_ = true;
  return true;
}

}  // namespace sb::bus
