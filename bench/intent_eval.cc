// intent_eval TRAIN.jsonl TEST.jsonl: the FAQ bot's intent model alone (no
// server), for tuning it quickly. Prints what `switchboard bot-eval` prints,
// plus top-1 accuracy with no out-of-scope decision and, for a range of
// thresholds, the in-scope accuracy and oos recall each would give (the
// threshold is a TrainOptions field: tune it on val, never on test).
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "intent/intent.h"

namespace {

namespace json = boost::json;
using sb::bot::Example;

std::vector<Example> read_examples(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("intent_eval: cannot read " + file);
  std::vector<Example> out;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json::value v = json::parse(line);
    const json::object& o = v.as_object();
    out.push_back({std::string(o.at("text").as_string()), std::string(o.at("intent").as_string())});
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One test line as the model saw it, for sweeping the threshold afterwards.
struct Outcome {
  bool truly_oos;
  bool right_intent;    // top-1 intent is the labelled one
  bool oos_class_wins;  // a trained oos class outscored every intent
  double confidence;
};

struct Figures {
  double accuracy, oos_recall, oos_precision;
};

Figures figures(const std::vector<Outcome>& outcomes, double threshold) {
  long in_scope = 0, right = 0, oos = 0, found = 0, said = 0;
  for (const Outcome& o : outcomes) {
    bool said_oos = o.oos_class_wins || o.confidence < threshold;
    in_scope += !o.truly_oos;
    right += !o.truly_oos && !said_oos && o.right_intent;
    oos += o.truly_oos;
    found += o.truly_oos && said_oos;
    said += said_oos;
  }
  auto share = [](long a, long b) { return b ? double(a) / b : 0.0; };
  return {share(right, in_scope), share(found, oos), share(found, said)};
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: intent_eval TRAIN.jsonl TEST.jsonl\n";
    return 2;
  }
  auto train = read_examples(argv[1]);
  auto test = read_examples(argv[2]);
  auto t0 = std::chrono::steady_clock::now();
  auto model = sb::bot::IntentModel::train(train);
  double train_s = seconds_since(t0);

  std::vector<Outcome> outcomes;
  std::vector<double> ms;
  long top1 = 0, in_scope = 0;
  for (const Example& e : test) {
    auto q0 = std::chrono::steady_clock::now();
    auto p = model.classify(e.text, 0.0);  // threshold 0: only the oos class says oos
    ms.push_back(seconds_since(q0) * 1000);
    Outcome o{e.intent == sb::bot::kOutOfScope, p.intent == e.intent, p.out_of_scope, p.confidence};
    top1 += !o.truly_oos && o.right_intent;
    in_scope += !o.truly_oos;
    outcomes.push_back(o);
  }
  Figures f = figures(outcomes, model.threshold());
  std::printf(
      "{\"n\":%zu,\"accuracy\":%.4f,\"oos_recall\":%.4f,\"oos_precision\":%.4f,"
      "\"top1\":%.4f,\"train_s\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
      test.size(), f.accuracy, f.oos_recall, f.oos_precision,
      in_scope ? double(top1) / in_scope : 0.0, train_s, percentile(ms, 0.5), percentile(ms, 0.99));
  for (int i = 0; i <= 40; ++i) {
    Figures g = figures(outcomes, i * 0.01);
    std::fprintf(stderr, "threshold %.2f accuracy %.4f oos_recall %.4f\n", i * 0.01, g.accuracy,
                 g.oos_recall);
  }
  return 0;
}
