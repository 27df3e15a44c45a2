#include <charconv>

#include "bus/bus.h"

namespace sb::bus {

NatsUrl parse_nats_url(std::string_view url) {
  constexpr std::string_view kScheme = "nats://";
  auto bad = [&](const std::string& why) {
    return BusError("bad NATS URL '" + std::string(url) + "': " + why);
  };
  if (url.substr(0, kScheme.size()) != kScheme) throw bad("it must start with nats://");
  auto rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?# \t\r\n") != std::string_view::npos)
    throw bad("only nats://[user:pass@]host[:port]");
  NatsUrl out;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto creds = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = creds.find(':'); colon != std::string_view::npos) {
      out.user = creds.substr(0, colon);
      out.pass = creds.substr(colon + 1);
      if (out.user.empty()) throw bad("empty user name");
    } else {
      out.token = creds;
      if (out.token.empty()) throw bad("empty token");
    }
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    auto close = rest.find(']');
    if (close == std::string_view::npos) throw bad("unclosed '['");
    out.host = rest.substr(1, close - 1);
    auto after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') throw bad("junk after ']'");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") throw bad("empty port");
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    out.host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) throw bad("empty port");
  } else {
    out.host = rest;
  }
  if (out.host.empty()) throw bad("no host");
  if (out.host.find(':') != std::string::npos && rest.front() != '[')
    throw bad("an IPv6 address goes in brackets");
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      throw bad("port must be 1-65535");
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace sb::bus
