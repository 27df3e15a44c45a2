#include "env/env.h"

namespace sb {

std::string Env::random_hex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  if (bytes > 0) random_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Env& real_env() {
  static PosixEnv env;
  return env;
}

std::optional<TimeZone> TimeZones::get(const std::string& name) {
  std::lock_guard lock(mu_);
  if (auto it = cache_.find(name); it != cache_.end()) return it->second;
  std::optional<TimeZone> tz;
  if (name == "UTC") tz = TimeZone::utc();
  bool safe = !name.empty() && name.find("..") == std::string::npos && name[0] != '/';
  if (!tz && safe)
    if (auto bytes = env_.read_file("/usr/share/zoneinfo/" + name))
      tz = TimeZone::from_tzif(*bytes);
  cache_[name] = tz;
  return tz;
}

}  // namespace sb
