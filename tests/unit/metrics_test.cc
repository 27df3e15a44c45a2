// Metrics in the Prometheus text format: histograms are cumulative, the node
// label reaches every series, scrape-time gauges carry their labels, and a
// collector that fails leaves the rest of the scrape intact.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "http/http.h"

namespace sb {
namespace {

std::vector<std::string> samples(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& s : samples(text))
    if (s == line) return true;
  return false;
}

TEST(Metrics, WriteLatencyHistogramIsCumulative) {
  Metrics m;
  m.observe_db_write_ms(0.3);
  m.observe_db_write_ms(3);
  m.observe_db_write_ms(3);
  m.observe_db_write_ms(20000);
  auto text = m.render();
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_bucket{le=\"0.5\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_bucket{le=\"2\"} 1"));
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_bucket{le=\"5\"} 3"));
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_bucket{le=\"10000\"} 3"));
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_bucket{le=\"+Inf\"} 4"));
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_count 4"));
  EXPECT_TRUE(has_line(text, "switchboard_db_write_latency_ms_sum 20006.3"));
  EXPECT_EQ(m.db_writes_observed(), 4);
}

TEST(Metrics, WithoutANodeNothingIsLabelledByIt) {
  Metrics m;
  auto text = m.render();
  EXPECT_TRUE(has_line(text, "switchboard_node_info 1"));
  EXPECT_TRUE(has_line(text, "switchboard_http_requests_total 0"));
  EXPECT_EQ(text.find("node="), std::string::npos);
}

TEST(Metrics, TheNodeLabelsEverySeries) {
  Metrics m;
  m.set_node("node \"2\"");
  m.add_collector([] {
    return std::vector<GaugeFamily>{
        {"switchboard_queue_waiting", "Waiting.", {{{{"workspace", "1"}, {"inbox", "3"}}, 2}}}};
  });
  auto text = m.render();
  for (const auto& s : samples(text))
    EXPECT_NE(s.find("node=\"node \\\"2\\\"\""), std::string::npos) << s;
  EXPECT_TRUE(has_line(
      text, "switchboard_queue_waiting{node=\"node \\\"2\\\"\",workspace=\"1\",inbox=\"3\"} 2"))
      << text;
  EXPECT_TRUE(
      has_line(text, "switchboard_delivery_latency_ms_bucket{node=\"node \\\"2\\\"\",le=\"1\"} 0"));
}

TEST(Metrics, AFailingCollectorLeavesTheRest) {
  Metrics m;
  m.add_collector([]() -> std::vector<GaugeFamily> { throw std::runtime_error("stopping"); });
  m.add_collector([] {
    return std::vector<GaugeFamily>{{"switchboard_draining", "Draining.", {{{}, 1}}}};
  });
  auto text = m.render();
  EXPECT_TRUE(has_line(text, "switchboard_draining 1")) << text;
  EXPECT_NE(text.find("# TYPE switchboard_draining gauge"), std::string::npos);
}

}  // namespace
}  // namespace sb
