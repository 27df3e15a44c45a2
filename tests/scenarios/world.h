// The scenario runner's world: the real services — SQLite store, dispatcher,
// triage and the FAQ bot — on a TestEnv, in virtual time, with nothing running
// on its own: every step runs what it queued before the next one starts.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "acd/acd.h"
#include "api/api.h"
#include "bot/bot.h"
#include "env/env.h"
#include "http/http.h"
#include "realtime/realtime.h"
#include "store/store.h"

namespace sb::scenario {

namespace json = boost::json;

// Thrown for a scenario file that does not say what the runner understands.
struct BadScenario : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Millis parse_time(const json::value& v);      // "2026-03-02T09:30:00Z", UTC
Millis parse_duration(const json::value& v);  // 1500 (ms), "90s", "5m", "2h", "1d"

class World {
 public:
  explicit World(const json::object& scenario);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // One timeline step; "expect" steps return what did not hold, one line each.
  std::vector<std::string> step(const json::object& s);

 private:
  void add_inbox(const json::object& o);
  void add_agent(const json::object& o);
  void setup_bot(const json::object& o);
  void arrive(const json::object& s);
  void customer(const json::object& s);
  std::vector<std::string> agent_step(const json::object& s);
  void agent_acts(const json::object& s);
  void advance(Millis ms);
  void settle();  // runs queued triage and routing work until none is left
  std::vector<std::string> expect(const json::object& e);

  Conversation conversation(const std::string& name);
  const Agent& agent(const std::string& name);
  std::string agent_name(std::optional<Id> id) const;
  Actor actor(const Agent& a) const;

  TestEnv env_;
  std::unique_ptr<Store> store_;
  Hub hub_;
  Metrics metrics_;
  TimeZones zones_{env_};
  InboxStatus inbox_status_{zones_, *store_, [this] { return env_.now_ms(); }};
  Knowledge knowledge_;
  Bot bot_;
  Triage triage_{bot_, metrics_, 0};
  Dispatcher dispatcher_;
  Millis tick_ms_;
  Id ws_ = 0;
  std::map<std::string, Inbox> inboxes_;  // by name; the first is the default
  std::string first_inbox_;
  std::map<std::string, Agent> agents_;
  std::map<std::string, Id> conversations_;
  int messages_ = 0;
};

}  // namespace sb::scenario
