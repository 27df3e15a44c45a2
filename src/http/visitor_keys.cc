#include "http/visitor_keys.h"

#include <boost/json.hpp>
#include <filesystem>
#include <stdexcept>

#include "http/log.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string encode(const KeyRing& ring) {
  json::array keys;
  for (const auto& k : ring.keys)
    keys.push_back({{"id", k.id},
                    {"secret", k.secret},
                    {"created_at", k.created_at},
                    {"accept_until", k.accept_until}});
  return json::serialize(json::object{{"keys", keys}});
}

// The token key of versions before key rotation was readable through the web
// root, so it is never trusted again: the upgrade starts a new ring and deletes it.
void retire_legacy_secret(Env& env, const std::string& data_dir) {
  if (env.remove_file((fs::path(data_dir) / "secret.key").string()))
    log_json({{"level", "warn"},
              {"msg", "visitor-token key rotated on upgrade; visitors get new tokens"}});
}

}  // namespace

const KeyRingEntry* KeyRing::signing() const {
  for (auto it = keys.rbegin(); it != keys.rend(); ++it)
    if (it->accept_until == 0) return &*it;
  return nullptr;
}

std::optional<std::string> KeyRing::accepted_secret(std::string_view id, Millis now) const {
  for (const auto& k : keys)
    if (k.id == id && (k.accept_until == 0 || now < k.accept_until)) return k.secret;
  return std::nullopt;
}

void KeyRing::rotate(KeyRingEntry fresh, Millis now, Millis grace) {
  for (auto& k : keys)
    if (k.accept_until == 0) k.accept_until = now + grace;
  std::erase_if(keys, [now](const KeyRingEntry& k) { return k.accept_until <= now; });
  keys.push_back(std::move(fresh));
}

std::string keyring_path(const std::string& data_dir) {
  return (fs::path(data_dir) / "visitor-keys.json").string();
}

KeyRing load_keyring(Env& env, const std::string& path) {
  auto text = env.read_file(path);
  if (!text) return {};
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("keys"))
    throw std::runtime_error(path + " is not a key ring; restore it or delete it to start anew");
  KeyRing ring;
  for (const auto& k : v.at("keys").as_array()) {
    const auto& o = k.as_object();
    ring.keys.push_back(
        {json::value_to<std::string>(o.at("id")), json::value_to<std::string>(o.at("secret")),
         o.at("created_at").to_number<Millis>(), o.at("accept_until").to_number<Millis>()});
  }
  return ring;
}

void save_keyring(Env& env, const std::string& path, const KeyRing& ring) {
  env.write_file(path, encode(ring));
}

KeyRingEntry new_key(Env& env, Millis now) {
  return {env.random_hex(4), env.random_hex(32), now, 0};
}

RotateResult rotate_keys(Env& env, const std::string& data_dir, Millis now, Millis grace) {
  auto path = keyring_path(data_dir);
  auto ring = load_keyring(env, path);
  ring.rotate(new_key(env, now), now, grace);
  save_keyring(env, path, ring);
  retire_legacy_secret(env, data_dir);
  return {ring.keys.back().id, ring.keys.size()};
}

VisitorKeys::VisitorKeys(Env& env, std::string data_dir, Millis token_lifetime, Millis now,
                         Millis recheck_ms)
    : env_(env), path_(keyring_path(data_dir)), lifetime_(token_lifetime), recheck_ms_(recheck_ms) {
  retire_legacy_secret(env, data_dir);
  ring_ = load_keyring(env, path_);
  if (!ring_.signing()) {
    // First start (or every key retired): add one. link() publishes it only if no
    // other process did meanwhile; then theirs is read instead.
    ring_.rotate(new_key(env, now), now, 0);
    if (!env.create_file(path_, encode(ring_))) ring_ = load_keyring(env, path_);
    if (!ring_.signing()) {  // a ring whose keys were all retired by hand
      rotate_keys(env, data_dir, now, 0);
      ring_ = load_keyring(env, path_);
    }
  }
  file_stamp_ = env.file_stamp(path_);
  checked_at_ = now;
}

void VisitorKeys::refresh(Millis now) {
  if (now - checked_at_ < recheck_ms_) return;
  checked_at_ = now;
  auto stamp = env_.file_stamp(path_);
  if (stamp == file_stamp_ || stamp == 0) return;
  try {
    auto ring = load_keyring(env_, path_);
    if (ring.signing()) ring_ = std::move(ring);
    file_stamp_ = stamp;
  } catch (const std::exception& e) {
    log_json({{"level", "error"},
              {"msg", "key ring unreadable, keeping the loaded keys"},
              {"error", e.what()}});
  }
}

std::string VisitorKeys::issue(Id workspace, const std::string& visitor_id, Millis now) {
  std::lock_guard lock(mu_);
  refresh(now);
  const auto* key = ring_.signing();
  return security::sign_visitor({key->id, key->secret}, {workspace, visitor_id, now + lifetime_});
}

std::optional<security::VisitorClaims> VisitorKeys::verify(std::string_view token, Millis now) {
  std::lock_guard lock(mu_);
  refresh(now);
  return security::verify_visitor(
      [&](std::string_view id) { return ring_.accepted_secret(id, now); }, token, now);
}

}  // namespace sb
