// Reports' arithmetic (Q3) and the script experiments' statistics (P2): days
// and hours in the reader's zone, agent ranking, the drill-down's metrics, and
// variant comparisons on synthetic data with a known winner — and with none,
// where no winner may be declared.
#include "reports/reports.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace sb::reports {
namespace {

constexpr Millis kMinute = 60'000, kHour = 60 * kMinute;
// 2026-03-28 22:30 UTC, a Saturday: 23:30 in Rome (UTC+1), and the night the
// clocks go forward there (01:59 CET -> 03:00 CEST on the 29th).
constexpr Millis kSaturdayNight = 1'774'737'000'000;

TimeZone rome() {
  std::ifstream in("/usr/share/zoneinfo/Europe/Rome", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return *TimeZone::from_tzif(bytes.str());
}

ConversationFacts conv(Id id, Millis created) {
  ConversationFacts f;
  f.id = id;
  f.channel = "chat";
  f.created_at = created;
  f.customer_messages = 1;
  return f;
}

TEST(Reports, DaysAndHoursAreTheReadersLocalOnes) {
  std::vector<ConversationFacts> facts{
      conv(1, kSaturdayNight),                // Sat 23:30 CET
      conv(2, kSaturdayNight + 2 * kHour),    // Sun 01:30 CET
      conv(3, kSaturdayNight + 3 * kHour),    // Sun 03:30 CEST (01:30 UTC)
      conv(4, kSaturdayNight + 50 * kHour)};  // Tue 02:30 CEST
  auto days = daily(facts, rome(), kSaturdayNight, kSaturdayNight + 1);
  ASSERT_EQ(days.size(), 4u);  // Sat, Sun, Mon (empty), Tue
  EXPECT_EQ(days[0].date, "2026-03-28");
  EXPECT_EQ(days[0].summary.conversations, 1);
  EXPECT_EQ(days[1].date, "2026-03-29");
  EXPECT_EQ(days[1].summary.conversations, 2);
  EXPECT_EQ(days[2].date, "2026-03-30");
  EXPECT_EQ(days[2].summary.conversations, 0);
  EXPECT_EQ(days[3].date, "2026-03-31");
  EXPECT_EQ(days[3].summary.conversations, 1);
  // The whole period asked for, empty days included: Thursday 26th to Wednesday 1st.
  auto week = daily(facts, rome(), kSaturdayNight - 2 * 24 * kHour, kSaturdayNight + 94 * kHour);
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week.front().date, "2026-03-26");
  EXPECT_EQ(week.back().date, "2026-04-01");
  EXPECT_EQ(week[2].summary.conversations, 1);
  EXPECT_TRUE(daily({}, rome(), kSaturdayNight, kSaturdayNight + 1).size() == 1);

  auto h = heatmap(facts, rome());
  EXPECT_EQ(h[6][23], 1);
  EXPECT_EQ(h[0][1], 1);
  EXPECT_EQ(h[0][2], 0);  // 02:xx did not exist that Sunday in Rome
  EXPECT_EQ(h[0][3], 1);
  EXPECT_EQ(h[2][2], 1);
  auto utc = heatmap(facts, TimeZone::utc());
  EXPECT_EQ(utc[6][22], 1);
  EXPECT_EQ(utc[0][0], 1);
  EXPECT_EQ(utc[0][1], 1);
  EXPECT_EQ(utc[2][0], 1);
}

TEST(Reports, AbandonedUnansweredAndDeflectedAreToldApart) {
  auto answered = conv(1, 0);
  answered.first_reply_at = 5 * kMinute;
  answered.closed_at = 9 * kMinute;
  auto left = conv(2, 0);
  left.closed_at = 3 * kMinute;
  auto waiting = conv(3, 0);
  auto bot = conv(4, 0);
  bot.bot_active = true;
  bot.closed_at = kMinute;
  auto handed = conv(5, 0);
  handed.bot_handed_off = true;
  handed.closed_at = kMinute;
  std::vector<ConversationFacts> all{answered, left, waiting, bot, handed};
  auto s = summarize(all);
  EXPECT_EQ(s.abandoned, 2);  // left, and the one the bot handed to nobody who answered
  EXPECT_EQ(s.bot_handled, 2);
  EXPECT_EQ(s.bot_deflected, 1);
  EXPECT_EQ(s.handle.n, 1);
  EXPECT_EQ(s.handle.median, 4 * kMinute);
  EXPECT_TRUE(counts(left, Metric::kAbandoned));
  EXPECT_FALSE(counts(bot, Metric::kAbandoned));
  EXPECT_TRUE(counts(bot, Metric::kBotDeflected));
  EXPECT_TRUE(counts(waiting, Metric::kUnanswered));
  EXPECT_TRUE(counts(waiting, Metric::kOpen));
  EXPECT_FALSE(counts(answered, Metric::kUnanswered));
  EXPECT_EQ(parse_metric("abandoned"), Metric::kAbandoned);
  EXPECT_FALSE(parse_metric("everything"));
  EXPECT_EQ(summarize({}).first_response.median, std::nullopt);
}

// Seed 004's ranking: many good ratings beat one perfect one; unrated agents
// last, the faster first response first.
TEST(Reports, AgentsRankByTheLowerBoundOfTheirCsatThenSpeed) {
  std::vector<ConversationFacts> facts;
  Id next = 1;
  auto add = [&](Id agent, int positive, int negative, Millis frt) {
    for (int i = 0; i < positive + negative; ++i) {
      auto f = conv(next++, 0);
      f.agent_id = agent;
      f.first_reply_at = frt;
      f.rated_positive = i < positive;
      facts.push_back(f);
    }
  };
  add(10, 1, 0, kMinute);       // one lucky rating
  add(20, 18, 2, 2 * kMinute);  // 90% of twenty
  auto unrated = [&](Id agent, Millis frt) {
    auto f = conv(next++, 0);
    f.agent_id = agent;
    f.first_reply_at = frt;
    facts.push_back(f);
  };
  unrated(30, 3 * kMinute);
  unrated(40, kMinute / 2);  // faster
  auto rows = by_agent(facts);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].agent_id, 20);
  EXPECT_EQ(rows[1].agent_id, 10);
  EXPECT_EQ(rows[2].agent_id, 40);
  EXPECT_EQ(rows[3].agent_id, 30);
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_NEAR(rows[0].csat_lower, 0.699, 0.001);  // Wilson, 18 of 20
}

TEST(Statistics, WilsonAndTheTestsAgreeWithTextbookValues) {
  auto [lo, hi] = wilson(18, 20);
  EXPECT_NEAR(lo, 0.6990, 1e-3);
  EXPECT_NEAR(hi, 0.9721, 1e-3);
  EXPECT_EQ(wilson(0, 0), (std::pair<double, double>{0, 0}));
  // 80/100 vs 60/100: z = 3.086, two-sided p = 0.00203.
  EXPECT_NEAR(two_proportion_p(80, 100, 60, 100), 0.00203, 2e-4);
  EXPECT_NEAR(two_proportion_p(50, 100, 50, 100), 1.0, 1e-9);
  // Means 10 vs 12, sd 4 each, 64 per side: z = 2.828, p = 0.00468.
  EXPECT_NEAR(welch_p(10, 16, 64, 12, 16, 64), 0.00468, 2e-4);
}

VariantSample sample(std::mt19937& rng, int conversations, double csat, double resolution,
                     double handle_mean_ms) {
  VariantSample s;
  std::bernoulli_distribution rated(0.5), happy(csat), solved(resolution);
  std::exponential_distribution<double> handle(1.0 / handle_mean_ms);
  for (int i = 0; i < conversations; ++i) {
    ++s.conversations;
    ++s.closed;
    if (solved(rng)) ++s.resolved;
    if (rated(rng)) {
      ++s.rated;
      if (happy(rng)) ++s.positive;
    }
    double h = handle(rng);
    ++s.handled;
    s.handle_sum += h;
    s.handle_squares += h * h;
  }
  return s;
}

TEST(Experiments, AKnownWinnerIsFoundOnEveryMetric) {
  std::mt19937 rng(42);
  std::vector<VariantSample> v{sample(rng, 600, 0.70, 0.70, 10 * kMinute),
                               sample(rng, 600, 0.88, 0.85, 6 * kMinute),
                               sample(rng, 600, 0.70, 0.70, 10 * kMinute)};
  auto c = compare_variants(v);
  EXPECT_EQ(c.csat.verdict, Verdict::kWinner);
  EXPECT_EQ(c.csat.winner, 1);
  EXPECT_EQ(c.resolution.winner, 1);
  EXPECT_EQ(c.handle.winner, 1);  // shorter
  EXPECT_LT(c.csat.p, 0.001);
  auto e = effect_of(v[1]);
  ASSERT_TRUE(e.csat.value);
  EXPECT_LT(*e.csat.lower, *e.csat.value);
  EXPECT_GT(*e.csat.upper, *e.csat.value);
  EXPECT_NEAR(*e.handle_ms.value, 6 * kMinute, 0.1 * 6 * kMinute);
}

// Equal variants: over 300 experiments the test may err, but seldom (alpha 5%
// split over the comparisons); and it never errs by much.
TEST(Experiments, NoDifferenceIsNotCalledAWin) {
  std::mt19937 rng(7);
  int wins = 0;
  for (int run = 0; run < 300; ++run) {
    std::vector<VariantSample> v{sample(rng, 400, 0.75, 0.8, 8 * kMinute),
                                 sample(rng, 400, 0.75, 0.8, 8 * kMinute)};
    auto c = compare_variants(v);
    wins += c.csat.verdict == Verdict::kWinner;
    EXPECT_NE(c.csat.verdict, Verdict::kNotEnoughData);
  }
  EXPECT_LE(wins, 27);  // 5% of 300 is 15; 27 is beyond three standard deviations
}

TEST(Experiments, TooFewObservationsSayNotEnoughData) {
  std::mt19937 rng(1);
  std::vector<VariantSample> v{sample(rng, 40, 0.9, 0.9, kMinute),
                               sample(rng, 20, 0.1, 0.1, 30 * kMinute)};
  auto c = compare_variants(v);
  EXPECT_EQ(c.csat.verdict, Verdict::kNotEnoughData);  // ~20 and ~10 ratings
  EXPECT_EQ(c.resolution.verdict, Verdict::kNotEnoughData);
  EXPECT_EQ(c.handle.verdict, Verdict::kNotEnoughData);
  EXPECT_EQ(compare_variants(std::span<const VariantSample>(v.data(), 1)).csat.verdict,
            Verdict::kNotEnoughData);
}

// Seed 003's formula on hand-counted answers: 5 promoters, 3 passives and 2
// detractors of 10 give 50 - 20 = 30.
TEST(Nps, PromotersMinusDetractorsWithItsInterval) {
  std::vector<int> scores{10, 9, 9, 10, 9, 8, 7, 8, 3, 6, 11, -1};
  auto n = nps(scores);
  EXPECT_EQ(n.n, 10);
  EXPECT_EQ(n.promoters, 5);
  EXPECT_EQ(n.passives, 3);
  EXPECT_EQ(n.detractors, 2);
  ASSERT_TRUE(n.score);
  EXPECT_NEAR(*n.score, 30, 1e-9);
  // Spread with one more of each kind: p = 6/13, d = 3/13,
  // var = (9/13 - (3/13)^2) / 13 = 0.04916; half = 1.96 * 0.2217 = 0.4346.
  EXPECT_NEAR(*n.lower, 30 - 43.46, 0.05);
  EXPECT_NEAR(*n.upper, 30 + 43.46, 0.05);
  EXPECT_FALSE(nps({}).score);
  // Three promoters: 100, but not certainly 100 (p = 4/6, d = 1/6: half 0.611).
  std::vector<int> all_promoters{10, 10, 9};
  auto few = nps(all_promoters);
  EXPECT_EQ(*few.score, 100);
  EXPECT_NEAR(*few.lower, 100 - 61.1, 0.1);
  EXPECT_EQ(*few.upper, 100);
}

}  // namespace
}  // namespace sb::reports
