// Staffing simulator: Erlang C against textbook values, and the simulator (with
// the real routing engine) against Erlang C where the model's assumptions hold.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/erlang_c.h"
#include "sim/sim.h"

namespace sb::sim {
namespace {

// P(wait) straight from the definition, with factorials, for small cases only.
double erlang_c_by_definition(double a, int c) {
  long double term = 1, sum = 0;  // term = a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term = term * a / (k + 1);
  }
  long double top = term * c / (c - a);
  return static_cast<double>(top / (sum + top));
}

TEST(ErlangC, MatchesTheDefinitionAndPublishedTables) {
  // 10 Erlangs offered: P(wait) = 0.6821, 0.4494, 0.2853 on 11, 12, 13 servers.
  const double published[] = {0.6821, 0.4494, 0.2853};
  for (int c = 11; c <= 13; ++c) {
    ErlangC e = erlang_c(120, 300, c, 20);  // 120/h x 300 s = 10 Erlangs
    EXPECT_DOUBLE_EQ(e.offered, 10);
    EXPECT_NEAR(e.p_wait, erlang_c_by_definition(10, c), 1e-12);
    EXPECT_NEAR(e.p_wait, published[c - 11], 5e-5);
    double p = e.p_wait;
    EXPECT_NEAR(e.service_level, 1 - p * std::exp(-(c - 10) * 20.0 / 300), 1e-12);
    ASSERT_TRUE(e.asa_s);
    EXPECT_NEAR(*e.asa_s, p * 300 / (c - 10), 1e-9);
  }
}

TEST(ErlangC, LargeTeamsStayFiniteAndOverloadSaysSo) {
  ErlangC big = erlang_c(900 * 3600.0 / 60, 60, 950, 20);  // 900 Erlangs
  EXPECT_TRUE(std::isfinite(big.p_wait));
  EXPECT_GT(big.p_wait, 0);
  EXPECT_LT(big.p_wait, 1);
  ErlangC over = erlang_c(120, 300, 10, 20);  // 10 Erlangs on 10 servers
  EXPECT_EQ(over.p_wait, 1);
  EXPECT_EQ(over.service_level, 0);
  EXPECT_FALSE(over.asa_s);
  ErlangC idle = erlang_c(0, 300, 0, 20);
  EXPECT_EQ(idle.p_wait, 0);
  EXPECT_EQ(idle.service_level, 1);
}

TEST(ErlangC, ServersNeededIsTheFewestReachingTheTarget) {
  // 10 Erlangs, 80% in 20 s with 300 s handle: 13 servers give 76.6%, 14 give 86.7%.
  EXPECT_EQ(servers_needed(120, 300, 20, 80), 14);
  EXPECT_EQ(servers_needed(0, 300, 20, 80), 0);
  for (double pct : {50.0, 80.0, 95.0}) {
    int n = *servers_needed(500, 240, 30, pct);
    EXPECT_GE(erlang_c(500, 240, n, 30).service_level * 100, pct);
    EXPECT_LT(erlang_c(500, 240, n - 1, 30).service_level * 100, pct);
  }
}

// One chat channel, exponential handle times, no abandonment, no skills: M/M/c.
std::string mmc_scenario(int hours, int agents, int capacity, double rate, double handle_s) {
  return R"({"seed": 7, "day": {"start_hour": 0, "hours": )" + std::to_string(hours) +
         R"(}, "service_level": {"seconds": 20, "percent": 80},
      "arrivals": {"chat": )" +
         std::to_string(rate) + R"(},
      "handle_time": {"chat": {"distribution": "exponential", "mean_s": )" +
         std::to_string(handle_s) + R"(}},
      "agents": [{"name": "a", "count": )" +
         std::to_string(agents) + R"(, "capacity": {"chat": )" + std::to_string(capacity) + "}}]}";
}

void expect_matches_erlang_c(const Result& r, double p_wait, double sl, double asa) {
  ASSERT_EQ(r.channels.size(), 1u);
  const Outcome& o = r.channels[0].outcome;
  ASSERT_GT(o.arrived, 20000);
  EXPECT_EQ(o.answered, o.arrived);
  EXPECT_NEAR(*o.p_wait(), p_wait, 0.03);
  EXPECT_NEAR(*o.service_level(), sl, 0.03);
  EXPECT_NEAR(*o.avg_wait_s(), asa, asa * 0.12);
  // The per-hour Erlang C rows carry the same prediction.
  EXPECT_NEAR(r.hourly[0].erlang_p_wait, p_wait, 1e-9);
}

TEST(SimErlang, ReproducesErlangCForPlainMMc) {
  // 4 Erlangs on 5 agents: 240/h x 60 s. 150 hours = ~36,000 customers.
  Result r = simulate(parse_scenario(mmc_scenario(150, 5, 1, 240, 60)));
  ErlangC e = erlang_c(240, 60, 5, 20);
  expect_matches_erlang_c(r, e.p_wait, e.service_level, *e.asa_s);
}

TEST(SimErlang, ChatCapacityCountsAsServers) {
  // 3 agents x 2 chats = 6 servers for 4.8 Erlangs (handle time does not
  // depend on how many chats an agent has open, in the simulator).
  Result r = simulate(parse_scenario(mmc_scenario(120, 3, 2, 288, 60)));
  ErlangC e = erlang_c(288, 60, 6, 20);
  expect_matches_erlang_c(r, e.p_wait, e.service_level, *e.asa_s);
  for (const auto& a : r.agents) EXPECT_NEAR(*a.channel_occupancy[0], 0.8, 0.05);
}

TEST(Sim, SameSeedSameDayOtherSeedOtherDay) {
  std::string text = mmc_scenario(8, 3, 2, 200, 60);
  Scenario s = parse_scenario(text);
  std::string a = boost::json::serialize(simulate(s).to_json());
  EXPECT_EQ(a, boost::json::serialize(simulate(parse_scenario(text)).to_json()));
  s.seed = 8;
  EXPECT_NE(a, boost::json::serialize(simulate(s).to_json()));
}

// A complete small scenario with every feature, to break one field at a time.
boost::json::object full_scenario() {
  return boost::json::parse(R"({
    "seed": 3, "day": {"start_hour": 8, "hours": 4},
    "service_level": {"seconds": 30, "percent": 80, "channels": {"email": {"seconds": 3600}}},
    "arrivals": {"chat": [40, 60, 60, 30], "email": 10},
    "handle_time": {"chat": {"distribution": "lognormal", "mean_s": 300, "sigma": 0.5},
                    "email": {"mean_s": 600}},
    "patience": {"chat": {"distribution": "exponential", "mean_s": 120}},
    "agents": [
      {"name": "it", "count": 2, "skills": {"lang:it": 4}, "capacity": {"chat": 2, "email": 3},
       "teams": ["sales"], "shift": {"start": 8, "end": 10}},
      {"name": "en", "count": 3, "capacity": {"chat": 3}, "shift": {"start": 9, "end": 12}}],
    "routing": {"priority": {"chat": 1},
                "classes": [{"channel": "chat", "share": 0.3, "skills": {"lang:it": 3},
                             "team": "sales", "priority": 2}],
                "fallback": {"default": {"widen_skills_after_s": 60},
                             "chat": {"widen_skills_after_s": 30, "overflow_after_s": 600}}}
  })")
      .as_object();
}

std::string error_of(const boost::json::value& v) {
  try {
    parse_scenario(boost::json::serialize(v));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(SimScenario, BadFieldsAreNamed) {
  EXPECT_EQ(error_of(full_scenario()), "(accepted)");
  auto broken = [](auto edit) {
    boost::json::object o = full_scenario();
    edit(o);
    return error_of(o);
  };
  using O = boost::json::object;
  EXPECT_NE(broken([](O& o) { o.erase("day"); }).find("day: missing"), std::string::npos);
  EXPECT_NE(
      broken([](O& o) { o["day"].as_object()["hours"] = 0; }).find("day.hours: must be from 1"),
      std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["arrivals"].as_object()["chat"] = boost::json::array{1, 2};
            }).find("arrivals.chat: has 2 hourly rates, day.hours is 4"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["arrivals"].as_object()["fax"] = 3;
            }).find("arrivals.fax: unknown channel"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["handle_time"].as_object().erase("email");
            }).find("handle_time.email: missing"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["agents"].as_array()[1].as_object()["capacty"] = 1;
            }).find("agents[1].capacty: unknown field"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["agents"].as_array()[0].as_object()["shift"] = {{"start", 9}, {"end", 9}};
            }).find("agents[0].shift.end: must be after"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["agents"].as_array()[0].as_object()["skills"] = {{"lang:it", 9}};
            }).find("agents[0].skills.lang:it: must be from 1 to 5"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["routing"].as_object()["classes"].as_array()[0].as_object()["team"] = "x";
            }).find("routing.classes[0].team: no agent is in team"),
            std::string::npos);
  EXPECT_NE(broken([](O& o) {
              o["handle_time"].as_object()["chat"].as_object().erase("sigma");
            }).find("handle_time.chat.sigma: missing"),
            std::string::npos);
  EXPECT_NE(error_of(boost::json::value("x")).find("must be a JSON object"), std::string::npos);
  EXPECT_THROW(parse_scenario("{\"seed\": 1,"), ScenarioError);
  EXPECT_THROW(parse_scenario(""), ScenarioError);
}

TEST(SimScenario, FullScenarioRunsAndAccountsForEveryCustomer) {
  Scenario s = parse_scenario(boost::json::serialize(full_scenario()));
  s.find_agents = true;
  Result r = simulate(s);
  ASSERT_EQ(r.channels.size(), 2u);
  for (const auto& c : r.channels) {
    const Outcome& o = c.outcome;
    EXPECT_GT(o.arrived, 0);
    EXPECT_EQ(o.answered + o.abandoned + o.overflowed + o.unserved, o.arrived);
    EXPECT_EQ(c.estimate.compared + c.estimate.no_estimate, o.answered);
  }
  EXPECT_EQ(r.hourly.size(), 8u);  // 4 hours x 2 channels
  for (const auto& h : r.hourly) ASSERT_TRUE(h.needed_agents);
  EXPECT_NE(r.to_text().find("needed agents"), std::string::npos);
  EXPECT_TRUE(r.to_json().contains("hourly"));
}

TEST(Sim, AbandonmentIsCounted) {
  // One agent, long fixed handle times, customers who give up after 30 s.
  Scenario s = parse_scenario(R"({"seed": 1, "day": {"hours": 2},
    "arrivals": {"chat": 60}, "handle_time": {"chat": {"distribution": "fixed", "mean_s": 600}},
    "patience": {"chat": {"distribution": "fixed", "mean_s": 30}},
    "agents": [{"capacity": {"chat": 1}}]})");
  Result r = simulate(s);
  const Outcome& o = r.channels[0].outcome;
  EXPECT_GT(o.abandoned, o.arrived / 2);
  EXPECT_EQ(o.answered + o.abandoned, o.arrived);
  EXPECT_LE(*r.channels[0].p90_wait_s, 30) << "nobody is answered after giving up";
  EXPECT_NEAR(*o.abandonment(), static_cast<double>(o.abandoned) / o.arrived, 1e-12);
}

TEST(Sim, OverflowLeavesTheQueue) {
  Scenario s = parse_scenario(R"({"day": {"hours": 1}, "arrivals": {"callback": 20},
    "handle_time": {"callback": {"mean_s": 60}}, "agents": [],
    "routing": {"fallback": {"default": {"overflow_after_s": 45}}}})");
  Result r = simulate(s);
  const Outcome& o = r.channels[0].outcome;
  EXPECT_GT(o.arrived, 0);
  EXPECT_EQ(o.overflowed, o.arrived);
}

TEST(Sim, ShiftsAreRespected) {
  Scenario s = parse_scenario(R"({"seed": 5, "day": {"start_hour": 8, "hours": 4},
    "arrivals": {"chat": 100}, "handle_time": {"chat": {"mean_s": 240}},
    "agents": [{"name": "early", "count": 2, "capacity": {"chat": 2}, "shift": {"start": 8, "end": 10}},
               {"name": "late", "count": 2, "capacity": {"chat": 2}, "shift": {"start": 10, "end": 12}}]})");
  std::vector<AssignmentRecord> log;
  Result r = simulate(s, &log);
  ASSERT_FALSE(log.empty());
  constexpr Millis kHour = 3'600'000;
  for (const auto& a : log) {
    const AgentResult& ag = r.agents[static_cast<std::size_t>(a.agent - 1)];
    EXPECT_GE(a.at, (ag.shift_start - 8) * kHour) << ag.name;
    EXPECT_LT(a.at, (ag.shift_end - 8) * kHour) << ag.name;
  }
  for (const auto& ag : r.agents) {
    EXPECT_GT(ag.assigned, 0) << ag.name;
    EXPECT_EQ(ag.logged_in_s, 2 * 3600);
    EXPECT_GT(ag.occupancy, 0);
    EXPECT_LE(ag.occupancy, 1);
  }
  EXPECT_GT(r.agents[0].overtime_s, 0) << "early agents finish the chats they have at 10:00";
}

}  // namespace
}  // namespace sb::sim
