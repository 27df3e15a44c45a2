// Part of http/, exported by http/http.h: process metrics, rendered in the Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace sb {

class Metrics {
 public:
  std::atomic<std::int64_t> http_requests{0};
  std::atomic<std::int64_t> http_errors{0};  // status >= 500
  std::atomic<std::int64_t> ws_connections{0};
  std::atomic<std::int64_t> ws_dropped_slow{0};
  std::atomic<std::int64_t> ws_queued_frames{0};
  std::atomic<std::int64_t> messages_stored{0};
  // Changes handed to triage after their commit, and those it has finished:
  // the difference is its backlog.
  std::atomic<std::int64_t> triage_queued{0};
  std::atomic<std::int64_t> triage_done{0};
  std::atomic<std::int64_t> frames_sent{0};
  std::atomic<std::int64_t> login_failures{0};
  std::atomic<std::int64_t> rate_limited{0};

  // Commit-to-socket delivery latency of event frames.
  void observe_delivery_ms(double ms);
  std::string render() const;

 private:
  static constexpr std::array<double, 10> kBuckets = {1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000};
  std::array<std::atomic<std::int64_t>, kBuckets.size() + 1> counts_{};
  std::atomic<std::int64_t> sum_us_{0};
};

}  // namespace sb
