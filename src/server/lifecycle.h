// Private to server/: what the sessions and the readiness check share about the
// process's state — whether it drains after a stop signal, which connections
// must be told, which requests are still being answered, and whether writes
// still reach COMMIT.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace sb {

// The drain after SIGTERM. Connections register what to do when it starts: an
// HTTP connection while it waits for its next request (close it: the client
// reconnects to another node), a WebSocket for its whole life (close it with
// 1012). Requests being answered are counted and finish first.
class Drain {
 public:
  enum class Kind { kIdleHttp, kWebSocket };

  // The stop signal came: /readyz says 503 from now on, while connections may
  // still be accepted for a moment (the drain delay).
  void announce() { announced_.store(true, std::memory_order_release); }
  bool announced() const { return announced_.load(std::memory_order_acquire); }
  // Connections are being closed: no keep-alive, no new WebSocket.
  bool draining() const { return draining_.load(std::memory_order_acquire); }

  // `notify` runs once, on the thread that starts the drain (or at once, here,
  // when it has started already); it should only post work to the connection's
  // strand. The registration ends when the returned handle is destroyed.
  [[nodiscard]] std::shared_ptr<void> watch(Kind kind, std::function<void()> notify);

  // A request between its header and its response; the drain waits for it.
  struct Busy {
    explicit Busy(Drain& d) : drain(&d) { d.busy_.fetch_add(1, std::memory_order_acq_rel); }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;
    ~Busy() { drain->busy_.fetch_sub(1, std::memory_order_acq_rel); }
    Drain* drain;
  };

  // Sets draining and notifies every registered connection; false if it had begun.
  bool begin();
  int busy_requests() const { return busy_.load(std::memory_order_acquire); }
  int open(Kind kind) const;

 private:
  void unregister(std::uint64_t id);

  std::atomic<bool> announced_{false};
  std::atomic<bool> draining_{false};
  std::atomic<int> busy_{0};
  mutable std::mutex mu_;
  std::uint64_t next_id_ = 0;
  struct Entry {
    Kind kind;
    std::function<void()> notify;
  };
  std::map<std::uint64_t, Entry> entries_;
};

// Whether writes still reach COMMIT: counts those handed to the group-commit
// writer and notes when one last completed. Idle is fine; writes waiting while
// none has completed for a while is a stuck writer.
class WriteWatch {
 public:
  using Clock = std::chrono::steady_clock;
  void started();
  void finished();
  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }
  // How long writes have waited without any completing; nullopt when none waits.
  std::optional<std::chrono::milliseconds> stalled_for(Clock::time_point now) const;

 private:
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<Clock::rep> progress_{0};  // the last completion, or the first start after idle
};

}  // namespace sb
