// Reports at scale (Q3): a store filled through its own write path (so the
// timings each report reads are the ones kept on commit) with EVENTS events in
// a realistic mix over 90 days — chats, e-mail, call-backs and offline
// messages; bot-handled and deflected ones; abandoned ones; ratings — then each
// report over the whole period, RUNS times: the rows read, the figures
// computed and the JSON answer built, as GET /api/v1/reports/<name> does.
// Usage: switchboard-reports-bench DB_PATH [EVENTS=1000000] [RUNS=20]
// The last line of stdout: {"events","reports","p50_ms","p95_ms","max_ms"}.
#include "reports/reports.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "store/store.h"

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using sb::Id;
using sb::Millis;

constexpr Millis kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;
constexpr int kDays = 90;
constexpr int kAgents = 20;

struct World {
  Millis now = 1'760'000'000'000;  // the virtual clock the store reads
  std::unique_ptr<sb::Store> store;
  Id ws = 0;
  std::vector<Id> inboxes;
  std::vector<sb::Author> agents;
  std::int64_t events = 0;
};

void setup(World& w) {
  w.ws = w.store->create_workspace("Reports bench");
  for (const char* name : {"Shop", "Support"}) {
    sb::Inbox i;
    i.workspace_id = w.ws;
    i.name = name;
    i.public_key = std::string("bench-") + name;
    w.inboxes.push_back(w.store->create_inbox(i).id);
  }
  for (int i = 0; i < kAgents; ++i) {
    sb::Agent a;
    a.workspace_id = w.ws;
    a.name = "Agent " + std::to_string(i);
    a.email = "agent" + std::to_string(i) + "@bench.test";
    a.role = "agent";
    a.password_hash = "x";
    auto created = w.store->create_agent(a);
    if (!created) throw std::runtime_error("agent not created");
    w.agents.push_back({sb::AuthorType::kAgent, created->id, a.name});
  }
}

// One conversation from start to end; about ten events on average.
void conversation(World& w, std::mt19937& rng, Millis start, int index, bool last_day) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto between = [&](Millis lo, Millis hi) {
    return std::uniform_int_distribution<Millis>(lo, hi)(rng);
  };
  static const sb::ConversationKind kKinds[] = {
      sb::ConversationKind::kChat,     sb::ConversationKind::kChat,
      sb::ConversationKind::kChat,     sb::ConversationKind::kEmail,
      sb::ConversationKind::kCallback, sb::ConversationKind::kOffline};
  w.now = start;
  sb::NewConversation c;
  c.workspace_id = w.ws;
  c.inbox_id = w.inboxes[static_cast<std::size_t>(index % 2)];
  c.visitor_id = "v" + std::to_string(index);
  c.client_id = "c";
  c.kind = kKinds[static_cast<std::size_t>(index) % std::size(kKinds)];
  c.name = "Customer " + std::to_string(index);
  c.email = "c" + std::to_string(index) + "@example.com";
  c.first_message = "Hello, I have a question about my order " + std::to_string(index);
  auto conv = w.store->create_conversation(c).first;
  ++w.events;
  sb::Author visitor{sb::AuthorType::kVisitor, conv.contact.id, c.name};
  auto say = [&](const sb::Author& who, const std::string& text) {
    w.store->append_event({w.ws, conv.id, "message", who, text, "", {}});
    ++w.events;
  };
  auto close = [&](const sb::Author& by) {
    w.store->set_status(w.ws, conv.id, sb::ConversationStatus::kClosed, by);
    ++w.events;
  };
  if (last_day && chance(0.3)) return;  // still waiting now
  if (chance(0.2)) {                    // the bot answers first
    w.now += between(2 * kSecond, 10 * kSecond);
    w.store->set_bot_state(w.ws, conv.id, {sb::BotPhase::kActive, "", w.now}, false);
    say({sb::AuthorType::kBot, 0, "Bot"}, "Here is an article that may help");
    if (chance(0.5)) {  // deflected
      w.now += between(30 * kSecond, 3 * kMinute);
      say(visitor, "Thanks, that solved it");
      close({sb::AuthorType::kSystem, 0, ""});
      return;
    }
    w.store->set_bot_state(w.ws, conv.id, {sb::BotPhase::kHandedOff, "asked_for_human", w.now},
                           false);
  }
  if (chance(0.08)) {  // the customer leaves before anyone answers
    w.now += between(30 * kSecond, 5 * kMinute);
    close({sb::AuthorType::kSystem, 0, ""});
    return;
  }
  const auto& agent = w.agents[static_cast<std::size_t>(between(0, kAgents - 1))];
  w.now += between(5 * kSecond, 4 * kMinute);
  auto claimed = w.store->claim(w.ws, conv.id, agent.id, std::nullopt, agent, "", sb::Notice{});
  if (!claimed) throw std::runtime_error("claim refused: " + claimed.refused().reason);
  ++w.events;
  int exchanges = static_cast<int>(between(1, 4));
  for (int i = 0; i < exchanges; ++i) {
    w.now += between(10 * kSecond, 2 * kMinute);
    say(agent, "Let me check that for you");
    w.now += between(20 * kSecond, 3 * kMinute);
    say(visitor, "Thank you, and what about the delivery?");
  }
  w.now += between(10 * kSecond, 2 * kMinute);
  say(agent, "It ships tomorrow. Is there anything else I can help with?");
  w.now += between(30 * kSecond, 5 * kMinute);
  close(agent);
  if (chance(0.3)) {
    sb::ChatRating r;
    r.workspace_id = w.ws;
    r.conversation_id = conv.id;
    r.inbox_id = conv.inbox_id;
    r.agent_id = agent.id;
    r.agent_name = agent.name;
    r.channel = "chat";
    r.scale = "3";
    r.score = static_cast<int>(between(1, 3));
    r.positive = r.score == 3;
    w.store->save_chat_rating(r);
  }
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: switchboard-reports-bench DB_PATH [EVENTS] [RUNS]\n";
    return 2;
  }
  std::string path = argv[1];
  std::int64_t target = argc > 2 ? std::stoll(argv[2]) : 1'000'000;
  int runs = argc > 3 ? std::stoi(argv[3]) : 20;
  World w;
  Millis first_day = w.now;
  std::filesystem::remove(path);
  w.store = sb::open_sqlite_store({.path = path, .clock = [&w] { return w.now; }});
  setup(w);
  std::mt19937 rng(2026);
  auto t0 = Clock::now();
  // Conversations spread over the days, busier on weekdays and in office hours.
  int index = 0;
  std::int64_t per_day = std::max<std::int64_t>(1, target / 10 / kDays);
  while (w.events < target) {
    int day = static_cast<int>((index / per_day) % kDays);
    Millis hour = std::discrete_distribution<int>(
        {1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 12, 14, 14, 12, 10, 8, 6, 4, 3, 2, 1})(rng);
    Millis start = first_day + day * kDay + hour * kHour +
                   std::uniform_int_distribution<Millis>(0, kHour - 1)(rng);
    conversation(w, rng, start, index, day == kDays - 1);
    if (++index % 10000 == 0)
      std::cerr << index << " conversations, " << w.events << " events, "
                << std::chrono::duration<double>(Clock::now() - t0).count() << " s\n";
  }
  double fill_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cerr << "filled: " << index << " conversations, " << w.events << " events in " << fill_s
            << " s\n";

  w.now = first_day + kDays * kDay;
  sb::ReportFilter all{.from = first_day, .to = w.now};
  auto tz = sb::TimeZone::utc();
  using Report = std::function<std::size_t()>;
  auto facts = [&] { return w.store->conversation_facts(w.ws, all, 500001); };
  auto size_of = [](const json::value& v) { return json::serialize(v).size(); };
  std::vector<std::pair<std::string, Report>> reports{
      {"summary",
       [&] {
         auto s = sb::reports::summarize(facts());
         return size_of(json::value(s.conversations + s.abandoned));
       }},
      {"daily",
       [&] {
         json::array a;
         for (const auto& d : sb::reports::daily(facts(), tz, all.from, all.to))
           a.push_back(json::object{{"date", d.date}, {"n", d.summary.conversations}});
         return size_of(a);
       }},
      {"heatmap",
       [&] {
         json::array a;
         for (const auto& row : sb::reports::heatmap(facts(), tz))
           for (auto n : row) a.push_back(n);
         return size_of(a);
       }},
      {"channels", [&] { return sb::reports::by_channel(facts()).size(); }},
      {"agents", [&] { return sb::reports::by_agent(facts()).size(); }},
      {"drill",
       [&] {
         std::size_t n = 0;
         for (const auto& f : facts()) n += sb::reports::counts(f, sb::reports::Metric::kAbandoned);
         return n;
       }},
      {"agent_filter",
       [&] {
         auto f = all;
         f.agent_id = w.agents[3].id;
         return sb::reports::summarize(w.store->conversation_facts(w.ws, f, 500001)).conversations >
                0;
       }},
      {"live", [&] {
         auto q = w.store->live_queue(w.ws);
         sb::ReportFilter today{.from = w.now - kDay, .to = w.now};
         auto s = sb::reports::summarize(w.store->conversation_facts(w.ws, today, 500001));
         return static_cast<std::size_t>(q.open + s.conversations);
       }}};
  std::vector<double> all_ms, worst_p95{0};
  double worst = 0, max_ms = 0;
  for (const auto& [name, run] : reports) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      auto start = Clock::now();
      volatile auto sink = run();
      (void)sink;
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    double p95 = percentile(ms, 0.95);
    worst = std::max(worst, p95);
    max_ms = std::max(max_ms, *std::max_element(ms.begin(), ms.end()));
    all_ms.insert(all_ms.end(), ms.begin(), ms.end());
    std::cout << json::serialize(json::object{
                     {"report", name}, {"p50_ms", percentile(ms, 0.5)}, {"p95_ms", p95}})
              << "\n";
  }
  std::cout << json::serialize(json::object{{"events", w.events},
                                            {"conversations", index},
                                            {"fill_s", fill_s},
                                            {"reports", reports.size()},
                                            {"p50_ms", percentile(all_ms, 0.5)},
                                            {"p95_ms", worst},
                                            {"max_ms", max_ms}})
            << std::endl;
  return worst < 200 ? 0 : 1;
}
