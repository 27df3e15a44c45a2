// The subscriptions of one bus: ids (NATS sids), patterns, handlers, and the
// delivery rule that makes Subscription::reset() final.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "bus/bus.h"

namespace sb::bus {

struct Entry {
  std::uint64_t id = 0;
  std::string pattern;
  Handler handler;
  // Held while the handler runs; reset() takes it to wait for a running call.
  // Recursive so that a handler may reset its own subscription.
  std::recursive_mutex calling;
  bool active = true;  // under `calling`
};

class Registry {
 public:
  std::shared_ptr<Entry> add(std::string pattern, Handler handler);
  // Deactivates and forgets it; after this no call of its handler is running
  // (but the caller's own, if it is inside it) or will start.
  void remove(const std::shared_ptr<Entry>& entry);
  std::shared_ptr<Entry> find(std::uint64_t id) const;
  std::vector<std::shared_ptr<Entry>> matching(std::string_view subject) const;
  std::vector<std::shared_ptr<Entry>> all() const;
  // Calls its handler unless removed; true when it did.
  static bool deliver(Entry& entry, std::string_view subject, std::string_view payload);

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Entry>> entries_;
};

}  // namespace sb::bus
