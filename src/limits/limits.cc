#include "limits/limits.h"

#include <algorithm>
#include <cmath>

namespace sb::limits {

RateLimiter::RateLimiter(Rate rate, std::size_t max_keys) : rate_(rate), max_keys_(max_keys) {}

void RateLimiter::set_rate(Rate rate) {
  std::lock_guard lock(mu_);
  rate_ = rate;
}

std::size_t RateLimiter::keys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

Millis RateLimiter::take(std::string_view key, Millis now) {
  std::lock_guard lock(mu_);
  if (rate_.per_minute <= 0) return 0;
  const double per_ms = rate_.per_minute / 60'000.0;
  const double burst = std::max(1.0, rate_.burst);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) evict(now);
    it = buckets_.emplace(std::string(key), Bucket{burst, now}).first;
  }
  auto& b = it->second;
  b.tokens =
      std::min(burst, b.tokens + per_ms * static_cast<double>(std::max<Millis>(0, now - b.at)));
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max<Millis>(1, static_cast<Millis>(std::ceil((1 - b.tokens) / per_ms)));
}

// Full buckets carry no information: drop them. If every key is busy (a flood
// of distinct keys), start over rather than grow without bound.
void RateLimiter::evict(Millis now) {
  const double per_ms = rate_.per_minute / 60'000.0;
  const double burst = std::max(1.0, rate_.burst);
  std::erase_if(buckets_, [&](const auto& kv) {
    return kv.second.tokens + per_ms * static_cast<double>(now - kv.second.at) >= burst;
  });
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

FailureBackoff::FailureBackoff(Backoff rule, std::size_t max_keys)
    : rule_(rule), max_keys_(max_keys) {}

const FailureBackoff::Record* FailureBackoff::live(std::string_view key, Millis now) const {
  auto it = records_.find(std::string(key));
  if (it == records_.end() || now - it->second.last >= rule_.forget_ms) return nullptr;
  return &it->second;
}

Millis FailureBackoff::locked_for(std::string_view key, Millis now) const {
  std::lock_guard lock(mu_);
  const auto* r = live(key, now);
  return r ? std::max<Millis>(0, r->locked_until - now) : 0;
}

int FailureBackoff::failures(std::string_view key, Millis now) const {
  std::lock_guard lock(mu_);
  const auto* r = live(key, now);
  return r ? r->failures : 0;
}

Millis FailureBackoff::fail(std::string_view key, Millis now) {
  std::lock_guard lock(mu_);
  auto it = records_.find(std::string(key));
  if (it == records_.end()) {
    if (records_.size() >= max_keys_)
      std::erase_if(records_, [&](const auto& kv) {
        return now - kv.second.last >= rule_.forget_ms || kv.second.locked_until <= now;
      });
    if (records_.size() >= max_keys_) records_.clear();
    it = records_.emplace(std::string(key), Record{}).first;
  }
  auto& r = it->second;
  if (now - r.last >= rule_.forget_ms) r = Record{};
  r.failures += 1;
  r.last = now;
  int over = r.failures - rule_.free_failures;
  if (over <= 0) return 0;
  Millis wait = rule_.base_ms;
  for (int i = 1; i < over && wait < rule_.max_ms; ++i) wait *= 2;
  wait = std::min(wait, rule_.max_ms);
  r.locked_until = now + wait;
  return wait;
}

void FailureBackoff::succeed(std::string_view key) {
  std::lock_guard lock(mu_);
  records_.erase(std::string(key));
}

bool ConcurrencyCap::acquire(const std::string& key) {
  std::lock_guard lock(mu_);
  auto& n = open_[key];
  if (cap_ > 0 && n >= cap_) return false;
  ++n;
  return true;
}

void ConcurrencyCap::release(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = open_.find(key);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

int ConcurrencyCap::count(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = open_.find(key);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace sb::limits
