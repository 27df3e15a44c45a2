#include "http/visitor_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http/log.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::int64_t stamp_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  // A rename gives a new inode even within the same mtime tick.
  auto mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return mtime ^ (static_cast<std::int64_t>(st.st_ino) << 20);
}

std::string encode(const KeyRing& ring) {
  json::array keys;
  for (const auto& k : ring.keys)
    keys.push_back({{"id", k.id},
                    {"secret", k.secret},
                    {"created_at", k.created_at},
                    {"accept_until", k.accept_until}});
  return json::serialize(json::object{{"keys", keys}});
}

// Writes next to `path` with mode 0600 from the start (never briefly readable).
std::string write_private_temp(const std::string& path, const std::string& text) {
  auto tmp = path + ".tmp" + security::random_hex(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  // `rotate-keys` run as root must leave a ring the service user (who owns the
  // data directory) can read.
  struct stat dir {};
  if (::geteuid() == 0 && ::stat(fs::path(path).parent_path().c_str(), &dir) == 0)
    (void)!::fchown(fd, dir.st_uid, dir.st_gid);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp);
  }
  return tmp;
}

// The token key of versions before key rotation was readable through the web
// root, so it is never trusted again: the upgrade starts a new ring and deletes it.
void retire_legacy_secret(const std::string& data_dir) {
  auto legacy = fs::path(data_dir) / "secret.key";
  std::error_code ec;
  if (fs::remove(legacy, ec))
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

KeyRing load_keyring(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(text.str(), ec);
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

void save_keyring(const std::string& path, const KeyRing& ring) {
  auto tmp = write_private_temp(path, encode(ring));
  fs::rename(tmp, path);
}

KeyRingEntry new_key(Millis now) {
  return {security::random_hex(4), security::random_hex(32), now, 0};
}

RotateResult rotate_keys(const std::string& data_dir, Millis now, Millis grace) {
  fs::create_directories(data_dir);
  auto path = keyring_path(data_dir);
  auto ring = load_keyring(path);
  ring.rotate(new_key(now), now, grace);
  save_keyring(path, ring);
  retire_legacy_secret(data_dir);
  return {ring.keys.back().id, ring.keys.size()};
}

VisitorKeys::VisitorKeys(std::string data_dir, Millis token_lifetime, Millis now, Millis recheck_ms)
    : path_(keyring_path(data_dir)), lifetime_(token_lifetime), recheck_ms_(recheck_ms) {
  fs::create_directories(data_dir);
  retire_legacy_secret(data_dir);
  ring_ = load_keyring(path_);
  if (!ring_.signing()) {
    // First start (or every key retired): add one. link() publishes it only if no
    // other process did meanwhile; then theirs is read instead.
    ring_.rotate(new_key(now), now, 0);
    auto tmp = write_private_temp(path_, encode(ring_));
    bool won = ::link(tmp.c_str(), path_.c_str()) == 0;
    ::unlink(tmp.c_str());
    if (!won) ring_ = load_keyring(path_);
    if (!ring_.signing()) {  // a ring whose keys were all retired by hand
      rotate_keys(data_dir, now, 0);
      ring_ = load_keyring(path_);
    }
  }
  file_stamp_ = stamp_of(path_);
  checked_at_ = now;
}

void VisitorKeys::refresh(Millis now) {
  if (now - checked_at_ < recheck_ms_) return;
  checked_at_ = now;
  auto stamp = stamp_of(path_);
  if (stamp == file_stamp_ || stamp == 0) return;
  try {
    auto ring = load_keyring(path_);
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
