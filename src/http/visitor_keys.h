// Part of http/, exported by http/http.h: the keys that sign visitor tokens, kept in
// <data_dir>/visitor-keys.json (mode 0600) so every process on the data
// directory signs and verifies alike, and `switchboard rotate-keys` can add a
// key while servers run.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "env/env.h"
#include "security.h"

namespace sb {

struct KeyRingEntry {
  std::string id;
  std::string secret;
  Millis created_at = 0;
  Millis accept_until = 0;  // 0 = the signing key; else retired, verified until then
};

// Newest last. The pure part: what rotation does to a ring.
struct KeyRing {
  std::vector<KeyRingEntry> keys;
  const KeyRingEntry* signing() const;  // the newest not retired; null if none
  std::optional<std::string> accepted_secret(std::string_view id, Millis now) const;
  // Adds `fresh` as the signing key; the previous one is verified for `grace` more
  // (0: rejected at once). Keys whose grace is over are dropped.
  void rotate(KeyRingEntry fresh, Millis now, Millis grace);
};

std::string keyring_path(const std::string& data_dir);
// Empty ring if missing; throws if unreadable.
KeyRing load_keyring(Env& env, const std::string& path);
void save_keyring(Env& env, const std::string& path, const KeyRing& ring);  // atomic, 0600
KeyRingEntry new_key(Env& env, Millis now);

struct RotateResult {
  std::string new_key_id;
  std::size_t accepted_keys = 0;
};
RotateResult rotate_keys(Env& env, const std::string& data_dir, Millis now, Millis grace);

// Issues and verifies tokens; picks up rotations made by other processes
// (the file is looked at again at most every `recheck_ms`).
class VisitorKeys {
 public:
  VisitorKeys(Env& env, std::string data_dir, Millis token_lifetime, Millis now,
              Millis recheck_ms = 2000);
  std::string issue(Id workspace, const std::string& visitor_id, Millis now);
  std::optional<security::VisitorClaims> verify(std::string_view token, Millis now);
  Millis token_lifetime() const { return lifetime_; }

 private:
  void refresh(Millis now);
  Env& env_;
  std::string path_;
  Millis lifetime_, recheck_ms_;
  std::mutex mu_;
  KeyRing ring_;
  Millis checked_at_ = 0;
  std::int64_t file_stamp_ = 0;
};

}  // namespace sb
