// The single-node bus: publish() calls the matching handlers directly.
#include <atomic>

#include "bus/bus.h"
#include "bus/registry.h"

namespace sb::bus {
namespace {

class LocalBus : public Bus {
 public:
  explicit LocalBus(std::size_t max_payload)
      : registry_(std::make_shared<Registry>()), max_payload_(max_payload) {}

  void publish(std::string_view subject, std::string_view payload) override {
    if (!valid_subject(subject)) throw BusError("invalid subject: '" + std::string(subject) + "'");
    if (payload.size() > max_payload_)
      throw BusError("payload of " + std::to_string(payload.size()) +
                     " bytes exceeds max_payload of " + std::to_string(max_payload_));
    ++published_;
    for (auto& e : registry_->matching(subject))
      if (Registry::deliver(*e, subject, payload)) ++delivered_;
  }

  Subscription subscribe(std::string_view pattern, Handler handler) override {
    if (!valid_pattern(pattern)) throw BusError("invalid pattern: '" + std::string(pattern) + "'");
    auto entry = registry_->add(std::string(pattern), std::move(handler));
    std::weak_ptr<Registry> weak = registry_;
    return Subscription([weak, entry] {
      if (auto r = weak.lock()) r->remove(entry);
    });
  }

  void on_state(StateHandler handler) override {
    if (handler) handler(true, "");
  }
  bool connected() const override { return true; }
  std::size_t max_payload() const override { return max_payload_; }
  Counters counters() const override { return {published_.load(), delivered_.load(), 0, 0}; }

 private:
  std::shared_ptr<Registry> registry_;
  std::size_t max_payload_;
  std::atomic<std::uint64_t> published_{0}, delivered_{0};
};

}  // namespace

std::unique_ptr<Bus> make_local_bus(std::size_t max_payload) {
  return std::make_unique<LocalBus>(max_payload);
}

}  // namespace sb::bus
