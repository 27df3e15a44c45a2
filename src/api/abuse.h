// Part of api/, exported by api/api.h: the live abuse limits every handler checks — login
// back-off, the password-hashing gate, and rate limits on anonymous writes.
#pragma once

#include <condition_variable>
#include <mutex>

#include "limits/limits.h"
#include "server/server.h"

namespace sb {

// At most `slots` callers inside at once and `queue` waiting; enter() fails at once beyond.
class BoundedGate {
 public:
  BoundedGate(int slots, int queue) : slots_(slots), queue_(queue) {}
  bool enter();
  void leave();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int slots_, queue_, inside_ = 0, waiting_ = 0;
};

struct Abuse {
  explicit Abuse(const AbuseLimits& l);
  AbuseLimits config;
  limits::FailureBackoff login_account, login_ip;
  BoundedGate password_gate;
  limits::ConcurrencyCap connections;
  limits::RateLimiter visitor_tokens_ip, conversations_visitor, conversations_ip,
      conversations_workspace, messages_visitor, messages_ip, uploads_visitor, uploads_ip,
      help_contact_ip, help_votes_ip, mail_tests, visitor_pages;
};

// 429 with Retry-After (and a message the widget shows) when `key` is over `limiter`'s rate.
void enforce_rate(limits::RateLimiter& limiter, std::string_view key, Millis now);

[[noreturn]] void throw_password_busy();

// Runs password hashing or verification inside the gate; 503 + Retry-After when full.
template <class F>
auto with_password_slot(Abuse& abuse, F&& f) {
  if (!abuse.password_gate.enter()) throw_password_busy();
  struct Leave {
    BoundedGate& g;
    ~Leave() { g.leave(); }
  } leave{abuse.password_gate};
  return f();
}

}  // namespace sb
