#include "server/lifecycle.h"

#include <vector>

namespace sb {

std::shared_ptr<void> Drain::watch(Kind kind, std::function<void()> notify) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    if (!draining()) {
      id = ++next_id_;
      entries_.emplace(id, Entry{kind, std::move(notify)});
    }
  }
  if (id == 0) {  // too late to wait for the signal: act on it now
    notify();
    return nullptr;
  }
  return std::shared_ptr<void>(nullptr, [this, id](void*) { unregister(id); });
}

void Drain::unregister(std::uint64_t id) {
  std::lock_guard lock(mu_);
  entries_.erase(id);
}

bool Drain::begin() {
  std::vector<std::function<void()>> notify;
  {
    std::lock_guard lock(mu_);
    announced_.store(true, std::memory_order_release);
    if (draining_.exchange(true, std::memory_order_acq_rel)) return false;
    for (const auto& [id, e] : entries_) notify.push_back(e.notify);
  }
  for (const auto& n : notify) n();  // outside the lock: a connection may end meanwhile
  return true;
}

int Drain::open(Kind kind) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [id, e] : entries_) n += e.kind == kind;
  return n;
}

void WriteWatch::started() {
  if (in_flight_.fetch_add(1, std::memory_order_acq_rel) == 0)
    progress_.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
}

void WriteWatch::finished() {
  progress_.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
}

std::optional<std::chrono::milliseconds> WriteWatch::stalled_for(Clock::time_point now) const {
  if (in_flight() == 0) return std::nullopt;
  Clock::time_point since{Clock::duration(progress_.load(std::memory_order_acquire))};
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - since);
}

}  // namespace sb
