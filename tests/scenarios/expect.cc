// What a scenario's "expect" step checks, each against the services' own state.
#include "world.h"

namespace sb::scenario {
namespace {

std::string show(const json::value& v) {
  return json::serialize(v);
}

json::value name_or_null(const std::string& name) {
  return name.empty() ? json::value(nullptr) : json::value(name);
}

// {"in": "c1", "by": "bot", "kind": "note", "code": "bot_answer", "intent": "x", "contains": "..."}
bool matches(const Event& e, const json::object& m) {
  auto want = [&](std::string_view key, std::string_view have) {
    auto w = json_string(m, key);
    return !w || *w == have;
  };
  auto code = json_string(e.notice, "code").value_or("");
  std::string intent;
  if (const auto* args = e.notice.if_contains("args"); args && args->is_object())
    intent = json_string(args->as_object(), "intent").value_or("");
  auto contains = json_string(m, "contains");
  return want("by", to_string(e.author.type)) && want("kind", e.kind) && want("code", code) &&
         want("intent", intent) && (!contains || e.body.find(*contains) != std::string::npos);
}

}  // namespace

std::vector<std::string> World::expect(const json::object& e) {
  std::vector<std::string> failed;
  auto check = [&](const std::string& what, const json::value& want, const json::value& got) {
    if (want != got) failed.push_back(what + ": expected " + show(want) + ", got " + show(got));
  };
  for (const auto& [key, value] : e) {
    if (key == "said" || key == "not_said") {
      for (const auto& m : value.as_array()) {
        const auto& o = m.as_object();
        auto c = conversation(json_string(o, "in").value_or(""));
        bool found = false;
        for (const auto& ev : store_->events_after(ws_, c.id, 0, true, 10'000))
          found = found || matches(ev, o);
        if (found != (key == "said")) failed.push_back(std::string(key) + ": " + show(o));
      }
      continue;
    }
    if (key == "availability") {
      const auto& o = value.as_object();
      const auto& in = inboxes_.at(json_string(o, "inbox").value_or(first_inbox_));
      auto now = inbox_status_.availability(in);  // the rule the widget answers with
      auto reason = std::string(now.closed_reason());
      if (o.contains("open")) check("availability.open", o.at("open"), reason.empty());
      if (o.contains("reason")) check("availability.reason", o.at("reason"), name_or_null(reason));
      if (o.contains("next_open_at"))
        check("availability.next_open_at", parse_time(o.at("next_open_at")),
              now.hours.next_open_at ? json::value(*now.hours.next_open_at) : json::value(nullptr));
      continue;
    }
    if (key == "load") {
      auto live = dispatcher_.live(ws_);
      for (const auto& [name, want] : value.as_object()) {
        json::value got = nullptr;
        for (const auto& a : live.at("agents").as_array())
          if (a.at("id") == agent(name).id) got = a.at("load").at("chat");
        check("load of " + std::string(name), want, got);
      }
      continue;
    }
    if (key == "offered") {
      auto live = dispatcher_.live(ws_);
      for (const auto& [name, want] : value.as_object()) {
        std::string got;
        for (const auto& o : live.at("offers").as_array())
          if (o.at("conversation_id") == conversation(name).id)
            got = agent_name(o.at("agent_id").to_number<Id>());
        check("offer of " + std::string(name), want, name_or_null(got));
      }
      continue;
    }
    for (const auto& [name, want] : value.as_object()) {
      auto c = conversation(name);
      auto what = std::string(key) + " of " + std::string(name);
      if (key == "assigned") {
        check(what, want, name_or_null(agent_name(c.assignee_id)));
      } else if (key == "queue") {
        check(what, want, dispatcher_.queue_info(ws_, c.id).at("position"));
      } else if (key == "bot") {
        check(what, want,
              c.bot.phase == BotPhase::kNone ? json::value(nullptr)
                                             : json::value(json::string(to_string(c.bot.phase))));
      } else if (key == "priority") {
        check(what, want, c.priority);
      } else if (key == "language") {
        check(what, want, json::string(c.customer_language()));
      } else if (key == "status") {
        check(what, want, json::string(to_string(c.status)));
      } else {
        throw BadScenario("unknown expectation " + std::string(key));
      }
    }
  }
  return failed;
}

}  // namespace sb::scenario
