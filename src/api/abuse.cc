#include "api/abuse.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "api/context.h"

namespace sb {
namespace {

limits::Rate rate(RateLimit r) {
  return {r.per_minute, r.burst};
}

limits::Backoff backoff(const AbuseLimits& l, int free_failures) {
  return {free_failures, l.login_lock_base_ms, l.login_lock_max_ms, 60 * 60'000};
}

}  // namespace

bool BoundedGate::enter() {
  std::unique_lock lock(mu_);
  if (inside_ >= slots_ && waiting_ >= queue_) return false;
  ++waiting_;
  cv_.wait(lock, [this] { return inside_ < slots_; });
  --waiting_;
  ++inside_;
  return true;
}

void BoundedGate::leave() {
  {
    std::lock_guard lock(mu_);
    --inside_;
  }
  cv_.notify_one();
}

Abuse::Abuse(const AbuseLimits& l)
    : config(l),
      login_account(backoff(l, l.login_free_failures_account)),
      login_ip(backoff(l, l.login_free_failures_ip)),
      password_gate(std::max(1, l.password_hash_slots), std::max(0, l.password_hash_queue)),
      connections(l.connections_per_ip),
      visitor_tokens_ip(rate(l.visitor_tokens_per_ip)),
      conversations_visitor(rate(l.conversations_per_visitor)),
      conversations_ip(rate(l.conversations_per_ip)),
      conversations_workspace(rate(l.conversations_per_workspace)),
      messages_visitor(rate(l.messages_per_visitor)),
      messages_ip(rate(l.messages_per_ip)),
      uploads_visitor(rate(l.uploads_per_visitor)),
      uploads_ip(rate(l.uploads_per_ip)),
      help_contact_ip(rate(l.help_contact_per_ip)),
      help_votes_ip(rate(l.help_votes_per_ip_and_article)),
      mail_tests(rate(l.mail_tests_per_workspace)),
      visitor_pages(rate(l.visitor_pages_per_conversation)) {}

void enforce_rate(limits::RateLimiter& limiter, std::string_view key, Millis now) {
  if (auto wait = limiter.take(key, now))
    throw HttpError(429, "rate_limited", "too many requests; please wait a moment and try again",
                    limits::retry_after_seconds(wait));
}

void throw_password_busy() {
  throw HttpError(503, "busy", "too many sign-ins at once; try again in a moment", 1);
}

AbuseLimits parse_abuse_limits(std::string_view json_text) {
  namespace json = boost::json;
  boost::system::error_code ec;
  auto v = json::parse(json_text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("limits: not a JSON object");
  AbuseLimits l;
  auto number = [](const json::value& x, const std::string& key) {
    if (!x.is_number() || x.to_number<double>() < 0)
      throw std::invalid_argument("limits: " + key + " must be a non-negative number");
    return x.to_number<double>();
  };
  auto pair = [&](const json::value& x, const std::string& key) {
    if (!x.is_array() || x.as_array().size() != 2)
      throw std::invalid_argument("limits: " + key + " must be [per_minute, burst]");
    return RateLimit{number(x.as_array()[0], key), number(x.as_array()[1], key)};
  };
  std::pair<const char*, RateLimit*> rates[] = {
      {"visitor_tokens_per_ip", &l.visitor_tokens_per_ip},
      {"conversations_per_visitor", &l.conversations_per_visitor},
      {"conversations_per_ip", &l.conversations_per_ip},
      {"conversations_per_workspace", &l.conversations_per_workspace},
      {"messages_per_visitor", &l.messages_per_visitor},
      {"messages_per_ip", &l.messages_per_ip},
      {"uploads_per_visitor", &l.uploads_per_visitor},
      {"uploads_per_ip", &l.uploads_per_ip},
      {"help_contact_per_ip", &l.help_contact_per_ip},
      {"help_votes_per_ip_and_article", &l.help_votes_per_ip_and_article},
      {"mail_tests_per_workspace", &l.mail_tests_per_workspace},
      {"visitor_pages_per_conversation", &l.visitor_pages_per_conversation}};
  std::pair<const char*, int*> ints[] = {
      {"login_free_failures_account", &l.login_free_failures_account},
      {"login_free_failures_ip", &l.login_free_failures_ip},
      {"password_hash_slots", &l.password_hash_slots},
      {"password_hash_queue", &l.password_hash_queue},
      {"connections_per_ip", &l.connections_per_ip}};
  std::pair<const char*, std::int64_t*> millis[] = {{"login_lock_base_ms", &l.login_lock_base_ms},
                                                    {"login_lock_max_ms", &l.login_lock_max_ms},
                                                    {"header_timeout_ms", &l.header_timeout_ms}};
  for (const auto& [key, value] : v.as_object()) {
    std::string k(key);
    bool known = false;
    for (auto& [name, field] : rates)
      if (k == name) *field = pair(value, k), known = true;
    for (auto& [name, field] : ints)
      if (k == name) *field = static_cast<int>(number(value, k)), known = true;
    for (auto& [name, field] : millis)
      if (k == name) *field = static_cast<std::int64_t>(number(value, k)), known = true;
    if (!known) throw std::invalid_argument("limits: unknown key " + k);
  }
  if (l.password_hash_slots < 1) throw std::invalid_argument("limits: password_hash_slots >= 1");
  return l;
}

}  // namespace sb
