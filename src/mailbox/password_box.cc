// Mailbox passwords at rest: libsodium secretbox under a key file in the data
// directory. The key is made once; create_file lets only one process win.
#include <sodium.h>

#include <filesystem>
#include <stdexcept>

#include "env/env.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {

namespace {

std::string key_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "mailbox-secret.key").string();
}

std::optional<std::string> decode_key(const std::string& hex) {
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  std::size_t len = 0;
  auto text = hex.substr(0, hex.find_last_not_of("\r\n ") + 1);
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), text.data(),
                     text.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size())
    return std::nullopt;
  return key;
}

}  // namespace

PasswordBox PasswordBox::open(Env& env, const std::string& data_dir) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
  auto path = key_path(data_dir);
  auto text = env.read_file(path);
  if (!text) {
    env.create_file(path, env.random_hex(crypto_secretbox_KEYBYTES) + "\n");
    text = env.read_file(path);  // ours, or another process's that won
  }
  auto key = text ? decode_key(*text) : std::nullopt;
  if (!key) throw std::runtime_error(path + " is not a mailbox key; restore it");
  return PasswordBox(env, *key);
}

std::string PasswordBox::seal(std::string_view password) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + password.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  env_->random_bytes(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(password.data()), password.size(),
                        nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  std::string out(sodium_base64_encoded_len(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), nonce, box.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::optional<std::string> PasswordBox::unseal(std::string_view sealed) const {
  if (sealed.size() > 8192) return std::nullopt;
  std::string box(sealed.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  std::string password(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(password.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    return std::nullopt;
  return password;
}

}  // namespace sb::mailbox
