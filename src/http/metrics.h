// Part of http/, exported by http/http.h: process metrics, rendered in the Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sb {

// A latency histogram in milliseconds with fixed buckets; lock-free to observe.
class LatencyHistogram {
 public:
  void observe_ms(double ms);
  // Appends the _bucket, _sum and _count lines; `labels` is "" or `a="x",b="y"`.
  void render(std::string& out, const std::string& name, const std::string& labels) const;
  std::int64_t count() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.5, 1,   2,   5,    10,   20,
                                                      50,  100, 250, 1000, 5000, 10000};
  std::array<std::atomic<std::int64_t>, kBuckets.size() + 1> counts_{};
  std::atomic<std::int64_t> sum_us_{0};
};

// A gauge whose values are read when /metrics is scraped (the routing queues
// live in the dispatcher, not in counters). Each sample has its own labels.
struct GaugeFamily {
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
  };
  std::string name, help;
  std::vector<Sample> samples;
  std::string type = "gauge";  // or "counter" for totals kept elsewhere (the bus's)
};

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
  void observe_delivery_ms(double ms) { delivery_.observe_ms(ms); }
  // A write's time from being handed to the group-commit writer to its COMMIT:
  // the wait for the batch ahead plus its own batch.
  void observe_db_write_ms(double ms) { db_write_.observe_ms(ms); }
  std::int64_t db_writes_observed() const { return db_write_.count(); }

  // Names this process on every series (`node="…"`), for a cluster whose nodes
  // are scraped through one name. Empty (the default): no label. Set before serving.
  void set_node(std::string node) { node_ = std::move(node); }
  const std::string& node() const { return node_; }
  // Gauges computed at scrape time; a collector that throws is left out of that scrape.
  void add_collector(std::function<std::vector<GaugeFamily>()> collect);

  std::string render() const;

 private:
  std::string labels(const std::vector<std::pair<std::string, std::string>>& extra) const;
  LatencyHistogram delivery_;
  LatencyHistogram db_write_;
  std::string node_;
  mutable std::mutex collectors_mu_;
  std::vector<std::function<std::vector<GaugeFamily>()>> collectors_;
};

}  // namespace sb
