// Private to server/: /readyz. A thread probes the database (and whatever else
// app/ adds: the schema version, later the bus) every second; the endpoint only
// reads the last results, so a probe that hangs makes it say so instead of
// hanging with it, and a busy worker pool cannot starve it.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "server/lifecycle.h"
#include "server/server.h"

namespace sb {

class Readiness {
 public:
  struct Options {
    std::chrono::milliseconds period{1000};
    std::chrono::milliseconds stale_after{5000};    // a probe running longer fails "database"
    std::chrono::milliseconds writer_stuck{10000};  // writes waiting this long: not ready
  };
  Readiness(DirectoryStore& directory, std::vector<ReadinessCheck> extra, const Drain& drain,
            const WriteWatch& writes, Options options);
  ~Readiness();
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  void start();  // probes once before returning, then every period on its own thread
  void stop();

  struct Report {
    bool ready = false;
    boost::json::object body;  // {status, checks: {name: {status, ...}}}
  };
  Report report() const;

 private:
  struct Result {
    bool ok = false;
    std::string detail;  // what is wrong; empty when ok
    double ms = 0;       // how long the probe took
  };
  void probe_all();
  Result probe(const std::function<std::optional<std::string>()>& check) const;
  void loop();

  DirectoryStore& directory_;
  std::vector<ReadinessCheck> extra_;
  const Drain& drain_;
  const WriteWatch& writes_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool probing_ = false;
  std::chrono::steady_clock::time_point probe_started_{}, probed_at_{};
  std::vector<std::pair<std::string, Result>> results_;
  std::thread thread_;
};

}  // namespace sb
