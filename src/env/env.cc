#include "env/env.h"

#include <sodium.h>

namespace sb {

std::string Env::random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (bytes > 0) random_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), bytes);
  out.pop_back();  // its terminating NUL
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
