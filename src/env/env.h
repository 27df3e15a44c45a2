// The public header of env/: what the server takes from the outside world — the
// wall clock, secure random bytes and files — behind one interface, so tests
// run the real services in virtual time, with seeded randomness, on a private
// directory. `real_env()` is the process's own; `TestEnv` is the test double.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/core.h"

namespace sb {

class Env {
 public:
  virtual ~Env() = default;

  // Wall-clock milliseconds since the Unix epoch.
  virtual Millis now_ms() = 0;

  // Unpredictable bytes (session ids, tokens, keys, file names).
  virtual void random_bytes(unsigned char* out, std::size_t n) = 0;
  std::string random_hex(std::size_t bytes);  // 2 hex digits per byte

  // Files, by their real paths. Missing or unreadable: nullopt.
  virtual std::optional<std::string> read_file(const std::string& path) = 0;
  // Replaces `path` at once (a private temporary renamed over it), mode 0600,
  // creating its directory. Throws std::runtime_error when it cannot.
  virtual void write_file(const std::string& path, std::string_view bytes) = 0;
  // The same, only if `path` does not exist yet; false (and nothing written) if it does.
  virtual bool create_file(const std::string& path, std::string_view bytes) = 0;
  // Moves a file, creating the target's directory; false if it could not.
  virtual bool rename_file(const std::string& from, const std::string& to) = 0;
  virtual bool remove_file(const std::string& path) = 0;  // false if there was none
  // Changes whenever the file is replaced; 0 while it is missing.
  virtual std::int64_t file_stamp(const std::string& path) = 0;
};

// The real clock (system_clock), libsodium's random bytes and the file system.
class PosixEnv : public Env {
 public:
  Millis now_ms() override;
  void random_bytes(unsigned char* out, std::size_t n) override;
  std::optional<std::string> read_file(const std::string& path) override;
  void write_file(const std::string& path, std::string_view bytes) override;
  bool create_file(const std::string& path, std::string_view bytes) override;
  bool rename_file(const std::string& from, const std::string& to) override;
  bool remove_file(const std::string& path) override;
  std::int64_t file_stamp(const std::string& path) override;

 protected:
  // Where `path` really is; the identity here.
  virtual std::string locate(const std::string& path) { return path; }
};

Env& real_env();  // one per process

// Virtual time that moves only when told, random bytes from a seed, and every
// file under a fresh temporary root (removed with it): "/a/b" is <root>/a/b.
class TestEnv : public PosixEnv {
 public:
  explicit TestEnv(Millis start = 1'700'000'000'000, std::uint64_t seed = 1);
  ~TestEnv() override;
  TestEnv(const TestEnv&) = delete;
  TestEnv& operator=(const TestEnv&) = delete;

  Millis now_ms() override;
  void advance(Millis ms);
  void set_now(Millis now);
  void random_bytes(unsigned char* out, std::size_t n) override;
  const std::filesystem::path& root() const { return root_; }

 protected:
  std::string locate(const std::string& path) override;

 private:
  std::mutex mu_;
  Millis now_;
  std::mt19937_64 random_;
  std::filesystem::path root_;
};

// Time zones by name (Europe/Rome), read once from /usr/share/zoneinfo through
// an Env; unknown names give nullopt.
class TimeZones {
 public:
  explicit TimeZones(Env& env) : env_(env) {}
  std::optional<TimeZone> get(const std::string& name);

 private:
  Env& env_;
  std::mutex mu_;
  std::unordered_map<std::string, std::optional<TimeZone>> cache_;
};

}  // namespace sb
