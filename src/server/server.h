// Server: HTTP + WebSocket transport for Switchboard (Boost.Beast on Asio).
// Public surface: start it on a Store, stop it. Everything else in server/ is
// private to this folder.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace sb {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = pick a free port (tests)
  std::string data_dir = "./data";
  std::string web_root = "web/dist";
  int io_threads = 2;
  // Blocking store work runs here, never on I/O threads. Each in-flight write
  // holds a worker until its group commit, so this bounds writes in flight.
  int worker_threads = 64;
  // Routing timers (milliseconds): see DispatcherOptions in dispatcher.h.
  struct Routing {
    std::int64_t tick_ms = 500, reconcile_ms = 5'000, grace_ms = 60'000,
                 default_handle_ms = 300'000;
  } routing;
  // Visitor tokens expire after this (the widget renews them daily while used).
  std::int64_t visitor_token_lifetime_ms = 30LL * 24 * 3600 * 1000;
};

// `switchboard rotate-keys`: adds a new visitor-token signing key; tokens signed by
// the previous one stay valid for `grace_ms` (0: rejected at once). Returns the new
// key's id. Running servers pick it up within seconds.
std::string rotate_visitor_keys(const std::string& data_dir, std::int64_t grace_ms);

// Argon2id hash for an agent's password (for CLI seeding: demo, init).
std::string hash_agent_password(std::string_view password);
// The knowledge base's JSON exchange format (docs/PROTOCOL.md); throws
// std::invalid_argument naming the first bad field.
KbContent parse_kb_content(std::string_view json_text);

class Server {
 public:
  Server(Store& store, ServerOptions options);
  ~Server();
  unsigned short port() const;  // the bound port
  void run();                   // blocks until stop()
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
