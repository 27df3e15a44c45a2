#include "server/readiness.h"

#include <cmath>

namespace sb {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

Readiness::Readiness(DirectoryStore& directory, std::vector<ReadinessCheck> extra,
                     const Drain& drain, const WriteWatch& writes, Options options)
    : directory_(directory),
      extra_(std::move(extra)),
      drain_(drain),
      writes_(writes),
      options_(options) {}

Readiness::~Readiness() {
  stop();
}

void Readiness::start() {
  probe_all();
  thread_ = std::thread([this] { loop(); });
}

void Readiness::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Readiness::loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, options_.period, [&] { return stopping_; })) {
    lock.unlock();
    probe_all();
    lock.lock();
  }
}

Readiness::Result Readiness::probe(const std::function<std::optional<std::string>()>& check) const {
  auto t0 = Clock::now();
  Result r;
  try {
    auto problem = check();
    r.ok = !problem;
    r.detail = problem.value_or("");
  } catch (const std::exception& e) {
    r.detail = e.what();
  }
  r.ms = ms_between(t0, Clock::now());
  return r;
}

void Readiness::probe_all() {
  {
    std::lock_guard lock(mu_);
    probing_ = true;
    probe_started_ = Clock::now();
  }
  std::vector<std::pair<std::string, Result>> results;
  // The store's own read path (its connection pool), with the cheapest query it has:
  // a primary-key lookup of a workspace that cannot exist.
  results.emplace_back("database", probe([this]() -> std::optional<std::string> {
                         directory_.get_workspace(0);
                         return std::nullopt;
                       }));
  for (const auto& c : extra_) results.emplace_back(c.name, probe(c.check));
  std::lock_guard lock(mu_);
  results_ = std::move(results);
  probing_ = false;
  probed_at_ = Clock::now();
}

Readiness::Report Readiness::report() const {
  auto now = Clock::now();
  Report out;
  json::object checks;
  bool ok = true;
  auto put = [&](const std::string& name, bool good, json::object detail) {
    detail.emplace("status", good ? "ok" : "fail");
    checks[name] = std::move(detail);
    ok = ok && good;
  };
  {
    std::lock_guard lock(mu_);
    // A probe stuck in the database for longer than stale_after is the answer.
    bool hung = probing_ && now - probe_started_ > options_.stale_after;
    for (const auto& [name, r] : results_) {
      json::object d{{"ms", std::round(r.ms * 10) / 10}};
      if (!r.ok) d["error"] = r.detail;
      bool good = r.ok;
      if (hung) {
        good = false;
        d["error"] = "no answer for " +
                     std::to_string(static_cast<int>(ms_between(probe_started_, now) / 1000)) +
                     " s";
      }
      put(name, good, std::move(d));
    }
    if (results_.empty()) put("database", false, {{"error", "not probed yet"}});
  }
  auto stalled = writes_.stalled_for(now);
  bool writer_ok = !stalled || *stalled < options_.writer_stuck;
  json::object w{{"in_flight", writes_.in_flight()}};
  if (!writer_ok)
    w["error"] = "no write committed for " + std::to_string(stalled->count() / 1000) + " s";
  put("writer", writer_ok, std::move(w));
  bool draining = drain_.announced();
  put("draining", !draining, {{"draining", draining}});
  out.ready = ok;
  out.body = {{"status", draining ? "draining" : ok ? "ready" : "not_ready"}, {"checks", checks}};
  return out;
}

}  // namespace sb
