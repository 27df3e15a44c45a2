// Result -> JSON (shares as fractions 0-1, times in seconds, null when there is
// nothing to measure) and -> a plain-text report for a terminal.
#include <cmath>
#include <cstdio>
#include <string>

#include "sim/sim.h"

namespace sb::sim {
namespace json = boost::json;
namespace {

std::optional<double> ratio(double num, int den) {
  if (den <= 0) return std::nullopt;
  return num / den;
}

json::value opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value opt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::string clock(int hour) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:00", hour % 24);
  return buf;
}

std::string pct(const std::optional<double>& share) {
  if (!share) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", *share * 100);
  return buf;
}

std::string dur(const std::optional<double>& seconds) {
  if (!seconds) return "-";
  char buf[32];
  double s = *seconds;
  if (s < 120)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200)
    std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

// printf into a std::string; the report is a handful of fixed-width tables.
template <typename... A>
void line(std::string& out, const char* format, A... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, args...);
  out += buf;
  out += '\n';
}

json::object outcome_json(const Outcome& o) {
  return {{"arrived", o.arrived},
          {"answered", o.answered},
          {"answered_in_target", o.answered_in_target},
          {"waited", o.waited},
          {"abandoned", o.abandoned},
          {"overflowed", o.overflowed},
          {"unserved", o.unserved},
          {"service_level", opt(o.service_level())},
          {"p_wait", opt(o.p_wait())},
          {"avg_wait_s", opt(o.avg_wait_s())},
          {"abandonment", opt(o.abandonment())}};
}

json::object channel_json(const ChannelResult& c) {
  json::object o = outcome_json(c.outcome);
  o["channel"] = channel_name(c.channel);
  o["target"] = {{"seconds", c.target.seconds}, {"percent", c.target.percent}};
  o["p90_wait_s"] = opt(c.p90_wait_s);
  o["avg_handle_s"] = opt(c.avg_handle_s);
  o["estimate"] = {{"compared", c.estimate.compared},
                   {"no_estimate", c.estimate.no_estimate},
                   {"mean_abs_error_s", opt(c.estimate.mean_abs_error_s())},
                   {"kept_share", opt(c.estimate.kept_share())}};
  return o;
}

json::object hour_json(const HourResult& h) {
  json::object erlang = {{"offered_erlangs", h.offered_erlangs},
                         {"p_wait", h.erlang_p_wait},
                         {"service_level", h.erlang_service_level},
                         {"asa_s", opt(h.erlang_asa_s)}};
  json::object o = {{"hour", h.hour},
                    {"channel", channel_name(h.channel)},
                    {"rate_per_hour", h.rate_per_hour},
                    {"mean_handle_s", h.mean_handle_s},
                    {"agents", h.agents},
                    {"servers", h.servers},
                    {"sim", outcome_json(h.sim)},
                    {"erlang_c", erlang}};
  if (h.needed_servers || h.needed_agents) {
    o["needed"] = {{"servers", opt(h.needed_servers)},
                   {"agents", opt(h.needed_agents)},
                   {"capacity_per_agent", h.capacity_per_agent}};
  }
  return o;
}

json::object agent_json(const AgentResult& a) {
  json::object by_channel;
  for (std::size_t c = 0; c < kChannels; ++c)
    if (a.channel_occupancy[c])
      by_channel[channel_name(static_cast<Channel>(c))] = *a.channel_occupancy[c];
  return {{"id", a.id},
          {"name", a.name},
          {"shift", {{"start", a.shift_start}, {"end", a.shift_end}}},
          {"assigned", a.assigned},
          {"logged_in_s", a.logged_in_s},
          {"occupancy", a.occupancy},
          {"channel_occupancy", by_channel},
          {"overtime_s", a.overtime_s}};
}

void text_channels(const Result& r, std::string& out) {
  out +=
      "Customers by channel (service level = answered within target / arrived; waits of "
      "answered customers)\n";
  line(out, "%-9s %8s %8s %-10s %8s %9s %9s %9s %10s %8s", "channel", "arrived", "answered",
       "target", "SL", "avg wait", "p90 wait", "abandoned", "overflowed", "unserved");
  for (const auto& c : r.channels) {
    char target[32];
    std::snprintf(target, sizeof target, "%.0f%% in %s", c.target.percent,
                  dur(c.target.seconds).c_str());
    const Outcome& o = c.outcome;
    line(out, "%-9s %8d %8d %-10s %8s %9s %9s %9s %10d %8d",
         std::string(channel_name(c.channel)).c_str(), o.arrived, o.answered, target,
         pct(o.service_level()).c_str(), dur(o.avg_wait_s()).c_str(), dur(c.p90_wait_s).c_str(),
         pct(o.abandonment()).c_str(), o.overflowed, o.unserved);
  }
}

void text_estimates(const Result& r, std::string& out) {
  out += "\nWait promised at arrival (estimate_wait) vs real wait, answered customers\n";
  line(out, "%-9s %9s %15s %22s %12s", "channel", "compared", "mean abs error",
       "real wait <= promise", "no estimate");
  for (const auto& c : r.channels)
    line(out, "%-9s %9d %15s %22s %12d", std::string(channel_name(c.channel)).c_str(),
         c.estimate.compared, dur(c.estimate.mean_abs_error_s()).c_str(),
         pct(c.estimate.kept_share()).c_str(), c.estimate.no_estimate);
}

void text_hours(const Result& r, std::string& out) {
  out +=
      "\nHour by hour: simulation (customers arriving that hour) vs Erlang C (no abandonment;\n"
      "an agent counts as `capacity` servers on the channel, also when shared with others)\n";
  line(out, "%-5s %-8s %6s %7s %6s %7s %6s | %7s %7s %8s %7s | %7s %7s %8s%s", "hour", "channel",
       "rate/h", "AHT", "agents", "servers", "Erl", "P(wait)", "SL", "ASA", "aband.", "P(wait)",
       "SL", "ASA", r.find_agents ? " | needed agents (servers)" : "");
  for (const auto& h : r.hourly) {
    std::string needed;
    if (r.find_agents)
      needed = h.needed_agents ? " | " + std::to_string(*h.needed_agents) + " (" +
                                     std::to_string(*h.needed_servers) + ")"
                               : " | -";
    line(out, "%-5s %-8s %6.1f %7s %6d %7d %6.2f | %7s %7s %8s %7s | %7s %7s %8s%s",
         clock(h.hour).c_str(), std::string(channel_name(h.channel)).c_str(), h.rate_per_hour,
         dur(h.mean_handle_s).c_str(), h.agents, h.servers, h.offered_erlangs,
         pct(h.sim.p_wait()).c_str(), pct(h.sim.service_level()).c_str(),
         dur(h.sim.avg_wait_s()).c_str(), pct(h.sim.abandonment()).c_str(),
         pct(h.erlang_p_wait).c_str(), pct(h.erlang_service_level).c_str(),
         h.erlang_asa_s ? dur(h.erlang_asa_s).c_str() : "overload", needed.c_str());
  }
}

void text_agents(const Result& r, std::string& out) {
  out +=
      "\nAgents (occupancy = time average over the shift of load/capacity on the fullest "
      "channel;\nper channel = slot-time used / slot-time offered)\n";
  line(out, "%-22s %-11s %8s %9s %7s %8s %7s %7s %7s %9s", "agent", "shift", "assigned",
       "occupancy", "chat", "callback", "ticket", "email", "sms", "overtime");
  for (const auto& a : r.agents) {
    std::string shift = clock(a.shift_start) + "-" + clock(a.shift_end);
    std::string ch[kChannels];
    for (std::size_t c = 0; c < kChannels; ++c) ch[c] = pct(a.channel_occupancy[c]);
    line(out, "%-22s %-11s %8d %9s %7s %8s %7s %7s %7s %9s", a.name.c_str(), shift.c_str(),
         a.assigned, pct(a.occupancy).c_str(), ch[0].c_str(), ch[1].c_str(), ch[2].c_str(),
         ch[3].c_str(), ch[4].c_str(), dur(a.overtime_s).c_str());
  }
}

}  // namespace

std::optional<double> Outcome::service_level() const {
  return ratio(answered_in_target, arrived);
}
std::optional<double> Outcome::p_wait() const {
  return ratio(waited, arrived);
}
std::optional<double> Outcome::avg_wait_s() const {
  return ratio(wait_sum_s, answered);
}
std::optional<double> Outcome::abandonment() const {
  return ratio(abandoned, arrived);
}
std::optional<double> EstimateAccuracy::mean_abs_error_s() const {
  return ratio(abs_error_sum_s, compared);
}
std::optional<double> EstimateAccuracy::kept_share() const {
  return ratio(kept, compared);
}

json::object Result::to_json() const {
  json::array ch, hr, ag;
  for (const auto& c : channels) ch.push_back(channel_json(c));
  for (const auto& h : hourly) hr.push_back(hour_json(h));
  for (const auto& a : agents) ag.push_back(agent_json(a));
  return {{"seed", seed},   {"start_hour", start_hour},
          {"hours", hours}, {"simulated_s", simulated_s},
          {"channels", ch}, {"hourly", hr},
          {"agents", ag}};
}

std::string Result::to_text() const {
  std::string out;
  line(out, "Switchboard staffing simulation: seed %llu, %s-%s (%d h), simulated until %s",
       static_cast<unsigned long long>(seed), clock(start_hour).c_str(),
       clock(start_hour + hours).c_str(), hours, dur(simulated_s).c_str());
  out += '\n';
  text_channels(*this, out);
  text_estimates(*this, out);
  text_hours(*this, out);
  text_agents(*this, out);
  return out;
}

}  // namespace sb::sim
