#include "world.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace sb::scenario {
namespace {

std::string str(const json::object& o, std::string_view key, std::string fallback = "") {
  return json_string(o, key).value_or(std::move(fallback));
}

// Loaded once for all scenarios (~0.6 s): until it is, nothing would be
// detected, and the outcome would depend on timing.
const LanguageDetection& languages() {
  static LanguageDetection detection;
  while (detection.state() == "loading") std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return detection;
}

std::unique_ptr<Store> open_store(TestEnv& env, const json::object& s) {
  env.set_now(s.contains("start") ? parse_time(s.at("start")) : parse_time("2026-03-02T10:00:00Z"));
  SqliteOptions o;
  o.path = (env.root() / "switchboard.db").string();
  o.clock = [&env] { return env.now_ms(); };
  return open_sqlite_store(o);
}

DispatcherOptions dispatcher_options(const json::object& s) {
  DispatcherOptions o;
  o.manual = true;
  if (s.contains("tick")) o.tick_ms = parse_duration(s.at("tick"));
  return o;
}

// The API's parsers ignore keys they do not know; a scenario must not, or a
// misspelt setting would silently test the default.
void known_keys_only(const json::value& given, const json::value& known, const std::string& what) {
  if (!given.is_object() || !known.is_object()) return;
  for (const auto& [key, value] : given.as_object()) {
    const auto* k = known.as_object().if_contains(key);
    if (!k) throw BadScenario(what + ": unknown key " + std::string(key));
    known_keys_only(value, *k, what + "." + std::string(key));
  }
}

void only_keys(const json::object& o, std::initializer_list<std::string_view> known,
               const std::string& what) {
  for (const auto& [key, value] : o)
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw BadScenario(what + ": unknown key " + std::string(key));
}

template <class T>
T parsed(const json::value& v, const char* what) {
  std::string error;
  auto r = T::from_json(v, &error);
  if (!r) throw BadScenario(std::string(what) + ": " + error);
  known_keys_only(v, json::value(r->to_json()), what);
  return *r;
}

}  // namespace

World::World(const json::object& s)
    : store_(open_store(env_, s)),
      knowledge_(*store_),
      bot_({*store_, *store_, *store_, knowledge_, languages(), zones_, env_}),
      dispatcher_(*store_, *store_, *store_, hub_, env_, dispatcher_options(s)),
      tick_ms_(dispatcher_options(s).tick_ms) {
  only_keys(s, {"description", "start", "tick", "inboxes", "bot", "agents", "steps"}, "scenario");
  store_->set_change_listener([this](const ChangeBatch& batch) {
    dispatcher_.on_changes(batch);
    triage_.on_changes(batch);
  });
  ws_ = store_->create_workspace("Scenario");
  const auto& inboxes =
      s.contains("inboxes") ? s.at("inboxes").as_array() : json::array{json::object{}};
  for (const auto& in : inboxes) add_inbox(in.as_object());
  if (s.contains("bot")) setup_bot(s.at("bot").as_object());
  if (s.contains("agents"))
    for (const auto& a : s.at("agents").as_array()) add_agent(a.as_object());
  settle();
}

World::~World() {
  triage_.stop();
  store_->set_change_listener(nullptr);
  dispatcher_.stop();
}

void World::add_inbox(const json::object& o) {
  only_keys(o, {"name", "timezone", "business_hours", "routing"}, "inbox");
  Inbox in;
  in.workspace_id = ws_;
  in.name = str(o, "name", "main");
  in.public_key = env_.random_hex(8);
  in.timezone = str(o, "timezone", "UTC");
  if (in.timezone != "UTC") {  // the zone file, copied into the test's root
    auto tzif = real_env().read_file("/usr/share/zoneinfo/" + in.timezone);
    if (!tzif) throw BadScenario("unknown time zone " + in.timezone);
    env_.write_file("/usr/share/zoneinfo/" + in.timezone, *tzif);
  }
  if (o.contains("business_hours"))
    in.hours = parsed<BusinessHours>(o.at("business_hours"), "business_hours");
  if (o.contains("routing")) in.routing = parsed<InboxRouting>(o.at("routing"), "routing");
  if (first_inbox_.empty()) first_inbox_ = in.name;
  inboxes_[in.name] = store_->create_inbox(in);
}

void World::add_agent(const json::object& o) {
  only_keys(o, {"name", "status", "role", "routing"}, "agent");
  Agent a;
  a.workspace_id = ws_;
  a.name = str(o, "name");
  a.email = a.name + "@example.com";
  a.role = str(o, "role", "agent");
  a = *store_->create_agent(a);
  if (o.contains("routing"))  // as the console's profile editor: stored apart from the agent
    store_->set_agent_routing(ws_, a.id, parsed<AgentRouting>(o.at("routing"), "agent routing"));
  auto status = parse_agent_status(str(o, "status", "offline"));
  if (!status) throw BadScenario("agent " + a.name + ": unknown status");
  agents_[a.name] = store_->set_agent_status(ws_, a.id, *status);
  dispatcher_.agent_changed(ws_, a.id);
}

void World::setup_bot(const json::object& o) {
  only_keys(o, {"enabled", "name", "intents"}, "bot");
  store_->set_bot_settings(ws_, {{"enabled", o.contains("enabled") && o.at("enabled") == true},
                                 {"name", str(o, "name", "Sofia")}});
  if (!o.contains("intents")) return;
  for (const auto& v : o.at("intents").as_array()) {
    const auto& i = v.as_object();
    only_keys(i, {"name", "language", "question", "answer", "phrasings"}, "intent");
    FaqIntent f;
    f.workspace_id = ws_;
    f.name = str(i, "name");
    f.language = str(i, "language", "en");
    f.question = str(i, "question");
    f.answer = str(i, "answer");
    for (const auto& p : i.at("phrasings").as_array()) f.phrasings.emplace_back(p.as_string());
    store_->save_faq_intent(f);
  }
}

std::vector<std::string> World::step(const json::object& s) {
  if (s.contains("expect")) return expect(s.at("expect").as_object());
  if (s.contains("agent")) return agent_step(s);
  if (s.contains("arrive"))
    arrive(s);
  else if (s.contains("customer"))
    customer(s);
  else if (s.contains("advance"))
    advance(parse_duration(s.at("advance")));
  else
    throw BadScenario("unknown step " + json::serialize(s));
  settle();
  return {};
}

// As the widget's "new conversation" does: the first message's language, then the bot.
void World::arrive(const json::object& s) {
  only_keys(s, {"arrive", "message", "topic", "language", "inbox", "page_url", "channel"},
            "arrive");
  auto name = str(s, "arrive");
  const auto& in = inboxes_.at(str(s, "inbox", first_inbox_));
  NewConversation c;
  c.workspace_id = ws_;
  c.inbox_id = in.id;
  c.visitor_id = "visitor-" + name;
  c.client_id = "conv-" + name;
  c.name = "Customer " + name;
  c.subject = str(s, "topic");
  c.language = str(s, "language", "en");
  c.first_message = str(s, "message");
  auto channel = str(s, "channel", "chat");
  if (!parse_conversation_kind(channel)) throw BadScenario("no channel " + channel);
  c.kind = *parse_conversation_kind(channel);
  if (s.contains("page_url")) c.meta["page_url"] = s.at("page_url");
  if (auto [lang, confidence] = languages().detect(c.first_message);
      !lang.empty() && confidence >= 0.5)
    c.detected_language = lang;
  bot_.prepare_new_conversation(c);
  conversations_[name] = store_->create_conversation(c).first.id;
}

void World::customer(const json::object& s) {
  only_keys(s, {"customer", "says", "asks_for_person"}, "customer");
  auto c = conversation(str(s, "customer"));
  if (s.contains("asks_for_person")) {  // the widget's "talk to a person" button
    bot_.hand_off(c, "asked_for_human");
    return;
  }
  NewEvent e{ws_,
             c.id,
             "message",
             {AuthorType::kVisitor, 0, c.contact.name},
             str(s, "says"),
             "m-" + std::to_string(++messages_)};
  store_->append_event(e);
}

// An agent's action; with "fails": true it must be refused (an offer that expired...).
std::vector<std::string> World::agent_step(const json::object& s) {
  only_keys(s, {"agent", "status", "accepts", "declines", "closes", "fails"}, "agent step");
  std::vector<std::string> failed;
  try {
    agent_acts(s);
    if (s.contains("fails")) failed.push_back("expected to be refused: " + json::serialize(s));
  } catch (const HttpError& e) {
    if (!s.contains("fails")) failed.push_back(json::serialize(s) + " was refused: " + e.what());
  }
  settle();
  return failed;
}

void World::agent_acts(const json::object& s) {
  const auto& a = agent(str(s, "agent"));
  if (s.contains("status")) {
    auto status = parse_agent_status(str(s, "status"));
    if (!status) throw BadScenario("unknown status " + str(s, "status"));
    agents_[a.name] = store_->set_agent_status(ws_, a.id, *status);
    dispatcher_.agent_changed(ws_, a.id);
  } else if (s.contains("accepts")) {
    dispatcher_.accept(actor(a), conversation(str(s, "accepts")).id);
  } else if (s.contains("declines")) {
    dispatcher_.decline(actor(a), conversation(str(s, "declines")).id);
  } else if (s.contains("closes")) {
    store_->set_status(ws_, conversation(str(s, "closes")).id, ConversationStatus::kClosed,
                       {AuthorType::kAgent, a.id, a.name});
  } else {
    throw BadScenario("unknown agent step " + json::serialize(s));
  }
}

// The live ticker runs every tick; a long jump ticks at most 600 times.
void World::advance(Millis ms) {
  Millis step = std::max<Millis>(tick_ms_, ms / 600);
  for (Millis done = 0; done < ms; done += step) {
    env_.advance(std::min(step, ms - done));
    dispatcher_.tick();
    settle();
  }
}

void World::settle() {
  while (triage_.drain() + dispatcher_.drain() > 0) {
  }
}

Conversation World::conversation(const std::string& name) {
  auto it = conversations_.find(name);
  if (it == conversations_.end()) throw BadScenario("no conversation " + name + " arrived");
  return store_->get_conversation(ws_, it->second).value();
}

const Agent& World::agent(const std::string& name) {
  auto it = agents_.find(name);
  if (it == agents_.end()) throw BadScenario("no agent " + name);
  return it->second;
}

std::string World::agent_name(std::optional<Id> id) const {
  if (!id) return "";
  for (const auto& [name, a] : agents_)
    if (a.id == *id) return name;
  return "agent " + std::to_string(*id);
}

Actor World::actor(const Agent& a) const {
  Actor r;
  r.type = AuthorType::kAgent;
  r.workspace_id = ws_;
  r.agent_id = a.id;
  r.role = a.role;
  r.name = a.name;
  return r;
}

}  // namespace sb::scenario
