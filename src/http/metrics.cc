#include "http/metrics.h"

#include <sstream>

namespace sb {

void Metrics::observe_delivery_ms(double ms) {
  std::size_t i = 0;
  while (i < kBuckets.size() && ms > kBuckets[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<std::int64_t>(ms * 1000), std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::ostringstream o;
  auto counter = [&](const char* name, const char* help, const char* type, std::int64_t v) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
      << name << ' ' << v << '\n';
  };
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

  const char* h = "switchboard_delivery_latency_ms";
  o << "# HELP " << h << " Commit-to-socket latency of event frames.\n# TYPE " << h
    << " histogram\n";
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += counts_[i];
    o << h << "_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << '\n';
  }
  cumulative += counts_[kBuckets.size()];
  o << h << "_bucket{le=\"+Inf\"} " << cumulative << '\n'
    << h << "_sum " << static_cast<double>(sum_us_) / 1000.0 << '\n'
    << h << "_count " << cumulative << '\n';
  return o.str();
}

}  // namespace sb
