#include "reports/reports.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sb::reports {
namespace {

constexpr Millis kDayMs = 24LL * 3600 * 1000;

// Nearest-rank percentile of values (reordered in place); q in (0, 1].
Millis percentile(std::vector<Millis>& v, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  auto at = v.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
  std::nth_element(v.begin(), at, v.end());
  return *at;
}

struct Samples {
  std::vector<Millis> values;
  double total = 0;
  std::int64_t weight = 0;  // response: one conversation stands for its replies
  void add(Millis v) {
    values.push_back(v);
    total += static_cast<double>(v);
    ++weight;
  }
  Durations finish() {
    Durations d;
    d.n = static_cast<std::int64_t>(values.size());
    if (values.empty()) return d;
    d.mean = static_cast<Millis>(std::llround(total / static_cast<double>(weight)));
    d.median = percentile(values, 0.5);
    d.p90 = percentile(values, 0.9);
    return d;
  }
};

bool abandoned(const ConversationFacts& f) {
  return f.closed_at && f.customer_messages > 0 && !f.first_reply_at && !f.bot_active;
}
bool deflected(const ConversationFacts& f) {
  return f.closed_at && f.bot_active && !f.bot_handed_off && !f.first_reply_at;
}

class Accumulator {
 public:
  void add(const ConversationFacts& f) {
    ++s_.conversations;
    ++(f.closed_at ? s_.closed : s_.open);
    if (f.first_reply_at) first_.add(std::max<Millis>(*f.first_reply_at - f.created_at, 0));
    if (f.replies > 0) {
      // The conversation's own mean reply, weighted by its replies in the mean.
      response_.values.push_back(f.reply_ms / f.replies);
      response_.total += static_cast<double>(f.reply_ms);
      response_.weight += f.replies;
    }
    if (f.first_assigned_at) wait_.add(std::max<Millis>(*f.first_assigned_at - f.created_at, 0));
    if (f.first_reply_at && f.closed_at && *f.closed_at >= *f.first_reply_at)
      handle_.add(*f.closed_at - *f.first_reply_at);
    if (abandoned(f)) ++s_.abandoned;
    if (f.bot_active || f.bot_handed_off) ++s_.bot_handled;
    if (deflected(f)) ++s_.bot_deflected;
    if (f.rated_positive) {
      ++s_.rated;
      if (*f.rated_positive) ++s_.rated_positive;
    }
  }
  Summary finish() {
    s_.first_response = first_.finish();
    s_.response = response_.finish();
    s_.wait = wait_.finish();
    s_.handle = handle_.finish();
    return s_;
  }

 private:
  Summary s_;
  Samples first_, response_, wait_, handle_;
};

// Civil date arithmetic on "YYYY-MM-DD" (days since 1970-01-01 and back).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
std::int64_t day_number(const std::string& date) {
  return days_from_civil(std::stoi(date.substr(0, 4)),
                         static_cast<unsigned>(std::stoi(date.substr(5, 2))),
                         static_cast<unsigned>(std::stoi(date.substr(8, 2))));
}
std::string date_of_day(std::int64_t z) {
  LocalTime t = local_time(TimeZone::utc(), z * kDayMs);
  return t.date;
}

}  // namespace

Summary summarize(std::span<const ConversationFacts> facts) {
  Accumulator a;
  for (const auto& f : facts) a.add(f);
  return a.finish();
}

LocalClock::Slot LocalClock::at(Millis utc) {
  constexpr Millis kQuarter = 15 * 60 * 1000;
  std::int64_t quarter = utc >= 0 ? utc / kQuarter : (utc - kQuarter + 1) / kQuarter;
  auto it = quarters_.find(quarter);
  if (it == quarters_.end()) {
    auto t = local_time(tz_, quarter * kQuarter);
    it = quarters_.emplace(quarter, Slot{day_number(t.date), t.weekday, t.minute}).first;
  }
  Slot s = it->second;
  s.minute += static_cast<int>((utc - quarter * kQuarter) / 60000);
  return s;
}

std::string LocalClock::date_of(std::int64_t day) {
  return date_of_day(day);
}

std::vector<Day> daily(std::span<const ConversationFacts> facts, const TimeZone& tz, Millis from,
                       Millis to) {
  LocalClock clock(tz);
  std::map<std::int64_t, Accumulator> days;
  for (const auto& f : facts) days[clock.at(f.created_at).day].add(f);
  std::int64_t first = clock.at(from).day;
  std::int64_t last = to > from ? clock.at(to - 1).day : first;
  if (!days.empty()) {
    first = std::min(first, days.begin()->first);
    last = std::max(last, days.rbegin()->first);
  }
  std::vector<Day> out;
  for (auto d = first; d <= last; ++d) {
    auto it = days.find(d);
    out.push_back({date_of_day(d), it == days.end() ? Summary{} : it->second.finish()});
  }
  return out;
}

HourOfWeek heatmap(std::span<const ConversationFacts> facts, const TimeZone& tz) {
  LocalClock clock(tz);
  HourOfWeek h{};
  for (const auto& f : facts) {
    auto t = clock.at(f.created_at);
    ++h[static_cast<std::size_t>(t.weekday)][static_cast<std::size_t>(t.minute / 60)];
  }
  return h;
}

std::map<std::string, Summary> by_channel(std::span<const ConversationFacts> facts) {
  std::map<std::string, Accumulator> acc;
  for (const auto& f : facts) acc[f.channel].add(f);
  std::map<std::string, Summary> out;
  for (auto& [name, a] : acc) out[name] = a.finish();
  return out;
}

std::vector<AgentRow> by_agent(std::span<const ConversationFacts> facts) {
  std::map<Id, Accumulator> acc;
  for (const auto& f : facts)
    if (f.agent_id) acc[*f.agent_id].add(f);
  std::vector<AgentRow> rows;
  for (auto& [id, a] : acc) {
    AgentRow r{id, a.finish(), 0, 0};
    r.csat_lower = wilson(r.summary.rated_positive, r.summary.rated).first;
    rows.push_back(std::move(r));
  }
  auto first_response = [](const AgentRow& r) {
    return r.summary.first_response.median.value_or(INT64_MAX);
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const AgentRow& x, const AgentRow& y) {
    bool rx = x.summary.rated > 0, ry = y.summary.rated > 0;
    if (rx != ry) return rx;
    if (x.csat_lower != y.csat_lower) return x.csat_lower > y.csat_lower;
    return first_response(x) < first_response(y);
  });
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<int>(i) + 1;
  return rows;
}

std::optional<Metric> parse_metric(std::string_view name) {
  static const std::map<std::string_view, Metric> kNames{
      {"all", Metric::kAll},
      {"open", Metric::kOpen},
      {"abandoned", Metric::kAbandoned},
      {"unanswered", Metric::kUnanswered},
      {"bot_deflected", Metric::kBotDeflected},
      {"rated_negative", Metric::kRatedNegative},
      {"rated_positive", Metric::kRatedPositive}};
  auto it = kNames.find(name);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

bool counts(const ConversationFacts& f, Metric m) {
  switch (m) {
    case Metric::kAll:
      return true;
    case Metric::kOpen:
      return !f.closed_at;
    case Metric::kAbandoned:
      return abandoned(f);
    case Metric::kUnanswered:
      return !f.first_reply_at && f.customer_messages > 0;
    case Metric::kBotDeflected:
      return deflected(f);
    case Metric::kRatedNegative:
      return f.rated_positive == false;
    case Metric::kRatedPositive:
      return f.rated_positive == true;
  }
  return false;
}

std::pair<double, double> wilson(std::int64_t positive, std::int64_t n) {
  if (n <= 0) return {0, 0};
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double p = static_cast<double>(positive) / nn;
  const double centre = p + z * z / (2 * nn);
  const double margin = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  const double denom = 1 + z * z / nn;
  return {std::max(0.0, (centre - margin) / denom), std::min(1.0, (centre + margin) / denom)};
}

namespace {
double two_sided_normal_p(double z) {
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}
}  // namespace

double two_proportion_p(std::int64_t pos_a, std::int64_t n_a, std::int64_t pos_b,
                        std::int64_t n_b) {
  if (n_a <= 0 || n_b <= 0) return 1;
  const double na = static_cast<double>(n_a), nb = static_cast<double>(n_b);
  const double pa = static_cast<double>(pos_a) / na, pb = static_cast<double>(pos_b) / nb;
  const double pooled = static_cast<double>(pos_a + pos_b) / (na + nb);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  if (se == 0) return pa == pb ? 1 : 0;
  return two_sided_normal_p((pa - pb) / se);
}

double welch_p(double mean_a, double var_a, std::int64_t n_a, double mean_b, double var_b,
               std::int64_t n_b) {
  if (n_a < 2 || n_b < 2) return 1;
  const double se = std::sqrt(var_a / static_cast<double>(n_a) + var_b / static_cast<double>(n_b));
  if (se == 0) return mean_a == mean_b ? 1 : 0;
  return two_sided_normal_p((mean_a - mean_b) / se);
}

}  // namespace sb::reports

namespace sb::reports {
namespace {

constexpr double kZ95 = 1.959963984540054;

double variance(const VariantSample& s) {
  if (s.handled < 2) return 0;
  double n = static_cast<double>(s.handled), mean = s.handle_sum / n;
  return std::max(0.0, (s.handle_squares - n * mean * mean) / (n - 1));
}

Estimate proportion(std::int64_t part, std::int64_t n) {
  Estimate e;
  e.n = n;
  if (n <= 0) return e;
  auto [lo, hi] = wilson(part, n);
  e.value = static_cast<double>(part) / static_cast<double>(n);
  e.lower = lo;
  e.upper = hi;
  return e;
}

// Which variant wins on one metric: the best by `value` must beat each other
// compared variant with p below alpha / (k - 1); `p_of(i, j)` tests i against j.
template <typename Value, typename PValue, typename Enough>
MetricVerdict decide(std::size_t k, Value value, PValue p_of, Enough enough, double alpha) {
  MetricVerdict v;
  std::vector<std::size_t> compared;
  for (std::size_t i = 0; i < k; ++i)
    if (enough(i)) compared.push_back(i);
  if (compared.size() < 2 || compared.size() < k) return v;  // every variant needs its data
  std::size_t best = compared[0];
  for (auto i : compared)
    if (value(i) > value(best)) best = i;
  double worst_p = 0;
  for (auto i : compared)
    if (i != best) worst_p = std::max(worst_p, p_of(best, i));
  v.p = worst_p;
  bool wins = worst_p < alpha / static_cast<double>(compared.size() - 1);
  v.verdict = wins ? Verdict::kWinner : Verdict::kNoDifference;
  if (wins) v.winner = static_cast<int>(best);
  return v;
}

}  // namespace

VariantEffect effect_of(const VariantSample& s) {
  VariantEffect e;
  e.csat = proportion(s.positive, s.rated);
  e.resolution = proportion(s.resolved, s.closed);
  e.handle_ms.n = s.handled;
  if (s.handled > 0) {
    double n = static_cast<double>(s.handled), mean = s.handle_sum / n;
    double half = s.handled > 1 ? kZ95 * std::sqrt(variance(s) / n) : 0;
    e.handle_ms.value = mean;
    e.handle_ms.lower = std::max(0.0, mean - half);
    e.handle_ms.upper = mean + half;
  }
  return e;
}

Comparison compare_variants(std::span<const VariantSample> v, std::int64_t min_n, double alpha) {
  auto rate = [](std::int64_t part, std::int64_t n) {
    return n > 0 ? static_cast<double>(part) / static_cast<double>(n) : 0.0;
  };
  Comparison c;
  c.csat = decide(
      v.size(), [&](std::size_t i) { return rate(v[i].positive, v[i].rated); },
      [&](std::size_t i, std::size_t j) {
        return two_proportion_p(v[i].positive, v[i].rated, v[j].positive, v[j].rated);
      },
      [&](std::size_t i) { return v[i].rated >= min_n; }, alpha);
  c.resolution = decide(
      v.size(), [&](std::size_t i) { return rate(v[i].resolved, v[i].closed); },
      [&](std::size_t i, std::size_t j) {
        return two_proportion_p(v[i].resolved, v[i].closed, v[j].resolved, v[j].closed);
      },
      [&](std::size_t i) { return v[i].closed >= min_n; }, alpha);
  auto mean = [&](std::size_t i) { return v[i].handle_sum / static_cast<double>(v[i].handled); };
  c.handle = decide(
      v.size(), [&](std::size_t i) { return -mean(i); },
      [&](std::size_t i, std::size_t j) {
        return welch_p(mean(i), variance(v[i]), v[i].handled, mean(j), variance(v[j]),
                       v[j].handled);
      },
      [&](std::size_t i) { return v[i].handled >= min_n; }, alpha);
  return c;
}

Nps nps(std::span<const int> scores) {
  Nps out;
  for (int s : scores) {
    if (s < 0 || s > 10) continue;
    ++out.n;
    ++(s >= 9 ? out.promoters : s >= 7 ? out.passives : out.detractors);
  }
  if (out.n == 0) return out;
  const double n = static_cast<double>(out.n);
  const double score =
      static_cast<double>(out.promoters) / n - static_cast<double>(out.detractors) / n;
  // The spread from the shares with one more answer of each kind, so a handful
  // of answers all alike does not give an interval of zero width.
  const double n3 = n + 3;
  const double p = static_cast<double>(out.promoters + 1) / n3;
  const double d = static_cast<double>(out.detractors + 1) / n3;
  const double half = kZ95 * std::sqrt(std::max(0.0, p + d - (p - d) * (p - d)) / n3);
  out.score = 100 * score;
  out.lower = 100 * std::max(-1.0, score - half);
  out.upper = 100 * std::min(1.0, score + half);
  return out;
}

}  // namespace sb::reports
