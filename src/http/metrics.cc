#include "http/metrics.h"

#include <sstream>

namespace sb {
namespace {

// Label values are ours (ids, a node name), but a node name comes from the command line.
std::string escaped(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

void LatencyHistogram::observe_ms(double ms) {
  std::size_t i = 0;
  while (i < kBuckets.size() && ms > kBuckets[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<std::int64_t>(ms * 1000), std::memory_order_relaxed);
}

std::int64_t LatencyHistogram::count() const {
  std::int64_t n = 0;
  for (const auto& c : counts_) n += c.load(std::memory_order_relaxed);
  return n;
}

void LatencyHistogram::render(std::string& out, const std::string& name,
                              const std::string& labels) const {
  auto with = [&](const std::string& extra) {
    std::string all = labels;
    if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
    return all.empty() ? std::string() : "{" + all + "}";
  };
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += counts_[i];
    out += name + "_bucket" + with("le=\"" + number(kBuckets[i]) + "\"") + ' ' +
           std::to_string(cumulative) + '\n';
  }
  cumulative += counts_[kBuckets.size()];
  out += name + "_bucket" + with("le=\"+Inf\"") + ' ' + std::to_string(cumulative) + '\n';
  out += name + "_sum" + with("") + ' ' + number(static_cast<double>(sum_us_) / 1000.0) + '\n';
  out += name + "_count" + with("") + ' ' + std::to_string(cumulative) + '\n';
}

void Metrics::add_collector(std::function<std::vector<GaugeFamily>()> collect) {
  std::lock_guard lock(collectors_mu_);
  collectors_.push_back(std::move(collect));
}

std::string Metrics::labels(const std::vector<std::pair<std::string, std::string>>& extra) const {
  std::string out;
  if (!node_.empty()) out = "node=\"" + escaped(node_) + "\"";
  for (const auto& [k, v] : extra) out += (out.empty() ? "" : ",") + k + "=\"" + escaped(v) + "\"";
  return out;
}

std::string Metrics::render() const {
  std::string o;
  const std::string base = labels({});
  const std::string braced = base.empty() ? "" : "{" + base + "}";
  auto header = [&](const std::string& name, const std::string& help, const char* type) {
    o += "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
  };
  auto counter = [&](const char* name, const char* help, const char* type, std::int64_t v) {
    header(name, help, type);
    o += name + braced + ' ' + std::to_string(v) + '\n';
  };
  header("switchboard_node_info", "This process; its node label names it in a cluster.", "gauge");
  o += "switchboard_node_info" + braced + " 1\n";
  counter("switchboard_http_requests_total", "HTTP requests served.", "counter", http_requests);
  counter("switchboard_http_server_errors_total", "HTTP responses with status 5xx.", "counter",
          http_errors);
  counter("switchboard_websocket_connections", "Open WebSocket connections.", "gauge",
          ws_connections);
  counter("switchboard_websocket_dropped_slow_total", "Connections closed for a full send queue.",
          "counter", ws_dropped_slow);
  counter("switchboard_websocket_queued_frames", "Frames waiting in send queues.", "gauge",
          ws_queued_frames);
  counter("switchboard_messages_stored_total", "Messages committed to the store.", "counter",
          messages_stored);
  counter("switchboard_triage_queued_total",
          "New conversations and customer messages queued for triage (language, emotion, bot).",
          "counter", triage_queued);
  counter("switchboard_triage_done_total", "Of those, triaged.", "counter", triage_done);
  counter("switchboard_frames_sent_total", "WebSocket frames written.", "counter", frames_sent);
  counter("switchboard_login_failures_total", "Failed agent logins.", "counter", login_failures);
  counter("switchboard_rate_limited_total", "Requests answered 429.", "counter", rate_limited);

  header("switchboard_delivery_latency_ms", "Commit-to-socket latency of event frames.",
         "histogram");
  delivery_.render(o, "switchboard_delivery_latency_ms", base);
  header("switchboard_db_write_latency_ms",
         "Messages' time from the group-commit writer's queue to COMMIT (wait plus batch).",
         "histogram");
  db_write_.render(o, "switchboard_db_write_latency_ms", base);

  std::vector<std::function<std::vector<GaugeFamily>()>> collectors;
  {
    std::lock_guard lock(collectors_mu_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) {
    std::vector<GaugeFamily> families;
    try {
      families = collect();
    } catch (const std::exception&) {
      continue;  // e.g. the dispatcher is stopping: the other figures still count
    }
    for (const auto& f : families) {
      header(f.name, f.help, f.type.c_str());
      for (const auto& s : f.samples) {
        auto l = labels(s.labels);
        o += f.name + (l.empty() ? "" : "{" + l + "}") + ' ' + number(s.value) + '\n';
      }
    }
  }
  return o;
}

}  // namespace sb
