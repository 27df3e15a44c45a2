// Subject and pattern rules shared by LocalBus and NatsBus.
#include <vector>

#include "bus/bus.h"

namespace sb::bus {
namespace {

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Printable ASCII without space: the NATS protocol splits its lines on whitespace.
bool plain_token(std::string_view t) {
  if (t.empty()) return false;
  for (unsigned char c : t)
    if (c <= ' ' || c >= 0x7f) return false;
  return true;
}

bool valid(std::string_view s, bool wildcards) {
  if (s.empty() || s.size() > kMaxSubject) return false;
  auto parts = tokens(s);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto t = parts[i];
    if (!plain_token(t)) return false;
    bool star = t == "*", gt = t == ">";
    if ((star || gt) && !wildcards) return false;
    if (gt && i + 1 != parts.size()) return false;
    // '*' or '>' inside a longer token is a literal to NATS but a trap to a
    // reader; refuse it.
    if (!star && !gt && t.find_first_of("*>") != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

bool valid_subject(std::string_view subject) {
  return valid(subject, false);
}

bool valid_pattern(std::string_view pattern) {
  return valid(pattern, true);
}

bool subject_matches(std::string_view pattern, std::string_view subject) {
  auto p = tokens(pattern), s = tokens(subject);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == ">") return s.size() > i;
    if (i >= s.size()) return false;
    if (p[i] != "*" && p[i] != s[i]) return false;
  }
  return p.size() == s.size();
}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    cancel_ = std::move(other.cancel_);
    other.cancel_ = nullptr;
  }
  return *this;
}

void Subscription::reset() noexcept {
  if (!cancel_) return;
  auto cancel = std::move(cancel_);
  cancel_ = nullptr;
  cancel();
}

}  // namespace sb::bus
