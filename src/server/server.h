// Server: HTTP + WebSocket transport for Switchboard (Boost.Beast on Asio).
// Public surface: start it on a Store, stop it. Everything else in server/ is
// private to this folder.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace sb {

class Env;

// Abuse limits (all configurable with `serve --limits FILE`, docs/SECURITY.md).
// A rate is {per_minute, burst}; per_minute 0 switches that limit off.
struct RateLimit {
  double per_minute = 0, burst = 0;
};
struct AbuseLimits {
  // Failed logins: free ones, then a lock doubling from base to max, per account and per IP.
  int login_free_failures_account = 5, login_free_failures_ip = 20;
  std::int64_t login_lock_base_ms = 1'000, login_lock_max_ms = 15 * 60'000;
  // Argon2id takes 64 MiB and tens of ms: this many at once, this many waiting, the rest 503.
  int password_hash_slots = 2, password_hash_queue = 16;
  // Connections: open sockets per IP (0: no cap); a request's header must arrive in time.
  int connections_per_ip = 512;
  std::int64_t header_timeout_ms = 10'000;
  // Anonymous writes.
  RateLimit visitor_tokens_per_ip{60, 120};
  RateLimit conversations_per_visitor{6, 10}, conversations_per_ip{60, 120},
      conversations_per_workspace{1200, 2400};
  RateLimit messages_per_visitor{60, 30}, messages_per_ip{600, 300};
  RateLimit uploads_per_visitor{10, 10}, uploads_per_ip{60, 60};
  RateLimit help_contact_per_ip{5, 10};
  RateLimit help_votes_per_ip_and_article{2, 3};
  // The widget's "current page" reports: one per 5 s per conversation.
  RateLimit visitor_pages_per_conversation{12, 1};
  // E-mail connection tests make the server connect out: a few a minute per workspace.
  RateLimit mail_tests_per_workspace{6, 6};
};
// Reads a JSON object of the fields above ({"messages_per_ip": [600, 300], ...});
// unknown or malformed keys throw std::invalid_argument naming them.
AbuseLimits parse_abuse_limits(std::string_view json_text);

// One thing /readyz checks besides what the server sees itself (the store's
// read path, the group-commit writer, draining): app/ adds the schema version of
// the database in use; a cluster adds its bus. `check` runs on the readiness
// thread, never in a request, and should take at most a second or two: nullopt
// when all is well, else what is wrong (or it throws).
struct ReadinessCheck {
  std::string name;
  std::function<std::optional<std::string>()> check;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = pick a free port (tests)
  std::string data_dir = "./data";
  std::string web_root = "web/dist";
  int io_threads = 2;
  // Blocking store work runs here, never on I/O threads. Each in-flight write
  // holds a worker until its group commit, so this bounds writes in flight.
  int worker_threads = 64;
  // Triage (language, emotion, the FAQ bot) after each commit, at a lower priority.
  // On two cores, 2 threads serve ~5 % more messages than 4 with the bot off and
  // keep the same delivery p99 with the bot answering every message (4 were
  // needed while search indexing ran on the writer; docs/BENCHMARKS.md).
  int triage_threads = 2;
  // The SLA timer's longest sleep (it wakes earlier when something is due or a
  // ticket changes); tests that move the clock shorten it.
  std::int64_t sla_max_sleep_ms = 60'000;
  // Routing timers (milliseconds): see DispatcherOptions in dispatcher.h.
  struct Routing {
    std::int64_t tick_ms = 500, reconcile_ms = 5'000, grace_ms = 60'000,
                 default_handle_ms = 300'000;
  } routing;
  // Visitor tokens expire after this (the widget renews them daily while used).
  std::int64_t visitor_token_lifetime_ms = 30LL * 24 * 3600 * 1000;
  AbuseLimits limits;
  // Where customers and agents reach this server, e.g. https://help.acme.example
  // (empty: http://address:port). Embed snippets use it; https makes cookies Secure.
  std::string public_url;
  // Empty: /metrics answers loopback callers only. Set: it wants this Bearer token.
  std::string metrics_token;
  // Reverse proxies (exact addresses) whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  // After a stop signal: /readyz says 503 at once; new connections are still
  // accepted for drain_delay_ms (for balancers that poll /readyz; nginx needs
  // none: a refused connection sends it to the next node), then refused; requests
  // in progress finish and WebSockets are closed with 1012 within drain_timeout_ms.
  std::int64_t drain_timeout_ms = 20'000;
  std::int64_t drain_delay_ms = 0;
  // Names this process in /metrics (a `node` label) and /readyz; empty: none.
  // In a cluster it is also the routing lease's holder (empty: host and pid).
  std::string node_id;
  // The bus between nodes: empty for one node alone (an in-process bus), or
  // nats://host:port to join the nodes that share this database (docs/DEPLOY.md).
  std::string bus_url;
  // In a cluster: the routing lease lapses this long after its holder's last
  // renewal; another node takes over within about that (plus a routing tick).
  std::int64_t lease_ms = 3'000;
  std::vector<ReadinessCheck> readiness_checks;
  // Writes waiting this long with none committing: /readyz reports the writer stuck.
  std::int64_t writer_stuck_ms = 10'000;
};

// `switchboard rotate-keys`: adds a new visitor-token signing key; tokens signed by
// the previous one stay valid for `grace_ms` (0: rejected at once). Returns the new
// key's id. Running servers pick it up within seconds.
std::string rotate_visitor_keys(const std::string& data_dir, std::int64_t grace_ms);

// A fresh public inbox key (random hex).
std::string random_inbox_key();
// Argon2id hash for an agent's password (for CLI seeding: demo, init).
std::string hash_agent_password(std::string_view password);
// The knowledge base's JSON exchange format (docs/PROTOCOL.md); throws
// std::invalid_argument naming the first bad field.
KbContent parse_kb_content(std::string_view json_text);

class Server {
 public:
  Server(Store& store, Env& env, ServerOptions options);  // env: clock, random bytes, files
  ~Server();
  unsigned short port() const;  // the bound port
  void run();                   // blocks until stop(), or until a drain has finished
  // Graceful stop (SIGTERM): not ready, no new connections, WebSockets told to
  // reconnect elsewhere (close 1012), requests in progress answered; then run()
  // returns, by drain_timeout_ms at the latest. Safe from any thread.
  void drain();
  void stop();  // at once: connections are cut

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
