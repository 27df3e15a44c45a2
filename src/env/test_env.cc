// The test double: virtual time, seeded random bytes, files under a temporary root.
#include <cstdlib>
#include <stdexcept>

#include "env/env.h"

namespace sb {

namespace fs = std::filesystem;

TestEnv::TestEnv(Millis start, std::uint64_t seed) : now_(start), random_(seed) {
  std::string pattern = (fs::temp_directory_path() / "sb-env-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
  root_ = pattern;
}

TestEnv::~TestEnv() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

Millis TestEnv::now_ms() {
  std::lock_guard lock(mu_);
  return now_;
}

void TestEnv::advance(Millis ms) {
  std::lock_guard lock(mu_);
  now_ += ms;
}

void TestEnv::set_now(Millis now) {
  std::lock_guard lock(mu_);
  now_ = now;
}

void TestEnv::random_bytes(unsigned char* out, std::size_t n) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(random_() >> 56);
}

std::string TestEnv::locate(const std::string& path) {
  auto p = fs::path(path).lexically_normal();
  if (p.string().rfind(root_.string() + "/", 0) == 0) return path;  // already inside
  return (root_ / p.relative_path()).string();
}

}  // namespace sb
