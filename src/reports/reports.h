// Reports (Q3), the arithmetic without I/O: from one row of timings per
// conversation (kept on commit by the store, schema step 28) to the figures a
// supervisor reads — volumes, first response / response / handle / wait times,
// abandonment, bot deflection, CSAT — per day and hour of week in the reader's
// time zone, per channel and per agent (ranked), and which conversations a
// figure counts (drill-down). Also the statistics the script experiments use.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/core.h"

namespace sb::reports {

struct ConversationFacts {
  Id id = 0, inbox_id = 0;
  std::string channel;  // the conversation's kind: chat, email, ticket, ...
  std::optional<Id> team_id, agent_id;
  Millis created_at = 0;
  std::optional<Millis> first_assigned_at, first_reply_at, closed_at;
  std::int64_t reply_ms = 0, replies = 0, customer_messages = 0;
  bool bot_active = false, bot_handed_off = false;
  std::optional<bool> rated_positive;  // the customer's rating, when given
};

// What each figure counts; a conversation with nothing to measure is left out
// of that figure's n (never counted as zero).
//   first_response: created -> first agent message
//   response:       each customer message that waited -> the agent's reply (mean of all)
//   wait:           created -> first assigned to an agent
//   handle:         first agent message -> closed
//   abandoned:      closed, the customer wrote, no agent ever replied, and no bot kept it
//   bot_deflected:  closed while the bot still had it (never handed to an agent)
struct Durations {
  std::int64_t n = 0;
  std::optional<Millis> mean, median, p90;
};

struct Summary {
  std::int64_t conversations = 0, open = 0, closed = 0;
  Durations first_response, response, wait, handle;
  std::int64_t abandoned = 0, bot_handled = 0, bot_deflected = 0;
  std::int64_t rated = 0, rated_positive = 0;
};

Summary summarize(std::span<const ConversationFacts> facts);

// Local day, weekday and minute of many instants in one zone, fast: every
// zone's offset is a multiple of 15 minutes, so a UTC quarter hour lies in one
// local hour of one day; each quarter hour is converted once.
class LocalClock {
 public:
  explicit LocalClock(const TimeZone& tz) : tz_(tz) {}
  struct Slot {
    std::int64_t day = 0;  // days since 1970-01-01, local
    int weekday = 0;       // 0 = Sunday
    int minute = 0;        // after local midnight
  };
  Slot at(Millis utc);
  static std::string date_of(std::int64_t day);  // YYYY-MM-DD

 private:
  const TimeZone& tz_;
  std::unordered_map<std::int64_t, Slot> quarters_;  // by UTC quarter hour: its start, local
};

// Per local day of creation, oldest first: every day of the period [from, to)
// in the reader's zone, those without conversations included (a chart's x axis
// has no holes), and any day a conversation falls on outside it.
struct Day {
  std::string date;  // YYYY-MM-DD in the reader's zone
  Summary summary;
};
std::vector<Day> daily(std::span<const ConversationFacts> facts, const TimeZone& tz, Millis from,
                       Millis to);

// Conversations started per local [weekday 0=Sunday][hour].
using HourOfWeek = std::array<std::array<std::int64_t, 24>, 7>;
HourOfWeek heatmap(std::span<const ConversationFacts> facts, const TimeZone& tz);

std::map<std::string, Summary> by_channel(std::span<const ConversationFacts> facts);

// Agent ranking (seed 004): by the lower bound of the CSAT 95% interval (many
// good ratings beat one), then by the median first response (faster first);
// agents nobody rated follow, by median first response.
struct AgentRow {
  Id agent_id = 0;
  Summary summary;
  double csat_lower = 0;  // Wilson lower bound, 0 with no ratings
  int rank = 0;
};
std::vector<AgentRow> by_agent(std::span<const ConversationFacts> facts);

// The drill-down: which conversations a figure counts.
enum class Metric {
  kAll,
  kOpen,
  kAbandoned,
  kUnanswered,  // no agent reply yet (open or closed)
  kBotDeflected,
  kRatedNegative,
  kRatedPositive
};
std::optional<Metric> parse_metric(std::string_view name);
bool counts(const ConversationFacts& f, Metric m);

// ---------------------------------------------------------------- statistics
// Wilson score interval of a proportion at 95%: {lower, upper}; {0, 0} for n = 0.
std::pair<double, double> wilson(std::int64_t positive, std::int64_t n);
// Two-sided p-value that two proportions differ (pooled z-test).
double two_proportion_p(std::int64_t pos_a, std::int64_t n_a, std::int64_t pos_b, std::int64_t n_b);
// Two-sided p-value that two means differ (Welch's t, normal approximation of
// the t distribution: used only with n >= 30 per side).
double welch_p(double mean_a, double var_a, std::int64_t n_a, double mean_b, double var_b,
               std::int64_t n_b);

// ---------------------------------------------------------------- NPS
// Seed 003: NPS = % promoters (9-10) - % detractors (0-6), from -100 to 100,
// with its 95% interval (normal approximation of the difference of the two
// shares from the same answers, its spread taken with one more answer of each
// kind so that a few identical answers do not claim certainty).
struct Nps {
  std::int64_t n = 0, promoters = 0, passives = 0, detractors = 0;
  std::optional<double> score, lower, upper;
};
Nps nps(std::span<const int> scores);  // scores outside 0..10 are ignored

// ---------------------------------------------------------------- experiments
// Script variants (P2) compared on what followed their use: the customer's
// rating (CSAT), whether the conversation was resolved, and its handle time.
struct VariantSample {
  std::int64_t conversations = 0;        // where the variant was used
  std::int64_t rated = 0, positive = 0;  // ratings given, top of the scale
  std::int64_t closed = 0, resolved = 0;
  std::int64_t handled = 0;                   // with a handle time
  double handle_sum = 0, handle_squares = 0;  // ms, ms^2
};

struct Estimate {
  std::int64_t n = 0;
  std::optional<double> value, lower, upper;  // 95% interval; none with n = 0
};
struct VariantEffect {
  Estimate csat, resolution, handle_ms;
};
VariantEffect effect_of(const VariantSample& s);

// Per metric: too few observations to say (fewer than `min_n` in a variant
// compared), no significant difference, or the one variant better than every
// other (Bonferroni over the comparisons, each at alpha / (k - 1)).
enum class Verdict { kNotEnoughData, kNoDifference, kWinner };
struct MetricVerdict {
  Verdict verdict = Verdict::kNotEnoughData;
  int winner = -1;  // index into the samples, with kWinner
  double p = 1;     // the largest p-value of the winner's comparisons (or the best pair's)
};
struct Comparison {
  MetricVerdict csat, resolution, handle;  // handle: shorter is better
};
Comparison compare_variants(std::span<const VariantSample> variants, std::int64_t min_n = 30,
                            double alpha = 0.05);

}  // namespace sb::reports
