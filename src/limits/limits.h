// Abuse limits: token-bucket rate limits and back-off after failures, per key
// (an IP, an account, a visitor, a workspace). Pure and thread-safe: callers
// pass the time; memory is bounded by a maximum number of keys.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sb::limits {

using Millis = std::int64_t;

// `burst` requests at once, refilled at `per_minute`; per_minute <= 0 = unlimited.
struct Rate {
  double per_minute = 0;
  double burst = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(Rate rate, std::size_t max_keys = 100'000);
  // Counts one request of `key`: 0 if allowed, else the milliseconds until one would be.
  Millis take(std::string_view key, Millis now);
  void set_rate(Rate rate);
  std::size_t keys() const;

 private:
  struct Bucket {
    double tokens;
    Millis at;
  };
  void evict(Millis now);
  mutable std::mutex mu_;
  Rate rate_;
  std::size_t max_keys_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// After `free_failures` failures a key is locked: base, 2x base, 4x base ... up to
// `max_ms` per further failure. Failures are forgotten `forget_ms` after the last.
struct Backoff {
  int free_failures = 5;
  Millis base_ms = 1'000;
  Millis max_ms = 15 * 60'000;
  Millis forget_ms = 60 * 60'000;
};

class FailureBackoff {
 public:
  explicit FailureBackoff(Backoff rule, std::size_t max_keys = 100'000);
  Millis locked_for(std::string_view key, Millis now) const;  // 0: may try now
  // Records a failure; returns the lock it starts (0 while still within the free ones).
  Millis fail(std::string_view key, Millis now);
  void succeed(std::string_view key);
  int failures(std::string_view key, Millis now) const;

 private:
  struct Record {
    int failures = 0;
    Millis last = 0, locked_until = 0;
  };
  const Record* live(std::string_view key, Millis now) const;
  mutable std::mutex mu_;
  Backoff rule_;
  std::size_t max_keys_;
  std::unordered_map<std::string, Record> records_;
};

// Open connections per key (an IP), at most `cap` each; 0 = no cap.
class ConcurrencyCap {
 public:
  explicit ConcurrencyCap(int cap) : cap_(cap) {}
  bool acquire(const std::string& key);  // false: at the cap, nothing counted
  void release(const std::string& key);
  int count(const std::string& key) const;

 private:
  mutable std::mutex mu_;
  int cap_;
  std::unordered_map<std::string, int> open_;
};

// Seconds for a Retry-After header: at least 1, rounded up.
inline long retry_after_seconds(Millis wait_ms) {
  return wait_ms <= 0 ? 1 : (wait_ms + 999) / 1000;
}

}  // namespace sb::limits
